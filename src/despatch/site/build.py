"""The build, as a list of stages: collect → read → gather → write documents → index pages → extras → swap."""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from ..config import Config
from ..errors import Diagnostic, Report
from ..model import DocRecord
from . import atomic, gather, indexpages
from .collect import VolumeSources, collect
from .pages import Edition
from .worker import ReadTask, RenderTask, Shared, init, read_one, render_one

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[str, int, int], None]

CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'")


class BuildFailed(Exception):
    """The build found errors; the previous site was left untouched."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"{len(report.errors)} error(s)")


@dataclass
class BuildResult:
    """What a build did, for the summary line."""

    documents: int = 0
    volumes: int = 0
    pages: int = 0
    seconds: float = 0.0
    report: Report = field(default_factory=Report)
    stats: dict[str, Any] = field(default_factory=dict)


def worker_count(config: Config, jobs: int) -> int:
    """Processes to use: the configured number, else the machine's cores (1 for tiny editions)."""
    if config.workers:
        return max(1, config.workers)
    # Starting processes costs more than converting a few dozen documents.
    return 1 if jobs < 64 else max(1, os.cpu_count() or 1)


def pmap(fn: Callable[[T], R], items: list[T], shared: Shared, workers: int) -> Iterator[R]:
    """Map in order over a process pool (or in-process), so output never depends on scheduling."""
    if workers <= 1:
        init(shared)
        yield from map(fn, items)
        return
    chunk = max(1, min(64, len(items) // (workers * 8) or 1))
    with ProcessPoolExecutor(max_workers=workers, initializer=init, initargs=(shared,)) as pool:
        yield from pool.map(fn, items, chunksize=chunk)


def build(config: Config, progress: Progress | None = None, *, into: Path | None = None,
          markdown_pages: bool = True) -> BuildResult:
    """Build the whole edition into a staging folder and swap it in only if nothing failed.

    ``into`` merges the result into an existing folder instead (MkDocs' site, which renders the
    Markdown pages itself when ``markdown_pages`` is False).
    """
    start = time.perf_counter()
    tick = progress or (lambda stage, done, total: None)
    result = BuildResult()
    report = result.report

    volumes = collect(config, report)
    staging = atomic.make_staging(config.build_dir / "site")
    tei_staging = atomic.make_staging(config.build_dir / "tei")
    stash = staging / ".stash"
    try:
        shared = Shared(config=config, volumes={v.volume.id: v.volume for v in volumes},
                        persons={v.volume.id: v.persons for v in volumes},
                        terms={v.volume.id: v.terms for v in volumes}, csp=CSP)
        records = read_stage(config, volumes, shared, stash, report, tick)
        edition = gather.gather(config, volumes, records, report)
        if report.errors:
            raise BuildFailed(report)
        shared.docs = frozenset((r.volume, r.id) for r in edition.all_records())
        render_stage(edition, shared, stash, staging, tei_staging, report, tick)
        result.pages = indexpages.write_all(edition, staging, shared.csp, report, result.stats,
                                            markdown_pages=markdown_pages)
        if report.errors:
            raise BuildFailed(report)
        shutil.rmtree(stash, ignore_errors=True)
        if into is not None:
            shutil.copytree(staging, into, dirs_exist_ok=True)
            atomic.discard(staging)
        else:
            atomic.swap_in(staging, config.build_dir / "site")
        atomic.swap_in(tei_staging, config.build_dir / "tei")
    except BaseException:
        atomic.discard(staging)
        atomic.discard(tei_staging)
        raise
    result.documents = sum(len(v) for v in edition.records.values())
    result.volumes = len(edition.volumes)
    result.seconds = time.perf_counter() - start
    return result


def read_stage(config: Config, volumes: list[VolumeSources], shared: Shared, stash: Path,
               report: Report, tick: Progress) -> list[DocRecord]:
    """Convert every source (in parallel), keeping only small records in memory."""
    tasks = [ReadTask(v.volume.id, str(p), _display(config, p), str(stash))
             for v in volumes for p in v.sources]
    records: list[DocRecord] = []
    for i, (record, diags) in enumerate(pmap(read_one, tasks, shared, worker_count(config, len(tasks))), 1):
        for d in diags:
            report.add(d)
        if record is not None:
            records.append(record)
        tick("read", i, len(tasks))
    return records


def render_stage(edition: Edition, shared: Shared, stash: Path, staging: Path, tei_staging: Path,
                 report: Report, tick: Progress) -> None:
    """Write every document's TEI and page (in parallel), streaming from the stash."""
    tasks: list[RenderTask] = []
    for vol in sorted(edition.records):
        docs = edition.records[vol]
        for i, rec in enumerate(docs):
            tasks.append(RenderTask(rec, docs[i - 1] if i else None, docs[i + 1] if i + 1 < len(docs) else None,
                                    str(stash), str(staging), str(tei_staging)))
    for i, diags in enumerate(pmap(render_one, tasks, shared, worker_count(edition.config, len(tasks))), 1):
        for d in diags:
            report.add(d)
        tick("write", i, len(tasks))


def _display(config: Config, path: Path) -> str:
    """A source's path as users see it: relative to the project."""
    try:
        return str(path.relative_to(config.project_dir))
    except ValueError:
        return str(path)


def iter_diagnostics(result: BuildResult) -> Iterable[Diagnostic]:
    """Diagnostics in the order they were found."""
    return iter(result.report.items)
