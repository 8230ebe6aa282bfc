"""The body's lines in groups (blank lines between them), each made blocks by the first rule that takes it."""

from __future__ import annotations

import re

from . import lists
from .blocks import RULES, Block, Context, rule_paragraph, rule_quote
from .markers import PAGE
from .source import Source


def is_page_line(src: Source, i: int) -> bool:
    """Whether line ``i`` is a page line ('[Page 12]', alone on its line)."""
    line = src.lines[i]
    # A page line ends with ']' (or spaces): the last character rules out nearly every line at
    # once, the substring test most others, before the regex.
    last = line[-1:]
    return (last == "]" or last.isspace()) and "[Page " in line and PAGE.fullmatch(line.strip()) is not None


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
