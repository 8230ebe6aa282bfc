"""Inline markers that become elements: ``[Page 691]`` page breaks and ``[… not declassified]`` gaps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from ...errors import SourceError
from .source import Source, shorten

PAGE = re.compile(r"\[Page ([1-9][0-9]*|[ivxlcdm]+)\]")
# Anything that tries to be a page marker: "[page 12]", "[Page]", "[Page 12", "[Page xii ]".
PAGE_LIKE = re.compile(r"\[\s*[Pp][Aa][Gg][Ee]\b[^\]\n]{0,20}\]?")
# FRUS's editorial statements of withheld text: "[5 lines of source text not declassified]",
# "[name not declassified]", "[1–1/2 lines of source text not declassified]".
GAP = re.compile(r"\[(?!Source:)[^\[\]\n]{1,160}? not declassified\]")


@dataclass(slots=True)
class Marker:
    """A marker found in the source: kind 'pb' or 'gap', its span and its value."""

    kind: str
    start: int
    end: int
    value: str


def find_markers(src: Source, start: int, end: int) -> list[Marker]:
    """Every page and gap marker between two offsets, in order; malformed page markers are errors."""
    found: list[Marker] = []
    if src.text.find("[", start, end) == -1:
        return found  # every marker opens with '[': most notes have none
    bad: list[SourceError] = []
    for m in PAGE_LIKE.finditer(src.text, start, end):
        good = PAGE.match(src.text, m.start())
        if not good or good.end() > end:
            bad.append(src.error(m.start(), "malformed page marker", found=shorten(m.group(0)),
                                 expected="'[Page N]' with N a page number such as 691"))
            continue
        found.append(Marker("pb", good.start(), good.end(), good.group(1)))
    if bad:
        raise SourceError(*[d for e in bad for d in e.diagnostics])
    for m in GAP.finditer(src.text, start, end):
        found.append(Marker("gap", m.start(), m.end(), m.group(0)))
    found.sort(key=attrgetter("start"))
    return found


def check_page_order(src: Source, markers: list[Marker]) -> None:
    """Arabic page numbers must grow through a document; roman ones are front matter."""
    last: Marker | None = None
    for mk in markers:
        if mk.kind != "pb" or not mk.value.isdigit():
            continue
        if last is not None and int(mk.value) <= int(last.value):
            line = src.lineno(last.start)
            raise src.error(mk.start, f"page {mk.value} comes after page {last.value} (line {line})",
                            found=f"[Page {mk.value}]", expected=f"a page after {last.value}")
        last = mk
