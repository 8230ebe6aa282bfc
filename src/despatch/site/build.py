"""The build, as a list of stages: collect → read → gather → write documents → index pages → extras → commit."""

from __future__ import annotations

import ctypes
import gc
import hashlib
import os
import re
import shutil
import time
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from ..config import Config
from ..errors import Report
from ..model import DocRecord
from ..search.volume import VolumeIndexer
from . import atomic, cache, gather, indexpages, searchdelta
from .collect import VolumeSources, collect
from .pages import Edition
from .worker import ReadTask, RenderTask, Shared, init, read_one, render_one

_NOTE_SUFFIX = re.compile(r"fn\d+$")
T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[str, int, int], None]
FEW = 64  # changed documents up to which an incremental build does not collect garbage

CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'")


class BuildFailed(Exception):
    """The build found errors; the previous site was left untouched."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"{len(report.errors)} error(s)")


@dataclass
class BuildResult:
    """What a build did, for the summary line."""

    documents: int = 0
    volumes: int = 0
    pages: int = 0
    rendered: int = 0
    incremental: bool = False
    seconds: float = 0.0
    report: Report = field(default_factory=Report)
    stats: dict[str, Any] = field(default_factory=dict)


def worker_count(config: Config, jobs: int) -> int:
    """Processes to use: the configured number, else the machine's cores (1 for tiny editions)."""
    if config.workers:
        return max(1, config.workers)
    # Starting processes costs more than converting a few dozen documents.
    return 1 if jobs < 64 else max(1, os.cpu_count() or 1)


