"""Per-volume Pagefind bundles: documents only, filters and sort keys, paragraph anchors for deep links."""

from __future__ import annotations

import asyncio
import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from despatch.search import SearchError, index_site

DOC = """<!doctype html><html lang="en"><head><title>{title}</title></head><body>
<nav>Home navigation words</nav>
<main data-pagefind-body data-pagefind-sort="date:{date}"><span data-pagefind-filter="volume:{vol}"></span>
<span data-pagefind-filter="year:{year}"></span><span data-pagefind-filter="type:{kind}"></span><h1 data-pagefind-meta="title">{title}</h1>
<p id="p1">{first}</p><p id="p2">{second}</p>
<aside><p id="{doc}fn1">Source: Department of State, Central Files.</p></aside></main></body></html>
"""


def write_doc(site: Path, vol: str, doc: str, **fields: str) -> None:
    page = site / vol / doc / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(DOC.format(vol=vol, doc=doc, **fields), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


def make_site(tmp_path: Path) -> Path:
    """Two volumes: v13 with two documents (and a page without search body), v16 with one."""
    write_doc(tmp_path, "v13", "d245", title="245. Telegram", year="1962", kind="telegram", date="1962-05-04",
              first="Secretary in bilateral talks.", second="Permission to establish tropospheric scatter link.")
    write_doc(tmp_path, "v13", "d246", title="246. Memorandum", year="1962", kind="memorandum",
              date="1962-05-05", first="Nuclear sharing.", second="The Alliance.")
    write_doc(tmp_path, "v16", "d190", title="190. Telegram", year="1961", kind="telegram", date="1961-11-01",
              first="Gromyko delivered his note.", second="Hallama asked for a postponement.")
    # A volume page without data-pagefind-body: it must stay out of the index.
    (tmp_path / "v13" / "index.html").write_text(
        '<!doctype html><html lang="en"><body><p>Volume contents tropospheric</p></body></html>')
    return tmp_path


def fragments(bundle: Path) -> list[dict]:
    """Decode a bundle's page fragments (gzip-compressed JSON behind a short signature)."""
    out = []
    for path in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        out.append(json.loads(data[data.index(b"{"):]))
    return out


def test_one_bundle_per_volume_with_only_documents(site: Path) -> None:
    stats = index_site(site, ["v13", "v16"])
    assert stats.pages == {"v13": 2, "v16": 1}
    assert stats.total_pages == 3
    for vol in ("v13", "v16"):
        entry = json.loads((site / vol / "pagefind" / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ["en"]
        assert (site / vol / "pagefind" / "pagefind.js").is_file()
        assert len(list((site / vol / "pagefind").glob("*.pf_meta"))) == 1
        assert not (site / vol / "pagefind" / "pagefind-ui.js").exists()     # the edition has its own
        assert not (site / vol / "pagefind" / "pagefind-worker.js").exists()
        assert (site / vol / "pagefind" / "wasm.en.pagefind").is_file()
    assert stats.peak_rss_kib > 0
    assert "3 pages in 2 volume index(es)" in stats.summary()


def test_fragments_carry_filters_sort_and_paragraph_anchors(site: Path) -> None:
    index_site(site, ["v13"])
    pages = {f["url"]: f for f in fragments(site / "v13" / "pagefind")}
    # URLs are relative to the volume folder: the browser prefixes each bundle's own base.
    assert set(pages) == {"/d245/", "/d246/"}
    d245 = pages["/d245/"]
    assert d245["filters"] == {"volume": ["v13"], "year": ["1962"], "type": ["telegram"]}
    assert d245["meta"]["title"] == "245. Telegram"
    assert [a["id"] for a in d245["anchors"]] == ["p1", "p2", "d245fn1"]
    assert "tropospheric" in d245["content"] and "Home navigation" not in d245["content"]


def test_a_missing_volume_is_named(site: Path) -> None:
    with pytest.raises(SearchError, match=r"v99:1:1: error: no such volume folder"):
        index_site(site, ["v99"])


def test_indexing_works_inside_a_running_event_loop(site: Path) -> None:
    async def caller() -> dict[str, int]:
        return index_site(site, ["v16"]).pages

    # A thread of its own: the browser tests' driver may already run a loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, caller()).result() == {"v16": 1}


def test_only_document_folders_are_given_to_pagefind(site: Path) -> None:
    from despatch.search.indexer import document_pages

    (site / "v13" / "d245fn1").mkdir()
    (site / "v13" / "d245fn1" / "index.html").write_text('<meta http-equiv="refresh" content="0; url=../d245/">')
    assert document_pages(site / "v13") == ["d245/index.html", "d246/index.html"]
    (site / "v13" / "d{1}").mkdir()
    (site / "v13" / "d{1}" / "index.html").write_text(DOC.format(vol="v13", doc="d1", title="1", year="1962",
                                                               kind="note", date="1962-01-01", first="a", second="b"))
    assert document_pages(site / "v13") == ["d245/index.html", "d246/index.html", "d{1}/index.html"]
    assert index_site(site, ["v13"]).pages == {"v13": 3}


def test_pagefinds_own_complaint_is_reported_with_the_bundle(tmp_path: Path) -> None:
    from despatch.search.command import pagefind

    (tmp_path / "empty").mkdir()
    with pytest.raises(SearchError, match=r"out:1:1: error: Pagefind could not index the pages: .*html files"):
        pagefind(tmp_path / "empty", tmp_path / "out", "the pages")


def test_a_relative_site_folder_indexes_as_an_absolute_one(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pagefind runs inside the folder it indexes: the paths handed to it must not depend on where it runs.
    monkeypatch.chdir(site.parent)
    stats = index_site(Path(site.name), ["v13", "v16"])
    assert stats.pages == {"v13": 2, "v16": 1} and stats.routed == 2
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
