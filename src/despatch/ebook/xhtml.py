"""TEI document div → one EPUB 3 XHTML chapter, with notes as EPUB footnotes and page breaks for a page-list."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from ..tei.xmlio import TEI_NS, XML_ID

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{EPUB_NS}}}type"

# Elements whose content model is phrasing only: a TEI block met inside them must become a span.
PHRASING = {"p", "span", "a", "i", "b", "sup", "sub", "u", "abbr", "h1", "h2", "h3", "q", "dt", "small"}
# TEI elements that render as blocks; a TEI <p> holding one becomes a <div class="p"> to stay valid.
BLOCKS = {"list", "table", "lg", "figure", "closer", "opener", "postscript", "div", "p"}
HI = {"italic": "i", "bold": "b", "strong": "b", "superscript": "sup", "sub": "sub", "subscript": "sub",
      "underline": "u"}


@dataclass
class Chapter:
    """What converting one document produced: the XHTML page, its page breaks and its anchors."""

    html: bytes
    pages: list[tuple[str, str]] = field(default_factory=list)   # (element id, printed page)


@dataclass
class _Ctx:
    """Per-document state: the link resolver and the notes collected for the end of the chapter."""

    resolve: Callable[[str], str | None]
    notes: list[tuple[etree._Element, str, str]] = field(default_factory=list)   # (note, label, id)
    pages: list[tuple[str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


def h(tag: str, parent: etree._Element | None = None, cls: str = "", **attrs: str) -> etree._Element:
    """Create an XHTML element (appended to ``parent`` when given)."""
    name = f"{{{XHTML_NS}}}{tag}"
    el = etree.Element(name) if parent is None else etree.SubElement(parent, name)
    if cls:
        el.set("class", cls)
    for key, value in attrs.items():
        el.set(EPUB_TYPE if key == "epub_type" else key.rstrip("_").replace("_", "-"), value)
    return el


def local(el: etree._Element) -> str:
    """Local name of a TEI element ('' for comments and processing instructions)."""
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def add_text(parent: etree._Element, text: str | None) -> None:
    """Append text at the end of ``parent``'s content."""
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def tag_of(parent: etree._Element) -> str:
    return etree.QName(parent).localname


def inline(parent: etree._Element) -> bool:
    """Whether only phrasing content may go into ``parent``."""
    return tag_of(parent) in PHRASING


def has_block(el: etree._Element) -> bool:
    """Whether a TEI element holds something that renders as a block."""
    return any(local(d) in BLOCKS or (local(d) == "quote" and d.find(f"{{{TEI_NS}}}p") is not None)
               for d in el.iterdescendants())


def children(el: etree._Element, out: etree._Element, ctx: _Ctx) -> None:
    """Render ``el``'s text and children into ``out``."""
    add_text(out, el.text)
    for child in el:
        if isinstance(child.tag, str):
            render(child, out, ctx)
        add_text(out, child.tail)


def keep_id(src: etree._Element, out: etree._Element, ctx: _Ctx) -> None:
    """Carry a TEI xml:id over, once per chapter, so cross-references land on it."""
    ident = src.get(XML_ID)
    if ident and ident not in ctx.ids:
        ctx.ids.add(ident)
        out.set("id", ident)


