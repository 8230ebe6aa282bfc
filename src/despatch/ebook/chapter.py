"""TEI document div → one EPUB 3 XHTML chapter, with notes as EPUB footnotes and page breaks for a page-list."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .handlers import children, keep_id
from .xhtml import EPUB_NS, XHTML_NS, Chapter, Ctx, add_text, h, has_block


def notes_section(parent: etree._Element, ctx: Ctx) -> None:
    """Write the collected notes after the text as EPUB footnotes, each linking back to its reference."""
    if not ctx.notes:
        return
    section = h("section", parent, "notes", epub_type="footnotes", role="doc-endnotes")
    h("h2", section).text = "Notes"
    # A note inside a note appends to ctx.notes while this loop runs; the loop reaches it too.
    for note, label, ident in ctx.notes:
        aside = h("aside", section, "note", id=ident, epub_type="footnote", role="doc-footnote")
        first = h("p", aside)
        back = h("a", first, href=f"#{ident}-ref", role="doc-backlink")
        back.text = label
        add_text(first, " ")
        if has_block(note):
            children(note, aside, ctx)
        else:
            children(note, first, ctx)


def chapter(div: etree._Element, title: str, resolve: Callable[[str], str | None],
            css: str = "ebook.css") -> Chapter:
    """Convert a TEI document div into an XHTML chapter; ``resolve`` maps ref targets to hrefs."""
    ctx = Ctx(resolve=resolve)
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    html.set("lang", "en")
    html.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    head = h("head", html)
    h("meta", head, charset="utf-8")
    h("title", head).text = title
    h("link", head, rel="stylesheet", type="text/css", href=css)
    body = h("body", html)
    section = h("section", body, "document", epub_type="chapter")
    keep_id(div, section, ctx)
    children(div, section, ctx)
    notes_section(section, ctx)
    data = etree.tostring(html, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")
    return Chapter(html=data + b"\n", pages=ctx.pages)
