"""The sources' signatures and the code's hash, taken by a copy of the build's process while the
build's modules import.

An edited document's build stats every source of the edition (5,000 stats: a twentieth of its
time) and hashes the package's code after importing its modules (a quarter of it). A copy forked
before the imports stats the sources the last build listed (``listing.json``) and hashes the code
on the other core, and hands both over through a pipe; the read stage takes the signatures instead
of its own stats (and stats what they lack), the build's keys the code's hash.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import threading
from pathlib import Path
from typing import Any, Iterable

Signature = tuple[int, int, int]
# By folder (its path with a trailing separator): the names the copy found, and their signatures
# (None where the name was gone).
Taken = dict[str, tuple[list[str], list[Signature | None]]]

PACKAGE = Path(__file__).resolve().parent.parent

_pending: tuple[int, int] | None = None   # the copy's pid and the pipe it answers through
_answer: dict[str, Any] = {}              # what the copy handed over, until taken


def start(listing: Path) -> bool:
    """Fork a copy that stats the sources ``listing`` names (Linux, two cores or more, no other thread)."""
    global _pending
    if _pending is not None or not hasattr(os, "fork") or not sys.platform.startswith("linux") \
            or len(os.sched_getaffinity(0)) < 2 or threading.active_count() > 1 or not listing.is_file():
        return False
    for stream in (sys.stdout, sys.stderr):  # or the copy would hold what this process buffered
        if stream is not None:
            stream.flush()
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return False
    if pid:
        os.close(write)
        _pending = (pid, read)
        return True
    code = 0
    try:  # the copy: never back into the caller's stack
        os.close(read)
        for fd in (0, 1, 2):  # nothing to say, and a reader of the build's output waits for no copy
            os.close(fd)
        data = marshal.dumps({"sigs": take(listing), "code": code_files_hash()})
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    except BaseException:
        code = 1
    finally:
        os._exit(code)
    return False  # not reached


def take(listing: Path) -> Taken:
    """Stat every source ``listing`` names, folder by folder (named from the open folder, as the read stage does)."""
    folders = json.loads(listing.read_text(encoding="utf-8")).get("folders", {})
    out: Taken = {}
    stat = os.stat
    for prefix, entry in folders.items():
        names = entry[2] if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], list) else None
        if not isinstance(prefix, str) or names is None:
            continue
        try:
            folder = os.open(prefix, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            continue
        sigs: list[Signature | None] = []
        try:
            for name in names:
                try:
                    st = stat(name, dir_fd=folder)
                except (OSError, TypeError, ValueError):
                    sigs.append(None)
                    continue
                sigs.append((st.st_mtime_ns, st.st_size, st.st_ino))
        finally:
            os.close(folder)
        out[prefix] = (names, sigs)
    return out


def hash_files(paths: Iterable[Path]) -> str:
    """One hash of some files' paths and bytes, in path order (missing files left out)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        if p.is_file():
            h.update(str(p).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def code_files_hash() -> str:
    """The hash of the package's own code."""
    return hash_files(PACKAGE.rglob("*.py"))


def taken() -> dict[str, dict[str, Signature | None]]:
    """The signatures the copy took, by folder and name (None: gone), waited for; handed over once."""
    _wait()
    return _answer.pop("sigs", None) or {}


def code() -> str | None:
    """The code's hash as the copy found it (None: no copy, or it failed), waited for; handed over once."""
    _wait()
    found = _answer.pop("code", None)
    return found if isinstance(found, str) else None


def _wait() -> None:
    """Take the copy's answer, once it is there (the copy reaped)."""
    global _pending, _answer
    if _pending is None:
        return
    pid, fd = _pending
    _pending = None
    _answer = _receive(pid, fd)


def _receive(pid: int, fd: int) -> dict[str, Any]:
    """The copy's answer (empty when it failed), the copy reaped."""
    chunks = []
    try:
        with os.fdopen(fd, "rb") as pipe:
            while block := pipe.read(1 << 17):
                chunks.append(block)
    except OSError:
        chunks = []
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    try:
        answer: Any = marshal.loads(b"".join(chunks)) if chunks else {}
        sigs = {prefix: dict(zip(names, found)) for prefix, (names, found) in answer["sigs"].items()}
        return {"sigs": sigs, "code": answer["code"]}
    except (EOFError, ValueError, TypeError, AttributeError, KeyError):
        return {}
