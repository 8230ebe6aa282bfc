"""Dates of documents: datelines, Central Files date codes, and ranges bounded by neighbours.

Encoding of an inferred date (no dateline in the text): the document div carries
``frus:doc-dateTime-min``/``-max`` like any FRUS document, and a TEI ``certainty`` element right
after the head says that this value was inferred and from what::

    <certainty locus="value" target="#d245" match="@frus:doc-dateTime-min" cert="medium">
      <desc>inferred from the date code 5–462 of the file number 711.5611/5–462 in the source note</desc>
    </certainty>

``certainty`` is TEI's own statement of how sure the edition is of a value and is allowed
anywhere in a div, so the document stays valid TEI; renderers and text comparisons skip it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from lxml import etree

from ..tei.xmlio import XML_ID, f, t

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(MONTHS)
DATELINE = re.compile(
    rf"(?:(?P<place>[^\d,][^\d]*?), )?"
    rf"(?P<date>(?P<month>{_MONTH}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}})"
    rf"(?:, (?P<time>\d{{1,2}}(?::\d{{2}})? ?[ap]\.m\.|midnight|noon))?)(?P<tail>\.?)\Z")
TIME = re.compile(r"(\d{1,2})(?::(\d{2}))? ?([ap])\.m\.")
# Central Files numbers end in a filing-date code month–day-two-digit-year: 711.5611/5–462,
# 660E.61/11–661, 375/11–2861 (en dash or hyphen).
FILE_CODE = re.compile(r"(?<![\w/.])(\d{3}[0-9A-Z]*(?:\.[0-9A-Z]+)*(?:[–-][A-Z][0-9A-Z]*)*(?:/[0-9A-Z]+)*)"
                       r"/(\d{1,2})[–-](\d{3,4})(?![\d–-])")


@dataclass(slots=True)
class Dateline:
    """A parsed dateline: pieces as (element name, (start, end)) relative to the text, and ISO when."""

    parts: list[tuple[str, tuple[int, int]]]
    when: str


def _time(text: str) -> str | None:
    if text == "midnight":
        return "00:00:00"
    if text == "noon":
        return "12:00:00"
    m = TIME.fullmatch(text)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if not (1 <= hour <= 12 and minute < 60):
        return None
    hour = hour % 12 + (12 if m.group(3) == "p" else 0)
    return f"{hour:02d}:{minute:02d}:00"


def parse_dateline(text: str) -> Dateline | None:
    """'Paris, July 5, 1958, 5 p.m.' → placeName 'Paris', date when 1958-07-05T17:00:00."""
    m = DATELINE.fullmatch(text.strip())
    if not m:
        return None
    shift = len(text) - len(text.lstrip())
    try:
        day = dt.date(int(m.group("year")), MONTHS[m.group("month")], int(m.group("day")))
    except ValueError:
        return None
    when = day.isoformat()
    if m.group("time"):
        clock = _time(m.group("time"))
        if clock is None:
            return None
        when += "T" + clock
    parts = []
    if m.group("place"):
        parts.append(("placeName", (m.start("place") + shift, m.end("place") + shift)))
    parts.append(("date", (m.start("date") + shift, m.end("date") + shift)))
    return Dateline(parts, when)


@dataclass(slots=True)
class FileDate:
    """A date read from a Central Files number."""

    iso: str           # YYYY-MM-DD
    file: str          # the whole file number, 711.5611/5–462
    code: str          # the date code, 5–462
    start: int
    end: int


def file_number_dates(text: str) -> list[FileDate]:
    """Every Central Files date code in a text, in order (invalid calendar dates skipped)."""
    out = []
    for m in FILE_CODE.finditer(text):
        month, rest = int(m.group(2)), m.group(3)
        day, year = int(rest[:-2]), 1900 + int(rest[-2:])
        try:
            iso = dt.date(year, month, day).isoformat()
        except ValueError:
            continue
        whole = m.group(0)
        out.append(FileDate(iso, whole, whole[len(m.group(1)) + 1:], m.start(), m.end()))
    return out


SENTENCE_END = re.compile(r"[.;]\s+(?=[A-Z(\[])")
VOLUME_YEARS = re.compile(r"frus(\d{4})(?:-(\d{2,4}))?")


def source_file_date(note: str) -> FileDate | None:
    """The date code of the document's own file: the first citation of the source note only.

    Codes later in the note belong to other documents ("… transmitted in telegram 3674 to London.
    (Ibid., Central Files, 740.5/10–1058)") and would date this one wrongly.
    """
    end = SENTENCE_END.search(note)
    head = note[: end.start() + 1] if end else note
    codes = file_number_dates(head)
    return codes[0] if codes else None


@functools.lru_cache(maxsize=1024)
def volume_years(volume: str | None) -> tuple[int, int] | None:
    """The years a volume covers, from its id: frus1958-60v07p2 → (1958, 1960)."""
    # Remembered: every document of a volume asks for the same id.
    m = VOLUME_YEARS.match(volume or "")
    if not m:
        return None
    lo = int(m.group(1))
    hi = m.group(2)
    if hi is None:
        return lo, lo
    return lo, int(hi) if len(hi) == 4 else lo // 100 * 100 + int(hi)


def date_range(when: str) -> tuple[str, str]:
    """(min, max) of a date or dateTime: a day covers 00:00:00 to 23:59:59."""
    if "T" in when:
        full = when if when.count(":") == 2 else when + ":00"
        return full, full
    return when + "T00:00:00", when + "T23:59:59"


def set_date(div: etree._Element, when: str, basis: str | None = None) -> None:
    """Put the date on the div; ``basis`` (why it was inferred) adds a certainty statement."""
    lo, hi = date_range(when)
    set_range(div, lo, hi, basis)


_MIN, _MAX, _HEAD, _CERTAINTY, _DESC = f("doc-dateTime-min"), f("doc-dateTime-max"), t("head"), t("certainty"), t("desc")


def set_range(div: etree._Element, lo: str, hi: str, basis: str | None = None) -> None:
    """Put a date range on the div (``basis``: why, as for set_date), e.g. one bounded by
    neighbours: ``set_range(div, lo, hi, "bounded by the dates of d244 and d246")``."""
    div.set(_MIN, lo)
    div.set(_MAX, hi)
    if basis:
        head = next(div.iterchildren(_HEAD), None)  # div.find(t("head")), without a path
        at = div.index(head) + 1 if head is not None else 0
        # Made inside the div, then moved: an element made on its own has a document of its own.
        cert = etree.SubElement(div, _CERTAINTY)
        for key, value in (("locus", "value"), ("target", "#" + (div.get(XML_ID) or "")),
                           ("match", "@frus:doc-dateTime-min"), ("cert", "medium")):
            cert.set(key, value)  # one at a time, in this order: the order they are written in
        etree.SubElement(cert, _DESC).text = basis
        div.insert(at, cert)


def bound_by_neighbours(items: list[tuple[str, str | None, str | None]]) -> dict[str, tuple[str, str]]:
    """Give each undated item the range from its previous dated neighbour's min to its next's max.

    ``items`` are (id, min, max) in reading order (FRUS volumes are chronological within each
    chapter; pass one chapter at a time where chapters restart the chronology). Items with a
    dated neighbour on one side only get no range: an open range would claim nothing.
    """
    out: dict[str, tuple[str, str]] = {}
    prev: str | None = None
    pending: list[str] = []
    for ident, lo, hi in items:
        if lo or hi:
            start, end = lo or hi, hi or lo
            if prev is not None and prev[:10] <= end[:10]:
                for p in pending:
                    out[p] = (prev, end)
            pending = []
            prev = start
        else:
            pending.append(ident)
    return out
