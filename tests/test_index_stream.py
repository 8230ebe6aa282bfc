"""Index pages made again a group at a time as they are written equal those a plan keeps whole."""

from __future__ import annotations

import gc
import re
import shutil
import sys
from pathlib import Path

import pytest
from gathered import gathered
from robust import tree_digest

from despatch.config import load_config
from despatch.site import indexpages, indexplan, pagekey
from despatch.site.build import build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Forty generated documents in two volumes: archive files, dates, printed pages."""
    generate(tmp_path / "gen", 40, seed=5, per_volume=20)
    return tmp_path / "gen" / "despatch"


def test_pages_made_again_are_the_pages_planned_with_the_same_keys(project: Path) -> None:
    edition = gathered(project)
    whole = indexpages.plan(edition)
    streamed = indexpages.plan(edition, retain=0)
    assert whole.retained is not None and streamed.retained is None
    assert streamed.files() == whole.files() and streamed.nav == whole.nav
    expected = [(page.path, page.template, chain, pagekey.page_key("b", page, whole.nav, {}))
                for page, chain in whole.pages()]
    del whole
    # One memo across pages whose contexts are let go as they go: an object made later may take the
    # id of one hashed before, and must not be taken for it.
    memo: pagekey.Memo = {}
    got = []
    for page, chain in streamed.pages():
        got.append((page.path, page.template, chain, pagekey.page_key("b", page, streamed.nav, memo)))
        del page
        gc.collect()
    assert got == expected
    assert len(got) > 60


def test_a_build_in_small_windows_writes_the_same_site(project: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    shutil.copytree(project, other)
    build(load_config(project / "mkdocs.yml", workers=1, search=False))
    monkeypatch.setattr(indexplan, "RETAIN", 0)
    monkeypatch.setattr(indexpages, "WINDOW", 7)
    build(load_config(other / "mkdocs.yml", workers=1, search=False))
    assert tree_digest(other / "build" / "site") == tree_digest(project / "build" / "site")


def test_an_incremental_build_made_again_equals_a_full_build(project: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexplan, "RETAIN", 0)
    monkeypatch.setattr(indexpages, "WINDOW", 5)
    build(load_config(project / "mkdocs.yml", workers=1, search=False))
    doc = project / "content" / "frus1958-60v1" / "d12.txt"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace(". ", ". Revised: ", 1), encoding="utf-8")
    assert build(load_config(project / "mkdocs.yml", workers=1, search=False)).incremental
    full = tmp_path / "full"
    shutil.copytree(project, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1, search=False), incremental=False)
    assert tree_digest(full / "build" / "site") == tree_digest(project / "build" / "site")


def _index_inodes(root: Path) -> dict[str, int]:
    site = root / "build" / "site"
    return {str(p.relative_to(site)): p.stat().st_ino for p in site.rglob("index.html")}


def test_a_retitled_document_writes_its_month_not_the_whole_chronology(project: Path) -> None:
    build(load_config(project / "mkdocs.yml", workers=1, search=False))
    before = _index_inodes(project)
    months = {k for k in before if k.startswith("chronology/") and k.count("/") == 3}
    assert len(months) > 3
    month = min(months)
    listed = re.search(r'href="[./]*(frus[^/"]+)/(d\d+)/"', (project / "build" / "site" / month).read_text(encoding="utf-8"))
    assert listed is not None
    doc = project / "content" / listed[1] / f"{listed[2]}.txt"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace(". ", ". Revised: ", 1), encoding="utf-8")
    assert build(load_config(project / "mkdocs.yml", workers=1, search=False)).incremental
    after = _index_inodes(project)
    written = {k for k in after if before.get(k) != after[k]}
    assert f"{listed[1]}/index.html" in written, "the contents page shows the title"
    assert month in written
    assert "chronology/index.html" not in written, "the chronology's index shows months and counts only"
    assert len(written & months) == 1, "only the month of the retitled document"
