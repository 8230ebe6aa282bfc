"""Note references: the numbers glued to the text, found by the sequence the notes list implies.

A reference is the note's number glued to the preceding character (``memcon.1``, ``State0``,
even ``telegram numbered 2181`` = telegram 218 + note 1). A blind digit pattern would take every
year and telegram number for a note, so each note is looked for in turn: candidates are the places
where its number is glued to a non-space character and not followed by a digit; each candidate has
a score (after a letter or closing punctuation it is a likely reference, after a digit a possible
one); the chosen places are the increasing sequence with the highest total score, the earliest on a
tie.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
from dataclasses import dataclass

from .markers import Marker
from .notes import NoteItem
from ...errors import SourceError
from .source import Source

CLOSING = set(".,;:!?)]}’”\"'»…%*")


@dataclass(frozen=True)
class Ref:
    """A note reference in the source: the note's number and its span."""

    n: int
    start: int
    end: int


def glue_score(text: str, pos: int, end: int, limit: int, spaced: bool = False) -> float:
    """How likely the digits at text[pos:end] are a glued note reference; 0 means impossible.

    With ``spaced``, a number after one space ("Dulles 0", as some copies show a note whose TEI
    has whitespace before it) is a faint candidate; it is only tried when glued ones do not do.
    """
    if pos == 0 or end > limit:
        return 0
    nxt = text[end] if end < limit else "\n"
    if nxt.isdigit() or nxt.isalpha():
        return 0
    prev = text[pos - 1]
    if prev == " " and spaced and pos >= 2 and (nxt.isspace() or nxt in CLOSING):
        before = text[pos - 2]
        return 0.5 if before.isalpha() or before in CLOSING else 0
    if prev.isspace():
        return 0
    if prev.isdigit():
        return 1
    if prev == "." and pos >= 2 and text[pos - 2].isdigit():
        return 2        # "Circular 64.1" is a reference; "11.5%" is not, and '%' settles that
    if prev in CLOSING or unicodedata.category(prev).startswith(("L", "M")):
        return 3
    return 0


def candidates(src: Source, n: int, spans: list[tuple[int, int]], masked: list[Marker],
               spaced: bool = False) -> list[tuple[int, float]]:
    """(offset, score) of every place where note ``n`` could be referenced within ``spans``."""
    token = str(n)
    text = src.text
    out: list[tuple[int, float]] = []
    if len(masked) <= 8:
        # A few markers (most texts): looking at each costs less than sorting them.
        def is_masked(pos: int) -> bool:
            return any(m.start <= pos < m.end for m in masked)
    else:
        # Masked markers sorted by start: a bisect finds the one that could cover an offset, so a
        # text with thousands of [Page N] markers is not scanned marker by marker for every digit.
        ordered = sorted((m.start, m.end) for m in masked)
        starts = [a for a, _ in ordered]
        reach = list(itertools.accumulate((b for _, b in ordered), max))

        def is_masked(pos: int) -> bool:
            k = bisect.bisect_right(starts, pos)
            return k > 0 and reach[k - 1] > pos

    size = len(token)
    for start, end in spans:
        pos = text.find(token, start, end)
        while pos != -1:
            stop = pos + size
            # A digit or letter right after rules the place out (glue_score's first test): most
            # finds are inside longer numbers, and are passed over without a call.
            if stop < end and (text[stop].isdigit() or text[stop].isalpha()):
                pos = text.find(token, pos + 1, end)
                continue
            if stop <= end:
                score = glue_score(text, pos, stop, end, spaced)
                if score and not is_masked(pos):
                    out.append((pos, score))
            pos = text.find(token, pos + 1, end)
    return out


def resolve(src: Source, numbers: list[int], spans: list[tuple[int, int]], masked: list[Marker],
            notes: list[NoteItem], first_note: int) -> list[Ref]:
    """Place references for ``numbers`` (consecutive note numbers) in order within ``spans``."""
    if not numbers:
        return []
    try:
        return _resolve(src, numbers, spans, masked, notes, first_note, False)
    except SourceError as exc:
        try:
            return _resolve(src, numbers, spans, masked, notes, first_note, True)
        except SourceError:
            raise exc from None


