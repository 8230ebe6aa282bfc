"""A TEI element's content written into an EPUB chapter: its texts, and each child by its handler."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from ..tei.xmlio import XML_ID
from .opf import attr, text
from .xhtml import PHRASING, Ctx

Handler = Callable[[etree._Element, str, Ctx], None]


def children(el: etree._Element, ptag: str, ctx: Ctx) -> None:
    """Render ``el``'s text and children into the element ``ptag`` being written."""
    out = ctx.out
    value = el.text  # read once: lxml makes a new string at every read
    if ctx.plain:  # nothing in the document to escape (see Ctx.plain): the texts go in as they are
        if value:
            out.append(value)
        for child in el:
            tag = child.tag
            if isinstance(tag, str):
                (_BY_TAG.get(tag) or _handler(tag))(child, ptag, ctx)
            value = child.tail
            if value:
                out.append(value)
        return
    # text()'s test written out: a chapter has a hundred texts, and most have nothing to escape.
    if value:
        out.append(text(value) if "&" in value or "<" in value or ">" in value or "\r" in value else value)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):  # not a comment or processing instruction
            # By the element's full name: one dictionary look-up an element, no call to find its handler.
            (_BY_TAG.get(tag) or _handler(tag))(child, ptag, ctx)
        value = child.tail
        if value:
            out.append(text(value) if "&" in value or "<" in value or ">" in value or "\r" in value else value)


def element(el: etree._Element, ctx: Ctx, out: list[str], first: str, name: str, close: str) -> None:
    """Write ``el`` as the element ``name``: ``first`` (its opening tag without the bracket), the TEI id
    when it keeps one, its content, and ``close``, or ``<name/>`` when nothing went in, as lxml writes it.

    ``start``, ``keep_id``, ``children`` and ``end`` in one call: most elements hold text alone, and
    the calls were most of their cost.
    """
    ident = el.get(XML_ID)
    if ident and ident not in ctx.ids:
        ctx.ids.add(ident)
        out.append(f'{first} id="{ident if ctx.plain else attr(ident)}">')
    else:
        out.append(first + ">")
    if len(el):
        mark = len(out)
        children(el, name, ctx)
        if len(out) == mark:  # comments or processing instructions alone
            out[-1] = out[-1][:-1] + "/>"
        else:
            out.append(close)
        return
    value = el.text
    if value:
        out.append(value if ctx.plain or not ("&" in value or "<" in value or ">" in value or "\r" in value)
                   else text(value))
        out.append(close)
    else:
        out[-1] = out[-1][:-1] + "/>"


def keep_id(src: etree._Element, ctx: Ctx) -> str:
    """The id attribute carrying a TEI xml:id over, once per chapter, so cross-references land on it."""
    ident = src.get(XML_ID)
    if ident and ident not in ctx.ids:
        ctx.ids.add(ident)
        return f' id="{ident if ctx.plain else attr(ident)}"'
    return ""


def block(tag: str, cls: str = "") -> Handler:
    """A handler for a TEI block: ``tag`` normally, a span inside phrasing content."""
    # The element's opening and closing tags, made once, not for each element.
    as_block, as_span = (f'<{tag} class="{cls}"' if cls else f"<{tag}"), f'<span class="{cls or tag}"'
    close = f"</{tag}>"

    def handler(el: etree._Element, ptag: str, ctx: Ctx) -> None:
        if ptag in PHRASING:
            element(el, ctx, ctx.out, as_span, "span", "</span>")
        else:
            element(el, ctx, ctx.out, as_block, tag, close)
    return handler


def span(cls: str) -> Handler:
    """A handler that keeps an inline element's text in a classed span."""
    return block("span", cls)


def _handler(tag: str) -> Handler:
    """The handler of a TEI element by its full name; unknown elements keep their text in a span."""
    # The table imported here, once a tag is first met: its handlers write their content through this module.
    from .handlers import HANDLERS

    name = etree.QName(tag).localname
    # Names of the apparatus (persName, date, bibl …) have no handler of their own: one span
    # handler a name, made once, not one for each element.
    handler = _BY_TAG[tag] = HANDLERS.get(name) or span(name or "x")
    return handler


_BY_TAG: dict[str, Handler] = {}
