"""Markdown tokens written out as the telegram text they stand for, each line with its Markdown line;
footnotes checked: each defined one referenced once, each reference defined."""

from __future__ import annotations

import re
from typing import Any

from markdown_it.token import Token

from .text.source import Source

UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


class Writer:
    """The telegram text being written, each line with the Markdown line it came from."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, int]] = []
        self.refs: list[tuple[int, int, int]] = []     # (note order, line index, column)
        self.front = 0                                   # lines of front matter written
        self.last_paragraph: int | None = None           # line index of the last body paragraph

    def blank(self) -> None:
        if self.lines and self.lines[-1][0] != "":
            self.lines.append(("", self.lines[-1][1]))

    def line(self, text: str, md_line: int, refs: list[tuple[int, int]] | None = None) -> None:
        for order, col in refs or []:
            self.refs.append((order, len(self.lines), col))
        self.lines.append((text, md_line))


def _inline(tok: Token, order: dict[int, int]) -> tuple[str, list[tuple[int, int]]]:
    """One line of text from an inline token, with (footnote order, column) of each reference."""
    out: list[str] = []
    refs: list[tuple[int, int]] = []
    for child in tok.children or []:
        if child.type == "footnote_ref":
            fid = child.meta["id"]
            if fid in order:
                raise _error_at(tok, f"footnote [^{child.meta['label']}] is referenced twice",
                                "one reference per footnote (the text format numbers each once)")
            order[fid] = len(order)
            refs.append((order[fid], len("".join(out))))
            out.append("\0")          # the number goes here once the numbering is known
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type in ("text", "code_inline", "html_inline", "image"):
            out.append(child.content)
    return "".join(out), refs


class MdError(Exception):
    """A problem of the Markdown: its line, what was found and what was expected."""

    def __init__(self, line: int, message: str, expected: str) -> None:
        self.line, self.message, self.expected = line, message, expected


def _error_at(tok: Token, message: str, expected: str) -> MdError:
    return MdError((tok.map or [0])[0] + 1, message, expected)



def walk(tokens: list[Token], w: Writer, order: dict[int, int], src: Source) -> dict[int, tuple[str, int]]:
    """Write the body; return each footnote's text and Markdown line by footnote id."""
    notes: dict[int, tuple[str, int]] = {}
    depth: list[str] = []           # open lists: 'ul' or 'ol'
    labels: list[str] = []
    in_note: int | None = None
    note_parts: list[str] = []
    note_label = ""
    w.last_paragraph = None
    for k, tok in enumerate(tokens):
        line = (tok.map or [0])[0] + 1
        if tok.type == "front_matter":
            w.line("---", 1)
            for i, fm in enumerate(tok.content.split("\n")):
                w.line(fm, 2 + i)
            w.line("---", (tok.map or [0, 1])[1])
            w.front = len(w.lines)
        elif tok.type == "footnote_open":
            in_note, note_parts, note_label = tok.meta["id"], [], tok.meta.get("label", "")
        elif tok.type == "footnote_close":
            assert in_note is not None
            notes[in_note] = (" ".join(note_parts), _definition_line(src, note_label))
            in_note = None
        elif tok.type == "inline" and in_note is not None:
            note_parts.append(_inline(tok, {})[0].replace("\0", ""))
        elif len(w.lines) == w.front and tok.type != "heading_open" and not (
                tok.type == "inline" and k and tokens[k - 1].type == "heading_open"):
            raise _error_at(tok, "no '# <n>. <title>' heading first",
                            "a first heading with the document's number and title, "
                            "as in '# 245. Telegram From …'")
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            if not depth:
                w.blank()
            depth.append(tok.tag)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth.pop()
        elif tok.type == "list_item_open":
            labels.append(f"{tok.info}{tok.markup}" if tok.info else "")
        elif tok.type == "list_item_close":
            labels.pop()
        elif tok.type in ("html_block", "code_block", "fence") and in_note is None:
            # Raw blocks have no TEI of their own here; their text is kept as a paragraph.
            w.blank()
            w.last_paragraph = len(w.lines)
            w.line(" ".join(tok.content.split()), line)
            w.blank()
        elif tok.type == "inline":
            content, refs = _inline(tok, order)
            if len(w.lines) == w.front:
                if refs and refs[-1][1] != len(content) - 1:
                    raise _error_at(tok, "the title's footnote is not at its end",
                                    "the source note's reference [^0] as the title's last characters")
                w.line(content, line, refs)
            elif depth and depth[-1] == "ul":
                prefix = "  " * len(depth) + "• "
                w.line(prefix + content, line, [(o, c + len(prefix)) for o, c in refs])
            elif depth:
                w.line(labels[-1], line)
                w.line(content, line, refs)
            else:
                w.blank()
                w.last_paragraph = len(w.lines)
                w.line(content, line, refs)
                w.blank()
    return notes


def _definition_line(src: Source, label: str) -> int:
    """The Markdown line that defines footnote ``label``."""
    m = re.search(rf"^\[\^{re.escape(label)}\]:", src.text, re.M)
    return src.lineno(m.start()) if m else 1


def check_footnotes(env: dict[str, Any], order: dict[int, int], src: Source) -> None:
    """Footnotes defined but never referenced, and references to footnotes never defined."""
    for key, fid in env.get("footnotes", {}).get("refs", {}).items():
        if fid == -1:
            label = key[1:]
            line = _definition_line(src, label)
            raise MdError(line, f"footnote [^{label}] is never referenced",
                           f"a reference [^{label}] glued to the word it annotates")
    m = UNDEFINED_REF.search(src.text)
    while m:
        defined = f":{m.group(1)}" in env.get("footnotes", {}).get("refs", {})
        if not defined:
            raise MdError(src.lineno(m.start()), f"footnote reference [^{m.group(1)}] has no footnote",
                           f"a definition '[^{m.group(1)}]: text' at the end")
        m = UNDEFINED_REF.search(src.text, m.end())
