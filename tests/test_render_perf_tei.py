"""A document's TEI file joined from its volume's shell and its cached div: the bytes build_tei serialises."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from despatch.model import DocRecord
from despatch.site import doctei
from despatch.sources.base import Converted
from despatch.sources.tei_reader import read_tei
from despatch.tei import assemble
from despatch.tei.assemble import assembled_tei
from despatch.tei.document import build_tei, head_text, volume_key
from despatch.tei.xmlio import parse_own, serialize
from despatch.volume import Volume

D176 = Path(__file__).parent / "corpus" / "tei" / "frus1961-63v16_d176.xml"
FULL = Volume(id="frus1961-63v16", title="Foreign Relations, 1961–1963, Volume XVI & <Cyprus>",
              series="Foreign Relations of the United States", volume="XVI", editors=["James E. Miller", "A & B"],
              general_editor="Glenn W. LaFantasie", publisher="GPO", pub_place="Washington", year="1994")
BARE = Volume(id="v", title="Bare")
DIV = ('<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="d1" '
       'n="1" type="document" frus:doc-dateTime-min="1961-01-02T00:00:00Z"><head>{title}<note n="0" '
       'type="source">Source: x &amp; y</note></head>\n<p rend="x">Text &lt;b&gt; &#13; \u00e9</p></div>')


def _div(title: str = "1. Telegram From Rusk") -> bytes:
    return etree.tostring(parse_own(DIV.format(title=title).encode(), "x"), encoding="UTF-8")


def _built(data: bytes, volume: Volume, source: str) -> bytes:
    return serialize(build_tei(Converted(div=parse_own(data, source), path=source), volume, source))


@pytest.fixture(autouse=True)
def _fresh_shells() -> None:
    assemble._SHELLS.clear()


@pytest.mark.parametrize("volume", [FULL, BARE, Volume(id="w", title="W", publisher="P")])
@pytest.mark.parametrize("title, source", [
    ("1. Telegram From Rusk", "content/v/d1.txt"),
    ("1. Memo: A & B <draft> “quoted” — é", "content/my volume/d 1 & 2.xml"),
    ("Ünïcode ﬁ", "content/v/dé.md"),
])
def test_assembled_file_is_build_teis(volume: Volume, title: str, source: str) -> None:
    data = _div(title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    assert head_text(parse_own(data, "x")) == title
    for _ in range(2):  # the first is compared inside with build_tei's, the second joined alone
        assert assembled_tei(data, volume, source, title) == _built(data, volume, source)
    assert assemble._SHELLS[volume_key(volume)].checked


def test_a_corpus_document_is_assembled_as_built() -> None:
    div = read_tei(D176.read_bytes(), str(D176), FULL.id).div
    data = etree.tostring(div, encoding="UTF-8")
    title = head_text(div)
    assert assembled_tei(data, FULL, "content/v/d176.xml", title) == _built(data, FULL, "content/v/d176.xml")


@pytest.mark.parametrize("data, title, source", [
    (_div(), "", "content/v/d1.txt"),                                     # no title: the volume's is used
    (_div(), "1. Telegram From Rusk", ""),                                # no source name
    (_div(), "1. Telegram\x0b From Rusk", "content/v/d1.txt"),            # lxml would refuse it
    (_div(), "1. Telegram From Rusk", "content/v/d1\r.txt"),              # lxml writes &#13;
    (_div().replace(b' xmlns:frus="http://history.state.gov/frus/ns/1.0"', b"")  # no frus name: no declaration
     .replace(b' frus:doc-dateTime-min="1961-01-02T00:00:00Z"', b""), "1. Telegram From Rusk", "s"),
    (_div().replace(b"<p ", b'<p xmlns:x="urn:x" '), "1. Telegram From Rusk", "s"),  # another declaration
])
def test_what_is_not_plain_takes_build_teis_path(data: bytes, title: str, source: str) -> None:
    assert assembled_tei(data, BARE, source, title) is None


def test_a_title_that_is_not_the_heads_leaves_the_shell_unchecked() -> None:
    assert assembled_tei(_div(), BARE, "s", "Another title") is None
    assert not assemble._SHELLS[volume_key(BARE)].checked
    assert assembled_tei(_div(), BARE, "s", "1. Telegram From Rusk") == _built(_div(), BARE, "s")


def test_a_shell_that_differs_from_build_tei_is_set_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    shell = assemble._shell(BARE)
    assert shell is not None
    monkeypatch.setattr(shell, "tail", shell.tail + b" ")
    assert assembled_tei(_div(), BARE, "s", "1. Telegram From Rusk") is None
    assert assemble._SHELLS[volume_key(BARE)] is None
    assert assembled_tei(_div(), BARE, "s", "1. Telegram From Rusk") is None


def _record(**fields: str) -> DocRecord:
    return DocRecord(volume="v", id="d1", n="1", title="1. Telegram From Rusk", source="content/v/d1.txt", **fields)


@pytest.mark.parametrize("fields", [{}, {"date_min": "1961-01-01T00:00:00Z", "date_max": "1961-01-03T00:00:00Z",
                                         "date_basis": "neighbours d0 d2"}])
def test_the_render_writes_build_teis_file(fields: dict[str, str]) -> None:
    data = _div().replace(b' frus:doc-dateTime-min="1961-01-02T00:00:00Z"', b"")
    rec = _record(**fields)
    div, out, diags = doctei.document_tei(data, rec, BARE)
    old = parse_own(data, rec.source)
    assert doctei._bound(rec, old) == bool(fields)
    assert out == serialize(build_tei(Converted(old, rec.source), BARE, rec.source))
    # The div rendered is the file's (parsed on its own: the file's header is joined, not parsed).
    assert diags == [] and etree.tostring(div) == etree.tostring(parse_own(out, "x")[-1][0][0], with_tail=False)
    if fields:
        assert b"bounded by the dates of the neighbouring documents d0 and d2" in out


def test_an_invalid_document_reports_the_lines_of_its_cached_div() -> None:
    data = _div().replace(b"<p rend", b"<frus:bogus/>\n<p rend")
    rec = _record()
    _, out, diags = doctei.document_tei(data, rec, BARE)
    tree = build_tei(Converted(parse_own(data, rec.source), rec.source), BARE, rec.source)
    assert out == serialize(tree)
    assert diags and [str(d) for d in diags] == [str(d) for d in doctei.validate_tei(tree, rec.source)]
    assert diags[0].line == 2
