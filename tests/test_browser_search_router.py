"""The search page over several volumes in Chromium: the router picks the bundles a query needs."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import shutil
import sys
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from browser.chromium import ARGS, executable, missing_reason
from browser.serve import serve
from conftest import ROOT

pytestmark = pytest.mark.browser
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
BUNDLE = re.compile(r"^/([^/]+)/pagefind/")


def built_edition(out: Path, docs: int, seed: int, per_volume: int) -> Path:
    """A synthetic edition generated in ``out`` and built with search; returns the site (skips without a browser)."""
    reason = missing_reason()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from despatch.config import load_config
    from despatch.site.build import build

    generate(out, docs, seed=seed, per_volume=per_volume)
    build(load_config(out / "despatch" / "mkdocs.yml"))
    return out / "despatch" / "build" / "site"


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic edition of five volumes of ten documents, built with search; returns the site."""
    return built_edition(tmp_path_factory.mktemp("routed"), 50, seed=3, per_volume=10)


@pytest.fixture(scope="module")
def site(edition: Path) -> Iterator[tuple[Path, str]]:
    with serve(edition) as url:
        yield edition, url


def in_chromium(scenario: Callable[[Any], Awaitable[None]]) -> None:
    """Run ``scenario(browser)`` with Playwright's async API in a thread of its own: the other browser
    tests' synchronous Playwright may still hold this thread's event loop."""
    from playwright.async_api import async_playwright

    async def main() -> None:
        async with async_playwright() as pw:
            chromium = await pw.chromium.launch(executable_path=executable(), headless=True, args=ARGS)
            try:
                await scenario(chromium)
            finally:
                await chromium.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()


def summaries(edition: Path) -> dict[str, dict]:
    return {p.parent.parent.name: json.loads(gzip.decompress(p.read_bytes()))
            for p in sorted(edition.glob("*/pagefind/despatch-summary.json.gz"))}


def only_in_one(edition: Path) -> tuple[str, str]:
    """A word of one volume that no word of another volume starts with (Pagefind matches prefixes)."""
    words = {vol: {re.sub(r"\W", "", w) for w in s["words"]} for vol, s in summaries(edition).items()}
    for vol, mine in words.items():
        others = {w for v, ws in words.items() if v != vol for w in ws}
        for word in sorted(mine):
            if len(word) >= 7 and word.isalpha() and not any(o.startswith(word) for o in others):
                return vol, word
    raise AssertionError("no word of only one volume")


async def open_search(chromium: Any, url: str) -> tuple[Any, list[str], list[str]]:
    """The search page, the paths it requests, and its console errors."""
    page = await (await chromium.new_context(viewport={"width": 1280, "height": 900})).new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(url)
    return page, requested, errors


def bundles(requested: list[str]) -> set[str]:
    return {m.group(1) for u in requested if (m := BUNDLE.match(urlsplit(u).path))}


HREFS = "els => els.map(a => a.getAttribute('href'))"


async def first_results(chromium: Any, url: str, word: str) -> tuple[Any, list[str], list[str], list[str]]:
    """The search page for one word once its first results are listed: the page, the paths it requested,
    its console errors and the results' links."""
    from playwright.async_api import expect

    page, requested, errors = await open_search(chromium, f"{url}search/?q={word}")
    await expect(page.locator("#search-status")).to_contain_text("found", timeout=15000)
    await page.locator("#search-results li a").first.wait_for()
    return page, requested, errors, await page.locator("#search-results li a").evaluate_all(HREFS)


def test_a_word_of_one_volume_loads_only_that_volume(site: tuple[Path, str]) -> None:
    edition, url = site
    vol, word = only_in_one(edition)

    async def scenario(chromium: Any) -> None:
        page, requested, errors, hrefs = await first_results(chromium, url, word)
        assert hrefs and all(h.startswith(f"/{vol}/") for h in hrefs), hrefs
        # Documents only: the router's record of the volume (its URL the volume's) matches too, and is left out.
        assert not any(re.fullmatch(rf"/{vol}/(#.*)?", h) for h in hrefs), hrefs
        assert bundles(requested) == {vol}, "only the volume holding the word is fetched"
        assert any("/pagefind/despatch-volumes.json" in u for u in requested)
        assert await page.locator("#search-volumes").is_hidden()
        assert errors == []

    in_chromium(scenario)


