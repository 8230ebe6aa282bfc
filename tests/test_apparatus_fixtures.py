"""Rule-by-rule fixtures of the apparatus parsers and of enrichment: tests/fixtures/apparatus/*.txt.

A fixture file holds cases: a title line, a line '.', the input, a line '.', the expected output,
a line '.'. What the output is depends on the file (see each test); every case keeps its line
number, so a failure names ``file:line``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from despatch.apparatus.citations import find_citations
from despatch.apparatus.context import ApparatusContext
from despatch.apparatus.enrich import enrich
from despatch.apparatus.sourcenote import find_marks
from despatch.apparatus.xrefs import XrefState, find_xrefs
from despatch.tei.xmlio import TEI_NS, safe_parser
from fixture_cases import Case, read_cases

FIXTURES = Path(__file__).parent / "fixtures" / "apparatus"
NS_DECL = re.compile(r' xmlns(?::\w+)?="[^"]*"')

PERSONS = {
    "p_RD1": {"name": "Rusk, Dean", "description": "Secretary of State"},
    "p_DEGC1": {"name": "de Gaulle, Charles", "description": "President of France"},
    "p_KFD1": {"name": "Kohler, Foy D.", "description": "Assistant Secretary of State for European Affairs"},
    "p_KJF1": {"name": "Kennedy, John F.", "description": "President of the United States"},
    "p_KRF1": {"name": "Kennedy, Robert F.", "description": "Attorney General"},
}
TERMS = {"t_NATO1": {"term": "NATO", "description": "North Atlantic Treaty Organization"},
         "t_WE1": {"term": "WE", "description": "Office of Western European Affairs"}}


def cases(name: str) -> list:
    return [pytest.param(c, id=f"{c.file}:{c.line}") for c in read_cases(FIXTURES / name)]


def show_citations(text: str) -> str:
    """One line per citation: its parts as kind=text."""
    out = []
    for found in find_citations(text):
        out.append(" | ".join(f"{p.kind}={' '.join(text[p.start:p.end].split())}" for p in found.parts))
    return "\n".join(out)


@pytest.mark.parametrize("case", cases("citations.txt"))
def test_citation_parser(case: Case) -> None:
    assert show_citations(case.input) == case.expected, f"{case.file}:{case.line}: {case.title}"


@pytest.mark.parametrize("case", cases("sourcenote.txt"))
def test_source_note_parser(case: Case) -> None:
    text = case.input
    taken = [(c.start, c.end) for c in find_citations(text)]
    got = "\n".join(f"{m.kind}: {text[m.start:m.end]}" for m in find_marks(text, taken))
    assert got == case.expected, f"{case.file}:{case.line}: {case.title}"


@pytest.mark.parametrize("case", cases("xrefs.txt"))
def test_xref_parser(case: Case) -> None:
    text = case.input
    got = "\n".join(f"{text[s:e]} → {target}" for s, e, target in find_xrefs(text, XrefState("d245")))
    assert got == case.expected, f"{case.file}:{case.line}: {case.title}"


def enriched(xml: str) -> tuple[str, str, str]:
    """(text before, text after, the enriched div without namespace declarations)."""
    source = xml.replace("<div ", f'<div xmlns="{TEI_NS}" ', 1)
    div = etree.fromstring(source.encode("utf-8"), safe_parser())
    before = "".join(div.itertext())
    enrich(div, ApparatusContext("frus1961-63v13", PERSONS, TERMS))
    return before, "".join(div.itertext()), NS_DECL.sub("", etree.tostring(div, encoding="unicode"))


@pytest.mark.parametrize("case", cases("enrich.txt"))
def test_enrich(case: Case) -> None:
    before, after, got = enriched(case.input)
    assert after == before, f"{case.file}:{case.line}: enrichment changed the text"
    assert got == case.expected, f"{case.file}:{case.line}: {case.title}"


@pytest.mark.parametrize("case", cases("enrich.txt"))
def test_enrich_twice_changes_nothing(case: Case) -> None:
    _, _, once = enriched(case.input)
    _, _, twice = enriched(once)
    assert twice == once, f"{case.file}:{case.line}: enrichment is not idempotent"
