"""Build synthetic editions of several sizes with despatch, MkDocs and Hugo; print a table and write
build/benchmarks/results.json.

    python benchmarks/run.py [--sizes 500,5000,20000] [--tools despatch,mkdocs,hugo,hugo-site,reference] [--all]

``reference`` is the issue's minimal Python pipeline on the same sources (``reference.py``), on one
process and on every core: a yardstick of the machine's speed. ``hugo-site`` is Hugo asked for a site
of despatch's shape (``hugosite.py``): what the plain Hugo site's speed owes to writing fewer pages.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import measure, report, search_fetch  # noqa: E402
from benchmarks.generate import generate  # noqa: E402

MKDOCS_LIMIT = 5000  # MkDocs renders the whole navigation into every page: quadratic, so capped
EDIT = " This sentence was added to measure an incremental build."


def despatch_cmd() -> list[str]:
    """The despatch command of the running interpreter's environment."""
    exe = Path(sys.executable).parent / "despatch"
    return [str(exe)] if exe.exists() else [shutil.which("despatch") or "despatch"]


def despatch_source() -> str:
    """Where the despatch being measured is imported from (PYTHONPATH may point at another tree)."""
    probe = measure.run([sys.executable, "-c", "import despatch; print(despatch.__file__)"], Path.cwd())
    return probe.output.strip()


def build_flags(help_text: str) -> dict[str, list[str] | None]:
    """Variants of `despatch build` the CLI offers: with search, and without it if it has a flag."""
    variants: dict[str, list[str] | None] = {"despatch": []}
    flag = re.search(r"--(no-search|skip-search|without-search)\b", help_text)
    variants["despatch-nosearch"] = [flag.group(0)] if flag else None
    return variants


def workers_flag(help_text: str, workers: int | None) -> list[str]:
    """`--workers N` when asked for and the CLI has it (otherwise the build sizes its own pool)."""
    if workers is None:
        return []
    if "--workers" not in help_text:
        raise SystemExit("despatch build has no --workers option")
    return ["--workers", str(workers)]


def set_aside(path: Path, trash: Path) -> None:
    """Move ``path`` into ``trash`` (a rename): deleting it now would slow the builds measured next.

    On ext4 without a journal, a file or folder created within minutes of many deletions costs
    10–20 times its usual CPU: the kernel steps over every recently freed inode as it allocates a
    new one. A 5,000-document build took 39 s (23 s of system CPU) right after the previous build
    was deleted and 19 s (3 s) without, so nothing is deleted until every build has been measured.
    """
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        n = sum(1 for _ in trash.iterdir())
        os.replace(path, trash / f"{n:03d}-{path.parent.name}-{path.name}")


def record(rows: list[dict], size: int, tool: str, result: measure.Run, site: Path, page: Path | None) -> dict:
    """Measure a finished build's output and add its row."""
    total, disk, files, pages = measure.tree_size(site) if site.exists() else (0, 0, 0, 0)
    row = {"size": size, "tool": tool, "seconds": round(result.seconds, 3),
           "cpu_seconds": round(result.cpu_seconds, 2),
           "docs_per_s": round(size / result.seconds, 1) if result.seconds else None,
           "peak_pss_mb": round(result.peak_pss_mb, 1), "peak_rss_mb": round(result.peak_rss_mb, 1),
           "max_process_mb": round(result.max_process_mb, 1), "returncode": result.returncode,
           "output_bytes": total, "disk_bytes": disk, "files": files, "html_pages": pages,
           "bytes_per_page": round(total / pages) if pages else None,
           "page_weight": measure.page_weight(page, site) if page and page.exists() else None}
    if result.returncode:
        row["error"] = result.output[-2000:]
    rows.append(row)
    print(report.row_line(row), flush=True)
    if result.returncode:
        print("   " + "\n   ".join(result.output.strip().splitlines()[-8:]), flush=True)
    return row


def first_search(site: Path, query: str) -> dict:
    """Bytes a first search fetches, when a browser is at hand (Playwright and Chromium)."""
    try:
        result = search_fetch.measure(site, query)
    except (Exception, SystemExit) as exc:  # a missing browser must not lose the build numbers
        print(f"   first search: not measured ({exc})", flush=True)
        return {"error": str(exc)[:500]}
    print(f"   first search '{query}': {result['requests']} requests, {result['bytes'] / 1024:.0f} KB "
          f"({result['wire_bytes_gzip'] / 1024:.0f} KB gzipped on the wire), {result['hits']} hits", flush=True)
    return result


