"""Citations kept beside the build cache: the same text as citeproc renders, without citeproc on a rebuild."""

from __future__ import annotations

import json
import marshal
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from despatch.model import DocRecord
from despatch.urls import cite, csl, volumerefs
from despatch.urls.citestore import MISSING, SUFFIX, Store, salt, text_case
from despatch.urls.cslstyle import CHICAGO, MLA

VOLUME = cite.Volume(id="frus1961-63v3", title="Foreign Relations of the United States, 1961–1963, Volume III, Vietnam",
                     series="Foreign Relations of the United States", volume="III", subtitle="Vietnam", year="1991",
                     editors=["John P. Glennon"])
PLAIN = DocRecord(volume=VOLUME.id, id="d5", n="5", title="5. Telegram From the Embassy in Vietnam to the Department")
ODD = DocRecord(volume=VOLUME.id, id="d6", n="6", title="6. “Quoted” Memorandum & <Notes> on the {fund}")
WORDS = st.sampled_from(["the", "of", "to", "in", "and", "a", "via", "Telegram", "embassy", "U.S.", "Rusk:", "NATO",
                         "de", "l’Europe", "mid-1961", "on.", "(Saigon)", "post–war", "Ébauche", "über", "IN", "x"])


@pytest.mark.parametrize("mode", csl._CASES)
@given(words=st.lists(WORDS, min_size=1, max_size=9), spaces=st.sampled_from([" ", "  "]))
def test_text_case_is_citeprocs_rule(mode: str | None, words: list[str], spaces: str) -> None:
    from citeproc.model import TextCased
    from citeproc.string import String

    class Cased(TextCased):
        def get(self, key: str, default: object = None) -> object:
            return mode if key == "text-case" else default

    text = spaces.join(words)
    assert text_case(mode, text) == str(Cased().case(String(text), "en"))


def config(tmp_path: Path) -> SimpleNamespace:
    return SimpleNamespace(raw={}, build_dir=tmp_path / "build")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a new process: nothing rendered in memory."""
    monkeypatch.setattr(csl, "_RENDERED", {})


@pytest.mark.parametrize("rec", [PLAIN, ODD], ids=["stand-ins", "rendered whole"])
def test_a_rebuild_renders_from_the_store_without_citeproc(rec: DocRecord, tmp_path: Path, fresh: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"https://example.org/{rec.volume}/{rec.id}/"
    plain = cite.citations(VOLUME, rec, url, SimpleNamespace(raw={}))  # no build folder: no store
    monkeypatch.setattr(csl, "_RENDERED", {})
    assert cite.citations(VOLUME, rec, url, config(tmp_path)) == plain
    assert list((tmp_path / "build" / ".cache" / "citations").glob(f"*{SUFFIX}"))
    monkeypatch.setattr(csl, "_RENDERED", {})

    def no_citeproc(*args: object) -> None:
        raise AssertionError("citeproc was asked again")

    monkeypatch.setattr(csl, "render_raw", no_citeproc)
    monkeypatch.setattr(csl, "style", no_citeproc)
    assert cite.citations(VOLUME, rec, url, config(tmp_path)) == plain


def test_a_damaged_or_foreign_entry_is_a_miss(tmp_path: Path) -> None:
    store = Store(tmp_path, "salt")
    store.put(["template", "x"], ["text", None])
    assert store.get(["template", "x"]) == ["text", None]
    path = next(tmp_path.glob(f"*{SUFFIX}"))
    path.write_bytes(marshal.dumps({"salt": "salt", "key": ["template", "y"], "value": 1}))
    assert store.get(["template", "x"]) is MISSING
    path.write_bytes(marshal.dumps({"salt": "salt", "key": ["template", "x"], "value": 1})[:-3])  # cut short
    assert store.get(["template", "x"]) is MISSING
    path.write_bytes(marshal.dumps(["salt", ["template", "x"], 1]))  # not an entry
    assert store.get(["template", "x"]) is MISSING
    path.write_text('{"key": ["template", "x"], "value": 1}', encoding="utf-8")  # an older store's JSON
    assert store.get(["template", "x"]) is MISSING
    assert Store(tmp_path, "other salt").get(["template", "x"]) is MISSING


def test_the_salt_follows_the_installed_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    salt.cache_clear()
    try:
        first = salt((cite.CHICAGO, cite.MLA))
        assert first is not None and salt((cite.CHICAGO, cite.MLA)) == first
        assert salt((cite.CHICAGO,)) != first
        assert salt(("no-such-style",)) is None  # what it depends on cannot be told: no store
    finally:
        salt.cache_clear()


def test_volume_references_come_back_from_the_store_until_a_title_changes(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    records = [PLAIN, ODD]
    base = f"https://example.org/{VOLUME.id}/"
    made = volumerefs.volume_references(VOLUME, records, base, SimpleNamespace(raw={}))
    assert volumerefs.volume_references(VOLUME, records, base, config(tmp_path)) == made
    calls: list[str] = []
    real = cite.csl_item
    monkeypatch.setattr(cite, "csl_item", lambda volume, rec, *a: calls.append(rec.id) or real(volume, rec, *a))
    assert volumerefs.volume_references(VOLUME, records, base, config(tmp_path)) == made and calls == []
    retitled = [PLAIN, DocRecord(volume=ODD.volume, id=ODD.id, n=ODD.n, title="6. Letter")]
    again = volumerefs.volume_references(VOLUME, retitled, base, config(tmp_path))
    assert calls == [ODD.id] and "Letter" in again["csl_json"] and again != made  # the retitled one alone
    assert volumerefs.volume_references(VOLUME, records, "https://other.example/", config(tmp_path)) != made


@pytest.mark.parametrize("editors,subtitle,publisher", [([], "", ""), (["Charles S. Sampson", "John Glennon"], "Vietnam", "GPO"),
                                                         (["Sampson, Charles S."], "Laos Crisis", "")])
@pytest.mark.parametrize("style,note", [(CHICAGO, True), (MLA, False)])
def test_a_template_from_the_probe_is_the_template_rendered(editors: list[str], subtitle: str, publisher: str,
                                                           style: str, note: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    volume = cite.Volume(id="frus1961-63v1", title=f"Foreign Relations of the United States, 1961–1963, Volume I, {subtitle}",
                         series="Foreign Relations of the United States", subtitle=subtitle, volume="I",
                         editors=editors, publisher=publisher, year="1988")
    item = cite.csl_item(volume, PLAIN, "https://example.org/frus1961-63v1/d5/", SimpleNamespace(raw={}))
    generic = dict(item, id="item", title=csl.TITLE, URL=csl.URL, number=csl.NUMBER)
    if note:
        generic["chapter-number"] = generic.pop("number")
    calls: list[object] = []
    real = csl.render_raw
    monkeypatch.setattr(csl, "render_raw", lambda *args: calls.append(args) or real(*args))
    found = csl._template(json.dumps(generic, sort_keys=True, ensure_ascii=False), style, note)
    assert found is not None and len(calls) == 1  # the probe only
    monkeypatch.undo()
    assert found[0] == csl.render_raw(generic, style, note)
