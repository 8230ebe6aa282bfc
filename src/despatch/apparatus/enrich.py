"""Add the apparatus to a TEI document div: citations, cross-references, persons and terms.

Every pass only wraps runs of existing text in new elements (see ``wrap.apply_spans``), never
inside markup that is already there, so imported official TEI keeps its own encoding and no
character of any text is lost. The encoding is described in docs/apparatus.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import itemgetter

from lxml import etree

from ..tei.xmlio import XML_ID, t
from .archives import LEVELS, Placed
from .citations import Found, find_citations
from .context import ApparatusContext
from .persons import split_words
from .placing import Piece, place, place_all
from .sourcenote import find_marks
from .wrap import Span, apply_spans, content_text, element, local, text_slots
from .xrefs import XrefState, find_xrefs, has_hint, has_hint_utf8

LINKED = frozenset({"ref", "ptr", "persName", "gloss", "orgName", "idno", "title", "abbr"})
CITATION_SKIP = LINKED | {"bibl", "note", "date", "placeName"}
XREF_SKIP = LINKED | {"date"}
NAME_SKIP = LINKED | {"date", "placeName", "name", "rs", "term", "label"}

_NOTE, _BIBL, _HI, _SEG = t("note"), t("bibl"), t("hi"), t("seg")

PART_ELEMENTS: dict[str, tuple[str, str]] = {
    "repository": ("orgName", "repository"),
    "ibid": ("abbr", "ibid"),
    "collection": ("title", "collection"),
    "folder": ("title", "folder"),
    "lot": ("idno", "lot"),
    "file": ("idno", "file"),
    "box": ("idno", "box"),
}
# The tag and attributes of each part's element, for notes wrapped in one pass.
_PART_TAGS = {kind: (t(name), (("type", value),)) for kind, (name, value) in PART_ELEMENTS.items()}


def enrich(div: etree._Element, ctx: ApparatusContext) -> None:
    """Encode the apparatus of one document div in place."""
    doc_id = div.get(XML_ID) or ""
    ctx.placed = enrich_citations(div, doc_id)
    enrich_xrefs(div, doc_id, ctx.volume)
    enrich_names(div, ctx)


def encode_citation(note: etree._Element, found: Found, xml_id: str, previous: str) -> bool:
    """Wrap one found citation (offsets in the note's content text) in a ``bibl`` with its parts."""
    bibl = element("bibl", "", type="archival")
    bibl.set(XML_ID, xml_id)
    if previous:
        bibl.set("corresp", f"#{previous}")
    if place(note, found.start, found.end, bibl, CITATION_SKIP) is None:
        return False
    for part in found.parts:
        name, kind = PART_ELEMENTS[part.kind]
        # The bibl's content starts where the citation does.
        el = place(bibl, part.start - found.start, part.end - found.start, element(name, "", type=kind),
                   CITATION_SKIP)
        if el is not None and name == "idno" and len(el):
            el.tag = t("title")  # TEI's idno holds plain text only: "ECIN 6 <gloss>EEC</gloss>-Aus"
    return True


def enrich_citations(div: etree._Element, doc_id: str) -> list[Placed] | None:
    """Encode archival citations of every note; "Ibid." points to the citation before it.

    Returns the citations placed, in reading order, when every note was plain text (None otherwise):
    the record is made from them, not from reading the bibls back (see ``archives.placed_citations``).
    """
    previous = ""          # xml:id of the last archival citation in reading order
    count = 0
    placed: list[Placed] | None = []
    for note in div.iter(_NOTE):
        # A note of plain text (most of them) gets all its wrappers in one pass at the end.
        plain = len(note) == 0
        if not plain:
            placed = None
        if not plain and next(note.iter(_BIBL), None) is not None:
            continue  # already encoded (imported TEI): leave it as it is
        note_id = note.get(XML_ID) or doc_id or "note"  # an xml:id must not start with "-"
        text = (note.text or "") if plain else content_text(note)
        pieces: list[Piece] = []
        taken: list[tuple[int, int]] = []
        for found in find_citations(text):
            if found.parts[0].kind == "publication":
                previous = ""  # an "Ibid." after a publication refers to the publication
                continue
            if found.ibid and not previous:
                continue
            xml_id = f"{note_id}-bibl{count + 1}"
            corresp = previous if found.ibid else ""
            if plain:
                pieces.append(_bibl_piece(found, xml_id, corresp))
                if placed is not None:
                    placed.append((xml_id, f"#{corresp}" if corresp else "", note.get(XML_ID) or "",
                                   _fields(text, found)))
            elif not encode_citation(note, found, xml_id, corresp):
                continue
            count += 1
            previous = xml_id
            taken.append((found.start, found.end))
        if is_source_note(note):
            # Offsets stay valid: wrapping adds elements but no characters.
            for mark in find_marks(text, taken):
                if plain:
                    pieces.append((mark.start, mark.end, _SEG, (("type", mark.kind),), []))
                else:
                    place(note, mark.start, mark.end, element("seg", "", type=mark.kind), CITATION_SKIP)
        if pieces:
            # Citations and marks never overlap (find_marks leaves the citations' spans alone).
            pieces.sort(key=itemgetter(0))
            place_all(note, pieces)
    return placed


def _fields(text: str, found: Found) -> dict[str, str]:
    """What ``archives.bibl_fields`` reads from the bibl of a citation placed in a plain note."""
    fields: dict[str, str] = {}
    for part in found.parts:
        if part.kind in LEVELS and part.kind not in fields:
            fields[part.kind] = " ".join(text[part.start:part.end].split())
    return fields


def _bibl_piece(found: Found, xml_id: str, previous: str) -> Piece:
    """The bibl of a citation in a plain note, as ``encode_citation`` would place it."""
    attrs = (("type", "archival"), (XML_ID, xml_id))
    if previous:
        attrs += (("corresp", f"#{previous}"),)
    parts: list[Piece] = [(p.start, p.end, *_PART_TAGS[p.kind], []) for p in found.parts]
    return (found.start, found.end, _BIBL, attrs, parts)


def is_source_note(note: etree._Element) -> bool:
    """The source note: typed so, or (in older volumes) note 0 of the head."""
    if note.get("type") == "source":
        return True
    parent = note.getparent() if note.get("n") == "0" else None
    return parent is not None and local(parent) == "head"


def _seg(kind: str) -> Callable[[str], etree._Element]:
    return lambda text: element("seg", text, type=kind)


def enrich_xrefs(div: etree._Element, doc_id: str, volume: str = "") -> None:
    """Wrap cross-references in ``ref target``; "footnote 1 thereto" follows the last document."""
    state = XrefState(doc_id, volume=volume)
    enrich_italic_series(div, doc_id)
    # The text as bytes: serialized, not decoded too.
    if not has_hint_utf8(etree.tostring(div, method="text", encoding="UTF-8", with_tail=False)):
        return  # every text node is part of the whole text: none can hold a reference
    # Texts without a hint word give no hits and leave the state alone: they are not listed.
    for slot in list(text_slots(div, XREF_SKIP, has_hint)):
        hits = find_xrefs(slot.value, state)
        apply_spans(slot, [(s, e, _ref(target)) for s, e, target in hits])


def enrich_italic_series(div: etree._Element, doc_id: str) -> None:
    """"<hi>Foreign Relations, 1961–1963</hi>, volume VIII, Document 49": one ref over both parts.

    The series title is italic in print, so its words and the volume's are in different text
    nodes; the reference is found in their joined text and wraps the hi with the text after it.
    """
    for hi in list(div.iter(_HI)):
        parent = hi.getparent()
        text = content_text(hi)
        if parent is None or not hi.tail or not SERIES.fullmatch(text) or _inside(hi, XREF_SKIP):
            continue
        hits = [h for h in find_xrefs(text + hi.tail, XrefState(doc_id)) if h[0] == 0 and h[1] > len(text)]
        if hits:
            offset = len(parent.text or "") + sum(len(content_text(c)) + len(c.tail or "")
                                                  for c in hi.itersiblings(preceding=True))
            place(parent, offset, offset + hits[0][1], element("ref", "", target=hits[0][2]), XREF_SKIP)


SERIES = re.compile(r"Foreign\s+Relations(?:\s+of\s+the\s+United\s+States)?(?:,\s+\d{4}(?:[–-]\d{4})?)?,?")


def _inside(el: etree._Element, names: frozenset[str]) -> bool:
    return any(local(a) in names for a in el.iterancestors())


def _ref(target: str) -> Callable[[str], etree._Element]:
    return lambda text: element("ref", text, target=target)


def enrich_names(div: etree._Element, ctx: ApparatusContext) -> None:
    """Link mentions of listed persons (``persName corresp``) and terms (``gloss target``)."""
    persons, terms = ctx.person_matcher, ctx.term_matcher
    for el in div.iter(t("persName"), t("gloss")):
        # Existing markup without a link gets one when its text names exactly one entry.
        text = "".join(el.itertext()).strip()
        if local(el) == "persName" and not el.get("corresp") and text in persons.forms:
            el.set("corresp", f"#{persons.forms[text]}")
        elif local(el) == "gloss" and not el.attrib and text in terms.forms:
            el.set("target", f"#{terms.forms[text]}")
    if not persons.by_first and not terms.by_first:
        return
    for slot in list(text_slots(div, NAME_SKIP)):
        text = slot.value
        words = split_words(text)  # once for both lists
        spans: list[Span] = [(s, e, _linked("persName", "corresp", pid)) for s, e, pid in persons.find(text, words)]
        taken = [(s, e) for s, e, _ in spans]
        for s, e, tid in terms.find(text, words):
            if all(e <= a or s >= b for a, b in taken):
                spans.append((s, e, _linked("gloss", "target", tid)))
        apply_spans(slot, spans)


def _linked(name: str, attr: str, ident: str) -> Callable[[str], etree._Element]:
    return lambda text: element(name, text, **{attr: f"#{ident}"})
