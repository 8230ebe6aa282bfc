"""The search page in Chromium after incremental builds: the changes bundle answers for edited documents."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from browser.chromium import missing_reason
from browser.serve import serve
from test_browser_search_router import HREFS, bundles, in_chromium, open_search
from test_search_changes import (
    GONE,
    KEPT,
    LIGHT,
    NEW,
    OLD,
    make_edition,
    remove,
    replace,
    run,
    source,
    volumes,
)

from despatch.search.changes import CHANGES, RECENT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Three volumes built with search, then one document edited (OLD → NEW, and a word two other
    documents of its volume hold) and one removed."""
    reason = missing_reason()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    project = make_edition(tmp_path_factory.mktemp("changes"))
    run(project)
    replace(source(project, 1, 5), OLD, f"{NEW} {LIGHT}")
    assert run(project).incremental
    assert remove(project, source(project, 2, 10)).incremental
    site = project / "build" / "site"
    # The edit in the changes bundle, the removal (and its neighbour's page) in the recent layer over it.
    assert (site / CHANGES).is_dir() and (site / RECENT).is_dir()
    return site, volumes(project)


@pytest.fixture(scope="module")
def served(edited: tuple[Path, list[str]]) -> Iterator[tuple[str, list[str]]]:
    site, vols = edited
    with serve(site) as url:
        yield url, vols


