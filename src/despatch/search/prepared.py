"""A volume's words made ready for the router where the volume is indexed, so the router's end only merges.

The router's second pass divides each volume's words among the shards, by the shards' bounds (known
only once every volume is counted) and each word's forms (known from the word alone). The forms, the
words' repeated text and the volume's digest are worked out by the process that indexes the volume,
with its words' counts for the first pass; the end then finds each shard's share of a volume by a few
bisections of its forms in order, and joins the share's text, without looking at a word on its own.
"""

from __future__ import annotations

import bisect
import pickle
import tempfile
from dataclasses import dataclass
from typing import Any

from .router import light
from .shards import repeats
from .wordforms import EVERY, EXCEPTIONS, forms

# Prepared volumes held in memory (pickled) until the router is written; past it they wait in a file.
HOLD_BYTES = 128 << 20


@dataclass(slots=True)
class Prepared:
    """One volume's words as the router's second pass takes them."""

    light: dict[str, Any]      # what the volume list needs (``router.light``)
    pieces: list[str]          # each word written as its record holds it (repeated), in the summary's order
    positions: list[int]       # the words of one form, by form: where each is in ``pieces``
    forms: list[str]           # the form of each of those, in order
    several: list[tuple[int, tuple[str, ...]]]  # the other words: where each is, and its forms (sorted)

    def text(self) -> str:
        """The text of the volume's whole record (an unsharded router)."""
        return " ".join(self.pieces)

    def shares(self, bounds: list[str]) -> list[str | None]:
        """The text of the volume's share of each shard whose ranges begin at ``bounds`` (None: no word),
        its words in the summary's order as ``shards.Placer.split`` gives them."""
        count = len(bounds)
        cuts = [0] + [bisect.bisect_left(self.forms, low) for low in bounds[1:]] + [len(self.forms)]
        extra: list[list[int]] = [[] for _ in bounds]
        for at, found in self.several:
            if EVERY in found:
                targets: Any = range(count)
            else:
                targets = {bisect.bisect_right(bounds, form) - 1 for form in found}
            for shard in targets:
                extra[shard].append(at)
        out: list[str | None] = []
        pieces = self.pieces
        for shard in range(count):
            # A shard's words come in the order of their forms: put back in the summary's order.
            at = sorted(self.positions[cuts[shard]:cuts[shard + 1]] + extra[shard])
            out.append(" ".join(map(pieces.__getitem__, at)) if at else None)
        return out


def prepare(summary: dict[str, Any]) -> tuple[dict[str, int], Prepared]:
    """A volume's words counted for the router's first pass (as ``shards.volume_load``), and made ready
    for its second."""
    load: dict[str, int] = {}
    weight: dict[int, int] = {}
    pieces: list[str] = []
    single: list[str] = []       # the form of each word of one form
    at_single: list[int] = []    # and where the word is
    several: list[tuple[int, tuple[str, ...]]] = []
    for at, (word, count) in enumerate(summary["words"].items()):
        r = weight.get(count)
        if r is None:
            r = weight[count] = repeats(count)
        pieces.append(word if r == 1 else " ".join([word] * r))
        # A word of lower-case letters and digits is its one form (as ``wordforms.forms`` finds), without a call.
        if word.isascii() and word.isalnum() and (word.islower() or word.isdigit()) and word not in EXCEPTIONS:
            load[word] = load.get(word, 0) + r
            single.append(word)
            at_single.append(at)
            continue
        found = forms(word)
        for form in found:
            load[form] = load.get(form, 0) + r
        if len(found) == 1 and EVERY not in found:
            single.append(next(iter(found)))
            at_single.append(at)
        else:
            several.append((at, tuple(sorted(found))))
    # By form; words of one form stay in the summary's order (a stable sort).
    order = sorted(range(len(single)), key=single.__getitem__)
    ready = Prepared({}, pieces, list(map(at_single.__getitem__, order)), list(map(single.__getitem__, order)), several)
    ready.light = light(summary, ready.text())
    return load, ready


def prepared_bytes(summary: dict[str, Any]) -> tuple[dict[str, int], bytes]:
    """``prepare``, the prepared volume pickled (as an indexing process sends it and the build keeps it)."""
    load, ready = prepare(summary)
    return load, pickle.dumps(ready, protocol=pickle.HIGHEST_PROTOCOL)


class Stash:
    """Prepared volumes kept for the router's end: in memory up to ``HOLD_BYTES``, then in a file."""

    def __init__(self) -> None:
        self._held: dict[str, bytes | tuple[int, int]] = {}
        self._bytes = 0
        self._file: Any = None

    def __contains__(self, volume: str) -> bool:
        return volume in self._held

    def put(self, volume: str, data: bytes) -> None:
        """Keep one volume's prepared words (pickled)."""
        if self._bytes + len(data) <= HOLD_BYTES:
            self._held[volume] = data
            self._bytes += len(data)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="despatch-router-")  # noqa: SIM115 (open until close())
        self._file.seek(0, 2)
        self._held[volume] = (self._file.tell(), len(data))
        self._file.write(data)

    def take(self, volume: str) -> Prepared:
        """A kept volume's prepared words, let go of here."""
        held = self._held.pop(volume)
        if isinstance(held, tuple):
            self._file.seek(held[0])
            held = self._file.read(held[1])
        else:
            self._bytes -= len(held)
        ready = pickle.loads(held)
        if not isinstance(ready, Prepared):
            raise TypeError(f"not a prepared volume: {type(ready).__name__}")
        return ready

    def close(self) -> None:
        """Let go of every volume kept."""
        self._held.clear()
        self._bytes = 0
        if self._file is not None:
            self._file.close()
            self._file = None
