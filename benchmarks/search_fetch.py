"""Bytes a first search fetches: serve a built site on localhost, open its search page with a query in
headless Chromium, wait for the results, and count what the server sent from the page's own request on.

    python benchmarks/search_fetch.py SITE_DIR [--query nuclear] [--all-bundles [--results 5]]

``--all-bundles`` measures instead what the search page did before the router: import the first
volume's bundle, merge every other one, query, and read ``--results`` results.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

# Pagefind's index, fragment and WebAssembly files are stored compressed; a server sends them as they are.
PRECOMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# What the edition's search page does: import the first volume's bundle, merge the others, query.
SCRIPT = """async ([bundles, query, count]) => {
  const pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({});
  for (const b of bundles.slice(1)) await pagefind.mergeIndex(b);
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, count).map(r => r.data()));
  return {hits: search.results.length, urls: data.map(d => d.url)};
}"""


class Counting(SimpleHTTPRequestHandler):
    """Serves the site and records every file it sends (path, bytes)."""

    sent: list[tuple[str, int]] = []

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        f = super().send_head()
        if f is not None and hasattr(f, "fileno"):
            self.sent.append((self.path, os.fstat(f.fileno()).st_size))
        return f


def wire_bytes(site: Path, sent: list[tuple[str, int]]) -> int:
    """Bytes on the wire if the server gzips what Pagefind did not store compressed already."""
    total = 0
    for path, size in sent:
        local = site / path.split("?")[0].lstrip("/")
        if local.is_dir():
            local = local / "index.html"   # a folder's page, as the server sends it
        if path.endswith(PRECOMPRESSED) or not local.is_file():
            total += size
        else:
            total += len(gzip.compress(local.read_bytes(), 6, mtime=0))
    return total


def measure(site: Path, query: str = "nuclear", results: int = 5, all_bundles: bool = False) -> dict:
    """Run one first search on a built site; count the bytes fetched."""
    from playwright.sync_api import sync_playwright

    bundles = sorted(f"/{p.parent.parent.name}/pagefind/" for p in site.glob("*/pagefind/pagefind-entry.json"))
    if not bundles:
        raise SystemExit(f"{site}: no Pagefind bundles (was the site built with search?)")
    browser_path = next((b for b in BROWSERS if Path(b).exists()), None) or shutil.which("chromium")
    Counting.sent = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=browser_path, headless=True, args=["--no-sandbox"])
            page = browser.new_page(bypass_csp=True)
            if all_bundles:
                page.goto(base + "/")
                before = len(Counting.sent)
                answer = page.evaluate(SCRIPT, [bundles, query, results])
            else:
                before = len(Counting.sent)
                answer = search_page(page, base, query)
            browser.close()
    finally:
        server.shutdown()
    sent = Counting.sent[before:]
    by_kind: dict[str, int] = {}
    for path, size in sent:
        kind = Path(path.split("?")[0]).suffix or Path(path).name
        by_kind[kind] = by_kind.get(kind, 0) + size
    return {"query": query, "mode": "all bundles" if all_bundles else "search page", "bundles": len(bundles),
            "bundles_fetched": len({p.split("/pagefind/")[0] for p, _ in sent if "/pagefind/" in p}),
            "hits": answer["hits"], "status": answer.get("status", ""), "requests": len(sent),
            "bytes": sum(s for _, s in sent), "wire_bytes_gzip": wire_bytes(site, sent), "by_kind": by_kind,
            "files": [f"{size:8d}  {path}" for path, size in sent]}


def search_page(page: Any, base: str, query: str) -> dict:
    """Open the search page with the query, as a link to a search would, and wait for its answer."""
    page.goto(f"{base}/search/?q={quote(query)}")
    status = page.locator("#search-status")
    page.wait_for_function("() => /found/.test(document.getElementById('search-status').textContent)")
    if "Nothing found" not in status.inner_text():
        page.locator("#search-results li a").first.wait_for()
    return {"hits": page.locator("#search-results li").count(), "status": status.inner_text()}


def main(argv: list[str] | None = None) -> int:
    """Command line: print the measurement as JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--query", default="nuclear")
    ap.add_argument("--results", type=int, default=5)
    ap.add_argument("--all-bundles", action="store_true")
    args = ap.parse_args(argv)
    print(json.dumps(measure(args.site.resolve(), args.query, args.results, args.all_bundles), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
