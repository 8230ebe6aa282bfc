"""A volume's search summary: its words and filter counts read back from its written Pagefind bundle,
kept beside it with its pages' places, so an incremental build reads the other volumes' summaries, not
their pages."""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from .fragments import fields

# Beside each volume's bundle: its words and filter counts (gzip-compressed JSON, reproducible bytes).
SUMMARY = "despatch-summary.json.gz"
# Beside it: each page's fragment id and filters by URL, so an edit's build finds a document's old page
# without opening the volume's fragments one by one (see ``changes.old_pages``).
PAGES = "despatch-pages.json.gz"
# What a volume's summary and its pages' places take of each fragment.
_SUMMARIZED = frozenset({"url", "content", "filters"})


def read_fragment(path: Path) -> dict[str, Any]:
    """One Pagefind page fragment: gzip-compressed JSON behind a short signature."""
    data = gzip.decompress(path.read_bytes())
    return json.loads(data[data.index(b"{"):])


def tokens(content: str) -> set[str]:
    """A page's words as Pagefind received them, lowered: whitespace tokens, which it splits, strips and
    stems the same way again."""
    # Lowered whole, then split (a fifth of a volume's summary less): no character lowers to whitespace
    # or from it, so these are the tokens of ``{t.lower() for t in content.split()}``.
    return set(content.lower().split())


def summarize(bundle: Path, volume: str) -> dict[str, Any]:
    """A volume's words (with how many of its documents hold each) and filter counts, from its fragments."""
    return _read_bundle(bundle, volume)[0]


def _read_bundle(bundle: Path, volume: str) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The volume's summary, and each page's [fragment id, sorted filters] by URL (the first fragment of a URL)."""
    words: Counter[str] = Counter()
    filters: dict[str, dict[str, int]] = {}
    located: dict[str, list[Any]] = {}
    pages = 0
    folder = bundle / "fragment"
    # By name (one folder: the order of their paths), without comparing paths in Python.
    names = os.listdir(folder) if folder.is_dir() else []
    for name in sorted(n for n in names if n.endswith(".pf_fragment") and not n.startswith(".")):
        path = folder / name
        fragment = fields(path, _SUMMARIZED)
        pages += 1
        words.update(tokens(fragment.get("content", "")))
        given = fragment.get("filters", {})
        for key, values in given.items():
            counts = filters.get(key)
            if counts is None:
                counts = filters[key] = {}
            for value in set(values):
                counts[value] = counts.get(value, 0) + 1
        url = fragment.get("url")
        if isinstance(url, str) and url not in located:
            located[url] = [path.stem, dict(zip(given.keys(), map(sorted, given.values())))]
    ordered = sorted(words)   # the words alone: faster than their (word, count) pairs, the same order
    summary = {"volume": volume, "pages": pages, "words": dict(zip(ordered, map(words.__getitem__, ordered))),
               "filters": {k: dict(sorted(c.items())) for k, c in sorted(filters.items())}}
    return summary, located


def write_summary(bundle: Path, volume: str) -> dict[str, Any]:
    """Summarize a written volume bundle into ``bundle/SUMMARY``, and its pages' places into ``bundle/PAGES``;
    returns the summary."""
    summary, located = _read_bundle(bundle, volume)
    for name, value in ((SUMMARY, summary), (PAGES, located)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        (bundle / name).write_bytes(gzip.compress(text.encode("utf-8"), 6, mtime=0))
    return summary


def read_pages(bundle: Path) -> dict[str, list[Any]] | None:
    """The pages' places a bundle's ``PAGES`` holds (None when it has none: a bundle written before them)."""
    try:
        found = json.loads(gzip.decompress((bundle / PAGES).read_bytes()))
    except (OSError, ValueError, EOFError):
        return None
    return found if isinstance(found, dict) else None


def read_summary(volume: str, roots: list[Path]) -> dict[str, Any] | None:
    """A volume's summary from the first root that has one (this build's output, then the previous site)."""
    for root in roots:
        path = root / volume / "pagefind" / SUMMARY
        if path.is_file():
            return json.loads(gzip.decompress(path.read_bytes()))
    return None
