"""An edit's sources read by a copy of this process, forked as the read begins.

A build that reads a few sources reads them in its own process, and an edit's build does nothing else
meanwhile: it takes every source's signature, loads the converter, converts, and only then loads the
renderer and the TEI schema the changed pages need. The copy takes the signatures while this process
loads the snapshot of the last read, loads the converter while this one finds which sources changed,
reads them while this one loads the renderer, and sends their records back. It is forked before the
edition's records are made, so that this process's work after the fork copies few of the pages they share.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import Diagnostic
from ..model import DocRecord
from .aside import Aside, Vanished, answer, can_fork
from .readers import ReadTask, load, read_batch
from .shared import Shared
from .snapshot import Signature, source_signatures

if TYPE_CHECKING:
    from .collect import VolumeSources

Read = list[tuple[DocRecord | None, list[Diagnostic]]]
# Sources the copy reads at most: a longer read (one worker asked for, every source changed) is read where
# its progress is shown as it goes.
FEW = 64


class ReadBeside:
    """The copy, waiting for the sources to read (``read``), or let go unused (``close``)."""

    def __init__(self, pid: int, tasks: int, answers: int, signed: int) -> None:
        self._tasks = tasks                  # this process's end of the pipe the tasks go through
        self._answer = Aside(pid, answers)   # the copy's answer, as a call run beside is answered
        self._signed = Aside(None, signed)   # and the sources' signatures it took first (reaped with it)

    @classmethod
    def start(cls, shared: Shared, volumes: list[VolumeSources]) -> ReadBeside | None:
        """Fork the copy, to take the signatures of the ``volumes``' sources, then to read some of them (None
        where it gains nothing: a process that has rendered before has the renderer loaded already; or
        where no copy may be forked)."""
        if "despatch.site.worker" in sys.modules or not can_fork():
            return None
        tasks_read, tasks_write = os.pipe()
        answer_read, answer_write = os.pipe()
        signed_read, signed_write = os.pipe()
        pid = os.fork()
        if not pid:
            for fd in (tasks_write, answer_read, signed_read):
                os.close(fd)
            _copy(tasks_read, answer_write, signed_write, shared, volumes)
        for fd in (tasks_read, answer_write, signed_write):
            os.close(fd)
        return cls(pid, tasks_write, answer_read, signed_read)

    def signatures(self) -> list[list[Signature]] | None:
        """Each volume's sources' signatures, as ``source_signatures`` gives them; None when the copy ended
        first or could not take them (the caller takes them itself, and meets the failure as it would have)."""
        try:
            return self._signed.result()  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001 (taken again by the caller, whose own error, if any, is the build's)
            return None

    def read(self, tasks: list[ReadTask], meanwhile: Callable[[], None]) -> Read | None:
        """``read_batch(tasks)``, made by the copy while this process runs ``meanwhile``; None when the copy
        ended without an answer (it could not load the converter, or was killed): the caller reads them."""
        try:
            try:
                with os.fdopen(self._tasks, "wb") as pipe:  # closed: the copy has every task
                    self._tasks = -1
                    pipe.write(pickle.dumps(tasks))
            except BrokenPipeError:
                pass  # the copy is gone: its answer says so
            meanwhile()
            return self._answer.result()  # type: ignore[no-any-return]
        except Vanished:
            return None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the copy unless it answered (it may still be loading what it would have read with)."""
        if self._tasks >= 0:
            os.close(self._tasks)
            self._tasks = -1
        self._answer.stop()
        self._signed.wait()  # its pipe closed by the copy's end


def _copy(tasks: int, answers: int, signed: int, shared: Shared, volumes: list[VolumeSources]) -> None:
    """The copy: take the signatures, load the read's modules, wait for the tasks, answer; never returns (a
    copy going back into the build's stack would run its error handling)."""
    code = 0
    try:
        answer(signed, lambda: [source_signatures(v.folder, v.sources) for v in volumes])
        load(text for v in volumes for text in v.sources)
        with os.fdopen(tasks, "rb") as pipe:
            given = pipe.read()
        answer(answers, read_batch, pickle.loads(given), shared)
    except BaseException:  # noqa: BLE001 (stopped, or its caller gone: the copy ends, the caller is told)
        code = 1
    finally:
        os._exit(code)
