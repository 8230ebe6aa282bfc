"""Incremental reads: an unchanged source is not read at all, a changed one is, a damaged cache is a miss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from despatch.config import load_config
from despatch.site import stages as stages_module
from despatch.site import worker as worker_module
from despatch.site.build import build
from despatch.site.cacheentry import load_entry
from robust import corpus_project, tree_digest


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    root = corpus_project(tmp_path / "edition", limit=6)
    build(load_config(root / "mkdocs.yml", workers=1))
    return root


def _reads(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Build once more in-process and return the sources the read stage opened."""
    seen: list[str] = []
    real, real_one = stages_module.read_batch, worker_module.read_one

    def counting(tasks):  # noqa: ANN001, ANN202
        seen.extend(Path(task.path).name for task in tasks)
        return real(tasks)

    def counting_one(task):  # noqa: ANN001, ANN202
        seen.append(Path(task.path).name)
        return real_one(task)

    # The read stage reads in batches; the render converts again one by one what it finds gone.
    monkeypatch.setattr(stages_module, "read_batch", counting)
    monkeypatch.setattr(worker_module, "read_one", counting_one)
    build(load_config(root / "mkdocs.yml", workers=1))
    return seen


def test_an_unchanged_edition_reads_no_source(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _reads(edition, monkeypatch) == []


def test_an_edit_of_the_same_size_is_read_again(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = next(p for p in sorted((edition / "content").rglob("*.txt")) if " the " in p.read_text(encoding="utf-8"))
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace(" the ", " THE ", 1), encoding="utf-8")
    assert len(src.read_bytes()) == len(text.encode("utf-8"))
    assert _reads(edition, monkeypatch) == [src.name]
    page = edition / "build" / "site" / src.parent.name
    assert any("THE" in p.read_text(encoding="utf-8") for p in page.glob("*/index.html"))


def test_an_edit_leaves_one_conversion_a_source_in_the_cache(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = edition / "build" / ".cache" / "docs"
    before = {p.name for p in docs.glob("*.doc")}
    src = next(p for p in sorted((edition / "content").rglob("*.txt")) if " the " in p.read_text(encoding="utf-8"))
    src.write_text(src.read_text(encoding="utf-8").replace(" the ", " the new ", 1), encoding="utf-8")
    assert _reads(edition, monkeypatch) == [src.name]
    after = {p.name for p in docs.glob("*.doc")}
    # The edited source's old conversion went (without the whole cache being listed), its new one came.
    assert len(after) == len(before) and len(after - before) == 1 and len(before - after) == 1


def test_a_damaged_cache_entry_is_converted_again(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree_digest(edition / "build" / "site")
    cache = edition / "build" / ".cache"
    (cache / "sources.snapshot").unlink()
    victim = sorted((cache / "docs").glob("*.doc"))[0]
    victim.write_bytes(victim.read_bytes()[:100])  # as an interrupted build would leave it
    sources = [p for p in (edition / "content").rglob("*") if p.suffix in (".txt", ".xml")]
    # Without the snapshot every source is opened; all but the damaged one come from the cache.
    assert len(_reads(edition, monkeypatch)) == len(sources) == 12
    assert load_entry(victim) is not None  # converted again and cached whole
    assert tree_digest(edition / "build" / "site") == before


def test_an_edit_that_keeps_every_url_equals_a_full_build(edition: Path, tmp_path: Path) -> None:
    build(load_config(edition / "mkdocs.yml", workers=1))  # the first build recorded the URL ledger
    src = next(p for p in sorted((edition / "content").rglob("*.txt")) if " the " in p.read_text(encoding="utf-8"))
    src.write_text(src.read_text(encoding="utf-8").replace(" the ", " the very ", 1), encoding="utf-8")
    result = build(load_config(edition / "mkdocs.yml", workers=1))
    assert result.incremental and result.rendered >= 1
    site = edition / "build" / "site"
    for name in ("sitemap.xml", "robots.txt", "urls.txt", "_redirects", "redirects.json"):
        assert (site / name).is_file(), name
    full = tmp_path / "full"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    assert tree_digest(full / "build" / "site") == tree_digest(site)


def test_conversions_gone_from_the_cache_are_made_again_when_their_pages_are(edition: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree_digest(edition / "build" / "site")
    cache = edition / "build" / ".cache"
    for doc in (cache / "docs").glob("*.doc"):
        doc.unlink()  # the snapshot still has every record: no source is read for its record
    (cache / "manifest.json").unlink()  # so every page is rendered again
    assert len(_reads(edition, monkeypatch)) == 12  # each converted again as its page needed it
    assert len(list((cache / "docs").glob("*.doc"))) == 12
    assert tree_digest(edition / "build" / "site") == before
    assert _reads(edition, monkeypatch) == []
