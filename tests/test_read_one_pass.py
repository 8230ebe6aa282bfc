"""The read stage's one-pass ways give what the step-by-step ways give: a plain note's citations
wrapped at once, the lines of links read from the elements with an id and the links alone, the title
without a path, the repository names searched in two parts, a citation's end searched for once, the
fields hash without a copy, and the other shortcuts of the read stage."""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT
from lxml import etree

from despatch.apparatus import archives, citations, placing, sourcenote, wrap, xrefs
from despatch.apparatus.bibls import (
    CITATION_SKIP,
    encode_citation,
    enrich_citations,
    is_source_note,
)
from despatch.apparatus.context import load_context
from despatch.apparatus.enrich import enrich
from despatch.apparatus.record import extract_record, link_lines
from despatch.errors import SourceError
from despatch.model import Citation, DocRecord, fields_hash
from despatch.render.html import plain_title
from despatch.site.readers import READERS, read_data, reader_for
from despatch.sources.base import Converted
from despatch.sources.tei_reader import read_tei
from despatch.sources.text import convert_bytes, refs
from despatch.sources.text.blocks import _ends_with_colon
from despatch.sources.text.markers import Marker, find_markers
from despatch.sources.text.source import Source
from despatch.tei.xmlio import TEI_NS, XML_ID, t

TEXTS = sorted((CORPUS / "text").glob("*.txt")) + sorted((ROOT / "content").glob("*/*.txt"))
TEIS = sorted((CORPUS / "tei").glob("*.xml"))


def _converted(path: Path) -> Converted:
    if path.suffix == ".xml":
        return read_tei(path.read_bytes(), str(path), path.name.split("_")[0])
    return convert_bytes(path.read_bytes(), str(path), path.parent.name if path.parent.parent.name == "content" else None)


def _enrich_citations_by_place(div: etree._Element, doc_id: str) -> None:
    """enrich_citations as it was: every citation and mark placed one range at a time."""
    previous, count = "", 0
    for note in div.iter(t("note")):
        if next(note.iter(t("bibl")), None) is not None:
            continue
        note_id = note.get(XML_ID) or doc_id or "note"
        text = wrap.content_text(note)
        taken = []
        for found in citations.find_citations(text):
            if found.parts[0].kind == "publication":
                previous = ""
                continue
            if found.ibid and not previous:
                continue
            xml_id = f"{note_id}-bibl{count + 1}"
            if encode_citation(note, found, xml_id, previous if found.ibid else ""):
                count += 1
                previous = xml_id
                taken.append((found.start, found.end))
        if is_source_note(note):
            for mark in sourcenote.find_marks(text, taken):
                placing.place(note, mark.start, mark.end, wrap.element("seg", "", type=mark.kind), CITATION_SKIP)


NOTES = [
    ("Source: Department of State, Central Files, 751.00/5–462. Secret; Priority. Repeated to London. "
     "Drafted by Tyler and approved by Rusk."),
    "Eisenhower Library, Whitman File, International File. Ibid., Central Files, 611.61/1–259.",
    "Department of State Bulletin, May 4, 1962, p. 3. Ibid., p. 866. Ibid., Conference Files: Lot 65 D 533, CF 2095.",
    "Source: National Archives, RG 59, Box 12. Confidential. Also sent to Paris and repeated to Bonn.",
    "Ibid. Nothing before it.", "Nothing cited here at all.", "",
]


@pytest.mark.parametrize("path", TEXTS + TEIS, ids=lambda p: p.name)
def test_citations_in_one_pass_are_those_placed_one_by_one(path: Path) -> None:
    one, by_place = _converted(path).div, _converted(path).div
    enrich_citations(one, one.get(XML_ID) or "")
    _enrich_citations_by_place(by_place, by_place.get(XML_ID) or "")
    assert etree.tostring(one) == etree.tostring(by_place)


@pytest.mark.parametrize("note_type", ["source", None])
def test_plain_notes_in_one_pass(note_type: str | None) -> None:
    xml = "".join(f'<note n="{k}"{f" type={chr(34)}{note_type}{chr(34)}" if note_type else ""}>{text}</note>'
                  for k, text in enumerate(NOTES))
    one = etree.fromstring(f'<div xmlns="{TEI_NS}" xmlns:xml="http://www.w3.org/XML/1998/namespace" '
                           f'xml:id="d1"><p>{xml}</p></div>')
    by_place = etree.fromstring(etree.tostring(one))
    enrich_citations(one, "d1")
    _enrich_citations_by_place(by_place, "d1")
    assert etree.tostring(one) == etree.tostring(by_place)
    assert b"bibl" in etree.tostring(one) and (note_type is None or b'type="drafting"' in etree.tostring(one))


