"""A full build's worker pool kept from the render to the ebooks: the ebooks are made by the processes that
rendered the pages, the site is the one a single process makes, and a failed ebook fails the build cleanly."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from robust import tree_digest

import despatch.site.build as stage
from despatch.config import load_config
from despatch.site import pool, volumeextras
from despatch.site.build import build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402


class Boom(Exception):
    """A planted failure."""


def _edition(tmp_path: Path, name: str) -> Path:
    generate(tmp_path / name, 40, seed=5, per_volume=20)
    return tmp_path / name / "despatch"


def _state(root: Path) -> dict[str, dict[str, str]]:
    return {part: tree_digest(root / "build" / part) for part in ("site", "tei")}


def _spy_pools(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pools the build starts: 'kept' for one kept across stages, else the mapped function's name."""
    started: list[str] = []
    real_workers, real_pmap = pool.Workers, pool.pmap

    class Spied(real_workers):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            started.append("kept")
            super().__init__(*args, **kwargs)

    def pmap(fn: Any, items: list[Any], *args: Any, **kwargs: Any) -> Any:
        started.append(fn.__name__)
        return real_pmap(fn, items, *args, **kwargs)
    monkeypatch.setattr(stage, "Workers", Spied)
    monkeypatch.setattr(pool, "pmap", pmap)
    return started


def test_the_ebooks_are_made_by_the_workers_that_rendered_the_pages(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    roots = [_edition(tmp_path, "two"), _edition(tmp_path, "one")]
    started = _spy_pools(monkeypatch)
    pools = []
    for root, workers in zip(roots, (2, 1)):
        result = build(load_config(root / "mkdocs.yml", workers=workers, search=False), incremental=False)
        assert result.documents == 40 and not result.report.errors
        pools.append(started[:])
        started.clear()
    # Two workers: one pool for the render and the ebooks, none started for the ebooks after the render.
    # One worker: no pool kept, the ebooks made in order by this process.
    assert pools == [["kept"], ["write_volume_epub"]]
    volumes = sorted(p.name for p in (roots[0] / "content").iterdir() if p.is_dir())
    assert len(volumes) == 2
    for vol in volumes:
        with zipfile.ZipFile(roots[0] / "build" / "site" / vol / f"{vol}.epub") as book:
            assert book.testzip() is None and len([n for n in book.namelist() if n.endswith(".xhtml")]) > 20
    assert _state(roots[0]) == _state(roots[1])


def explode(task: Any) -> str:
    """An ebook that cannot be made (run in a worker: a module-level function, pickled by name)."""
    raise Boom(f"the ebook of {task.volume} could not be made")


def test_a_failed_ebook_fails_the_build_and_leaves_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _edition(tmp_path, "gen")
    config = lambda: load_config(root / "mkdocs.yml", workers=2, search=False)  # noqa: E731
    build(config())
    before, children = _state(root), _children()
    monkeypatch.setattr(volumeextras, "write_volume_epub", explode)
    with pytest.raises(Boom, match="could not be made"):
        build(config(), incremental=False)
    assert _state(root) == before
    assert sorted(p.name for p in (root / "build").iterdir() if p.name.startswith(".")) == [".cache"]
    # No worker is left behind: the pool was shut down before the build returned.
    assert _children() <= children


def _children() -> set[str]:
    """This process's children (other tests may have left some: a pool's server)."""
    found = set()
    for pid in (p for p in os.listdir("/proc") if p.isdigit()):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == os.getpid():
                    found.add(pid)
        except (OSError, ValueError, IndexError):
            continue
    return found
