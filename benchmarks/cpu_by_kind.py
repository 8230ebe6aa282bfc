"""CPU seconds of one build by kind of process: the build itself, its workers, its indexing processes, Pagefind.

    python benchmarks/cpu_by_kind.py PROJECT [--timeline SECONDS] [build options…]

Runs `python -m despatch build` in PROJECT (a copy: the build writes into it) and samples its process
tree every 20 ms from /proc. A process's CPU is its last sample, so one that ends between two samples
loses up to 20 ms: the total is a little under the kernel's count for the whole tree.

``--timeline 0.5`` also prints, for each half second, the cores each kind of process kept busy: where
the build leaves a core idle, and what runs alone at its end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import descendants  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def kind(pid: int, root: int) -> str:
    """What a process of the build is, from its command line."""
    if pid == root:
        return "build (main process)"
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(w.decode("utf-8", "replace") for w in words if w)
    if not text:
        return "?"  # ended, and not yet reaped: a zombie has no command line
    if "pagefind" in os.path.basename(words[0].decode("utf-8", "replace")):
        return "Pagefind"
    if "despatch.search.job" in text:
        return "search indexing processes"
    if "forkserver" in text or "resource_tracker" in text:
        return "workers started clean (render, ebooks)"
    return "workers forked (read) and copies"


def cpu(pid: int) -> float | None:
    """User + system seconds of one process so far (None once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--timeline", type=float, default=0.0, metavar="SECONDS",
                        help="also print the cores each kind kept busy, slice by slice")
    args, options = parser.parse_known_args()   # the rest: options of `despatch build`
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "despatch", "build", *options], cwd=args.project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: dict[int, float] = {}
    kinds: dict[int, str] = {}
    slices: list[Counter[str]] = []   # CPU seconds by kind, slice by slice (with --timeline)
    counted: dict[int, float] = {}    # each process's CPU already put in a slice
    while proc.poll() is None:
        for pid in descendants(proc.pid):
            used = cpu(pid)
            if used is not None:
                seen[pid] = used
                # Named at every sample: a process seen between its fork and its exec still has its
                # parent's command line (an indexing process was counted as a copy of the build).
                named = kind(pid, proc.pid)
                if named != "?" or pid not in kinds:  # "?": gone (or ended) since its CPU was read
                    kinds[pid] = named
        if args.timeline:
            at = int((time.perf_counter() - start) / args.timeline)
            while len(slices) <= at:
                slices.append(Counter())
            for pid, used in seen.items():
                slices[at][kinds[pid]] += used - counted.get(pid, 0.0)
                counted[pid] = used
        time.sleep(0.02)
    wall = time.perf_counter() - start
    said = proc.stderr.read() if proc.stderr is not None else ""
    if proc.returncode:
        raise SystemExit(f"build failed ({proc.returncode}):\n{said}")
    by: Counter[str] = Counter()
    for pid, used in seen.items():
        by[kinds[pid]] += used
    print(f"wall {wall:.2f} s")
    for name, used in by.most_common():
        print(f"{used:8.2f} CPU s  {name}")
    print(f"{sum(by.values()):8.2f} CPU s  in all (sampled)")
    if args.timeline:
        print(timeline(slices, args.timeline, [name for name, _ in by.most_common()]))


def timeline(slices: list[Counter[str]], step: float, names: list[str]) -> str:
    """A table of the cores each kind kept busy in each slice of ``step`` seconds, and all of them."""
    lines = [f"{'from s':>7}  " + "  ".join(f"{name[:12]:>12}" for name in names) + "         all"]
    for i, used in enumerate(slices):
        cores = [used[name] / step for name in names]
        lines.append(f"{i * step:7.2f}  " + "  ".join(f"{c:12.2f}" for c in cores) + f"  {sum(cores):10.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
