"""Document pages whose meta tags and citations are filled in are the pages rendered in full."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from despatch.cli import main
from despatch.render import piece

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.generate import generate  # noqa: E402


def _pages(project: Path) -> dict[str, bytes]:
    site = project / "build" / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def _build(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    monkeypatch.chdir(project)
    assert main(["build", "--no-search", "--workers", "1"]) == 0
    return _pages(project)


def test_filled_partials_equal_full_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(tmp_path / "g", 60, seed=5, per_volume=30)
    project = tmp_path / "g" / "despatch"
    shutil.copytree(project, tmp_path / "full")
    used: list[bool] = []
    call = piece.Piece.__call__

    def counted(self: piece.Piece, *args: object, **kwargs: object) -> object:
        made = call(self, *args, **kwargs)  # type: ignore[arg-type]
        used.append(made is not None)
        return made

    monkeypatch.setattr(piece.Piece, "__call__", counted)
    filled = _build(project, monkeypatch)
    assert any(used), "no page took a filled partial"
    monkeypatch.setattr(piece.Piece, "__call__", lambda self, *a, **k: None)
    full = _build(tmp_path / "full", monkeypatch)
    assert sorted(filled) == sorted(full)
    differing = [name for name in filled if filled[name] != full[name]]
    assert not differing, differing[:5]
    assert sum(1 for name in filled if name.count("/") == 2 and "/d" in name) >= 60
