"""The chronology pages: each volume's documents by date, and across volumes an index of months with
a page per month, each month's page keyed by its own documents so that an edit makes one month again."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import DocRecord
from ..site.pages import Edition, Group, Page

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

Days = dict[str, list[DocRecord]]


def chronology(docs: Iterable[DocRecord]) -> tuple[list[dict[str, Any]], list[DocRecord]]:
    """Documents by year → month → day (by their earliest date), and the undated ones."""
    tree: dict[str, dict[str, Days]] = {}
    undated: list[DocRecord] = []
    for rec in docs:
        if not rec.date_min or len(rec.date_min) < 10:
            undated.append(rec)
            continue
        y, m, d = rec.date_min[:4], rec.date_min[5:7], rec.date_min[8:10]
        tree.setdefault(y, {}).setdefault(m, {}).setdefault(d, []).append(rec)
    years = [{"year": y, "months": [_month(y, m, days) for m, days in sorted(months.items())]}
             for y, months in sorted(tree.items())]
    return years, undated


def _month(y: str, m: str, days: Days) -> dict[str, Any]:
    """A month of the chronology: its name, count and days, each day's documents in date order."""
    return {"month": m, "name": _name(m), "count": sum(len(x) for x in days.values()),
            "days": [{"day": d, "date": f"{y}-{m}-{d}", "docs": sorted(days[d], key=_when)} for d in sorted(days)]}


def _name(m: str) -> str:
    return MONTHS[int(m) - 1] if m.isdigit() and 1 <= int(m) <= 12 else m


def _when(rec: DocRecord) -> tuple[str, str, int]:
    return (rec.date_min or "", rec.volume, rec.order)


def chronology_groups(edition: Edition) -> Iterator[Group]:
    """A chronology per volume, and across volumes an index of months with a page per month."""
    for vol, docs in sorted(edition.records.items()):
        yield Group(f"{vol}/chronology/", edition.volume_key(vol),
                    lambda vol=vol, docs=docs: [_volume_chronology(edition, vol, docs)])  # type: ignore[misc]
    yield Group("chronology", edition.edition_key(), lambda: _chronology_groups(edition))


def _volume_chronology(edition: Edition, vol: str, docs: list[DocRecord]) -> Page:
    years, undated = chronology(docs)
    return Page(f"{vol}/chronology/", "chronology_volume.html",
                {"volume": edition.volumes[vol], "years": years, "undated": undated}, f"Chronology of {vol}",
                edition.volume_key(vol))  # its records, by their dates: all it shows


def _chronology_groups(edition: Edition) -> Iterator[Page | Group]:
    # One pass sorts the edition's documents into months, with what index pages see of each (its
    # print, which names its volume): a month's key is its prints in reading order, which fix its
    # page. The days of a month are laid out only for the months made again.
    months: dict[tuple[str, str], tuple[list[DocRecord], list[str]]] = {}
    get = months.get
    undated = 0
    for vol in sorted(edition.records):
        for rec, text in zip(edition.records[vol], edition.prints(vol)):
            when = rec.date_min
            if not when or len(when) < 10:
                undated += 1
                continue
            found = get((when[:4], when[5:7]))
            if found is None:
                months[(when[:4], when[5:7])] = ([rec], [text])
            else:
                found[0].append(rec)
                found[1].append(text)
    years: dict[str, list[str]] = {}
    for y, m in sorted(months):
        years.setdefault(y, []).append(m)
    # The index and the month pages show the years by their months and counts, not every document.
    outline = [{"year": y, "months": [{"month": m, "name": _name(m), "count": len(months[(y, m)][0])}
                                      for m in ms]} for y, ms in years.items()]
    yield Page("chronology/", "chronology.html", {"years": outline, "undated_count": undated}, "Chronology",
               json.dumps([outline, undated]))
    for brief in outline:
        y = brief["year"]
        shown = json.dumps(brief)  # the year's months and counts, which each month's page holds
        for m in years[y]:
            docs, prints = months[(y, m)]
            key = "\0".join([shown, *prints])
            yield Group(f"chronology/{y}/{m}/", key, lambda y=y, m=m, docs=docs, brief=brief, key=key: [  # type: ignore[misc]
                _month_page(y, _month(y, m, _days(docs)), brief, key)])


def _days(docs: list[DocRecord]) -> Days:
    """Documents by their day of the month, in the order given."""
    days: Days = {}
    for rec in docs:
        days.setdefault(rec.date_min[8:10], []).append(rec)  # type: ignore[index]
    return days


def _month_page(y: str, month: dict[str, Any], brief: dict[str, Any], key: str) -> Page:
    return Page(f"chronology/{y}/{month['month']}/", "chronology_month.html", {"year": brief, "month": month},
                f"{month['name']} {y}", key)
