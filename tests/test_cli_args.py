"""The command line's arguments: a value the commands cannot take is refused by the parser, with what
it takes, before anything is read or built."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from robust import TELEGRAM, captured_stderr, write_project

from despatch.cli import main
from despatch.config import load_config
from despatch.site.pool import worker_count

SOURCES = {"frus1969-76v01": {"d1.txt": TELEGRAM.format(n=1, body="The Ambassador called.")}}


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What the parser said in refusing ``argv`` (argparse writes to the standard error itself)."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("value", ["-3", "x", "1.5", ""])
def test_a_worker_count_is_a_whole_number(tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`-j -3` was taken (as one worker), `build -j x` an argparse message without what it takes."""
    root = write_project(tmp_path / "p", SOURCES)
    said = _refused(["build", "-f", str(root / "mkdocs.yml"), "-j", value], capsys)
    assert f"argument -j/--workers: '{value}' is not a whole number of worker processes" in said, said
    assert not (root / "build").exists()


@pytest.mark.parametrize("command", ["build", "check", "serve", "accept-urls"])
def test_a_configuration_file_named_must_be_there(tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file named with -f was read as no file: the defaults were checked or built instead."""
    root = write_project(tmp_path / "p", SOURCES)
    monkeypatch.chdir(root)
    said = _refused([command, "-f", "mkdoc.yml"], capsys)
    assert "argument -f/--config: no configuration file 'mkdoc.yml'" in said, said
    said = _refused([command, "-f", "content"], capsys)
    assert "no configuration file 'content' (a folder: name its mkdocs.yml)" in said, said
    assert not (root / "build").exists()


def test_the_default_configuration_file_may_be_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path / "p", SOURCES)
    (root / "mkdocs.yml").unlink()
    monkeypatch.chdir(root)
    with captured_stderr() as err:
        assert main(["check"]) == 0, err.getvalue()
    with captured_stderr() as err:
        assert main(["build", "-j", "0", "--no-search"]) == 0, err.getvalue()


def test_workers_are_at_most_eight_a_core(tmp_path: Path) -> None:
    """`-j 100000` would have started a hundred thousand processes."""
    root = write_project(tmp_path / "p", SOURCES)
    cores = os.cpu_count() or 1
    assert worker_count(load_config(root / "mkdocs.yml", workers=100000), 5000) == 8 * cores
    assert worker_count(load_config(root / "mkdocs.yml", workers=2), 3) == 2  # asked for, and not too many
    assert worker_count(load_config(root / "mkdocs.yml", workers=0), 5000) == cores
