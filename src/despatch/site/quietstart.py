"""Loaded first into the pool's fork server: a worker whose start the build cut short ends quietly.

A build stopped (Ctrl-C, SIGTERM) while its pool starts may close the pipe of a worker that the fork
server has just forked, before the worker has read what it is to run. The worker then fails to
unpickle it, and the fork server prints that error's traceback after the build's own "Interrupted."
Nothing is lost and nothing is to be reported: those two errors end the worker without a word.
"""

from __future__ import annotations

import pickle
import sys
from types import TracebackType

_DEFAULT = sys.excepthook


def quiet(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook``, silent for a start cut short (the pipe from the build closed or cut)."""
    if issubclass(kind, (EOFError, pickle.UnpicklingError)):
        return
    _DEFAULT(kind, value, tb)


sys.excepthook = quiet
