"""Reading the plain-text fixture files of tests/fixtures/urls/ (cases keep their line numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "urls"


@dataclass
class Case:
    """A titled case: an input block and an expected block, with the line where it starts."""

    file: str
    line: int
    title: str
    input: list[str]
    expected: list[str]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.title}"


def read_cases(name: str) -> list[Case]:
    """Cases of the form: title line, '.', input lines, '.', expected lines, '.', blank line."""
    path = FIXTURES / name
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start, title = i + 1, lines[i]
        if lines[i + 1] != ".":
            raise ValueError(f"{path}:{i + 2}: expected '.' after the title")
        blocks: list[list[str]] = []
        i += 2
        for _ in range(2):
            block: list[str] = []
            while lines[i] != ".":
                block.append(lines[i])
                i += 1
            blocks.append(block)
            i += 1
        cases.append(Case(path.name, start, title, blocks[0], blocks[1]))
    return cases
