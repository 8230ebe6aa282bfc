"""TEI document div → one EPUB 3 XHTML chapter, with notes as EPUB footnotes and page breaks for a page-list."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .handlers import children, keep_id
from .opf import DECLARATION, attr, text
from .xhtml import EPUB_NS, XHTML_NS, Chapter, Ctx, block_holders, end, start

# The chapter's start as lxml serialised its tree: declaration, doctype, the root with its namespaces.
OPENING = (f'{DECLARATION}<!DOCTYPE html>\n<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="en" xml:lang="en">'
           '<head><meta charset="utf-8"/><title>')


def notes_section(ctx: Ctx) -> None:
    """Write the collected notes after the text as EPUB footnotes, each linking back to its reference."""
    if not ctx.notes:
        return
    out = ctx.out
    out.append('<section class="notes" epub:type="footnotes" role="doc-endnotes"><h2>Notes</h2>')
    # A note inside a note appends to ctx.notes while this loop runs; the loop reaches it too.
    for note, label, ident in ctx.notes:
        i = attr(ident)
        out.append(f'<aside class="note" id="{i}" epub:type="footnote" role="doc-footnote">'
                   f'<p><a href="#{i}-ref" role="doc-backlink">{text(label)}</a> ')
        if note in ctx.holders:
            out.append("</p>")
            children(note, "aside", ctx)
        else:
            children(note, "p", ctx)
            out.append("</p>")
        out.append("</aside>")
    out.append("</section>")


def chapter(div: etree._Element, title: str, resolve: Callable[[str], str | None] | None,
            css: str = "ebook.css") -> Chapter:
    """Convert a TEI document div into an XHTML chapter; ``resolve`` maps ref targets to hrefs.

    ``resolve`` None: the links are left as markers for ``linked`` to resolve, so that a chapter can be
    made as soon as its TEI is parsed, before the rest of the book's anchors are known.
    """
    ctx = Ctx(resolve=resolve, holders=block_holders(div))
    out = ctx.out
    # The title is written even when empty (<title></title>), as lxml wrote a text set to "".
    head = (f'{OPENING}{text(title)}</title><link rel="stylesheet" type="text/css" href="{attr(css)}"/>'
            "</head><body>").encode()
    mark = start(out, "section", "document", f' epub:type="chapter"{keep_id(div, ctx)}')
    children(div, "section", ctx)
    notes_section(ctx)
    end(out, "section", mark)
    out.append("</body></html>\n")
    # The head apart: the title is the one text not from the TEI, the one that could hold a NUL.
    return Chapter(html=head + "".join(out).encode("utf-8"), pages=ctx.pages, links=ctx.links, at=len(head))


def linked(made: Chapter, resolve: Callable[[str], str | None]) -> bytes:
    """The chapter's XHTML with its links resolved: the bytes ``chapter`` writes given ``resolve``."""
    if not made.links:
        return made.html
    hrefs = [resolve(target) for target in made.links]
    parts = made.html[made.at:].split(b"\0")   # text, marker, text …: the markers at odd places
    for i in range(1, len(parts), 2):
        code = parts[i]
        href, form = hrefs[int(code[:-1])], code[-1:]
        if href:
            a = attr(href)
            parts[i] = (f'<a href="{a}">' if form == b"o" else f'<a href="{a}"/>' if form == b"e" else "</a>").encode()
        else:
            parts[i] = _SPAN[form]
    return made.html[:made.at] + b"".join(parts)


# A link that resolves to nothing keeps its text in a span, as the handler writes it.
_SPAN = {b"o": b'<span class="ref">', b"e": b'<span class="ref"/>', b"c": b"</span>"}
