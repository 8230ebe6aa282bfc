"""Extract the small DocRecord that edition-wide indexes need from a converted, enriched document."""

from __future__ import annotations

import re
import threading

from lxml import etree

from ..model import DocRecord
from ..render.html import plain_title
from ..sources.base import Converted
from ..tei.xmlio import XML_ID, f, t
from .archives import citations

_TYPES = (
    ("editorial-note", re.compile(r"\bEditorial Note\b")),
    ("telegram", re.compile(r"\bTelegram\b")),
    ("memorandum-of-conversation", re.compile(r"\bMemorandum of (a )?Conversation\b")),
    ("memorandum", re.compile(r"\bMemorandum\b")),
    ("letter", re.compile(r"\bLetter\b")),
    ("despatch", re.compile(r"\bDespatch\b")),
    ("note", re.compile(r"\bNote\b")),
    ("paper", re.compile(r"\b(Paper|Report|Study|Estimate)\b")),
)
_LINKED = (t("ref"), t("persName"), t("gloss"))
_PB, _HEAD, _NOTE = t("pb"), t("head"), t("note")
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
    for name, pattern in _TYPES:
        if pattern.search(title):
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
    segs = [(s.get("type"), " ".join("".join(s.itertext()).split())) for s in note.iter(t("seg"))]
    found = [text for kind, text in segs if kind == "classification"]
    handling = [text for kind, text in segs if kind == "handling"]
    if found:
        return found[0], handling
    m = _CLASSIFICATION.search("".join(note.itertext()))
    return (m.group(1) if m else ""), handling


def link_lines(conv: Converted) -> dict[etree._Element, int]:
    """The source line of every ref, persName and gloss in the div.

    An element inside a note gets the note's line; one in the body gets the line of the last page
    break (or the document's first line) before it. Imported TEI keeps lxml's own line numbers.
    """
    div, lines = conv.div, conv.lines
    out: dict[etree._Element, int] = {}
    if next(div.iter(*_LINKED), None) is None:
        return out  # nothing to place (most documents): no walk over the whole tree
    walker = _LineWalk(lines, conv.path.endswith(".xml"), lines.get(div.get(XML_ID) or "", 1), out)
    for child in div:
        if isinstance(child.tag, str):
            walker.walk(child)
    return out


class _LineWalk:
    """link_lines's walk; an object, not a nested function calling itself (a cycle holding the tree)."""

    def __init__(self, lines: dict[str, int], use_sourceline: bool, body_line: int,
                 out: dict[etree._Element, int]) -> None:
        self.lines, self.use_sourceline, self.body_line, self.out = lines, use_sourceline, body_line, out
        self.stack: list[int] = []

    def walk(self, el: etree._Element) -> None:
        # One visit per element: what the start of an element decides, its end undoes.
        stack = self.stack
        own = self.lines.get(el.get(XML_ID) or "")
        pushed = False
        if own is not None:
            if len(el) == 0 and not (el.text or "").strip():
                if not stack:
                    self.body_line = own  # a page break: the body goes on from here
            else:
                stack.append(own)
                pushed = True
        if el.tag in _LINKED:
            line = stack[-1] if stack else self.body_line
            if self.use_sourceline:
                line = next((a.sourceline for a in (el, *el.iterancestors()) if a.sourceline), line)
            self.out[el] = line
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child)
        if pushed:
            stack.pop()


def _first_mentions(pairs: list[tuple[str, int]]) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    for ident, line in pairs:
        seen.setdefault(ident, line)
    return list(seen.items())


def extract_record(conv: Converted, volume: str, order: int) -> DocRecord:
    """Summarise a converted document for the edition's indexes."""
    div = conv.div
    doc_id = div.get(XML_ID) or ""
    title = plain_title(div)
    classification, handling = classification_of(div)
    lines = link_lines(conv)
    refs = [(el.get("target") or "", lines[el]) for el in div.iter(t("ref")) if el.get("target")]
    persons = _first_mentions([((el.get("corresp") or "").lstrip("#"), lines[el])
                               for el in div.iter(t("persName")) if el.get("corresp")])
    terms = _first_mentions([((el.get("target") or "").lstrip("#"), lines[el])
                             for el in div.iter(t("gloss")) if el.get("target")])
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
        citations=citations(div),
        persons=[p for p, _ in persons],
        terms=[x for x, _ in terms],
        handling=handling,
        person_refs=persons,
        term_refs=terms,
    )
