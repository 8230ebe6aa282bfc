"""Parse what a source note says about a record besides where it is: classification, handling,
distribution ("Repeated to …", "Also sent to …") and drafting ("Drafted by …")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

CLASSIFICATIONS = ("Top Secret", "Secret", "Confidential", "Limited Official Use", "Official Use Only",
                   "Restricted", "Unclassified")
_CLASS = "|".join(re.escape(c) for c in CLASSIFICATIONS)
# Handling caveats are short capitalised phrases ("Limit Distribution", "Niact", "Eyes Only").
_HANDLING = r"[A-Z][\w’'/-]*(?:\s+[A-Za-z][\w’'/-]*){0,5}"
CLASS_SENTENCE = re.compile(
    rf"(?:^|[.:\[]\s*)(?P<cls>{_CLASS})(?P<rest>(?:;\s+{_HANDLING})*)(?=\.|\s\(|$)"
)
_ITEM = re.compile(_HANDLING)
_SENTENCE_END = r"(?<![\s.][A-Z])\.(?=\s|$)"
DISTRIBUTION = re.compile(rf"\b(?:Also\s+sent|Repeated|Sent|Pouched)\s+to\s(?:(?!{_SENTENCE_END}).)+", re.S)
_REPEATED_ALSO = re.compile(r"(?<=\S)\s+and\s+(?P<rep>repeated\s+to\s)")
DRAFTING = re.compile(rf"\bDrafted\b(?:(?!{_SENTENCE_END}).)+", re.S)


@dataclass(slots=True)
class Marked:
    """A phrase of the source note with its kind and span."""

    kind: str   # classification | handling | also-sent-to | repeated-to | drafting
    start: int
    end: int


def find_classification(text: str) -> list[Marked]:
    """The first classification sentence: its classification and each handling caveat."""
    m = CLASS_SENTENCE.search(text)
    if not m:
        return []
    out = [Marked("classification", m.start("cls"), m.end("cls"))]
    for item in _ITEM.finditer(text, m.start("rest"), m.end("rest")):
        out.append(Marked("handling", item.start(), item.end()))
    return out


def find_distribution(text: str) -> list[Marked]:
    """"Repeated to …" and "Also sent to … and repeated to …", each as its own phrase."""
    out: list[Marked] = []
    if not ("Also" in text or "Repeated" in text or "Sent" in text or "Pouched" in text):
        return out  # every match starts with one of these words: no search of a note without them
    for m in DISTRIBUTION.finditer(text):
        kind = "also-sent-to" if m.group().startswith(("Also", "Sent")) else "repeated-to"
        if m.group().startswith("Pouched"):
            kind = "pouched-to"
        split = _REPEATED_ALSO.search(m.group()) if kind == "also-sent-to" else None
        if split:
            out.append(Marked(kind, m.start(), m.start() + split.start()))
            out.append(Marked("repeated-to", m.start() + split.start("rep"), m.end()))
        else:
            out.append(Marked(kind, m.start(), m.end()))
    return out


def find_drafting(text: str) -> list[Marked]:
    """"Drafted by …" sentences (with their clearances and approvals)."""
    if "Drafted" not in text:
        return []  # the word every match starts with: most notes are not searched at all
    return [Marked("drafting", m.start(), m.end()) for m in DRAFTING.finditer(text)]


# Order matters: earlier finders win where spans would overlap.
FINDERS = (find_classification, find_distribution, find_drafting)


def find_marks(text: str, taken: list[tuple[int, int]]) -> list[Marked]:
    """Every mark in a source note's text that does not overlap ``taken`` spans (the citations)."""
    out: list[Marked] = []
    spans = list(taken)
    for finder in FINDERS:
        for mark in finder(text):
            if all(mark.end <= s or mark.start >= e for s, e in spans):
                out.append(mark)
                spans.append((mark.start, mark.end))
    return sorted(out, key=attrgetter("start"))
