"""Loaded first into the pool's fork server: a worker whose start the build cut short ends quietly.

A build stopped (Ctrl-C, SIGTERM) while its pool starts may close the pipe of a worker that the fork
server has just forked, before the worker has read what it is to run, or remove a semaphore the
worker was about to open. The worker then fails to unpickle what it was sent, and the fork server
prints that error's traceback after the build's own "Interrupted." Nothing is lost and nothing is to
be reported: a cut pipe (EOFError, UnpicklingError) or a file gone (OSError) ends the worker without a
word. Any other error of a worker's start (an import that fails) is printed as before.
"""

from __future__ import annotations

import pickle
import sys
from types import TracebackType

_DEFAULT = sys.excepthook


def quiet(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """``sys.excepthook``, silent for a start cut short (the pipe from the build closed, a semaphore gone)."""
    if issubclass(kind, (EOFError, pickle.UnpicklingError, OSError)):
        return
    _DEFAULT(kind, value, tb)


sys.excepthook = quiet
