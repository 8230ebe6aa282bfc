"""The source text with its line table, and positioned errors that point into it."""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

from ...errors import SourceError

_NEWLINE = 1


@dataclass(slots=True)
class Source:
    """A decoded text source: the whole string, its path and the offset where each line starts."""

    path: str
    text: str
    starts: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Lines split once: every rule asks for lines many times, and a scan per character is slow.
        self.lines = self.text.split("\n")
        # Each line's length and its newline summed in C (a generator cost a Python step a line).
        self.starts = list(itertools.accumulate(map(_NEWLINE.__add__, map(len, self.lines[:-1])), initial=0))

    @property
    def nlines(self) -> int:
        return len(self.starts)

    def line(self, i: int) -> str:
        """Text of the 0-based line ``i`` without its newline."""
        return self.lines[i]

    def span(self, i: int) -> tuple[int, int]:
        """Offsets (start, end) of the 0-based line ``i`` without its newline."""
        return self.starts[i], self.starts[i] + len(self.lines[i])

    def content(self, i: int) -> tuple[int, int]:
        """Offsets of line ``i`` without trailing spaces and tabs (NBSP and the like are text)."""
        return self.starts[i], self.starts[i] + len(self.lines[i].rstrip(" \t"))

    def lineno(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self.starts, offset)

    def error(self, offset: int, message: str, *, found: str | None = None,
              expected: str | None = None) -> SourceError:
        """A SourceError at a character offset, with the offending line shown."""
        line = self.lineno(offset)
        col = offset - self.starts[line - 1] + 1
        return SourceError.at(self.path, line, col, message, found=found, expected=expected,
                              text=self.text)


def shorten(s: str, width: int = 60) -> str:
    """A quotable excerpt of ``s`` for error messages."""
    s = s.replace("\n", "⏎")
    return repr(s if len(s) <= width else s[: width - 1] + "…")