def edit_one(content: Path, n: int = 0) -> Path:
    """Append a sentence to a body paragraph of one document: the ``n``-th edit's, from the middle of
    the first volume on, one volume after another (each edit another document)."""
    volumes = sorted(p for p in content.iterdir() if p.is_dir())
    volume = volumes[n % len(volumes)]
    docs = sorted(volume.glob("d*.txt"), key=lambda p: int(p.stem[1:]))
    path = docs[(len(docs) // 2 + n // len(volumes)) % len(docs)]
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines[2:], 2) if len(line) > 200 and not line.startswith("  "))
    lines[at] += EDIT
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def wait_gone(path: Path, timeout: float) -> None:
    """Wait until ``path`` is gone (the detached removal of a site replaced), at most ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while path.exists() and time.monotonic() < end:
        time.sleep(0.05)


def incremental(size: int, proj: Path, noops: list[measure.Run], edited: list[Path],
                edits: list[measure.Run]) -> dict:
    """The incremental rows of results.json: medians of the unchanged rebuilds and of the edits, each run kept."""
    def seconds(runs: list[measure.Run]) -> list[float]:
        return [round(r.seconds, 3) for r in runs]

    return {"size": size, "edited": [str(p.relative_to(proj)) for p in edited],
            "unchanged_seconds": statistics.median(seconds(noops)), "unchanged_runs": seconds(noops),
            "one_edit_seconds": statistics.median(seconds(edits)), "edit_runs": seconds(edits),
            "returncode": max(r.returncode for r in noops + edits),
            "peak_pss_mb": round(max(r.peak_pss_mb for r in edits), 1)}


def bench_size(args: argparse.Namespace, size: int, rows: list[dict], extra: dict) -> Path | None:
    """Generate one edition and build it with every tool asked for; returns the despatch project whose
    incremental builds are to be timed (kept in place for ``bench_incremental``), if it is this one."""
    work = args.out / "work" / (args.label or "default") / f"n{size}"
    tools = set(args.tools)
    formats = ["text"] + [f for f in ("mkdocs", "hugo", "hugo-site") if f in tools]
    print(f"-- {size} documents: generating under {work}", flush=True)
    generate(work, size, args.seed, args.per_volume, tuple(formats), dict(o.split("=", 1) for o in args.option))
    vol = "frus1958-60v1"
    if "despatch" in tools:
        proj = work / "despatch"
        help_text = measure.run(despatch_cmd() + ["build", "--help"], proj).output
        for name, flags in build_flags(help_text).items():
            if flags is None:
                continue
            set_aside(proj / "build", args.out / "trash")
            # A fresh edition: no URL ledger from the previous variant (it would ask for redirects).
            (proj / "content" / "urls.lock").unlink(missing_ok=True)
            cmd = despatch_cmd() + ["build"] + flags + workers_flag(help_text, args.workers)
            res = measure.run(cmd, proj, timeout=args.timeout)
            record(rows, size, name, res, proj / "build" / "site", proj / "build" / "site" / vol / "d3" / "index.html")
            if name == "despatch" and not res.returncode and args.search_query:
                extra.setdefault("search", {})[str(size)] = first_search(proj / "build" / "site", args.search_query)
    if "mkdocs" in tools and (size <= MKDOCS_LIMIT or args.all):
        proj = work / "mkdocs"
        res = measure.run([sys.executable, "-m", "mkdocs", "build", "-q"], proj, timeout=args.timeout)
        record(rows, size, "mkdocs", res, proj / "site", proj / "site" / vol / "d3" / "index.html")
    if "reference" in tools:
        # The yardstick on the same sources, on one process and on every core (``reference.py``).
        for workers in sorted({1, os.cpu_count() or 1}):
            out = work / f"reference-{workers}"
            set_aside(out, args.out / "trash")
            res = measure.run([sys.executable, str(Path(__file__).with_name("reference.py")), str(work / "despatch" / "content"),
                               str(out), "--workers", str(workers)], work, timeout=args.timeout)
            record(rows, size, f"reference ×{workers}", res, out, out / vol / "d3" / "index.html")
    # Hugo on the same documents: a page each (the yardstick), then a site of despatch's shape.
    for name in [t for t in ("hugo", "hugo-site") if t in tools and shutil.which("hugo")]:
        proj = work / name
        set_aside(proj / "public", args.out / "trash")
        res = measure.run(["hugo", "--quiet", "-d", "public"], proj, timeout=args.timeout)
        record(rows, size, name, res, proj / "public", proj / "public" / vol / "d3" / "index.html")
    kept = work / "despatch" if "despatch" in tools and size == args.incremental_size else None
    if not args.keep and kept is None:
        set_aside(work, args.out / "trash")
    return kept


def bench_incremental(args: argparse.Namespace, size: int, proj: Path, extra: dict) -> None:
    """Time rebuilds of a built edition: unchanged, then after each of a few edits.

    Run after every size's full builds: each incremental build deletes what it replaced, and on some file
    systems files made within minutes of many deletions cost far more (see set_aside), which had slowed
    the larger editions' builds measured after these.
    """
    help_text = measure.run(despatch_cmd() + ["build", "--help"], proj).output
    # The last variant built leaves build/ in place: rebuild unchanged, then after each of a few
    # edits, each of another document (one build's time varies by a tenth or more: medians).
    cmd = despatch_cmd() + ["build"] + workers_flag(help_text, args.workers)
    measure.run(cmd, proj, timeout=args.timeout)
    # That build swapped its site in over the last one, which a detached process then deletes
    # (about a core-second at 5,000 documents): the builds timed next would share the cores with it.
    wait_gone(proj / "build" / ".cache" / "trash", args.timeout)
    noops = [measure.run(cmd, proj, timeout=args.timeout) for _ in range(3)]
    edited, edits = [], []
    for n in range(max(1, args.edits)):
        edited.append(edit_one(proj / "content", n))
        edits.append(measure.run(cmd, proj, timeout=args.timeout))
    extra["incremental"] = incremental(size, proj, noops, edited, edits)
    inc = extra["incremental"]
    print(f"   incremental at {size}: unchanged {inc['unchanged_seconds']:.2f} s, one edited document "
          f"{inc['one_edit_seconds']:.2f} s (median of {len(edits)})", flush=True)
    if not args.keep:
        set_aside(proj.parent, args.out / "trash")


def main(argv: list[str] | None = None) -> int:
    """Command line: run the benchmark, print the table, write results.json."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="500,5000,20000")
    ap.add_argument("--tools", default="despatch,mkdocs,hugo,hugo-site")
    ap.add_argument("--all", action="store_true", help=f"also run MkDocs above {MKDOCS_LIMIT} documents")
    ap.add_argument("--workers", type=int, default=None, help="despatch build --workers N")
    ap.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                    help="a despatch plugin option for the generated mkdocs.yml, e.g. note_redirects=false")
    ap.add_argument("--label", default="", help="a name for this run, kept in results.json")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-volume", type=int, default=500)
    ap.add_argument("--incremental-size", type=int, default=5000)
    ap.add_argument("--edits", type=int, default=7, help="edited documents the incremental builds are timed on")
    ap.add_argument("--search-query", default="nuclear", help="query of the first-search measurement ('' skips it)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per build before it is stopped")
    ap.add_argument("--out", type=Path, default=Path("build/benchmarks"))
    ap.add_argument("--keep", action="store_true", help="keep the generated projects and their output")
    args = ap.parse_args(argv)
    # A terminated run stops the build it is measuring too (see measure.run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.tools = args.tools.split(",")
    args.out = args.out.resolve()
    rows: list[dict] = []
    extra: dict = {}
    print(report.HEADER, flush=True)
    kept = None
    for size in (int(s) for s in args.sizes.split(",")):
        kept = bench_size(args, size, rows, extra) or kept
    if kept is not None:
        bench_incremental(args, args.incremental_size, kept, extra)
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()},
               "label": args.label, "despatch": despatch_source(), "options": args.option,
               "seed": args.seed, "per_volume": args.per_volume, "runs": rows, **extra}
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"results-{args.label}.json" if args.label else "results.json"
    (args.out / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print()
    print(report.table(results))
    # Everything set aside goes now that nothing more is measured (see set_aside).
    shutil.rmtree(args.out / "trash", ignore_errors=True)
    return 1 if any(r["returncode"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
