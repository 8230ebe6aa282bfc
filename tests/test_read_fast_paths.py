"""The read stage's shortcuts give what the plain way gives: copied TEI headers, split lines,
wrapping in one text node, names of tags, cross-references and citations skipped by hint words,
names found among the words of a text."""

from __future__ import annotations

import pytest
from lxml import etree

from despatch.apparatus import placing, wrap
from despatch.apparatus.citations import IBID, PUBLICATION, REPOSITORY, find_citations
from despatch.apparatus.enrich import enrich_xrefs
from despatch.apparatus.persons import _WORD, Matcher, person_forms, split_words
from despatch.apparatus.xrefs import _COMBINED, has_hint
from despatch.sources.base import Converted
from despatch.sources.text import convert_text
from despatch.sources.text.source import Source
from despatch.tei import document
from despatch.tei.xmlio import TEI_NS, serialize, t
from despatch.volume import Volume

FULL = Volume(id="frus1961-63v16", title="Foreign Relations, 1961–1963, Volume XVI", series="Foreign Relations",
              volume="XVI", editors=["James E. Miller"], general_editor="Glenn W. LaFantasie",
              publisher="GPO", pub_place="Washington", year="1994")
DOC = ("12. Telegram From the Embassy in Paris to the Department of State0\n\nParis, May 4, 1962.\n\n"
       "We met the Minister.1\n\n  1. Source: Department of State, Central Files, 751.00/5–462. Secret.\n"
       "  2. See Document 4 and footnote 2 thereto.\n")


def _div() -> etree._Element:
    return convert_text(DOC, "d12.txt", "frus1961-63v16").div


def _built_plainly(div: etree._Element, volume: Volume, source: str) -> bytes:
    """build_tei as it was before headers were copied: every header built from scratch."""
    document._TEMPLATES.clear()
    root = etree.Element(t("TEI"), nsmap={None: TEI_NS, "frus": "http://history.state.gov/frus/ns/1.0"})
    title = document.head_text(div) or volume.title
    header = document._header(root, title, volume, source)
    root.text, header.tail = "\n  ", "\n  "
    text = document._el(root, "text")
    body = document._el(text, "body")
    body.append(div)
    text.text, body.text, div.tail, body.tail, text.tail = "\n    ", "\n", "\n    ", "\n  ", "\n"
    etree.cleanup_namespaces(root, top_nsmap=document.NSMAP, keep_ns_prefixes=["frus"])
    return serialize(root)


@pytest.mark.parametrize("volume", [FULL, Volume(id="v1", title="Volume One")])
@pytest.mark.parametrize("source", ["content/v/d12.txt", "content/v/a file & <odd> name.txt"])
def test_copied_header_is_the_header_built_from_scratch(volume: Volume, source: str) -> None:
    plain = _built_plainly(_div(), volume, source)
    document._TEMPLATES.clear()
    first = serialize(document.build_tei(Converted(div=_div(), path="x"), volume, source))
    again = serialize(document.build_tei(Converted(div=_div(), path="x"), volume, source))  # from the template
    assert first == plain
    assert again == plain


def test_header_of_another_title_and_source_from_the_same_template() -> None:
    document._TEMPLATES.clear()
    document.build_tei(Converted(div=_div(), path="x"), FULL, "content/v/other.txt")
    div = _div()
    div.find(t("head")).text = "Memorandum From Rusk to Kennedy"
    copied = serialize(document.build_tei(Converted(div=div, path="x"), FULL, "content/v/d12.txt"))
    div = _div()
    div.find(t("head")).text = "Memorandum From Rusk to Kennedy"
    assert copied == _built_plainly(div, FULL, "content/v/d12.txt")


def test_empty_title_or_source_is_built_from_scratch() -> None:
    div = _div()
    head = div.find(t("head"))
    for child in list(head):
        head.remove(child)
    head.text = ""
    plain = _built_plainly(div, Volume(id="v", title=""), "")
    div = _div()
    head = div.find(t("head"))
    for child in list(head):
        head.remove(child)
    head.text = ""
    assert serialize(document.build_tei(Converted(div=div, path="x"), Volume(id="v", title=""), "")) == plain


@pytest.mark.parametrize("text", ["", "\n", "a", "a\n", "a\n\nb", "\n\na\n  b  \n", "x\u2028y\nz"])
def test_source_lines_and_offsets(text: str) -> None:
    src = Source("x.txt", text)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    assert src.starts == starts
    for i, start in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
        assert src.line(i) == text[start:end]
        assert src.span(i) == (start, end)
        assert src.content(i) == (start, start + len(text[start:end].rstrip(" \t")))


def test_local_names() -> None:
    assert wrap.local(etree.Element(t("persName"))) == "persName"
    assert wrap.local(etree.Element("plain")) == "plain"
    assert wrap.local(etree.Element("{http://example.org/ns}persName")) == ""
    assert wrap.local(etree.Comment("c")) == ""


def _note(xml: str) -> etree._Element:
    return etree.fromstring(f'<note xmlns="{TEI_NS}">{xml}</note>')


