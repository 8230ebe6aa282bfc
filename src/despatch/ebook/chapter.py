"""TEI document div → one EPUB 3 XHTML chapter, with notes as EPUB footnotes and page breaks for a page-list."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .content import children, keep_id
from .opf import DECLARATION, attr, text
from .xhtml import EPUB_NS, XHTML_NS, Chapter, Ctx, end, has_block, start

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
    # Their labels and ids as r_note escaped them.
    for note, label, ident in ctx.notes:
        out.append(f'<aside class="note" id="{ident}" epub:type="footnote" role="doc-footnote">'
                   f'<p><a href="#{ident}-ref" role="doc-backlink">{label}</a> ')
        if has_block(note):
            out.append("</p>")
            children(note, "aside", ctx)
        else:
            children(note, "p", ctx)
            out.append("</p>")
        out.append("</aside>")
    out.append("</section>")


def chapter(div: etree._Element, title: str, resolve: Callable[[str], str | None],
            css: str = "ebook.css", plain: bool = False) -> Chapter:
    """Convert a TEI document div into an XHTML chapter; ``resolve`` maps ref targets to hrefs; ``plain``:
    no text in the div needs escaping (TEI that lxml serialised with no "&" in it)."""
    ctx = Ctx(resolve=resolve, plain=plain)
    out = ctx.out
    # The title is written even when empty (<title></title>), as lxml wrote a text set to "".
    out.append(f'{OPENING}{text(title)}</title><link rel="stylesheet" type="text/css" href="{attr(css)}"/>'
               "</head><body>")
    mark = start(out, "section", "document", f' epub:type="chapter"{keep_id(div, ctx)}')
    children(div, "section", ctx)
    notes_section(ctx)
    end(out, "section", mark)
    out.append("</body></html>\n")
    return Chapter(html="".join(out).encode("utf-8"), pages=ctx.pages)
