"""One build of an edition at a time: a lock on a file of its build folder, and what killed builds left.

Two builds of one edition at once (`despatch build` while `despatch serve` or `mkdocs serve` rebuilds,
or two terminals) would write the same caches and swap the same site. The second waits for the first,
as it is told. Holding the lock, a build knows that no staging folder beside the site belongs to a
running build: those left by a build that was killed (a full one at the scale of FRUS leaves tens of
gigabytes) are removed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import atomic

LOCK = (".cache", "lock")  # under the build folder, beside the build's other state
_guard = threading.RLock()        # one build at a time in this process too (the collector is process-wide)
_held: dict[str, list[int]] = {}  # lock file → [descriptor, depth]: a build a preview falls back to holds it already


def _say(text: str) -> None:
    """Tell the user, on the error stream where the build's progress and summary go."""
    print(text, file=sys.stderr, flush=True)


@contextmanager
def edition_lock(build_dir: Path, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the edition's build lock while the block runs, waiting (and saying so) while another process holds it."""
    path = str(Path(build_dir).joinpath(*LOCK))
    with _guard:
        entry = _held.get(path)
        if entry is None:
            entry = _held[path] = [_acquire(path, say), 0]
        entry[1] += 1
        try:
            yield
        finally:
            entry[1] -= 1
            if not entry[1]:
                del _held[path]
                os.close(entry[0])  # closing the file lets the lock go


def _acquire(path: str, say: Callable[[str], None]) -> int:
    """The lock file, open and locked (where the system has no file locks, only open)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        import fcntl
    except ImportError:  # no advisory locks on this system: builds are not kept apart
        return fd
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            say(f"Waiting for another build of this edition to finish (process {holder or 'unknown'}, "
                f"holding {path})…")
            fcntl.flock(fd, fcntl.LOCK_EX)  # a signal still interrupts the wait
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    except BaseException:
        os.close(fd)
        raise
    return fd


def sweep(targets: list[Path], trash: Path) -> list[str]:
    """Remove the staging and old folders beside each target that no running build owns (the lock is held);
    returns their names. They go as an interrupted build's staging does (``atomic.discard``)."""
    gone: list[str] = []
    for target in targets:
        parent = target.parent
        try:
            names = os.listdir(parent)
        except OSError:
            continue
        prefixes = (f".{target.name}.new-", f".{target.name}.old-")
        for name in sorted(n for n in names if n.startswith(prefixes)):
            atomic.discard(parent / name, trash)
            gone.append(name)
    return gone
