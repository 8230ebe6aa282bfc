"""The build's process pool: ordered maps over worker processes, sized to the machine."""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

from ..config import Config
from .shared import Shared

if TYPE_CHECKING:  # multiprocessing is imported when a pool starts: an edit's build starts none
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

T = TypeVar("T")
R = TypeVar("R")


PER_CORE = 8


def worker_count(config: Config, jobs: int) -> int:
    """Processes to use: the configured number, else the machine's cores (1 for tiny editions); never
    more than eight a core (``-j 100000`` would have started as many processes)."""
    if config.workers:
        return max(1, min(config.workers, PER_CORE * (os.cpu_count() or 1)))
    # Starting processes costs more than converting a few dozen documents.
    return 1 if jobs < 64 else max(1, os.cpu_count() or 1)


def pmap(fn: Callable[[T], R], items: list[T], shared: Shared, workers: int,
         context: BaseContext | None = None, chunk: int = 0) -> Iterator[R]:
    """Map in order over a process pool (or in-process), so output never depends on scheduling.

    ``chunk`` items travel to a worker at a time (default: a few dozen small tasks; 1 for items that
    are batches already, whose memory a worker holds while it works on them).
    """
    if workers <= 1 or len(items) <= 1:
        if not items:
            return  # nothing to map: the worker's state (its Jinja environment) is not made for it
        from .worker import init  # here: a build that renders nothing loads no renderer
        init(shared)
        yield from map(fn, items)
        return
    pool = Workers(shared, workers, context)
    try:
        yield from pool.map(fn, items, chunk)
    finally:
        pool.close()


class Workers:
    """A process pool kept open from one stage to the next: a full build's ebooks go to the processes that
    rendered its pages, queued behind the last of them, instead of to a pool started after the render
    (its start, a tenth of a second, was spent while the build's main process waited)."""

    def __init__(self, shared: Shared, workers: int, context: BaseContext | None = None) -> None:
        # Imported here: a build of a few documents starts no pool.
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        # Forked workers share this process's memory until they write to it, and the collector's walk
        # over every object would write to all of it: frozen objects are left out of that walk. What the
        # build froze before (its records) stays frozen after, as the build asked.
        self._frozen = gc.get_freeze_count()
        gc.freeze()
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=_start, initargs=(shared,),
                                         mp_context=context)

    def map(self, fn: Callable[[T], R], items: list[T], chunk: int = 0) -> Iterator[R]:
        """Map in order, ``chunk`` items travelling to a worker at a time (as ``pmap``)."""
        chunk = chunk or max(1, min(64, len(items) // (self.workers * 8) or 1))
        return self._pool.map(fn, items, chunksize=chunk)

    def submit(self, fn: Callable[[T], R], item: T) -> Future[R]:
        """Queue one task behind those given before; its result is waited for by the caller."""
        return self._pool.submit(fn, item)

    def close(self, failed: bool = False) -> None:
        """Let the workers end (a failed build's: their queued tasks dropped, running ones awaited)."""
        self._pool.shutdown(wait=True, cancel_futures=failed)
        if not self._frozen:
            gc.unfreeze()


def _start(shared: Shared) -> None:
    """A worker's start: its own collector on (a forked worker inherits the state of the build, which
    turns automatic collection off while it reads, and would keep every cycle its documents leave)."""
    from .worker import init

    gc.enable()
    _end_with_parent()
    init(shared)


def _end_with_parent() -> None:
    """End this worker when the build's process is gone: killed (by the system, for its memory), it
    could not stop its pool, whose workers would wait for work forever."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:
        return

    def watch() -> None:
        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def thread_safe_context() -> BaseContext | None:
    """Worker processes started from a clean server, not forked from a process running a thread."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None  # spawn, the default where there is no fork, is safe as it is
    context = multiprocessing.get_context("forkserver")
    # quietstart first: a worker whose start a stopped build cut short ends without a traceback.
    context.set_forkserver_preload(["despatch.site.quietstart", "despatch.site.worker"])
    return context


def clean_pmap(fn: Callable[[T], R], items: list[T], shared: Shared, workers: int,
               context: BaseContext | None) -> Iterator[R]:
    """Map over workers started clean; the clean start's machinery is loaded only when a pool is started."""
    clean = context or (thread_safe_context() if workers > 1 and len(items) > 1 else None)
    return pmap(fn, items, shared, workers, clean, 1)
