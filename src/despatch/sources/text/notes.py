"""The notes list at the end of a text: ``  1. …``, ``  2. …``, numbered from 1."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .source import Source, shorten

NOTE_LINE = re.compile(r"  (\d+)\. ")
# Compact copies list the notes as '- text↩' (the backlink arrow, sometimes with VS15).
COMPACT_NOTE = re.compile(r"- (.*?)↩\ufe0e?[ \t]*\Z")
# A note line that lost its space or period, or has one space too many or too few.
LOOSE_NOTE_LINE = re.compile(r" {1,4}\d+[.)]?(\s|$)")


@dataclass(slots=True)
class NoteItem:
    """One item of the notes list: its list number and where its text lies in the source."""

    number: int
    start: int      # offset of the note's text (after "  N. ")
    end: int
    line: int       # 0-based line index


def split_notes(src: Source, first: int) -> tuple[list[NoteItem], int, bool]:
    """Find the notes list after line ``first``.

    Returns (notes, index of the first notes line or the line count, whether the last body line
    runs straight into the notes with no blank line between, which marks a signature or list).
    """
    begin = notes_start(src, first)
    if begin == src.nlines:
        return [], src.nlines, False
    notes: list[NoteItem] = []
    last = src.nlines
    while last > begin and not src.line(last - 1).strip():
        last -= 1           # blank lines after the notes are harmless
    for i in range(begin, last):
        text = src.line(i)
        if not text.strip():
            continue        # a blank line between notes (some copies space them out)
        m = NOTE_LINE.match(text)
        if not m:
            raise src.error(src.starts[i], "a line inside the notes list is not a note",
                            found=shorten(text),
                            expected="'  N. text' (two spaces, the number, a period, a space)")
        number = int(m.group(1))
        want = len(notes) + 1
        if number != want:
            if not notes:
                message = "the notes list does not start at 1"
            elif any(n.number == number for n in notes):
                message = f"duplicate note {number} in the notes list"
            else:
                message = f"gap in the notes list: note {number} follows note {want - 1}"
            raise src.error(src.starts[i] + 2, message, found=f"{number}.", expected=f"{want}.")
        start = src.starts[i] + m.end()
        notes.append(NoteItem(number, start, src.starts[i] + len(text.rstrip(" \t")), i))
    tight = begin > first and bool(src.line(begin - 1).strip())
    return notes, begin, tight


def notes_start(src: Source, first: int) -> int:
    """Index of the notes list's first line (the line count when there is none)."""
    lines = src.lines
    # NOTE_LINE starts with two spaces: the string test spares the regex on nearly every line.
    return next((i for i in range(first, src.nlines) if lines[i].startswith("  ") and NOTE_LINE.match(lines[i])),
                src.nlines)


def split_compact_notes(src: Source, first: int) -> tuple[list[NoteItem], int, bool]:
    """The notes of a compact copy: the trailing run of '- text↩' lines, numbered in order."""
    last = src.nlines
    while last > first and not src.line(last - 1).strip():
        last -= 1
    begin = last
    while begin > first and COMPACT_NOTE.match(src.line(begin - 1)):
        begin -= 1
    notes = []
    for i in range(begin, last):
        m = COMPACT_NOTE.match(src.line(i))
        assert m is not None
        notes.append(NoteItem(len(notes) + 1, src.starts[i] + m.start(1), src.starts[i] + m.end(1), i))
    return notes, begin if notes else src.nlines, False


def check_stray_note_lines(src: Source, first: int, end: int) -> None:
    """A body line shaped almost like a note (' 1. text') is a mistake worth naming."""
    for i in range(first, end):
        line = src.line(i)
        if line.startswith(" ") and not line.lstrip().startswith("•") and LOOSE_NOTE_LINE.match(line):
            if line.strip():
                raise src.error(src.starts[i], "malformed note line before the notes list",
                                found=shorten(line), expected="'  N. text' with exactly two spaces,"
                                " or '  • text' for a list item")
