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
    # Every document of a volume links to the same places outside its own folder (home, stylesheet,
    # volume, neighbours): those URLs are the volume folder's, one '../' deeper, computed once.
    parent = _parent(from_page)
    if parent is not None and not target.startswith(from_page) and target[:1] != "/" and "//" not in target:
        # A file or folder right in that folder (a TEI file, the previous and next pages): one per document,
        # so the cache below misses them. Without '#' or ':' (no fragment, scheme or mailto:) the general
        # path finds the folder itself as the deepest holding it: one '../' and the name.
        if target.startswith(parent) and "#" not in target and ":" not in target:
            name = target[len(parent):]
            if name and name[0] != "/" and "/" not in name[:-1]:
                return "../" + name
        return _from_child(parent, target)
    return _relative(from_page, target)


@lru_cache(maxsize=1024)
def _parent(page: str) -> str | None:
    """The folder above a plain folder page ('a/' for 'a/b/'); None for other pages."""
    if not page.endswith("/") or page.startswith("/") or "//" in page:
        return None
    return page[:-1].rpartition("/")[0] + "/" if "/" in page[:-1] else ""


@lru_cache(maxsize=4096)
def _from_child(parent: str, target: str) -> str:
    """The URL of ``target`` from any folder page right below ``parent`` that does not hold it."""
    if target.startswith(("mailto:", "#")):
        return target
    path, mark, fragment = target.partition("#")
    up = _relative(parent, path)
    # The parent folder itself is one '../' up; a path that is literally './' below it is '.././'.
    return ("../" if up == "./" and path in (parent, "") else "../" + up) + mark + fragment


@lru_cache(maxsize=4096)
def _relative(from_page: str, target: str) -> str:
    """``relative`` worked out from the page's own folders, for any page."""
    # Cached whole: a page asks for its home, stylesheet and volume links several times over.
    if "://" in target or target.startswith(("mailto:", "#")):
        return target
    if "#" not in target:
        return _relative_path(from_page, target)
    path, _, frag = target.partition("#")
    if frag and path and _folder(from_page) == path:
        return "#" + frag
    return _relative_path(from_page, path) + ("#" + frag if frag else "")


def _folder(page: str) -> str:
    """The folder a page is served from: 'a/b/' for 'a/b/' and for 'a/b/file.xml'."""
    page = page.lstrip("/")
    return page if page.endswith("/") or page == "" else page.rpartition("/")[0] + ("/" if "/" in page else "")


@lru_cache(maxsize=1024)
def _base(from_page: str) -> list[str]:
    """The folder segments of a page, computed once per page however many links it has."""
    return [p for p in _folder(from_page).split("/") if p]


@lru_cache(maxsize=1024)
def _prefixes(from_page: str) -> tuple[str, ...]:
    """The page's folder and each folder above it, deepest first: 'a/b/', 'a/', ''."""
    out = [""]
    for segment in _base(from_page):
        out.append(out[-1] + segment + "/")
    return tuple(reversed(out))


def _relative_path(from_page: str, path: str) -> str:
    # Plain string work (no posixpath.relpath): pages render tens of links each, editions hold 10^5 pages.
    if not path:
        return "../" * len(_base(from_page)) or "./"  # the site's root, linked from every page's header
    if path[0] == "/" or "//" in path:
        return _by_segments(_base(from_page), path)
    # The deepest folder of the page that holds the target: as many '../' as folders climbed to it.
    for up, prefix in enumerate(_prefixes(from_page)):
        if path.startswith(prefix):
            rest = path[len(prefix):]
            return "../" * up + rest if up or rest else "./"
    raise AssertionError("the site's root folder '' holds every path")


def _by_segments(base: list[str], path: str) -> str:
    """The relative path segment by segment, for paths with empty segments ('a//b', '/a')."""
    is_folder = path.endswith("/")
    parts = [p for p in path.split("/") if p]
    common = 0
    limit = min(len(base), len(parts))
    while common < limit and base[common] == parts[common]:
        common += 1
    if not is_folder and common == len(parts):
        common -= 1  # a file named like a folder of the base path still needs its own name
    up = len(base) - common
    rel = "/".join([".."] * up + parts[common:]) if up else "/".join(parts[common:])
    if is_folder:
        return rel + "/" if rel else "./"
    return rel
