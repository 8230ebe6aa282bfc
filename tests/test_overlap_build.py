"""A full build's index pages, rendered by a copy of the build while its documents render: the same site,
and a failure on either side still leaves the previous site as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import types
from pathlib import Path
from typing import Any

import pytest
from robust import tree_digest

import despatch.site.build as stage
from despatch.site import indexpages
from despatch.site import aside as asides
from despatch.config import load_config
from despatch.site.build import build
from despatch.site.manifest import Manifest
from despatch.site.aside import aside

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402

forking = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                             reason="set aside only on Linux with two cores or more")


class Boom(Exception):
    """A planted failure."""


def _edition(tmp_path: Path, name: str = "gen", seed: int = 3) -> Path:
    """A generated edition of 40 documents in two volumes (a worker pool's worth), not built yet."""
    generate(tmp_path / name, 40, seed=seed, per_volume=20)
    return tmp_path / name / "despatch"


@pytest.fixture(autouse=True)
def _alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads that other tests left running (a served site, the browser's event loop) wait idle: a copy is
    set aside as in a program of its own, counting only the threads started since this test began (the
    search's among them)."""
    before = threading.active_count()
    seen = types.SimpleNamespace(active_count=lambda: threading.active_count() - before + 1)
    monkeypatch.setattr(asides, "threading", seen)


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The calls the build sets aside, by function name, each with whether a copy was started."""
    calls: list[tuple[str, bool]] = []
    real = stage.aside

    def spy(fn: Any, *args: Any, **kwargs: Any) -> Any:
        running = real(fn, *args, **kwargs)
        calls.append((fn.__name__, running is not None))
        return running
    monkeypatch.setattr(stage, "aside", spy)
    return calls


def _state(root: Path) -> dict[str, dict[str, str]]:
    return {part: tree_digest(root / "build" / part) for part in ("site", "tei")}


def _leftovers(root: Path) -> list[str]:
    """Staging folders (or anything else hidden) left in build/, apart from the build cache."""
    return sorted(p.name for p in (root / "build").iterdir() if p.name.startswith(".") and p.name != ".cache")


@forking
def test_index_pages_made_beside_the_documents_equal_those_made_after(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = _edition(tmp_path)
    calls = _spy(monkeypatch)
    built = []
    for workers in (2, 1):  # the same folder: page keys hash the project's paths
        result = build(load_config(root / "mkdocs.yml", workers=workers, search=False), incremental=False)
        assert result.pages > 40 and not result.report.errors
        built.append((_state(root), Manifest(root / "build" / ".cache" / "manifest.json").data))
    # One worker: the index pages are made in order, by this process.
    assert calls == [("write_pages", True)]
    assert built[0][0] == built[1][0]
    for part in ("pages", "outputs", "docs"):
        assert built[0][1][part] == built[1][1][part], part


@forking
def test_an_incremental_build_makes_its_index_pages_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _edition(tmp_path)
    build(load_config(root / "mkdocs.yml", workers=2, search=False))
    doc = root / "content" / "frus1958-60v1" / "d3.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace(" the ", " the renamed ", 1), encoding="utf-8")
    calls = _spy(monkeypatch)
    assert build(load_config(root / "mkdocs.yml", workers=2, search=False)).incremental
    assert "write_pages" not in [name for name, _ in calls]


SPY = """
import json, sys
from despatch.config import load_config
from despatch.site import build as stage
calls = []
real = stage.aside
def spy(fn, *args, **kwargs):
    running = real(fn, *args, **kwargs)
    calls.append([fn.__name__, running is not None])
    return running
stage.aside = spy
stage.build(load_config(sys.argv[1], workers=int(sys.argv[2]), search=True), incremental=False)
print(json.dumps(calls))
"""


@forking
def test_with_search_the_index_pages_made_beside_equal_those_made_after(tmp_path: Path) -> None:
    """In a process of its own: the search thread and the clean workers' server start in the build."""
    roots = [_edition(tmp_path, "beside", seed=9), _edition(tmp_path, "after", seed=9)]
    runs = [json.loads(subprocess.run([sys.executable, "-c", SPY, str(root / "mkdocs.yml"), str(workers)],
                                      check=True, capture_output=True, text=True, cwd=root).stdout)
            for root, workers in zip(roots, (2, 1))]
    assert runs == [[["write_pages", True]], []]
    states = [_state(root) for root in roots]
    assert any(k.endswith("pagefind-entry.json") for k in states[0]["site"])
    assert states[0] == states[1]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A generated edition built twice (the second build recorded the URL ledger): the previous site."""
    root = _edition(tmp_path)
    for _ in range(2):
        build(load_config(root / "mkdocs.yml", workers=1, search=False))
    return root


def _full(root: Path) -> None:
    build(load_config(root / "mkdocs.yml", workers=2, search=False), incremental=False)


@forking
def test_a_failure_in_the_copy_is_raised_and_leaves_the_site(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(built)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise Boom("an index page could not be rendered")
    monkeypatch.setattr(indexpages, "write_pages", fail)
    calls = _spy(monkeypatch)
    with pytest.raises(Boom, match="could not be rendered"):
        _full(built)
    assert calls == [("fail", True)]
    assert _state(built) == before and _leftovers(built) == []


@forking
def test_a_copy_that_dies_is_an_error_not_a_hang(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(built)
    monkeypatch.setattr(indexpages, "write_pages", lambda *args, **kwargs: os._exit(3))
    with pytest.raises(RuntimeError, match="without its result"):
        _full(built)
    assert _state(built) == before and _leftovers(built) == []


@forking
def test_a_failure_while_the_copy_runs_ends_the_copy_first(built: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(built)
    marker = tmp_path / "copy-went-on"
    real = indexpages.write_pages

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(2)  # still running when the documents fail
        marker.write_text("the copy was not ended", encoding="utf-8")
        return real(*args, **kwargs)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise Boom("a document could not be rendered")
    monkeypatch.setattr(indexpages, "write_pages", slow)
    monkeypatch.setattr(stage, "render_stage", fail)
    calls = _spy(monkeypatch)
    with pytest.raises(Boom):
        _full(built)
    assert calls == [("slow", True)]
    # Ended and reaped before the build returned: the marker can never be written now.
    assert not marker.exists()
    assert _state(built) == before and _leftovers(built) == []


def _sleep() -> None:
    time.sleep(30)


@forking
def test_a_stopped_copy_is_killed_and_reaped() -> None:
    running = aside(_sleep)
    assert running is not None and running.pid is not None
    running.stop()
    # Killed (SIGKILL), not ended by the end of its sleep.
    with pytest.raises(RuntimeError, match=r"without its result \(exit status 9\)"):
        running.result()
    with pytest.raises(ChildProcessError):
        os.waitpid(running.pid, os.WNOHANG)


class Interrupted(Exception):
    """Raised by a timer's signal, as Ctrl-C raises KeyboardInterrupt."""


def _interrupt(signum: int, frame: Any) -> None:
    raise Interrupted


@forking
def test_a_wait_interrupted_then_stopped_ends_the_copy() -> None:
    """A Ctrl-C while the build waits for the copy: the failed build still ends the copy and reaps it."""
    running = aside(_sleep)
    assert running is not None and running.pid is not None
    previous = signal.signal(signal.SIGALRM, _interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        with pytest.raises(Interrupted):
            running.wait()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    running.stop()
    with pytest.raises(RuntimeError, match=r"exit status 9\)"):
        running.result()
    with pytest.raises(ChildProcessError):
        os.waitpid(running.pid, os.WNOHANG)
