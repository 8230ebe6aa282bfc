"""Index each volume as soon as its pages are written, while the build goes on.

Pagefind's command indexes a volume's folder on the machine's cores; a thread of this process only
hands the volume to an indexing process of its own (``job``) and waits, so a volume is indexed while
the next ones render, and its Python work does not wait for this process's interpreter lock.
"""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from .command import AT_ONCE, Running
from .indexer import SearchError, _checked, _index_volume, route
from .job import Job, available
from .prepared import prepared_bytes
from .routing import Counted
from .stats import SearchStats
from .summary import read_summary

_DONE = ""


class VolumeIndexer:
    """Per-volume Pagefind bundles under ``site_dir/<volume>/pagefind/``, each made as soon as it may be.

    ``finish_volume`` returns at once; the volumes are indexed one after another (the memory of one
    volume's Pagefind, as with ``index_site``) by a thread of their own while the build renders.
    ``finish`` waits for them, ``AT_ONCE`` at a time (the build has nothing else to do by then), writes
    the edition's router and returns the stats, or raises the first error, naming its volume. Both may
    be called from any one thread of the build.
    """

    def __init__(self, site_dir: Path, edition: list[str] | None = None, previous: Path | None = None) -> None:
        self.site_dir = Path(site_dir)
        self.edition = edition
        self.previous = previous
        self.stats = SearchStats()
        self._queue: queue.Queue[tuple[str, list[str] | None] | str] = queue.Queue()
        self._given: list[str] = []
        self._errors: dict[str, SearchError] = {}
        self._lock = threading.Lock()
        self._running = Running()   # the Pagefind commands running now (where no indexing process is)
        self._jobs: list[Job] = []  # the indexing processes, one a thread
        # The router's work on each volume's words, done as each is indexed: counted and prepared.
        self._counted = Counted()
        self._cancelled = False
        self._started = time.perf_counter()
        self._threads = [threading.Thread(target=self._work, name="search-index", daemon=True)]
        self._threads[0].start()

    @property
    def given(self) -> list[str]:
        """The volumes given so far, in order."""
        return list(self._given)

    def finish_volume(self, volume: str, documents: list[str] | None = None) -> None:
        """Index ``volume`` now: every document page of it must be in ``site_dir/<volume>/`` already.

        ``documents``: the folders of its pages to index, where the caller knows them (else its pages
        are read to find them)."""
        if volume in self._given:
            raise SearchError.at(str(self.site_dir / volume), 1, 1, "this volume was already given to the search index")
        self._given.append(volume)
        self._queue.put((volume, documents))

    def finish(self) -> SearchStats:
        """Wait for every volume given, write the router over ``edition`` (default: the volumes given)."""
        # Volumes still waiting would leave a core idle while one Pagefind indexes each in turn.
        for i in range(1, AT_ONCE if self._queue.qsize() > 1 else 1):
            self._threads.append(threading.Thread(target=self._work, name=f"search-index-{i}", daemon=True))
            self._threads[-1].start()
        for _ in self._threads:
            self._queue.put(_DONE)
        for thread in self._threads:
            thread.join()
        self.stats.pages = dict(sorted(self.stats.pages.items()))  # whichever thread indexed each
        if self._errors:  # the first volume's, whichever thread met it first
            self._counted.stash.close()
            raise self._errors[min(self._errors, key=self._given.index)]
        self.stats.routed = route(self.site_dir, self.edition if self.edition is not None else list(self._given),
                                  self.previous, self._counted)
        self.stats.seconds = time.perf_counter() - self._started
        return self.stats

    def cancel(self) -> None:
        """End a failed build's indexing at once: the running commands stopped, the rest skipped, no router."""
        self._cancelled = True
        self._running.stop()
        with self._lock:
            jobs = list(self._jobs)
        for job in jobs:
            job.stop()      # its thread, answered no more, drains the queue and closes it
        for _ in self._threads:
            self._queue.put(_DONE)
        for thread in self._threads:
            thread.join()
        self._counted.stash.close()

    def _work(self) -> None:
        job = self._job()
        try:
            while (given := self._queue.get()) != _DONE:
                volume, documents = given
                if self._errors or self._cancelled:
                    continue                    # drain: the build learns of the first failure in finish()
                try:
                    volume_dir = _checked(self.site_dir, volume)
                    if job is not None:
                        pages, peak, load, ready = job.index(volume_dir, documents)
                    else:
                        pages, peak = _index_volume(volume_dir, self._running, documents)
                        summary = read_summary(volume_dir.name, [volume_dir.parent])
                        load, ready = prepared_bytes(summary) if summary is not None else (None, b"")
                except Exception as exc:  # noqa: BLE001 (any failure is the build's to report, not a thread's silent end)
                    if not self._cancelled:
                        self._errors[volume] = exc if isinstance(exc, SearchError) else SearchError.at(
                            str(self.site_dir / volume), 1, 1, f"the search index of this volume failed: {exc!r}")
                    continue
                with self._lock:  # the last volumes are indexed by several threads
                    self.stats.pages[volume] = pages
                    self.stats.peak_rss_kib = max(self.stats.peak_rss_kib, peak)
                    if load is not None:
                        self._counted.add(volume, load, ready)
        finally:
            if job is not None:
                job.close()

    def _job(self) -> Job | None:
        """This thread's indexing process (None: the volumes are indexed in this process)."""
        if not available():
            return None
        with self._lock:
            if self._cancelled:
                return None
            try:
                job = Job()
            except OSError:
                return None
            self._jobs.append(job)
        return job
