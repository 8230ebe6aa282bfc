"""The same sources give byte-identical output: any number of workers, any folder, full or incremental."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from despatch.config import load_config
from despatch.site.build import build
from robust import CORPUS, corpus_project, tree_digest

Outputs = dict[str, dict[str, str]]


def _outputs(root: Path) -> Outputs:
    """Hashes of everything a build publishes, and the URL ledger it keeps beside the sources."""
    out = {name: tree_digest(root / "build" / name) for name in ("site", "tei")}
    out["ledger"] = {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "content").glob("*.lock"))}
    return out


def _diff(a: Outputs, b: Outputs, keep=lambda path: True) -> list[str]:
    """The files that differ between two builds (a readable failure rather than two big dicts)."""
    out = []
    for part in sorted(set(a) | set(b)):
        x, y = a.get(part, {}), b.get(part, {})
        out += [f"{part}/{k}" for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k) and keep(f"{part}/{k}")]
    return out


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test corpus as an edition: 82 documents (text and TEI) in four volumes, search and ebooks on."""
    return corpus_project(tmp_path_factory.mktemp("corpus") / "sources", search=True, ebooks=True)


@pytest.fixture(scope="module")
def builds(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The edition built in two different folders, with one worker and with two."""
    one = shutil.copytree(sources, tmp_path_factory.mktemp("one") / "edition")
    two = shutil.copytree(sources, tmp_path_factory.mktemp("two") / "elsewhere" / "edition")
    assert build(load_config(one / "mkdocs.yml", workers=1)).documents == 82
    assert build(load_config(two / "mkdocs.yml", workers=2)).documents == 82
    return one, two


def test_two_workers_give_the_same_bytes_as_one(builds: tuple[Path, Path]) -> None:
    """Search bundles included: Pagefind's filters and metadata are rewritten in one order (search/canon.py)."""
    one, two = builds
    assert _diff(_outputs(one), _outputs(two)) == []


def test_the_comparison_covers_the_whole_site(builds: tuple[Path, Path]) -> None:
    site = tree_digest(builds[0] / "build" / "site")
    assert sum(1 for k in site if re.fullmatch(r"[^/]+/d\d+/index\.html", k)) == 82
    assert sum(1 for k in site if k.endswith(".epub")) == 4, "ebooks are compared"
    assert sum(1 for k in site if "/pagefind/fragment/" in k) >= 82, "the search fragments are compared"
    assert len(tree_digest(builds[0] / "build" / "tei")) == 82


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Twelve text and twelve TEI documents, with ebooks, built once."""
    root = corpus_project(tmp_path / "edition", ebooks=True, limit=12)
    build(load_config(root / "mkdocs.yml", workers=1))
    return root


def test_a_rebuild_without_changes_succeeds_and_changes_nothing(small: Path) -> None:
    before = _outputs(small)
    build(load_config(small / "mkdocs.yml", workers=2))
    build(load_config(small / "mkdocs.yml", workers=1))
    assert _diff(before, _outputs(small)) == []


def _edit(root: Path) -> None:
    """Change one document and add another (removing one would need a redirect for its URL)."""
    vol = root / "content" / "frus1958-60v07p2"
    src = vol / "d40.txt"
    src.write_text(src.read_text(encoding="utf-8").replace("the", "THE", 3), encoding="utf-8")
    shutil.copy(CORPUS / "text" / "frus1958-60v07p2_d62.txt", vol / "d62.txt")


def test_an_incremental_build_equals_a_full_build(small: Path, tmp_path: Path) -> None:
    build(load_config(small / "mkdocs.yml", workers=1))  # the first build recorded the URL ledger
    full = shutil.copytree(small, tmp_path / "full" / "edition")
    _edit(small)
    assert build(load_config(small / "mkdocs.yml", workers=2)).incremental, "the incremental path is tested"
    _edit(full)
    shutil.rmtree(full / "build")
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    assert _diff(_outputs(full), _outputs(small)) == []
    assert (small / "build" / "site" / "frus1958-60v07p2" / "d62" / "index.html").exists()


def test_python_hash_seeds_do_not_matter(tmp_path: Path) -> None:
    """Sets and dicts of strings iterate in an order that changes with the hash seed of each process."""
    import os
    import subprocess
    import sys

    outputs = []
    for seed, workers in (("1", "2"), ("2", "1")):
        root = corpus_project(tmp_path / f"seed{seed}" / "edition", ebooks=True, limit=8)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "despatch.cli", "build", "-j", workers],
                              cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        outputs.append(_outputs(root))
    assert _diff(*outputs) == []
