"""Seconds a `despatch build` takes after one word is inserted into one document of a built edition.

    python benchmarks/edit_latency.py PROJECT [--edits 7] [--body] [--no-search] [--keep-bytecode]
    python benchmarks/edit_latency.py PROJECT --src SRC --against PROJECT2 --against-src SRC2 [--edits 15] [--each] [--volume VOL]

PROJECT is a despatch project that was built once (e.g. one written by generate.py). Each edit
inserts a new word after the first " the " of another document (d1…, spread over the volumes; often
in its title, which index pages show too; ``--body``: the first after the title's paragraph) and
runs a fresh `python -m despatch build` in PROJECT, timing its wall clock and its CPU (user +
system, the build and the processes it waited for). Sources are edited in place. By default the
command runs with bytecode caching on (`PYTHONDONTWRITEBYTECODE` unset), as an installed despatch
does; a first unmeasured build writes the bytecode.

With ``--against``, two projects built once from the same sources are edited alike, one edit at a
time in turn (alternating which goes first), each built with its own code (``--src`` and
``--against-src`` are put on PYTHONPATH): an A/B of two versions of despatch that other work on the
machine slows alike. Both must have the same edit history (the search changes bundle grows with it).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def command(search: bool) -> list[str]:
    return [sys.executable, "-m", "despatch", "build"] + ([] if search else ["--no-search"])


def run(project: Path, search: bool, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command(search), cwd=project, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sources(project: Path, count: int, within: str | None = None) -> list[Path]:
    """``count`` documents named d1… spread over the volumes (sorted, so runs edit the same ones);
    ``within``: all of them in that volume, as an editor working through one volume edits."""
    if within is not None:
        docs = sorted((project / "content" / within).glob("d*.txt"), key=lambda p: int(p.stem[1:]))
        return [docs[(k * 7) % len(docs)] for k in range(min(count, len(docs)))]
    volumes = sorted(p for p in (project / "content").iterdir() if (p / "volume.yml").is_file())
    picked: list[Path] = []
    i = 0
    while len(picked) < count and volumes:
        vol = volumes[i % len(volumes)]
        docs = sorted(vol.glob("d1*.txt"), key=lambda p: p.name)
        candidate = docs[(i // len(volumes) * 7) % len(docs)] if docs else None
        if candidate is not None and candidate not in picked:
            picked.append(candidate)
        i += 1
        if i > count * 100:
            break
    return picked


def edit(source: Path, word: str, body: bool = False) -> None:
    """Insert ``word`` after the first " the " of the source (of its body: after the title's paragraph)."""
    text = source.read_text(encoding="utf-8")
    start = text.index("\n\n") + 2 if body and "\n\n" in text else 0
    at = text.find(" the ", start)
    if at < 0:
        raise SystemExit(f"{source}: no ' the ' to edit")
    source.write_text(text[:at] + f" the {word} " + text[at + 5:], encoding="utf-8")


def summary(name: str, runs: list[tuple[float, float]]) -> str:
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    return (f"{name}: {len(runs)} edits: wall {min(walls):.3f}–{max(walls):.3f} s (median {statistics.median(walls):.3f}), "
            f"CPU {min(cpus):.3f}–{max(cpus):.3f} s (median {statistics.median(cpus):.3f})")


def compare(sides: list[tuple[Path, dict[str, str]]], edits: int, search: bool, body: bool, each: bool = False,
            within: str | None = None) -> None:
    """Edit and build each side in turn, alternating which goes first; print each side's summary (and,
    ``each``, every edit's wall clock side by side: a long run's edits cost more as it goes on)."""
    for project, env in sides:
        run(project, search, env)  # brings each site up to date (and writes bytecode)
    picked = [sources(project, edits, within) for project, _ in sides]
    runs: list[list[tuple[float, float]]] = [[] for _ in sides]
    stamp = int(time.time())
    for n in range(min(len(p) for p in picked)):
        order = list(range(len(sides)))[::-1 if n % 2 else 1]
        for i in order:
            edit(picked[i][n], f"word{stamp}x{n}", body)
            runs[i].append(run(sides[i][0], search, sides[i][1]))
        if each:
            print(f"edit {n + 1:3d}: " + "  ".join(f"{side[-1][0]:.3f} s" for side in runs), flush=True)
    for (project, _), side in zip(sides, runs):
        print(summary(str(project), side))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path)
    ap.add_argument("--edits", type=int, default=7)
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("--body", action="store_true",
                    help="edit the body, not the first ' the ' (which may be the title's: index pages change too)")
    ap.add_argument("--keep-bytecode", action="store_true",
                    help="keep the environment's PYTHONDONTWRITEBYTECODE (compile every module each run)")
    ap.add_argument("--src", help="the code to build PROJECT with (put first on PYTHONPATH)")
    ap.add_argument("--against", type=Path, help="a second project, edited and built in turn with PROJECT")
    ap.add_argument("--against-src", help="the code to build the second project with")
    ap.add_argument("--each", action="store_true", help="with --against, print every edit's wall clock")
    ap.add_argument("--volume", help="edit documents of this volume only (its folder's name)")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    if not args.keep_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    search = not args.no_search
    if args.against is not None:
        with_src = lambda src: {**env, "PYTHONPATH": src} if src else env
        compare([(args.project, with_src(args.src)), (args.against, with_src(args.against_src))],
                args.edits, search, args.body, args.each, args.volume)
        return 0
    if args.src:
        env["PYTHONPATH"] = args.src
    wall, cpu = run(args.project, search, env)  # brings the site up to date (and writes bytecode)
    print(f"unchanged: {wall:.2f} s wall, {cpu:.2f} s CPU")
    runs = []
    stamp = int(time.time())
    for n, source in enumerate(sources(args.project, args.edits, args.volume)):
        edit(source, f"word{stamp}x{n}", args.body)
        runs.append(run(args.project, search, env))
        print(f"{source.parent.name}/{source.name}: {runs[-1][0]:.2f} s wall, {runs[-1][1]:.2f} s CPU")
    if runs:
        print(summary("all", runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
