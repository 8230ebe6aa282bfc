"""read_tei: a FRUS TEI document file as a source, kept as it is, with positioned errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from despatch.errors import SourceError
from despatch.sources.tei_reader import read_tei
from despatch.tei.xmlio import NS, XML_ID, parse_bytes

CORPUS_TEI = sorted((Path(__file__).parent / "corpus" / "tei").glob("*.xml"))
TEI = 'xmlns="http://www.tei-c.org/ns/1.0"'


def canonical(node: etree._Element) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=True)


@pytest.mark.parametrize("path", CORPUS_TEI, ids=[p.stem for p in CORPUS_TEI])
def test_corpus_documents_are_kept_unchanged(path: Path) -> None:
    data = path.read_bytes()
    conv = read_tei(data, str(path), "frus1961-63v16")
    original = parse_bytes(data, str(path)).getroot()
    assert canonical(conv.div) == canonical(original)
    ids = [e.get(XML_ID) for e in original.iter() if e.get(XML_ID)]
    assert sorted(conv.lines) == sorted(ids)  # every id, with the line it is on
    assert conv.meta["id"] == original.get(XML_ID) and conv.meta["n"] == original.get("n")
    assert conv.meta["volume"] == "frus1961-63v16"


def test_a_full_tei_file_holding_one_document() -> None:
    body = CORPUS_TEI[0].read_text(encoding="utf-8")
    body = body.replace(' xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0"', "", 1)
    data = (f'<TEI {TEI} xmlns:frus="http://history.state.gov/frus/ns/1.0"><teiHeader><fileDesc><titleStmt>'
            f'<title>T</title></titleStmt></fileDesc></teiHeader>\n<text><body>\n{body}</body></text></TEI>')
    conv = read_tei(data.encode(), "full.xml")
    alone = read_tei(CORPUS_TEI[0].read_bytes(), "alone.xml")
    assert canonical(conv.div) == canonical(alone.div)
    first = conv.div.get(XML_ID)
    assert conv.lines[first] == alone.lines[first] + 2  # lines are the file's own


def test_meta_of_a_dated_document() -> None:
    conv = read_tei((CORPUS_TEI[0].parent / "frus1961-63v16_d176.xml").read_bytes(), "d176.xml")
    assert conv.meta["title"] == "176. Telegram From the Embassy in the Soviet Union to the Department of State"
    assert conv.meta["doc-dateTime-min"] == "1962-07-06T16:00:00-05:00"
    assert "volume" not in conv.meta
    notes = conv.div.xpath(".//tei:note/@xml:id", namespaces=NS)
    assert notes == ["d176fn0", "d176fn1"]


@pytest.mark.parametrize("data, line, col, words", [
    (f'<TEI {TEI}>\n <text><body/></text></TEI>', 1, 1, "exactly one document"),
    (f'<TEI {TEI}><text><body>\n <div type="document" xml:id="d1"/>\n  <div type="document" xml:id="d2"/>'
     '</body></text></TEI>', 3, 3, "exactly one document"),
    ('<div type="document" xml:id="d1"/>', 1, 1, "not a FRUS TEI document"),
    (f'\n  <div {TEI} type="chapter" xml:id="ch1"/>', 2, 3, "the div is not a document"),
    (f'<div {TEI}\n     type="document" n="1"/>', 1, 1, "has no xml:id"),
    (f'<div {TEI} type="document" xml:id="d1">\n<p>unclosed</div>', 2, 18, "not well-formed XML"),
])
def test_errors_are_positioned(data: str, line: int, col: int, words: str) -> None:
    with pytest.raises(SourceError) as err:
        read_tei(data.encode(), "content/v/d1.xml")
    [diag] = err.value.diagnostics
    assert words in diag.message
    assert (diag.path, diag.line, diag.col) == ("content/v/d1.xml", line, col), str(diag)
    assert diag.found and diag.expected and diag.source_line is not None