def block(tag: str, cls: str = "") -> Callable[[etree._Element, etree._Element, _Ctx], None]:
    """A handler for a TEI block: ``tag`` normally, a span inside phrasing content."""
    def handler(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
        out = h("span", parent, cls or tag) if inline(parent) else h(tag, parent, cls)
        keep_id(el, out, ctx)
        children(el, out, ctx)
    return handler


def span(cls: str) -> Callable[[etree._Element, etree._Element, _Ctx], None]:
    """A handler that keeps an inline element's text in a classed span."""
    return block("span", cls)


def r_p(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    tag = "span" if inline(parent) else ("div" if has_block(el) else "p")
    out = h(tag, parent, "p" if tag != "p" else "")
    keep_id(el, out, ctx)
    children(el, out, ctx)


def r_head(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    if inline(parent) or local(el.getparent()) in ("list", "table", "lg", "figure"):
        out = h("span" if inline(parent) else "p", parent, "head")
    else:
        depth = sum(1 for a in el.iterancestors() if local(a) == "div")
        out = h(f"h{min(max(depth, 1), 3)}", parent)
    keep_id(el, out, ctx)
    children(el, out, ctx)


def r_note(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    ident = el.get(XML_ID) or f"note{len(ctx.notes) + 1}"
    label = el.get("n") or str(len(ctx.notes) + 1)
    sup = h("sup", parent)
    h("a", sup, href=f"#{ident}", id=f"{ident}-ref", epub_type="noteref", role="doc-noteref").text = label
    ctx.notes.append((el, label, ident))


def r_pb(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    n = el.get("n")
    if not n:
        return
    out = h("span", parent, "pb", epub_type="pagebreak", role="doc-pagebreak", title=n)
    out.text = f"[Page {n}]"
    ident = el.get(XML_ID) or f"pg_{n}"
    if ident not in ctx.ids:
        ctx.ids.add(ident)
        out.set("id", ident)
        ctx.pages.append((ident, n))


def r_ref(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    href = ctx.resolve(el.get("target", ""))
    out = h("a", parent, href=href) if href else h("span", parent, "ref")
    children(el, out, ctx)


def r_hi(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    rend = (el.get("rend") or "").split()
    tag = next((HI[r] for r in rend if r in HI), "span")
    out = h(tag, parent, "" if tag != "span" else " ".join(rend))
    children(el, out, ctx)


def r_lb(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    h("br", parent)


def r_list(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    if inline(parent):
        return span("list")(el, parent, ctx)
    labelled = el.find(f"{{{TEI_NS}}}label") is not None
    ul = None
    pending: list[etree._Element] = []      # labels and page breaks waiting for the next item
    for child in el:
        name = local(child)
        if name == "head":
            r_head(child, parent, ctx)
        elif name in ("label", "pb"):
            pending.append(child)
        elif name == "item":
            if ul is None:
                ul = h("ul", parent, "list labelled" if labelled else "list")
                keep_id(el, ul, ctx)
            li = h("li", ul)
            for waiting in pending:
                if local(waiting) == "label":
                    lab = h("span", li, "label")
                    children(waiting, lab, ctx)
                    add_text(li, " ")
                else:
                    r_pb(waiting, li, ctx)
            pending = []
            keep_id(child, li, ctx)
            children(child, li, ctx)
    for waiting in pending:             # page breaks after the last item stay in the last item
        if local(waiting) == "pb" and ul is not None:
            r_pb(waiting, ul[-1], ctx)


def r_quote(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    block_quote = not inline(parent) and has_block(el)
    out = h("blockquote", parent) if block_quote else h("span", parent, "quote")
    keep_id(el, out, ctx)
    children(el, out, ctx)


def r_table(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    if inline(parent):
        return span("table")(el, parent, ctx)
    table = h("table", parent)
    keep_id(el, table, ctx)
    head = el.find(f"{{{TEI_NS}}}head")
    if head is not None:
        children(head, h("caption", table), ctx)
    body = h("tbody", table)
    for row in el.iter(f"{{{TEI_NS}}}row"):
        tr = h("tr", body)
        for cell in row.iter(f"{{{TEI_NS}}}cell"):
            td = h("th" if cell.get("role") == "label" or row.get("role") == "label" else "td", tr)
            for attr in ("cols", "rows"):
                if cell.get(attr, "1") != "1":
                    td.set("colspan" if attr == "cols" else "rowspan", cell.get(attr, "1"))
            children(cell, td, ctx)


def r_skip(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    """Elements with no reading text (graphics, milestones)."""


HANDLERS: dict[str, Callable[[etree._Element, etree._Element, _Ctx], None]] = {
    "p": r_p, "head": r_head, "note": r_note, "pb": r_pb, "ref": r_ref, "hi": r_hi, "lb": r_lb,
    "list": r_list, "quote": r_quote, "table": r_table, "graphic": r_skip, "milestone": r_skip,
    "div": block("section"), "closer": block("div", "closer"), "opener": block("div", "opener"),
    "postscript": block("div", "postscript"), "lg": block("div", "lg"), "figure": block("div", "figure"),
    "dateline": block("p", "dateline"), "signed": block("p", "signed"), "salute": block("p", "salute"),
    "l": block("p", "l"), "figDesc": block("p", "figdesc"), "label": span("label"),
    "foreign": block("i"), "q": span("q"), "gap": span("gap"),
}


def render(el: etree._Element, parent: etree._Element, ctx: _Ctx) -> None:
    """Render one TEI element by its handler; unknown elements keep their text in a span."""
    HANDLERS.get(local(el), span(local(el) or "x"))(el, parent, ctx)


def notes_section(parent: etree._Element, ctx: _Ctx) -> None:
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
    ctx = _Ctx(resolve=resolve)
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
