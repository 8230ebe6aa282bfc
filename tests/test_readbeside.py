"""An edit's sources read by a copy of the build's process: the same records, the same site, no copy left behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from robust import corpus_project, tree_digest

from despatch.config import load_config
from despatch.errors import Report
from despatch.site import readbeside
from despatch.site.collect import collect
from despatch.site.prepare import bases, shared_for
from despatch.site.readbeside import ReadBeside
from despatch.site.readers import ReadTask, read_batch
from despatch.site.shared import Shared
from despatch.site.stages import read_all

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"
forking = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                             reason="read beside only on Linux with two cores or more")


def _tasks(root: Path, cache: Path) -> tuple[list[ReadTask], Shared, object]:
    config = load_config(root / "mkdocs.yml", workers=1)
    volumes = collect(config, Report(), None)
    cache.mkdir(parents=True, exist_ok=True)
    tasks = [ReadTask(v.volume.id, text, os.path.relpath(text, root), str(cache), bases(config)[0])
             for v in volumes for text in v.sources]
    return tasks, shared_for(config, volumes), config


def _started(shared: Shared, tasks: list[ReadTask]) -> ReadBeside:
    """A copy started as the build starts it: the scenarios run in a process of their own (``_fresh``), which
    has not rendered and runs no other thread."""
    beside = ReadBeside.start(shared, collect(shared.config, Report(), None))
    assert beside is not None
    return beside


def _fresh(scenario: str, tmp_path: Path) -> None:
    """Run ``scenario(tmp_path)`` of this module in a new interpreter: this one has rendered in other tests,
    and may run threads they left, where no copy is forked."""
    code = (f"import sys; sys.path[:0] = {[str(TESTS), str(SRC)]!r}; from pathlib import Path; "
            f"import test_readbeside as t; t.{scenario}(Path({str(tmp_path)!r}))")
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def copy_reads_what_this_process_would(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=4)
    volume = next(p for p in sorted((root / "content").iterdir()) if p.is_dir())
    (volume / "broken.txt").write_text("no title line here\n", encoding="utf-8")
    tasks, shared, _ = _tasks(root, tmp_path / "beside")
    beside = _started(shared, tasks)
    worked: list[int] = []
    read = beside.read(tasks, lambda: worked.append(os.getpid()))
    here, _, _ = _tasks(root, tmp_path / "here")
    expected = read_batch(here, shared)
    assert read is not None and worked == [os.getpid()]
    assert [r for r, _ in read] == [r for r, _ in expected] and sum(r is None for r, _ in read) == 1
    assert [[str(d) for d in diags] for _, diags in read] == [[str(d) for d in diags] for _, diags in expected]
    # The copy kept each conversion in the cache, where the render looks for it.
    assert sorted(os.listdir(tmp_path / "beside")) == sorted(os.listdir(tmp_path / "here"))
    assert _gone(beside._answer.pid)  # type: ignore[arg-type]


def answer_comes_from_another_process(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=2)
    tasks, shared, _ = _tasks(root, tmp_path / "cache")
    readbeside.read_batch = lambda given, _shared: [(os.getpid(), len(given))]  # type: ignore[assignment]
    beside = _started(shared, tasks)
    answer = beside.read(tasks, lambda: None)
    assert answer == [(beside._answer.pid, len(tasks))] and beside._answer.pid != os.getpid()


def copy_gone_before_its_tasks(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=2)
    tasks, shared, config = _tasks(root, tmp_path / "cache")
    beside = _started(shared, tasks)
    os.kill(beside._answer.pid, signal.SIGKILL)  # type: ignore[arg-type]
    assert beside.read(tasks, lambda: None) is None
    # read_all then reads them itself.
    beside = _started(shared, tasks)
    os.kill(beside._answer.pid, signal.SIGKILL)  # type: ignore[arg-type]
    records = [r for r, _ in read_all(tasks, shared, config, beside)]  # type: ignore[arg-type]
    assert [r.source for r in records if r is not None] == [t.display for t in tasks]


def error_here_stops_the_copy(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=2)
    tasks, shared, _ = _tasks(root, tmp_path / "cache")
    beside = _started(shared, tasks)

    def interrupted() -> None:
        raise KeyboardInterrupt

    try:
        beside.read(tasks, interrupted)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interruption was lost")
    assert _gone(beside._answer.pid)  # type: ignore[arg-type]


def many_sources_are_read_here(tmp_path: Path) -> None:
    from despatch.site.readbeside import FEW

    root = corpus_project(tmp_path / "edition", limit=2)
    tasks, shared, config = _tasks(root, tmp_path / "cache")
    many = (tasks * (FEW // len(tasks) + 1))[:FEW + 1]  # a read as long as every source changed
    asked: list[int] = []
    ReadBeside.read = lambda self, given, meanwhile: asked.append(len(given))  # type: ignore[assignment, method-assign]
    beside = _started(shared, many)
    records = [r for r, _ in read_all(many, shared, config, beside)]
    # Read here, where its progress is shown as it goes; the copy let go unasked.
    assert asked == [] and [r.source for r in records if r is not None] == [t.display for t in many]
    assert _gone(beside._answer.pid)  # type: ignore[arg-type]


def copy_takes_the_signatures(tmp_path: Path) -> None:
    from despatch.site.snapshot import source_signatures

    root = corpus_project(tmp_path / "edition", limit=3)
    config = load_config(root / "mkdocs.yml", workers=1)
    volumes = collect(config, Report(), None)
    shared = shared_for(config, volumes)
    every = lambda: [source_signatures(v.folder, v.sources) for v in volumes]
    beside = ReadBeside.start(shared, volumes)
    assert beside is not None
    assert beside.signatures() == every() and len(every()) == len(volumes) > 1
    beside.close()

    Path(volumes[0].sources[0]).unlink()  # a source gone since it was listed
    beside = ReadBeside.start(shared, volumes)
    assert beside is not None
    assert beside.signatures() is None  # the caller takes them itself, and meets the error as it would have
    beside.close()
    assert _gone(beside._answer.pid)  # type: ignore[arg-type]


def copy_not_needed_is_stopped(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=2)
    tasks, shared, _ = _tasks(root, tmp_path / "cache")
    beside = _started(shared, tasks)
    beside.close()
    beside.close()  # again: nothing more to do
    assert _gone(beside._answer.pid)  # type: ignore[arg-type]


@forking
@pytest.mark.parametrize("scenario", ["copy_reads_what_this_process_would", "answer_comes_from_another_process",
                                      "copy_gone_before_its_tasks", "error_here_stops_the_copy",
                                      "many_sources_are_read_here", "copy_takes_the_signatures",
                                      "copy_not_needed_is_stopped"])
def test_reading_beside(scenario: str, tmp_path: Path) -> None:
    _fresh(scenario, tmp_path)


def test_not_started_where_the_renderer_is_loaded(tmp_path: Path) -> None:
    import despatch.site.worker  # noqa: F401 (a serving process, which rendered before)

    root = corpus_project(tmp_path / "edition", limit=1)
    _, shared, config = _tasks(root, tmp_path / "cache")
    assert ReadBeside.start(shared, collect(config, Report(), None)) is None


SPY = """
import json, sys
if sys.argv[2] == "warm":
    import despatch.site.worker  # as in a process that rendered before: nothing is read beside
