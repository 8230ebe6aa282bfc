"""Markdown sources for editors writing new documents, giving the same TEI as the equivalent text.

The Markdown (markdown-it-py with footnotes and front matter) is written out as the telegram text
it stands for — the heading as the ``<n>. <title>`` line, footnote references as glued numbers,
bullet lists as ``  • `` lines (two more spaces per level), ordered lists as label lines, the
footnotes as the notes list — and that text goes through the text converter with the references
placed where Markdown put them. One set of rules therefore makes the TEI of both formats, and
every line of the text remembers its Markdown line for errors and the ``lines`` map.

A last paragraph of one to four capitalised words ("Rusk", "Dean Rusk") is the signature. Nested
ordered lists nest in TEI when their label styles differ ("1." then "a)"), as in the text format.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Diagnostic, SourceError
from .base import Converted
from .text.blocks import looks_like_signature
from .text.convert import convert_text
from .text.decode import decode
from .text.refs import Ref
from .text.source import Source

UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")


class _Writer:
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


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(footnote_plugin).use(front_matter_plugin)


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


class _MdError(Exception):
    def __init__(self, line: int, message: str, expected: str) -> None:
        self.line, self.message, self.expected = line, message, expected


def _error_at(tok: Token, message: str, expected: str) -> _MdError:
    return _MdError((tok.map or [0])[0] + 1, message, expected)


def convert_markdown_bytes(data: bytes, path: str, volume: str | None = None) -> Converted:
    """Decode a Markdown source (UTF-8, BOM and CRLF handled, as for text) and convert it."""
    return convert_markdown(decode(data, path), path, volume)


def convert_markdown(text: str, path: str, volume: str | None = None) -> Converted:
    """Convert a Markdown document to a FRUS TEI document div."""
    src = Source(path, text)
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    w = _Writer()
    order: dict[int, int] = {}
    try:
        notes = _walk(tokens, w, order, src)
        _check_footnotes(env, order, src)
    except _MdError as exc:
        raise SourceError.at(path, exc.line, 1, exc.message, expected=exc.expected, text=text) from None
    return _convert(w, notes, order, src, volume)


def _walk(tokens: list[Token], w: _Writer, order: dict[int, int], src: Source) -> dict[int, tuple[str, int]]:
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


def _check_footnotes(env: dict[str, Any], order: dict[int, int], src: Source) -> None:
    """Footnotes defined but never referenced, and references to footnotes never defined."""
    for key, fid in env.get("footnotes", {}).get("refs", {}).items():
        if fid == -1:
            label = key[1:]
            line = _definition_line(src, label)
            raise _MdError(line, f"footnote [^{label}] is never referenced",
                           f"a reference [^{label}] glued to the word it annotates")
    m = UNDEFINED_REF.search(src.text)
    while m:
        defined = f":{m.group(1)}" in env.get("footnotes", {}).get("refs", {})
        if not defined:
            raise _MdError(src.lineno(m.start()), f"footnote reference [^{m.group(1)}] has no footnote",
                           f"a definition '[^{m.group(1)}]: text' at the end")
        m = UNDEFINED_REF.search(src.text, m.end())


def _convert(w: _Writer, notes: dict[int, tuple[str, int]], order: dict[int, int], src: Source,
             volume: str | None) -> Converted:
    """Number the references, write the notes list, convert, and map lines back to Markdown."""
    first = 0 if any(li == w.front for _, li, _ in w.refs) else 1
    lines = [t for t, _ in w.lines]
    md_lines = [n for _, n in w.lines]
    placed: list[tuple[int, int, int]] = []
    # Right to left within a line, so earlier columns stay valid as numbers replace placeholders.
    for o, li, col in sorted(w.refs, key=lambda r: (r[1], -r[2])):
        lines[li] = lines[li][:col] + str(o + first) + lines[li][col + 1:]
        placed.append((o + first, li, col))
    while lines and lines[-1] == "":
        lines.pop()
        md_lines.pop()
    last = w.last_paragraph
    # The copy format marks a signature by running it into the notes list with no blank line.
    tight = bool(notes) and last == len(lines) - 1 and looks_like_signature(lines[last])
    if notes and not tight:
        lines.append("")
        md_lines.append(md_lines[-1] if md_lines else 1)
    for i, (_fid, (note_text, note_line)) in enumerate(
            sorted(notes.items(), key=lambda kv: order.get(kv[0], 10**9)), start=1):
        lines.append(f"  {i}. {note_text}")
        md_lines.append(note_line)
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    known = sorted((Ref(n, starts[li] + col, starts[li] + col + len(str(n))) for n, li, col in placed),
                   key=lambda r: r.n)
    try:
        conv = convert_text("\n".join(lines), src.path, volume, known_refs=known)
    except SourceError as exc:
        raise SourceError(*[_back(d, md_lines, src) for d in exc.diagnostics]) from None
    conv.lines = {k: md_lines[v - 1] for k, v in conv.lines.items()}
    return conv


def _back(d: Diagnostic, md_lines: list[int], src: Source) -> Diagnostic:
    """A diagnostic about the written text, moved to the Markdown line it came from."""
    if not 0 < d.line <= len(md_lines):
        return d
    line = md_lines[d.line - 1]
    return replace(d, line=line, col=1, source_line=src.line(line - 1) if line <= src.nlines else None)


__all__ = ["convert_markdown", "convert_markdown_bytes"]
