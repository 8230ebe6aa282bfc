"""A termination signal stops the program as Ctrl-C does: the build cleans up before it ends.

Python's default for SIGTERM and SIGHUP ends the process at once: a build stopped by a CI timeout, a
service manager or a closed terminal left its worker processes running and its staging folder
behind. Turned into an interruption, the signal lets the build stop its workers and drop its
staging folder; the program then ends with the signal's usual status (128 + its number).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType
from typing import Any


class Stopped(KeyboardInterrupt):
    """A termination signal, raised where the program was (every Ctrl-C handler stops it too)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def stop_on_signals() -> None:
    """Raise ``Stopped`` in this process at SIGTERM or SIGHUP (a signal the caller ignores stays ignored)."""
    owner = os.getpid()

    def stop(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:
            # A copy of this process forked by the build: it ends as the signal would have ended it.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Stopped(signum)

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, stop)


def keep_interrupts() -> None:
    """A Ctrl-C (or a termination signal) that lands in a finalizer, a weak reference's callback or a
    ``__del__``, is raised again where the program runs: Python would print it as "Exception ignored"
    with a traceback and go on, and the build would end as if no one had asked it to stop."""
    default = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            # Sent again from another thread a moment later: raised in this hook, it would be ignored again.
            signum = getattr(unraisable.exc_value, "signum", signal.SIGINT)
            threading.Timer(0.01, os.kill, (os.getpid(), signum)).start()
            return
        default(unraisable)

    sys.unraisablehook = hook
