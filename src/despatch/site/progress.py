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


@contextmanager
def progress_bar(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """Yield a tick(stage, done, total) callback that drives one bar per stage."""
    if not console.is_terminal:
        yield lambda stage, done, total: None
        return
    bars: dict[str, TaskID] = {}
    with Progress(TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as prog:
        def tick(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                bars[stage] = prog.add_task(stage, total=total)
            if done % 50 == 0 or done == total:
                prog.update(bars[stage], completed=done)
        yield tick
