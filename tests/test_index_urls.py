"""Page-relative URLs of the index pages: every shortcut gives what the path-by-path computation gives."""

from __future__ import annotations

import itertools
import posixpath

from despatch.render.urls import relative


def reference(page: str, target: str) -> str:
    """The URL of a site path from a page, worked out with posixpath (no shortcut, no cache)."""
    if "://" in target or target.startswith(("mailto:", "#")):
        return target
    path, mark, frag = target.partition("#")
    folder = page if page.endswith("/") or page == "" else page.rpartition("/")[0] + ("/" if "/" in page else "")
    if frag and path and folder == path:
        return "#" + frag
    rel = posixpath.relpath("/" + path, "/" + folder) if path else posixpath.relpath("/", "/" + folder)
    rel = "./" if rel == "." else rel + ("/" if (path.endswith("/") or not path) and not rel.endswith("/") else "")
    return rel + mark + frag


PAGES = ["", "search/", "archives/", "archives/r/", "archives/r/c/", "archives/r/c/f/", "archives/r/c/f/_2/",
         "v1/", "v1/pg_3/", "v1/archives/", "v1/d1/", "v2/d1/", "chronology/1962-05/", "v1/d1.xml", "sitemap.xml"]
TARGETS = ["", "assets/despatch.css", "v1/d1/", "v1/d1/#d1fn2", "v2/d7/", "v1/", "archives/", "archives/r/c/f/",
           "archives/r/c/g/", "archives/s/", "archivesx/", "v1/d1.xml", "v1/pg_3/", "chronology/", "#top",
           "mailto:a@example.org", "https://example.org/x", "v1x/d1/", "search/"]


def test_relative_agrees_with_the_path_by_path_computation() -> None:
    for page, target in itertools.product(PAGES, TARGETS):
        assert relative(page, target) == reference(page, target), (page, target)


def test_relative_agrees_when_asked_again() -> None:
    """The second answer (from the caches) is the first."""
    first = {(p, t): relative(p, t) for p, t in itertools.product(PAGES, TARGETS)}
    assert all(relative(p, t) == url for (p, t), url in first.items())
