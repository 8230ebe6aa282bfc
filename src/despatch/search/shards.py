"""Router shards: the router's words split into ranges, so that no one Pagefind run holds them all.

Pagefind needs about 1 KB of memory for every word it indexes, whatever the words: a router of one
record per volume holding all of that volume's words grows by some 9 MB a volume (360 MB at 40
volumes, about 5 GB for the 545 of FRUS). Past ``BUDGET`` words the router is written as several
bundles, each holding every volume's words whose forms fall in its alphabetical range; each bundle is
made by a Pagefind run of its own, one after another. The search page merges only the shards its words need.

A document word is written in the shard of each of its forms (``wordforms``). A query word meets a
document word in Pagefind when their stems are equal (or the query's is a prefix of the other's);
stems change only a word's ending, so the two begin with the same three letters, and the query looks
in every shard whose range meets its forms' first three letters.
"""

from __future__ import annotations

import bisect
import math
from typing import Any

from .wordforms import EVERY, forms

# Words (with their ranking repeats) one shard may hold: about 130 MB of one Pagefind run.
BUDGET = 120_000


def repeats(count: int) -> int:
    """How often a word is written in its volume's record: more for a word many documents hold (ranking)."""
    if 0 < count < 1 << 40:
        return count.bit_length()   # 1 + floor(log2(count)), without a float (the same below 2**40)
    return 1 + int(math.log2(count))


def assign(summaries: list[dict[str, Any]], budget: int = BUDGET) -> tuple[list[str], list[list[dict[str, int]]]]:
    """Where each shard's range of forms begins (the first is ''), ranges of at most ``budget`` words
    (a form's own words are never split), and each volume's words, with how many documents hold each,
    divided among the shards."""
    loads = Loads()
    for summary in summaries:
        loads.add(summary["words"])
    placer = Placer(loads.bounds(budget))
    return placer.bounds, [placer.split(summary["words"]) for summary in summaries]


# Words whose forms (and shards) are remembered: the words many volumes share, in bounded memory
# (at the scale of FRUS the distinct words of every volume would take gigabytes).
MEMO = 1 << 18


class Loads:
    """How many words (with their ranking repeats) each form holds over the volumes added so far.

    The router adds every volume's words here, one volume at a time, then learns the shards' bounds:
    no more than the forms' counts is held, whatever the number of volumes.
    """

    def __init__(self) -> None:
        self.load: dict[str, int] = {}
        self._memo: dict[str, tuple[str, ...]] = {}   # tuples: a third of a set's memory
        self._weight: dict[int, int] = {}

    def add(self, words: dict[str, int]) -> None:
        """Count one volume's words (with how many of its documents hold each)."""
        # Plain dictionaries and a memo per word and count: this runs over every volume's every word.
        memo, weight, load = self._memo, self._weight, self.load
        for word, count in words.items():
            found = memo.get(word)
            if found is None:
                if len(memo) >= MEMO:
                    memo.clear()
                found = memo[word] = tuple(forms(word))
            r = weight.get(count)
            if r is None:
                r = weight[count] = repeats(count)
            for form in found:
                load[form] = load.get(form, 0) + r

    def merge(self, load: dict[str, int]) -> None:
        """Count a volume whose words were counted elsewhere (``volume_load``): the sums are the same."""
        mine = self.load
        for form, count in load.items():
            mine[form] = mine.get(form, 0) + count

    def bounds(self, budget: int = BUDGET) -> list[str]:
        """Where each shard's range of forms begins (the first is ''), ranges of at most ``budget`` words."""
        load = self.load
        everywhere = load.get(EVERY, 0)
        bounds, held = [""], everywhere
        for form in sorted(load):
            if form == EVERY:
                continue
            if held + load[form] > budget and held > everywhere:
                bounds.append(form)
                held = everywhere
            held += load[form]
        return bounds


def volume_load(words: dict[str, int]) -> dict[str, int]:
    """What ``Loads.add`` counts of one volume's words, to be merged where the router is written."""
    loads = Loads()
    loads.add(words)
    return loads.load


class Placer:
    """Divides a volume's words among the shards whose bounds it is given."""

    def __init__(self, bounds: list[str]) -> None:
        self.bounds = bounds
        self._every = tuple(range(len(bounds)))
        self._one = [(i,) for i in range(len(bounds))]   # shared, not one tuple a word
        self._where: dict[str, tuple[int, ...]] = {}

    def shards(self, word: str) -> tuple[int, ...]:
        """The shards a word is written into, in order (none for a word of no form)."""
        found = self._where.get(word)
        if found is None:
            if len(self._where) >= MEMO:
                self._where.clear()
            of = [self._every if form == EVERY else self._one[bisect.bisect_right(self.bounds, form) - 1]
                  for form in forms(word)]
            found = self._where[word] = of[0] if len(of) == 1 else tuple(sorted({s for one in of for s in one}))
        return found

    def split(self, words: dict[str, int]) -> list[dict[str, int]]:
        """A volume's words (with their counts) by shard, each in the order given."""
        part: list[dict[str, int]] = [{} for _ in self.bounds]
        where = self.shards
        for word, count in words.items():
            for shard in where(word):
                part[shard][word] = count
        return part


def placed(word: str, bounds: list[str]) -> set[int]:
    """The shards a document word is written into: those whose ranges hold its forms."""
    out: set[int] = set()
    for form in forms(word):
        if form == EVERY:
            return set(range(len(bounds)))
        out.add(bisect.bisect_right(bounds, form) - 1)
    return out


def looked_up(word: str, bounds: list[str]) -> set[int]:
    """The shards a query word needs: every one whose range meets the first three letters of a form."""
    out: set[int] = set()
    for form in forms(word):
        if form == EVERY:
            return set(range(len(bounds)))
        start, end = form[:3], form[:3] + "\uffff"
        out.update(i for i, low in enumerate(bounds) if low <= end and (i + 1 == len(bounds) or bounds[i + 1] > start))
    return out
