"""Search in an incremental build: edited documents go to the changes bundle, not their volume's index.

Each volume's bundle stays as its last full indexing made it while the documents changed since then
(``pending``, kept in the build manifest) are searched through the site's changes bundle. A volume
whose changes grow past ``fold_limit``, or that the changes bundle can no longer hold, is indexed
whole again, as a full build would, and leaves the changes. The pages edited since the changes bundle
was written, while they are few, go to a layer over it instead (``searchlayers``). After incremental
builds the search files therefore differ from a full build's, but they answer the same queries with
the same documents.
"""

from __future__ import annotations

import bisect
import json
import time
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..search.changes import (
    CHANGES,
    LISTING,
    RECENT,
    old_pages,
    point_router,
    router_points,
    write_changes,
)
from ..search.command import BUNDLE
from ..search.router import ROUTER, VOLUMES
from ..search.stats import SearchStats
from . import searchlayers
from .pages import Edition
from .standing import is_sorted

# A volume is indexed whole again once more than max(FOLD_MIN, FOLD_SHARE of its documents) of them
# changed. Every build indexes each pending page again (≈ 1.5 ms a page), a fold costs about 1.5 s at
# 500 documents (the volume, then the router): over k edits of one volume that is ≈ 1.5 ms · k²/2 + 1.5 s,
# least per edit near k = 45, a tenth of the volume. Below 32 pages (≈ 50 ms) a fold is not worth it.
FOLD_MIN = 32
FOLD_SHARE = 0.10
# The changes bundle as a whole: it is indexed again whenever its recent layer fills up, one build in
# nine (``searchlayers``; 128 pages ≈ 0.2 s), so past this many pages the volumes holding most of them
# are folded back (≈ 2 s each at 500 documents a volume). Indexed at every build, it was kept to 64:
# edits spread over ten volumes then folded one every seven edits. (A first search fetches one index
# chunk of it a word, under 30 KB whatever its size.)
CHANGES_MAX = 128

Pending = dict[str, dict[str, Any]]   # volume → document id → its old page (id, filters) or None
# Beside the manifest while a build publishes pages the manifest does not know yet: were it stopped
# before saving the manifest, the next build would find those pages live and think them unchanged.
UNSAVED = "search-unsaved.json"


def fold_limit(documents: int) -> int:
    """The changed documents a volume of ``documents`` keeps in the changes bundle before it is re-indexed."""
    return max(FOLD_MIN, int(documents * FOLD_SHARE))


