"""Wrap spans of TEI text nodes in new elements without losing or moving a character."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

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

    def walk(el: etree._Element) -> None:
        text = el.text
        if text and (want is None or want(text)):
            out.append(TextSlot(el, False))
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and (_LOCAL.get(tag) or local_of(tag)) not in skip:
                walk(child)
            tail = child.tail
            if tail and (want is None or want(tail)):
                out.append(TextSlot(child, True))

    walk(root)
    return iter(out)


def apply_spans(slot: TextSlot, spans: list[Span]) -> list[etree._Element]:
    """Replace parts of one text node by built elements; returns the new elements in order."""
    if not spans:
        return []
    text = slot.value
    spans = sorted(spans, key=lambda s: s[0])
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
    el = etree.SubElement(_holder(), f"{{{TEI_NS}}}{name}", attrs)
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


def _fill(el: etree._Element, items: list[str | etree._Element]) -> None:
    """Make ``items`` the mixed content of ``el`` (runs of strings joined; empty text is None)."""
    for child in list(el):
        el.remove(child)
    run: list[str] = []
    last: etree._Element | None = None
    for item in items:
        if isinstance(item, str):
            run.append(item)
            continue
        if last is None:
            el.text = "".join(run) or None
        else:
            last.tail = "".join(run) or None
        run = []
        item.tail = None
        el.append(item)
        last = item
    if last is None:
        el.text = "".join(run) or None
    else:
        last.tail = "".join(run) or None


def place(root: etree._Element, start: int, end: int, new: etree._Element,
          skip: frozenset[str]) -> etree._Element | None:
    """Wrap characters ``start:end`` of ``root``'s content text in ``new`` (an empty element).

    The wrapper goes into the deepest element whose content holds the whole range; it may enclose
    whole children ("Department of State, <gloss>WE</gloss> Files"). Returns None, changing nothing,
    when a boundary falls inside a child or the range lies inside a ``skip`` element.
    """
    if not 0 <= start < end:
        return None
    text = root.text or ""
    simple = len(new) == 0
    if simple and end <= len(text):
        return _split_text(root, None, text, start, end, new)
    children = list(root)
    # Each child's length once: the two passes below and every level of recursion need them.
    sizes: list[int] = []
    pos = len(text)
    for index, child in enumerate(children):
        size = len(content_text(child))
        sizes.append(size)
        if pos <= start and end <= pos + size and (pos, size) != (start, end - start):
            if local(child) in skip or not isinstance(child.tag, str):
                return None
            return place(child, start - pos, end - pos, new, skip)
        if pos < start < pos + size or pos < end < pos + size:
            return None  # a boundary inside a child: wrapping would break its markup
        pos += size
        tail = child.tail or ""
        if simple and pos <= start and end <= pos + len(tail):
            return _split_text(root, index, tail, start - pos, end - pos, new)
        pos += len(tail)
    if end > pos:
        return None
    before: list[str | etree._Element] = []
    inside: list[str | etree._Element] = []
    after: list[str | etree._Element] = []

    def split(item: str, pos: int) -> None:
        # Empty pieces are left out: runs of strings are joined, so they would change nothing.
        if pos >= end:
            after.append(item)
        elif pos + len(item) <= start:
            before.append(item)
        else:
            before.append(item[: max(0, start - pos)])
            inside.append(item[max(0, start - pos): max(0, end - pos)])
            after.append(item[max(0, end - pos):])

    split(text, 0)
    pos = len(text)
    for child, size in zip(children, sizes):
        if size == 0:
            # Empty elements (pb) on a boundary stay outside the wrapper.
            (before if pos <= start else after if pos >= end else inside).append(child)
        else:
            (before if pos + size <= start else inside if pos + size <= end else after).append(child)
        pos += size
        tail = child.tail or ""
        split(tail, pos)
        pos += len(tail)
    _fill(new, inside)
    _refill(root, [*before, new, *after])
    return new


def _split_text(root: etree._Element, index: int | None, text: str, start: int, end: int,
                new: etree._Element) -> etree._Element:
    """The common case of ``place``: the range lies in one text node (``root.text`` when ``index``
    is None, else the tail of child ``index``); what the general case makes, made directly."""
    new.text = text[start:end]
    new.tail = text[end:] or None
    if index is None:
        root.text = text[:start] or None
        root.insert(0, new)
    else:
        root[index].tail = text[:start] or None
        root.insert(index + 1, new)
    return new


def _refill(el: etree._Element, items: list[str | etree._Element]) -> None:
    """``_fill`` for items whose elements are ``el``'s children in order plus new ones: those that
    are already in place stay there rather than being removed and appended again."""
    run: list[str] = []
    last: etree._Element | None = None
    index = 0
    for item in items:
        if isinstance(item, str):
            run.append(item)
            continue
        if last is None:
            el.text = "".join(run) or None
        else:
            last.tail = "".join(run) or None
        run = []
        if index >= len(el) or el[index] is not item:
            item.tail = None
            el.insert(index, item)
        index += 1
        last = item
    while len(el) > index:
        el.remove(el[index])
    if last is None:
        el.text = "".join(run) or None
    else:
        last.tail = "".join(run) or None
