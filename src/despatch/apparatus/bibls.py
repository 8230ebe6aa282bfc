"""Archival citations in a document's notes encoded as bibls with their parts; the source note's marks as segs."""

from __future__ import annotations

from operator import itemgetter

from lxml import etree

from ..tei.xmlio import XML_ID, t
from .archives import LEVELS, Placed
from .citations import Found, find_citations
from .placing import Piece, place, place_all
from .sourcenote import find_marks
from .wrap import content_text, element, local

# Elements that link already, a citation's parts among them (PART_ELEMENTS): no pass wraps text inside them.
LINKED = frozenset({"ref", "ptr", "persName", "gloss", "orgName", "idno", "title", "abbr"})
CITATION_SKIP = LINKED | {"bibl", "note", "date", "placeName"}

_NOTE, _BIBL, _SEG = t("note"), t("bibl"), t("seg")

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
