"""Calls run in forked copies of the build's process, beside it on other cores."""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any


class Vanished(RuntimeError):
    """The process making a call ended without its answer (killed, or it died)."""


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
            error = Vanished(f"a build process ended without its result (exit status {status})")
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
        ok, value, *told = self._answer
        if not ok:
            # Where it was raised, as the copy's traceback told it (as a process pool's error carries it).
            raise value from (_RemoteTraceback(told[0]) if told else None)
        return value


class _RemoteTraceback(Exception):
    """The traceback of an error raised in a copy of the process, as text."""

    def __str__(self) -> str:
        return str(self.args[0])


Call = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def aside(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Aside | None:
    """Start ``fn(*args, **kwargs)`` in a forked copy of this process, to run on another core while this
    one goes on (None where that is not safe: no fork, one core, or other threads, whose locks a fork
    would copy held). The call must only write files and return what pickles."""
    started = aside_all([(fn, args, kwargs)])
    return started[0] if started is not None else None


def can_fork() -> bool:
    """Whether a copy of this process may be forked to run beside it (Linux, two cores or more, no other
    thread, whose locks a fork would copy held); if so, what this process buffered is written out first,
    or the copy would print it too."""
    if not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2 or threading.active_count() > 1:
        return False
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return True


def aside_all(calls: list[Call]) -> list[Aside] | None:
    """Start each ``(fn, args, kwargs)`` as ``aside`` does, forking this process once: each copy forks
    the next before its own call, so a large process pays for copying its page tables once, not per call."""
    if not calls or not can_fork():
        return None
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
        answer(pipes[i][1], fn, *args, **kwargs)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def answer(fd: int, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Write ``fn(*args, **kwargs)`` to the pipe ``fd`` as ``Aside.result`` reads it: its value, or the
    exception it raised (pickled back, or as its name and message where it cannot be)."""
    try:
        data = pickle.dumps((True, fn(*args, **kwargs)))
    except BaseException as exc:
        import traceback

        try:
            data = pickle.dumps((False, exc, traceback.format_exc()))
        except Exception:
            data = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(data)