def _pieces(rng: random.Random, start: int, end: int, depth: int) -> list[placing.Piece]:
    """Sorted, disjoint, non-empty ranges inside start:end, some with ranges inside them."""
    cuts = sorted(rng.sample(range(start, end + 1), min(end - start + 1, 2 * rng.randint(0, 3))))
    out: list[placing.Piece] = []
    for s, e in zip(cuts[::2], cuts[1::2]):
        if s < e:
            inner = _pieces(rng, s, e, depth + 1) if depth < 2 and rng.random() < 0.5 else []
            attrs = (("type", f"t{s}"),) + ((("n", str(e)),) if rng.random() < 0.5 else ())
            out.append((s, e, t("seg" if depth else "bibl"), attrs, inner))
    return out


def _placed_one_by_one(text: str, pieces: list[placing.Piece]) -> etree._Element:
    root = etree.fromstring(f'<note xmlns="{TEI_NS}"/>')
    root.text = text or None
    for s, e, tag, attrs, inner in pieces:
        el = wrap.element(tag.rpartition("}")[2], "", **dict(attrs))
        assert placing.place(root, s, e, el, frozenset()) is el
        for si, ei, tagi, attrsi, inner2 in inner:
            sub = wrap.element(tagi.rpartition("}")[2], "", **dict(attrsi))
            assert placing.place(el, si - s, ei - s, sub, frozenset()) is sub
            for sj, ej, tagj, attrsj, _ in inner2:
                assert placing.place(sub, sj - si, ej - si, wrap.element(tagj.rpartition("}")[2], "", **dict(attrsj)),
                                     frozenset()) is not None
    return root


@pytest.mark.parametrize("seed", range(300))
def test_place_all_is_place_range_by_range(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice("ab c.,") for _ in range(rng.randint(0, 40)))
    pieces = _pieces(rng, 0, len(text), 0)
    root = etree.fromstring(f'<note xmlns="{TEI_NS}"/>')
    root.text = text or None
    placing.place_all(root, pieces)
    assert etree.tostring(root) == etree.tostring(_placed_one_by_one(text, pieces))


class _OldLineWalk:
    """link_lines as it was: a walk over the whole tree with a stack of note lines."""

    def __init__(self, lines: dict[str, int], use_sourceline: bool, body_line: int) -> None:
        self.lines, self.use_sourceline, self.body_line = lines, use_sourceline, body_line
        self.stack: list[int] = []
        self.out: dict[etree._Element, int] = {}

    def walk(self, el: etree._Element) -> None:
        own = self.lines.get(el.get(XML_ID) or "")
        pushed = False
        if own is not None:
            if len(el) == 0 and not (el.text or "").strip():
                if not self.stack:
                    self.body_line = own
            else:
                self.stack.append(own)
                pushed = True
        if el.tag in (t("ref"), t("persName"), t("gloss")):
            line = self.stack[-1] if self.stack else self.body_line
            if self.use_sourceline:
                line = next((a.sourceline for a in (el, *el.iterancestors()) if a.sourceline), line)
            self.out[el] = line
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child)
        if pushed:
            self.stack.pop()


def _old_link_lines(conv: Converted) -> dict[etree._Element, int]:
    walker = _OldLineWalk(conv.lines, conv.path.endswith(".xml"), conv.lines.get(conv.div.get(XML_ID) or "", 1))
    for child in conv.div:
        if isinstance(child.tag, str):
            walker.walk(child)
    return walker.out


@pytest.mark.parametrize("path", TEXTS + TEIS, ids=lambda p: p.name)
def test_link_lines_are_those_of_the_walk(path: Path) -> None:
    conv = _converted(path)
    volume = path.parent.name if path.parent.parent.name == "content" else "frus1961-63v16"
    enrich(conv.div, load_context(volume, path.parent))
    assert list(link_lines(conv).items()) == list(_old_link_lines(conv).items())


