"""A volume's YAML files of the wrong shape: an error at the value's place, never a traceback, nor a
list printed where a title goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from robust import TELEGRAM, run, write_project

VOL = "frus1969-76v01"
SOURCES = {VOL: {"d1.txt": TELEGRAM.format(n=1, body="The Ambassador called."),
                 "d2.txt": TELEGRAM.format(n=2, body="The Secretary replied.")}}
VOLUME = "id: frus1969-76v01\ntitle: A volume\n"


@pytest.mark.parametrize(("name", "text", "where", "what", "found"), [
    ("toc.yml", "chapters: 5\n", "1:11", "toc.yml: chapters is not a list of chapters", "a number: 5"),
    ("toc.yml", "chapters:\n- 7\n", "2:3", "toc.yml: chapters → #1 is not a chapter", "a number: 7"),
    ("toc.yml", "chapters:\n- title: T\n  documents: d1\n", "3:14",
     "toc.yml: chapters → #1 → documents is not a list of document ids", "text: 'd1'"),
    ("toc.yml", "chapters:\n- title: T\n  documents: [d1]\n- title: [A, B]\n", "4:10",
     "toc.yml: chapters → #2 → title is not text", "a list: ['A', 'B']"),
    ("volume.yml", VOLUME.replace("A volume", "[A, B]"), "2:8", "volume.yml: title is not text", "a list"),
    ("volume.yml", VOLUME + "editors: {a: b}\n", "3:10", "volume.yml: editors is not a list of texts", "a mapping"),
    ("volume.yml", VOLUME + "year: [1969, 1976]\n", "3:7", "volume.yml: year is not text", "a list"),
    ("volume.yml", "id: [x]\ntitle: T\n", "1:5", "volume.yml: id is not text", "a list"),
    ("persons.yml", "p_X:\n  name: [a, b]\n", "2:9", "persons.yml: p_X → name is not text", "a list"),
    ("terms.yml", "t_X:\n  term: T\n  description: {a: b}\n", "3:16", "terms.yml: t_X → description is not text",
     "a mapping"),
])
def test_a_value_of_the_wrong_shape(tmp_path: Path, name: str, text: str, where: str, what: str, found: str) -> None:
    root = write_project(tmp_path / "p", SOURCES)
    (root / "content" / VOL / name).write_text(text, encoding="utf-8")
    for command in ("build", "check"):
        code, err = run([command, "-f", str(root / "mkdocs.yml")])
        assert code == 1 and "Traceback" not in err and "internal error" not in err, err
        assert f"{name}:{where}: error: {what}" in err and f"found: {found}" in err, err
    assert not (root / "build" / "site").exists()


def test_values_of_their_shapes_are_read_as_text(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", SOURCES)
    folder = root / "content" / VOL
    (folder / "volume.yml").write_text(VOLUME + "volume: 1\nyear: 1969\neditors: One Editor\n", encoding="utf-8")
    (folder / "toc.yml").write_text("chapters:\n- title: 1969\n  documents: [d2, d1]\n", encoding="utf-8")
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0, err
    page = (root / "build" / "site" / VOL / "index.html").read_text(encoding="utf-8")
    assert "<h2>1969" in page and page.index('href="d2/"') < page.index('href="d1/"')  # the chapter's order
