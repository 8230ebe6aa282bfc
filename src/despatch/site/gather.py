"""The edition-wide stage: order each volume, bound undated documents, check ids and links."""

from __future__ import annotations

from ..config import Config
from ..errors import Diagnostic, Report
from ..model import DocRecord
from ..order import natural_key
from .collect import VolumeSources
from .pages import Edition


def _order_key(chapter_order: dict[str, int]):
    def key(rec: DocRecord) -> tuple[int, list[object]]:
        # Documents named in the volume's table of contents come in its order; others by number.
        return (chapter_order.get(rec.id, len(chapter_order)), natural_key(rec.n or rec.id))
    return key


def _number_key(rec: DocRecord) -> list[object]:
    return natural_key(rec.n or rec.id)


def gather(config: Config, volumes: list[VolumeSources], records: list[DocRecord], report: Report,
           stats: dict[str, object] | None = None) -> Edition:
    """Group records by volume in reading order and fill what only the whole edition knows."""
    by_volume: dict[str, list[DocRecord]] = {v.volume.id: [] for v in volumes}
    for rec in records:
        docs = by_volume.get(rec.volume)
        if docs is None:
            docs = by_volume[rec.volume] = []
        docs.append(rec)
    chapters = {v.volume.id: v.chapters for v in volumes}
    for vol, docs in by_volume.items():
        arrange(docs, chapters.get(vol) or [], report)
    edition = Edition(config=config, volumes={v.volume.id: v.volume for v in volumes}, records=by_volume,
                      persons={v.volume.id: v.persons for v in volumes},
                      terms={v.volume.id: v.terms for v in volumes}, chapters=chapters)
    from ..apparatus.links import LinkStats, check_links

    links = LinkStats()
    for diag in check_links(list(edition.all_records()), config, persons=edition.persons, terms=edition.terms,
                            complete=complete_volumes(edition), stats=links):
        report.add(diag)
    if stats is not None:
        stats["links internal"] = links.internal
        stats["links external"] = links.external
        stats["external volumes"] = len(links.external_volumes)
    return edition


def arrange(docs: list[DocRecord], chapters: list[dict[str, object]], report: Report) -> None:
    """A volume's documents in reading order, numbered, their undated ones bounded by their neighbours."""
    order = {doc: i for i, ch in enumerate(chapters) for doc in (ch.get("documents") or [])}  # type: ignore[union-attr]
    flat = {doc: n for n, doc in enumerate(order)}
    # Without a table of contents every document's first key is the same: its number alone orders it.
    docs.sort(key=_order_key(flat) if flat else _number_key)
    _check_duplicates(docs, report)
    for i, rec in enumerate(docs):
        rec.order = i
    for group in _chapter_groups(docs, chapters):
        _bound_dates(group)


def complete_volumes(edition: Edition) -> list[str]:
    """The volumes that hold every document they print (a missing one is an error, not an external link)."""
    return [v for v, volume in edition.volumes.items() if str(volume.extra.get("complete", "")).lower() == "true"]


def _check_duplicates(docs: list[DocRecord], report: Report) -> None:
    seen: dict[str, DocRecord] = {}
    for rec in docs:
        if rec.id in seen:
            report.add(Diagnostic(rec.source, 1, 1, f"document {rec.id} of {rec.volume} is claimed by two sources",
                                  found=f"{rec.source} and {seen[rec.id].source}",
                                  expected="one source per document id"))
        else:
            seen[rec.id] = rec


def _chapter_groups(docs: list[DocRecord], chapters: list[dict[str, object]]) -> list[list[DocRecord]]:
    """The volume's documents split by chapter: FRUS is chronological within a chapter, not across."""
    chapter_of = {doc: i for i, ch in enumerate(chapters) for doc in (ch.get("documents") or [])}  # type: ignore[union-attr]
    if not chapter_of:
        return [list(docs)] if docs else []
    groups: dict[int, list[DocRecord]] = {}
    for rec in docs:
        groups.setdefault(chapter_of.get(rec.id, -1), []).append(rec)
    return [groups[k] for k in sorted(groups)]


def _bound_dates(docs: list[DocRecord]) -> None:
    """Undated documents get the range between their dated neighbours (a chapter is chronological)."""
    if all(r.date_min or r.date_max for r in docs):
        return  # nothing undated to bound (the common case: one pass, no lists made)
    from ..apparatus.dates import bound_by_neighbours

    ranges = bound_by_neighbours([(r.id, r.date_min, r.date_max) for r in docs])
    if not ranges:
        return
    # Each document's nearest dated neighbours on either side (dated by itself, not bounded here),
    # found in one pass each way rather than by a search from every undated document.
    dated = [d.id if d.date_min and d.id not in ranges else None for d in docs]
    before: list[str] = []
    after: list[str] = []
    last = ""
    for ident in dated:
        before.append(last)
        last = ident if ident is not None else last
    last = ""
    for ident in reversed(dated):
        after.append(last)
        last = ident if ident is not None else last
    after.reverse()
    for i, rec in enumerate(docs):
        if rec.id in ranges and not rec.date_min:
            rec.date_min, rec.date_max = ranges[rec.id]
            rec.date_basis = f"neighbours {before[i]} {after[i]}"
