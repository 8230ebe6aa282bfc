"""The EPUB's package around its chapters: title page, navigation, OPF, NCX.

An edited document changes none of these unless its title or printed pages changed; the ones that
come out as the last EPUB holds them are copied from it compressed (see ``reuse.Chapters.same``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from lxml import etree

from ..files import packaged
from ..volume import Volume
from .opf import CONTAINER, DECLARATION, attr, attrs, check, ncx, opf, text, texts
from .package import Packed
from .xhtml import EPUB_NS, XHTML_NS, h

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
    for value, cls in ((volume.volume, "volume"), (volume.subtitle, "subtitle")):
        if value:
            h("p", section, cls).text = value
    if volume.editors:
        h("p", section, "editors").text = "Editors: " + ", ".join(volume.editors)
    if volume.general_editor:
        h("p", section, "editors").text = f"General Editor: {volume.general_editor}"
    imprint = ", ".join(x for x in (volume.pub_place, volume.publisher, volume.year) if x)
    if imprint:
        h("p", section, "imprint").text = imprint
    return etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>") + b"\n"


def nav_page(volume: Volume, toc: list[tuple[str, str, str]], pages: list[tuple[str, str]]) -> bytes:
    """The EPUB navigation document: contents grouped by chapter, landmarks, and the printed pages.

    Written as text (as lxml serialises it): a volume's contents and page-list have a line for each
    of its hundreds of documents and pages, and an edited title makes this page again.
    """
    title = text(volume.title)
    out = [DECLARATION, "<!DOCTYPE html>\n",
           f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="en"><head><meta charset="utf-8"/>',
           f'<title>Contents — {title}</title><link rel="stylesheet" type="text/css" href="ebook.css"/></head>',
           '<body><nav epub:type="toc" id="toc" role="doc-toc"><h1>Contents</h1><ol>',
           f'<li><a href="title.xhtml">{title}</a></li>']
    group: str | None = None
    files, names = attrs([file for file, _, _ in toc]), texts([name for _, name, _ in toc])
    for file, name, (_, _, chap) in zip(files, names, toc):
        if chap != group:
            if group:
                out.append("</ol></li>")
            group = chap
            if chap:
                out.append(f'<li><a href="{file}">{text(chap)}</a><ol>')
        out.append(f'<li><a href="{file}">{name}</a></li>')
    if group:
        out.append("</ol></li>")
    out += ['</ol></nav><nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2><ol>',
            '<li><a epub:type="titlepage" href="title.xhtml">Title page</a></li>',
            '<li><a epub:type="toc" href="nav.xhtml#toc">Contents</a></li>']
    if toc:
        out.append(f'<li><a epub:type="bodymatter" href="{attr(toc[0][0])}">Documents</a></li>')
    out.append("</ol></nav>")
    if pages:
        out.append('<nav epub:type="page-list" id="page-list" hidden="hidden"><h2>Pages</h2><ol>')
        out += [f'<li><a href="{href}">{n}</a></li>'
                for href, n in zip(attrs([href for href, _ in pages]), texts([n for _, n in pages]))]
        out.append("</ol></nav>")
    out.append("</body></html>\n")
    return "".join(out).encode("utf-8")


def css() -> bytes:
    """The ebook's stylesheet."""
    return packaged("despatch.ebook", "ebook.css")


# Entry names in the order ebooklib wrote them: these, the chapters, then NAV_FILES.
HEAD_FILES = ("META-INF/container.xml", "EPUB/content.opf", "EPUB/ebook.css", "EPUB/title.xhtml")
NAV_FILES = ("EPUB/nav.xhtml", "EPUB/toc.ncx")
PACKAGE_FILES = HEAD_FILES + NAV_FILES


def package_documents(volume: Volume, identifier: str, modified: dt.datetime, items: list[Item],
                      toc: list[tuple[str, str, str]], pages: list[tuple[str, str]]) -> dict[str, bytes]:
    """The entries around the chapters ``items``, by name: container, OPF, stylesheet, title page,
    navigation and NCX (ValueError for a character XML does not allow)."""
    uid = identifier or volume.canonical_url or f"urn:despatch:{volume.id}"
    check([uid, volume.title, *volume.editors, volume.publisher, volume.year,
           *(value for _, title, chap in toc for value in (title, chap)), *(n for _, n in pages)])
    dc = [(name, value) for name, value in (("publisher", volume.publisher), ("date", volume.year)) if value]
    links = [("toc-title", "title.xhtml", volume.title)] + [(f"toc-{file[:-6]}", file, title) for file, title, _ in toc]
    return {"META-INF/container.xml": CONTAINER,
            "EPUB/content.opf": opf(uid, volume.title, modified, volume.editors, dc,
                                    [(ident, file) for ident, file, _ in items]),
            "EPUB/ebook.css": css(),
            "EPUB/title.xhtml": title_page(volume),
            "EPUB/nav.xhtml": nav_page(volume, toc, pages),
            "EPUB/toc.ncx": ncx(uid, volume.title, links)}


def arrange(package: Mapping[str, bytes | Packed], items: list[Item]) -> list[tuple[str, bytes | Packed]]:
    """Every entry of the EPUB in the order ebooklib wrote them: the package documents around the chapters."""
    return [("mimetype", b"application/epub+zip"), *((name, package[name]) for name in HEAD_FILES),
            *((f"EPUB/{file}", content) for _, file, content in items), *((name, package[name]) for name in NAV_FILES)]


def package_entries(volume: Volume, identifier: str, modified: dt.datetime, items: list[Item],
                    toc: list[tuple[str, str, str]], pages: list[tuple[str, str]]) -> list[tuple[str, bytes | Packed]]:
    """Every entry of the EPUB, made anew."""
    return arrange(package_documents(volume, identifier, modified, items, toc, pages), items)
