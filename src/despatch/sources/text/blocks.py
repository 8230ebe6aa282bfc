"""Block structure of the body: an ordered table of rules over groups of consecutive lines.

Blank lines separate groups. Each rule looks at one group (and its neighbours) and either returns
the blocks it makes of it or None to let the next rule try, like markdown-it's block rules
(``groups`` makes the groups and runs the rules over them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ...apparatus.dates import parse_dateline
from . import lists
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
