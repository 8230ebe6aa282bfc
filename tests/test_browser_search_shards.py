"""A sharded router in Chromium: the page's keys are the build's, and it finds what one router finds."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from browser.serve import serve
from conftest import ROOT
from test_browser_search_router import bundles, in_chromium, open_search, summaries

from despatch.search import shards, wordforms

pytestmark = pytest.mark.browser
BUDGET = 1500  # words a shard may hold: five volumes of ten documents make several shards


def _site(out: Path, budget: int | None) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from despatch.config import load_config
    from despatch.site.build import build

    generate(out, 50, seed=3, per_volume=10)
    saved = shards.BUDGET
    shards.BUDGET = budget or saved
    try:
        build(load_config(out / "despatch" / "mkdocs.yml"))
    finally:
        shards.BUDGET = saved
    return out / "despatch" / "build" / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """The same edition with one router and with a sharded one: (sharded site, its URL, the other's URL)."""
    from browser.chromium import missing_reason
    reason = missing_reason()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    whole = _site(tmp_path_factory.mktemp("whole"), None)
    split = _site(tmp_path_factory.mktemp("split"), BUDGET)
    assert not (whole / "pagefind" / "s0").exists() and (split / "pagefind" / "s2").is_dir()
    with serve(whole) as whole_url, serve(split) as split_url:
        yield split, split_url, whole_url


def test_the_page_computes_the_keys_the_build_computed(sites: tuple[Path, str, str]) -> None:
    split, url, _ = sites
    words = sorted({w for s in summaries(split).values() for w in s["words"]})[::7]
    words += ["Khrushchev's", "vice-president,", "U.S.", "Élysée", "naïve", "dying", "Skies", "Москва", "—", "ﬁnal",
              "İstanbul", "1958", "a", "de"]
    listing = __import__("json").loads((split / "pagefind" / "despatch-volumes.json").read_text(encoding="utf-8"))

    async def scenario(chromium: Any) -> None:
        page, _, errors = await open_search(chromium, url + "search/")
        got = await page.evaluate("""async ([words, list]) => {
            const route = await import("/assets/route.js");
            return words.map((w) => [route.formsOf(w), route.shardsFor(w, list)]);
        }""", [words, listing["shards"]])
        bounds = [s["from"] for s in listing["shards"]]
        expected = [[sorted(wordforms.forms(w)), sorted(shards.looked_up(w, bounds))] for w in words]
        mismatched = [(w, g, e) for w, g, e in zip(words, got, expected) if g != e]
        assert not mismatched, mismatched[:5]
        assert errors == []

    in_chromium(scenario)


async def _search(chromium: Any, base: str, query: str) -> tuple[int, str, set[str]]:
    """Search every volume the router names: (volumes named, the final status, the volumes fetched)."""
    from playwright.async_api import expect

    page, requested, errors = await open_search(chromium, base + "search/?" + urlencode({"q": query}))
    status = page.locator("#search-status")
    await expect(status).to_contain_text(re.compile("found"), timeout=20000)
    text = await status.inner_text()
    named = re.search(r"of the (\d+) volumes", text)
    button = page.get_by_role("button", name="Show results from more volumes")
    for _ in range(10):
        if not await button.is_visible():
            break
        before = text
        await button.click()
        await expect(status).not_to_have_text(before, timeout=20000)
        text = await status.inner_text()
    assert errors == []
    return (int(named.group(1)) if named else -1), text, bundles(requested)


@pytest.mark.parametrize("query", ["department", "nuclear", "de", "u.s.", "department telegram",
                                   "secret conversation ambassador", "zzzzqx", "zzzzqx department"])
def test_a_sharded_router_finds_what_one_router_finds(sites: tuple[Path, str, str], query: str) -> None:
    split, split_url, whole_url = sites

    async def scenario(chromium: Any) -> None:
        whole = await _search(chromium, whole_url, query)
        sharded = await _search(chromium, split_url, query)
        assert sharded[1] == whole[1], (query, whole, sharded)
        assert sharded[0] >= whole[0] and sharded[2] >= whole[2], (query, whole, sharded)

    in_chromium(scenario)


def test_a_word_of_one_shard_merges_only_that_shard(sites: tuple[Path, str, str]) -> None:
    split, url, _ = sites
    listing = __import__("json").loads((split / "pagefind" / "despatch-volumes.json").read_text(encoding="utf-8"))
    bounds = [s["from"] for s in listing["shards"]]
    word = next(w for s in summaries(split).values() for w in sorted(s["words"])
                if w.isalpha() and len(w) > 5 and shards.looked_up(w, bounds) == {len(bounds) - 1})

    async def scenario(chromium: Any) -> None:
        page, requested, _ = await _open(chromium, url, word)
        fetched = {s["path"] for s in listing["shards"] if any(f"/pagefind/{s['path']}pagefind-entry.json" in u
                                                             for u in requested)}
        assert fetched == {listing["shards"][0]["path"], listing["shards"][-1]["path"]}, fetched
        # The records' volumes come with their shards: a first search does not read every shard's.
        read = {s["path"] for s in listing["shards"] if any(f"/pagefind/{s['path']}despatch-records.json" in u
                                                          for u in requested)}
        assert read == fetched and "records" not in listing

    in_chromium(scenario)


async def _open(chromium: Any, url: str, word: str) -> tuple[Any, list[str], list[str]]:
    from playwright.async_api import expect

    page, requested, errors = await open_search(chromium, url + "search/?" + urlencode({"q": word}))
    await expect(page.locator("#search-status")).to_contain_text("found", timeout=20000)
    return page, requested, errors
