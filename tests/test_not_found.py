"""The page for addresses that are none (404.html): written where hosts look for it, its links absolute
so that it works at any depth, out of the sitemap, and served by `despatch serve` for a missing page."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

from robust import TELEGRAM, run, write_project
from test_preview import _serving

VOL = "frus1969-76v01"
SOURCES = {VOL: {"d1.txt": TELEGRAM.format(n=1, body="The Ambassador called."),
                 "d2.txt": TELEGRAM.format(n=2, body="The Secretary replied.")}}


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


def test_its_links_lead_from_the_servers_root_to_files_of_the_site(tmp_path: Path) -> None:
    """Served at /frus1969-76v01/d9/ as at /, a relative link would lead nowhere."""
    root = write_project(tmp_path / "p", SOURCES, search=True)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("https://example.org/", "https://example.org/edition/")
    config.write_text(text.replace("  - despatch:\n", "  - despatch:\n      url_prefix: historicaldocuments/\n"),
                      encoding="utf-8")
    code, err = run(["build", "-f", str(config)])
    assert code == 0, err
    site = root / "build" / "site"
    page = site / "historicaldocuments" / "404.html"
    html = page.read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in html and '<meta name="robots" content="noindex">' in html
    assert f"<code>/edition/historicaldocuments/{VOL}/d1/</code>" in html  # how a document is cited
    links = [link for link in _links(html) if link not in ("data:,", "#main")]
    assert links and all(link.startswith("/edition/historicaldocuments/") for link in links), links
    for link in links:  # each names a file of the site
        path = link[len("/edition/"):]
        assert (site / path).is_file() or (site / path / "index.html").is_file(), link
    assert f'href="/edition/historicaldocuments/{VOL}/"' in html and 'action="/edition/historicaldocuments/search/"' in html
    # Published (a host serves it) but no page to list for search engines.
    assert "/historicaldocuments/404.html" in (root / "content" / "urls.lock").read_text(encoding="utf-8")
    assert "404" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_without_search_it_offers_none(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", SOURCES, search=False)
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0, err
    html = (root / "build" / "site" / "404.html").read_text(encoding="utf-8")
    assert "search" not in " ".join(_links(html)) and 'href="/frus1969-76v01/"' in html


def test_despatch_serve_serves_it_for_a_missing_page(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", SOURCES)
    with _serving("despatch", root, 90, ready="Watching for changes") as base:
        try:
            urllib.request.urlopen(base + f"/{VOL}/d9/", timeout=30)  # the local server
            raise AssertionError("a missing page was served")
        except urllib.error.HTTPError as missing:
            assert missing.code == 404
            assert "<h1>Page not found</h1>" in missing.read().decode("utf-8")
        with urllib.request.urlopen(base + f"/{VOL}/d1/", timeout=30) as found:
            assert found.status == 200 and "The Ambassador called." in found.read().decode("utf-8")


def test_an_edit_that_changes_its_example_makes_it_again(tmp_path: Path) -> None:
    """The example is the first document: one added before it, an edit's build shows it, as a full build does."""
    root = write_project(tmp_path / "p", {VOL: {"d2.txt": TELEGRAM.format(n=2, body="The Secretary replied.")}})
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0, err
    page = root / "build" / "site" / "404.html"
    assert f"<code>/{VOL}/d2/</code>" in page.read_text(encoding="utf-8")
    (root / "content" / VOL / "d1.txt").write_text(TELEGRAM.format(n=1, body="The Ambassador called."), "utf-8")
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0 and "incremental" in err, err
    assert f"<code>/{VOL}/d1/</code>" in page.read_text(encoding="utf-8")
