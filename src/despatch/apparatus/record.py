"""Extract the small DocRecord that edition-wide indexes need from a converted, enriched document."""

from __future__ import annotations

import re
import threading

from lxml import etree

from ..model import DocRecord
from ..render.html import plain_title
from ..sources.base import Converted
from ..tei.xmlio import TEI_NS, XML_ID, f, t
from .archives import Placed, citations, placed_citations

# (type, a word every match holds, the pattern): a title without the word is not searched.
_TYPES = (
    ("editorial-note", "Editorial", re.compile(r"\bEditorial Note\b")),
    ("telegram", "Telegram", re.compile(r"\bTelegram\b")),
    ("memorandum-of-conversation", "Conversation", re.compile(r"\bMemorandum of (a )?Conversation\b")),
    ("memorandum", "Memorandum", re.compile(r"\bMemorandum\b")),
    ("letter", "Letter", re.compile(r"\bLetter\b")),
    ("despatch", "Despatch", re.compile(r"\bDespatch\b")),
    ("note", "Note", re.compile(r"\bNote\b")),
    ("paper", "", re.compile(r"\b(Paper|Report|Study|Estimate)\b")),
)
_REF, _PERSNAME, _GLOSS = t("ref"), t("persName"), t("gloss")
_LINKED = (_REF, _PERSNAME, _GLOSS)
_PB, _HEAD, _NOTE, _SEG = t("pb"), t("head"), t("note"), t("seg")
_XPATHS = threading.local()


def anchors(div: etree._Element) -> list[str]:
    """Every xml:id of the div and its descendants in document order (one XPath per thread)."""
    find = getattr(_XPATHS, "anchors", None)
    if find is None:
        # Plain strings: an XPath result holds on to its element, and records are pickled.
        find = _XPATHS.anchors = etree.XPath("descendant-or-self::*/@xml:id", smart_strings=False)
    return [a for a in find(div) if a]
_CLASSIFICATION = re.compile(r"\b(Top Secret|Secret|Confidential|Limited Official Use|Official Use Only|Unclassified)\b")


def doc_type(title: str) -> str:
    """The document type facet from the title ("Telegram From …" → telegram)."""
    for name, word, pattern in _TYPES:
        if word in title and pattern.search(title):
            return name
    return "other"


def source_note(div: etree._Element) -> etree._Element | None:
    """The document's source note (typed, or note 0 of the head in older volumes)."""
    # What div.find("tei:head/tei:note[@type='source']"), then "…[@n='0']", find, without a path.
    for key, value in (("type", "source"), ("n", "0")):
        for head in div.iterchildren(_HEAD):
            for note in head.iterchildren(_NOTE):
                if note.get(key) == value:
                    return note
    return None


def classification_of(div: etree._Element) -> tuple[str, list[str]]:
    """(classification, handling caveats) from the source note's marked phrases, else its text."""
    note = source_note(div)
    if note is None:
        return "", []
    found: str | None = None
    handling: list[str] = []
    for seg in note.iter(_SEG):
        kind = seg.get("type")
        if kind == "classification" or kind == "handling":
            # A mark is nearly always plain text: its text is what itertext() would join.
            text = " ".join(("".join(seg.itertext()) if len(seg) else seg.text or "").split())
            if kind == "handling":
                handling.append(text)
            elif found is None:
                found = text
    if found is not None:
        return found, handling
    m = _CLASSIFICATION.search("".join(note.itertext()))
    return (m.group(1) if m else ""), handling


def link_lines(conv: Converted) -> dict[etree._Element, int]:
    """The source line of every ref, persName and gloss in the div, in document order.

    An element inside a note gets the note's line; one in the body gets the line of the last page
    break (or the document's first line) before it. Imported TEI keeps lxml's own line numbers.
    """
    div, lines = conv.div, conv.lines
    out: dict[etree._Element, int] = {}
    if next(div.iter(*_LINKED), None) is None:
        return out  # nothing to place (most documents): no walk over the whole tree
    use_sourceline = conv.path.endswith(".xml")
    body_line = lines.get(div.get(XML_ID) or "", 1)
    # Only elements with an xml:id (a line of their own) and the linked ones matter, in document
    # order; an element without an id has a line of its own only if "" is a key.
    found = getattr(_XPATHS, "marked", None)
    if found is None:
        found = _XPATHS.marked = etree.XPath(
            "descendant::*[@xml:id or self::t:ref or self::t:persName or self::t:gloss]", namespaces={"t": TEI_NS})
    marked = found(div) if "" not in lines else [el for el in div.iter(etree.Element) if el is not div]
    for el in marked:
        own = lines.get(el.get(XML_ID) or "")
        if own is not None and len(el) == 0 and not (el.text or "").strip() \
                and _note_line(el, div, lines) is None:
            body_line = own  # a page break outside the notes: the body goes on from here
        if el.tag in _LINKED:
            line = _note_line(el, div, lines)
            if line is None:
                line = body_line
            if use_sourceline:
                line = next((a.sourceline for a in (el, *el.iterancestors()) if a.sourceline), line)
            out[el] = line
    return out


def _note_line(el: etree._Element, div: etree._Element, lines: dict[str, int]) -> int | None:
    """The line of the innermost element around ``el`` (itself included, ``div`` not) that has a
    line of its own and content (a note); None outside all of them."""
    for a in (el, *el.iterancestors()):
        if a is div:
            return None
        own = lines.get(a.get(XML_ID) or "")
        if own is not None and (len(a) or (a.text or "").strip()):
            return own
    return None


def _first_mentions(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    for ident, line in pairs:
        seen.setdefault(ident, line)
    return list(seen.items())


def extract_record(conv: Converted, volume: str, order: int, placed: list[Placed] | None = None) -> DocRecord:
    """Summarise a converted document for the edition's indexes.

    ``placed``: the div's archival citations as the apparatus placed them, when they are all its
    archival bibls (``enrich`` leaves them in its context): they are not read back from the tree.
    """
    div = conv.div
    doc_id = div.get(XML_ID) or ""
    title = plain_title(div)
    classification, handling = classification_of(div)
    lines = link_lines(conv)
    # link_lines lists the linked elements in document order, as div.iter(tag) would.
    refs = [(el.get("target") or "", line) for el, line in lines.items() if el.tag == _REF and el.get("target")]
    persons = _first_mentions([((el.get("corresp") or "").lstrip("#"), line) for el, line in lines.items()
                               if el.tag == _PERSNAME and el.get("corresp")])
    terms = _first_mentions([((el.get("target") or "").lstrip("#"), line) for el, line in lines.items()
                             if el.tag == _GLOSS and el.get("target")])
    return DocRecord(
        volume=volume,
        id=doc_id,
        n=div.get("n") or "",
        title=title,
        source=conv.path,
        order=order,
        date_min=div.get(f("doc-dateTime-min")),
        date_max=div.get(f("doc-dateTime-max")),
        date_basis=str(conv.meta.get("date_basis") or ""),
        doc_type=doc_type(title),
        classification=classification,
        pages=[pb.get("n") or "" for pb in div.iter(_PB) if pb is not div],
        anchors=anchors(div),
        refs=refs,
        citations=citations(div) if placed is None else placed_citations(placed),
        persons=[p for p, _ in persons],
        terms=[x for x, _ in terms],
        handling=handling,
        person_refs=persons,
        term_refs=terms,
    )
