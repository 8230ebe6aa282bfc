"""Wrap a range of an element's content text in a new element, at the deepest level that holds it."""

from __future__ import annotations

from lxml import etree

from .wrap import content_text, local

# A range of a text to wrap: (start, end, tag, attributes in order, the ranges inside it).
Piece = tuple[int, int, str, tuple[tuple[str, str], ...], list["Piece"]]


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
    _fill(root, [*before, new, *after])
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


def _fill(el: etree._Element, items: list[str | etree._Element]) -> None:
    """Make ``items`` the mixed content of ``el`` (runs of strings joined; empty text is None).

    Elements already in place among ``el``'s children stay there rather than being removed and
    appended again; the others are moved in, and children not among ``items`` are removed.
    """
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


def place_all(root: etree._Element, pieces: list[Piece]) -> None:
    """Wrap ranges of the text of ``root``, an element without children, each range with the
    ranges inside it: what ``place`` makes range by range, made in one pass.

    The ranges of a level are sorted, disjoint and not empty, and lie inside their parent's range.
    """
    text = root.text or ""
    _fill_text(root, text, 0, len(text), pieces)


def _fill_text(el: etree._Element, text: str, start: int, end: int, pieces: list[Piece]) -> None:
    """Make ``text[start:end]`` the content of ``el`` with ``pieces`` as its children."""
    last: etree._Element | None = None
    pos = start
    for s, e, tag, attrs, inner in pieces:
        if last is None:
            el.text = text[pos:s] or None
        else:
            last.tail = text[pos:s] or None
        last = etree.SubElement(el, tag)
        for key, value in attrs:
            last.set(key, value)  # one at a time, in order: the order is the serialized one
        if inner:
            _fill_text(last, text, s, e, inner)
        else:
            last.text = text[s:e]
        pos = e
    if last is None:
        el.text = text[pos:end] or None
    else:
        last.tail = text[pos:end] or None
