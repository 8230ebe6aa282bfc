"""The render stage: the TEI file and page of every changed document, its conversion made again if gone."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Report
from .pages import Edition
from .pool import Workers, pmap, worker_count
from .shared import Shared
from .stages import Progress

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from .worker import RenderTask


def render_stage(edition: Edition, shared: Shared, docs_cache: Path, staging: Path, tei_staging: Path,
                 changed: set[str], report: Report, tick: Progress,
                 on_volume: Callable[[str, list[str]], None] | None = None,
                 context: BaseContext | None = None, workers: Workers | None = None) -> None:
    """Write the TEI and page of every changed document (in parallel), streaming from the cache.

    ``on_volume`` is told of each volume whose pages are all written, as soon as they are, with the ids
    of its documents whose pages the search indexes (sorted). ``workers``: a pool the caller keeps open.
    """
    # Imported here: an unchanged edition renders nothing.
    from .worker import RenderTask, render_one

    tasks: list[RenderTask] = []
    for vol in sorted(edition.records):
        docs = edition.records[vol]
        for i, rec in enumerate(docs):
            if f"{vol}/{rec.id}" not in changed:
                continue
            tasks.append(RenderTask(rec, docs[i - 1] if i else None, docs[i + 1] if i + 1 < len(docs) else None,
                                    str(docs_cache), str(staging), str(tei_staging)))
    restore(edition, shared, docs_cache, tasks, report, context)
    left = Counter(task.record.volume for task in tasks)
    searched: dict[str, list[str]] = {}
    results = workers.map(render_one, tasks) if workers is not None else \
        pmap(render_one, tasks, shared, worker_count(edition.config, len(tasks)), context)
    for i, (task, (diags, searchable)) in enumerate(zip(tasks, results), 1):
        for d in diags:
            report.add(d)
        tick("write", i, len(tasks))
        vol = task.record.volume
        left[vol] -= 1
        if searchable:
            searched.setdefault(vol, []).append(task.record.id)
        if on_volume is not None and not left[vol] and not report.errors:
            on_volume(vol, sorted(searched.pop(vol, [])))


def restore(edition: Edition, shared: Shared, docs_cache: Path, tasks: list[RenderTask], report: Report,
            context: BaseContext | None = None) -> None:
    """Convert again the documents to render whose cached conversion is gone (deleted since the last
    read, which took their records from the snapshot without looking): same source, same digest."""
    base = edition.memo.get("read_base")
    if base is None or not tasks:
        return
    # Imported here: an unchanged edition reads no source again.
    from .worker import ReadTask, read_one

    # Listed once for many documents; a few (an edit's) are looked up one by one.
    names = set(os.listdir(docs_cache)) if len(tasks) > 64 and docs_cache.is_dir() else None
    there = (lambda name: name in names) if names is not None else \
        (lambda name: os.path.exists(os.path.join(docs_cache, name)))
    again = [ReadTask(r.volume, str(edition.config.project_dir / r.source), r.source, str(docs_cache), base)
             for r in (task.record for task in tasks) if not there(r.digest + ".doc")]
    for _, diags in pmap(read_one, again, shared, worker_count(edition.config, len(again)), context):
        for d in diags:
            report.add(d)
