"""Build a Pagefind bundle per volume with Pagefind's command (its binary ships in the wheel)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

from .command import BUNDLE, UNUSED, Running, SearchError, bundle
from .router import ROUTER
from .routing import Counted, write_router
from .stats import SearchStats
from .summary import write_summary

__all__ = ["BUNDLE", "UNUSED", "SearchError", "index_site", "index_volume", "route"]


def _index_volume(volume_dir: Path, running: Running | None = None, documents: list[str] | None = None) -> tuple[int, int]:
    """Index one volume's pages into ``<volume>/pagefind/``; returns (pages, peak KiB).

    ``documents``: the folders of the pages to index, where the caller knows them (the build does, from
    the pages it wrote); otherwise the volume's pages are read to find them.
    """
    pages, peak, _ = _index_summarized(volume_dir, running, documents)
    return pages, peak


def _index_summarized(volume_dir: Path, running: Running | None = None,
                      documents: list[str] | None = None) -> tuple[int, int, dict[str, Any]]:
    """``_index_volume``, and the volume's summary as it was written."""
    # Pagefind's file names are content hashes: a bundle written over an older one would keep its pages.
    shutil.rmtree(volume_dir / BUNDLE, ignore_errors=True)
    pages = document_pages(volume_dir) if documents is None else [f"{name}/index.html" for name in documents]
    # One language for the whole edition (in the command) so every bundle's WebAssembly matches the primary's.
    peak = bundle(volume_dir, volume_dir / BUNDLE, "this volume", pages, running)
    summary = write_summary(volume_dir / BUNDLE, volume_dir.name)
    return indexed_pages(volume_dir / BUNDLE), peak, summary


def document_pages(volume_dir: Path) -> list[str]:
    """The volume's pages Pagefind would keep (those with data-pagefind-body), as paths in the folder.

    A volume's folder holds about four times as many other pages (notes' redirects, contents,
    chronology); naming the documents saves Pagefind parsing those, a fifth of its time.
    """
    return sorted(f"{p.parent.name}/index.html" for p in volume_dir.glob("*/index.html")
                  if b"data-pagefind-body" in p.read_bytes())


def indexed_pages(bundle: Path) -> int:
    """Pages in a written bundle (Pagefind's own count includes pages it then left out)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())


def _checked(site_dir: Path, volume: str) -> Path:
    volume_dir = (Path(site_dir) / volume).resolve()
    if not volume_dir.is_dir():
        raise SearchError.at(str(volume_dir), 1, 1, "no such volume folder in the built site",
                             expected="the folder the build writes for the volume")
    return volume_dir


def index_volume(site_dir: Path, volume: str) -> tuple[int, int]:
    """Index the pages under ``site_dir/volume``; Pagefind only takes pages marked data-pagefind-body."""
    return _index_volume(_checked(site_dir, volume))


def route(site_dir: Path, volumes: list[str], previous: Path | None = None,
          counted: Counted | None = None) -> int:
    """Write the edition's router bundle; returns the volumes it covers (``counted``: see ``write_router``)."""
    out = Path(site_dir) / ROUTER
    try:
        count = write_router(Path(site_dir), volumes, previous, counted)
    except SearchError:
        raise  # it says where and what already
    except Exception as exc:  # the file system's failures, and anything else unforeseen
        raise SearchError.at(str(out), 1, 1, f"Pagefind could not write the search router: {exc}") from exc
    return count


def default_workers() -> int:
    """Volumes indexed at once: one, so that memory is that of one volume's Pagefind whatever the
    edition's size (Pagefind's command spreads one volume over the machine's cores itself)."""
    return 1


def index_site(site_dir: Path, volumes: list[str], workers: int | None = None, *,
               edition: list[str] | None = None, previous: Path | None = None) -> SearchStats:
    """Write one Pagefind bundle per volume under ``site_dir/<volume>/pagefind/``, then the router.

    ``workers`` volumes are indexed at the same time, each by its own Pagefind command, so peak memory is
    about ``workers`` times that of the largest volume whatever the size of the edition. The router
    (``site_dir/pagefind/``) covers ``edition`` (default: ``volumes``); a volume not indexed now is
    read from its summary in ``site_dir`` or, in an incremental build, in the ``previous`` site.
    """
    dirs = [_checked(site_dir, volume) for volume in volumes]
    stats = SearchStats()
    start = time.perf_counter()
    count = workers or default_workers()
    if count > 1:
        # Threads that only wait on Pagefind's commands.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=count) as pool:
            results = list(pool.map(_index_volume, dirs))
    else:
        results = [_index_volume(d) for d in dirs]
    for volume, (pages, peak) in zip(volumes, results):
        stats.pages[volume] = pages
        stats.peak_rss_kib = max(stats.peak_rss_kib, peak)
    stats.routed = route(site_dir, edition if edition is not None else volumes, previous)
    stats.seconds = time.perf_counter() - start
    return stats
