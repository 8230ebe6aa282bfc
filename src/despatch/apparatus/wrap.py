"""Wrap spans of TEI text nodes in new elements without losing or moving a character."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter

from lxml import etree

from ..tei.xmlio import TEI_NS

# A span of one text node to become an element: (start, end, build), where build(text) returns
# an element whose itertext() equals text (nested markup allowed, e.g. a bibl with its idno).
Span = tuple[int, int, Callable[[str], etree._Element]]


@dataclass(slots=True)
class TextSlot:
    """One text node: ``el.text`` (tail=False) or ``el.tail`` (tail=True)."""

    el: etree._Element
    tail: bool

    @property
    def value(self) -> str:
        return (self.el.tail if self.tail else self.el.text) or ""


_LOCAL: dict[str, str] = {}
_TEI_PREFIX = f"{{{TEI_NS}}}"


def local_of(tag: object) -> str:
    """The local name of a tag ('' for comments and other namespaces), remembered per tag."""
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        # A walk asks for the names of thousands of elements with a handful of tags.
        if tag.startswith(_TEI_PREFIX):
            name = tag[len(_TEI_PREFIX):]
        else:
            name = "" if tag.startswith("{") else tag
        _LOCAL[tag] = name
    return name


def local(el: etree._Element) -> str:
    """The local name of a TEI element ('' for comments and other namespaces)."""
    return local_of(el.tag)


def text_slots(root: etree._Element, skip: frozenset[str],
               want: Callable[[str], bool] | None = None) -> Iterator[TextSlot]:
    """Every text node under ``root`` in reading order, leaving out the insides of ``skip`` elements.

    The tails of skipped elements are still yielded: they belong to the parent. Slots are listed
    before any is changed, so callers may wrap while iterating over the returned list. ``want``
    keeps only the texts it accepts (a cheap test that spares callers most nodes).
    """
    out: list[TextSlot] = []
    _slots(root, skip, want, out)
    return iter(out)


def _slots(el: etree._Element, skip: frozenset[str], want: Callable[[str], bool] | None, out: list[TextSlot]) -> None:
    # A module function, not a nested one calling itself: that would be a cycle holding the tree.
    text = el.text
    if text and (want is None or want(text)):
        out.append(TextSlot(el, False))
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and (_LOCAL.get(tag) or local_of(tag)) not in skip:
            _slots(child, skip, want, out)
        tail = child.tail
        if tail and (want is None or want(tail)):
            out.append(TextSlot(child, True))


def apply_spans(slot: TextSlot, spans: list[Span]) -> list[etree._Element]:
    """Replace parts of one text node by built elements; returns the new elements in order."""
    if not spans:
        return []
    text = slot.value
    spans = sorted(spans, key=itemgetter(0))
    built: list[tuple[etree._Element, str]] = []
    pos = 0
    head = None
    for start, end, build in spans:
        if start < pos or end <= start or end > len(text):
            raise ValueError(f"overlapping or empty span {start}:{end} in {text!r}")
        el = build(text[start:end])
        if "".join(el.itertext()) != text[start:end]:
            # The apparatus may only add markup; a builder that changes text is a bug, not input.
            raise ValueError(f"builder changed the text {text[start:end]!r}")
        if head is None:
            head = text[pos:start]
        else:
            built[-1] = (built[-1][0], text[pos:start])
        built.append((el, ""))
        pos = end
    built[-1] = (built[-1][0], text[pos:])
    if slot.tail:
        parent = slot.el.getparent()
        assert parent is not None
        slot.el.tail = head
        index = parent.index(slot.el) + 1
    else:
        parent = slot.el
        slot.el.text = head
        index = 0
    for offset, (el, tail) in enumerate(built):
        el.tail = tail or None
        parent.insert(index + offset, el)
    return [el for el, _ in built]


_HOLDER = threading.local()


def _holder() -> etree._Element:
    """A per-thread element that new elements are made under until they are placed."""
    holder = getattr(_HOLDER, "el", None)
    if holder is None:
        holder = _HOLDER.el = etree.Element("holder")
    elif len(holder) > 64:
        for child in list(holder):  # elements that were never placed
            holder.remove(child)
    return holder


def element(name: str, text: str, **attrs: str) -> etree._Element:
    """A TEI element holding plain text, with attributes (``xml_id`` is not special here)."""
    # Made as a child of a holder, not on its own: etree.Element makes a whole document for each
    # element. Placing it moves it out of the holder, exactly as it would move a lone element.
    el = etree.SubElement(_holder(), f"{{{TEI_NS}}}{name}")
    for key, value in attrs.items():
        el.set(key, value)  # one at a time: lxml takes an attribute dict at creation more slowly
    el.text = text
    return el


def content_text(el: etree._Element) -> str:
    """The text of an element's content (without its own tail; comments contribute nothing)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(content_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
