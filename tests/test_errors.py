"""The catalogue of broken sources and editions (tests/fixtures/errors/catalogue.txt) through the CLI.

Every case must give, from `despatch check`, `despatch build` and (for one source) `despatch convert`:
exit code 1, a `path:line:col: error:` line with what was found and what was expected, and no traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from robust import positions, run, volume_yml, write_project

CATALOGUE = Path(__file__).parent / "fixtures" / "errors" / "catalogue.txt"


@dataclass
class Case:
    """One broken edition: its files, and the lines its error must show."""

    line: int
    title: str
    files: dict[str, bytes | None] = field(default_factory=dict)   # None: the file must be absent
    expected: list[str] = field(default_factory=list)


def _bytes(text: str, escaped: bool) -> bytes:
    if not escaped:
        return text.encode("utf-8")
    return re.sub(r"\\x([0-9a-f]{2})|\\n", lambda m: chr(int(m[1], 16)) if m[1] else "\n",
                  text.rstrip("\n")).encode("latin-1")


def read_cases(path: Path) -> list[Case]:
    """Parse the catalogue, keeping the line where each case starts."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#"):
            i += 1
            continue
        case = Case(i + 1, lines[i])
        if lines[i + 1] != ".":
            raise ValueError(f"{path}:{i + 2}: expected '.' after the case title")
        i += 2
        name, escaped, body = "", False, []
        while lines[i] != ".":
            header = re.fullmatch(r"=== (!?)(\S+)( \(bytes\))?", lines[i])
            if header:
                if name:
                    case.files[name] = _bytes("\n".join(body) + "\n" if body else "", escaped)
                name, escaped, body = header[2], bool(header[3]), []
                if header[1]:
                    case.files[name], name = None, ""
            else:
                body.append(lines[i])
            i += 1
        if name:
            case.files[name] = _bytes("\n".join(body) + "\n" if body else "", escaped)
        i += 1
        while lines[i] != ".":
            case.expected.append(lines[i])
            i += 1
        i += 1
        cases.append(case)
    return cases


CASES = read_cases(CATALOGUE)


def make_edition(root: Path, case: Case) -> Path:
    """Write the case's edition: its files, a volume.yml in every volume folder unless the case says."""
    write_project(root, {})
    for name in case.files:
        folder = (root / name).parent
        own = f"{folder.relative_to(root)}/volume.yml" in case.files
        if folder.parent == root / "content" and not own:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "volume.yml").write_text(volume_yml(folder.name), encoding="utf-8")
    for name, data in case.files.items():
        if data is not None:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
    return root


def assert_reported(case: Case, code: int, err: str) -> None:
    """Exit 1, no traceback, the positioned head line and every expected line."""
    where = f"{CATALOGUE.name}:{case.line}: {case.title}\n{err}"
    assert code == 1, where
    assert "Traceback" not in err and "internal error" not in err, where
    head, *rest = case.expected
    out = [ln.strip() for ln in err.splitlines()]
    assert any(ln.startswith(head) for ln in out), where
    for line in rest:
        assert line.strip() in err, f"{line!r} missing\n{where}"
    # Every error line is positioned and says what was found or what was expected.
    assert positions(err), where
    for block in re.split(r"\n(?=\S)", err.strip()):
        if re.match(r"\S+:\d+:\d+: error: ", block):
            assert "found: " in block or "expected: " in block, f"{block}\n{where}"


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c.line}-{c.title[:40]}" for c in CASES])
def test_catalogue(case: Case, command: str, tmp_path: Path) -> None:
    root = make_edition(tmp_path / "edition", case)
    code, err = run([command, "-f", str(root / "mkdocs.yml")])
    assert_reported(case, code, err)
    assert not (root / "build" / "site").exists(), "a failed build publishes nothing"


SINGLE = [c for c in CASES if sum(1 for n in c.files if not n.endswith(".yml")) == 1
          and not any(n.endswith(".yml") for n in c.files)]


