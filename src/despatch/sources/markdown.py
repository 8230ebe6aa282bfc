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

from dataclasses import replace
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Diagnostic, SourceError
from .base import Converted
from .mdwalk import MdError, Writer, check_footnotes, walk
from .text.blocks import looks_like_signature
from .text.convert import convert_text
from .text.decode import decode
from .text.refs import Ref
from .text.source import Source


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(footnote_plugin).use(front_matter_plugin)


def convert_markdown_bytes(data: bytes, path: str, volume: str | None = None) -> Converted:
    """Decode a Markdown source (UTF-8, BOM and CRLF handled, as for text) and convert it."""
    return convert_markdown(decode(data, path), path, volume)


def convert_markdown(text: str, path: str, volume: str | None = None) -> Converted:
    """Convert a Markdown document to a FRUS TEI document div."""
    src = Source(path, text)
    env: dict[str, Any] = {}
    tokens = _parser().parse(text, env)
    w = Writer()
    order: dict[int, int] = {}
    try:
        notes = walk(tokens, w, order, src)
        check_footnotes(env, order, src)
    except MdError as exc:
        raise SourceError.at(path, exc.line, 1, exc.message, expected=exc.expected, text=text) from None
    return _convert(w, notes, order, src, volume)


def _convert(w: Writer, notes: dict[int, tuple[str, int]], order: dict[int, int], src: Source,
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