LINKED_DOC = f"""<div xmlns="{TEI_NS}" xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:id="d5">
<head>Title<note xml:id="d5fn0">See <ref target="#d1">Document 1</ref></note></head>
<p>Text <ref target="#d2">Document 2</ref><pb xml:id="pg_3" n="3"/> and <persName corresp="#p1">Rusk</persName>
<!-- a comment --><note xml:id="d5fn1">A note <pb xml:id="pg_4" n="4"/><gloss target="#t1">EEC</gloss></note>
<hi xml:id="x1"><ref target="#d3">Document 3</ref></hi><ref xml:id="r1" target="#d4"/><ref xml:id="r2">in</ref>
<pb xml:id="pg_5" n="5"/><gloss target="#t2">NATO</gloss><milestone unit="x"/><ref target="#d6">6</ref></p></div>"""


@pytest.mark.parametrize("lines", [
    {"d5": 1, "d5fn0": 9, "pg_3": 3, "d5fn1": 10, "pg_4": 4, "pg_5": 5},
    {"d5": 1, "x1": 7, "r1": 8, "r2": 11, "pg_5": 5},
    {"": 2, "d5fn1": 10, "pg_3": 3},
    {},
])
@pytest.mark.parametrize("path", ["d5.txt", "d5.xml"])
def test_link_lines_of_nested_ids_page_breaks_and_comments(lines: dict[str, int], path: str) -> None:
    conv = Converted(div=etree.fromstring(LINKED_DOC), path=path, lines=lines)
    found = link_lines(conv)
    assert len(found) == 9
    assert list(found.items()) == list(_old_link_lines(conv).items())


def _plain_title_by_path(div: etree._Element) -> str:
    """plain_title as first written: a path for the head, a QName for each child, a regex for the spaces.

    (It kept the text of a note inside another element of the head; every title now leaves such a
    note out, which test_tei_document checks. The heads compared here have their notes at the top.)"""
    head = div.find(f"{{{TEI_NS}}}head")
    if head is None:
        return div.get("n") or ""
    parts = [head.text or ""]
    for child in head:
        if etree.QName(child).localname != "note":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


@pytest.mark.parametrize("head", [
    "Telegram From <hi>Paris</hi>  to\nthe Department<note>1</note> of State ",
    "<persName>Rusk</persName> to <gloss>EEC</gloss><note n='0'>Source</note>", "", "\u00a0Odd\u2003spaces\u2028",
    "Two <x:note xmlns:x='urn:x'>skipped too</x:note> notes<note>n</note>",
])
def test_title_is_plain_title(head: str) -> None:
    div = etree.fromstring(f'<div xmlns="{TEI_NS}" n="7"><head>{head}</head><p>x</p></div>')
    assert plain_title(div) == _plain_title_by_path(div)
    div.remove(div[0])
    assert plain_title(div) == _plain_title_by_path(div) == "7"


def test_a_comment_in_a_title_gives_only_its_tail() -> None:
    div = etree.fromstring(f'<div xmlns="{TEI_NS}"><head>A <!-- c --> title<?pi x?> here</head></div>')
    with pytest.raises(ValueError):
        _plain_title_by_path(div)  # the old way stopped the build with a traceback
    assert plain_title(div) == "A title here"


@pytest.mark.parametrize("path", TEXTS + TEIS, ids=lambda p: p.name)
def test_corpus_titles(path: Path) -> None:
    div = _converted(path).div
    assert plain_title(div) == _plain_title_by_path(div)


def _notes() -> list[str]:
    out = list(NOTES) + ["National Security Council Library, Files, 1", "Harry S. Truman Presidential Library, X, Y",
                         "the Kennedy Library, Library of Congress, Central Intelligence Agency, z"]
    for path in TEXTS[:20] + TEIS[:20]:
        out += [wrap.content_text(n) for n in _converted(path).div.iter(t("note"))]
    return out


def test_repository_in_two_searches_is_the_one_search() -> None:
    checked = 0
    for text in _notes():
        for pos in range(len(text) + 1):
            one = citations.REPOSITORY.search(text, pos)
            two = citations._repository(text, pos, "Library" in text)
            assert (one and one.span()) == (two and two.span()), (text, pos)
            checked += one is not None
    assert checked > 100


