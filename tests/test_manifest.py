"""The build manifest: its large parts are written only when they change, and read back whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.site.manifest import Manifest


def _save(m: Manifest, docs: dict[str, str], outputs: list[str], pages: dict[str, str]) -> None:
    m.save("base", docs, outputs, pages, ledger="l", urls="u", nav=[{"a": "b"}], pending={"v": {"d1": None}})


def _files(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def test_a_manifest_reads_back_what_was_saved(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    _save(Manifest(path), {"v/d1": "k"}, ["a/index.html"], {"a/index.html": "g k"})
    data = Manifest(path).data
    assert data["docs"] == {"v/d1": "k"} and data["outputs"] == ["a/index.html"]
    assert data["pages"] == {"a/index.html": "g k"} and data["search"] == {"pending": {"v": {"d1": None}}}
    assert "outputs@" not in data and data["nav"] == [{"a": "b"}]


def test_unchanged_parts_are_not_written_again_and_changed_ones_are(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    _save(Manifest(path), {"v/d1": "k"}, ["a/index.html"], {"a/index.html": "g k"})
    before = _files(tmp_path)
    m = Manifest(path)
    _save(m, {"v/d1": "k2"}, ["a/index.html"], {"a/index.html": "g k"})
    after = _files(tmp_path)
    parts = [n for n in before if n != "manifest.json" and not n.startswith("manifest-docs-")]
    assert len(parts) == 2 and all(after.get(n) == before[n] for n in parts)
    assert len([n for n in after if n.startswith("manifest-docs-")]) == 1  # written anew, the old one gone
    assert Manifest(path).data["docs"] == {"v/d1": "k2"}
    # A part changed in place, then saved: it is written, whatever object it is.
    m.data["pages"]["b/index.html"] = "g k3"
    _save(m, {"v/d1": "k2"}, m.data["outputs"], m.data["pages"])
    assert Manifest(path).data["pages"] == {"a/index.html": "g k", "b/index.html": "g k3"}
    assert len([n for n in _files(tmp_path) if n.startswith("manifest-pages-")]) == 1  # the old one went


def test_a_damaged_or_missing_part_is_no_manifest(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    _save(Manifest(path), {"v/d1": "k"}, ["a/index.html"], {"a/index.html": "g k"})
    next(tmp_path.glob("manifest-pages-*")).unlink()
    assert Manifest(path).data["docs"] == {}
    _save(Manifest(path), {"v/d1": "k"}, ["a/index.html"], {"a/index.html": "g k"})
    next(tmp_path.glob("manifest-outputs-*")).write_bytes(b"[")
    assert Manifest(path).data.get("base", "") == ""


def test_a_part_of_other_values_is_written_every_time(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    m = Manifest(path)
    pages = {"a/index.html": ["g", "k"]}
    m.save("base", {}, ["a/index.html"], pages)  # type: ignore[arg-type]
    pages["a/index.html"].append("k2")  # reachable from any shallow copy: not to be trusted
    m.save("base", {}, ["a/index.html"], pages)  # type: ignore[arg-type]
    assert Manifest(path).data["pages"] == {"a/index.html": ["g", "k", "k2"]}


def test_parts_prepared_before_the_save_are_not_written_twice_and_name_nothing_until_then(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    _save(Manifest(path), {"v/d1": "k"}, ["a/index.html"], {"a/index.html": "g k"})
    m = Manifest(path)
    m.prepare(docs={"v/d1": "k2"}, pages={"a/index.html": "g k"})
    # A build that fails now leaves the last manifest as it was.
    assert Manifest(path).data["docs"] == {"v/d1": "k"}
    prepared = _files(tmp_path)
    assert len([n for n in prepared if n.startswith("manifest-docs-")]) == 2
    _save(m, {"v/d1": "k2"}, ["a/index.html"], {"a/index.html": "g k"})
    after = _files(tmp_path)
    assert all(after[n] == prepared[n] for n in after if n != "manifest.json")  # none written again
    assert len([n for n in after if n.startswith("manifest-docs-")]) == 1  # the old one gone
    assert Manifest(path).data["docs"] == {"v/d1": "k2"}
    # Changed after it was prepared: the save writes what it is given.
    m.prepare(docs={"v/d1": "k3"})
    _save(m, {"v/d1": "k4"}, ["a/index.html"], {"a/index.html": "g k"})
    assert Manifest(path).data["docs"] == {"v/d1": "k4"}


def test_a_manifest_read_without_its_parts_reads_them_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    _save(Manifest(path), {"v/d1": "k"}, ["a/index.html"], {"a/index.html": "g k"})
    top = Manifest(path, parts=False)
    assert top.data["base"] == "base" and "docs" not in top.data and "docs@" not in top.data
    top.read_parts()
    assert top.data == Manifest(path).data
    next(tmp_path.glob("manifest-outputs-*")).write_bytes(b"[")
    damaged = Manifest(path, parts=False)
    assert damaged.data["base"] == "base"       # the top level alone does not tell
    with pytest.raises(ValueError):
        damaged.read_parts()


def test_a_kept_manifest_reads_its_parts_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    _save(Manifest(path), {"v/d1": "k"}, ["a/index.html"], {"a/index.html": "g k"})
    top = Manifest(path, parts=False)
    top.keep()
    kept = Manifest.kept(path)
    kept.read_parts()
    assert kept.data["docs"] == {"v/d1": "k"} and kept.data["pages"] == {"a/index.html": "g k"}
