"""A word's forms, as the router's shards and the search page's router (``assets/route.js``) take them.

A word's forms are its parts and the parts joined, folded (lower case, no accents), as Pagefind
indexes them. Porter's few stems that change the first letters are added as forms; a word with
letters outside a–z has the one form ``EVERY`` (it is put in every shard). The search page computes
the same forms; a test holds the two to each other.
"""

from __future__ import annotations

import re
import unicodedata

EVERY = "*"
# The English (Porter2) stemmer's exceptions whose stem begins otherwise than the word.
EXCEPTIONS = {"skies": "sky", "dying": "die", "lying": "lie", "tying": "tie"}
_SPLIT = re.compile(r"[^0-9a-z]+")
_AROUND = "".join(chr(c) for c in range(128) if not chr(c).isalnum())  # what _SPLIT splits on, in ASCII


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


def forms(word: str) -> set[str]:
    """A word's forms: its parts and the parts joined, folded (EVERY for a letter outside a–z, 0–9)."""
    folded = fold(word)
    if folded.isascii():
        # Most words are one part, with at most punctuation around it ("Berlin,"): that part is the form.
        # (Folding leaves capitals only where a character decomposes to them, "㎒" to "MHz": not a part.)
        part = folded.strip(_AROUND)
        if part.isalnum() and (part.islower() or part.isdigit()):
            return {part, EXCEPTIONS[part]} if part in EXCEPTIONS else {part}
    return _forms(folded)


def _forms(folded: str) -> set[str]:
    """The forms of a folded word, whatever its letters."""
    if not folded.isascii() and any(ord(c) > 127 and unicodedata.category(c)[0] in "LN" for c in folded):
        return {EVERY}  # its stem's first letters are not known here
    parts = [p for p in _SPLIT.split(folded) if p]
    found = parts + ["".join(parts)] + [EXCEPTIONS[p] for p in parts if p in EXCEPTIONS]
    return {form for form in found if form}