from despatch.config import load_config
from despatch.site import readbeside, stages
from despatch.site.build import build
used = []
real = readbeside.ReadBeside.read
def spy(self, tasks, meanwhile):
    read = real(self, tasks, meanwhile)
    used.append([read is not None, len(tasks)])
    return read
readbeside.ReadBeside.read = spy
build(load_config(sys.argv[1], workers=1))
print(json.dumps(used))
"""


def _built(root: Path, how: str) -> list[list[object]]:
    """Build in a process of its own; whether each read beside answered, and how many sources it read."""
    args = [sys.executable, "-c", SPY, str(root / "mkdocs.yml"), how]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True, cwd=root).stdout)


@forking
def test_an_edit_read_beside_builds_the_site_a_read_here_builds(tmp_path: Path) -> None:
    base = corpus_project(tmp_path / "edition", limit=6, ebooks=True)
    roots = [shutil.copytree(base, tmp_path / name) for name in ("beside", "here")]
    for root in roots:
        assert _built(root, "warm") == []  # a first build reads every source in this process
        doc = sorted((root / "content").rglob("*.txt"))[1]
        doc.write_text(doc.read_text(encoding="utf-8").replace(" the ", " the edited ", 1), encoding="utf-8")
    assert _built(roots[0], "cold") == [[True, 1]]  # the edited source alone, by the copy's signatures
    assert _built(roots[1], "warm") == []
    for part in ("site", "tei"):
        assert tree_digest(roots[0] / "build" / part) == tree_digest(roots[1] / "build" / part), part
