"""A volume's ebook as a task for the build's worker processes, made from the TEI files staged under the site."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import DocRecord
from . import worker


@dataclass
class EpubTask:
    """One volume's ebook, made from the TEI files already staged under ``root``."""

    root: str
    volume: str
    records: list[DocRecord]
    previous: str | None = None     # the live site of an incremental build


def write_volume_epub(task: EpubTask) -> str:
    """Write ``<volume>/<volume>.epub``; returns its path."""
    # Imported here: a process that makes no ebook (an edit's build sets them aside) need not load it.
    from ..ebook.epub import write_epub
    from ..ebook.site import release_time, reused, volume_docs

    shared = worker._shared  # set by the pool's initializer (worker.init)
    assert shared is not None
    cfg, root = shared.config, Path(task.root)
    out = root / task.volume / f"{task.volume}.epub"
    previous = Path(task.previous) if task.previous else None
    write_epub(shared.volumes[task.volume], volume_docs(root, task.volume, task.records, previous), out,
               modified=release_time(cfg), web_base=str(getattr(cfg, "canonical_base", "") or ""),
               chapters=reused(cfg, task.volume, previous), recorded=True)
    return str(out)
