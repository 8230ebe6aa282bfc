"""Runs of an editor's edits seen by a real server (`despatch serve` or `mkdocs serve`), as an editor works.

The server runs in a process of its own and learns of each saved file from the kernel's notifications,
as it does for an editor. Between edits, ``served`` waits until the server has built and gone quiet,
then requires every document's page and TEI in the site it serves to be those a full build of the
same sources makes. The editor also runs `despatch build` beside the server now and then (``build``,
checked against a full build as ``edit_machine.Machine`` checks it).
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from edit_machine import Machine, differences, inprocess, outputs
from hypothesis.stateful import initialize, rule

from benchmarks.serve_latency import command, fetch, free_port

# What each server prints once a build after an edit is over, whether it succeeded or failed.
DONE = {"despatch": re.compile(r"^(Previewed |Built \d+ documents|Build failed; still serving)", re.MULTILINE),
        "mkdocs": re.compile(r"(Documentation built in|An error happened during the rebuild)")}
READY = {"despatch": "Watching for changes", "mkdocs": "Serving on"}
QUIET = 1.0  # seconds without a word from the server, once it has built, before its site is read
DOCUMENTS = re.compile(r"(site/[^/]+/d\d+/index\.html|tei/[^/]+/d\d+\.xml)$")


class ServerMachine(Machine):
    """The edits, each seen by a server watching the edition (``tool``), and builds beside it."""

    tool = "despatch"

    def __init__(self) -> None:
        super().__init__()
        self.server: subprocess.Popen[bytes] | None = None
        self.said: list[str] = []
        self.seen = 0  # the server's builds counted when the last edit was made
        self.edited = False  # a file saved since the server last went quiet
        self.built_beside = False  # `despatch build` ran since (it may grow the URL ledger, which the server watches)
        self.heard = 0  # the server's lines when it last went quiet

    @initialize()
    def first_build(self) -> None:
        if self.tool == "mkdocs" and not (self.content / "index.md").exists():  # MkDocs' own home page
            (self.content / "index.md").write_text("# An edition\n", encoding="utf-8")
        # The server's builds and the editor's alike without search (previews leave it to the next build,
        # and the builds in this process have none).
        yml = self.root / "mkdocs.yml"
        yml.write_text(yml.read_text(encoding="utf-8").replace("  - despatch:\n", "  - despatch:\n      search: false\n", 1),
                       encoding="utf-8")
        super().first_build()
        port = free_port()
        # Stopped as a user stops it, by Ctrl-C's signal (which a run in the background would ignore).
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.server = subprocess.Popen(command(self.tool, self.root, port), cwd=self.root,
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        finally:
            signal.signal(signal.SIGINT, previous)
        out = self.server.stdout
        assert out is not None
        self.reader = threading.Thread(target=lambda: self.said.extend(
            line.decode("utf-8", "replace") for line in iter(out.readline, b"")), daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 90
        while READY[self.tool] not in "".join(self.said):
            assert self.server.poll() is None and time.monotonic() < deadline, "".join(self.said)
            time.sleep(0.1)
        fetch(f"http://127.0.0.1:{port}/")
        self._quiet()

    def _changed(self, path: Path) -> None:
        super()._changed(path)
        if not self.edited and self.server is not None:
            self.seen, self.edited = self._builds(), True

    def _builds(self) -> int:
        return len(DONE[self.tool].findall("".join(self.said)))

    def _quiet(self) -> None:
        """Wait until the server has built since the last edit, then said nothing for ``QUIET`` s."""
        deadline = time.monotonic() + 120
        while self.edited and self._builds() <= self.seen:
            assert self.server is not None and self.server.poll() is None, "".join(self.said)
            assert time.monotonic() < deadline, f"the server never built after the edit: {''.join(self.said)}"
            time.sleep(0.05)
        if not self.edited and len(self.said) == self.heard and not self.built_beside:
            return  # nothing saved, nothing said, nothing built beside it since it was last quiet
        count = -1
        while count != len(self.said):
            assert time.monotonic() < deadline, f"the server never went quiet: {''.join(self.said[-40:])}"
            count = len(self.said)
            time.sleep(QUIET)
        self.edited, self.built_beside, self.heard = False, False, len(self.said)

    @rule()
    def served(self) -> None:
        """The documents' pages and TEI the server shows are those of a full build (unless the last of its
        builds failed, as a build would: it keeps the site it had)."""
        self._quiet()
        failed = DONE[self.tool].findall("".join(self.said))
        if failed and ("failed" in failed[-1] or "error" in failed[-1]):
            return
        full = self.dir / "full"
        shutil.rmtree(full, ignore_errors=True)
        shutil.copytree(self.root, full, symlinks=True, ignore=shutil.ignore_patterns("build"))
        built, _ = inprocess(full, False)
        if built:
            whole = outputs(full, True)
            differ = [k for k in differences(outputs(self.root, True), whole) if DOCUMENTS.match(k)]
            assert not differ, f"pages the server shows unlike a full build's: {differ[:12]}\n{''.join(self.said)}"
        shutil.rmtree(full, ignore_errors=True)

    def check(self) -> None:
        """`despatch build` beside the server, once the server has seen the edits and gone quiet."""
        self._quiet()
        super().check()
        self.built_beside = True
        self._quiet()

    def teardown(self) -> None:
        try:
            if self.server is not None:
                self._quiet()
                if self.pending:  # the last edits, built while the server still runs
                    self.check()
                assert self.server.poll() is None, "".join(self.said)
                assert "Traceback" not in "".join(self.said), "".join(self.said)
        finally:
            if self.server is not None:
                self.server.send_signal(signal.SIGINT)
                try:
                    self.server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.server.kill()
                    self.server.wait()
                self.reader.join(timeout=20)
            self.pending = False
            super().teardown()
        # Stopped by Ctrl-C, it says goodbye (or nothing), not how it was interrupted.
        assert self.server is None or "Traceback" not in "".join(self.said), "".join(self.said)
