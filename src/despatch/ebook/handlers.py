"""TEI elements → XHTML for EPUB chapters: one small handler per element, in a dispatch table."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ..tei.xmlio import TEI_NS, XML_ID
from .xhtml import HI, Ctx, add_text, h, has_block, inline, local


def children(el: etree._Element, out: etree._Element, ctx: Ctx) -> None:
    """Render ``el``'s text and children into ``out``."""
    add_text(out, el.text)
    for child in el:
        if isinstance(child.tag, str):
            render(child, out, ctx)
        add_text(out, child.tail)


def keep_id(src: etree._Element, out: etree._Element, ctx: Ctx) -> None:
    """Carry a TEI xml:id over, once per chapter, so cross-references land on it."""
    ident = src.get(XML_ID)
    if ident and ident not in ctx.ids:
        ctx.ids.add(ident)
        out.set("id", ident)


def block(tag: str, cls: str = "") -> Callable[[etree._Element, etree._Element, Ctx], None]:
    """A handler for a TEI block: ``tag`` normally, a span inside phrasing content."""
    def handler(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
        out = h("span", parent, cls or tag) if inline(parent) else h(tag, parent, cls)
        keep_id(el, out, ctx)
        children(el, out, ctx)
    return handler


def span(cls: str) -> Callable[[etree._Element, etree._Element, Ctx], None]:
    """A handler that keeps an inline element's text in a classed span."""
    return block("span", cls)


def r_p(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    tag = "span" if inline(parent) else ("div" if has_block(el) else "p")
    out = h(tag, parent, "p" if tag != "p" else "")
    keep_id(el, out, ctx)
    children(el, out, ctx)


def r_head(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    if inline(parent) or local(el.getparent()) in ("list", "table", "lg", "figure"):
        out = h("span" if inline(parent) else "p", parent, "head")
    else:
        depth = sum(1 for a in el.iterancestors() if local(a) == "div")
        out = h(f"h{min(max(depth, 1), 3)}", parent)
    keep_id(el, out, ctx)
    children(el, out, ctx)


def r_note(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    ident = el.get(XML_ID) or f"note{len(ctx.notes) + 1}"
    label = el.get("n") or str(len(ctx.notes) + 1)
    sup = h("sup", parent)
    h("a", sup, href=f"#{ident}", id=f"{ident}-ref", epub_type="noteref", role="doc-noteref").text = label
    ctx.notes.append((el, label, ident))


def r_pb(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
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


def r_ref(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    href = ctx.resolve(el.get("target", ""))
    out = h("a", parent, href=href) if href else h("span", parent, "ref")
    children(el, out, ctx)


def r_hi(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    rend = (el.get("rend") or "").split()
    tag = next((HI[r] for r in rend if r in HI), "span")
    out = h(tag, parent, "" if tag != "span" else " ".join(rend))
    children(el, out, ctx)


def r_lb(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    h("br", parent)


def r_list(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
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


def r_quote(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    block_quote = not inline(parent) and has_block(el)
    out = h("blockquote", parent) if block_quote else h("span", parent, "quote")
    keep_id(el, out, ctx)
    children(el, out, ctx)


def r_table(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
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


def r_skip(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    """Elements with no reading text (graphics, milestones)."""


HANDLERS: dict[str, Callable[[etree._Element, etree._Element, Ctx], None]] = {
    "p": r_p, "head": r_head, "note": r_note, "pb": r_pb, "ref": r_ref, "hi": r_hi, "lb": r_lb,
    "list": r_list, "quote": r_quote, "table": r_table, "graphic": r_skip, "milestone": r_skip,
    "div": block("section"), "closer": block("div", "closer"), "opener": block("div", "opener"),
    "postscript": block("div", "postscript"), "lg": block("div", "lg"), "figure": block("div", "figure"),
    "dateline": block("p", "dateline"), "signed": block("p", "signed"), "salute": block("p", "salute"),
    "l": block("p", "l"), "figDesc": block("p", "figdesc"), "label": span("label"),
    "foreign": block("i"), "q": span("q"), "gap": span("gap"),
}


def render(el: etree._Element, parent: etree._Element, ctx: Ctx) -> None:
    """Render one TEI element by its handler; unknown elements keep their text in a span."""
    name = local(el)
    handler = HANDLERS.get(name) or _SPANS.get(name)
    if handler is None:
        # Names of the apparatus (persName, date, bibl …) have no handler of their own: one span
        # handler a name, made once, not one for each element.
        handler = _SPANS[name] = span(name or "x")
    handler(el, parent, ctx)


_SPANS: dict[str, Callable[[etree._Element, etree._Element, Ctx], None]] = {}