@pytest.mark.parametrize("case", SINGLE, ids=[f"{c.line}-{c.title[:40]}" for c in SINGLE])
def test_catalogue_convert(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_edition(tmp_path / "edition", case)
    monkeypatch.chdir(root)
    [source] = [n for n in case.files if case.files[n] is not None]
    code, err = run(["convert", source, "-o", str(tmp_path / "out.xml")])
    assert_reported(case, code, err)
    assert not (tmp_path / "out.xml").exists()


def test_the_catalogue_covers_issue_6() -> None:
    titles = " | ".join(c.title.lower() for c in CASES)
    for kind in ["empty file", "not utf-8", "no '<n>. <title>' line", "note is missing", "nothing references",
                 "gap in the notes", "duplicate in the notes", "page marker", "backwards",
                 "two sources claiming", "without a volume.yml", "volume.yml that is not yaml", "front matter",
                 "tei source that is not well-formed"]:
        assert kind in titles, kind


# --- Whole-edition problems that are not one source ------------------------------------------

def test_a_configuration_that_is_not_yaml(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    (root / "mkdocs.yml").write_text("site_name: [unclosed\nplugins:\n  - despatch\n", encoding="utf-8")
    for command in ("build", "check"):
        code, err = run([command, "-f", str(root / "mkdocs.yml")])
        assert code == 1 and "Traceback" not in err
        assert re.search(r"mkdocs\.yml:\d+:\d+: error: .*YAML", err), err


def test_a_missing_content_folder(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {})
    code, err = run(["check", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and "Traceback" not in err
    assert "content:1:1: error: content folder not found" in err


def test_a_missing_source_for_convert(tmp_path: Path) -> None:
    code, err = run(["convert", str(tmp_path / "nothing.txt")])
    assert code == 1 and "Traceback" not in err
    assert "nothing.txt" in err


def test_import_of_a_volume_that_is_not_well_formed(tmp_path: Path) -> None:
    volume = tmp_path / "frus1961-63v99.xml"
    volume.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader>\n</TEI>\n', encoding="utf-8")
    code, err = run(["import", str(volume), "--content", str(tmp_path / "content")])
    assert code == 1 and "Traceback" not in err
    assert re.search(r"frus1961-63v99\.xml:3:\d+: error: not well-formed XML", err), err
    assert "expected: well-formed XML" in err
    assert not (tmp_path / "content").exists()


def test_an_internal_error_exits_2_and_asks_for_a_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import despatch.site.collect as collect

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")
    monkeypatch.setattr(collect, "load_volume", broken)
    root = write_project(tmp_path / "p", {"v": {"d1.txt": "1. Telegram\n\nText.\n"}})
    code, err = run(["check", "-f", str(root / "mkdocs.yml")])
    assert code == 2
    assert "internal error" in err and "report" in err.lower() and "ZeroDivisionError" in err


# --- `despatch check` reports every problem of the edition in one run --------------------------

def test_check_reports_every_problem_in_one_run(tmp_path: Path) -> None:
    """Every case of the catalogue that concerns one source, all in one edition, plus a good document."""
    root = write_project(tmp_path / "edition", {"good": {"d1.txt": "1. Telegram0\n\nText.1\n\n  1. Source: S.\n  2. N.\n"}})
    wanted: list[str] = []
    for k, case in enumerate(SINGLE):
        [(name, data)] = [(n, d) for n, d in case.files.items() if d is not None]
        vol = f"v{k % 3}"
        target = root / "content" / vol / Path(name).name.replace("d1", f"d{100 + k}")
        if target.suffix == ".xml" and data is not None:
            data = data.replace(b'xml:id="d1"', f'xml:id="d{100 + k}"'.encode())
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (target.parent / "volume.yml").exists():
            (target.parent / "volume.yml").write_text(volume_yml(vol), encoding="utf-8")
        target.write_bytes(data or b"")
        wanted.append(str(target.relative_to(root)))
    (root / "content" / "v0" / "persons.yml").write_text("p1: [unclosed\n", encoding="utf-8")
    wanted.append("content/v0/persons.yml")
    (root / "content" / "orphan").mkdir()
    (root / "content" / "orphan" / "d1.txt").write_text("1. Telegram\n\nText.\n", encoding="utf-8")
    wanted.append("content/orphan/d1.txt")

    code, err = run(["check", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and "Traceback" not in err
    reported = {p for p, _, _, _ in positions(err)}
    assert sorted(set(wanted) - reported) == []
    assert not any(p.startswith("content/good/") for p in reported)
    assert re.search(rf"^{len(positions(err))} error\(s\)", err, re.M), err

    code, build_err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and {p for p, _, _, _ in positions(build_err)} == reported


def test_mkdocs_build_reports_a_broken_source(tmp_path: Path) -> None:
    """The MkDocs plugin gives the same positioned error and a failing exit code, no traceback."""
    import subprocess
    import sys

    root = write_project(tmp_path / "p", {"v": {"d1.txt": "1. Telegram0\n\nText [Page x1].\n\n  1. Source: S.\n"}})
    (root / "content" / "index.md").write_text("# Home\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "content/v/d1.txt:3:6: error: malformed page marker" in done.stderr
    assert "found: '[Page x1]'" in done.stderr


def test_control_characters_of_a_source_never_reach_the_terminal(tmp_path: Path) -> None:
    """An escape sequence in a source is shown as a symbol, not sent to the terminal."""
    root = write_project(tmp_path / "p", {"v": {"d1.txt": "\x1b[2J\x1b]0;pwned\x07Telegram\n\nText.\n"}})
    code, err = run(["check", "-f", str(root / "mkdocs.yml")])
    assert code == 1
    assert "\x1b" not in err and "\x07" not in err
    assert "␛[2J␛]0;pwned␇Telegram" in err


def test_a_huge_line_is_shown_around_the_column(tmp_path: Path) -> None:
    line = "word " * 40_000 + "[Page y] " + "word " * 1_000
    root = write_project(tmp_path / "p", {"v": {"d1.txt": f"1. Telegram0\n\n{line}\n\n  1. Source: S.\n"}})
    code, err = run(["check", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and len(err) < 2_000
    assert "content/v/d1.txt:3:200001: error: malformed page marker" in err
    shown, caret = [ln for ln in err.splitlines() if ln.startswith("  | ")][:2]
    assert shown[caret.index("^"):].startswith("[Page y]")
