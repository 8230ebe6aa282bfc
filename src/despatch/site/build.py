"""The build, as a list of stages: collect → read → gather → write documents → index pages → extras → commit."""

from __future__ import annotations

import ctypes
import gc
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import Report
from ..files import make_folders
from . import atomic, cache, indexpages, searchdelta
from .collect import VolumeSources, collect
from .epubtask import EpubTask, write_volume_epub
from .outputs import collect_garbage, commit, files_under, index_outputs, removed_ids, \
    standing_outputs
from .pages import Edition
from .pool import Aside, Call, Workers, aside, aside_all, pmap, thread_safe_context, worker_count
from .stages import Progress, docs_dir, read_edition, render_keys, render_stage, sha
from .worker import Shared

if TYPE_CHECKING:  # a full build's search thread and pool: an incremental build need not import them
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

    from ..search.volume import VolumeIndexer

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


def build(config: Config, progress: Progress | None = None, *, into: Path | None = None,
          markdown_pages: bool = True, incremental: bool = True, hold: list[Any] | None = None) -> BuildResult:
    """Build the edition; nothing reaches the site unless the whole build succeeded.

    A full build writes a complete staging folder and swaps it in. When only documents changed
    since the last build (same code, configuration and templates), only their pages and the index
    pages are staged, then moved into the site. ``into`` merges a full build into an existing
    folder instead (MkDocs' site, which renders the Markdown pages itself: ``markdown_pages=False``).

    With search, an incremental build indexes the changed documents into a small changes bundle and
    leaves their volumes' bundles as they were (see ``searchdelta``): its search files then differ
    from a full build's, but answer every query with the same documents.

    ``hold``: a list the build's large objects (the edition's records, the manifest) are put in
    rather than freed on return, for a program that ends next and need not free them one by one.
    """
    start = time.perf_counter()
    tick = progress or (lambda stage, done, total: None)
    result = BuildResult()
    report = result.report
    site = into if into is not None else config.site_dir

    volumes = collect(config, report, config.build_dir / ".cache" / "listing.json")
    read_base, render_base = bases(config, into, markdown_pages)
    docs_cache = docs_dir(config)
    manifest = cache.Manifest(config.build_dir / ".cache" / "manifest.json")
    delta = (incremental and into is None and site.is_dir() and config.tei_dir.is_dir()
             and manifest.data.get("base") == render_base)
    if config.search and not delta:
        _start_server(config, volumes)
    staging = atomic.make_staging(site)
    tei_staging = atomic.make_staging(config.tei_dir)
    if into is not None and into.is_dir():
        # MkDocs' pages are part of the site: the URL ledger and sitemap must see them too.
        shutil.copytree(into, staging, dirs_exist_ok=True)
    indexer: VolumeIndexer | None = None
    searching: Aside | None = None   # an edit's search changes, made by a copy of this process
    ebooks: Aside | None = None      # an edit's ebooks and references, likewise
    beside: Aside | None = None      # a full build's index pages, likewise
    workers: Workers | None = None   # a full build's pool: its pages, then its ebooks
    collecting = gc.isenabled()
    try:
        shared = shared_for(config, volumes, CSP)
        # Every record made from here on stays alive: no automatic collection walks them until they
        # are frozen or collected once, below.
        gc.disable()
        edition = read_edition(config, volumes, shared, read_base, report, tick, result.stats)
        if report.errors:
            raise BuildFailed(report)
        know_targets(shared, edition)
        keys = render_keys(edition, render_base, manifest.data if delta else None)
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
        # The edition's records outlive the build: later collections (index pages, ebooks) need not
        # walk them. Only what is alive now is frozen, just after the collection above (unfrozen below).
        gc.freeze()
        if collecting:
            gc.enable()
        ledger = cache.ledger_hash(config)
        if delta and not changed and not removed and manifest.data.get("ledger") == ledger:
            # Same code, configuration, templates, sources and ledger as the last build: its site stands.
            atomic.discard(staging)
            atomic.discard(tei_staging)
            gc.unfreeze()
            if hold is not None:
                hold.extend([edition, manifest, keys, shared])
            return _finish(result, edition, start, delta=True)
        # A full build makes each index page once, as it writes it (made here to plan them, they were made
        # twice): a copy of this process renders them beside the document workers, or this one after them.
        walked = not delta
        pages = indexpages.plan(edition, markdown_pages, manifest.data if delta else None, render_base, walked=walked)
        shared.nav_links = pages.nav
        if delta and pages.nav != manifest.data.get("nav"):
            changed, heavy = set(keys), True  # every document's page links to the navigation's pages
        if config.search:
            _make_folders(staging / config.url_prefix, changed)
        # A full build's index pages need only the records and the plan: a copy of this process renders
        # them beside the document workers (forked now, before the search thread below starts).
        beside = aside(indexpages.write_pages, edition, pages, staging, shared.csp, render_base) \
            if walked and worker_count(config, len(changed)) > 1 else None
        # A full build indexes each volume for search while the next ones render (Pagefind's command
        # runs beside them); its thread asks for worker processes that are not forked from this one.
        if config.search and not delta:
            from ..search.volume import VolumeIndexer
            indexer = VolumeIndexer(staging / config.url_prefix, sorted(edition.volumes))
        context = thread_safe_context() if indexer is not None else None
        if not delta and len(changed) > 1 and worker_count(config, len(changed)) > 1:
            workers = Workers(shared, worker_count(config, len(changed)), context)
        render_stage(edition, shared, docs_cache, staging, tei_staging, changed, report, tick,
                     indexer.finish_volume if indexer is not None else None, context, workers)
        # The ebooks queue behind the last pages in the same workers, while this process publishes the URLs.
        epubs = _start_ebooks(edition, staging / config.url_prefix, workers) if workers is not None else None
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
        # Index pages and ebooks are rendered by workers started clean: a worker forked now, from a
        # process holding the whole edition, would copy much of it page by page as it allocates.
        pool = lambda fn, items: _pool_map(fn, items, shared, worker_count(config, 64 * len(items)), context)
        extras = dict(previous=live if delta else None, pool=pool, search=indexer is None and not delta,
                      epubs=epubs)
        search_args = (edition, root, live, folded, pending, old_pending, fresh, manifest.data.get("outputs", []),
                       config.build_dir / ".cache")
        # An edit's ebooks and reference files, and its search changes, need only the documents, all
        # staged now: copies of this process make them on other cores while this one renders the index
        # pages (processes, not threads: a thread waiting on files would queue for the interpreter's
        # lock behind the rendering). An incremental build's extras record no statistics.
        parallel = delta and worker_count(config, 64) > 1
        # The search changes first: waiting on Pagefind's command, they take longest.
        calls: dict[str, Call] = {}
        if parallel and config.search and not folded:
            calls["search"] = (searchdelta.index, search_args, {})
        if parallel and not (config.search and folded) and len(touched) <= indexpages.FEW_EBOOKS:
            calls["ebooks"] = (indexpages.volume_extras, (edition, root, touched, {}), extras)
        started = dict(zip(calls, aside_all(list(calls.values())) or []))
        searching, ebooks = started.get("search"), started.get("ebooks")
        written = beside.result() if beside is not None else None
        if written is None and pages.walked:
            written = indexpages.write_pages(edition, pages, staging, shared.csp, render_base)
        if written is not None:
            pages.learn(written[0])  # the files of the pages made as they were written
        # The same paths, notes and ledger as the last build: its ledger check, redirects and sitemap stand.
        urls, url_docs = indexpages.url_body(edition, pages.files(), manifest.data.get("url_docs") if delta else {})
        same_urls = delta and manifest.data.get("urls") == indexpages.url_state(urls, ledger)
        if written is not None:  # the URL products walk the staged site: the document pages are all there now
            page_keys = indexpages.publish_pages(edition, pages, staging, report, result.stats, written)
        else:
            page_keys = indexpages.write_all(edition, pages, staging, shared.csp, report, result.stats,
                                             render_base, manifest.data.get("pages") if delta else None, site,
                                             publish_urls=not same_urls)
        result.pages = len(page_keys)
        # A full build staged every page it made, and nothing else into their folders: not listed again.
        staged = pages.made_files if not delta and into is None else []
        del pages  # every index page's context: the search router and ebooks need none of them
        _release_memory(heavy)
        if delta:
            # A volume indexed for search whole is read whole: lay its unchanged pages beside the new
            # ones. (Ebooks read the TEI files this build did not stage from the live site.)
            for vol in sorted(set(folded) if config.search else []):
                atomic.overlay(live / vol, root / vol,
                               skip={f"{rid}" for rid in removed_ids(removed, vol)} | {"pagefind"},
                               only={r.id for r in edition.records.get(vol, [])})
        # The manifest's large parts known now are written while the copies of this process finish.
        manifest.prepare(docs=keys, pages=page_keys)
        if ebooks is not None:
            ebooks.result()
        else:
            indexpages.volume_extras(edition, root, touched, result.stats, **extras)
        if workers is not None:
            workers.close()
            workers = None
        keep: list[str] = []        # the last build's search files that stand
        replaced: list[str] = []    # search folders the staged ones replace whole
        if delta and config.search:
            searched = searching.result() if searching is not None else searchdelta.index(*search_args)
            result.stats["search"], keep, replaced = searched.stats, searched.keep, searched.replaced
        if indexer is not None:
            from ..search.indexer import BUNDLE, ROUTER

            for vol in sorted(set(edition.volumes) - set(indexer.given)):
                indexer.finish_volume(vol)  # volumes without documents
            # Listed while the last volumes are indexed (this process only waits on them): all but the
            # search bundles, whose files are listed once they are written.
            outputs = index_outputs(root, edition, skip=(ROUTER, BUNDLE), pages=staged)
            result.stats["search"], indexer = indexer.finish(), None
            bundles = [ROUTER] + [f"{vol}/{BUNDLE}" for vol in sorted(edition.volumes)]
            outputs = sorted(outputs + files_under(root, bundles))
        else:
            outputs = index_outputs(root, edition, pages=staged)
        stale: list[str] = []
        if delta:
            # Index pages left as they were are still this build's outputs (not stale), and so on.
            outputs, stale = standing_outputs(outputs, manifest.data.get("outputs", []), page_keys,
                                              manifest.data.get("pages", {}), keep, folded, touched, same_urls,
                                              indexpages.is_volume_extra)
        if report.errors:
            raise BuildFailed(report)
        if delta and config.search:
            searchdelta.mark_unsaved(manifest.path.parent, changed)
        commit(config, site, staging, tei_staging, delta, into, removed, replaced, stale)
    except BaseException:
        gc.unfreeze()
        if collecting:
            gc.enable()
        if indexer is not None:
            _stop(indexer)
        if workers is not None:  # its ebooks write into the staging folder too
            workers.close(failed=True)
        if beside is not None:  # it writes into the staging folder: it ends before the folder goes
            beside.stop()
        for running in (searching, ebooks):  # likewise, let them end before it goes
            if running is not None:
                running.wait()
        atomic.discard(staging)
        atomic.discard(tei_staging)
        raise
    ledger = cache.ledger_hash(config)
    manifest.save(render_base, keys, outputs, page_keys, ledger=ledger,
                  urls=indexpages.url_state(urls, ledger), nav=shared.nav_links, pending=pending,
                  url_docs=url_docs, key_prints=edition.memo.get("key_prints"))
    searchdelta.settle(manifest.path.parent)
    live = {r.digest for r in edition.all_records()}
    collect_garbage(docs_cache, live, edition.memo.get("dropped") if not heavy else None)
    gc.unfreeze()
    result.rendered = len(changed)
    if hold is not None:
        hold.extend([edition, manifest, keys, page_keys, outputs, shared, old])
    return _finish(result, edition, start, delta)


