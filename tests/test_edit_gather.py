"""The gather stage's order and bounded dates, against a plain statement of the rules."""

from __future__ import annotations

import copy
import random
from pathlib import Path

from despatch.apparatus.dates import bound_by_neighbours
from despatch.config import load_config
from despatch.errors import Report
from despatch.model import DocRecord
from despatch.site.collect import VolumeSources, natural_key
from despatch.site.gather import gather
from despatch.volume import Volume


def _expected(docs: list[DocRecord], chapters: list[dict[str, object]]) -> list[DocRecord]:
    """Reading order (table of contents first, then by number) and, chapter by chapter, undated documents
    bounded by their dated neighbours, found by looking both ways from each."""
    listed = [d for ch in chapters for d in (ch.get("documents") or [])]  # type: ignore[attr-defined]
    flat = {doc: n for n, doc in enumerate(dict.fromkeys(listed))}
    docs = sorted(docs, key=lambda r: (flat.get(r.id, len(flat)), natural_key(r.n or r.id)))
    chapter_of = {d: i for i, ch in enumerate(chapters) for d in (ch.get("documents") or [])}  # type: ignore[attr-defined]
    for i, rec in enumerate(docs):
        rec.order = i
    for key in sorted({chapter_of.get(r.id, -1) for r in docs}):
        group = [r for r in docs if chapter_of.get(r.id, -1) == key]
        ranges = bound_by_neighbours([(r.id, r.date_min, r.date_max) for r in group])
        for i, rec in enumerate(group):
            if rec.id in ranges and not rec.date_min:
                before = next((d.id for d in reversed(group[:i]) if d.date_min and d.id not in ranges), "")
                after = next((d.id for d in group[i + 1:] if d.date_min and d.id not in ranges), "")
                rec.date_min, rec.date_max = ranges[rec.id]
                rec.date_basis = f"neighbours {before} {after}"
    return docs


def test_order_and_bounded_dates_follow_the_rules(tmp_path: Path) -> None:
    config = load_config(tmp_path / "mkdocs.yml")
    rnd = random.Random(9)
    for _ in range(300):
        count = rnd.randint(0, 14)
        docs = []
        for i in range(1, count + 1):
            day = f"1961-01-{rnd.randint(1, 28):02d}"
            kind = rnd.random()
            lo, hi = (day + "T00:00:00", day + "T23:59:59") if kind < 0.5 else \
                ((None, day) if kind < 0.6 else (None, None))
            docs.append(DocRecord("v", f"d{i}", str(i), "t", source=f"content/v/d{i}.txt", date_min=lo, date_max=hi))
        rnd.shuffle(docs)
        ids = [d.id for d in docs]
        chapters: list[dict[str, object]] = []
        if ids and rnd.random() < 0.5:
            cut = rnd.randint(0, len(ids))
            chapters = [{"title": "A", "documents": ids[:cut]}, {"title": "B", "documents": ids[cut:][::-1]}]
        source = VolumeSources(volume=Volume(id="v", title="V"), folder=tmp_path, chapters=chapters)
        got = gather(config, [source], copy.deepcopy(docs), Report()).records["v"]
        assert got == _expected(copy.deepcopy(docs), chapters)
