"""A Pagefind command waited for, and stopped should the file system it writes to fill up.

Once a write of Pagefind's fails for want of space or inodes, the command may wait forever on its own
threads (seen with Pagefind 1.5.2 on a full file system): the build would then wait too, showing no
error. The file system is looked at while the command runs; a command still running some seconds
after it filled up is stopped, and the build says why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

POLL = 0.5    # seconds between looks at the file system while a command runs
GRACE = 5.0   # seconds a command may go on once the file system is full (it may be ending)


def full(path: Path) -> bool:
    """Whether the file system holding ``path`` (or its nearest existing folder) has no space or no
    inodes left for this process (root may use the blocks and inodes kept back for it)."""
    where = Path(path)
    while not where.exists() and where != where.parent:
        where = where.parent
    try:
        st = os.statvfs(where)
    except (OSError, AttributeError):  # gone, or a system without statvfs: nothing to tell
        return False
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    blocks, inodes = (st.f_bfree, st.f_ffree) if root else (st.f_bavail, st.f_favail)
    return blocks == 0 or (st.f_files > 0 and inodes == 0)


def watched(proc: subprocess.Popen[bytes], out: Path) -> tuple[str, int, int, bool]:
    """The command's output, exit status and peak memory (KiB), and whether it was stopped because the
    file system holding ``out`` was full (then its status is the kill's)."""
    assert proc.stdout is not None
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    since: float | None = None
    stopped = False
    while True:
        reader.join(POLL)  # returns at once when the command closes its output (it ends)
        if not reader.is_alive():
            break
        if not full(out):
            since = None
        elif since is None:
            since = time.monotonic()
        elif time.monotonic() - since > GRACE:
            proc.kill()
            stopped = True
            reader.join()
            break
    proc.stdout.close()  # type: ignore[union-attr]
    status, peak = wait(proc)
    return b"".join(chunks).decode("utf-8", "replace"), status, peak, stopped


def wait(proc: subprocess.Popen[bytes]) -> tuple[int, int]:
    """The command's exit status and peak memory (KiB): ``wait4`` reports the latter for this child alone."""
    if not hasattr(os, "wait4"):
        return proc.wait(), 0
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    # Linux gives kilobytes, macOS bytes.
    return proc.returncode, usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
