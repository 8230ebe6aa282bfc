"""A batch of sources read stage by stage gives what reading them one by one gives, in order."""

from __future__ import annotations

import os
from pathlib import Path

from robust import corpus_project

from despatch.config import load_config
from despatch.errors import Report
from despatch.site import worker
from despatch.site.cacheentry import load_entry
from despatch.site.collect import collect
from despatch.site.prepare import bases, shared_for
from despatch.site.readers import ReadTask, read_batch
from despatch.site.stages import read_all


def _tasks(root: Path, cache: Path) -> tuple[list[ReadTask], worker.Shared, object]:
    config = load_config(root / "mkdocs.yml", workers=1)
    volumes = collect(config, Report(), None)
    shared = shared_for(config, volumes)
    base = bases(config)[0]
    cache.mkdir(parents=True, exist_ok=True)
    tasks = [ReadTask(v.volume.id, text, os.path.relpath(text, root), str(cache), base)
             for v in volumes for text in v.sources]
    return tasks, shared, config


def test_a_batch_reads_as_one_by_one_errors_included(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=5)
    volume = next(p for p in sorted((root / "content").iterdir()) if p.is_dir())
    (volume / "broken.txt").write_text("no title line here\n", encoding="utf-8")
    (volume / "empty.txt").write_text("", encoding="utf-8")
    tasks, shared, _ = _tasks(root, tmp_path / "one")
    worker.init(shared)
    one = [worker.read_one(task) for task in tasks]
    batch_tasks, _, _ = _tasks(root, tmp_path / "batch")
    batch = read_batch(batch_tasks)
    assert len(batch) == len(one) == len(tasks) > 8
    assert [r for r, _ in batch] == [r for r, _ in one]
    assert [[str(d) for d in diags] for _, diags in batch] == [[str(d) for d in diags] for _, diags in one]
    assert sum(1 for r, _ in batch if r is None) == 2
    # Every record read is cached as it would be one by one, and a second batch takes them from there.
    assert sorted(os.listdir(tmp_path / "batch")) == sorted(os.listdir(tmp_path / "one"))
    for name in os.listdir(tmp_path / "batch"):
        assert (tmp_path / "batch" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    again = read_batch(batch_tasks)
    assert [r for r, _ in again] == [r for r, _ in batch]


def test_read_all_keeps_the_order_of_its_tasks(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=5)
    tasks, shared, config = _tasks(root, tmp_path / "cache")
    records = [r for r, _ in read_all(tasks, shared, config)]
    assert [r.source for r in records if r is not None] == [t.display for t in tasks]
    assert all(load_entry(tmp_path / "cache" / f"{r.digest}.doc") is not None for r in records if r is not None)
