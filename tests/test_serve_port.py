"""`despatch serve`'s port: one in use is said before any build, one out of range by the parser, and
port 0 serves on the port the system chose."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from robust import TELEGRAM, write_project

from benchmarks.serve_latency import fetch

SOURCES = {"frus1969-76v01": {"d1.txt": TELEGRAM.format(n=1, body="The Ambassador called.")}}


def _serve(root: Path, port: str) -> subprocess.Popen[str]:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # see test_preview._serving
    try:
        return subprocess.Popen([sys.executable, "-m", "despatch", "serve", "-p", port], cwd=root, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_port_in_use_is_said_before_any_build(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", SOURCES)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _serve(root, str(port))
        said, _ = done.communicate(timeout=60)
    assert done.returncode == 1, said
    assert f"cannot serve on 127.0.0.1 port {port}: Address already in use" in said, said
    assert "choose another port with -p" in " ".join(said.split()), said
    assert "Traceback" not in said and "Built" not in said and not (root / "build").exists(), said


def test_a_port_out_of_range_is_refused_by_the_parser(tmp_path: Path) -> None:
    """It was an internal error with a traceback (an OverflowError from the socket)."""
    root = write_project(tmp_path / "p", SOURCES)
    for port in ("99999", "-1", "http"):
        done = subprocess.run([sys.executable, "-m", "despatch", "serve", "-p", port], cwd=root, text=True,
                              capture_output=True, timeout=60, check=False)
        assert done.returncode == 2, done.stderr
        assert f"argument -p/--port: '{port}' is not a port number from 0 to 65535" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and not (root / "build").exists()


def test_port_0_serves_on_the_port_the_system_chose(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", SOURCES)
    proc = _serve(root, "0")
    try:
        said = ""
        deadline = time.monotonic() + 90
        while "Ctrl-C to stop" not in said:  # the console breaks long lines where it may
            assert proc.poll() is None and time.monotonic() < deadline, said
            said += proc.stdout.readline()  # type: ignore[union-attr]
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(said.split()))
        assert found is not None and found.group(1) != "0", said
        assert "The Ambassador called." in fetch(found.group(0) + "frus1969-76v01/d1/")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
