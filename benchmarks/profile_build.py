"""Profile one `despatch build` in-process (one worker, so every stage is seen): time per stage,
per module and per function.

    python benchmarks/profile_build.py PROJECT_DIR [--no-search] [--top 25] [--save prof.out]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
from collections import defaultdict
from pathlib import Path

# Functions whose cumulative time is reported as a stage (module path suffix, function name).
STAGES = (("site/collect.py", "collect"), ("site/stages.py", "read_stage"), ("site/gather.py", "gather"),
          ("site/renderstage.py", "render_stage"), ("site/indexpages.py", "write_all"),
          ("site/indexpages.py", "write_pages"), ("site/indexpages.py", "publish_pages"),
          ("site/indexpages.py", "_extras"), ("search/indexer.py", "index_site"),
          ("site/atomic.py", "swap_in"), ("urls/cite.py", "citations"),
          ("validate/schema.py", "validate_tei"), ("render/html.py", "tei_to_html"))


def owner(filename: str) -> str:
    """A profile entry's package: despatch module, third-party package, or the standard library."""
    if "/despatch/" in filename:
        return "despatch/" + filename.split("/despatch/", 1)[1]
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    return "builtins" if filename == "~" else "stdlib"


def summarize(stats: pstats.Stats, top: int) -> str:
    """Stage times, own time by module, and the most expensive functions."""
    raw = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _, ct, _) in raw.values())
    out = [f"total {total:.2f} s", "", "stage                                   cumulative s   share"]
    for suffix, name in STAGES:
        ct = sum(v[3] for (f, _, fn), v in raw.items() if fn == name and f.endswith(suffix))
        if ct:
            out.append(f"{suffix + ':' + name:40s} {ct:12.2f}  {ct / total:6.1%}")
    by_module: dict[str, float] = defaultdict(float)
    for (f, _, _), v in raw.items():
        by_module[owner(f)] += v[2]
    out += ["", "own time by module                                  s   share"]
    for mod, tt in sorted(by_module.items(), key=lambda kv: -kv[1])[:top]:
        out.append(f"{mod:45s} {tt:9.2f}  {tt / total:6.1%}")
    out += ["", "functions by own time"]
    for (f, line, fn), v in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        out.append(f"{v[2]:9.2f} s {v[1]:9d} calls  {owner(f)}:{line}({fn})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: build under the profiler and print the summary."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path)
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--save", type=Path, help="write the raw profile for pstats or snakeviz")
    args = ap.parse_args(argv)
    from despatch.cli import main as despatch_main

    os.chdir(args.project)
    shutil.rmtree("build", ignore_errors=True)
    Path("content/urls.lock").unlink(missing_ok=True)
    profiler = cProfile.Profile()
    cmd = ["build", "--workers", "1"] + (["--no-search"] if args.no_search else [])
    code = profiler.runcall(despatch_main, cmd)
    stats = pstats.Stats(profiler)
    if args.save:
        stats.dump_stats(str(args.save))
    print(summarize(stats, args.top))
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
