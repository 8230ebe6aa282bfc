"""Seconds from saving a source to the served page showing the edit, with `despatch serve` and `mkdocs serve`.

    python benchmarks/serve_latency.py PROJECT [--edits 3] [--tools despatch,mkdocs] [--settle 2] [--log FILE]

PROJECT is a despatch project (e.g. one written by generate.py). Each server is started, its first
build awaited (and ``--settle`` seconds more: `despatch serve` then reads the edition into memory),
then a word is inserted into the body of one document a few times; each time the document's URL is
fetched every 50 ms until the word appears. Sources are edited in place.
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def command(tool: str, project: Path, port: int) -> list[str]:
    """The server's command line."""
    if tool == "despatch":
        return [sys.executable, "-m", "despatch", "serve", "-f", str(project / "mkdocs.yml"), "--port", str(port)]
    return [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]


def measure(tool: str, project: Path, source: Path, edits: int, settle: float = 2,
            log: Path | None = None) -> tuple[float, list[float]]:
    """Seconds to the first served page, and the seconds each edit took to show (``log``: the file the
    server's messages are appended to)."""
    port = free_port()
    said = log.open("ab") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(command(tool, project, port), cwd=project, stdout=said, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{source.parent.name}/{source.stem}/"
    try:
        start = time.monotonic()
        while True:
            try:
                fetch(url)
                break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit(f"{tool} serve exited with {proc.returncode}")
                time.sleep(0.25)
        started = time.monotonic() - start
        time.sleep(settle)  # the server settles (MkDocs starts watching after its first build)
        shown = []
        for _ in range(edits):
            word = f"Edit{random.randrange(10 ** 8)}"
            title, body = source.read_text(encoding="utf-8").split("\n", 1)
            source.write_text(title + "\n" + body.replace(" the ", f" the {word} ", 1), encoding="utf-8")
            t = time.monotonic()
            while word not in fetch(url):
                time.sleep(0.05)
            shown.append(time.monotonic() - t)
            time.sleep(1)
        return started, shown
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if log is not None:
            said.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--tools", default="despatch,mkdocs")
    parser.add_argument("--settle", type=float, default=2, help="seconds to wait after the first page is served")
    parser.add_argument("--log", type=Path, help="append what the servers say to this file (each preview's time, what it read)")
    args = parser.parse_args()
    project = args.project.resolve()
    sources = sorted(p for p in (project / "content").rglob("*.txt")
                     if " the " in p.read_text(encoding="utf-8").split("\n", 1)[-1])
    if not sources:
        raise SystemExit("no text source with ' the ' in its body to edit")
    source = sources[len(sources) // 2]
    for tool in args.tools.split(","):
        started, shown = measure(tool, project, source, args.edits, args.settle, args.log)
        print(f"{tool} serve: first page after {started:.1f} s; edits shown after "
              + ", ".join(f"{s:.2f}" for s in shown) + " s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
