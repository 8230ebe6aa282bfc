"""Rule-by-rule fixtures of the telegram text converter: tests/fixtures/text/*.txt.

A fixture file holds cases like markdown-it-py's: a title line, a line '.', the input, a line '.',
the expected TEI (the document div without namespace declarations, a line break before each
block-level tag), a line '.'. An expected text starting 'error: ' is a positioned error instead:
'error: LINE:COL: words of the message'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from despatch.errors import SourceError
from despatch.sources.text import convert_text
from despatch.tei.xmlio import serialize

FIXTURES = Path(__file__).parent / "fixtures" / "text"
BREAK_BEFORE = re.compile(r"(?=<(?:head|p|list|item|label|note|closer|signed|salute|dateline|"
                          r"pb|quote|certainty|gap)[ >/])")
NS_DECL = re.compile(r' xmlns(?::\w+)?="[^"]*"')


@dataclass
class Case:
    """One fixture case and where it starts, so a failure names its file and line."""

    file: str
    line: int
    title: str
    input: str
    expected: str


def read_cases(path: Path) -> list[Case]:
    """Parse a fixture file into cases."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, start = lines[i], i + 1
        if lines[i + 1] != ".":
            raise ValueError(f"{path}:{i + 2}: expected '.' after the case title")
        parts: list[list[str]] = [[], []]
        i += 2
        for part in parts:
            while lines[i] != ".":
                part.append(lines[i])
                i += 1
            i += 1
        cases.append(Case(path.name, start, title, "\n".join(parts[0]), "\n".join(parts[1])))
    return cases


def show(div) -> str:
    """The div as fixtures spell it: no namespace declarations, block-level tags on new lines."""
    xml = serialize(div).decode("utf-8").split("\n", 1)[1].rstrip("\n")
    return BREAK_BEFORE.sub("\n", NS_DECL.sub("", xml))


def run_case(case: Case, volume: str | None = "frus1961-63v13") -> str:
    """Convert a case's input; give the fixture spelling of the result or of the error."""
    try:
        return show(convert_text(case.input, "case.txt", volume).div)
    except SourceError as exc:
        d = exc.diagnostics[0]
        return f"error: {d.line}:{d.col}: {d.message}"


ALL = [c for p in sorted(FIXTURES.glob("*.txt")) if p.name != "seed_d245.txt" for c in read_cases(p)]


@pytest.mark.parametrize("case", ALL, ids=[f"{c.file}:{c.line}" for c in ALL])
def test_fixture(case: Case) -> None:
    got = run_case(case)
    if case.expected.startswith("error: "):
        assert got.startswith(case.expected), f"{case.file}:{case.line} {case.title}\n{got}"
    else:
        assert got == case.expected, f"{case.file}:{case.line} {case.title}"


def test_fixtures_exist() -> None:
    assert len(ALL) >= 30