@pytest.fixture(scope="module")
def full(edited: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same sources built from scratch, served."""
    site, _ = edited
    project = tmp_path_factory.mktemp("full") / "despatch"
    shutil.copytree(site.parent.parent, project, ignore=shutil.ignore_patterns("build"))
    run(project, incremental=False)
    with serve(project / "build" / "site") as url:
        yield url


async def results(chromium: Any, url: str, query: str) -> tuple[str, list[str], list[str]]:
    """The status line, result links and console errors of one search."""
    from playwright.async_api import expect

    page, _, errors = await open_search(chromium, url + "search/?" + urlencode({"q": query}))
    status = page.locator("#search-status")
    await expect(status).to_contain_text(query, timeout=15000)
    if not (await status.inner_text()).startswith("Nothing"):
        await page.locator("#search-results li").first.wait_for()
    hrefs = await page.locator("#search-results li a").evaluate_all(HREFS)
    return await status.inner_text(), hrefs, errors


def check(url: str, vols: list[str]) -> None:
    """Every expectation on one served site: new words found, old and removed ones not, no duplicate."""

    async def scenario(chromium: Any) -> None:
        status, hrefs, errors = await results(chromium, url, NEW)
        assert [h.split("#")[0] for h in hrefs] == [f"/{vols[1]}/d5/"], (status, hrefs)
        status, hrefs, _ = await results(chromium, url, KEPT)      # old page and new both hold it
        assert [h.split("#")[0] for h in hrefs] == [f"/{vols[1]}/d5/"] and status.startswith("1 document found")
        for gone in (OLD, GONE):
            status, hrefs, _ = await results(chromium, url, gone)
            assert hrefs == [] and status.startswith("Nothing found"), (gone, status, hrefs)
        assert errors == []

    in_chromium(scenario)


def test_edited_and_removed_documents_are_searched_as_they_are_now(served: tuple[str, list[str]]) -> None:
    check(*served)


def test_the_filter_counts_follow_the_edits(served: tuple[str, list[str]]) -> None:
    from playwright.async_api import expect

    url, _ = served

    async def scenario(chromium: Any) -> None:
        page, _, errors = await open_search(chromium, url + "search/")
        await expect(page.locator("#search-form")).to_have_attribute("data-ready", "true", timeout=15000)
        labels = await page.locator("fieldset", has_text="Volume").locator("label").all_inner_texts()
        assert sorted(label.rsplit("(", 1)[1] for label in labels) == ["10)", "10)", "9)"], labels
        assert errors == []

    in_chromium(scenario)


async def shown(page: Any) -> list[str]:
    """Every result the status line counts, "Show more results" pressed until all are listed."""
    from playwright.async_api import expect

    items = page.locator("#search-results li")
    found = re.match(r"(\d+) documents? found", await page.locator("#search-status").inner_text())
    total = int(found.group(1)) if found else 0
    await expect(items).to_have_count(min(10, total))
    while await items.count() < total:
        count = await items.count()
        await page.locator("#search-more").click()
        await expect(items).not_to_have_count(count)
    return [h.split("#")[0] for h in await items.locator("a").evaluate_all(HREFS)]


async def every_result(chromium: Any, url: str, params: dict[str, str]) -> list[str]:
    """Every result of one search, in order, from every volume that may hold it."""
    from playwright.async_api import expect

    page, _, errors = await open_search(chromium, url + "search/?" + urlencode(params))
    status = page.locator("#search-status")
    await expect(status).to_contain_text("found", timeout=15000)
    while await page.locator("#search-volumes").is_visible():
        before = await status.inner_text()
        await page.locator("#search-volumes").click()
        await expect(status).not_to_have_text(before)
    assert errors == []
    return await shown(page)


@pytest.mark.parametrize(("query", "sort"), [("department", "date:asc"), ("department", "date:desc"),
                                             ("department", ""), (LIGHT, "date:asc"), (LIGHT, "date:desc")])
def test_an_edited_document_keeps_its_place_among_its_volume(served: tuple[str, list[str]], full: str,
                                                             edited: tuple[Path, list[str]], query: str,
                                                             sort: str) -> None:
    """The old page matches the query and lends its score, or (a word the edit brought) it does not
    and the page takes its place in the volume's date order."""
    url, vols = served
    site, _ = edited
    title = json.loads((site / "pagefind" / "despatch-volumes.json").read_text(encoding="utf-8"))["volumes"][1]["title"]
    params = {"q": query, "sort": sort, "volume": title}
    found: dict[str, list[str]] = {}

    async def scenario(chromium: Any) -> None:
        found["changes"] = await every_result(chromium, url, params)
        found["full"] = await every_result(chromium, full, params)

    in_chromium(scenario)
    assert f"/{vols[1]}/d5/" in found["full"] and len(found["full"]) >= 3
    assert found["full"][0] != f"/{vols[1]}/d5/" or sort == "", "the edited page is not first by chance"
    assert found["changes"] == found["full"]


def test_a_changed_page_waits_for_its_volume_to_be_merged(served: tuple[str, list[str]]) -> None:
    from playwright.async_api import expect

    url, vols = served

    async def scenario(chromium: Any) -> None:
        page, requested, errors = await open_search(chromium, url + "search/?q=department")
        status = page.locator("#search-status")
        await expect(status).to_contain_text("of the 3 volumes", timeout=15000)
        hrefs = await shown(page)
        assert vols[1] not in bundles(requested), "the edited document's volume is not among the first merged"
        assert f"/{vols[1]}/d5/" not in hrefs and hrefs
        # Merged at last, the volume brings the changed page, once, and not its old page.
        while await page.locator("#search-volumes").is_visible():
            before = await status.inner_text()
            await page.locator("#search-volumes").click()
            await expect(status).not_to_have_text(before)
        hrefs = await shown(page)
        assert vols[1] in bundles(requested) and hrefs.count(f"/{vols[1]}/d5/") == 1
        assert errors == []

    in_chromium(scenario)


def test_a_router_missing_a_volume_still_merges_the_changes(edited: tuple[Path, list[str]], tmp_path: Path) -> None:
    site, vols = edited
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    listed = copy / "pagefind" / "despatch-volumes.json"
    data = json.loads(listed.read_text(encoding="utf-8"))
    data["volumes"] = data["volumes"][1:]       # every volume bundle is merged: the old pages are there too
    listed.write_text(json.dumps(data), encoding="utf-8")
    with serve(copy) as url:
        check(url, vols)


def test_a_page_of_the_changes_bundle_edited_again_is_searched_as_it_is_now(tmp_path: Path) -> None:
    """The recent layer supersedes the changes bundle's page as that supersedes the volume's."""
    reason = missing_reason()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    again = "quokkaparade"
    project = make_edition(tmp_path)
    run(project)
    replace(source(project, 1, 5), OLD, NEW)
    run(project)
    replace(source(project, 1, 5), NEW, again)
    run(project)
    site, vols = project / "build" / "site", volumes(project)
    assert (site / RECENT).is_dir()

    async def scenario(chromium: Any) -> None:
        for query, found in ((again, [f"/{vols[1]}/d5/"]), (KEPT, [f"/{vols[1]}/d5/"]), (NEW, []), (OLD, [])):
            status, hrefs, errors = await results(chromium, url, query)
            assert [h.split("#")[0] for h in hrefs] == found, (query, status, hrefs)
            assert errors == []

    with serve(site) as url:
        in_chromium(scenario)


def _share_id(bundle: Path, page: str, new: str) -> None:
    """Give the page of a volume's bundle whose id is ``page`` the id ``new`` (as Pagefind's 28-bit ids of
    two volumes' pages may be): its fragment renamed, and the bundle's list of pages rewritten."""
    from despatch.search import canon

    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    language = entry["languages"]["en"]
    meta = canon.read(bundle / f"pagefind.{language['hash']}.pf_meta")
    listed = next(field for field in meta if isinstance(field, list) and any(p[0] == page for p in field
                                                                              if isinstance(p, list) and p))
    next(p for p in listed if p[0] == page)[0] = new
    language["hash"] = canon.write(bundle, f"pagefind.{language['hash']}", meta, 10, ".pf_meta").removeprefix("pagefind.")
    (bundle / "fragment" / f"{page}.pf_fragment").rename(bundle / "fragment" / f"{new}.pf_fragment")
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def test_a_page_that_shares_the_id_of_a_superseded_one_is_still_found(edited: tuple[Path, list[str]],
                                                                      tmp_path: Path) -> None:
    """The changes leave out the old page of an edited document by its id, but only in its own volume."""
    import gzip

    site, vols = edited
    project = site.parent.parent
    summary = json.loads(gzip.decompress((site / vols[0] / "pagefind" / "despatch-summary.json.gz").read_bytes()))
    others = [json.loads(gzip.decompress(p.read_bytes())) for p in site.glob("*/pagefind/despatch-summary.json.gz")
              if p.parent.parent.name != vols[0]]
    word = next(w for w, n in sorted(summary["words"].items()) if n == 1 and w.isalpha() and len(w) > 8
                and not any(o.startswith(w) for s in others for o in s["words"]))
    holder = next(p.stem for p in sorted((project / "content" / vols[0]).glob("d*.txt"))
                  if re.search(rf"\b{word}\b", p.read_text(encoding="utf-8"), re.IGNORECASE))
    listing = json.loads((site / CHANGES / "despatch-changes.json").read_text(encoding="utf-8"))
    old = next(page for page, vols_of in listing["dropped_from"].items() if vols_of == [vols[1]])
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    pages = json.loads(gzip.decompress((copy / vols[0] / "pagefind" / "despatch-pages.json.gz").read_bytes()))
    _share_id(copy / vols[0] / "pagefind", pages[f"/{holder}/"][0], old)  # URLs within the volume
    # A filter both pages have: searched by filters alone, no page has matched words, and pages sharing an
    # id look alike.
    olds = json.loads(gzip.decompress((site / vols[1] / "pagefind" / "despatch-pages.json.gz").read_bytes()))
    key, value = next((k, v) for k, vs in sorted(pages[f"/{holder}/"][1].items()) if k != "volume"
                      for v in vs if v in olds["/d5/"][1].get(k, []))
    # A page of a third volume with that filter shares the id too: two pages alike that the changes do not hold.
    thirds = json.loads(gzip.decompress((copy / vols[2] / "pagefind" / "despatch-pages.json.gz").read_bytes()))
    changed = {d for folder in (CHANGES, RECENT)
               for d in json.loads((site / folder / "despatch-changes.json").read_text(encoding="utf-8"))["documents"]}
    third = next(url for url, (_, filters) in sorted(thirds.items())
                 if value in filters.get(key, []) and f"{vols[2]}{url}" not in changed)
    _share_id(copy / vols[2] / "pagefind", thirds[third][0], old)

    async def scenario(chromium: Any) -> None:
        with serve(site) as unshared:
            assert await every_result(chromium, url, {key: value}) == await every_result(chromium, unshared, {key: value})
        status, hrefs, errors = await results(chromium, url, word)
        # (The changes bundle's pages, which lack the word, may match parts of it: Pagefind splits a word
        # an index lacks.)
        assert f"/{vols[0]}/{holder}/" in [h.split("#")[0] for h in hrefs], (word, status, hrefs)
        status, hrefs, _ = await results(chromium, url, OLD)  # the old page itself is still left out
        assert hrefs == [] and status.startswith("Nothing found"), (status, hrefs)
        assert errors == []

    with serve(copy) as url:
        in_chromium(scenario)
