"""A batch is read with the cycle collector off, and the collector is left as the caller had it."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from robust import corpus_project

from despatch.apparatus import record as record_module
from despatch.config import load_config
from despatch.errors import Report
from despatch.site import worker
from despatch.site.collect import collect
from despatch.site.prepare import bases, shared_for
from despatch.site.readers import ReadTask, read_batch


def _tasks(root: Path, cache: Path) -> list[ReadTask]:
    config = load_config(root / "mkdocs.yml", workers=1)
    volumes = collect(config, Report(), None)
    worker.init(shared_for(config, volumes))
    cache.mkdir(parents=True, exist_ok=True)
    return [ReadTask(v.volume.id, text, os.path.relpath(text, root), str(cache), bases(config)[0])
            for v in volumes for text in v.sources]


@pytest.mark.parametrize("enabled", [True, False])
def test_a_batch_reads_without_collections_and_restores_the_collector(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    tasks = _tasks(corpus_project(tmp_path / "edition", limit=3), tmp_path / "cache")
    seen: list[bool] = []
    real = record_module.extract_record

    def watching(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(record_module, "extract_record", watching)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        done = read_batch(tasks)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert len(seen) == len(tasks) > 2 and not any(seen)
    assert all(r is not None for r, _ in done)


def test_a_batch_leaves_no_garbage_cycles(tmp_path: Path) -> None:
    tasks = _tasks(corpus_project(tmp_path / "edition", limit=3), tmp_path / "cache")
    read_batch(tasks[:1])  # first use: imports and compiled patterns made once
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        done = read_batch(tasks)
        # What the collector would have found had it run during the batch: nothing.
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
    assert len(done) == len(tasks)