def _pool_map(fn: Any, items: list[Any], shared: Shared, workers: int, context: BaseContext | None) -> Any:
    """Map over workers started clean; the clean start's machinery is loaded only when a pool is started."""
    clean = context or (thread_safe_context() if workers > 1 and len(items) > 1 else None)
    return pmap(fn, items, shared, workers, clean, 1)


def _start_ebooks(edition: Edition, root: Path, workers: Workers) -> list[Future[str]] | None:
    """Queue every volume's ebook (its TEI files all staged now) in the workers that rendered its pages."""
    if not edition.config.ebooks:
        return None
    return [workers.submit(write_volume_epub, EpubTask(str(root), vol, edition.records[vol]))
            for vol in sorted(edition.volumes) if edition.records.get(vol)]


def _start_server(config: Config, volumes: list[VolumeSources]) -> None:
    """Start the server of clean workers now, for a full build with search that will render in them: it
    imports the renderer on another core while the sources are read, instead of after."""
    if worker_count(config, sum(len(v.sources) for v in volumes)) > 1 and thread_safe_context() is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


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
    read_base = sha(cache.code_hash(), cache.edition_hash(config))
    # Turning search or ebooks on or off changes what a build makes beside the pages: a full build.
    return read_base, sha(read_base, cache.templates_hash(config), str(into is not None), str(markdown_pages),
                           f"search={config.search}", f"ebooks={config.ebooks}")


def _finish(result: BuildResult, edition: Edition, start: float, delta: bool) -> BuildResult:
    """Fill in the summary of a build that succeeded."""
    result.documents = sum(len(v) for v in edition.records.values())
    result.volumes = len(edition.volumes)
    result.incremental = delta
    result.seconds = time.perf_counter() - start
    return result


def _stop(indexer: VolumeIndexer) -> None:
    """End a failed build's search thread: its bundles would be dropped with the staging folder."""
    try:
        indexer.cancel()
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


def _make_folders(root: Path, keys: set[str]) -> None:
    """Make the documents' page folders in one order before the workers write into them.

    Pagefind numbers a volume's pages in the order the volume's folder lists them, which on many file
    systems (tmpfs, btrfs, small XFS folders) is the order the folders were made: made by parallel
    workers, the search bundles would differ from one build to the next.
    """
    make_folders(root, sorted(keys))
