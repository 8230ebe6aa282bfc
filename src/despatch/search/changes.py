"""The changes bundle: the pages edited since their volume was last indexed whole, in one small bundle.

An incremental build does not re-index an edited document's volume. It indexes the current page of
every document changed or added since that volume's bundle was made into one site-level bundle
(``pagefind-changes/``), and lists beside it what those documents supersede: their paths, the ids
of their old pages in the volume bundles, and the filter counts the edits took away and brought. The
search page always merges this bundle and drops the superseded ids, so it finds the documents a full
build's index would find. The files differ from a full build's, and so may the rank of a changed page
that only words its old version lacked bring up (scored against the small bundle alone).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from .command import bundle
from .router import ROUTER, VOLUMES
from .summary import read_fragment, read_pages

CHANGES = "pagefind-changes"
# A layer over it: the pages edited since the changes bundle was written, while they are few
# (``site/searchlayers.py``), so that an edit indexes those, not every page the bundle holds.
RECENT = "pagefind-recent"
LISTING = "despatch-changes.json"
# Where the router's volume list points the search page at the changes bundle and its layer (relative to the router).
POINTER = f"../{CHANGES}/"
RECENT_POINTER = f"../{RECENT}/"

# A superseded document: [id, filters] of its page in its volume's bundle, or None (added since).
# Lists, not tuples: the entries are kept in the build manifest (JSON) and compared with what it held.
Old = list[Any] | None


def old_pages(bundle: Path, docs: set[str]) -> dict[str, Old]:
    """The pages of ``docs`` (ids) in a volume bundle: fragment id and filters, None where it has none."""
    located = read_pages(bundle)
    if located is not None:
        return {doc: located.get(f"/{doc}/") for doc in docs}
    wanted = {f"/{doc}/": doc for doc in docs}
    found: dict[str, Old] = {doc: None for doc in docs}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        if not wanted:
            break  # every page asked for was found: the rest of the volume need not be read
        url = fragment_url(path)
        if url is not None and url not in wanted:
            continue
        fragment = read_fragment(path)
        doc = wanted.pop(fragment.get("url", ""), None)
        if doc is not None:
            found[doc] = [path.stem, {k: sorted(v) for k, v in fragment.get("filters", {}).items()}]
    return found


_URL = re.compile(rb'^pagefind_dcd\{"url":"((?:[^"\\]|\\.)*)"')


def fragment_url(path: Path) -> str | None:
    """A fragment's page URL from the first bytes of its JSON, where Pagefind writes it (None if not there):
    looking for a few pages among a volume's, the rest of each fragment need not be unpacked."""
    try:
        head = zlib.decompressobj(31).decompress(path.read_bytes(), 512)
    except (OSError, zlib.error):
        return None
    found = _URL.match(head)
    if found is None:
        return None
    try:
        return str(json.loads(b'"' + found.group(1) + b'"'))
    except ValueError:
        return None


