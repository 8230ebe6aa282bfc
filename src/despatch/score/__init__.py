"""``despatch score CORPUS_DIR``: convert every text/ file and compare it with its official tei/ file."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..errors import SourceError
from ..sources.text import convert_bytes
from ..tei.xmlio import parse_file
from .compare import Tally, compare, neighbour_hits, states_date
from .extract import view_of

__all__ = ["run_score"]

TARGETS = {"converted": 100.0, "text": 100.0, "notes placed": 99.5, "page breaks": 100.0,
           "source notes": 100.0, "titles": 100.0, "signatures": 97.0, "dates": 95.0}


def run_score(corpus_dir: Path, out: TextIO) -> int:
    """Score the converter on a corpus (tei/ and text/ side by side); 0 when every target is met."""
    corpus_dir = Path(corpus_dir)
    texts = sorted((corpus_dir / "text").glob("*.txt"))
    if not texts:
        out.write(f"{corpus_dir}: no text/*.txt files to score\n")
        return 1
    tally = Tally()
    by_volume: dict[str, list[tuple[int, str, str | None, str | None]]] = {}
    official_dates: dict[str, str | None] = {}
    for path in texts:
        name = path.stem
        volume = name.rsplit("_", 1)[0]
        tei_path = corpus_dir / "tei" / f"{name}.xml"
        try:
            official = view_of(parse_file(tei_path).getroot(), project=True)
        except (OSError, SourceError) as exc:
            tally.fail("converted", name, f"official TEI unreadable: {exc}")
            continue
        data = path.read_bytes()
        try:
            conv = convert_bytes(data, str(path), volume)
            mine = view_of(conv.div)
        except SourceError as exc:
            tally.fail("converted", name, str(exc).splitlines()[0])
            continue
        tally.ok("converted")
        if conv.meta.get("date_rejected"):
            tally.suspect.append((name, conv.meta["date_rejected"]))
        stated = states_date(data.decode("utf-8"), official)
        compare(tally, name, official, mine, stated)
        number = int("".join(ch for ch in name.rsplit("_d", 1)[1] if ch.isdigit()) or 0)
        by_volume.setdefault(volume, []).append((number, name, mine.date, mine.date))
        official_dates[name] = official.date
    hits, total, misses = neighbour_hits(by_volume, official_dates)
    return report(out, corpus_dir, len(texts), tally, hits, total, misses)


def report(out: TextIO, corpus_dir: Path, count: int, tally: Tally, hits: int, total: int,
           misses: list[str]) -> int:
    """Print the measures, the failures and the copy format's losses; exit 0 when targets are met."""
    out.write(f"despatch score: {count} documents in {corpus_dir}\n\n")
    met = True
    for measure, target in TARGETS.items():
        good, all_ = tally.counts(measure)
        pct = 100.0 * good / all_ if all_ else 100.0
        flag = "ok" if pct >= target else "BELOW TARGET"
        met &= pct >= target
        out.write(f"  {measure:<14} {good:>5}/{all_:<5} {pct:6.1f}%   (target {target:g}%) {flag}\n")
    for measure in tally.extra():
        good, all_ = tally.counts(measure)
        pct = 100.0 * good / all_ if all_ else 100.0
        out.write(f"  {measure:<14} {good:>5}/{all_:<5} {pct:6.1f}%   (reported)\n")
    rate = 100.0 * hits / total if total else 100.0
    out.write(f"  {'date ranges':<14} {hits:>5}/{total:<5} {rate:6.1f}%   (undated documents whose "
              "official date falls inside the range bounded by their neighbours)\n")
    failures = tally.failures()
    if failures or misses:
        out.write("\nFailures:\n")
        for measure, name, detail in failures:
            out.write(f"  {measure}: {name}: {detail}\n")
        for line in misses:
            out.write(f"  date ranges: {line}\n")
    if tally.suspect:
        out.write("\nErrors in the edition's own data (reported, not fitted):\n")
        for name, what in tally.suspect:
            out.write(f"  {name}: {what}\n")
    if tally.losses:
        out.write("\nWhat the copy format cannot carry (the official TEI was read without it):\n")
        for name, what in tally.losses:
            out.write(f"  {name}: {what}\n")
    return 0 if met else 1
