"""Work set aside to a forked copy of the build: its answer or its error comes back; an edit equals a full build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from robust import tree_digest

from despatch.site.aside import Aside, aside, aside_all

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402

forking = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                             reason="set aside only on Linux with two cores or more")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fail(message: str) -> None:
    raise ValueError(message)


def _fail_at(path: str) -> None:
    from despatch.ebook.source import EbookError

    raise EbookError.at(path, 3, 7, "a chapter holds a character XML does not allow", found="U+0001")


def _die() -> None:
    os._exit(3)


def _alone() -> bool:
    return threading.active_count() == 1


def _started(fn: Callable[..., object], *args: object) -> Aside:
    """``fn(*args)`` set aside (the test is skipped when another test left a thread running: nothing forks)."""
    if not _alone():
        pytest.skip("another test left a thread running")
    running = aside(fn, *args)
    assert running is not None
    return running


@forking
def test_answer_comes_back_from_another_process() -> None:
    running = _started(_pid_and, 21)
    pid, value = running.result()
    assert value == 42 and pid != os.getpid()
    assert running.result() == (pid, 42)  # asked again: the same answer, the process reaped once


@forking
def test_error_is_raised_in_the_caller() -> None:
    running = _started(_fail, "no ebook")
    with pytest.raises(ValueError, match="no ebook"):
        running.result()
    running.wait()  # waiting after the error is harmless


@forking
def test_a_positioned_error_keeps_its_position() -> None:
    running = _started(_fail_at, "content/v1/d3.txt")
    with pytest.raises(Exception) as caught:
        running.result()
    assert [str(d).splitlines()[0] for d in caught.value.diagnostics] == [
        "content/v1/d3.txt:3:7: error: a chapter holds a character XML does not allow"]


@forking
def test_a_process_that_dies_is_an_error_not_a_hang() -> None:
    running = _started(_die)
    with pytest.raises(RuntimeError, match="without its result"):
        running.result()


@forking
def test_calls_set_aside_together_each_answer_from_a_process_of_its_own() -> None:
    if not _alone():
        pytest.skip("another test left a thread running")
    started = aside_all([(_pid_and, (1,), {}), (_fail, ("second",), {}), (_pid_and, (3,), {}), (_die, (), {})])
    assert started is not None and started[0].pid is not None and started[1].pid is None
    first, third = started[0].result(), started[2].result()
    assert first[1] == 2 and third[1] == 6 and len({first[0], third[0], os.getpid()}) == 3
    with pytest.raises(ValueError, match="second"):
        started[1].result()
    with pytest.raises(RuntimeError, match="without its result"):
        started[3].result()


def test_not_set_aside_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert aside(_pid_and, 1) is None  # a fork would copy the other thread's locks, perhaps held
        assert aside_all([(_pid_and, (1,), {})]) is None
    finally:
        stop.set()
        thread.join()


SPY = """
import json, sys
from despatch.config import load_config
from despatch.site import build as stage
calls = []
real = stage.aside_all
def spy(started):
    running = real(started)
    calls.extend([running is not None] * len(started))
    return running
stage.aside_all = spy
stage.build(load_config(sys.argv[1], workers=int(sys.argv[2]), search=sys.argv[3] == "search"))
print(json.dumps(calls))
"""


@forking
def test_a_title_edit_made_beside_the_index_pages_equals_a_full_build(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 40, seed=5, per_volume=20)
    root = tmp_path / "gen" / "despatch"
    run = lambda: _spied(root, 2, search=False)
    assert run() == []  # a full build: its ebooks are made by its pool
    doc = root / "content" / "frus1958-60v1" / "d3.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace(" the ", " the renamed ", 1), encoding="utf-8")
    assert run() == [True]  # the edit's ebook and references were made by the forked copy
    full = tmp_path / "full"
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("build"))
    subprocess.run([sys.executable, "-m", "despatch", "build", "--no-search", "--workers", "1", "-f",
                    str(full / "mkdocs.yml")], check=True, capture_output=True, cwd=full)
    for part in ("site", "tei"):
        assert tree_digest(root / "build" / part) == tree_digest(full / "build" / part), part


def _spied(root: Path, workers: int, search: bool) -> list[bool]:
    """Build in a process of its own (no thread other tests left), saying which calls were set aside."""
    args = [sys.executable, "-c", SPY, str(root / "mkdocs.yml"), str(workers), "search" if search else "none"]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True, cwd=root).stdout)


@forking
def test_an_edit_with_search_set_aside_equals_one_made_in_order(tmp_path: Path) -> None:
    generate(tmp_path / "gen", 40, seed=7, per_volume=20)
    roots = [shutil.copytree(tmp_path / "gen" / "despatch", tmp_path / name) for name in ("aside", "in-order")]
    for root in roots:
        assert _spied(root, 1, search=True) == []
        doc = root / "content" / "frus1958-60v1" / "d4.txt"
        doc.write_text(doc.read_text(encoding="utf-8").replace(" the ", " the renamed ", 1), encoding="utf-8")
    assert _spied(roots[0], 2, search=True) == [True, True]  # the ebooks and the search changes
    assert _spied(roots[1], 1, search=True) == []
    site = [tree_digest(root / "build" / "site") for root in roots]
    assert any("pagefind-changes/" in k for k in site[0]), "the edit went to the changes bundle"
    assert site[0] == site[1]
