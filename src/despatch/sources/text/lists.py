"""Lists: bullet lines, label lines and bare consecutive lines, with their nesting.

Nesting comes from what each form offers. Bullets carry it in their indentation (two spaces per
level). Label lines are not indented in the copy format, so a change of label style ('B.' then
'1)' then 'a)') opens a nested list and a return to an earlier style closes back to it, as in
printed outlines. Bare lines (a list whose printed numbers were lost in copying) carry no marks at
all: an item ending with ':' introduces the items after it, which then form its nested list — the
only evidence of hierarchy left, and the way FRUS prints sub-points under an introducing sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markers import PAGE
from .source import Source

Span = tuple[int, int]

BULLET = re.compile(r"( {2,})•(?: |\Z)")
LABEL = re.compile(r"\(?(\d{1,3}|[A-Za-z]|[ivxlc]{2,5}|[IVXLC]{2,5})([.)])\Z|\((\d{1,3}|[A-Za-z]|[ivxlc]{2,5}|[IVXLC]{2,5})\)\Z")


@dataclass
class ItemNode:
    """A list item: an optional label, its text, where it came from, and a nested list."""

    span: Span
    line: int
    label: Span | None = None
    sub: "ListNode | None" = None


@dataclass
class PbNode:
    """A page break between the items of a list."""

    span: Span
    line: int
    value: str


@dataclass
class ListNode:
    """A list: optional head (SUBJECT, PARTICIPANTS) and its items and page breaks in order."""

    children: list[ItemNode | PbNode] = field(default_factory=list)
    head: Span | None = None
    head_line: int = 0


def classify(src: Source, i: int) -> tuple[str, int]:
    """('bullet', level) | ('label', 0) | ('pb', 0) | ('plain', 0) for line ``i``."""
    text = src.line(i).rstrip()
    m = BULLET.match(text)
    if m:
        return "bullet", (len(m.group(1)) - 2) // 2
    if LABEL.fullmatch(text.strip()):
        return "label", 0
    if PAGE.fullmatch(text.strip()):
        return "pb", 0
    return "plain", 0


def label_kind(label: str) -> tuple[str, str]:
    """The style of a label: (digit|lower|upper|roman|ROMAN, '.'|')'|'()')."""
    core = label.strip("().")
    form = "()" if label.startswith("(") else label[-1]
    if core.isdigit():
        cls = "digit"
    elif len(core) > 1:
        cls = "roman" if core.islower() else "ROMAN"
    else:
        cls = "lower" if core.islower() else "upper"
    return cls, form


def _ends_with_colon(src: Source, span: Span) -> bool:
    return re.search(r":\d*\s*\Z", src.text[span[0]:span[1]]) is not None


def build(src: Source, lines: list[int]) -> ListNode:
    """Build the list tree of a group of lines."""
    root = ListNode()
    stack = [root]
    kinds: list[tuple[str, str]] = []     # label styles open, outermost first
    bare_depth = 0
    k = 0
    while k < len(lines):
        i = lines[k]
        kind, level = classify(src, i)
        start, end = src.content(i)
        if kind == "pb":
            m = PAGE.search(src.line(i))
            assert m is not None
            stack[-1].children.append(PbNode((start + m.start(), start + m.end()), i, m.group(1)))
            k += 1
            continue
        label = None
        if kind == "bullet":
            depth = level
            start += len(BULLET.match(src.line(i)).group(0))  # type: ignore[union-attr]
        elif kind == "label" and k + 1 < len(lines) and classify(src, lines[k + 1])[0] == "plain":
            style = label_kind(src.line(i).strip())
            if style in kinds:
                del kinds[kinds.index(style) + 1:]
            else:
                kinds.append(style)
            depth = len(kinds) - 1
            label = (start, start + len(src.line(i).rstrip(" \t")))
            k += 1
            i2 = lines[k]
            start, end = src.content(i2)
        else:
            depth = bare_depth
        node = ItemNode((start, end), i, label)
        _place(stack, depth, node)
        if kind == "plain" and bare_depth == 0 and len(stack) == 1 and _ends_with_colon(src, (start, end)):
            bare_depth = 1
        k += 1
    return root


def _place(stack: list[ListNode], depth: int, node: ItemNode) -> None:
    """Append ``node`` at ``depth``, opening a nested list (one level at most) or closing lists."""
    if depth >= len(stack):
        last = next((c for c in reversed(stack[-1].children) if isinstance(c, ItemNode)), None)
        if last is not None:
            last.sub = last.sub or ListNode()
            stack.append(last.sub)
    while len(stack) > depth + 1:
        stack.pop()
    stack[-1].children.append(node)
