"""Pagefind's own command, run on a folder of pages: every bundle the build writes is made this way.

Pagefind's Python client talks to the same binary run as a service, but waits a tenth of a second
for each of the service's answers and costs about a third more CPU than the command on a volume's
pages (1.12 against 0.83 CPU s for 500 pages); the two write the same bundle, byte for byte.
"""

from __future__ import annotations

import errno
import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path

from ..errors import SourceError
from .canon import stabilize
from .staging import staged
from .watching import full, watched

# Pagefind commands run at once where nothing else is left to do (the last volumes, the router's
# shards). One keeps about 1.4 cores busy; two kept two busy but for the moments between a volume's
# command and the next (the bundle put in order, its words summarized): about a core-second idle in a
# build of 5,000 documents, six tenths of one with three. Each holds the memory of its own pages
# (≈ 125 MB a volume of 500 documents).
AT_ONCE = 3
# The folder, inside each volume's folder, that holds the volume's bundle. The search page imports the
# first bundle and merges the others; Pagefind derives each bundle's base URL from this location.
BUNDLE = "pagefind"


# Pagefind's own search interfaces: the edition ships its own accessible one, so these would be dead weight
# repeated in every bundle. Nor does the page use Pagefind's worker script (it searches on its own thread)
# or the WebAssembly for pages of no known language (every index is forced to English).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js",
          "pagefind-worker.js", "wasm.unknown.pagefind")


class SearchError(SourceError):
    """Indexing failed: Pagefind is missing or refused a volume (reported like any build error)."""


def executable() -> Path | None:
    """Pagefind's binary, as its client finds it; first where the extended wheel's package keeps it, found
    without importing that package (logging, platform: 4 ms) nor the client's module (asyncio, ssl: 10 ms)."""
    if os.environ.get("PAGEFIND_BINARY_PATH") is None:
        found = wheel_binary("pagefind_bin_extended", ("pagefind_extended", "pagefind"))
        if found is not None:
            return found
    from pagefind.service import get_executable
    return get_executable()


def wheel_binary(package: str, names: tuple[str, ...]) -> Path | None:
    """The first of ``names`` in a binary wheel's package folder, as its ``get_executable`` looks for them
    (None when the package is absent, or its first candidate is not a file: the client decides then)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent
    suffixes = ("", ".exe") if sys.platform == "win32" else ("",)
    for path in (folder / (name + suffix) for name in names for suffix in suffixes):
        if path.exists():
            return path if path.is_file() else None
    return None


class Running:
    """The commands running now, for a caller that may have to stop them (a failed build)."""

    def __init__(self) -> None:
        self._procs: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self.stopped = False

    def add(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.add(proc)
            if self.stopped:  # started just as the caller stopped the others
                proc.kill()

    def discard(self, proc: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def stop(self) -> None:
        """Kill every command running, and any started from now on."""
        with self._lock:
            self.stopped = True
            for proc in self._procs:
                proc.kill()


def pagefind(site: Path, out: Path, what: str, pages: list[str] | None = None, running: Running | None = None) -> int:
    """Index the pages under ``site`` (``pages``, paths in it; None: every page) into the bundle ``out``, in
    their URLs' order (``staging``); returns Pagefind's
    peak memory in KiB (0 where the system does not tell). ``what`` names the pages in an error; the
    command is in ``running`` while it runs, for a caller that may have to stop it."""
    exe = executable()
    if exe is None:
        raise SearchError.at(str(out), 1, 1, "search indexing needs Pagefind's binary",
                             expected="pip install 'pagefind[extended]'")
    # Run where no Pagefind configuration file is, with none of its settings from the environment.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with staged(Path(site), pages) as (walked, glob):
        # Absolute paths: the command runs in ``site``, where a relative one would mean something else.
        args = [str(exe), "--site", str(walked.absolute()), "--output-path", str(Path(out).absolute()),
                "--force-language", "en", "--silent"]
        if glob is not None:
            args += ["--glob", glob]
        try:
            proc = subprocess.Popen(args, cwd=site, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT)
        except OSError as exc:
            raise SearchError.at(str(out), 1, 1, f"Pagefind could not be started: {exc}") from None
        if running is not None:
            running.add(proc)
        try:
            said, status, peak, stopped = watched(proc, out)
        finally:
            if running is not None:
                running.discard(proc)
    failed = status != 0 or not (out / "pagefind-entry.json").is_file()
    if stopped or (failed and full(out)):
        raise SearchError.at(str(out), 1, 1, f"Pagefind could not index {what}: {os.strerror(errno.ENOSPC)}"
                             + (" (its command was stopped: it may wait forever once a write fails)" if stopped else ""),
                             expected="space and inodes (how many files it can hold) on that file system:"
                                      " `df -h` and `df -i` show which ran out")
    if failed:
        raise SearchError.at(str(out), 1, 1, f"Pagefind could not index {what}: "
                             + (last_words(said) or f"exit status {status}"))
    return peak


def last_words(said: str) -> str:
    """What a failed command said of its failure: a Rust panic's message (the line after "panicked at",
    not the backtrace and its notes after it), else its last line."""
    lines = [line.strip() for line in said.strip().splitlines() if line.strip()]
    for i, line in enumerate(lines[:-1]):
        if " panicked at " in line:
            return lines[i + 1]
    return lines[-1] if lines else ""


def bundle(site: Path, out: Path, what: str, pages: list[str] | None = None, running: Running | None = None) -> int:
    """``pagefind``, then the bundle as the edition ships it: without ``UNUSED``, its filters and metadata
    in one order (``canon``). Every bundle the build writes is made here; returns the peak memory."""
    peak = pagefind(site, out, what, pages, running)
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)
    stabilize(out)
    return peak