def test_more_volumes_load_when_the_reader_asks(site: tuple[Path, str]) -> None:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import expect

    edition, url = site
    everywhere = set.intersection(*(set(s["words"]) for s in summaries(edition).values()))
    assert "department" in everywhere

    def count(text: str) -> int:
        return int(re.match(r"(\d+) documents found", text).group(1))

    async def scenario(chromium: Any) -> None:
        page, requested, errors = await open_search(chromium, f"{url}search/?q=department")
        status = page.locator("#search-status")
        await expect(status).to_contain_text("of the 5 volumes", timeout=15000)
        first = count(await status.inner_text())
        assert 1 <= len(bundles(requested)) < 5, "a first search does not fetch every volume"
        button = page.get_by_role("button", name="Show results from more volumes")
        await expect(button).to_be_visible()
        violations = (await Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})).response["violations"]
        assert violations == [], [v["id"] for v in violations]
        # Keyboard: the button is reachable and works with Enter until every volume is searched.
        for _ in range(5):
            if not await button.is_visible():
                break
            await button.focus()
            await page.keyboard.press("Enter")
            await expect(status).not_to_contain_text(f"{first} documents found")
            first = count(await status.inner_text())
        await expect(button).to_be_hidden()
        assert bundles(requested) == set(summaries(edition)), "every volume holding the word is searched at last"
        assert "of the" not in await status.inner_text()
        assert await page.evaluate("document.activeElement.closest('#search-results') !== null")
        assert errors == []

    in_chromium(scenario)


def test_a_quoted_phrase_is_found_through_the_router(site: tuple[Path, str]) -> None:
    from playwright.async_api import expect

    _, url = site

    async def scenario(chromium: Any) -> None:
        page, _, errors = await open_search(chromium, url + "search/?" + urlencode({"q": '"department of state"'}))
        await expect(page.locator("#search-status")).to_contain_text("documents found", timeout=15000)
        await expect(page.locator("#search-results mark").first).to_have_text(re.compile("department", re.I))
        assert errors == []

    in_chromium(scenario)


def test_a_volume_filter_loads_only_that_volume(site: tuple[Path, str]) -> None:
    from playwright.async_api import expect

    edition, url = site
    vol = sorted(summaries(edition))[2]
    title = next(iter(summaries(edition)[vol]["filters"]["volume"]))

    async def scenario(chromium: Any) -> None:
        page, requested, errors = await open_search(chromium, url + "search/?" + urlencode({"q": "department", "volume": title}))
        await expect(page.locator("#search-status")).to_contain_text("documents found", timeout=15000)
        await page.locator("#search-results li a").first.wait_for()
        assert bundles(requested) == {vol}
        hrefs = await page.locator("#search-results li a").evaluate_all(HREFS)
        assert hrefs and all(h.startswith(f"/{vol}/") for h in hrefs)
        assert errors == []

    in_chromium(scenario)


def test_a_router_missing_a_volume_falls_back_to_every_volume(site: tuple[Path, str], tmp_path: Path) -> None:
    from playwright.async_api import expect

    edition, _ = site
    copy = tmp_path / "site"
    shutil.copytree(edition, copy)
    listed = copy / "pagefind" / "despatch-volumes.json"
    data = json.loads(listed.read_text(encoding="utf-8"))
    data["volumes"] = data["volumes"][1:]       # as an incremental build that routed only what it re-indexed
    listed.write_text(json.dumps(data), encoding="utf-8")

    async def scenario(chromium: Any) -> None:
        page, requested, errors = await open_search(chromium, f"{url}search/?q=department")
        await expect(page.locator("#search-status")).to_contain_text("documents found", timeout=15000)
        assert bundles(requested) == set(summaries(edition)), "every volume is searched"
        assert "of the" not in await page.locator("#search-status").inner_text()
        boxes = page.locator("fieldset", has_text="Volume").get_by_role("checkbox")
        assert await boxes.count() == 5, "the filters come from the bundles themselves"
        assert errors == []

    with serve(copy) as url:
        in_chromium(scenario)


def test_a_router_without_its_records_falls_back_to_every_volume(site: tuple[Path, str], tmp_path: Path) -> None:
    edition, _ = site
    copy = tmp_path / "site"
    shutil.copytree(edition, copy)
    (copy / "pagefind" / "despatch-records.json").unlink()  # the router names no volume without it
    vol, word = only_in_one(edition)

    async def scenario(chromium: Any) -> None:
        _, requested, errors, hrefs = await first_results(chromium, url, word)
        assert any(h.startswith(f"/{vol}/") for h in hrefs), hrefs
        assert bundles(requested) == set(summaries(edition)), "every volume is searched"
        assert [e for e in errors if "404" not in e] == []  # the browser's own line for the missing file

    with serve(copy) as url:
        in_chromium(scenario)
