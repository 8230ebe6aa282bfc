"""The pages Pagefind indexes, shown to it in one order on every file system, so every machine numbers them alike.

Pagefind numbers a bundle's pages in the order its walk meets them, that is in the order the file
system lists a folder: on ext4 an order of hashes seeded anew for each file system, on tmpfs the
order the entries were made (newest first on some kernels, oldest first on others), on btrfs the
order they were made. Its word indexes, filters and sorts name pages by those numbers, so the same
pages gave other bytes on another machine. Renumbering a bundle afterwards would mean decoding and
writing again every word index (about half a second of Python a volume, against Pagefind's own
0.9 s); instead Pagefind walks a folder of links to the pages, made on a file system that lists
entries in the order they were made (or the reverse), in the order that makes the walk meet the
pages by their URLs, runs of digits compared as numbers (``d2`` before ``d10``). The links cost
about 16 µs a page. Where no such file system is found the pages are walked where they are.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..order import natural_key

SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")
# Where the folder of links may go: memory first (it lists entries as they were made), then the system's
# temporary folder. Never inside the site, whose files other parts of the build list meanwhile.
ROOTS = ("/dev/shm",)
# The names made to learn a file system's listing order, in the order made: not sorted either way, so
# an order of hashes passes for one of the two orders of making 2 times in 8! (40,320).
_PROBE = ("c", "f", "a", "h", "d", "b", "g", "e")
PREFIXES = ("despatch-pages-", "despatch-order-")
STALE = 3600.0  # seconds after which a folder of links is taken for one its process left behind


def url_key(path: str) -> tuple[list[Any], ...]:
    """A page's place in the order: folder by folder, each name in its natural order (``d2`` before ``d10``)."""
    return tuple(natural_key(part) for part in path.split("/"))


@functools.cache
def listing_order(root: str) -> str | None:
    """How a new folder under ``root`` lists its entries: "made" (oldest first), "reversed" (newest
    first), or None (another order, or no folder or link to a file could be made and followed there)."""
    try:
        probe = tempfile.mkdtemp(prefix=PREFIXES[1], dir=root)
    except OSError:
        return None
    try:
        for name in _PROBE:
            os.mkdir(os.path.join(probe, name))
        listed = tuple(os.listdir(probe))
        # A link there must lead to its file (a file system mounted "nosymfollow" would not).
        with open(os.path.join(probe, "a", "page"), "w", encoding="utf-8") as page:
            page.write("page")
        os.symlink(os.path.join(probe, "a", "page"), os.path.join(probe, "b", "page"))
        with open(os.path.join(probe, "b", "page"), encoding="utf-8") as link:
            if link.read() != "page":
                return None
    except OSError:
        return None
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return "made" if listed == _PROBE else "reversed" if listed == _PROBE[::-1] else None


def ordered_root() -> tuple[str, str] | None:
    """A folder for the links, and how its file system lists entries (None: no such folder here)."""
    for root in (*ROOTS, tempfile.gettempdir()):
        if os.path.isdir(root):
            order = listing_order(root)
            if order is not None:
                sweep(root)
                return root, order
    return None


@functools.cache
def sweep(root: str, older: float = STALE) -> int:
    """Remove the folders of links (and probes) under ``root`` left by processes stopped while Pagefind ran
    (a failed build kills its indexing processes): those not changed for ``older`` seconds. Once a process
    and root; returns how many went."""
    # By age, not by process id: a folder in memory may be another container's, whose processes this one
    # cannot see. A folder is written in milliseconds and read by one Pagefind run of seconds.
    gone = 0
    now = time.time()
    try:
        names = [n for n in os.listdir(root) if n.startswith(PREFIXES)]
    except OSError:
        return 0
    for name in names:
        path = os.path.join(root, name)
        try:
            if now - os.lstat(path).st_mtime < older:
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        gone += not os.path.lexists(path)
    return gone


def html_pages(site: Path) -> list[str]:
    """Every page Pagefind would index under ``site`` by default (``**/*.html``), as relative paths."""
    return [p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.is_file()]


def names_glob(pages: list[str]) -> str | None:
    """The pages as one glob for Pagefind's own walk: ``{a,b}/index.html`` (None: every page, for no pages
    or pages a glob of names cannot hold)."""
    names = [p.removesuffix("/index.html") for p in pages]
    if not pages or not all(SAFE_NAME.fullmatch(n) and f"{n}/index.html" == p for n, p in zip(names, pages)):
        return None
    return "{" + ",".join(sorted(names)) + "}/index.html"


@contextmanager
def staged(site: Path, pages: list[str] | None) -> Iterator[tuple[Path, str | None]]:
    """Where Pagefind should walk, and with what glob, to meet ``pages`` (paths under ``site``; None: every
    page) in their URLs' order: a folder of links made for it, or ``site`` itself where none can be made."""
    found = ordered_root()
    listed = [] if found is None else html_pages(site) if pages is None else pages
    try:
        folder = _links(site, sorted(listed, key=url_key), *found) if found is not None and listed else None
    except OSError:
        folder = None  # no room or no links there: the pages are walked where they are
    if folder is None:
        yield site, None if pages is None else names_glob(pages)
        return
    _OWN.append(folder)
    try:
        yield folder, None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _OWN.remove(folder)


_OWN: list[Path] = []  # this process's folders of links now in use


def remove_own() -> None:
    """Remove this process's folders of links, as it is told to stop (its Pagefind ended): an indexing
    process ends at once then, and would leave them for the sweep."""
    for folder in _OWN:
        shutil.rmtree(folder, ignore_errors=True)


def _links(site: Path, pages: list[str], root: str, order: str) -> Path:
    """A new folder under ``root`` of links to ``pages`` (in order), made so that it lists them in order."""
    folder = Path(tempfile.mkdtemp(prefix=PREFIXES[0], dir=root))
    try:
        made: set[str] = set()
        # Newest first: the last page is made first, so each folder's entries are made last to first.
        for page in reversed(pages) if order == "reversed" else pages:
            target = os.path.abspath(site / page)
            if not os.path.isfile(target):
                continue  # as Pagefind's own walk would not meet it
            parts = page.split("/")
            for depth in range(1, len(parts)):
                sub = "/".join(parts[:depth])
                if sub not in made:
                    made.add(sub)
                    os.mkdir(folder / sub)
            os.symlink(target, folder / page)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder
