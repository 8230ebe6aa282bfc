"""The read stage: every source read (or taken from the cache), and the documents' render keys."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import Diagnostic, Report
from ..model import DocRecord
from . import cache, gather
from .collect import VolumeSources
from .pages import Edition
from .pool import pmap, worker_count
from .readbeside import FEW, ReadBeside
from .readers import ReadTask, read_batch
from .rows import no_collection
from .shared import Shared
from .snapshot import Signature, Snapshot, source_signatures

Progress = Callable[[str, int, int], None]


def sha(*parts: str) -> str:
    """A hex digest of strings joined by NUL (the build's keys)."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def render_keys(edition: Edition, base: str, last: dict[str, Any] | None = None) -> dict[str, str]:
    """Every document's render key, by 'volume/id'.

    ``last``: the last build's manifest. A volume whose records show the same fields as then (its
    ``volume_print``) takes its keys from there. The prints are left in ``edition.memo["key_prints"]``,
    the hash of every document's name in ``edition.memo["docs_hash"]``.
    """
    names = {vol: [f"{vol}/{rec.id}" for rec in edition.records[vol]] for vol in sorted(edition.records)}
    docs_hash = sha(*sorted(name for vol_names in names.values() for name in vol_names))
    keys: dict[str, str] = {}
    prints: dict[str, str] = {}
    for vol, vol_names in names.items():
        prints[vol], vol_keys = volume_keys(edition, vol, vol_names, base, docs_hash, last)
        keys.update(zip(vol_names, vol_keys))
    edition.memo["key_prints"], edition.memo["docs_hash"] = prints, docs_hash
    return keys


def volume_keys(edition: Edition, vol: str, names: list[str], base: str, docs_hash: str,
                last: dict[str, Any] | None) -> tuple[str, list[str]]:
    """A volume's print and its documents' render keys: the last build's while the print is its."""
    docs = edition.records[vol]
    # What index pages see of each document (made once, here: the index pages' plan takes them again).
    mark = cache.volume_print(base, docs, docs_hash, edition.prints(vol))
    old_keys, old_prints = (last.get("docs"), last.get("key_prints")) if last is not None else (None, None)
    if isinstance(old_keys, dict) and isinstance(old_prints, dict) and old_prints.get(vol) == mark:
        kept = [old_keys.get(name) for name in names]
        if all(isinstance(k, str) for k in kept):
            return mark, kept  # type: ignore[return-value]
    return mark, cache.volume_render_keys(base, docs, docs_hash)


def read_stage(config: Config, volumes: list[VolumeSources], shared: Shared, docs_cache: Path, base: str,
               report: Report, tick: Progress, snapshot: Path | None = None,
               dropped: list[str] | None = None, whole: bool = True, as_built: bool = False) -> list[DocRecord] | None:
    """Convert every source (in parallel) or take it from the cache, keeping only small records.

    A source whose signature (time, size, inode) is that of the last read is not read at all: its
    record comes from the snapshot, so an unchanged edition costs one stat a source. ``dropped`` is
    given the digests of the cached conversions no source has any more (an edit's old one). Not
    ``whole``: ``volumes`` are some of the edition's, whose other sources the snapshot keeps.
    ``as_built``: the snapshot is the last build's (``asbuilt.stands``); None when every source is as
    it holds them, without a record made.
    """
    docs_cache.mkdir(parents=True, exist_ok=True)
    # An edition read before: an edit's few sources are read by a copy of this process (see readbeside),
    # which first takes every source's signature while this one loads the snapshot.
    beside = ReadBeside.start(shared, volumes) if snapshot is not None and snapshot.is_file() else None
    try:
        return _read_stage(config, volumes, shared, docs_cache, base, report, tick, snapshot, dropped, whole, beside,
                           as_built)
    finally:
        if beside is not None:
            beside.close()


def _read_stage(config: Config, volumes: list[VolumeSources], shared: Shared, docs_cache: Path, base: str,
                report: Report, tick: Progress, snapshot: Path | None, dropped: list[str] | None, whole: bool,
                beside: ReadBeside | None, as_built: bool = False) -> list[DocRecord] | None:
    """The body of ``read_stage``, ``beside`` the copy that may read an edit's sources."""
    snap = Snapshot(snapshot, base)
    known = beside.signatures() if beside is not None else None
    slots: list[DocRecord | None] = []
    tasks: list[tuple[int, Signature, ReadTask]] = []
    displays: set[str] = set()
    root = str(config.project_dir).rstrip(os.sep) + os.sep
    cut = len(root)
    # Every record of the edition is made here and stays alive: a collection would walk them in vain.
    # (A hit's cached conversion is not looked for here: render_stage looks for those it renders.)
    with no_collection():
        listed: list[tuple[list[str], list[Signature]]] = []
        for k, v in enumerate(volumes):
            # Lists made in one pass each: the edition's 5,000 sources cost a loop of a few steps apiece.
            shown_as = [text[cut:] if text.startswith(root) else shown(config, Path(text)) for text in v.sources]
            displays.update(shown_as)
            listed.append((shown_as, known[k] if known is not None else source_signatures(v.folder, v.sources)))
        if as_built and whole and snap.unchanged(listed):
            return None
        for v, (shown_as, sigs) in zip(volumes, listed):
            texts = v.sources
            found, missed = snap.records(shown_as, sigs)
            for i in missed:
                tasks.append((len(slots) + i, sigs[i],
                              ReadTask(v.volume.id, texts[i], shown_as[i], str(docs_cache), base)))
            slots.extend(found)
    if whole:
        snap.keep_only(displays)
    done = len(slots) - len(tasks)
    for (slot, sig, task), (record, diags) in zip(tasks, read_all([t for _, _, t in tasks], shared, config, beside)):
        for d in diags:
            report.add(d)
        if record is not None:
            slots[slot] = record
            snap.put(task.display, sig, record)
        done += 1
        tick("read", done, len(slots))
    snap.save()
    if dropped is not None:
        dropped += snap.dropped
    return [r for r in slots if r is not None]


def read_all(tasks: list[ReadTask], shared: Shared, config: Config,
             beside: ReadBeside | None = None) -> Iterator[tuple[DocRecord | None, list[Diagnostic]]]:
    """``read_one`` of every task, in order, in batches of a few dozen (each stage over the batch).

    ``beside``: a copy of this process ready to read them (``ReadBeside``), used for a few sources.
    """
    workers = worker_count(config, len(tasks))
    read = None
    if beside is not None:
        if 0 < len(tasks) <= FEW and workers <= 1:
            read = beside.read(tasks, lambda: _load_renderer(shared))
        beside.close()
    if read is not None:
        yield from read
        return
    # As many documents a batch as the pool sent a worker at a time: each worker still gets several.
    size = max(1, min(64, len(tasks) // (workers * 8) or 1)) if workers > 1 else 64
    batches = [tasks[k:k + size] for k in range(0, len(tasks), size)]
    for done in pmap(read_batch, batches, shared, workers, chunk=1):
        yield from done


def _load_renderer(shared: Shared) -> None:
    """What rendering the sources just read needs: the renderer, its templates and the TEI schema."""
    from ..validate.schema import shipped_schema
    from .worker import init

    init(shared)
    shipped_schema()


def docs_dir(config: Config) -> Path:
    """Where converted sources are cached, one entry a document, beside the snapshot of their signatures."""
    return config.build_dir / ".cache" / "docs"


def snapshot_file(config: Config) -> Path:
    """The snapshot of the last read (every source's signature and record), beside the converted sources."""
    return docs_dir(config).parent / "sources.snapshot"


def read_edition(config: Config, volumes: list[VolumeSources], shared: Shared, base: str, report: Report,
                 tick: Progress, stats: dict[str, Any], as_built: bool = False) -> Edition | None:
    """Every source read (or taken from the cache), then the edition gathered from the records; None
    when ``as_built`` and every source is as the last build read it (see ``asbuilt``)."""
    docs_cache = docs_dir(config)
    dropped: list[str] = []
    records = read_stage(config, volumes, shared, docs_cache, base, report, tick,
                         snapshot=snapshot_file(config), dropped=dropped, as_built=as_built)
    if records is None:
        return None
    said, known = len(report.items), set(stats)
    edition = gather.gather(config, volumes, records, report, stats)
    # What the gather stage said, which a build that finds the same sources says again (asbuilt).
    edition.memo["gathered"] = (report.items[said:], {k: v for k, v in stats.items() if k not in known})
    edition.memo["dropped"] = dropped  # what an edit's build deletes of the cache, rather than list it
    edition.memo["read_base"] = base   # for a conversion render_stage finds gone from the cache
    return edition


def shown(config: Config, path: Path) -> str:
    """A source's path as users see it: relative to the project (by string: it runs for every source)."""
    text, root = str(path), str(config.project_dir).rstrip(os.sep) + os.sep
    if text.startswith(root):
        return text[len(root):]
    try:
        return str(path.relative_to(config.project_dir))
    except ValueError:
        return text
