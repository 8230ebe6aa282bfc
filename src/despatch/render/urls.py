"""Site-relative paths and page-relative URLs, so the site works under any prefix and from disk."""

from __future__ import annotations

import posixpath


def doc_path(volume: str, doc_id: str) -> str:
    """The site-relative path of a document page: ``frus1961-63v13/d245/``."""
    return f"{volume}/{doc_id}/"


def relative(from_page: str, target: str) -> str:
    """A URL for ``target`` (site-relative path, optional #fragment) as seen from ``from_page``.

    Page paths ending in '/' are folder pages (served as index.html). Absolute URLs pass through.
    """
    if "://" in target or target.startswith(("mailto:", "#")):
        return target
    path, _, frag = target.partition("#")
    base = from_page if from_page.endswith("/") else posixpath.dirname(from_page) + "/"
    base = base.lstrip("/")
    if path == "" and frag and "#" in target and target.startswith("#"):
        return "#" + frag
    # An empty path is the site's root folder.
    folder = path == "" or path.endswith("/")
    rel = posixpath.relpath("/" + path, "/" + base)
    if folder:
        rel = "./" if rel == "." else rel + "/"
    if rel == "./" and frag and folder and base.rstrip("/") == path.rstrip("/"):
        return "#" + frag  # the same page: a bare fragment
    return rel + ("#" + frag if frag else "")
