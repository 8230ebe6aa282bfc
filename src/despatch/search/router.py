"""The edition's search router: one small Pagefind bundle at the site root with one record per volume.

A first search asks the router which volumes hold the query's words (Pagefind's own tokens, stems and
prefix matching, so a volume it names is exactly one whose bundle can match), then loads only those
volumes' bundles. Each volume's words are read back from its written bundle into a summary kept
beside it, so an incremental build that re-indexes one volume reads the others' summaries, not their pages.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from .fragments import fields
from .shards import repeats
from .summary import read_summary

# The router's folder at the site root, and the file the search page reads before anything else.
ROUTER = "pagefind"
VOLUMES = "despatch-volumes.json"
# In each of the router's folders (its shards, or the router itself): its records' ids, one a volume in the
# volume list's order ('' where the folder has none), read by the search page with the folder, so that a
# first search reads those of the shards it merges.
RECORDS = "despatch-records.json"
# Beside the volume list, for the build alone: what the router took from each volume, hashed, so that an
# incremental build knows whether the router still fits. (At the scale of FRUS these digests were half of
# the list's compressed bytes, which every first search fetched.)
DIGESTS = "despatch-digests.json"
# The filter every router record carries: a search of documents leaves out the pages that have it, one
# of the router asks for them (Pagefind's ids are short hashes that a document's may share).
ROUTED = ("despatch", "router")
# A volume's words are repeated by the logarithm of how many of its documents hold them, so Pagefind's
# ranking puts a volume where many documents use a word before one where a single note mentions it.
UNDATED = ("9999", "0000")
# What the volume list takes of each fragment.
_URL = frozenset({"url"})


def record(summary: dict[str, Any], words: dict[str, int] | None = None, extra: str = "") -> dict[str, Any]:
    """The router record of one volume: its words (or ``words``, a shard's share), its filter values,
    and its years as sort keys."""
    content = " ".join(" ".join([word] * repeats(count))
                       for word, count in (summary["words"] if words is None else words).items())
    return record_of(summary, f"{content} {extra}".strip() if extra else content)


def record_of(summary: dict[str, Any], content: str) -> dict[str, Any]:
    """The router record of one volume (``summary``: its id and filters) holding the words ``content``."""
    filters = {key: sorted(values) for key, values in summary["filters"].items()}
    years = filters.get("year") or []
    filters[ROUTED[0]] = [ROUTED[1]]
    sort = {"first": min(years, default=UNDATED[0]), "last": max(years, default=UNDATED[1])}
    return {"url": f"/{summary['volume']}/", "content": content, "language": "en",
            "meta": {"volume": summary["volume"]}, "filters": filters, "sort": sort}


def record_page(rec: dict[str, Any]) -> str:
    """A router record as the page Pagefind reads it from: words, filters, sort keys and meta."""
    keys = [f'<span data-pagefind-filter="{escape(k)}:{escape(v)}"></span>' for k, vs in rec["filters"].items() for v in vs]
    keys += [f'<span data-pagefind-sort="{escape(k)}:{escape(v)}"></span>' for k, v in rec["sort"].items()]
    keys += [f'<span data-pagefind-meta="{escape(k)}:{escape(v)}"></span>' for k, v in rec["meta"].items()]
    return (f'<!doctype html><html lang="en"><body>{BODY}{"".join(keys)}'
            f'<p>{escape(rec["content"])}</p></main></body></html>')


BODY = "<main data-pagefind-body>"  # where a record page's indexed part begins


def facets(summaries: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Documents per filter value over the whole edition (the search page's filter panel)."""
    out: dict[str, Counter[str]] = {}
    for summary in summaries:
        for key, counts in summary["filters"].items():
            out.setdefault(key, Counter()).update(counts)
    return {k: dict(sorted(c.items())) for k, c in sorted(out.items())}


def volume_list(summaries: list[dict[str, Any]], bounds: list[str] | None = None) -> dict[str, Any]:
    """What the search page reads first: the volumes the router covers, the facets, and where each shard's
    range of words begins. ``summaries``: each volume's id, pages and filters (``light``), not its words.
    (Its records' ids are in each router folder's ``RECORDS``: at the scale of FRUS, every volume has a
    record in each of about a hundred shards.)"""
    volumes = [{"id": s["volume"], "pages": s["pages"], "title": title_of(s)} for s in summaries]
    listing = {"volumes": volumes, "facets": facets(summaries)}
    # Where every volume's pages carry its title as their volume filter, that facet is the volumes' titles
    # and pages again: the search page makes it from them (at the scale of FRUS, a third of the list).
    if all(s["filters"].get("volume") == {v["title"]: v["pages"]} for s, v in zip(summaries, volumes)):
        listing["facets"].pop("volume", None)
    if bounds:
        listing["shards"] = [{"from": start, "path": shard_dir(i)} for i, start in enumerate(bounds)]
    return listing


def title_of(summary: dict[str, Any]) -> str:
    """A volume's title as its pages' volume filter gives it (its id, if they give none)."""
    return (sorted(summary["filters"].get("volume", {})) or [summary["volume"]])[0]


def digests(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The build's own file beside the volume list: the volumes, in its order, each with its ``digest``."""
    return {"volumes": [[s["volume"], s["digest"]] for s in summaries]}


def records_of(folder: Path) -> dict[str, str]:
    """The ids of the router records in a router folder, each with its volume (read from the fragments)."""
    return {path.stem: fields(path, _URL)["url"].strip("/")  # not its words: the URL comes first
            for path in sorted((folder / "fragment").glob("*.pf_fragment"))}


def records_file(records: dict[str, str], volumes: list[str]) -> list[str]:
    """A router folder's ``RECORDS``: its record's id for each volume of the list, in order ('' for none).
    A folder holds at most one record a volume (its page is named by the volume)."""
    ids = {volume: rid for rid, volume in records.items()}
    return [ids.get(volume, "") for volume in volumes]


def light(summary: dict[str, Any], content: str | None = None) -> dict[str, Any]:
    """What the volume list needs of a volume's summary: all but its words, and their digest (``content``:
    its whole record's text, if known)."""
    return {"volume": summary["volume"], "pages": summary["pages"], "filters": summary["filters"],
            "digest": digest(summary, content)}


def shard_dir(index: int) -> str:
    """A shard's folder inside the router's."""
    return f"s{index}/"


def digest(summary: dict[str, Any], content: str | None = None) -> str:
    """What the router takes from one volume (its record and its filter counts), hashed (``content``: its
    whole record's text, if known)."""
    rec = record(summary) if content is None else record_of(summary, content)
    text = json.dumps([rec, summary["filters"], summary["pages"]], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def reusable(site_dir: Path, volumes: list[str], previous: Path | None) -> bool:
    """Whether the previous build's router still fits: same volumes, and the re-indexed ones route as before.

    An edit rarely adds a word its volume did not have, so most incremental builds copy the router
    instead of indexing every volume's words again.
    """
    listed = previous / ROUTER / DIGESTS if previous is not None else None
    if listed is None or not listed.is_file():
        return False    # no router, or one written before its digests had a file of their own
    before = dict(json.loads(listed.read_text(encoding="utf-8"))["volumes"])
    if list(before) != volumes:
        return False
    for volume in volumes:
        summary = read_summary(volume, [site_dir])
        if summary is not None and digest(summary) != before[volume]:
            return False
    return True
