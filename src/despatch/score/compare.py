"""The measures: one document's converted view against the official one."""

from __future__ import annotations

from collections import defaultdict

from ..apparatus.dates import bound_by_neighbours, parse_dateline, source_file_date
from .extract import DocView

CORE = ("converted", "text", "notes placed", "page breaks", "source notes", "titles",
        "signatures", "dates")


class Tally:
    """Passes and failures per measure, with what failed."""

    def __init__(self) -> None:
        self.good: dict[str, int] = defaultdict(int)
        self.all: dict[str, int] = defaultdict(int)
        self._failures: list[tuple[str, str, str]] = []
        self.losses: list[tuple[str, str]] = []
        self.suspect: list[tuple[str, str]] = []     # errors found in the edition's own data

    def ok(self, measure: str) -> None:
        self.good[measure] += 1
        self.all[measure] += 1

    def fail(self, measure: str, name: str, detail: str) -> None:
        self.all[measure] += 1
        self._failures.append((measure, name, detail))

    def check(self, measure: str, name: str, passed: bool, detail: str) -> None:
        if passed:
            self.ok(measure)
        else:
            self.fail(measure, name, detail)

    def counts(self, measure: str) -> tuple[int, int]:
        return self.good[measure], self.all[measure]

    def extra(self) -> list[str]:
        return [m for m in self.all if m not in CORE]

    def failures(self) -> list[tuple[str, str, str]]:
        return self._failures


def _diff(a: str, b: str) -> str:
    """Where two whitespace-free texts first differ, with some context."""
    k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"at character {k}: official …{a[max(k - 25, 0):k + 25]!r}… converted …{b[max(k - 25, 0):k + 25]!r}…"


def states_date(text: str, official: DocView) -> bool:
    """Whether the text states the date: a file-number date code in the source note, or a dateline
    (the copy format drops datelines, but older copies and other sources keep them)."""
    first_note = next((ln for ln in text.split("\n") if ln.startswith("  1. ")), "")
    if source_file_date(first_note[5:]) and official.notes.get("0"):
        return True
    return any(parse_dateline(ln) is not None for ln in text.split("\n")[1:4])


def compare(tally: Tally, name: str, off: DocView, mine: DocView, stated: bool) -> None:
    """Record every measure for one document."""
    tally.losses.extend((name, loss) for loss in off.losses)
    tally.check("text", name, off.body == mine.body, _diff(off.body, mine.body))
    for n in sorted(set(off.notes) | set(mine.notes), key=lambda s: (len(s), s)):
        o, m = off.notes.get(n), mine.notes.get(n)
        if o is None or m is None:
            tally.fail("notes placed", name, f"note {n} {'missing' if m is None else 'not in the official TEI'}")
        elif o[0] != m[0]:
            tally.fail("notes placed", name, f"note {n} at {m[0]}, official at {o[0]}: "
                       f"…{off.body[max(o[0] - 20, 0):o[0]]!r}⁽ⁿ⁾ vs …{mine.body[max(m[0] - 20, 0):m[0]]!r}⁽ⁿ⁾")
        else:
            tally.check("notes placed", name, o[1] == m[1], f"note {n} text: " + _diff(o[1], m[1]))
    for n in sorted(set(off.pages) | set(mine.pages)):
        o2, m2 = off.pages.get(n), mine.pages.get(n)
        tally.check("page breaks", name, o2 == m2, f"page {n} at {m2}, official at {o2}")
    tally.check("source notes", name, off.source_in_head == mine.source_in_head,
                f"source note in head: official {off.source_in_head}, converted {mine.source_in_head}")
    tally.check("titles", name, off.title == mine.title, f"{mine.title!r} vs official {off.title!r}")
    tally.check("signatures", name, off.signature == mine.signature,
                f"{mine.signature!r} vs official {off.signature!r}")
    if off.date and stated:
        tally.check("dates", name, off.date == mine.date, f"{mine.date} vs official {off.date}")
    if off.date:
        tally.check("dates, all", name, off.date == mine.date, f"{mine.date} vs official {off.date}")


def neighbour_hits(by_volume: dict[str, list[tuple[int, str, str | None, str | None]]],
                   official: dict[str, str | None]) -> tuple[int, int, list[str]]:
    """How often the official date of an undated document falls inside its neighbour range."""
    hits = total = 0
    misses: list[str] = []
    for docs in by_volume.values():
        docs.sort()
        ranges = bound_by_neighbours([(name, lo, hi) for _, name, lo, hi in docs])
        for name, (lo, hi) in sorted(ranges.items()):
            date = official.get(name)
            if not date:
                continue
            total += 1
            if lo[:10] <= date <= hi[:10]:
                hits += 1
            else:
                misses.append(f"{name}: official {date} outside {lo[:10]}..{hi[:10]}")
    return hits, total, misses
