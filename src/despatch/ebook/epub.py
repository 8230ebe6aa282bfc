"""Package a volume as an EPUB 3: title page, one chapter per document, a nav with contents and page-list."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from ebooklib import epub
from lxml import etree

from ..errors import SourceError
from ..model import DocRecord
from ..tei.xmlio import TEI_NS, XML_ID, parse_bytes
from ..volume import Volume
from .chapter import chapter
from .reuse import Chapters, chapter_key, tei_digest
from .package import ZIP_TIME, EntriesWriter, Packed, normalise_zip, write_zip  # noqa: F401 (ZIP_TIME, normalise_zip: re-exported)
from .xhtml import EPUB_NS, XHTML_NS, Chapter, h

REF = f"{{{TEI_NS}}}ref"

XHTML = "application/xhtml+xml"


class EbookError(SourceError):
    """A volume could not be made into an EPUB (reported like any build error)."""


def document_div(data: bytes, path: str) -> etree._Element:
    """The document div of a TEI file (a whole TEI document or a bare div)."""
    root = parse_bytes(data, path).getroot()
    if etree.QName(root).localname == "div":
        return root
    div = root.find(f".//{{{TEI_NS}}}div[@type='document']")
    if div is None:
        raise SourceError.at(path, 1, 1, "no document in this TEI file",
                             found=etree.QName(root).localname, expected="a div type='document'")
    return div


def modified_time(modified: dt.datetime | None) -> dt.datetime:
    """The package's modification time: given, else SOURCE_DATE_EPOCH, else a fixed date (reproducible)."""
    if modified is not None:
        return modified
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime(2000, 1, 1)


def web_url(base: str, volume: str, ident: str) -> str | None:
    """The edition's web address of a target outside the book (a document, page or chapter)."""
    if not base or not volume:
        return None
    if not ident:
        return f"{base.rstrip('/')}/{volume}"
    # Notes live inside their document's page: link the document (d136fn2 → d136).
    doc = re.match(r"d\d+", ident)
    return f"{base.rstrip('/')}/{volume}/{doc.group(0) if doc else ident}"


def resolver(volume_id: str, anchors: dict[str, str], here: str, web_base: str = ""):
    """Map a TEI ref target to an href inside the book, else on the web edition; None leaves plain text."""
    def resolve(target: str) -> str | None:
        if target.startswith(("http://", "https://")):
            return target
        vol, _, ident = target.partition("#")
        if vol and vol != volume_id:
            return web_url(web_base, vol, ident)
        if ident not in anchors:
            return web_url(web_base, volume_id, ident) if ident else None
        file = anchors[ident]
        if ident == file.removesuffix(".xhtml"):
            return file if file != here else f"#{ident}"
        return f"#{ident}" if file == here else f"{file}#{ident}"
    return resolve


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


class Source:
    """One document of the book: its TEI bytes, and the ids and link targets in them.

    An unchanged document's ids and targets come from the last chapter record: it is parsed only
    if its chapter has to be converted.
    """

    def __init__(self, rec: DocRecord, data: bytes, volume: str, chapters: Chapters | None) -> None:
        self.rec, self.data, self.path = rec, data, rec.source or f"{volume}/{rec.id}.xml"
        self.digest = tei_digest(data)
        self._div: etree._Element | None = None
        known = chapters.known(rec.id, self.digest) if chapters is not None else None
        if known is not None:
            self.ids, self.targets = known
        else:
            div = self.div()
            self.ids = [ident for el in div.iter() if (ident := el.get(XML_ID))]
            self.targets = [el.get("target", "") for el in div.iter(REF)]

    def div(self) -> etree._Element:
        if self._div is None:
            self._div = document_div(self.data, self.path)
        return self._div


def write_epub(volume: Volume, docs: Iterable[tuple[DocRecord, bytes]], out: Path, *,
               modified: dt.datetime | None = None, identifier: str = "", web_base: str = "",
               chapters: Chapters | None = None) -> Path:
    """Write ``out`` (an .epub) from the volume's documents in reading order, each with its TEI bytes.

    ``web_base`` (the edition's canonical base URL) turns references to documents outside the book into
    web links; without it they stay plain text. ``chapters`` takes unchanged chapters from the
    volume's last EPUB and records this one's (see reuse.py).
    """
    sources = [Source(rec, data, volume.id, chapters) for rec, data in docs]
    anchors: dict[str, str] = {}
    for src in sources:
        file = f"{src.rec.id}.xhtml"
        for ident in src.ids:
            anchors.setdefault(ident, file)
        anchors.setdefault(src.rec.id, file)
    book = epub.EpubBook()
    book.set_identifier(identifier or volume.canonical_url or f"urn:despatch:{volume.id}")
    book.set_title(volume.title)
    book.set_language("en")
    for editor in volume.editors:
        book.add_author(editor, role="edt")
    for name, value in (("publisher", volume.publisher), ("date", volume.year)):
        if value:
            book.add_metadata("DC", name, value)
    css = resources.files("despatch.ebook").joinpath("ebook.css").read_bytes()
    book.add_item(epub.EpubItem(uid="css", file_name="ebook.css", media_type="text/css", content=css))
    title = epub.EpubItem(uid="title", file_name="title.xhtml", media_type=XHTML, content=title_page(volume))
    book.add_item(title)
    spine: list[epub.EpubItem] = [title]
    toc: list[tuple[str, str, str]] = []
    pages: list[tuple[str, str]] = []
    copied: dict[str, Packed] = {}      # chapters taken from the last EPUB as they are stored there
    for src in sources:
        rec, file = src.rec, f"{src.rec.id}.xhtml"
        resolve = resolver(volume.id, anchors, file, web_base)
        content, found = b"", None
        if chapters is not None:
            key = chapter_key(src.digest, rec.title, [resolve(target) for target in src.targets])
            found = chapters.get(rec.id, key)
        if found is not None:
            copied[f"EPUB/{file}"], chapter_pages = found
        else:
            made = chapter(src.div(), rec.title, resolve)
            content, chapter_pages = made.html, made.pages
        if chapters is not None:
            chapters.put(rec.id, key, chapter_pages, src.digest, src.ids, src.targets)
        item = epub.EpubItem(uid=rec.id, file_name=file, media_type=XHTML, content=content)
        book.add_item(item)
        spine.append(item)
        toc.append((file, rec.title, rec.chapter))
        pages.extend((f"{file}#{ident}", n) for ident, n in chapter_pages)
    nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type=XHTML, content=nav_page(volume, toc, pages))
    nav.properties = ["nav"]
    book.add_item(nav)
    book.add_item(epub.EpubNcx())       # for EPUB 2 readers; generated from book.toc
    book.toc = [epub.Link("title.xhtml", volume.title, "toc-title")] + [
        epub.Link(file, title, f"toc-{file[:-6]}") for file, title, _ in toc]
    book.spine = [spine[0], nav, *spine[1:]]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        writer = EntriesWriter(str(out), book, {"mtime": modified_time(modified), "epub3_pages": False})
        writer.process()
        writer.write()
    except Exception as exc:     # ebooklib raises assorted errors; name the volume instead of a traceback
        raise EbookError.at(str(out), 1, 1, f"could not write the EPUB of {volume.id}: {exc}") from exc
    entries: list[tuple[str, bytes | Packed]] = [(name, copied.get(name, data)) for name, data in writer.entries]
    written = write_zip(out, entries)
    if chapters is not None:
        chapters.save(written)
    return out
