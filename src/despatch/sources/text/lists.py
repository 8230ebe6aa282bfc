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

_COLON_END = re.compile(r":\d*\s*\Z")
LABEL_MAX = 7   # the longest text LABEL can match: '(' + five roman digits + ')'


@dataclass(slots=True)
class ItemNode:
    """A list item: an optional label, its text, where it came from, and a nested list."""

    span: Span
    line: int
    label: Span | None = None
    sub: "ListNode | None" = None


@dataclass(slots=True)
class PbNode:
    """A page break between the items of a list."""

    span: Span
    line: int
    value: str


@dataclass(slots=True)
class ListNode:
    """A list: optional head (SUBJECT, PARTICIPANTS) and its items and page breaks in order."""

    children: list[ItemNode | PbNode] = field(default_factory=list)
    head: Span | None = None
    head_line: int = 0


def classify(src: Source, i: int, compact: bool = False) -> tuple[str, int, int]:
    """(kind, nesting level, characters before the content) of line ``i``.

    Kinds: 'bullet', 'label', 'pb', 'plain', and in compact copies 'dash' (a lone '-' whose
    item text is the next line). Compact copies write every item as '- text', labels as '- 1.'.
    """
    text = src.lines[i].rstrip(" \t")
    if compact and text == "-":
        return "dash", 0, 0
    if compact and text.startswith("- "):
        return ("label" if LABEL.fullmatch(text[2:].strip()) else "bullet"), 0, 2
    m = BULLET.match(text) if text.startswith("  ") else None
    if m:
        return "bullet", (len(m.group(1)) - 2) // 2, m.end()
    stripped = text.strip()
    # Cheap tests first (every body line is classified): a label is at most 7 characters long
    # ('(iii).' cannot be longer than '(xxxxx)'), and a page marker holds '[Page '.
    if len(stripped) <= LABEL_MAX and LABEL.fullmatch(stripped):
        return "label", 0, len(text) - len(text.lstrip())
    if "[Page " in stripped and PAGE.fullmatch(stripped):
        return "pb", 0, 0
    return "plain", 0, 0


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
    return _COLON_END.search(src.text[span[0]:span[1]]) is not None


def build(src: Source, lines: list[int], compact: bool = False) -> ListNode:
    """Build the list tree of a group of lines."""
    root = ListNode()
    stack = [root]
    kinds: list[tuple[str, str]] = []     # label styles open, outermost first
    bare_depth = 0
    k = 0
    while k < len(lines):
        i = lines[k]
        kind, level, skip = classify(src, i, compact)
        start, end = src.content(i)
        if kind == "pb":
            m = PAGE.search(src.line(i))
            assert m is not None
            stack[-1].children.append(PbNode((start + m.start(), start + m.end()), i, m.group(1)))
            k += 1
            continue
        label = None
        text_kind = "bullet" if compact else "plain"
        nxt = classify(src, lines[k + 1], compact) if k + 1 < len(lines) else ("", 0, 0)
        if kind == "bullet":
            depth = level
            start += skip
        elif kind == "dash" and nxt[0] == "plain":
            depth = 0
            k += 1
            start, end = src.content(lines[k])
        elif kind == "label" and nxt[0] == text_kind:
            style = label_kind(src.text[start + skip:end].strip())
            if style in kinds:
                del kinds[kinds.index(style) + 1:]
            else:
                kinds.append(style)
            depth = len(kinds) - 1
            label = (start + skip, end)
            k += 1
            start, end = src.content(lines[k])
            start += nxt[2]
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