def _resolve(src: Source, numbers: list[int], spans: list[tuple[int, int]], masked: list[Marker],
             notes: list[NoteItem], first_note: int, spaced: bool) -> list[Ref]:
    cands = [candidates(src, n, spans, masked, spaced) for n in numbers]
    if all(len(c) == 1 for c in cands):
        # One place for each note (the usual case): if they follow each other, they are the only
        # sequence there is, the one the search would find.
        places = [c[0][0] for c in cands]
        if all(places[i + 1] >= places[i] + len(str(numbers[i])) for i in range(len(numbers) - 1)):
            return [Ref(n, pos, pos + len(str(n))) for n, pos in zip(numbers, places)]
    return _search(src, numbers, cands, notes, first_note)


def _search(src: Source, numbers: list[int], cands: list[list[tuple[int, float]]], notes: list[NoteItem],
            first_note: int) -> list[Ref]:
    """The best-scoring increasing sequence of places, one from each note's candidates (an error if none)."""
    # f[i][j]: best total score of notes i.. when note i sits at cands[i][j]; suffix maxima let
    # each step look up "best placement of the next note after this offset" in log time.
    inf = float("-inf")
    f: list[list[float]] = [[] for _ in numbers]
    suffix: list[list[float]] = [[] for _ in numbers]
    for i in range(len(numbers) - 1, -1, -1):
        nxt_pos = [p for p, _ in cands[i + 1]] if i + 1 < len(numbers) else []
        for pos, score in cands[i]:
            if i + 1 == len(numbers):
                f[i].append(score)
                continue
            k = bisect.bisect_left(nxt_pos, pos + len(str(numbers[i])))
            rest = suffix[i + 1][k] if k < len(nxt_pos) else inf
            f[i].append(score + rest)
        suffix[i] = [inf] * (len(f[i]) + 1)
        for j in range(len(f[i]) - 1, -1, -1):
            suffix[i][j] = max(f[i][j], suffix[i][j + 1])
    refs: list[Ref] = []
    after = -1
    for i, n in enumerate(numbers):
        feasible = [(j, v) for j, v in enumerate(f[i]) if cands[i][j][0] > after and v > inf]
        if not feasible:
            _missing(src, numbers, cands, i, refs, notes, first_note)
        best = max(v for _, v in feasible)
        j = next(j for j, v in feasible if v == best)
        pos = cands[i][j][0]
        refs.append(Ref(n, pos, pos + len(str(n))))
        after = pos + len(str(n)) - 1
    return refs


def _missing(src: Source, numbers: list[int], cands: list[list[tuple[int, float]]], i: int,
             refs: list[Ref], notes: list[NoteItem], first_note: int) -> None:
    """Raise the error for the first note that cannot be placed after the ones before it."""
    # Find the first note that has no candidate after the earliest possible place of the previous.
    after = -1
    for k, n in enumerate(numbers):
        later = [p for p, _ in cands[k] if p > after]
        if not later:
            item = notes[n - first_note]
            prev = f" after the reference to note {numbers[k - 1]} (line {src.lineno(after)})" \
                if k else ""
            raise src.error(item.start, f"note {n} is never referenced in the text{prev}",
                            found=f"notes list item {item.number} with no reference '{n}'",
                            expected=f"the number {n} glued to the word it annotates, as in 'memcon.{n}'")
        after = later[0] + len(str(n)) - 1
    raise src.error(notes[numbers[i] - first_note].start, "note references are out of order",
                    expected="references numbered in sequence")


def check_unlisted(src: Source, spans: list[tuple[int, int]], masked: list[Marker], n: int,
                   after: int) -> None:
    """A reference to note ``n`` (one past the last note) glued after punctuation is missing its note."""
    text = src.text
    for pos, _ in candidates(src, n, spans, masked):
        if pos > after and text[pos - 1] in ".,;:”’)" and not text[pos - 2:pos - 1].isdigit():
            raise src.error(pos, f"reference {n} has no note in the notes list",
                            found=f"'{text[max(pos - 12, 0):pos + len(str(n))]}'",
                            expected=f"note {n} in the notes list at the end of the file")
