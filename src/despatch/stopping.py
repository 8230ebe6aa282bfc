"""A termination signal stops the program as Ctrl-C does: the build cleans up before it ends.

Python's default for SIGTERM and SIGHUP ends the process at once: a build stopped by a CI timeout, a
service manager or a closed terminal left its worker processes running and its staging folder
behind. Turned into an interruption, the signal lets the build stop its workers and drop its
staging folder; the program then ends with the signal's usual status (128 + its number).
"""

from __future__ import annotations

import os
import signal
from types import FrameType


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
