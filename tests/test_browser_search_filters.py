"""The search page's filters in Chromium where a filter has many values (the volumes of a long series)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser.serve import serve
from test_browser_search_router import WCAG, built_edition, in_chromium, open_search

pytestmark = pytest.mark.browser
VOLUMES = 14


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic edition of fourteen volumes of two documents, built with search; returns the site."""
    return built_edition(tmp_path_factory.mktemp("many"), 2 * VOLUMES, seed=7, per_volume=2)


def test_a_filter_of_many_values_folds_until_asked_for(site: Path) -> None:
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import expect

    async def scenario(chromium: Any) -> None:
        page, _, errors = await open_search(chromium, f"{url}search/?q=department")
        status = page.locator("#search-status")
        await expect(status).to_contain_text("documents found", timeout=15000)
        volume = page.locator("fieldset", has_text="Volume")
        fold = volume.locator("details")
        assert await fold.count() == 1
        await expect(fold.locator("summary")).to_have_text(f"{VOLUMES} volumes")
        boxes = volume.locator("input[type=checkbox]")
        assert await boxes.count() == VOLUMES
        # Folded: none of its boxes stands between the search box and the results.
        await expect(boxes.first).to_be_hidden()
        await expect(page.locator("fieldset", has_text="Classification").get_by_role("checkbox").first).to_be_visible()
        assert await page.locator("fieldset", has_text="Classification").locator("details").count() == 0
        stops = await page.evaluate("""() => [...document.querySelectorAll('#search-filters input, #search-filters summary')]
            .map((el) => [el.tagName, el.checkVisibility()])""")
        boxes_in_all = sum(1 for tag, _ in stops if tag == "INPUT")
        # A folded filter is one stop for the keyboard (its summary), the others' boxes one each.
        assert sum(1 for _, shown in stops if shown) == boxes_in_all - VOLUMES + 1
        # The keyboard opens it; a box checked there filters the results to its volume.
        await fold.locator("summary").focus()
        await page.keyboard.press("Enter")
        await expect(boxes.first).to_be_visible()
        violations = (await Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})).response["violations"]
        assert violations == [], [v["id"] for v in violations]
        title = await boxes.nth(3).get_attribute("value")
        await boxes.nth(3).check()
        # The results, once the filtered search has replaced the first one's: all of that volume.
        listed = json.loads((site / "pagefind" / "despatch-volumes.json").read_text(encoding="utf-8"))["volumes"]
        volume_id = next(v["id"] for v in listed if v["title"] == title)
        await page.wait_for_function("""(id) => {
            const hrefs = [...document.querySelectorAll('#search-results li a')].map((a) => a.getAttribute('href'));
            return hrefs.length > 0 && hrefs.every((h) => h.startsWith('/' + id + '/'));
        }""", arg=volume_id, timeout=15000)
        await expect(status).to_contain_text("found")
        assert parse_qs(urlsplit(page.url).query)["volume"] == [title]
        # Opened again with that filter in its address, the fold is open and shows the box checked.
        await page.reload()
        await expect(page.locator("#search-results li a").first).to_be_visible(timeout=15000)
        assert await page.locator("fieldset", has_text="Volume").locator("details").get_attribute("open") is not None
        checked = page.locator("#search-filters input[name=volume]:checked")
        assert await checked.count() == 1 and await checked.get_attribute("value") == title
        await expect(checked).to_be_visible()
        assert errors == []

    with serve(site) as url:
        in_chromium(scenario)
