"""Progress on long builds: a rich progress bar on a terminal, nothing in logs."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


# Work a stage has left before a bar is worth showing: an edit's build (a few documents) shows none,
# and starts no thread for it, so its ebooks can be made by a copy of the process (site/aside.py).
WORTH = 64


@contextmanager
def progress_bar(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """Yield a tick(stage, done, total) callback that drives one bar per stage, from the first stage
    with at least ``WORTH`` items left to do."""
    if not console.is_terminal:
        yield lambda stage, done, total: None
        return
    bars: dict[str, TaskID] = {}
    prog: Progress | None = None

    def tick(stage: str, done: int, total: int) -> None:
        nonlocal prog
        if prog is None:
            if total - done < WORTH:
                return
            prog = Progress(TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=console, transient=True)
            prog.start()
        if stage not in bars:
            bars[stage] = prog.add_task(stage, total=total)
        if done % 50 == 0 or done == total:
            prog.update(bars[stage], completed=done)

    try:
        yield tick
    finally:
        if prog is not None:
            prog.stop()
