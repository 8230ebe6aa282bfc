"""What the command prints off a terminal: plain, unwrapped lines, and rich is not even imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from despatch import terminal
from robust import TELEGRAM, write_project

SCRIPT = "import sys, despatch.cli as c; code = c.main(sys.argv[1:]); print('rich' in sys.modules, code)"


def test_a_build_in_a_pipe_prints_plain_lines_without_rich(tmp_path: Path) -> None:
    long = "x" * 120  # rich would wrap the summary at 80 columns
    root = write_project(tmp_path / long, {"v1": {"d1.txt": TELEGRAM.format(n=1, body="Some text.")}})
    done = subprocess.run([sys.executable, "-c", SCRIPT, "build", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["False", "0"], done.stderr
    summary = [line for line in done.stderr.splitlines() if line.startswith("Built ")]
    assert len(summary) == 1 and summary[0].endswith(f"Site: {root / 'build' / 'site'}")
    assert "\x1b[" not in done.stderr  # no colours in a log


def test_errors_are_plain_positioned_lines(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"v1": {"d1.txt": b""}})
    done = subprocess.run([sys.executable, "-c", SCRIPT, "build", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["False", "1"]
    assert any(line.startswith("content/v1/d1.txt:1:1: error:") for line in done.stderr.splitlines()), done.stderr
    assert "Traceback" not in done.stderr


def test_the_plain_console_takes_the_calls_the_commands_make(capsys) -> None:  # noqa: ANN001
    console = terminal.PlainConsole()
    console.print("[bold]kept as written[/bold]", style="red", markup=False, soft_wrap=True)
    assert capsys.readouterr().err == "[bold]kept as written[/bold]\n"
    assert not console.is_terminal


PROGRAM = """
import atexit, sys
atexit.register(lambda: print("exit handler ran", flush=True))
from despatch import cli
sys.argv = ["despatch", *sys.argv[1:]]
print("buffered, never flushed by hand", end="")
sys.exit(cli.main())
"""


def test_the_program_ends_after_a_build_with_its_code_its_output_and_its_exit_handlers(tmp_path: Path) -> None:
    ok = write_project(tmp_path / "ok", {"v1": {"d1.txt": TELEGRAM.format(n=1, body="Some text.")}})
    bad = write_project(tmp_path / "bad", {"v1": {"d1.txt": b""}})
    for root, code in ((ok, 0), (bad, 1)):
        done = subprocess.run([sys.executable, "-c", PROGRAM, "build", "-f", str(root / "mkdocs.yml")],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == code, done.stderr
        assert done.stdout == "buffered, never flushed by handexit handler ran\n"
        assert ("Built " in done.stderr) == (code == 0) and "Traceback" not in done.stderr
