"""The EPUB's package around its chapters, made by ebooklib: title page, navigation, OPF, NCX.

An edited document changes none of these unless its title or printed pages changed, so a build that
finds the last EPUB's package still fits (see ``reuse.skeleton_key``) copies it and never imports
ebooklib.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

from lxml import etree

from ..volume import Volume
from .package import Packed
from .xhtml import EPUB_NS, XHTML_NS, h

XHTML = "application/xhtml+xml"
Item = tuple[str, str, "bytes | Packed"]   # uid, file name, content (or a chapter copied compressed)


def title_page(volume: Volume) -> bytes:
    """The volume's title page."""
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    html.set("lang", "en")
    head = h("head", html)
    h("meta", head, charset="utf-8")
    h("title", head).text = volume.title
    h("link", head, rel="stylesheet", type="text/css", href="ebook.css")
    section = h("section", h("body", html), "titlepage", epub_type="titlepage")
    if volume.series:
        h("p", section, "series").text = volume.series
    h("h1", section).text = volume.title
    for text, cls in ((volume.volume, "volume"), (volume.subtitle, "subtitle")):
        if text:
            h("p", section, cls).text = text
    if volume.editors:
        h("p", section, "editors").text = "Editors: " + ", ".join(volume.editors)
    if volume.general_editor:
        h("p", section, "editors").text = f"General Editor: {volume.general_editor}"
    imprint = ", ".join(x for x in (volume.pub_place, volume.publisher, volume.year) if x)
    if imprint:
        h("p", section, "imprint").text = imprint
    return etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"


def nav_page(volume: Volume, toc: list[tuple[str, str, str]], pages: list[tuple[str, str]]) -> bytes:
    """The EPUB navigation document: contents grouped by chapter, landmarks, and the printed pages."""
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    html.set("lang", "en")
    head = h("head", html)
    h("meta", head, charset="utf-8")
    h("title", head).text = f"Contents — {volume.title}"
    h("link", head, rel="stylesheet", type="text/css", href="ebook.css")
    body = h("body", html)
    nav = h("nav", body, epub_type="toc", id="toc", role="doc-toc")
    h("h1", nav).text = "Contents"
    top = h("ol", nav)
    h("a", h("li", top), href="title.xhtml").text = volume.title
    group, group_ol = None, top
    for file, title, chap in toc:
        if chap != group:
            group, group_ol = chap, top
            if chap:
                li = h("li", top)
                h("a", li, href=file).text = chap
                group_ol = h("ol", li)
        h("a", h("li", group_ol), href=file).text = title
    landmarks = h("nav", body, epub_type="landmarks", id="landmarks", hidden="hidden")
    h("h2", landmarks).text = "Landmarks"
    ol = h("ol", landmarks)
    h("a", h("li", ol), epub_type="titlepage", href="title.xhtml").text = "Title page"
    h("a", h("li", ol), epub_type="toc", href="nav.xhtml#toc").text = "Contents"
    if toc:
        h("a", h("li", ol), epub_type="bodymatter", href=toc[0][0]).text = "Documents"
    if pages:
        page_list = h("nav", body, epub_type="page-list", id="page-list", hidden="hidden")
        h("h2", page_list).text = "Pages"
        ol = h("ol", page_list)
        for href, n in pages:
            h("a", h("li", ol), href=href).text = n
    return etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"


def css() -> bytes:
    """The ebook's stylesheet."""
    return resources.files("despatch.ebook").joinpath("ebook.css").read_bytes()


def package_entries(volume: Volume, identifier: str, modified: dt.datetime, items: list[Item],
                    toc: list[tuple[str, str, str]], pages: list[tuple[str, str]]) -> list[tuple[str, bytes | Packed]]:
    """Every entry of the EPUB, in ebooklib's order: the package documents and the chapters ``items``."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(identifier or volume.canonical_url or f"urn:despatch:{volume.id}")
    book.set_title(volume.title)
    book.set_language("en")
    for editor in volume.editors:
        book.add_author(editor, role="edt")
    for name, value in (("publisher", volume.publisher), ("date", volume.year)):
        if value:
            book.add_metadata("DC", name, value)
    book.add_item(epub.EpubItem(uid="css", file_name="ebook.css", media_type="text/css", content=css()))
    title = epub.EpubItem(uid="title", file_name="title.xhtml", media_type=XHTML, content=title_page(volume))
    book.add_item(title)
    spine: list[Any] = [title]
    copied: dict[str, Packed] = {}
    for uid, file, content in items:
        if isinstance(content, Packed):  # ebooklib never looks into a chapter: it writes what it is given
            copied[f"EPUB/{file}"], content = content, b""
        item = epub.EpubItem(uid=uid, file_name=file, media_type=XHTML, content=content)
        book.add_item(item)
        spine.append(item)
    nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type=XHTML, content=nav_page(volume, toc, pages))
    nav.properties = ["nav"]
    book.add_item(nav)
    book.add_item(epub.EpubNcx())       # for EPUB 2 readers; generated from book.toc
    book.toc = [epub.Link("title.xhtml", volume.title, "toc-title")] + [
        epub.Link(file, title, f"toc-{file[:-6]}") for file, title, _ in toc]
    book.spine = [spine[0], nav, *spine[1:]]
    writer = _writer_class()("", book, {"mtime": modified, "epub3_pages": False})
    writer.process()
    writer.write()
    return [(name, copied.get(name, data)) for name, data in writer.entries]


class _Entries:
    """Stands in for ebooklib's zip file: keeps what it writes, so the archive is compressed only once."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def writestr(self, name: str, data: str | bytes | None, compress_type: int | None = None) -> None:
        self.entries.append((name, data.encode("utf-8") if isinstance(data, str) else data or b""))

    def close(self) -> None:
        pass


def _writer_class() -> Any:
    """ebooklib's writer with the zip file replaced by an entry list (write_zip makes the archive)."""
    from ebooklib import epub

    class EntriesWriter(epub.EpubWriter):  # type: ignore[misc]
        def write(self) -> None:
            out = _Entries()
            self.out = out
            out.writestr("mimetype", "application/epub+zip")
            self._write_container()
            self._write_opf()
            self._write_items()
            self.entries = out.entries

    return EntriesWriter
