"""Writing the edition's router: every volume's words counted, then each volume's records written into
the shards, one volume at a time.

At the scale of FRUS (545 volumes) the volumes' words, the forms of every distinct word and each
volume's share of each shard held together took more than a gigabyte at the end of a build. Here the
first pass keeps only how many words each form holds (the shards' bounds come from that), and the
second reads the volumes' summaries again, unless they were few enough to keep, and writes each one's
records as pages for the shards' Pagefind runs before it reads the next. In a full build both passes'
work on a volume's words is done where the volume is indexed (``prepared``): here it is only merged.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import shards
from .command import AT_ONCE, SearchError, bundle
from .prepared import Prepared, Stash, prepare
from .router import (
    BODY,
    DIGESTS,
    RECORDS,
    ROUTER,
    VOLUMES,
    digests,
    record_of,
    record_page,
    records_file,
    records_of,
    reusable,
    shard_dir,
    volume_list,
)
from .summary import read_summary

# Words of the volumes' summaries kept in memory between the two passes (about 100 bytes each); past
# it the second pass reads them again.
HOLD = 1_000_000


class Counted:
    """What the volumes' indexing made for the router: their words' counts, and their words prepared."""

    def __init__(self) -> None:
        self.loads = shards.Loads()
        self.done: set[str] = set()
        self.stash = Stash()

    def add(self, volume: str, load: dict[str, int], ready: bytes) -> None:
        """One volume's counts (``prepared.prepare``'s load) and its prepared words, pickled."""
        self.loads.merge(load)
        self.done.add(volume)
        self.stash.put(volume, ready)


def write_router(site_dir: Path, volumes: list[str], previous: Path | None = None,
                 counted: Counted | None = None) -> int:
    """Write the router bundle at ``site_dir/pagefind/`` for ``volumes``; returns how many it covers.

    A volume with no summary in ``site_dir`` (nor in ``previous``) is left out; the search page then
    falls back to loading every volume, which is slow but never misses a match. ``counted``: the
    volumes whose words were counted and prepared as each was indexed (their summaries are not read here).
    """
    out = site_dir / ROUTER
    if previous is not None and reusable(site_dir, volumes, previous):
        if (previous / ROUTER).resolve() != out.resolve():
            shutil.rmtree(out, ignore_errors=True)
            shutil.copytree(previous / ROUTER, out)
        return len(volumes)
    shutil.rmtree(out, ignore_errors=True)   # Pagefind's file names are hashes: old ones would linger
    roots = [site_dir] + ([previous] if previous is not None else [])
    counted = counted if counted is not None else Counted()
    loads, done, stash = counted.loads, frozenset(counted.done), counted.stash
    try:
        return _write(out, volumes, roots, loads, done, stash)
    finally:
        stash.close()


def _write(out: Path, volumes: list[str], roots: list[Path], loads: shards.Loads, done: frozenset[str],
           stash: Stash) -> int:
    present: list[str] = []
    kept: dict[str, dict[str, Any]] | None = {}
    words = 0
    for volume in volumes:
        if volume in stash:       # counted and prepared as it was indexed
            present.append(volume)
            continue
        summary = read_summary(volume, roots)
        if summary is None:
            continue
        present.append(volume)
        if volume not in done:
            loads.add(summary["words"])
        words += len(summary["words"])
        if kept is not None:
            kept[volume] = summary
            if words > HOLD:
                kept = None
    if not present:
        return 0
    if not done <= set(present):
        # A volume counted as it was indexed has no summary now: count the volumes that have one anew.
        stash.close()
        loads, kept = shards.Loads(), None
        for volume in present:
            loads.add(_again(volume, roots)["words"])
    bounds = loads.bounds(shards.BUDGET)
    del loads
    with tempfile.TemporaryDirectory(prefix="despatch-router-") as tmp:
        # One folder of pages a shard (or one for an unsharded router), each a Pagefind run's site.
        sites = [Path(tmp) / shard_dir(i) for i in range(len(bounds))] if len(bounds) > 1 else [Path(tmp) / "all"]
        listed = []
        for volume in present:
            summary = kept.pop(volume, None) if kept is not None else None
            if volume in stash:
                ready = stash.take(volume)
            else:
                ready = prepare(summary if summary is not None else _again(volume, roots))[1]
            listed.append(_write_pages(ready, sites, bounds))
        targets = [out / shard_dir(i) for i in range(len(bounds))] if len(bounds) > 1 else [out]
        # ``AT_ONCE`` shards at a time, as the last volumes are indexed; each holds at most BUDGET words.
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            list(pool.map(lambda pair: bundle(pair[0], pair[1], "the search router"), zip(sites, targets)))
        order = [light["volume"] for light in listed]
        for target, records in zip(targets, unique_records(sites, targets)):
            _write_json(target / RECORDS, records_file(records, order))
    _write_json(out / VOLUMES, volume_list(listed, bounds if len(bounds) > 1 else None))
    _write_json(out / DIGESTS, digests(listed))
    return len(listed)


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def unique_records(sites: list[Path], targets: list[Path]) -> list[dict[str, str]]:
    """Each router folder's records (id → volume), no id in two folders.

    The search page maps the ids of the records a query finds to their volumes, over the shards it merged.
    Pagefind's ids are hashes of 28 bits, unique within one bundle: at the scale of FRUS (some 50,000
    records in a hundred shards) a few would be shared. A record whose id an earlier folder holds is
    written again with a salt and its folder indexed again, until none is shared.
    """
    found = [records_of(target) for target in targets]
    for salt in range(1, SALTS + 2):
        shared = _shared(found)
        if not shared:
            return found
        if salt > SALTS:
            break
        for i, volumes in sorted(shared.items()):
            for volume in volumes:
                page = sites[i] / volume / "index.html"
                page.write_text(page.read_text(encoding="utf-8").replace(
                    BODY, f'{BODY}<span data-pagefind-meta="salt:{salt}"></span>', 1), encoding="utf-8")
            shutil.rmtree(targets[i])  # Pagefind's file names are hashes: the folder's old files would linger
            bundle(sites[i], targets[i], "the search router")
            found[i] = records_of(targets[i])  # the others' stand: at the scale of FRUS, 55,000 fragments
    raise SearchError.at(str(targets[0]), 1, 1, f"the search router's record ids are still shared after {SALTS} salts")


def _shared(found: list[dict[str, str]]) -> dict[int, list[str]]:
    """By folder, its volumes whose record's id an earlier folder's record has."""
    owner: dict[str, int] = {}
    shared: dict[int, list[str]] = {}
    for i, records in enumerate(found):
        for rid, volume in records.items():
            if owner.setdefault(rid, i) != i:
                shared.setdefault(i, []).append(volume)
    return shared


# Salts tried for a shared record id. Each gives a new random hash, which meets one of the 55,000 others
# of all FRUS once in about 5,000: eight in a row do not happen.
SALTS = 8


def _again(volume: str, roots: list[Path]) -> dict[str, Any]:
    """A volume's summary read a second time (it was there a moment ago)."""
    summary = read_summary(volume, roots)
    if summary is None:
        raise FileNotFoundError(f"the search summary of {volume} is gone")
    return summary


def _write_pages(ready: Prepared, sites: list[Path], bounds: list[str]) -> dict[str, Any]:
    """The volume's router records as pages, one in each shard that holds some of its words (every volume
    has one in the first shard, which answers searches by filters alone); returns what the list needs."""
    volume = ready.light["volume"]
    if len(bounds) == 1:
        _page(sites[0], volume, record_of(ready.light, ready.text()))
    else:
        for i, text in enumerate(ready.shares(bounds)):
            if i == 0:
                _page(sites[0], volume, record_of(ready.light, f"{text or ''} {volume}".strip()))
            elif text is not None:
                _page(sites[i], volume, record_of(ready.light, text))
    return ready.light


def _page(site: Path, volume: str, rec: dict[str, Any]) -> None:
    page = site / volume / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(record_page(rec), encoding="utf-8")
