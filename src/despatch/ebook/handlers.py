"""TEI elements → XHTML for EPUB chapters: one small handler per element, in a dispatch table.

Each handler writes its element's markup onto ``ctx.out`` as text, escaped as lxml serialises it,
given the tag of the element it goes into (``ptag``: a block in phrasing content becomes a span).
Text, not an lxml tree: a chapter has a few hundred elements, and making each one was most of its cost.
"""

from __future__ import annotations

from lxml import etree

from ..tei.xmlio import TEI_NS, XML_ID
from .content import Handler, block, children, element, keep_id, span
from .opf import attr, text
from .xhtml import HI, PHRASING, Ctx, end, has_block, local, start

LABEL, ROW, CELL, HEAD = (f"{{{TEI_NS}}}{name}" for name in ("label", "row", "cell", "head"))


def r_p(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    if ptag in PHRASING:
        element(el, ctx, ctx.out, '<span class="p"', "span", "</span>")
    elif len(el) and has_block(el):
        element(el, ctx, ctx.out, '<div class="p"', "div", "</div>")
    else:
        element(el, ctx, ctx.out, "<p", "p", "</p>")


def r_head(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    if ptag in PHRASING or local(el.getparent()) in ("list", "table", "lg", "figure"):
        tag, cls = ("span" if ptag in PHRASING else "p"), "head"
    else:
        depth = sum(1 for _ in el.iterancestors("{*}div"))  # divs in any namespace, as local() names them
        tag, cls = f"h{min(max(depth, 1), 3)}", ""
    element(el, ctx, ctx.out, f'<{tag} class="{cls}"' if cls else f"<{tag}", tag, f"</{tag}>")


def r_note(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    ident = el.get(XML_ID) or f"note{len(ctx.notes) + 1}"
    label = el.get("n") or str(len(ctx.notes) + 1)
    if not ctx.plain:
        ident, label = attr(ident), text(label)
    ctx.out.append(f'<sup><a href="#{ident}" id="{ident}-ref" epub:type="noteref" role="doc-noteref">{label}</a></sup>')
    ctx.notes.append((el, label, ident))


def r_pb(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    n = el.get("n")
    if not n:
        return
    ident = el.get(XML_ID) or f"pg_{n}"
    extra = ""
    if ident not in ctx.ids:
        ctx.ids.add(ident)
        extra = f' id="{ident if ctx.plain else attr(ident)}"'
        ctx.pages.append((ident, n))
    ctx.out.append(f'<span class="pb" epub:type="pagebreak" role="doc-pagebreak" title="{n if ctx.plain else attr(n)}"'
                   f'{extra}>[Page {n if ctx.plain else text(n)}]</span>')


def r_ref(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    href = ctx.resolve(el.get("target", ""))
    tag = "a" if href else "span"
    mark = start(ctx.out, "a", "", f' href="{attr(href)}"') if href else start(ctx.out, "span", "ref")
    children(el, tag, ctx)
    end(ctx.out, tag, mark)


def r_hi(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    rend = (el.get("rend") or "").split()
    tag = next((HI[r] for r in rend if r in HI), "span")
    mark = start(ctx.out, tag, "" if tag != "span" else attr(" ".join(rend)))
    children(el, tag, ctx)
    end(ctx.out, tag, mark)


def r_lb(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    ctx.out.append("<br/>")


def r_list(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    if ptag in PHRASING:
        return _LIST_SPAN(el, ptag, ctx)
    out = ctx.out
    labelled = el.find(LABEL) is not None
    after: list[str] = []               # heads met once the list has begun follow it, outside it
    ul = li = 0                         # the marks of the open list and item (0: none yet)
    pending: list[etree._Element] = []  # labels and page breaks waiting for the next item
    for child in el:
        name = local(child)
        if name == "head":
            ctx.out = after if ul else out
            r_head(child, ptag, ctx)
            ctx.out = out
        elif name in ("label", "pb"):
            pending.append(child)
        elif name == "item":
            if not ul:
                ul = start(out, "ul", "list labelled" if labelled else "list", keep_id(el, ctx))
            else:
                end(out, "li", li)
            # The waiting labels and page breaks are written before the item's id is taken, as the tree had it.
            ctx.out = lead = []
            for waiting in pending:
                if local(waiting) == "label":
                    mark = start(lead, "span", "label")
                    children(waiting, "span", ctx)
                    end(lead, "span", mark)
                    lead.append(" ")
                else:
                    r_pb(waiting, "li", ctx)
            ctx.out = out
            pending = []
            li = start(out, "li", "", keep_id(child, ctx))
            out += lead
            children(child, "li", ctx)
    if ul:
        for waiting in pending:         # page breaks after the last item stay in the last item
            if local(waiting) == "pb":
                r_pb(waiting, "li", ctx)
        end(out, "li", li)
        out.append("</ul>")
    out += after


def r_quote(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    if ptag not in PHRASING and has_block(el):
        element(el, ctx, ctx.out, "<blockquote", "blockquote", "</blockquote>")
    else:
        element(el, ctx, ctx.out, '<span class="quote"', "span", "</span>")


def r_table(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    if ptag in PHRASING:
        return _TABLE_SPAN(el, ptag, ctx)
    out = ctx.out
    out.append(f"<table{keep_id(el, ctx)}>")
    head = el.find(HEAD)
    if head is not None:
        mark = start(out, "caption")
        children(head, "caption", ctx)
        end(out, "caption", mark)
    body = start(out, "tbody")
    # The table's own rows and cells: a table nested in a cell is written inside that cell, once.
    for row in el.iterchildren(ROW):
        tr = start(out, "tr")
        for cell in row.iterchildren(CELL):
            tag = "th" if cell.get("role") == "label" or row.get("role") == "label" else "td"
            extra = "".join(f' {name}="{attr(value)}"' for name, value in
                            (("colspan", cell.get("cols", "1")), ("rowspan", cell.get("rows", "1"))) if value != "1")
            mark = start(out, tag, "", extra)
            children(cell, tag, ctx)
            end(out, tag, mark)
        end(out, "tr", tr)
    end(out, "tbody", body)
    out.append("</table>")


def r_skip(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    """Elements with no reading text (graphics, milestones)."""


_LIST_SPAN, _TABLE_SPAN = span("list"), span("table")

HANDLERS: dict[str, Handler] = {
    "p": r_p, "head": r_head, "note": r_note, "pb": r_pb, "ref": r_ref, "hi": r_hi, "lb": r_lb,
    "list": r_list, "quote": r_quote, "table": r_table, "graphic": r_skip, "milestone": r_skip,
    "div": block("section"), "closer": block("div", "closer"), "opener": block("div", "opener"),
    "postscript": block("div", "postscript"), "lg": block("div", "lg"), "figure": block("div", "figure"),
    "dateline": block("p", "dateline"), "signed": block("p", "signed"), "salute": block("p", "salute"),
    "l": block("p", "l"), "figDesc": block("p", "figdesc"), "label": span("label"),
    "foreign": block("i"), "q": span("q"), "gap": span("gap"),
}
