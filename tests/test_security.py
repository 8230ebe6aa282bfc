"""Hostile input: XML attacks are refused through every command; source markup never becomes page markup."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from robust import TEI_DOC, run, write_project

TEI_NS = 'xmlns="http://www.tei-c.org/ns/1.0"'
DIV = f'<div {TEI_NS} type="document" xml:id="d1" n="1"><head>1. Title</head><p>{{}}</p></div>'


def _laughs() -> str:
    decls = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    return "<!DOCTYPE div [\n" + "\n".join(decls) + "\n]>\n" + DIV.format("&l9;")


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return secret


# Each attack, and the line where the DOCTYPE that carries it starts.
ATTACKS = {
    "external entity": ('<?xml version="1.0"?>\n<!DOCTYPE div [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                        + DIV.format("&x;"), 2),
    "parameter entity": ('<!DOCTYPE div [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>\n' + DIV.format(""), 1),
    "external DTD": ('<?xml version="1.0"?>\n<!-- first a comment -->\n<!DOCTYPE div SYSTEM "http://127.0.0.1:9/x.dtd">\n'
                     + DIV.format(""), 3),
    "billion laughs": ('<?xml version="1.0"?>\n' + _laughs(), 2),
    "quadratic blowup": ('<!DOCTYPE div [<!ENTITY a "' + "x" * 20_000 + '">]>\n' + DIV.format("&a;" * 20_000), 1),
    "BOM then DOCTYPE": ('\ufeff<!DOCTYPE div [<!ENTITY x SYSTEM "file://{secret}">]>\n' + DIV.format("&x;"), 1),
}


def _attack(name: str, tmp_path: Path) -> tuple[bytes, int]:
    text, line = ATTACKS[name]
    return text.replace("{secret}", str(_secret(tmp_path))).encode("utf-8"), line


def _no_secret_anywhere(root: Path, *outputs: str) -> None:
    for out in outputs:
        assert "TOP-SECRET" not in out
    for path in root.rglob("*"):
        if path.is_file() and path.name != "secret.txt":
            assert b"TOP-SECRET" not in path.read_bytes(), path


@pytest.mark.parametrize("name", list(ATTACKS))
@pytest.mark.parametrize("command", ["build", "check", "convert"])
def test_xml_attacks_are_refused_by_every_command(tmp_path: Path, name: str, command: str) -> None:
    data, line = _attack(name, tmp_path)
    root = write_project(tmp_path / "p", {"v": {"d1.xml": data}})
    src = root / "content" / "v" / "d1.xml"
    argv = {"build": ["build", "-f", str(root / "mkdocs.yml")], "check": ["check", "-f", str(root / "mkdocs.yml")],
            "convert": ["convert", str(src), "-o", str(tmp_path / "out.xml")]}[command]
    code, err = run(argv)
    assert code == 1, err
    assert "Traceback" not in err
    assert re.search(rf"d1\.xml:{line}:1: error: a DOCTYPE \(DTD\) is not allowed", err), err
    assert "found: <!DOCTYPE" in err and "expected:" in err
    assert not (root / "build" / "site").exists()
    assert not (tmp_path / "out.xml").exists()
    _no_secret_anywhere(tmp_path, err)


def test_import_refuses_an_attack_through_the_cli(tmp_path: Path) -> None:
    data, line = _attack("external entity", tmp_path)
    volume = tmp_path / "frus-evil.xml"
    volume.write_bytes(data.replace(b"<div", b"<TEI", 1).replace(b"</div>", b"</TEI>"))
    code, err = run(["import", str(volume), "--content", str(tmp_path / "content")])
    assert code == 1 and "Traceback" not in err
    assert f"frus-evil.xml:{line}:1: error: a DOCTYPE" in err
    assert not (tmp_path / "content").exists()
    _no_secret_anywhere(tmp_path, err)


def test_an_xinclude_is_never_followed(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    div = (f'<div {TEI_NS} xmlns:xi="http://www.w3.org/2001/XInclude" type="document" xml:id="d1" n="1">'
           f'<head>1. Title</head><p>Text <xi:include href="file://{secret}" parse="text"/></p></div>')
    root = write_project(tmp_path / "p", {"v": {"d1.xml": div}})
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    _no_secret_anywhere(tmp_path, err)
    assert "Traceback" not in err and code in (0, 1)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["billion laughs", "quadratic blowup", "external entity"])
def test_attacks_are_refused_in_under_a_second(tmp_path: Path, name: str) -> None:
    data, _ = _attack(name, tmp_path)
    src = tmp_path / "d1.xml"
    src.write_bytes(data)
    start = time.perf_counter()
    code, _ = run(["convert", str(src), "--volume", "v", "-o", str(tmp_path / "out.xml")])
    assert code == 1
    assert time.perf_counter() - start < 1.0


def test_very_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    deep = "<hi>" * 5000 + "x" + "</hi>" * 5000
    root = write_project(tmp_path / "p", {"v": {"d1.xml": DIV.format(deep)}})
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 1, err
    assert "Traceback" not in err and re.search(r"d1\.xml:1:\d+: error: ", err)


def test_a_tei_source_with_an_xhtml_script_fails_the_build(tmp_path: Path) -> None:
    body = '<p>Text <h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></p>'
    root = write_project(tmp_path / "p", {"v": {"d1.xml": TEI_DOC.format(n=1, body=body)}})
    code, err = run(["build", "-f", str(root / "mkdocs.yml"), "--no-search"])
    assert code == 1 and "Traceback" not in err
    assert re.search(r"d1\.xml:\d+:\d+: error: .*script", err), err
    assert not (root / "build" / "site").exists()


@pytest.mark.slow
@pytest.mark.parametrize("body", [
    " ".join(f"w [Page {i}]" for i in range(1, 20_000)),          # every marker a candidate's neighbour
    " ".join(f"word{i % 7 + 1}" for i in range(1, 50_000)),         # digits everywhere, one note
    "\n".join("  " * (i % 40 + 1) + "• item" for i in range(20_000)),  # deep and long bullet lists
    "[" * 200_000 + " text",
])
def test_large_hostile_texts_convert_in_linear_time(tmp_path: Path, body: str) -> None:
    """Big inputs made to hit the converter's worst cases are handled (or refused) in seconds."""
    src = tmp_path / "v" / "d1.txt"
    src.parent.mkdir()
    src.write_text(f"1. Telegram From A to B0\n\n{body}\n\n  1. Source: S.\n", encoding="utf-8")
    start = time.perf_counter()
    code, err = run(["convert", str(src), "-o", str(tmp_path / "out.xml")])
    assert code in (0, 1) and "Traceback" not in err
    assert time.perf_counter() - start < 10.0
