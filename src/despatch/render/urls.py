"""Site-relative paths and page-relative URLs, so the site works under any prefix and from disk."""

from __future__ import annotations

from functools import lru_cache


def doc_path(volume: str, doc_id: str) -> str:
    """The site-relative path of a document page: ``frus1961-63v13/d245/``."""
    return f"{volume}/{doc_id}/"


def relative(from_page: str, target: str) -> str:
    """A URL for ``target`` (site-relative path, optional #fragment) as seen from ``from_page``.

    Page paths ending in '/' (or empty, the home page) are folder pages served as index.html;
    an empty target path is the site's root folder. Absolute URLs and bare fragments pass through.
    """
    if "://" in target or target.startswith(("mailto:", "#")):
        return target
    path, _, frag = target.partition("#")
    return _relative_path(from_page, path) + ("#" + frag if frag else "") if not (
        frag and path and _folder(from_page) == path) else "#" + frag


def _folder(page: str) -> str:
    """The folder a page is served from: 'a/b/' for 'a/b/' and for 'a/b/file.xml'."""
    page = page.lstrip("/")
    return page if page.endswith("/") or page == "" else page.rpartition("/")[0] + ("/" if "/" in page else "")


@lru_cache(maxsize=65536)
def _relative_path(from_page: str, path: str) -> str:
    # Plain string work (no posixpath.relpath): pages render tens of links each, editions hold 10^5 pages.
    base = [p for p in _folder(from_page).split("/") if p]
    is_folder = path == "" or path.endswith("/")
    parts = [p for p in path.split("/") if p]
    common = 0
    while common < len(base) and common < len(parts) and base[common] == parts[common]:
        common += 1
    if not is_folder and common == len(parts):
        common -= 1  # a file named like a folder of the base path still needs its own name
    up = len(base) - common
    rel = "/".join([".."] * up + parts[common:])
    if is_folder:
        return rel + "/" if rel else "./"
    return rel
