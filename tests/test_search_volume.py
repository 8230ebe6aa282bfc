"""Pages fed to Pagefind from memory as they are rendered: the same bundles as indexing the written folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_search import fragments, site  # noqa: F401 - the fixture is shared

from despatch.search import SearchError, VolumeIndexer, index_site
from despatch.search.router import ROUTER, SUMMARY


def pages(site: Path, vol: str) -> list[tuple[str, str]]:
    """A volume's document pages as (URL relative to the volume, HTML)."""
    return [(f"/{p.parent.name}/", p.read_text(encoding="utf-8")) for p in sorted((site / vol).glob("d*/index.html"))]


def by_url(bundle: Path) -> dict[str, dict]:
    return {f["url"]: f for f in fragments(bundle)}


def test_pages_from_memory_make_the_bundles_a_folder_makes(site: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(site, other)
    index_site(site, ["v13", "v16"])
    indexer = VolumeIndexer(other, edition=["v13", "v16"])
    for vol in ("v13", "v16"):
        for url, html in pages(other, vol):
            indexer.add_page(vol, url, html)
        indexer.finish_volume(vol)
    stats = indexer.finish()
    assert stats.pages == {"v13": 2, "v16": 1} and stats.routed == 2
    for vol in ("v13", "v16"):
        assert by_url(other / vol / "pagefind") == by_url(site / vol / "pagefind")
        assert (other / vol / "pagefind" / SUMMARY).read_bytes() == (site / vol / "pagefind" / SUMMARY).read_bytes()
        assert not (other / vol / "pagefind" / "pagefind-ui.js").exists()
    assert (other / ROUTER / "pagefind.js").is_file()


def test_pages_of_several_volumes_may_come_interleaved(site: Path) -> None:
    indexer = VolumeIndexer(site)
    (a, b), (c,) = pages(site, "v13"), pages(site, "v16")
    indexer.add_page("v13", *a)
    indexer.add_page("v16", *c)      # waits in memory while v13's service runs
    indexer.add_page("v13", *b)
    stats = indexer.finish()         # no volume was declared complete: all are written now
    assert stats.pages == {"v13": 2, "v16": 1}
    assert set(by_url(site / "v16" / "pagefind")) == {"/d190/"}
    assert stats.routed == 2


def test_a_page_after_its_volume_was_finished_is_an_error(site: Path) -> None:
    indexer = VolumeIndexer(site)
    (a, b) = pages(site, "v13")
    indexer.add_page("v13", *a)
    indexer.finish_volume("v13")
    indexer.add_page("v13", *b)
    with pytest.raises(SearchError, match=r"d246/index.html:1:1: error: a page was given after its volume"):
        indexer.finish()
