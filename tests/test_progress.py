"""The progress bar: shown for stages with work left, not for an edit's build (which starts no thread for it)."""

from __future__ import annotations

import io
import threading

from rich.console import Console

from despatch.site.progress import WORTH, progress_bar


def _console() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, width=80)


def test_an_edit_shows_no_bar_and_starts_no_thread() -> None:
    console, before = _console(), threading.active_count()
    with progress_bar(console) as tick:
        tick("read", 5000, 5000)   # every source but the edited one came from the snapshot
        tick("render", 1, 1)
        assert threading.active_count() == before
    assert console.file.getvalue() == ""


def test_a_long_stage_shows_its_bar() -> None:
    console, before = _console(), threading.active_count()
    with progress_bar(console) as tick:
        tick("read", 1, WORTH + 1)
        assert threading.active_count() == before + 1  # the bar's refresh
        for done in range(2, WORTH + 2):
            tick("read", done, WORTH + 1)
        tick("render", 1, 1)  # once shown, later stages show too
    assert "read" in console.file.getvalue() and "render" in console.file.getvalue()
