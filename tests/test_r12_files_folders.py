"""The documents' folders made one system call each: the same folders, in the same order, as os.makedirs makes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from despatch.files import make_folders

_keys = st.lists(st.lists(st.sampled_from(["v1", "v2", "d1", "d2", "x"]), min_size=1, max_size=3).map("/".join),
                 max_size=10)


def _made(root: Path, keys: list[str], make: object, files: list[str]) -> tuple[list[str], str]:
    """The folders made (in the order made) and the error, if any, of making ``keys`` below ``root``."""
    for rel in files:  # a name already taken by a file
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    made: list[str] = []
    real = os.mkdir

    def mkdir(path: str | Path, *args: object, **kwargs: object) -> None:
        real(path, *args, **kwargs)  # type: ignore[arg-type]
        made.append(os.path.relpath(path, root))

    os.mkdir = mkdir  # type: ignore[assignment]
    try:
        make(root, keys)  # type: ignore[operator]
        error = ""
    except OSError as exc:
        error = type(exc).__name__
    finally:
        os.mkdir = real
    return made, error


def _makedirs(root: Path, keys: list[str]) -> None:
    for key in keys:  # the build's former way
        os.makedirs(root / key, exist_ok=True)


@profile()
@given(_keys, st.lists(st.sampled_from(["v1/x", "v2", "v1/d1/d2"]), max_size=2, unique=True))
def test_folders_made_as_makedirs_makes_them(keys: list[str], files: list[str]) -> None:
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        assert _made(Path(a), keys, make_folders, files) == _made(Path(b), keys, _makedirs, files)


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "d1").write_text("x")
    with pytest.raises(FileExistsError):
        make_folders(tmp_path, ["v1/d1"])
    make_folders(str(tmp_path), ["v1/d2", "v1/d2", "v3/d1"])
    assert (tmp_path / "v1" / "d2").is_dir() and (tmp_path / "v3" / "d1").is_dir()
