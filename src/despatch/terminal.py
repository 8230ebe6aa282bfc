"""Where the commands print: rich's console on a terminal, plain lines for a log or a pipe."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from .errors import Diagnostic


class PlainConsole:
    """Messages for a log or a pipe: plain lines, unwrapped, without importing rich (whose import is a
    tenth of a one-document rebuild). The methods are those of rich's Console that the commands use."""

    is_terminal = False

    def print(self, *objects: object, style: str | None = None, markup: bool | None = None,
              soft_wrap: bool | None = None) -> None:
        sys.stderr.write(" ".join(str(o) for o in objects) + "\n")
        sys.stderr.flush()


def console() -> Any:
    """rich's Console on a terminal (colours, a progress bar), else plain lines."""
    if (sys.stderr is not None and sys.stderr.isatty()) or os.environ.get("FORCE_COLOR"):
        from rich.console import Console
        return Console(stderr=True, highlight=False)
    return PlainConsole()


err = console()


def print_diagnostics(items: Sequence[Diagnostic]) -> None:
    """Each diagnostic on a line of its own, errors in red and warnings in yellow."""
    for d in items:
        style = "red" if d.severity == "error" else "yellow"
        err.print(str(d), style=style, markup=False, soft_wrap=True)
