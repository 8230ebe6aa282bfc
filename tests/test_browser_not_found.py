"""The page for addresses that are none, in Chromium, served as `despatch serve` and the hosts serve it:
at a deep address, its stylesheet loads, its links lead on, and axe finds no WCAG 2.2 violation."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from test_browser import VOL, WCAG, Watched, browser, built_site  # noqa: F401 - the session's fixtures

from despatch.serve import _Handler

pytestmark = pytest.mark.browser


def test_a_deep_address_that_is_none_gets_the_editions_page(browser: Any, built_site: Path) -> None:  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    handler = functools.partial(_Handler, directory=str(built_site), not_found="404.html")
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = browser.new_context(viewport={"width": 390, "height": 800})
        watched = Watched(context.new_page())
        page = watched.page
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and r.url != url else None)
        url = f"http://127.0.0.1:{server.server_address[1]}/{VOL}/d9999/deeper/"
        response = page.goto(url)
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        assert failed == []  # the stylesheet, and nothing else asked for, was found from that depth
        # The stylesheet applies: the skip link is out of sight until focused.
        assert page.locator(".skip-link").evaluate("el => el.getBoundingClientRect().top") < 0
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.response["violations"] == [], results.response["violations"]
        page.get_by_role("link", name="Foreign Relations of the United States, 1961–1963, Volume XIII",
                         exact=False).first.click()
        page.wait_for_url(f"**/{VOL}/")
        # The browser's own line for the page's 404 status (every other response is counted in ``failed``).
        assert [e for e in watched.errors if "status of 404" not in e] == [] and failed == []
        context.close()
    finally:
        server.shutdown()
        server.server_close()
