"""The code's hash: every module's path and bytes, nothing else."""

from __future__ import annotations

from pathlib import Path

from despatch.site.cache import code_hash, tree_hash


def test_the_tree_hash_follows_the_modules_alone(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "pkg" / "sub" / "b.py").write_text("y = 2\n", encoding="utf-8")
    root = str(tmp_path / "pkg")
    first = tree_hash(root, ".py")
    assert tree_hash(root, ".py") == first
    (tmp_path / "pkg" / "notes.txt").write_text("not code", encoding="utf-8")
    (tmp_path / "pkg" / "dir.py").mkdir()
    assert tree_hash(root, ".py") == first
    (tmp_path / "pkg" / "sub" / "b.py").write_text("y = 3\n", encoding="utf-8")
    edited = tree_hash(root, ".py")
    assert edited != first
    (tmp_path / "pkg" / "sub" / "c.py").write_text("", encoding="utf-8")
    assert tree_hash(root, ".py") != edited
    (tmp_path / "pkg" / "sub" / "c.py").rename(tmp_path / "pkg" / "c.py")
    assert tree_hash(root, ".py") not in (first, edited)


def test_the_package_s_hash_is_its_tree_s() -> None:
    import despatch

    assert code_hash() == tree_hash(str(Path(despatch.__file__).resolve().parent), ".py")
