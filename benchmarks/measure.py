"""Measuring a build: wall time, peak memory of the process tree, output size, page weight."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
STYLESHEET = re.compile(r"""<link\b[^>]*\brel=["']?stylesheet["']?[^>]*>""", re.I)
HREF = re.compile(r"""\bhref=["']?([^"' >]+)""", re.I)


@dataclass
class Run:
    """One measured command."""

    seconds: float
    peak_pss_mb: float      # sampled sum over the process tree of proportional set sizes
    peak_rss_mb: float      # sampled sum of resident set sizes (counts shared pages once per process)
    max_process_mb: float   # largest single process (kernel's ru_maxrss, never missed by sampling)
    cpu_seconds: float      # user + system time of the command and the processes it waited for
    returncode: int
    output: str
    peak_parts: list[tuple[str, float]] | None = None   # (process, PSS MB) at the sampled peak
    peak_at: float = 0.0    # seconds into the command when the peak was sampled


def descendants(root: int) -> list[int]:
    """The process and all its descendants, from /proc (no third-party dependency).

    Read from each process's own list of children where the kernel keeps one (a few files for the
    tree, not one for every process of the machine: the sampling of a build must not slow it).
    """
    if not os.path.exists(f"/proc/{root}/task/{root}/children"):
        return _descendants_by_scan(root)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue   # gone since its parent listed it
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children", "rb") as f:
                    todo.extend(int(child) for child in f.read().split())
            except OSError:
                continue
    return out


def _descendants_by_scan(root: int) -> list[int]:
    """``descendants`` from every process's parent, where there are no lists of children."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in bytes; (0, 0) once it has gone."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0, 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024, rss
    except OSError:
        pass
    return rss, rss


def process_name(pid: int) -> str:
    """A short name for a process: the program, or what a Python process of multiprocessing is."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(w.decode("utf-8", "replace") for w in words if w)
    if "forkserver" in text:
        # The fork server's children (the pool's workers) keep its command line.
        try:
            ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            parent = Path(f"/proc/{ppid}/cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            parent = b""
        return "worker" if b"forkserver" in parent else "forkserver"
    if "multiprocessing" in text:
        return "worker" if "resource_tracker" not in text else "resource_tracker"
    return Path(words[0].decode("utf-8", "replace")).name if words and words[0] else "?"


def own_cpu(pid: int) -> float:
    """User + system seconds a process has used itself so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def kill_group(pid: int) -> None:
    """Stop a command that ran past its time, with everything it started."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# Memory is read every MEMORY_EVERY samples after the first second: the kernel walks a process's page
# tables to sum its proportional set size, which for a build's seven processes took 15 ms of a 50 ms
# interval, and had slowed the builds measured by about a tenth.
MEMORY_EVERY = 5


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, interval: float = 0.05,
        timeout: float = 3600) -> Run:
    """Run a command, sampling its process tree's CPU every ``interval`` seconds and its memory every
    ``MEMORY_EVERY`` samples, until it exits (killed after timeout s)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    killer = threading.Timer(timeout, kill_group, (proc.pid,))
    killer.daemon = True
    killer.start()
    peak = [0, 0]
    parts: list[tuple[str, float]] = []
    peak_at = [0.0]
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        tick = 0
        while not done.is_set():
            pss = rss = 0
            now: list[tuple[int, int]] = []
            pids = descendants(proc.pid)
            for pid in pids:
                cpu[pid] = max(cpu.get(pid, 0.0), own_cpu(pid))
            tick += 1
            # Every sample in the first second (a short command, Hugo's at 500 documents, would be missed).
            if tick > 20 and tick % MEMORY_EVERY != 1:
                done.wait(interval)
                continue
            for pid in pids:
                p, r = memory(pid)
                pss, rss = pss + p, rss + r
                now.append((pid, p))
            if pss > peak[0]:
                # Which processes make the peak (names read now: a process may be gone at the end).
                parts[:] = [(process_name(pid) if pid != proc.pid else "main", p / (1024 * 1024))
                            for pid, p in now if p]
                peak_at[0] = time.perf_counter() - start
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:
        # Interrupted: the command runs in its own session, so stop it and everything it started.
        kill_group(proc.pid)
        raise
    finally:
        seconds = time.perf_counter() - start
        killer.cancel()
        done.set()
    sampler.join()
    reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    mb = 1024 * 1024
    # Processes the command did not wait for (workers started by a fork server) are not in its
    # rusage: their CPU time as last sampled counts then, whichever total is larger.
    waited = usage.ru_utime + usage.ru_stime
    return Run(seconds, peak[0] / mb, peak[1] / mb, usage.ru_maxrss / 1024,
               max(waited, sum(cpu.values())), proc.returncode,
               b"".join(chunks).decode("utf-8", "replace"), parts, peak_at[0])


def tree_size(root: Path) -> tuple[int, int, int, int]:
    """(bytes, bytes on disk incl. folders, files, HTML pages) under a folder."""
    total = disk = files = pages = 0
    for dirpath, _, names in os.walk(root):
        disk += os.stat(dirpath).st_blocks * 512
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            total, disk = total + st.st_size, disk + st.st_blocks * 512
            files += 1
            pages += name.endswith(".html")
    return total, disk, files, pages


def page_weight(page: Path, site: Path) -> dict[str, int]:
    """Gzipped bytes of a page and of the stylesheets it links (local ones only)."""
    html = page.read_bytes()
    css = 0
    for link in STYLESHEET.findall(html.decode("utf-8", "replace")):
        href = HREF.search(link)
        if not href or "://" in href.group(1):
            continue
        target = href.group(1).split("?")[0].split("#")[0]
        path = (site / target.lstrip("/")) if target.startswith("/") else (page.parent / target)
        if path.is_file():
            css += len(gzip.compress(path.read_bytes(), 6, mtime=0))
    gz = len(gzip.compress(html, 6, mtime=0))
    return {"html_bytes": len(html), "html_gzip": gz, "css_gzip": css, "total_gzip": gz + css}
