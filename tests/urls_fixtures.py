"""Reading the plain-text fixture files of tests/fixtures/urls/: cases whose blocks are lists of lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import fixture_cases

FIXTURES = Path(__file__).parent / "fixtures" / "urls"


@dataclass
class Case:
    """A titled case: an input block and an expected block, as lines, with the line where it starts."""

    file: str
    line: int
    title: str
    input: list[str]
    expected: list[str]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.title}"


def read_cases(name: str) -> list[Case]:
    """The cases of one file of tests/fixtures/urls/, their blocks split into lines."""
    return [Case(c.file, c.line, c.title, c.input.split("\n") if c.input else [],
                 c.expected.split("\n") if c.expected else [])
            for c in fixture_cases.read_cases(FIXTURES / name)]
