"""A build's command line read by the build's parser alone: the same arguments, the same errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch import cli


@pytest.mark.parametrize("argv", [["build"], ["build", "-f", "x.yml", "-j", "2", "--no-search", "--warn-links"],
                                  ["build", "--config=y.yml", "--workers=1"]])
def test_a_build_s_arguments_are_the_whole_parser_s(argv: list[str], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("x.yml", "y.yml"):  # a configuration file named must be there
        (tmp_path / name).write_text("site_name: An edition\n", encoding="utf-8")
    assert vars(cli.parse(argv)) == vars(cli.parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["build", "--bogus"], ["build", "extra"], ["build", "-j", "x"], ["build", "-f", "missing.yml"],
                                  ["build", "-j", "-2"], ["bogus"], [],
                                  ["build", "-h"], ["-h"]])
def test_errors_and_help_are_the_whole_parser_s(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as whole:
        cli.parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as got:
        cli.parse(argv)
    assert got.value.code == whole.value.code
    assert capsys.readouterr() == expected


def test_other_commands_are_parsed_whole() -> None:
    assert cli.parse(["serve", "-p", "9000"]).port == 9000
    assert cli.parse(["convert", "a.txt"]).input == "a.txt"
