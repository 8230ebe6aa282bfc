"""Shared fixtures: the project's paths, copies of the example edition, one built example site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CORPUS = TESTS / "corpus"
SEED = ROOT / "content" / "frus1961-63v13" / "d245.txt"


def copy_project(dest: Path, volumes: list[str] | None = None) -> Path:
    """Copy mkdocs.yml and content/ (optionally only some volumes) into ``dest``; return it."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    content = dest / "content"
    content.mkdir()
    for item in (ROOT / "content").iterdir():
        if item.is_dir():
            if volumes is None or item.name in volumes:
                shutil.copytree(item, content / item.name)
        elif volumes is None or item.name != "urls.lock":
            # A subset of the volumes publishes fewer URLs than the ledger records.
            shutil.copy(item, content / item.name)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the example edition with only the seed's volume, to change and build."""
    return copy_project(tmp_path / "project", ["frus1961-63v13"])


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's volume built once per test session (without search); returns the project folder."""
    from despatch.config import load_config
    from despatch.site.build import build

    root = copy_project(tmp_path_factory.mktemp("seed") / "project", ["frus1961-63v13"])
    build(load_config(root / "mkdocs.yml", search=False))
    return root
