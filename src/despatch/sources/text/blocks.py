"""Block structure of the body: an ordered table of rules over groups of consecutive lines.

Blank lines separate groups. Each rule looks at one group (and its neighbours) and either returns
the blocks it makes of it or None to let the next rule try, like markdown-it's block rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ...apparatus.dates import parse_dateline
from . import lists
from .markers import PAGE
from .source import Source

Span = tuple[int, int]


@dataclass(slots=True)
class Block:
    """A block-level piece of the body: p, pb, list, closer, quote or dateline."""

    kind: str
    line: int                                   # 0-based line of its first source line
    spans: list[Span] = field(default_factory=list)
    value: str = ""                             # the page number of a pb
    tree: lists.ListNode | None = None          # the items of a list
    parts: list[tuple[str, Span]] = field(default_factory=list)   # closer and dateline pieces
    when: str = ""                              # a dateline's ISO date


@dataclass(slots=True)
class Context:
    """What the rules see: the source, the groups of line indices, and facts about the ending."""

    src: Source
    groups: list[list[int]]
    tight_end: bool          # the last body line runs straight into the notes list
    has_notes: bool
    compact: bool            # a compact copy: one newline between all blocks
    busy: Callable[[int, int], bool]   # whether a span holds a note reference or marker
    blocks: list[Block] = field(default_factory=list)


Rule = Callable[[Context, int, list[int]], "list[Block] | None"]


def is_page_line(src: Source, i: int) -> bool:
    line = src.lines[i]
    # A page line ends with ']' (or spaces): the last character rules out nearly every line at
    # once, the substring test most others, before the regex.
    last = line[-1:]
    return (last == "]" or last.isspace()) and "[Page " in line and PAGE.fullmatch(line.strip()) is not None


def rule_dateline(ctx: Context, g: int, lines: list[int]) -> list[Block] | None:
    """The first paragraph after the title is a dateline when it is nothing but place and date."""
    if g != 0 or len(lines) != 1:
        return None
    start, end = ctx.src.span(lines[0])
    found = parse_dateline(ctx.src.text[start:end])
    if found is None or ctx.busy(start, end):
        return None
    parts = [(kind, (start + a, start + b)) for kind, (a, b) in found.parts]
    return [Block("dateline", lines[0], [(start, end)], parts=parts, when=found.when)]


NAME_WORD = re.compile(r"[A-Z][\w’'.-]*\Z")
_TRAILING_DIGITS = re.compile(r"\d+\Z")


def looks_like_signature(text: str) -> bool:
    """One to four capitalised words and no sentence ending: "Rusk", "Dean Rusk", "C. Douglas Dillon"."""
    words = _TRAILING_DIGITS.sub("", text.strip()).split()
    return 1 <= len(words) <= 4 and all(NAME_WORD.match(w) for w in words) and not text.endswith(":")


def rule_closer(ctx: Context, g: int, lines: list[int]) -> list[Block] | None:
    """The last group is a signature when it runs into the notes list with no blank line (the
    copy format gives a closer one newline after, a paragraph a blank line); with no notes to
    tell, a last line that looks like a name is taken for one."""
    if g != len(ctx.groups) - 1 or len(lines) > 3:
        return None
    src = ctx.src
    texts = [src.line(i) for i in lines]
    if any(lists.classify(src, i, ctx.compact)[0] != "plain" for i in lines) or any(len(t) > 80 for t in texts):
        return None
    # Compact copies leave signatures out and run every block into the next: never a closer.
    by_name = not ctx.has_notes and len(lines) == 1 and looks_like_signature(texts[0])
    if ctx.compact or not (ctx.tight_end or by_name):
        return None
    parts = []
    for i, text in zip(lines, texts):
        kind = "salute" if text.rstrip().endswith(",") and i != lines[-1] else "signed"
        parts.append((kind, src.content(i)))
    return [Block("closer", lines[0], parts=parts)]


def rule_list(ctx: Context, g: int, lines: list[int]) -> list[Block] | None:
    """Consecutive lines, bullets ('  • ') or label lines ('1.', '(a)') make a list."""
    # A bullet line of the copy format starts with two spaces: other lines are not classified.
    if len(lines) < 2 and not ((ctx.compact or ctx.src.lines[lines[0]].startswith("  "))
                               and lists.classify(ctx.src, lines[0], ctx.compact)[0] == "bullet"):
        return None
    return [Block("list", lines[0], tree=lists.build(ctx.src, lines, ctx.compact))]


QUOTED = re.compile(r"[“\"].*[”\"][.,;]?\d*\Z", re.S)


def _ends_with_colon(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, trailing whitespace left out, ends with ':' and any digits (a
    note reference), read from the end rather than searched for from the start."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while end > start and text[end - 1].isdecimal():  # what \d matches
        end -= 1
    return end > start and text[end - 1] == ":"


def rule_quote(ctx: Context, g: int, lines: list[int]) -> list[Block] | None:
    """A paragraph wholly in quotation marks after one that ends with ':' is a block quote."""
    if len(lines) != 1 or not ctx.blocks or ctx.blocks[-1].kind not in ("p", "quote"):
        return None
    prev = ctx.blocks[-1]
    if prev.kind == "p" and not _ends_with_colon(ctx.src.text, prev.spans[0][0], prev.spans[-1][1]):
        return None
    start, end = ctx.src.content(lines[0])
    if not QUOTED.match(ctx.src.text, start, end):
        return None
    return [Block("quote", lines[0], [(start, end)])]


def rule_paragraph(ctx: Context, g: int, lines: list[int]) -> list[Block] | None:
    """Anything else is a paragraph."""
    return [Block("p", lines[0], [ctx.src.content(i) for i in lines])]


RULES: list[tuple[str, Rule]] = [
    ("dateline", rule_dateline),
    ("closer", rule_closer),
    ("list", rule_list),
    ("quote", rule_quote),
    ("paragraph", rule_paragraph),
]


def groups_of(src: Source, first: int, end: int, compact: bool = False) -> list[list[int]]:
    """Line indices between ``first`` and ``end``, grouped by blank lines.

    In a compact copy every line is a block of its own, except the lines of a list ('- …',
    a lone '-' or a label and the line that carries its text), which stay together.
    """
    groups: list[list[int]] = []
    current: list[int] = []
    carry = False       # the previous line (a lone '-' or a label) wants the next one
    for i in range(first, end):
        if not src.line(i).strip():
            if current:
                groups.append(current)
            current, carry = [], False
            continue
        if not compact:
            current.append(i)
            continue
        kind = lists.classify(src, i, True)[0]
        if kind in ("bullet", "label", "dash") or carry:
            if current and not _is_list_group(src, current):
                groups.append(current)
                current = []
            current.append(i)
            carry = kind in ("label", "dash") and not carry
        else:
            if current:
                groups.append(current)
            current, carry = [i], False
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _is_list_group(src: Source, group: list[int]) -> bool:
    return lists.classify(src, group[0], True)[0] in ("bullet", "label", "dash")


def parse_blocks(ctx: Context) -> list[Block]:
    """Run the rules over every group; page lines at a group's edges are page breaks of their own."""
    src = ctx.src
    texts, blocks, end = src.lines, ctx.blocks, len(ctx.groups) - 1
    for g, lines in enumerate(ctx.groups):
        # A page line ends with ']' (or a space): most groups have no line that could be one at either
        # edge, and need not be tested line by line.
        edge, other = texts[lines[0]][-1:], texts[lines[-1]][-1:]
        if edge == "]" or edge.isspace() or other == "]" or other.isspace():
            lead = []
            while lines and is_page_line(src, lines[0]):
                lead.append(lines.pop(0))
            trail = []
            while lines and is_page_line(src, lines[-1]):
                trail.insert(0, lines.pop())
        else:
            lead = trail = []
        if lead:
            blocks.extend(_pb(src, i) for i in lead)
        if len(lines) == 1 and 0 < g < end and not ctx.compact and not texts[lines[0]].startswith("  "):
            # One line between the first group and the last (most paragraphs): no dateline, closer or
            # list rule can take it (each would return None), only the quote rule.
            made = rule_quote(ctx, g, lines) if blocks and blocks[-1].kind in ("p", "quote") else None
            blocks.extend(made if made is not None else rule_paragraph(ctx, g, lines))
        elif lines:
            for _name, rule in RULES:
                made = rule(ctx, g, lines)
                if made is not None:
                    blocks.extend(made)
                    break
        if trail:
            blocks.extend(_pb(src, i) for i in trail)
    return attach_list_heads(ctx)


def _pb(src: Source, i: int) -> Block:
    m = PAGE.search(src.line(i))
    assert m is not None
    start = src.starts[i]
    return Block("pb", i, [(start + m.start(), start + m.end())], value=m.group(1))


HEADING = re.compile(r"[^a-z]{2,40}")


def attach_list_heads(ctx: Context) -> list[Block]:
    """A short all-capitals paragraph right before a list (SUBJECT, PARTICIPANTS) is its head."""
    out: list[Block] = []
    blocks = ctx.blocks
    for k, b in enumerate(blocks):
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        if (b.kind == "p" and len(b.spans) == 1 and nxt is not None and nxt.kind == "list"
                and nxt.tree is not None and nxt.tree.head is None):
            text = ctx.src.text[b.spans[0][0]:b.spans[0][1]]
            if HEADING.fullmatch(text) and any(c.isalpha() for c in text) and not ctx.busy(*b.spans[0]):
                nxt.tree.head = b.spans[0]
                nxt.tree.head_line = b.line
                continue
        out.append(b)
    return out
