"""A full build's index pages made once as they are written: the same pages, files and navigation as a plan's."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from gathered import gathered

from despatch.site import indexpages, indexplan, pagekey
from despatch.site.pages import Edition

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Thirty generated documents in two volumes: archive files, dates, printed pages."""
    generate(tmp_path / "gen", 30, seed=7, per_volume=15)
    return tmp_path / "gen" / "despatch"


def _same(edition: Edition) -> list[dict[str, str]]:
    """The walked plan's pages, files and navigation are the full plan's; returns the navigation."""
    whole = indexpages.plan(edition, base="b")
    walked = indexpages.plan(edition, base="b", walked=True)
    assert walked.walked and not walked.made_files and walked.nav == whole.nav
    made = [(p.path, p.template, chain, pagekey.page_key("b", p, whole.nav, {})) for p, chain in walked.pages()]
    assert made == [(p.path, p.template, chain, pagekey.page_key("b", p, whole.nav, {})) for p, chain in whole.pages()]
    keys = {indexplan.file_of(path): "k" for path, *_ in made}
    walked.learn(keys)
    assert walked.files() == whole.files()
    return whole.nav


@pytest.mark.parametrize("search", [True, False])
def test_walked_plan_is_the_plan(project: Path, search: bool) -> None:
    nav = _same(gathered(project, search))
    assert [link["path"] for link in nav] == (["search/"] if search else []) + ["chronology/", "archives/"]


def test_no_archives_without_citations_unless_a_page_is_named_so(project: Path) -> None:
    edition = gathered(project, False)
    for vol, recs in edition.records.items():
        edition.records[vol] = [dataclasses.replace(r, citations=[]) for r in recs]
    edition._prints.clear()
    edition._keys.clear()
    edition.memo.pop("archives", None)
    assert [link["path"] for link in _same(edition)] == ["chronology/"]
    (edition.config.content_dir / "archives.md").write_text("# Archives\n\nHeld elsewhere.\n", encoding="utf-8")
    assert [link["path"] for link in _same(edition)] == ["chronology/", "archives/"]


def test_a_navigation_told_wrongly_is_found_out(project: Path) -> None:
    edition = gathered(project, False)
    wrong = [{"path": "chronology/", "title": "Chronology"}]
    walked = indexplan.plan(edition, list, lambda vol, links: indexplan.Page(f"{vol}/", "volume.html"),
                            list, "", None, None, wrong)
    with pytest.raises(RuntimeError, match="navigation"):
        list(walked.pages())
