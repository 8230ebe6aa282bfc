"""Assemble a complete TEI P5 file for one document: a teiHeader from the volume, the div as body."""

from __future__ import annotations

import copy
from urllib.parse import quote

from lxml import etree

from ..sources.base import Converted
from ..volume import Volume
from .xmlio import NSMAP, t, title_text


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a TEI element with optional text and attributes."""
    node = etree.SubElement(parent, t(name), {k: v for k, v in attrs.items() if v})
    if text:
        node.text = text
    return node


def head_text(div: etree._Element) -> str:
    """The document's title: its head's text without notes, whitespace collapsed ('' without a head)."""
    head = next(div.iterchildren(_HEAD), None)  # find's answer without its path parsed (it runs for every page)
    return title_text(head) if head is not None else ""


_HEAD = t("head")


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


def _header(root: etree._Element, title: str, volume: Volume, source_name: str) -> etree._Element:
    """Append the teiHeader, indented: line breaks between its elements, for readers of the file."""
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    _title_stmt(file_desc, title, volume)
    _publication_stmt(file_desc, volume)
    _series_stmt(file_desc, volume)
    _source_desc(file_desc, source_name)
    etree.indent(header, space="  ", level=1)
    return header


# Every document of a volume has the same header but for its title and source file: it is built
# once per volume and copied, the two texts then set (the copy is what _header would build).
_TEMPLATES: dict[tuple[object, ...], etree._Element] = {}
_PLACEHOLDER = "x"


def volume_key(volume: Volume) -> tuple[object, ...]:
    """What a volume's header is made from: the key of its template here and of its shell (assemble)."""
    return (volume.id, volume.title, volume.series, volume.volume, tuple(volume.editors), volume.general_editor,
            volume.publisher, volume.pub_place, volume.year)


def _copied_header(root: etree._Element, title: str, volume: Volume, source_name: str) -> etree._Element:
    """The header from the volume's template; the first build of a volume makes the template."""
    key = volume_key(volume)
    template = _TEMPLATES.get(key)
    if template is None:
        if len(_TEMPLATES) > 256:
            _TEMPLATES.clear()
        holder = etree.Element(t("TEI"), nsmap=NSMAP)
        template = _TEMPLATES[key] = _header(holder, _PLACEHOLDER, volume, _PLACEHOLDER)
    header = copy.deepcopy(template)
    root.append(header)
    file_desc = header[0]
    file_desc[0][0].text = title
    ref = file_desc[-1][0][0]
    ref.text = source_name
    ref.set("target", quote(source_name, safe="/:._-~"))
    return header


def build_tei(conv: Converted, volume: Volume, source_name: str) -> etree._Element:
    """A TEI document: teiHeader from ``volume``, ``conv.div`` in text/body (moved, not copied)."""
    root = etree.Element(t("TEI"), nsmap=NSMAP)
    title = head_text(conv.div) or volume.title
    if title and source_name:
        header = _copied_header(root, title, volume, source_name)
    else:
        header = _header(root, title, volume, source_name)  # empty texts change the elements made
    root.text, header.tail = "\n  ", "\n  "
    text = _el(root, "text")
    body = _el(text, "body")
    body.append(conv.div)
    text.text, body.text, conv.div.tail, body.tail, text.tail = "\n    ", "\n", "\n    ", "\n  ", "\n"
    # A div read on its own repeats the namespace declarations; drop the duplicates.
    etree.cleanup_namespaces(root, top_nsmap=NSMAP, keep_ns_prefixes=["frus"])
    return root


__all__ = ["build_tei", "head_text", "volume_key"]
