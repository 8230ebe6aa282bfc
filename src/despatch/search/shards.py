"""Router shards: the router's words split by their first letters, so that no one Pagefind service holds them all.

Pagefind needs about 1 KB of memory for every word it indexes, whatever the words: a router of one
record per volume holding all of that volume's words grows by some 9 MB a volume (360 MB at 40
volumes, about 5 GB for the 545 of FRUS). Past ``BUDGET`` words the router is written as several
bundles, each holding every volume's words that begin with letters in its range; each bundle is made
by a service of its own, one after another. The search page merges only the shards its words need.

A query word meets a document word in Pagefind when their stems are equal (or the query's is a
prefix of the other's); stems change only a word's ending, so both begin with the same three letters,
which is the key that places a word in a shard. Porter's few stems that change the first letters
are listed; a word with letters outside a–z after folding accents is put in every shard. The same
keys are computed by the search page (``assets/route.js``); a test holds the two to each other.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from typing import Any

# Words (with their ranking repeats) one shard may hold: about 130 MB of one Pagefind service.
BUDGET = 120_000
EVERY = "*"
# The English (Porter2) stemmer's exceptions whose stem begins otherwise than the word.
EXCEPTIONS = {"skies": "sky", "dying": "die", "lying": "lie", "tying": "tie"}
_SPLIT = re.compile(r"[^0-9a-z]+")


class _Folding(dict[int, str]):
    """A translation table that folds each character the first time it is met (a word is mostly ASCII)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        self[code] = out = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
        return out


_FOLDING = _Folding()


def fold(text: str) -> str:
    """Lower case, then accents dropped (compatibility decomposition, marks removed), as route.js does."""
    low = text.lower()
    return low if low.isascii() else low.translate(_FOLDING)


def keys(word: str) -> set[str]:
    """The shard keys of a word: the first three letters of each of its parts and of the parts joined."""
    folded = fold(word)
    if not folded.isascii() and any(ord(c) > 127 and unicodedata.category(c)[0] in "LN" for c in folded):
        return {EVERY}  # a letter or digit outside a–z, 0–9: its stem's first letters are not known here
    parts = [p for p in _SPLIT.split(folded) if p]
    forms = parts + ["".join(parts)] + [EXCEPTIONS[p] for p in parts if p in EXCEPTIONS]
    return {form[:3] for form in forms if form}


def repeats(count: int) -> int:
    """How often a word is written in its volume's record: more for a word many documents hold (ranking)."""
    return 1 + int(math.log2(count))


def assign(summaries: list[dict[str, Any]], budget: int = BUDGET) -> tuple[list[str], list[list[dict[str, int]]]]:
    """Where each shard's range of keys begins (the first is ''), ranges of at most ``budget`` words,
    and each volume's words (with how many documents hold each) divided among the shards."""
    memo: dict[str, set[str]] = {}
    load: Counter[str] = Counter()
    for summary in summaries:
        for word, count in summary["words"].items():
            found = memo.get(word)
            if found is None:
                found = memo[word] = keys(word)
            for key in found:
                load[key] += repeats(count)
    everywhere = load.pop(EVERY, 0)
    bounds, held = [""], everywhere
    for key in sorted(load):
        if held + load[key] > budget and held > everywhere:
            bounds.append(key)
            held = everywhere
        held += load[key]
    places = {key: shards_for(key, bounds) for key in load}
    every = set(range(len(bounds)))
    parts: list[list[dict[str, int]]] = []
    for summary in summaries:
        part: list[dict[str, int]] = [{} for _ in bounds]
        for word, count in summary["words"].items():
            for key in memo[word]:
                for shard in (every if key == EVERY else places[key]):
                    part[shard][word] = count
        parts.append(part)
    return bounds, parts


def shards_for(key: str, bounds: list[str]) -> set[int]:
    """The shards of one key: the one whose range holds it, or for a key of one or two letters (a short
    word) every shard holding some key that begins with it."""
    if key == EVERY:
        return set(range(len(bounds)))
    if len(key) >= 3:
        return {bisect.bisect_right(bounds, key) - 1}
    end = key + "\uffff"
    return {i for i, start in enumerate(bounds) if start <= end and (i + 1 == len(bounds) or bounds[i + 1] > key)}


def shards_of(word: str, bounds: list[str]) -> set[int]:
    """The shards a word is written into (a document word) or looked up in (a query word)."""
    return set().union(*(shards_for(key, bounds) for key in keys(word)))
