"""The recent layer over the changes bundle: an edit indexes the few pages edited since the bundle
was written, not every page it holds.

The changes bundle holds the current page of every document edited since its volume was last indexed
whole, up to ``searchdelta.CHANGES_MAX`` pages, and was indexed again whole at every build: an edit
late in a long run of edits paid for every page edited before it (at 5,000 documents an edit took 0.25 s
after a full build and 0.35 s after 45 others). The changes bundle now stands while the documents
edited since it was written are at most ``RECENT_MAX``: those go to a second small bundle, the recent
layer (``pagefind-recent/``), which supersedes their pages in the volume bundles and in the changes
bundle alike. Past ``RECENT_MAX`` the changes bundle is written again with every pending page and
the layer goes. The search page merges both (the router's volume list points at each).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..search.changes import CHANGES, LISTING, RECENT, Old, old_pages

# Documents the recent layer holds at most: each build indexes them all again (≈ 1.5 ms a page,
# and Pagefind's start ≈ 15 ms); past them the changes bundle is indexed again whole (≤ 128 pages).
RECENT_MAX = 8

Pending = dict[str, dict[str, Any]]


def documents(folder: Path) -> set[str] | None:
    """The documents ('vol/doc') a changes bundle or layer supersedes, from its listing (None: no listing)."""
    try:
        listed = json.loads((folder / LISTING).read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {str(key).rstrip("/") for key in listed} if isinstance(listed, list) else None


def layer(live: Path, pending: Pending, fresh: set[str], current: dict[str, set[str]]) -> tuple[set[str], dict[str, Old]] | None:
    """The documents of the recent layer this build writes, and the page each has in the changes bundle
    (which stands); None when the changes bundle must be written again whole instead.

    ``pending``: this build's pending documents (by volume, with their old volume pages); ``fresh``: the
    documents ('vol/doc') whose page this build changed; ``current``: each volume's document ids now.
    """
    if RECENT_MAX <= 0:
        return None
    base = documents(live / CHANGES)
    keys = {f"{vol}/{doc}" for vol, docs in pending.items() for doc in docs}
    if base is None or not base <= keys:
        return None   # no changes bundle to stand on, or a volume of it was folded back
    recent = (documents(live / RECENT) or set()) & keys
    recent |= (fresh & keys) | (keys - base)
    if len(recent) > RECENT_MAX:
        return None
    # A document removed since its page went into the changes bundle: the layer drops that page.
    removed = {key for key in keys if key.partition("/")[2] not in current.get(key.partition("/")[0], ())}
    # The changes bundle's pages are at '/vol/doc/': the ids given to ``old_pages`` are 'vol/doc'.
    found = old_pages(live / CHANGES, recent | removed)
    recent |= {key for key in removed if found[key] is not None}
    if len(recent) > RECENT_MAX:
        return None
    return recent, {key: page for key, page in sorted(found.items()) if key in recent and page is not None}


def pending_of(pending: Pending, keys: set[str]) -> Pending:
    """The part of ``pending`` that names ``keys`` ('vol/doc'), in its order."""
    out: Pending = {}
    for vol, docs in pending.items():
        part = {doc: old for doc, old in docs.items() if f"{vol}/{doc}" in keys}
        if part:
            out[vol] = part
    return out
