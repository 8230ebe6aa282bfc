"""Assemble a complete TEI P5 file for one document: a teiHeader from the volume, the div as body."""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

from ..sources.base import Converted
from ..volume import Volume
from .xmlio import NSMAP, t

_SPACE = re.compile(r"\s+")


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a TEI element with optional text and attributes."""
    node = etree.SubElement(parent, t(name), {k: v for k, v in attrs.items() if v})
    if text:
        node.text = text
    return node


def head_text(div: etree._Element) -> str:
    """The document's title: its head's text without notes, whitespace collapsed."""
    head = div.find(t("head"))
    if head is None:
        return ""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        # A note inside the head (the source note) is not part of the title, but its tail is.
        if node.tag != t("note"):
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not head:
            parts.append(node.tail or "")

    walk(head)
    return _SPACE.sub(" ", "".join(parts)).strip()


def _title_stmt(parent: etree._Element, title: str, volume: Volume) -> None:
    stmt = _el(parent, "titleStmt")
    _el(stmt, "title", title or volume.title, level="a")
    _el(stmt, "title", volume.title, level="m", type="complete")
    for name in volume.editors:
        _el(stmt, "editor", name, role="primary")
    if volume.general_editor:
        _el(stmt, "editor", volume.general_editor, role="general")


def _publication_stmt(parent: etree._Element, volume: Volume) -> None:
    stmt = _el(parent, "publicationStmt")
    if not volume.publisher:
        # TEI allows place and date only after a publisher; without one, say what is known in prose.
        known = ", ".join(x for x in (volume.pub_place, volume.year) if x)
        _el(stmt, "p", f"Publisher not recorded{'; ' + known if known else ''}.")
        return
    _el(stmt, "publisher", volume.publisher)
    if volume.pub_place:
        _el(stmt, "pubPlace", volume.pub_place)
    if volume.year:
        _el(stmt, "date", volume.year, type="publication-date")
    _el(stmt, "idno", volume.id, type="frus")


def _series_stmt(parent: etree._Element, volume: Volume) -> None:
    if not volume.series:
        return  # seriesStmt needs a title; an unknown series is left out, not invented
    stmt = _el(parent, "seriesStmt")
    _el(stmt, "title", volume.series, level="s")
    if volume.volume:
        _el(stmt, "biblScope", volume.volume, unit="volume")


def _source_desc(parent: etree._Element, source_name: str) -> None:
    desc = _el(parent, "sourceDesc")
    p = _el(desc, "p", "Converted from the source file ")
    ref = _el(p, "ref", source_name, target=quote(source_name, safe="/:._-~"))
    ref.tail = "."


def build_tei(conv: Converted, volume: Volume, source_name: str) -> etree._Element:
    """A TEI document: teiHeader from ``volume``, ``conv.div`` in text/body (moved, not copied)."""
    root = etree.Element(t("TEI"), nsmap=NSMAP)
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    _title_stmt(file_desc, head_text(conv.div), volume)
    _publication_stmt(file_desc, volume)
    _series_stmt(file_desc, volume)
    _source_desc(file_desc, source_name)
    # Line breaks between the header's elements, for readers of the file; none inside the text.
    etree.indent(header, space="  ", level=1)
    root.text, header.tail = "\n  ", "\n  "
    text = _el(root, "text")
    body = _el(text, "body")
    body.append(conv.div)
    text.text, body.text, conv.div.tail, body.tail, text.tail = "\n    ", "\n", "\n    ", "\n  ", "\n"
    # A div read on its own repeats the namespace declarations; drop the duplicates.
    etree.cleanup_namespaces(root, top_nsmap=NSMAP, keep_ns_prefixes=["frus"])
    return root


__all__ = ["build_tei", "head_text"]
