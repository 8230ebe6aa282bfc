"""What a volume's folder holds besides files: a name of a source on something that is not one is an
error, and an error found in the folders fails a build whose sources are otherwise those built."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from robust import built_project, run


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return built_project(tmp_path / "edition")


def _volume(root: Path) -> Path:
    return next(p.parent for p in sorted((root / "content").glob("*/volume.yml")))


def _build(root: Path) -> tuple[int, str]:
    return run(["build", "-f", str(root / "mkdocs.yml")])


def test_a_link_to_nothing_named_as_a_source_is_an_error(edition: Path) -> None:
    """As a repository of links gives a file not fetched (git-annex): not a document left out in silence."""
    volume = _volume(edition)
    os.symlink("../../.git/annex/objects/Xk/d900.txt", volume / "d900.txt")
    code, err = _build(edition)
    assert code == 1 and "Traceback" not in err
    assert f"content/{volume.name}/d900.txt:1:1: error: d900.txt is not a file to read" in err, err
    assert "found: a link to ../../.git/annex/objects/Xk/d900.txt, where there is no file" in err
    (volume / "d900.txt").unlink()
    assert _build(edition)[0] == 0


def test_a_folder_named_as_a_source_is_an_error(edition: Path) -> None:
    volume = _volume(edition)
    (volume / "d901.xml").mkdir()
    past = volume.stat().st_mtime - 60  # a folder not changed just now, whose listing a build may keep
    os.utime(volume, (past, past))
    for _ in range(2):  # and again, the folder's listing as it was: an error is not kept as a listing
        code, err = _build(edition)
        assert code == 1 and f"content/{volume.name}/d901.xml:1:1: error: d901.xml is not a file to read" in err, err
        assert "found: a folder" in err
    code, err = run(["check", "-f", str(edition / "mkdocs.yml")])
    assert code == 1 and "d901.xml is not a file to read" in err, err


def test_a_link_to_a_source_is_read_as_the_source(edition: Path, tmp_path: Path) -> None:
    volume = _volume(edition)
    source = min(volume.glob("d*.txt"), key=lambda p: p.name)
    kept = tmp_path / "kept.txt"
    source.rename(kept)
    os.symlink(kept, source)
    code, err = _build(edition)
    assert code == 0, err


def test_an_error_in_the_folders_fails_a_build_of_sources_otherwise_as_built(edition: Path) -> None:
    """A folder of sources without volume.yml: the full build says so, and so must the build after it,
    which finds every source as the last build read it."""
    orphan = edition / "content" / "frus-unlisted"
    orphan.mkdir()
    (orphan / "d1.txt").write_bytes(next(_volume(edition).glob("d*.txt")).read_bytes())
    code, err = _build(edition)
    assert code == 1 and "the folder frus-unlisted/ holds document sources but no volume.yml" in err, err
    (orphan / "d1.txt").unlink()
    code, err = _build(edition)
    assert code == 0, err
