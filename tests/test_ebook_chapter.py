"""EPUB chapters written as text: the bytes lxml wrote for the same chapter as a tree, and well-formed XHTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from despatch.ebook.chapter import chapter
from despatch.ebook.epub import resolver
from despatch.ebook.opf import attr, text
from despatch.ebook.source import document_div
from despatch.tei.xmlio import TEI_NS, safe_parser
from hypothesis_profiles import profile
from test_ebook import volume_docs

# tricky.xml holds every element the converter knows, in and out of phrasing content, ids a page break
# would take, notes in notes, lists with heads and page breaks around their items, a table in a table,
# and text with every character lxml escapes; the .xhtml files are what the lxml tree converter made of it,
# but for the table in a table, which the converter wrote twice more (its rows as the outer table's, its
# cells as the outer row's) and is now written once, inside its cell.
GOLDEN = Path(__file__).parent / "golden" / "ebook" / "chapters"
ANCHORS = {"d7": "d7.xhtml", "d7p1": "d7.xhtml", "d8": "d8.xhtml", "d8fn2": "d8.xhtml"}
TITLES = {"tricky": 'A & <b> "c" \r\n\t]]> é', "untitled": ""}
PAGES = [("pg_12", "12"), ("pg_x&<y", "x&<y"), ("pg_13", "13"), ("pg_14", "14"), ("pg_16", "16"), ("pg_17", "17")]


def tricky(title: str) -> bytes:
    div = document_div((GOLDEN / "tricky.xml").read_bytes(), "tricky.xml")
    made = chapter(div, title, resolver("frus1961-63v1", ANCHORS, "d7.xhtml", "https://history.state.gov/x"))
    assert made.pages == PAGES
    return made.html


def reserialised(html: bytes) -> bytes:
    """The chapter parsed and written again by lxml, as the tree converter wrote its chapters."""
    tree = etree.ElementTree(etree.fromstring(html, safe_parser()))
    return etree.tostring(tree, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"


@pytest.mark.parametrize("name", sorted(TITLES))
def test_a_chapter_is_the_bytes_the_tree_converter_wrote(name: str) -> None:
    assert tricky(TITLES[name]) == (GOLDEN / f"{name}.xhtml").read_bytes()


def test_a_table_in_a_table_is_written_once_inside_its_cell() -> None:
    html = tricky("t").decode("utf-8")
    assert html.count("inner") == 1
    assert "<td>Nested <table><tbody><tr><td>inner</td></tr></tbody></table></td></tr></tbody></table>" in html


def test_the_corpus_chapters_are_as_lxml_writes_them() -> None:
    docs = volume_docs()
    anchors = {rec.id: f"{rec.id}.xhtml" for rec, _ in docs}
    for rec, data in docs:
        html = chapter(document_div(data, rec.source), rec.title, resolver("v", anchors, f"{rec.id}.xhtml")).html
        assert reserialised(html) == html, rec.id
    assert len(docs) > 5


# Text and attribute values with everything XML escapes, whitespace lxml writes as references, and
# characters beyond ASCII and the Basic Multilingual Plane.
PIECES = st.sampled_from(list("ab &<>\"'\r\n\t]é") + ["]]>", "漢", "\U0001F600", "&amp;"])
WORDS = st.lists(PIECES, max_size=6).map("".join)
NAMES = ["p", "hi", "note", "list", "item", "label", "head", "pb", "quote", "table", "row", "cell", "ref", "lb",
         "persName", "closer", "div", "lg", "l", "graphic"]


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> etree._Element:
    """A TEI element with random text, attributes and children (built as a tree, so well-formed)."""
    el = etree.Element(f"{{{TEI_NS}}}{draw(st.sampled_from(NAMES))}")
    for name in ("n", "rend", "target", "cols", "role"):
        if draw(st.booleans()):
            el.set(name, draw(st.sampled_from(["1", "2", "label", "italic", "#d1", "#x"]) | WORDS))
    el.text = draw(WORDS)
    if depth < 3:
        for _ in range(draw(st.integers(0, 3))):
            child = draw(elements(depth + 1))
            child.tail = draw(WORDS)
            el.append(child)
    return el


@profile()
@given(st.lists(elements(), max_size=4), WORDS)
def test_any_chapter_is_well_formed_and_as_lxml_writes_it(body: list[etree._Element], title: str) -> None:
    div = etree.Element(f"{{{TEI_NS}}}div", type="document", n="1")
    div.extend(body)
    # A title not empty: an empty one is written <title></title>, as lxml wrote a text set to "" (golden above).
    html = chapter(div, "T" + title, resolver("v", {"d1": "d1.xhtml"}, "d2.xhtml", "https://example.org")).html
    assert reserialised(html) == html


@pytest.mark.parametrize("value", ["plain", "", "a&b<c>d\"e'f", "]]>", "tab\there", "cr\rlf\nend", "&amp;"])
def test_escaping_skips_nothing(value: str) -> None:
    el = etree.Element("e", a=value)
    el.text = value
    assert etree.tostring(el, encoding="unicode") == f'<e a="{attr(value)}">{text(value)}</e>'
