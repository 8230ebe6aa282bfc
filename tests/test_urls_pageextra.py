"""A volume's page extras filled from one pattern equal those made in full, document by document."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from despatch.model import DocRecord
from despatch.urls.pageextra import Pattern, page_extra
from despatch.volume import Volume, load_volume

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "urls"
CONFIGS = {
    "site": SimpleNamespace(raw={}, site_url="https://example.org/", url_prefix="", site_name="despatch"),
    "prefix": SimpleNamespace(raw={"citation_author": "Office of Tests"}, site_url="https://example.org/base",
                              url_prefix="historicaldocuments/", site_name="A & B <edition>"),
    "no-site-url": SimpleNamespace(raw={}, site_url="", url_prefix="", site_name=""),
}


def url_of(config: Any, volume: str) -> Any:
    """The worker's URLs of a document: the site's URL, the prefix, the volume and the id."""
    base = (config.site_url.rstrip("/") + "/" if config.site_url else "/") + config.url_prefix + f"{volume}/"
    return lambda doc_id: (f"{base}{doc_id}/", f"{base}{doc_id}.xml")


def full(vol: Volume, rec: DocRecord, config: Any) -> dict[str, Any]:
    url, tei_url = url_of(config, vol.id)(rec.id)
    return page_extra(vol, rec, url, tei_url, config)


def rec(vol: Volume, doc_id: str, n: str, title: str, date: str | None = "1961-05-04T00:00:00") -> DocRecord:
    return DocRecord(volume=vol.id, id=doc_id, n=n, title=title, date_min=date)


PLAIN = ["245. Telegram From Secretary of State Rusk to the Department of State",
         "Memorandum of Conversation, Paris, May 4, 1961, 3–4:30 p.m.",
         "Letter From President de Gaulle’s Adviser (Alphand) to Kennedy's Aide",
         "Why Not? Rome — Notes", "Éditorial Note", "Соглашение 1961", "Note\twith  odd   spacing", "Tab\u00a0and\u2028separator"]  # spaces: document_title folds them
AWKWARD = ["Memorandum From Smith & Jones to the <Secretary>", 'Telegram "Eyes Only" {100%} $5 #3 ~a^b_c \\',
           "\ue0e2 stand-in \ue0e0 in a title"]


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
@pytest.mark.parametrize("volume_file", ["frus1961-63v13.yml", "edited-volume.yml"])
def test_filled_extras_equal_the_full_ones(config_name: str, volume_file: str) -> None:
    config, vol = CONFIGS[config_name], load_volume(FIXTURES / volume_file)
    made = Pattern(vol, url_of(config, vol.id), config, rec(vol, "d1", "1", PLAIN[0]))
    for i, title in enumerate(PLAIN, 2):
        doc = rec(vol, f"d{i}", str(i), f"{i}. {title}")
        assert made.fill(doc) is not None, title  # plain values take the pattern
        assert made(doc) == full(vol, doc, config)
    assert made.checked is True


@pytest.mark.parametrize("title", AWKWARD)
def test_values_a_format_would_reshape_take_the_full_path(title: str) -> None:
    config, vol = CONFIGS["site"], load_volume(FIXTURES / "edited-volume.yml")
    made = Pattern(vol, url_of(config, vol.id), config, rec(vol, "d1", "1", PLAIN[0]))
    doc = rec(vol, "d7", "7", title)
    assert made.fill(doc) is None
    assert made(doc) == full(vol, doc, config)
    odd = rec(vol, "d7-a", "7", PLAIN[1])  # an id outside [A-Za-z0-9] also goes the long way
    assert made.fill(odd) is None and made(odd) == full(vol, odd, config)


def test_documents_without_number_or_date_have_their_own_pattern() -> None:
    config, vol = CONFIGS["site"], load_volume(FIXTURES / "frus1961-63v13.yml")
    bare = rec(vol, "d9", "", "Editorial Note", None)
    made = Pattern(vol, url_of(config, vol.id), config, bare)
    for doc in (bare, rec(vol, "d10", "", "Another Note", "")):
        assert made.fill(doc) is not None
        assert made(doc) == full(vol, doc, config)


def test_a_pattern_that_disagrees_with_the_full_path_steps_aside() -> None:
    config, vol = CONFIGS["site"], load_volume(FIXTURES / "frus1961-63v13.yml")
    made = Pattern(vol, url_of(config, vol.id), config, rec(vol, "d1", "1", PLAIN[0]))
    made.made.items = [(k, "wrong", False) if k == "canonical_url" else (k, v, cut) for k, v, cut in made.made.items]
    first, second = rec(vol, "d2", "2", PLAIN[1]), rec(vol, "d3", "3", PLAIN[2])
    assert made(first) == full(vol, first, config)
    assert made.checked is False
    assert made(second) == full(vol, second, config)


@settings(max_examples=60, deadline=None)
@given(title=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40),
       n=st.sampled_from(["", "1", "245", "12a"]), doc=st.sampled_from(["d3", "d53a", "d1000"]))
def test_any_title_gives_the_full_paths_extras(title: str, n: str, doc: str) -> None:
    config, vol = CONFIGS["prefix"], load_volume(FIXTURES / "edited-volume.yml")
    sample = rec(vol, "d1", n, "Sample")
    made = Pattern(vol, url_of(config, vol.id), config, sample)
    made.checked = True  # trust it: every answer below is compared with the full path here instead
    record = rec(vol, doc, n, title)
    filled = made.fill(record)
    if filled is not None:
        assert filled == full(vol, record, config)


@pytest.mark.parametrize("config_name", sorted(CONFIGS))
def test_a_volumes_references_from_patterns_equal_those_made_in_full(config_name: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.urls import cite, refpattern, volumerefs

    config, vol = CONFIGS[config_name], load_volume(FIXTURES / "edited-volume.yml")
    titles = PLAIN + AWKWARD
    records = [rec(vol, f"d{i}", "" if i % 7 == 0 else str(i), f"{i}. {titles[i % len(titles)]}") for i in range(40)]
    base = url_of(config, vol.id)("")[0]
    made = volumerefs._volume_references(vol, records, base, config, {})
    monkeypatch.setattr(refpattern, "FULL_FIRST", len(records))  # every reference made in full
    assert volumerefs._volume_references(vol, records, base, config, {}) == made
    calls: list[str] = []
    real = cite.csl_item
    monkeypatch.setattr(refpattern, "FULL_FIRST", 8)
    monkeypatch.setattr(cite, "csl_item", lambda volume, r, *a: calls.append(r.id) or real(volume, r, *a))
    assert volumerefs._volume_references(vol, records, base, config, {}) == made
    awkward = sum(titles[i % len(titles)] in AWKWARD for i in range(len(records)))
    # Past the first few, only the awkward ones, two stand-ins and two checks were made in full.
    assert len(calls) <= 8 + awkward + 4 < len(records)
