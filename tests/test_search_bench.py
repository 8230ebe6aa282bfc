"""Indexing cost: one Pagefind bundle per volume against one bundle for the whole edition (slow; prints numbers).

    pytest -m slow tests/test_search_bench.py -s    (DESPATCH_BENCH_PAGES=20000 DESPATCH_BENCH_VOLUMES=8)
"""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest

from despatch.search import index_site, index_volume

CORPUS = Path(__file__).parent / "corpus" / "text"
PAGE = """<!doctype html><html lang="en"><head><title>{n}</title></head><body><nav>Volumes Search</nav>
<article data-pagefind-body data-pagefind-sort="date:{date}"><span data-pagefind-filter="volume:{vol}"></span>
<span data-pagefind-filter="year:{year}"></span><h1>{n}. Telegram</h1>{paras}</article></body></html>"""


def write_site(root: Path, pages: int, volumes: int) -> list[str]:
    """Pages of realistic words (shuffled sentences of the corpus), spread over ``volumes`` folders."""
    rng = random.Random(7)
    sentences = [s for f in sorted(CORPUS.glob("*.txt"))
                 for s in re.split(r"(?<=[.;:])\s+", f.read_text(encoding="utf-8")) if len(s) > 30]
    names = [f"v{i:02d}" for i in range(volumes)]
    for i in range(pages):
        vol = names[i % volumes]
        paras = "".join(f'<p id="p{k}">{" ".join(rng.sample(sentences, 4))}</p>' for k in range(6))
        year = 1945 + i % 30
        out = root / vol / f"d{i}" / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(PAGE.format(n=i, vol=vol, year=year, date=f"{year}-01-01", paras=paras), encoding="utf-8")
    return names


@pytest.mark.slow
def test_per_volume_indexes_bound_memory(tmp_path: Path) -> None:
    pages = int(os.environ.get("DESPATCH_BENCH_PAGES", "8000"))
    volumes = int(os.environ.get("DESPATCH_BENCH_VOLUMES", "8"))
    names = write_site(tmp_path / "site", pages, volumes)
    stats = index_site(tmp_path / "site", names)
    assert stats.total_pages == pages
    start = time.perf_counter()
    whole, peak = index_volume(tmp_path, "site")       # the same pages as a single bundle
    seconds = time.perf_counter() - start
    assert whole == pages
    print(f"\n{pages} pages, {volumes} volumes")
    print(f"  per volume: {stats.seconds:.1f} s, {stats.pages_per_second:.0f} pages/s, "
          f"peak {stats.peak_rss_kib / 1024:.0f} MiB")
    print(f"  one index:  {seconds:.1f} s, {pages / seconds:.0f} pages/s, peak {peak / 1024:.0f} MiB")
