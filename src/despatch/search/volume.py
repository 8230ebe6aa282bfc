"""Index pages while the build renders them: a Pagefind service fed from memory, in a thread of its own.

The build hands each document page to ``VolumeIndexer.add_page`` as soon as it is rendered; Pagefind
parses it in its own process while the next documents render, and a volume's bundle is written as soon
as the build says the volume is complete. Only one volume's service runs at a time (the memory of one
volume, as with ``index_site``); pages of another volume wait in memory until that volume's turn, so
pages are best given volume by volume, in the build's order.
"""

from __future__ import annotations

import asyncio
import queue
import shutil
import threading
import time
from pathlib import Path
from typing import Any

from .indexer import BUNDLE, UNUSED, SearchError, SearchStats, _service_hwm_kib, indexed_pages, route
from .router import write_summary

_DONE = object()


class VolumeIndexer:
    """Per-volume Pagefind bundles under ``site_dir/<volume>/pagefind/``, fed page by page.

    ``add_page``, ``finish_volume`` and ``finish`` may be called from any one thread (calls are queued
    in order); ``finish`` returns the stats and raises the first indexing error, naming its volume.
    """

    def __init__(self, site_dir: Path, edition: list[str] | None = None, previous: Path | None = None) -> None:
        self.site_dir = Path(site_dir)
        self.edition = edition
        self.previous = previous
        self.stats = SearchStats()
        self._queue: queue.Queue[Any] = queue.Queue()
        self._error: BaseException | None = None
        self._started = time.perf_counter()
        self._thread = threading.Thread(target=self._work, name="search-index", daemon=True)
        self._thread.start()

    def add_page(self, volume: str, url: str, html: str) -> None:
        """Queue one page: ``url`` relative to the volume's folder (``/d245/``), ``html`` the whole page.

        Only what the page marks with ``data-pagefind-body`` is indexed, with its filters, meta, sort
        keys and element ids (the anchors of deep links), exactly as when the file is read from disk.
        """
        self._queue.put(("page", volume, url, html))

    def finish_volume(self, volume: str) -> None:
        """Say that every page of ``volume`` has been given: its bundle is written without waiting for the rest."""
        self._queue.put(("volume", volume))

    def finish(self) -> SearchStats:
        """Write every volume not yet written and the edition's router; wait for all of it."""
        self._queue.put(_DONE)
        self._thread.join()
        if self._error is not None:
            raise self._error
        self.stats.routed = route(self.site_dir, self.edition if self.edition is not None else list(self.stats.pages),
                                  self.previous)
        self.stats.seconds = time.perf_counter() - self._started
        return self.stats

    def _work(self) -> None:
        try:
            asyncio.run(self._consume())
        except SearchError as exc:
            self._error = exc
        except Exception as exc:  # the service reports failures as assorted exceptions
            self._error = SearchError.at(str(self.site_dir), 1, 1, f"Pagefind could not index the pages: {exc}")
        finally:
            while not self._queue.empty():     # let a failed run's producer finish without blocking
                self._queue.get_nowait()

    async def _consume(self) -> None:
        opened: list[_Open] = []
        try:
            await self._feed(opened)
        finally:
            for one in opened:          # after a failure, no service is left running
                await one.stop()

    async def _feed(self, opened: list[_Open]) -> None:
        waiting: dict[str, list[tuple[str, str]]] = {}   # pages of volumes not open yet, in arrival order
        complete: set[str] = set()
        current: _Open | None = None
        while True:
            item = await asyncio.to_thread(self._queue.get)
            if item is _DONE:
                break
            if item[0] == "page":
                _, volume, url, html = item
                if volume in complete:
                    raise SearchError.at(f"{self.site_dir / volume}{url}index.html", 1, 1,
                                         "a page was given after its volume was finished")
                if current is None:
                    current = await self._start(volume, opened)
                if current is not None and current.volume == volume:
                    await current.add(url, html)
                else:
                    waiting.setdefault(volume, []).append((url, html))
                continue
            complete.add(item[1])
            while current is not None and current.volume in complete:
                self._record(current.volume, await current.close())
                current = None
                if waiting:                  # the next volume that has pages, with what it already has
                    volume = next(iter(waiting))
                    current = await self._start(volume, opened)
                    for url, html in waiting.pop(volume):
                        await current.add(url, html)
        if current is not None:
            self._record(current.volume, await current.close())
        for volume, pages in waiting.items():
            later = await self._start(volume, opened)
            for url, html in pages:
                await later.add(url, html)
            self._record(volume, await later.close())

    async def _start(self, volume: str, opened: list[_Open]) -> _Open:
        one = await _Open.start(self.site_dir, volume)
        opened.append(one)
        return one

    def _record(self, volume: str, result: tuple[int, int]) -> None:
        self.stats.pages[volume] = result[0]
        self.stats.peak_rss_kib = max(self.stats.peak_rss_kib, result[1])


class _Open:
    """One volume's index in its own Pagefind service, open until the volume is complete."""

    def __init__(self, volume: str, out: Path, index: Any) -> None:
        self.volume, self.out, self.index = volume, out, index

    @classmethod
    async def start(cls, site_dir: Path, volume: str) -> _Open:
        from pagefind.index import IndexConfig, PagefindIndex

        out = site_dir / volume / BUNDLE
        shutil.rmtree(out, ignore_errors=True)     # hashed file names: an older bundle's pages would stay
        index = PagefindIndex(IndexConfig(force_language="en", output_path=str(out)))
        await index.__aenter__()
        return cls(volume, out, index)

    async def add(self, url: str, html: str) -> None:
        try:
            await self.index.add_html_file(content=html, url=url)
        except Exception as exc:
            raise SearchError.at(f"{self.out.parent}{url}index.html", 1, 1, f"Pagefind could not index this page: {exc}") from exc

    async def stop(self) -> None:
        """Stop the service without writing anything."""
        if self.index._service is not None:
            await self.index._service.close()
            self.index._service = None

    async def close(self) -> tuple[int, int]:
        """Write the bundle, stop the service; returns (pages, peak KiB)."""
        await self.index.write_files()
        peak = _service_hwm_kib(self.index)
        await self.stop()
        for name in UNUSED:
            (self.out / name).unlink(missing_ok=True)
        write_summary(self.out, self.volume)
        return indexed_pages(self.out), peak
