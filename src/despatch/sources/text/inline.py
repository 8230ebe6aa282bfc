"""Inline content: text with note references, page breaks and gaps turned into elements."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from lxml import etree

from ...tei.xmlio import XML_ID, t
from .source import Source

_PB, _GAP, _DESC = t("pb"), t("gap"), t("desc")
_START = attrgetter("start")  # a sort key without a Python call an item
GAP_SIZE = re.compile(r"\[(\d+) (lines?|pages?|paragraphs?|words?|sentences?) of source text")


@dataclass(slots=True)
class Event:
    """Something at a place in the text that becomes an element: 'note', 'pb' or 'gap'."""

    kind: str
    start: int
    end: int
    value: str          # the note's number, the page number, the gap's printed words


class Inline:
    """Renders spans of the source into an element, turning events into elements as they come."""

    def __init__(self, src: Source, events: list[Event],
                 make_note: Callable[[etree._Element, str], etree._Element],
                 record: Callable[[str, int], None]) -> None:
        self.src = src
        self.events = sorted(events, key=_START)
        self.starts = [e.start for e in self.events]
        self.make_note = make_note
        self.record = record

    def close(self) -> None:
        """Drop the callbacks, which usually refer back to this renderer: no cycle outlives a document."""
        del self.make_note, self.record

    def busy(self, start: int, end: int) -> bool:
        """Whether any event lies inside the span."""
        k = bisect.bisect_left(self.starts, start)
        return k < len(self.starts) and self.starts[k] < end

    def render(self, parent: etree._Element, start: int, end: int) -> None:
        """Append the text of ``src.text[start:end]`` to ``parent``, events as elements."""
        text = self.src.text
        pos = start
        k = bisect.bisect_left(self.starts, start)
        if (k == len(self.starts) or self.starts[k] >= end) and not len(parent) and parent.text is None:
            parent.text = text[start:end] or None  # no event in the span (most paragraphs)
            return
        while k < len(self.events) and self.events[k].start < end:
            ev = self.events[k]
            append_text(parent, text[pos:ev.start])
            self._element(parent, ev)
            pos = ev.end
            # The marker " [Page 691] " stands in running text with a space on each side; TEI puts
            # the pb after the first space ("nuclear <pb/>storage"), so the second one is the marker's.
            if ev.kind == "pb" and text[pos:pos + 1] == " " and (ev.start == start or text[ev.start - 1].isspace()):
                pos += 1
            k += 1
        append_text(parent, text[pos:end])

    def fill(self, parent: etree._Element, start: int, end: int) -> None:
        """``render`` into an element just made, which has neither text nor children to check for."""
        k = bisect.bisect_left(self.starts, start)
        if k == len(self.starts) or self.starts[k] >= end:
            parent.text = self.src.text[start:end] or None  # no event in the span (most paragraphs)
        else:
            self.render(parent, start, end)

    def _element(self, parent: etree._Element, ev: Event) -> etree._Element:
        """The element of an event, made as the last child of ``parent`` (made in place: an element
        made on its own gets a document of its own, which appending then has to merge)."""
        if ev.kind == "note":
            return self.make_note(parent, ev.value)
        if ev.kind == "pb":
            ident = f"pg_{ev.value}"
            self.record(ident, ev.start)
            return etree.SubElement(parent, _PB, {"n": ev.value, XML_ID: ident})
        gap = etree.SubElement(parent, _GAP, reason="not-declassified")
        m = GAP_SIZE.match(ev.value)
        if m:
            gap.set("quantity", m.group(1))
            gap.set("unit", m.group(2).rstrip("s") + "s")
        etree.SubElement(gap, _DESC).text = ev.value
        return gap


def append_text(parent: etree._Element, s: str) -> None:
    """Append text after the last child of ``parent`` (or as its text when it has none)."""
    if not s:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + s
    else:
        parent.text = (parent.text or "") + s
