"""The archives tree's key is worked out again only for the volumes edited since the last build."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from robust import tree_digest

from despatch.config import load_config
from despatch.indexes import archivecache
from despatch.site.build import build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate

VOLS = ("frus1958-60v1", "frus1961-63v1", "frus1964-68v1")


def _build(root: Path, incremental: bool = True) -> None:
    result = build(load_config(root / "mkdocs.yml", workers=1, search=False), incremental=incremental)
    assert result.incremental == incremental


def _retitle(root: Path, vol: str, word: str) -> None:
    path = root / "content" / vol / "d3.txt"
    text, count = re.subn(r"^(\d+)\. ", rf"\1. {word} ", path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    assert count == 1
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """Thirty generated documents in three volumes, built once."""
    generate(tmp_path / "gen", 30, seed=5, per_volume=10)
    root = tmp_path / "gen" / "despatch"
    assert sorted(p.name for p in (root / "content").iterdir() if p.is_dir()) == sorted(VOLS)
    _build(root, incremental=False)
    return root


def _read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The volumes whose citations the next builds read (a list, filled as they read)."""
    read: list[str] = []
    real = archivecache.volume_citations

    def counted(records: list) -> str:  # type: ignore[type-arg]
        read.append(records[0].volume)
        return real(records)

    monkeypatch.setattr(archivecache, "volume_citations", counted)
    return read


def test_each_edit_reads_the_citations_of_its_own_volume_only(edition: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    read = _read(monkeypatch)
    for n, vol in enumerate(VOLS):
        # A title is shown on the archives pages, but is no citation: the tree stands, and so must the
        # keys of the volumes edited before.
        _retitle(edition, vol, f"Revised{n}")
        read.clear()
        _build(edition)
        assert read == [vol]
    read.clear()
    _build(edition)  # nothing changed: the index pages are not planned
    assert read == []
    # A file number of the last volume edited: that volume's citations change, and the tree is made again.
    path = edition / "content" / VOLS[-1] / "d3.txt"
    text, count = re.subn(r"Central Files, \d{3}\.\d+", "Central Files, 611.9999", path.read_text(encoding="utf-8"),
                          count=1)
    assert count == 1
    path.write_text(text, encoding="utf-8")
    read.clear()
    _build(edition)
    assert read == [VOLS[-1]]
    assert "611.9999" in " ".join(p.name for p in (edition / "build" / "site" / "archives").rglob("611*"))
    full = tmp_path / "full" / "despatch"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    _build(full, incremental=False)
    for part in ("site", "tei"):
        assert tree_digest(full / "build" / part) == tree_digest(edition / "build" / part)


def test_keys_of_another_code_are_not_taken(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = edition / "build" / ".cache" / archivecache.KEYS
    _retitle(edition, VOLS[0], "Revised")
    _build(edition)
    assert keys.is_file()
    read = _read(monkeypatch)
    monkeypatch.setattr(archivecache, "code_hash", lambda: "another code")
    _retitle(edition, VOLS[1], "Revised")
    _build(edition)
    # The keys the tree kept when it was made are taken instead: the first volume's are old.
    assert sorted(read) == sorted(VOLS[:2])