def unsaved(cache: Path) -> set[str]:
    """Documents an interrupted build published without recording them (treated as the previews are)."""
    try:
        return set(json.loads((cache / UNSAVED).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def mark_unsaved(cache: Path, keys: set[str]) -> None:
    """Name the documents about to be published, until ``settle`` says the manifest has them."""
    cache.mkdir(parents=True, exist_ok=True)
    (cache / UNSAVED).write_text(json.dumps(sorted(keys)), encoding="utf-8")


def settle(cache: Path) -> None:
    """The manifest records what was published."""
    (cache / UNSAVED).unlink(missing_ok=True)


def fresh(changed: set[str], previewed: set[str], staged: Path, live: Path) -> set[str]:
    """The re-rendered documents whose page differs from the live one, as their search must see it.

    A page rendered again only because its key changed (a neighbour's title, the set of link
    targets) is often the same bytes. A page a preview wrote is live already but not indexed: it counts.
    """
    out: set[str] = set()
    for key in changed:
        new, old = staged / key / "index.html", live / key / "index.html"
        if key in previewed or not old.is_file() or not new.is_file() or new.read_bytes() != old.read_bytes():
            out.add(key)
    return out


def plan(old: Pending, fresh_docs: set[str], removed: list[str], edition: Edition,
         live: Path) -> tuple[list[str], Pending]:
    """The volumes to index whole, and the documents left pending (with their old pages looked up)."""
    pending: dict[str, dict[str, Any]] = {vol: dict(docs) for vol, docs in old.items()}
    new: dict[str, set[str]] = {}
    for key in sorted(fresh_docs | set(removed)):
        vol, doc = key.split("/")
        if doc not in pending.get(vol, {}):
            new.setdefault(vol, set()).add(doc)
        pending.setdefault(vol, {}).setdefault(doc, None)
    fold: set[str] = set()
    for vol, docs in pending.items():
        bundle = live / vol / BUNDLE / "pagefind-entry.json"
        if vol not in edition.volumes or not bundle.is_file() \
                or len(docs) > fold_limit(len(edition.records.get(vol, []))):
            fold.add(vol)
    live_ids = {vol: ids_of(edition, vol) for vol in pending}
    size = {vol: sum(1 for d in docs if d in live_ids[vol]) for vol, docs in pending.items()}
    while sum(size[v] for v in pending if v not in fold) > CHANGES_MAX:
        fold.add(max((v for v in pending if v not in fold), key=lambda v: (size[v], v)))
    kept = {vol: docs for vol, docs in sorted(pending.items()) if vol not in fold}
    for vol, docs in kept.items():
        if new.get(vol):  # their pages in the volume bundle, read once: the bundle stays as it is until folded
            docs.update(old_pages(live / vol / BUNDLE, new[vol]))
        kept[vol] = dict(sorted(docs.items()))
    return sorted(fold), kept


@dataclass
class Outcome:
    """What the search part of an incremental build staged, kept and replaced."""

    stats: SearchStats
    keep: list[str] = field(default_factory=list)       # last build's search files that stand
    replaced: list[str] = field(default_factory=list)   # folders the staged ones replace whole


def index(edition: Edition, staged: Path, live: Path, fold: list[str], pending: Pending, old: Pending,
          fresh_docs: set[str], outputs: list[str], scratch: Path) -> Outcome:
    """Index the folded volumes (with the router) and the changes bundle; keep what did not change."""
    start = time.perf_counter()
    volumes = sorted(edition.volumes)
    listed = live / ROUTER / VOLUMES
    same_volumes = listed.is_file() and \
        [v["id"] for v in json.loads(listed.read_text(encoding="utf-8"))["volumes"]] == volumes
    indexed = [v for v in fold if v in edition.volumes]
    outcome = Outcome(SearchStats(), replaced=[f"{v}/{BUNDLE}" for v in fold])
    if indexed or not same_volumes:
        # Imported here: an edit that folds no volume back needs no indexer.
        from ..search.indexer import index_site

        outcome.stats = index_site(staged, indexed, edition=volumes, previous=live)
    else:   # the router stands: none of its volumes was indexed again
        outcome.keep += under(outputs, ROUTER + "/")
    current = {vol: ids_of(edition, vol) for vol in pending}
    pages = {f"{vol}/{doc}": _page(staged, live, f"{vol}/{doc}")
             for vol, docs in pending.items() for doc in docs if doc in current[vol]}
    outcome.stats.changes = len(pages)
    recent = bool(pending) and (live / RECENT / LISTING).is_file()
    if pending and (fresh_docs or pending != old):
        layered = None if indexed or not same_volumes else searchlayers.layer(live, pending, fresh_docs, current)
        if layered is None:
            write_changes(staged, pages, pending, scratch, sort_positions(edition, set(pages)))
            outcome.replaced += [CHANGES, RECENT]
        else:   # the changes bundle stands: the pages edited since go to the layer over it
            docs, below = layered
            mine = {key: page for key, page in pages.items() if key in docs}
            write_changes(staged, mine, searchlayers.pending_of(pending, docs), scratch,
                          sort_positions(edition, set(mine)), folder=RECENT, below=below)
            outcome.keep += under(outputs, CHANGES + "/")
            outcome.replaced.append(RECENT)
        recent = layered is not None
    elif pending:   # the same pending pages as the last build's: its changes bundle and layer stand
        outcome.keep += under(outputs, CHANGES + "/") + under(outputs, RECENT + "/")
    elif old or (live / CHANGES).exists() or (live / RECENT).exists():
        outcome.replaced += [CHANGES, RECENT]   # folded back to nothing (or left by an interrupted build)
    # The router's volume list tells the search page whether there is a changes bundle to merge, and a layer.
    if (staged / ROUTER / VOLUMES).is_file():
        point_router(staged, staged, bool(pending), recent)
    elif router_points(live) not in (None, (bool(pending), recent)):
        point_router(live, staged, bool(pending), recent)
    outcome.stats.seconds = time.perf_counter() - start
    return outcome


def ids_of(edition: Edition, vol: str) -> set[str]:
    """The ids of a volume's documents, made once a build (the search copy of the build finds them made)."""
    made = edition.memo.setdefault("search_ids", {})
    found = made.get(vol)
    if found is None:
        found = made[vol] = set(map(attrgetter("id"), edition.records.get(vol, [])))
    return found


def under(outputs: list[str], prefix: str) -> list[str]:
    """The outputs that start with ``prefix`` (ending in "/"): a slice of the list when it is sorted, as
    the manifest keeps it (16,000 files at 5,000 documents, looked at before Pagefind's command starts)."""
    if not is_sorted(outputs):
        return [o for o in outputs if o.startswith(prefix)]
    return outputs[bisect.bisect_left(outputs, prefix):bisect.bisect_left(outputs, prefix[:-1] + "0")]


def sort_positions(edition: Edition, keys: set[str]) -> dict[str, dict[str, int]]:
    """Each document's place in its volume's date order, as Pagefind sorts a volume bundle's pages:
    how many of the volume's dated documents come before it (those of the same date counted after)."""
    out: dict[str, dict[str, int]] = {}
    for vol in sorted({key.split("/")[0] for key in keys}):
        records = edition.records.get(vol, [])
        dates = sorted(r.date_min[:10] for r in records if r.date_min)
        for rec in records:
            if f"{vol}/{rec.id}" in keys and rec.date_min:
                out[f"{vol}/{rec.id}"] = {"date": bisect.bisect_left(dates, rec.date_min[:10])}
    return out


def _page(staged: Path, live: Path, key: str) -> Path:
    """A document's current page: this build's when it rendered it, else the live site's."""
    page = staged / key / "index.html"
    return page if page.is_file() else live / key / "index.html"
