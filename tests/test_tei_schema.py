"""The shipped RELAX NG schema: fixture cases, the corpus, and diagnostics with positions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from despatch.sources.base import Converted
from despatch.sources.tei_reader import read_tei
from despatch.tei.document import build_tei
from despatch.tei.xmlio import parse_bytes
from despatch.validate.schema import schema_path, shipped_schema, validate_tei
from despatch.volume import Volume

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
CORPUS_TEI = sorted((Path(__file__).parent / "corpus" / "tei").glob("*.xml"))
NS_DECL = ' xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0"'
VOLUME = Volume(id="frus1961-63v16", title="Foreign Relations of the United States, 1961–1963, Volume XVI",
                series="Foreign Relations of the United States", volume="XVI", editors=["James E. Miller"],
                publisher="United States Government Printing Office", pub_place="Washington", year="1994")


@dataclass
class Case:
    """One schema case and the line it starts on."""

    line: int
    title: str
    xml: str
    expected: str


def read_cases(path: Path) -> list[Case]:
    """Cases: title, '.', XML, '.', 'valid' or 'invalid: …', '.'; '#' lines and blank lines between."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases, i = [], 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#"):
            i += 1
            continue
        start, title = i + 1, lines[i]
        assert lines[i + 1] == ".", f"{path.name}:{i + 2}: expected '.'"
        j = lines.index(".", i + 2)
        k = lines.index(".", j + 1)
        cases.append(Case(start, title, "\n".join(lines[i + 2:j]), "\n".join(lines[j + 1:k]).strip()))
        i = k + 1
    return cases


CASES = read_cases(FIXTURES / "schema-cases.txt")


@pytest.mark.parametrize("case", CASES, ids=[f"line{c.line}" for c in CASES])
def test_schema_case(case: Case) -> None:
    xml = case.xml.replace("<div", "<div" + NS_DECL, 1).encode("utf-8")
    diags = validate_tei(parse_bytes(xml, "case.xml"), "case.xml")
    where = f"schema-cases.txt:{case.line}: {case.title}"
    if case.expected == "valid":
        assert diags == [], f"{where}: " + "\n".join(map(str, diags))
    else:
        words = case.expected.removeprefix("invalid:").strip()
        assert diags, f"{where}: expected an error"
        assert any(words in d.message for d in diags), f"{where}: " + "\n".join(map(str, diags))


def test_every_case_is_read() -> None:
    text = (FIXTURES / "schema-cases.txt").read_text(encoding="utf-8").split("\n")
    verdicts = [line for line in text if line == "valid" or line.startswith("invalid:")]
    assert len(CASES) == len(verdicts) >= 10
    assert {c.expected.split(":")[0] for c in CASES} == {"valid", "invalid"}


@pytest.mark.parametrize("path", CORPUS_TEI, ids=[p.stem for p in CORPUS_TEI])
def test_corpus_documents_are_valid(path: Path) -> None:
    conv = read_tei(path.read_bytes(), str(path), "v")
    assert validate_tei(conv.div, str(path)) == []
    assert validate_tei(build_tei(conv, VOLUME, path.name), str(path)) == []


def test_diagnostic_names_line_element_and_found_tag() -> None:
    xml = ('<div' + NS_DECL + ' type="document" xml:id="d5" n="5">\n<head>5. T</head>\n'
           '<p>x</p>\n<p rend="center" foo="1">y</p>\n</div>').encode()
    [diag] = validate_tei(parse_bytes(xml, "content/v/d5.xml"), "content/v/d5.xml")
    assert (diag.path, diag.line) == ("content/v/d5.xml", 4)
    assert "Invalid attribute foo for element p" in diag.message
    assert "div[@xml:id='d5']/p[2]" in diag.message
    assert diag.found == '<p rend="center" foo="1">'
    assert str(diag).startswith("content/v/d5.xml:4:1: error: TEI schema:")


def test_an_element_inside_a_tree_is_validated_on_its_own() -> None:
    xml = ('<TEI' + NS_DECL + '><text><body><div type="document" xml:id="d1">'
           '<head>1. T</head><p>x</p></div></body></text></TEI>').encode()
    div = parse_bytes(xml, "x.xml").getroot()[0][0][0]
    assert validate_tei(div, "x.xml") == []
    assert validate_tei(div.getroottree(), "x.xml")  # a TEI file without teiHeader is not valid


def test_schema_is_compiled_once_and_shipped_in_the_package() -> None:
    assert shipped_schema() is shipped_schema()
    assert Path(schema_path()).is_file()
    assert Path(schema_path()).parent.name == "schema"
    etree.RelaxNG(etree.parse(schema_path()))  # the file on its own is a valid RELAX NG grammar


def test_build_output_with_the_div_moved_in_is_valid() -> None:
    div = read_tei(CORPUS_TEI[0].read_bytes(), "x.xml").div
    tree = build_tei(Converted(div, "x.xml"), Volume(id="v", title="T"), "x.xml")
    assert validate_tei(tree, "x.xml") == []


def test_the_schema_compiled_is_the_shipped_file() -> None:
    from despatch.validate.schema import _schema_bytes

    assert _schema_bytes() == Path(schema_path()).read_bytes()