def pmap(fn: Callable[[T], R], items: list[T], shared: Shared, workers: int,
         context: BaseContext | None = None, chunk: int = 0) -> Iterator[R]:
    """Map in order over a process pool (or in-process), so output never depends on scheduling.

    ``chunk`` items travel to a worker at a time (default: a few dozen small tasks; 1 for items that
    are batches already, whose memory a worker holds while it works on them).
    """
    if workers <= 1 or len(items) <= 1:
        init(shared)
        yield from map(fn, items)
        return
    chunk = chunk or max(1, min(64, len(items) // (workers * 8) or 1))
    # Forked workers share this process's memory until they write to it, and the collector's walk
    # over every object would write to all of it: frozen objects are left out of that walk.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=init, initargs=(shared,),
                                 mp_context=context) as pool:
            yield from pool.map(fn, items, chunksize=chunk)
    finally:
        gc.unfreeze()


def thread_safe_context() -> BaseContext | None:
    """Worker processes started from a clean server, not forked from a process running a thread."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None  # spawn, the default where there is no fork, is safe as it is
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["despatch.site.worker"])
    return context


def _sha(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def build(config: Config, progress: Progress | None = None, *, into: Path | None = None,
          markdown_pages: bool = True, incremental: bool = True) -> BuildResult:
    """Build the edition; nothing reaches the site unless the whole build succeeded.

    A full build writes a complete staging folder and swaps it in. When only documents changed
    since the last build (same code, configuration and templates), only their pages and the index
    pages are staged, then moved into the site. ``into`` merges a full build into an existing
    folder instead (MkDocs' site, which renders the Markdown pages itself: ``markdown_pages=False``).

    With search, an incremental build indexes the changed documents into a small changes bundle and
    leaves their volumes' bundles as they were (see ``searchdelta``): its search files then differ
    from a full build's, but answer every query with the same documents.
    """
    start = time.perf_counter()
    tick = progress or (lambda stage, done, total: None)
    result = BuildResult()
    report = result.report
    site = into if into is not None else config.site_dir

    volumes = collect(config, report)
    read_base, render_base = bases(config, into, markdown_pages)
    docs_cache = config.build_dir / ".cache" / "docs"
    manifest = cache.Manifest(config.build_dir / ".cache" / "manifest.json")
    delta = (incremental and into is None and site.is_dir() and config.tei_dir.is_dir()
             and manifest.data.get("base") == render_base)
    staging = atomic.make_staging(site)
    tei_staging = atomic.make_staging(config.tei_dir)
    if into is not None and into.is_dir():
        # MkDocs' pages are part of the site: the URL ledger and sitemap must see them too.
        shutil.copytree(into, staging, dirs_exist_ok=True)
    indexer: VolumeIndexer | None = None
    try:
        shared = shared_for(config, volumes, CSP)
        records = read_stage(config, volumes, shared, docs_cache, read_base, report, tick,
                             snapshot=docs_cache.parent / "sources.pickle")
        edition = gather.gather(config, volumes, records, report, result.stats)
        if report.errors:
            raise BuildFailed(report)
        know_targets(shared, edition)
        keys = render_keys(edition, render_base)
        old = manifest.data.get("docs", {}) if delta else {}
        # A page a preview (or an interrupted build) wrote is rendered again even when its source went
        # back to what was built, and its search is brought up to date.
        previewed = (set(manifest.data.get("previewed", {})) | searchdelta.unsaved(manifest.path.parent)) \
            & set(keys) if delta else set()
        changed = {k for k, v in keys.items() if old.get(k) != v} | previewed
        removed = sorted(set(old) - set(keys))
        # A few changed documents leave little garbage: a collection would cost more than it gives back.
        heavy = not delta or len(changed) + len(removed) > FEW
        _release_memory(heavy)  # the pool's results are unpickled records now: give back what carried them
        if not heavy:
            gc.freeze()  # the edition's records outlive the build: collections need not walk them (unfrozen below)
        ledger = cache.ledger_hash(config)
        if delta and not changed and not removed and manifest.data.get("ledger") == ledger:
            # Same code, configuration, templates, sources and ledger as the last build: its site stands.
            atomic.discard(staging)
            atomic.discard(tei_staging)
            gc.unfreeze()
            return _finish(result, edition, start, delta=True)
        pages = indexpages.plan(edition, markdown_pages, manifest.data if delta else None, render_base)
        shared.nav_links = pages.nav
        if delta and pages.nav != manifest.data.get("nav"):
            changed, heavy = set(keys), True  # every document's page links to the navigation's pages
        # A full build indexes each volume for search while the next ones render (Pagefind's service
        # uses one core); its thread asks for worker processes that are not forked from this one.
        indexer = VolumeIndexer(staging / config.url_prefix, sorted(edition.volumes)) \
            if config.search and not delta else None
        context = thread_safe_context() if indexer is not None else None
        render_stage(edition, shared, docs_cache, staging, tei_staging, changed, report, tick,
                     indexer.finish_volume if indexer is not None else None, context)
        _release_memory(heavy)
        # Index pages and ebooks are rendered by workers started clean: a worker forked now, from a
        # process holding the whole edition, would copy much of it page by page as it allocates.
        clean = context or thread_safe_context()
        pool = lambda fn, items: pmap(fn, items, shared, worker_count(config, 64 * len(items)), clean, 1)  # noqa: E731
        # The same paths, notes and ledger as the last build: its ledger check, redirects and sitemap stand.
        urls = indexpages.url_body(edition, pages.files())
        same_urls = delta and manifest.data.get("urls") == indexpages.url_state(urls, ledger)
        page_keys = indexpages.write_all(edition, pages, staging, shared.csp, report, result.stats, render_base,
                                         manifest.data.get("pages") if delta else None, site,
                                         publish_urls=not same_urls, pool=pool)
        result.pages = len(page_keys)
        del pages  # every index page's context: the search router and ebooks need none of them
        _release_memory(heavy)
        touched = sorted({k.split("/")[0] for k in changed | set(removed)}) if delta else sorted(edition.volumes)
        # Volumes indexed for search whole; in an incremental build only those whose changes outgrew
        # the changes bundle (the others' edited documents are indexed there).
        folded, pending, fresh = touched, {}, set()
        root, live = staging / config.url_prefix, site / config.url_prefix
        old_pending = manifest.data.get("search", {}).get("pending", {}) if delta else {}
        if delta and config.search:
            fresh = searchdelta.fresh(changed, previewed, root, live)
            folded, pending = searchdelta.plan(old_pending, fresh, removed, edition, live)
        if delta:
            # Search shards and ebooks read a whole volume: lay its unchanged pages beside the new ones.
            for vol in sorted(set(touched) | set(folded)):
                atomic.overlay(live / vol, root / vol,
                               skip={f"{rid}" for rid in removed_ids(removed, vol)} | {"pagefind"},
                               pages=bool(config.search) and vol in folded,
                               only={r.id for r in edition.records.get(vol, [])})
        indexpages.volume_extras(edition, root, touched, result.stats, previous=live if delta else None,
                                 pool=pool, search=indexer is None and not delta)
        keep: list[str] = []        # the last build's search files that stand
        replaced: list[str] = []    # search folders the staged ones replace whole
        if delta and config.search:
            searched = searchdelta.index(edition, root, live, folded, pending, old_pending, fresh,
                                         manifest.data.get("outputs", []), config.build_dir / ".cache")
            result.stats["search"], keep, replaced = searched.stats, searched.keep, searched.replaced
        if indexer is not None:
            for vol in sorted(set(edition.volumes) - set(indexer.given)):
                indexer.finish_volume(vol)  # volumes without documents
            result.stats["search"], indexer = indexer.finish(), None
        outputs = index_outputs(staging / config.url_prefix, edition)
        if delta:
            # Index pages left as they were are still this build's outputs (not stale).
            outputs = sorted(set(outputs) | set(page_keys))
            # Ebooks of volumes this build did not touch, search shards of those it did not index, stay.
            kept = [o for o in manifest.data.get("outputs", []) if indexpages.is_volume_extra(o)
                    and o.split("/")[0] not in (folded if o.split("/")[1] == "pagefind" else touched)]
            outputs = sorted(set(outputs) | set(kept) | set(keep))
        if same_urls:
            outputs = sorted(set(outputs) | set(indexpages.url_outputs(manifest.data.get("outputs", []),
                                                                        manifest.data.get("pages", {}))))
        if report.errors:
            raise BuildFailed(report)
        stale = sorted(set(manifest.data.get("outputs", [])) - set(outputs)) if delta else []
        if delta and config.search:
            searchdelta.mark_unsaved(manifest.path.parent, changed)
        commit(config, site, staging, tei_staging, delta, into, removed, replaced, stale)
    except BaseException:
        gc.unfreeze()
        if indexer is not None:
            _stop(indexer)
        atomic.discard(staging)
        atomic.discard(tei_staging)
        raise
    ledger = cache.ledger_hash(config)
    manifest.save(render_base, keys, outputs, page_keys, ledger=ledger,
                  urls=indexpages.url_state(urls, ledger), nav=shared.nav_links, pending=pending)
    searchdelta.settle(manifest.path.parent)
    _collect_garbage(docs_cache, {r.digest for r in edition.all_records()})
    gc.unfreeze()
    result.rendered = len(changed)
    return _finish(result, edition, start, delta)


def shared_for(config: Config, volumes: list[VolumeSources], csp: str = "") -> Shared:
    """What every worker needs of the edition before any document is read."""
    return Shared(config=config, volumes={v.volume.id: v.volume for v in volumes},
                  persons={v.volume.id: v.persons for v in volumes},
                  terms={v.volume.id: v.terms for v in volumes}, csp=csp)


def know_targets(shared: Shared, edition: Edition) -> None:
    """Tell the workers which documents and printed pages a link may point to."""
    shared.docs = frozenset((r.volume, r.id) for r in edition.all_records())
    shared.pages = frozenset((r.volume, p) for r in edition.all_records() for p in r.pages)


def bases(config: Config, into: Path | None = None, markdown_pages: bool = True) -> tuple[str, str]:
    """The hashes every conversion (read) and every page (render) depends on besides its own source."""
    read_base = _sha(cache.code_hash(), cache.edition_hash(config))
    # Turning search or ebooks on or off changes what a build makes beside the pages: a full build.
    return read_base, _sha(read_base, cache.templates_hash(config), str(into is not None), str(markdown_pages),
                           f"search={config.search}", f"ebooks={config.ebooks}")


def _finish(result: BuildResult, edition: Edition, start: float, delta: bool) -> BuildResult:
    """Fill in the summary of a build that succeeded."""
    result.documents = sum(len(v) for v in edition.records.values())
    result.volumes = len(edition.volumes)
    result.incremental = delta
    result.seconds = time.perf_counter() - start
    return result


def render_keys(edition: Edition, base: str) -> dict[str, str]:
    """Every document's render key, by 'volume/id'."""
    docs_hash = _sha(*sorted(f"{r.volume}/{r.id}" for r in edition.all_records()))
    keys: dict[str, str] = {}
    for vol in sorted(edition.records):
        docs = edition.records[vol]
        for i, rec in enumerate(docs):
            prev = docs[i - 1] if i else None
            nxt = docs[i + 1] if i + 1 < len(docs) else None
            keys[f"{vol}/{rec.id}"] = cache.render_key(base, rec, prev, nxt, docs_hash)
    return keys


def read_stage(config: Config, volumes: list[VolumeSources], shared: Shared, docs_cache: Path, base: str,
               report: Report, tick: Progress, snapshot: Path | None = None) -> list[DocRecord]:
    """Convert every source (in parallel) or take it from the cache, keeping only small records.

    A source whose signature (time, size, inode) is that of the last read is not read at all: its
    record comes from the snapshot, so an unchanged edition costs one stat a source.
    """
    docs_cache.mkdir(parents=True, exist_ok=True)
    snap = cache.Snapshot(snapshot, base)
    present = set(os.listdir(docs_cache))
    slots: list[DocRecord | None] = []
    tasks: list[tuple[int, cache.Signature, ReadTask]] = []
    displays: set[str] = set()
    root = str(config.project_dir).rstrip(os.sep) + os.sep
    for v in volumes:
        for p in v.sources:
            text = str(p)
            display = text[len(root):] if text.startswith(root) else _display(config, p)
            displays.add(display)
            sig = cache.signature(p)
            hit = snap.get(display, sig)
            if hit is not None and f"{hit.digest}.doc" in present:
                slots.append(hit)
                continue
            tasks.append((len(slots), sig, ReadTask(v.volume.id, str(p), display, str(docs_cache), base)))
            slots.append(None)
    snap.keep_only(displays)
    done = len(slots) - len(tasks)
    read = pmap(read_one, [t for _, _, t in tasks], shared, worker_count(config, len(tasks)))
    for (slot, sig, task), (record, diags) in zip(tasks, read):
        for d in diags:
            report.add(d)
        if record is not None:
            slots[slot] = record
            snap.put(task.display, sig, record)
        done += 1
        tick("read", done, len(slots))
    snap.save()
    return [r for r in slots if r is not None]


def render_stage(edition: Edition, shared: Shared, docs_cache: Path, staging: Path, tei_staging: Path,
                 changed: set[str], report: Report, tick: Progress,
                 on_volume: Callable[[str], None] | None = None, context: BaseContext | None = None) -> None:
    """Write the TEI and page of every changed document (in parallel), streaming from the cache.

    ``on_volume`` is told of each volume whose pages are all written, as soon as they are.
    """
    tasks: list[RenderTask] = []
    for vol in sorted(edition.records):
        docs = edition.records[vol]
        for i, rec in enumerate(docs):
            if f"{vol}/{rec.id}" not in changed:
                continue
            tasks.append(RenderTask(rec, docs[i - 1] if i else None, docs[i + 1] if i + 1 < len(docs) else None,
                                    str(docs_cache), str(staging), str(tei_staging)))
    left = Counter(task.record.volume for task in tasks)
    results = pmap(render_one, tasks, shared, worker_count(edition.config, len(tasks)), context)
    for i, (task, diags) in enumerate(zip(tasks, results), 1):
        for d in diags:
            report.add(d)
        tick("write", i, len(tasks))
        left[task.record.volume] -= 1
        if on_volume is not None and not left[task.record.volume] and not report.errors:
            on_volume(task.record.volume)


def removed_ids(removed: list[str], vol: str) -> list[str]:
    """Ids of the removed documents of one volume ('vol/d12' keys)."""
    return [key.split("/")[1] for key in removed if key.split("/")[0] == vol]


def index_outputs(root: Path, edition: Edition) -> list[str]:
    """Staged files that are not a document's own (pages, TEI, note shortcuts): index pages and extras.

    Recorded so that a later incremental build can delete the ones it no longer makes. A volume's
    document folders are not entered: they are most of the site and none of them is an index file.
    """
    docs = {(r.volume, r.id) for r in edition.all_records()}
    out: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        rel = "" if rel == "." else rel + "/"
        if rel.count("/") == 1:  # a volume's folder: skip its documents and their shortcuts
            vol = rel[:-1]
            dirs[:] = [d for d in dirs if (vol, _NOTE_SUFFIX.sub("", d)) not in docs]
            files = [n for n in files if (vol, n.removesuffix(".xml")) not in docs or not n.endswith(".xml")]
        out.extend(rel + name for name in files)
    return sorted(out)


def commit(config: Config, site: Path, staging: Path, tei_staging: Path, delta: bool, into: Path | None,
           removed: list[str], replaced: list[str] | None = None, stale: list[str] | None = None) -> None:
    """Publish the staged build: swap whole folders, or move a delta's files into place.

    ``replaced`` names folders of the site (search bundles) that a delta's staged ones replace whole.
    """
    if into is not None:
        shutil.copytree(staging, into, dirs_exist_ok=True)
        atomic.discard(staging)
        atomic.swap_in(tei_staging, config.tei_dir)
    elif not delta:
        trash = config.build_dir / ".cache" / "trash"
        atomic.swap_in(staging, site, trash)
        atomic.swap_in(tei_staging, config.tei_dir, trash)
    else:
        root = site / config.url_prefix
        for key in removed:
            vol, doc = key.split("/")
            shutil.rmtree(root / vol / doc, ignore_errors=True)
            for shortcut in (root / vol).glob(f"{doc}fn*"):
                if _NOTE_SUFFIX.sub("", shortcut.name) == doc:
                    shutil.rmtree(shortcut, ignore_errors=True)
            for old in (root / vol / f"{doc}.xml", config.tei_dir / vol / f"{doc}.xml"):
                old.unlink(missing_ok=True)
        for rel in stale or []:
            (root / rel).unlink(missing_ok=True)  # an index page or redirect this build no longer makes
        for folder in replaced or []:
            shutil.rmtree(root / folder, ignore_errors=True)  # the staged bundle replaces it whole
        atomic.merge_in(staging, site)
        atomic.merge_in(tei_staging, config.tei_dir)


def _stop(indexer: VolumeIndexer) -> None:
    """Let a failed build's search thread end (volumes already given are indexed, then dropped)."""
    try:
        indexer.finish()
    except Exception:  # the build's own error is the one to report
        pass


def _release_memory(heavy: bool = True) -> None:
    """Collect cycles and hand freed heap back to the system, so memory follows what is alive, not the peak."""
    if not heavy:
        return
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc only; elsewhere the allocator keeps its pages
    except (OSError, AttributeError, TypeError):
        pass


def _collect_garbage(docs_cache: Path, live: set[str]) -> None:
    """Drop cached conversions that no current source has."""
    for name in os.listdir(docs_cache):  # names, not paths: one per document of the edition
        if "." in name and not (name.endswith(".doc") and name[:-4] in live):
            (docs_cache / name).unlink(missing_ok=True)


def _display(config: Config, path: Path) -> str:
    """A source's path as users see it: relative to the project (by string: it runs for every source)."""
    text, root = str(path), str(config.project_dir).rstrip(os.sep) + os.sep
    if text.startswith(root):
        return text[len(root):]
    try:
        return str(path.relative_to(config.project_dir))
    except ValueError:
        return text