def write_changes(root: Path, pages: dict[str, Path], superseded: dict[str, dict[str, Old]],
                  scratch: Path, positions: dict[str, dict[str, int]] | None = None, folder: str = CHANGES,
                  below: dict[str, Old] | None = None) -> int:
    """Write ``root/pagefind-changes/``: a bundle of ``pages`` ('vol/doc' → its current page) and the listing.

    ``folder``, ``below``: the recent layer instead (``RECENT``), written over a changes bundle that
    stands; ``below`` gives the page each of its documents has there ('vol/doc' → [id, filters]), which it
    supersedes too, and whose filters are the ones counted until now (in place of the volume page's).

    ``superseded`` is, by volume, every document whose page in the volume bundle no longer counts
    (changed, added or removed). ``positions`` gives a page's place in its volume's order by each
    sort key. Returns the pages the bundle holds.

    Pagefind scores a bundle's pages against that bundle alone, so a page of this small bundle would
    outrank the volumes' pages. The listing pairs each page with the old page it replaces, whose score
    the search page gives it when the query matches both, and, for a sorted search, its place in its
    volume (a sorted search scores a page by its position in its own bundle's order). It also names
    each page's volume: the page waits for its volume's bundle when the router names that volume.
    """
    out = root / folder
    shutil.rmtree(out, ignore_errors=True)  # Pagefind's file names are hashes: old ones would linger
    out.mkdir(parents=True)
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="changes-", dir=scratch) as tmp:
        for key, page in sorted(pages.items()):
            dest = Path(tmp) / key / "index.html"
            dest.parent.mkdir(parents=True)
            try:
                os.link(page, dest)  # as the volumes' pages are laid out: URLs are /vol/doc/
            except OSError:
                shutil.copyfile(page, dest)
        if pages:  # only removed documents: the listing alone, and no bundle to merge
            bundle(Path(tmp), out, "the changed documents")  # about 15 ms for a few pages
    removed: dict[str, Counter[str]] = {}
    dropped: dict[str, set[str]] = {}  # each superseded page's id, and its document's volume (or volumes)
    for vol, docs in superseded.items():
        for doc, old in docs.items():
            under = (below or {}).get(f"{vol}/{doc}")
            for page in (old, under):
                if page is not None:
                    dropped.setdefault(page[0], set()).add(vol)
            counted = under if under is not None else old   # the page whose filters the search counts now
            if counted is not None:
                _count(removed, counted[1])
    added: dict[str, Counter[str]] = {}
    replaces: dict[str, str] = {}
    volume: dict[str, str] = {}
    sort: dict[str, dict[str, int]] = {}
    count = 0
    for path in sorted((out / "fragment").glob("*.pf_fragment")):
        fragment = read_fragment(path)
        _count(added, fragment.get("filters", {}))
        count += 1
        vol, _, doc = fragment.get("url", "").strip("/").partition("/")
        volume[path.stem] = vol
        old = superseded.get(vol, {}).get(doc)
        if old is not None:
            replaces[path.stem] = old[0]
        if (positions or {}).get(f"{vol}/{doc}"):
            sort[path.stem] = (positions or {})[f"{vol}/{doc}"]
    # A page the same as one it supersedes (an edit taken back) has its id: it is not dropped with it.
    listing = {"pages": count, "replaces": replaces, "sort": sort, "volume": volume,
               "documents": sorted(f"{vol}/{doc}/" for vol, docs in superseded.items() for doc in docs),
               "dropped": sorted(set(dropped) - set(volume)), "facets": {"added": _plain(added), "removed": _plain(removed)},
               # The search page leaves out a result by its id only where that volume's own search finds it:
               # another volume's page may have the same id (Pagefind's are 28-bit hashes).
               "dropped_from": {page: sorted(vols) for page, vols in sorted(dropped.items()) if page not in volume}}
    text = json.dumps(listing, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (out / LISTING).write_text(text, encoding="utf-8")
    return count


def _count(into: dict[str, Counter[str]], filters: dict[str, Any]) -> None:
    for key, values in filters.items():
        into.setdefault(key, Counter()).update(set(values))


def _plain(counts: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {k: dict(sorted(c.items())) for k, c in sorted(counts.items())}


def router_points(root: Path) -> tuple[bool, bool] | None:
    """Whether the router's volume list under ``root`` points at a changes bundle, and at its recent
    layer (None: no list)."""
    path = root / ROUTER / VOLUMES
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return "changes" in data, "recent" in data


def point_router(source: Path, dest: Path, present: bool, recent: bool = False) -> None:
    """Write the router's volume list from ``source`` to ``dest``, pointing at the changes bundle (and
    its recent layer) or not.

    The search page reads this list first; it fetches the changes listing only when pointed at it,
    so a site without changes costs no request (and no failed one).
    """
    data = json.loads((source / ROUTER / VOLUMES).read_text(encoding="utf-8"))
    data.pop("changes", None)
    data.pop("recent", None)
    if present:
        data["changes"] = POINTER
        if recent:
            data["recent"] = RECENT_POINTER
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    (dest / ROUTER).mkdir(parents=True, exist_ok=True)
    (dest / ROUTER / VOLUMES).write_text(text, encoding="utf-8")
