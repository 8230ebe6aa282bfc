"""Errors and warnings that point at a place in a source: ``path:line:col: message``."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field


@dataclass
class Diagnostic:
    """One problem found in a source, with its position (1-based line and column)."""

    path: str
    line: int
    col: int
    message: str
    found: str | None = None
    expected: str | None = None
    source_line: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        head = f"{_visible(self.path)}:{self.line}:{self.col}: {self.severity}: {_visible(self.message)}"
        parts = [head]
        if self.found is not None:
            parts.append(f"  found: {_visible(self.found)}")
        if self.expected is not None:
            parts.append(f"  expected: {_visible(self.expected)}")
        if self.source_line is not None:
            # Show the offending line with a caret under the column, like Jinja and compilers do.
            shown, col = _window(self.source_line, self.col)
            parts.append(f"  | {_visible(shown)}")
            # Tabs are repeated under themselves so the caret lines up however wide the terminal's tabs.
            parts.append("  | " + "".join("\t" if c == "\t" else " " for c in shown[:col - 1]) + "^")
        return "\n".join(parts)


SHOWN = 160  # characters of the offending line shown around the column


def _window(line: str, col: int) -> tuple[str, int]:
    """The part of a long line around ``col`` (a one-line file of megabytes must not flood the terminal)."""
    col = max(col, 1)
    if len(line) <= SHOWN:
        return line, col
    start = max(0, min(col - 1 - SHOWN // 3, len(line) - SHOWN))
    piece = line[start:start + SHOWN]
    lead = "…" if start else ""
    return lead + piece + ("…" if start + SHOWN < len(line) else ""), col - start + len(lead)


def _visible(text: str) -> str:
    """Control characters as their symbols (ESC as ␛): a source must not drive the terminal showing it."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x20 and ch != "\t":
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif 0x80 <= code < 0xA0:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


class SourceError(Exception):
    """A source cannot be read; carries one or more diagnostics."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in diagnostics))

    @classmethod
    def at(
        cls,
        path: str,
        line: int,
        col: int,
        message: str,
        *,
        found: str | None = None,
        expected: str | None = None,
        text: str | None = None,
    ) -> "SourceError":
        """Build an error at a position; ``text`` (the whole source) supplies the offending line."""
        return cls(diagnostic(path, line, col, message, found=found, expected=expected, text=text))


def diagnostic(path: str, line: int, col: int, message: str, *, found: str | None = None,
               expected: str | None = None, text: str | None = None, severity: str = "error") -> Diagnostic:
    """A diagnostic at a position; ``text`` (the whole source) supplies the offending line."""
    source_line = None
    if text is not None:
        lines = text.splitlines()
        if 1 <= line <= len(lines):
            source_line = lines[line - 1]
    return Diagnostic(path, line, col, message, found, expected, source_line, severity)


def position(text: str, offset: int) -> tuple[int, int]:
    """Turn a character offset into a 1-based (line, column)."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


@dataclass
class Report:
    """Diagnostics gathered over a whole build or check, so one run reports every problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diag: Diagnostic) -> None:
        self.items.append(diag)

    def extend(self, error: SourceError) -> None:
        self.items.extend(error.diagnostics)

    def warn(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, col, message, severity="warning"))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]


# A file system that is full: out of space, or of inodes (the number of files it can hold), or over a quota.
FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def os_error_text(exc: OSError) -> str:
    """A file's error as the user reads it; a full file system says what may have run out and how to see it."""
    text = f"{exc.filename or 'despatch'}: error: {exc.strerror or exc}"
    if exc.errno in FULL:
        # A full file system may still show free space: a build writes many small files, and inodes
        # (how many files it can hold) can run out first.
        text += ("\n  the file system holding it ran out of space or of inodes (how many files it can hold);"
                 " `df -h` and `df -i` show which. A build writes about ten files a document.")
    return text
