"""The build's process pool: ordered maps over worker processes, sized to the machine."""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

from ..config import Config
from .worker import Shared, init

if TYPE_CHECKING:  # multiprocessing is imported when a pool starts: an edit's build starts none
    from concurrent.futures import Future
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
    """A call running in a forked copy of this process; ``result()`` waits for it and returns or raises.

    ``pid`` is None for a copy forked by another copy (not this process's child: it is not reaped here).
    """

    def __init__(self, pid: int | None, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self._answer: tuple[bool, Any] | None = None
        self._chunks: list[bytes] = []

    def wait(self) -> None:
        """Let the call end, whatever its outcome (called again after an interruption, it goes on reading)."""
        if self._answer is not None:
            return
        if self.fd >= 0:
            # What was read stays read: a Ctrl-C here leaves the pipe open for the failed build to drain.
            while block := os.read(self.fd, 1 << 16):
                self._chunks.append(block)
            os.close(self.fd)
            self.fd = -1
        status = os.waitpid(self.pid, 0)[1] if self.pid is not None else "unknown"
        try:
            self._answer = pickle.loads(b"".join(self._chunks))
        except Exception:  # killed, or died before it could answer
            error = RuntimeError(f"a build process ended without its result (exit status {status})")
            self._answer = (False, error)
        self._chunks = []

    def stop(self) -> None:
        """End the call now (a failed build's: what it writes is discarded) and let it go."""
        if self._answer is None and self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass  # ended already: waited for below
        self.wait()

    def result(self) -> Any:
        """The call's return value (pickled back), or its exception raised here."""
        self.wait()
        assert self._answer is not None
        ok, value = self._answer
        if not ok:
            raise value
        return value


Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def aside(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Aside | None:
    """Start ``fn(*args, **kwargs)`` in a forked copy of this process, to run on another core while this
    one goes on (None where that is not safe: no fork, one core, or other threads, whose locks a fork
    would copy held). The call must only write files and return what pickles."""
    started = aside_all([(fn, args, kwargs)])
    return started[0] if started is not None else None


def aside_all(calls: list[Call]) -> list[Aside] | None:
    """Start each ``(fn, args, kwargs)`` as ``aside`` does, forking this process once: each copy forks
    the next before its own call, so a large process pays for copying its page tables once, not per call."""
    if not calls or not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2 \
            or threading.active_count() > 1:
        return None
    for stream in (sys.stdout, sys.stderr):  # or the copy would print what this process buffered
        stream.flush()
    pipes = [os.pipe() for _ in calls]
    pid = os.fork()
    if pid:
        for _, write in pipes:
            os.close(write)
        return [Aside(pid if i == 0 else None, read) for i, (read, _) in enumerate(pipes)]
    _run_copy(calls, pipes, 0)
    return None  # not reached: a copy ends in _run_copy


def _run_copy(calls: list[Call], pipes: list[tuple[int, int]], i: int) -> None:
    """Copy ``i``: fork the next copy, then make call ``i`` and write its answer; never returns (a copy
    going back into the caller's stack would run its error handling and discard the build)."""
    code = 0
    try:
        if i + 1 < len(calls):
            try:
                if not os.fork():
                    _run_copy(calls, pipes, i + 1)
            except OSError:
                pass  # the later calls' pipes close unanswered: their callers get an error
        for j, (read, write) in enumerate(pipes):
            os.close(read)
            if j != i:
                os.close(write)
        fn, args, kwargs = calls[i]
        try:
            answer = pickle.dumps((True, fn(*args, **kwargs)))
        except BaseException as exc:
            try:
                answer = pickle.dumps((False, exc))
            except Exception:
                answer = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        with os.fdopen(pipes[i][1], "wb") as pipe:
            pipe.write(answer)
    except BaseException:
        code = 1
    finally:
        os._exit(code)
