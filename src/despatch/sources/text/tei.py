"""Blocks to a TEI document div following the FRUS conventions."""

from __future__ import annotations

from lxml import etree

from ...tei.xmlio import t
from .blocks import Block
from .inline import Inline, append_text
from .lists import ItemNode, ListNode

_P, _CLOSER, _DATELINE, _QUOTE = t("p"), t("closer"), t("dateline"), t("quote")
_LIST, _HEAD, _LABEL, _ITEM = t("list"), t("head"), t("label"), t("item")


def build_body(div: etree._Element, blocks: list[Block], inline: Inline) -> None:
    """Append the body's blocks to ``div``."""
    for b in blocks:
        if b.kind == "p" and len(b.spans) == 1:
            inline.fill(etree.SubElement(div, _P), *b.spans[0])  # most blocks: tested first
        elif b.kind == "pb":
            inline.render(div, *b.spans[0])
        elif b.kind == "list":
            assert b.tree is not None
            build_list(div, b.tree, inline)
        elif b.kind == "closer":
            closer = etree.SubElement(div, _CLOSER)
            for kind, span in b.parts:
                inline.fill(etree.SubElement(closer, t(kind)), *span)
        elif b.kind == "dateline":
            build_dateline(etree.SubElement(div, _DATELINE), b, inline)
        elif b.kind == "quote":
            quote = etree.SubElement(div, _QUOTE, rend="blockquote")
            inline.fill(etree.SubElement(quote, _P), *b.spans[0])
        else:
            p = etree.SubElement(div, _P)
            for k, span in enumerate(b.spans):
                if k:
                    append_text(p, "\n")   # lines of one paragraph (rare): keep the break as space
                inline.render(p, *span)


def build_list(parent: etree._Element, tree: ListNode, inline: Inline) -> etree._Element:
    """A TEI list appended to ``parent``: head, then label/item pairs (labels as siblings, as FRUS
    encodes them)."""
    lst = etree.SubElement(parent, _LIST)
    if tree.head is not None:
        text = inline.src.text[tree.head[0]:tree.head[1]]
        if text.isalpha():
            lst.set("type", text.lower())
        inline.fill(etree.SubElement(lst, _HEAD), *tree.head)
    for child in tree.children:
        if isinstance(child, ItemNode):
            if child.label is not None:
                inline.fill(etree.SubElement(lst, _LABEL), *child.label)
            item = etree.SubElement(lst, _ITEM)
            inline.fill(item, *child.span)
            if child.sub is not None:
                build_list(item, child.sub, inline)
        else:
            inline.render(lst, *child.span)
    return lst


def build_dateline(el: etree._Element, b: Block, inline: Inline) -> None:
    """placeName and date inside the dateline, the text between them kept as is."""
    pos, end = b.spans[0]
    for kind, (s, e) in b.parts:
        append_text(el, inline.src.text[pos:s])
        child = etree.SubElement(el, t(kind))
        child.text = inline.src.text[s:e]
        if kind == "date":
            child.set("when", b.when)
        pos = e
    append_text(el, inline.src.text[pos:end])