def test_marks_searched_only_with_their_words_are_all_the_marks() -> None:
    for text in _notes():
        assert [(m.start, m.end) for m in sourcenote.find_drafting(text)] == \
               [m.span() for m in sourcenote.DRAFTING.finditer(text)]
        found = sourcenote.find_distribution(text)
        assert bool(found) == bool(sourcenote.DISTRIBUTION.search(text))


@pytest.mark.parametrize("text", ["a:", "a:12", "a: 12", "a:12 \n", "a:\u0663\u0664", "a:\u00b2", ":", "", " ",
                                  "12", "a:b", "x:\t\n ", "a\u3000:1\u2028"])
def test_colon_at_the_end(text: str) -> None:
    for start, end in ((0, len(text)), (1, len(text)), (0, max(len(text) - 1, 0))):
        want = re.search(r":\d*\Z", text[start:end].rstrip()) is not None
        assert _ends_with_colon(text, start, end) == want


def test_resolved_citations_read_each_bibl_once() -> None:
    div = etree.fromstring(f'<div xmlns="{TEI_NS}" xmlns:xml="http://www.w3.org/XML/1998/namespace">'
                           f'<note xml:id="n1">{NOTES[2]} {NOTES[1]}</note></div>')
    enrich_citations(div, "d1")
    bibls = [b for b in div.iter(t("bibl")) if b.get("type") == "archival"]
    by_id = {b.get(XML_ID): b for b in bibls}
    own = {b: archives.bibl_fields(b) for b in bibls}
    assert [archives.resolve(b, by_id, 0, own) for b in bibls] == [archives.resolve(b, by_id) for b in bibls]
    assert archives.citations(div)[-1].file == "611.61" and archives.citations(div)[-1].collection == "Central Files"


@pytest.mark.parametrize("name", ["d1.txt", "D1.TXT", "a.b.md", "x.xml", ".txt", "..txt", "a.", "noext", "dir.txt/d1",
                                  "v/d.Md", "v.txt/d"])
def test_reader_found_by_the_suffix_rule_of_paths(name: str) -> None:
    path = Path(name)
    for given in (path, str(path)):
        if path.suffix.lower() in READERS:
            assert reader_for(given).__name__ == READERS[path.suffix.lower()].partition(":")[2]
        else:
            with pytest.raises(SourceError) as caught:
                reader_for(given)
            assert caught.value.diagnostics[0].found == (path.suffix or "no suffix")


def test_source_read_by_the_path_s_text() -> None:
    data = (ROOT / "content" / "frus1961-63v13" / "d245.txt").read_bytes()
    by_text = read_data(data, "content/frus1961-63v13/d245.txt", "d245.txt", "frus1961-63v13")
    by_path = read_data(data, Path("content/frus1961-63v13/d245.txt"), "d245.txt", "frus1961-63v13")
    assert etree.tostring(by_text.div) == etree.tostring(by_path.div)


@pytest.mark.parametrize("text", [
    "Part II, Document 5, footnote 2", "Part 1,\nDocument 40", "Foreign Relations, 1961, vol. 8, pp. 3",
    "Foreign  Relations, 1958–1960, volume VII, Part 2, page 12", "footnote 3 thereto", "Footnote 1 below",
    "Documents 136 and 137", "pages 348–349", "Page 7", "Part 3 of the paper", "no reference",
])
def test_every_cross_reference_holds_a_hint_word(text: str) -> None:
    # has_hint leaves "Part" out: the rule that starts with it needs "Document" as well.
    for m in xrefs._COMBINED.finditer(text):
        assert xrefs.has_hint(m.group()), m.group()
    assert xrefs.has_hint(text) == any(w in text for w in ("ocument", "Page", "page", "ootnote", "Relations"))


def _read_components_searching_each_end(text: str, pos: int) -> tuple[list[citations.Part], int]:
    """read_components as it was: the citation's end searched for again for every component."""
    parts: list[citations.Part] = []
    while True:
        sep = citations._SEPARATOR.match(text, pos)
        if not sep:
            break
        start = sep.end()
        end = citations._END.search(text, start)
        stop = end.start() if end else len(text)
        nxt = citations._SEPARATOR.search(text, start, stop)
        comp_end = nxt.start() if nxt else stop
        comp = " ".join(text[start:comp_end].split())
        if parts and citations._YEAR.fullmatch(comp):
            parts[-1].end = comp_end
            pos = comp_end
            continue
        kind = citations.component_kind(comp, first=not parts) if comp else None
        if kind is None:
            break
        parts.append(citations.Part(kind, start, comp_end))
        pos = comp_end
    return parts, pos


