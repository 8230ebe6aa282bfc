"""The build's process pool: ordered maps over worker processes, sized to the machine."""

from __future__ import annotations

import gc
import os
import pickle
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from ..config import Config
from .worker import Shared, init

if TYPE_CHECKING:  # multiprocessing is imported when a pool starts: an edit's build starts none
    from multiprocessing.context import BaseContext

T = TypeVar("T")
R = TypeVar("R")


def worker_count(config: Config, jobs: int) -> int:
    """Processes to use: the configured number, else the machine's cores (1 for tiny editions)."""
    if config.workers:
        return max(1, config.workers)
    # Starting processes costs more than converting a few dozen documents.
    return 1 if jobs < 64 else max(1, os.cpu_count() or 1)


def pmap(fn: Callable[[T], R], items: list[T], shared: Shared, workers: int,
         context: BaseContext | None = None, chunk: int = 0) -> Iterator[R]:
    """Map in order over a process pool (or in-process), so output never depends on scheduling.

    ``chunk`` items travel to a worker at a time (default: a few dozen small tasks; 1 for items that
    are batches already, whose memory a worker holds while it works on them).
    """
    if workers <= 1 or len(items) <= 1:
        init(shared)
        yield from map(fn, items)
        return
    # Imported here: a build of a few documents starts no pool.
    from concurrent.futures import ProcessPoolExecutor

    chunk = chunk or max(1, min(64, len(items) // (workers * 8) or 1))
    # Forked workers share this process's memory until they write to it, and the collector's walk
    # over every object would write to all of it: frozen objects are left out of that walk. What the
    # build froze before (its records) stays frozen after, as the build asked.
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_start, initargs=(shared,),
                                 mp_context=context) as pool:
            yield from pool.map(fn, items, chunksize=chunk)
    finally:
        if not frozen:
            gc.unfreeze()


def _start(shared: Shared) -> None:
    """A worker's start: its own collector on (a forked worker inherits the state of the build, which
    turns automatic collection off while it reads, and would keep every cycle its documents leave)."""
    gc.enable()
    init(shared)


def thread_safe_context() -> BaseContext | None:
    """Worker processes started from a clean server, not forked from a process running a thread."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None  # spawn, the default where there is no fork, is safe as it is
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["despatch.site.worker"])
    return context


class Aside:
    """A call running in a forked copy of this process; ``result()`` waits for it and returns or raises."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self._answer: tuple[bool, Any] | None = None

    def wait(self) -> None:
        """Let the call end, whatever its outcome."""
        if self._answer is not None:
            return
        chunks = []
        with os.fdopen(self.fd, "rb") as pipe:
            while block := pipe.read(1 << 16):
                chunks.append(block)
        _, status = os.waitpid(self.pid, 0)
        try:
            self._answer = pickle.loads(b"".join(chunks))
        except Exception:  # killed, or died before it could answer
            error = RuntimeError(f"a build process ended without its result (exit status {status})")
            self._answer = (False, error)

    def result(self) -> Any:
        """The call's return value (pickled back), or its exception raised here."""
        self.wait()
        assert self._answer is not None
        ok, value = self._answer
        if not ok:
            raise value
        return value


def aside(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Aside | None:
    """Start ``fn(*args, **kwargs)`` in a forked copy of this process, to run on another core while this
    one goes on (None where that is not safe: no fork, one core, or other threads, whose locks a fork
    would copy held). The call must only write files and return what pickles."""
    if not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2 or threading.active_count() > 1:
        return None
    for stream in (sys.stdout, sys.stderr):  # or the copy would print what this process buffered
        stream.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return Aside(pid, read)
    # The copy: never back into the caller's stack (its error handling would discard the build).
    code = 0
    try:
        os.close(read)
        try:
            answer = pickle.dumps((True, fn(*args, **kwargs)))
        except BaseException as exc:
            try:
                answer = pickle.dumps((False, exc))
            except Exception:
                answer = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(answer)
    except BaseException:
        code = 1
    finally:
        os._exit(code)