@pytest.mark.parametrize(("xml", "start", "end", "want"), [
    ("abcdef", 1, 3, "a<seg>bc</seg>def"),
    ("abcdef", 0, 6, "<seg>abcdef</seg>"),
    ("ab<pb/>cdef", 2, 4, "ab<pb/><seg>cd</seg>ef"),
    ("ab<pb/>cdef", 0, 2, "<seg>ab</seg><pb/>cdef"),
    ("ab<hi>cd</hi>ef", 4, 6, "ab<hi>cd</hi><seg>ef</seg>"),
    ("ab<hi>cd</hi>ef", 1, 5, "a<seg>b<hi>cd</hi>e</seg>f"),
    ("ab<hi>cd</hi>ef", 3, 5, None),
    ("ab<hi>cdx</hi>ef", 2, 4, "ab<hi><seg>cd</seg>x</hi>ef"),
])
def test_place_in_one_text_node_or_across_children(xml: str, start: int, end: int, want: str | None) -> None:
    note = _note(xml)
    placed = placing.place(note, start, end, wrap.element("seg", ""), frozenset())
    inner = etree.tostring(note, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0]
    if want is None:
        assert placed is None
        assert inner == xml
    else:
        assert placed is not None
        assert inner.replace(f' xmlns="{TEI_NS}"', "") == want


def test_unplaced_elements_do_not_pile_up() -> None:
    for _ in range(300):
        wrap.element("seg", "")
    assert len(wrap._holder()) <= 65


@pytest.mark.parametrize("text", [
    "See Document 4.", "pages 348–349", "footnote 2 above", "Part 1, Document 40",
    "Foreign Relations, 1961–1963, volume VIII, Document 49", "no reference here", "Documentation",
])
def test_hint_words_cover_every_rule(text: str) -> None:
    if _COMBINED.search(text):
        assert has_hint(text)


def test_document_without_hint_words_is_left_alone() -> None:
    div = _note("The Minister <hi>agreed</hi> at once.")
    before = etree.tostring(div)
    enrich_xrefs(div, "d1")
    assert etree.tostring(div) == before


@pytest.mark.parametrize("text", [
    "Source: Department of State, Central Files, 751.00/5–462. Secret.",
    "Eisenhower Library, Whitman File, International File. Ibid., Central Files, 611.61/1–259.",
    "Department of State Bulletin, May 4, 1962, p. 3. Ibid., p. 866.",
    "Printed in Public Papers of the Presidents. National Archives, RG 59, Box 12.",
    "Nothing cited here at all.",
])
def test_citation_anchor_words(text: str) -> None:
    # Each anchor pattern needs one of the words find_citations looks for before searching.
    if REPOSITORY.search(text):
        assert any(w in text for w in ("Department", "Central", "National", "Library"))
    if IBID.search(text):
        assert "bid." in text
    if PUBLICATION.search(text):
        assert any(w in text for w in ("Bulletin", "Foreign", "Public"))
    assert all(f.end >= f.start for f in find_citations(text))


@pytest.mark.parametrize("text", [
    "", "Rusk", " Rusk, Dean-Acheson--x -y z- ", "de Gaulle’s deGaulle_2 Bielka-Karltreu-Marx.",
    "Ünal Çelik 12-13 a-b-c -- ––", "\n\tKennedy\u00a0Khrushchev\n",
])
def test_words_are_the_words_finditer_gives(text: str) -> None:
    parts, offsets = split_words(text)
    found = list(_WORD.finditer(text))
    assert parts[1::2] == [m.group() for m in found]
    assert [offsets[k - 1] for k in range(1, len(parts), 2)] == [m.start() for m in found]
    assert "".join(parts) == text


def _find_word_by_word(matcher: Matcher, text: str) -> list[tuple[int, int, str]]:
    """Matcher.find as a plain loop over every word."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for word in _WORD.finditer(text):
        if word.start() < pos or word.group() not in matcher.by_first:
            continue
        for pattern in matcher.by_first[word.group()]:
            m = pattern.match(text, word.start())
            if m:
                out.append((m.start(), m.end(), matcher.forms[" ".join(m.group().split())]))
                pos = m.end()
                break
    return out


def test_matcher_finds_what_a_word_by_word_loop_finds() -> None:
    matcher = Matcher(person_forms({"p1": {"name": "Rusk, Dean"}, "p2": {"name": "de Gaulle, Charles"},
                                    "p3": {"name": "Bielka-Karltreu, Erich"}, "p4": {"name": "Kennedy, John F."},
                                    "p5": {"name": "Kennedy, Robert"}}))
    texts = ["Dean Rusk met de Gaulle and De Gaulle; deGaulle, Charles de Gaulle-x, Rusk-Bielka.",
             "Bielka-Karltreu and Bielka-Karltreu-x; Kennedy, John F. Kennedy, Robert Kennedy.",
             "Dean\n  Rusk wrote to Charles\nde Gaulle. Rusk’s Rusk2 Rusk_ xRusk", ""]
    for text in texts:
        assert matcher.find(text) == _find_word_by_word(matcher, text)
    assert matcher.find(texts[0])