def test_components_read_with_the_end_found_once() -> None:
    texts = _notes() + ["X, Central Files, 1961, de Gaulle Letters, 1962; Box 3, y", "A, B, c, D. E, F)",
                        "Lot 65 D 533, CF 2095: Box 12, Meeting July 20, 1961, and more, Folder\n X."]
    read = 0
    for text in texts:
        for pos in range(len(text)):
            got = citations.read_components(text, pos)
            assert got == _read_components_searching_each_end(text, pos), (text, pos)
            read += bool(got[0])
    assert read > 100


def _fields_hash_of_a_copy(rec: DocRecord) -> str:
    text = repr(dataclasses.replace(rec, digest="", fields=""))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


@pytest.mark.parametrize("path", TEXTS[:10] + TEIS[:10], ids=lambda p: p.name)
def test_fields_hash_is_that_of_a_copy_without_digests(path: Path) -> None:
    conv = _converted(path)
    enrich(conv.div, load_context("frus1961-63v16", path.parent))
    rec = extract_record(conv, "frus1961-63v16", 3)
    rec.digest, rec.fields = "abc", "def"
    assert fields_hash(rec) == _fields_hash_of_a_copy(rec)
    odd = dataclasses.replace(rec, title="{0} {x!r} }{ \ud800 ’", citations=[Citation("{}", note_id="a'b")],
                              date_min=None, refs=[("#d1", 2)])
    assert fields_hash(odd) == _fields_hash_of_a_copy(odd) != fields_hash(rec)


def _texts_with_references() -> list[str]:
    rng = random.Random(8)
    words = ["memcon.1", "State2", "telegram 2181", "1958", "x3", "(4)", "Dulles 1", "[Page 12]", "5.", "a12", "b2,"]
    out = [p.read_text(encoding="utf-8") for p in TEXTS]
    out += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(300)]
    return out


def test_one_place_for_each_note_is_the_sequence_the_search_finds() -> None:
    placed = 0
    for text in _texts_with_references():
        src = Source("x.txt", text)
        masked = find_markers(src, 0, len(text)) if "[Page" in text else []
        for numbers in ([1], [1, 2], [1, 2, 3], [2, 3], [12]):
            for spaced in (False, True):
                cands = [refs.candidates(src, n, [(0, len(text))], masked, spaced) for n in numbers]
                try:
                    want = [(r.n, r.start, r.end) for r in refs._search(src, numbers, cands, [], 1)]
                except (SourceError, IndexError):
                    want = None  # no sequence: the search raises (here with no notes list to name)
                try:
                    got = [(r.n, r.start, r.end) for r in
                           refs._resolve(src, numbers, [(0, len(text))], masked, [], 1, spaced)]
                except (SourceError, IndexError):
                    got = None  # no sequence: _resolve raises (here with no notes list to name)
                assert got == want, (text, numbers, spaced)
                placed += got is not None
    assert placed > 200


@pytest.mark.parametrize("count", [0, 3, 8, 9, 40])
def test_masked_places_with_few_or_many_markers(count: int) -> None:
    rng = random.Random(count)
    text = "".join(rng.choice(["a1", " 1", "x1.", "11", "[1]", ".1,"]) for _ in range(200))
    src = Source("x.txt", text)
    masked = [Marker("pb", s, s + rng.randint(1, 30), "") for s in sorted(rng.sample(range(len(text)), count))]
    bare = refs.candidates(src, 1, [(0, len(text))], [])
    want = [(p, sc) for p, sc in bare if not any(m.start <= p < m.end for m in masked)]
    assert refs.candidates(src, 1, [(0, len(text))], masked) == want
    assert count == 0 or len(want) < len(bare)


def test_a_record_whose_title_holds_a_comment() -> None:
    div = etree.fromstring(f'<div xmlns="{TEI_NS}" xml:id="d5" n="5"><head>5. Memorandum <!-- checked -->'
                           f'for the Record</head><p>Text.</p></div>')
    assert extract_record(Converted(div=div, path="d5.xml"), "frus1961-63v16", 1).title == "5. Memorandum for the Record"
