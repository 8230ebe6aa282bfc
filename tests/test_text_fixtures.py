"""Rule-by-rule fixtures of the telegram text converter: tests/fixtures/text/*.txt.

A fixture file holds cases like markdown-it-py's: a title line, a line '.', the input, a line '.',
the expected TEI (the document div without namespace declarations, a line break before each
block-level tag), a line '.'. An expected text starting 'error: ' is a positioned error instead:
'error: LINE:COL: words of the message'.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from despatch.errors import SourceError
from fixture_cases import Case, read_cases
from despatch.sources.text import convert_text
from despatch.tei.xmlio import serialize

FIXTURES = Path(__file__).parent / "fixtures" / "text"
BREAK_BEFORE = re.compile(r"(?=<(?:head|p|list|item|label|note|closer|signed|salute|dateline|"
                          r"pb|quote|certainty|gap)[ >/])")
NS_DECL = re.compile(r' xmlns(?::\w+)?="[^"]*"')


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
