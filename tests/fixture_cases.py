"""Plain-text fixture files of cases, as markdown-it-py keeps them; one reader for every kind.

A case is a title line, a line '.', the input, a line '.', the expected output, a line '.'; cases
are separated by blank lines. Each case keeps the line where it starts, so a failure names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Case:
    """One fixture case: its file, starting line, title, input and expected text."""

    file: str
    line: int
    title: str
    input: str
    expected: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.title}"


def read_cases(path: Path) -> list[Case]:
    """Parse a fixture file into cases; a malformed file fails with its line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, start = lines[i], i + 1
        if i + 1 >= len(lines) or lines[i + 1] != ".":
            raise ValueError(f"{path}:{i + 2}: expected '.' after the case title")
        parts: list[list[str]] = [[], []]
        i += 2
        for part in parts:
            while i < len(lines) and lines[i] != ".":
                part.append(lines[i])
                i += 1
            if i >= len(lines):
                raise ValueError(f"{path}:{start}: the case '{title}' does not end with '.'")
            i += 1
        cases.append(Case(path.name, start, title, "\n".join(parts[0]), "\n".join(parts[1])))
    return cases
