"""Index each volume as soon as its pages are written, while the build goes on.

Pagefind's command indexes a volume's folder on the machine's cores; a thread of this process only
starts it and waits, so a volume is indexed while the next ones render.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from .indexer import SearchError, SearchStats, _checked, _index_volume, route

_DONE = ""


class VolumeIndexer:
    """Per-volume Pagefind bundles under ``site_dir/<volume>/pagefind/``, each made as soon as it may be.

    ``finish_volume`` returns at once; the volumes are indexed one after another (the memory of one
    volume's Pagefind, as with ``index_site``) by a thread of their own. ``finish`` waits for them,
    writes the edition's router and returns the stats, or raises the first error, naming its volume.
    Both may be called from any one thread of the build.
    """

    def __init__(self, site_dir: Path, edition: list[str] | None = None, previous: Path | None = None) -> None:
        self.site_dir = Path(site_dir)
        self.edition = edition
        self.previous = previous
        self.stats = SearchStats()
        self._queue: queue.Queue[str] = queue.Queue()
        self._given: list[str] = []
        self._error: SearchError | None = None
        self._started = time.perf_counter()
        self._thread = threading.Thread(target=self._work, name="search-index", daemon=True)
        self._thread.start()

    @property
    def given(self) -> list[str]:
        """The volumes given so far, in order."""
        return list(self._given)

    def finish_volume(self, volume: str) -> None:
        """Index ``volume`` now: every document page of it must be in ``site_dir/<volume>/`` already."""
        if volume in self._given:
            raise SearchError.at(str(self.site_dir / volume), 1, 1, "this volume was already given to the search index")
        self._given.append(volume)
        self._queue.put(volume)

    def finish(self) -> SearchStats:
        """Wait for every volume given, write the router over ``edition`` (default: the volumes given)."""
        self._queue.put(_DONE)
        self._thread.join()
        if self._error is not None:
            raise self._error
        self.stats.routed = route(self.site_dir, self.edition if self.edition is not None else list(self._given),
                                  self.previous)
        self.stats.seconds = time.perf_counter() - self._started
        return self.stats

    def _work(self) -> None:
        while (volume := self._queue.get()) != _DONE:
            if self._error is not None:
                continue                    # drain: the build learns of the first failure in finish()
            try:
                pages, peak = _index_volume(_checked(self.site_dir, volume))
            except SearchError as exc:
                self._error = exc
                continue
            self.stats.pages[volume] = pages
            self.stats.peak_rss_kib = max(self.stats.peak_rss_kib, peak)
