"""The build, as a list of stages: collect → read → gather → write documents → index pages → extras → commit."""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import Report
from . import asbuilt, atomic, cache, searchdelta
from .aside import Aside, Call, aside, aside_all
from .collect import collect, listings_file
from .delta import changes, overlay_folded, search_plan
from .lock import edition_lock, sweep
from .manifest import Manifest
from .memory import release_memory
from .outputs import collect_garbage, commit, index_outputs
from .pool import Workers, clean_pmap, thread_safe_context, worker_count
from .prepare import CSP, bases, know_targets, shared_for
from .renderstage import render_stage
from .result import BuildFailed, BuildResult, finished
from .running import stop_running
from .searching import finish_indexer, make_folders, start_indexer, start_server
from .stages import Progress, docs_dir, read_edition, render_keys
from .standing import standing_outputs
from .urlstate import url_state

if TYPE_CHECKING:  # a full build's search thread: an incremental build need not import it
    from ..search.volume import VolumeIndexer

FEW = 64  # changed documents up to which an incremental build does not collect garbage


def build(config: Config, progress: Progress | None = None, *, into: Path | None = None,
          markdown_pages: bool = True, incremental: bool = True, hold: list[Any] | None = None) -> BuildResult:
    """Build the edition, one build of it at a time (``lock``); see ``_build``."""
    with edition_lock(config.build_dir):
        sweep([into if into is not None else config.site_dir, config.tei_dir], config.build_dir / ".cache" / "trash")
        try:
            try:
                return _build(config, progress, into=into, markdown_pages=markdown_pages, incremental=incremental,
                              hold=hold)
            except _Restart:
                # Rare (a first citation of an archive unit, say): every page is made again, as a full build makes them.
                return _build(config, progress, into=into, markdown_pages=markdown_pages, incremental=False, hold=hold)
        except Exception as exc:
            template_failure(exc, config)
            raise


def template_failure(exc: Exception, config: Config) -> None:
    """Raise ``BuildFailed`` for an error that a template of the project's own raised, at its place there."""
    if isinstance(exc, BuildFailed):
        return
    # Loaded only when something failed.
    from ..render.templateerror import template_diagnostic

    diag = template_diagnostic(exc, config.project_dir)
    if diag is not None:
        report = Report()
        report.add(diag)
        raise BuildFailed(report) from None


class _Restart(Exception):
    """An incremental build that cannot go on: a full build is made instead."""


class _NavChanged(_Restart):
    """An incremental build's navigation is not the last build's, which its documents were rendered with."""


class _PartsGone(_Restart):
    """A large part of the last build's manifest, read only once the sources changed, is gone or damaged."""


def _build(config: Config, progress: Progress | None = None, *, into: Path | None = None,
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
    report.items.extend(config.notices)  # what the configuration itself gave to warn of
    site = into if into is not None else config.site_dir

    volumes = collect(config, report, listings_file(config))
    read_base, render_base = bases(config, into, markdown_pages)
    docs_cache = docs_dir(config)
    # Its large parts are read once the sources are known to have changed (an unchanged edition needs none).
    manifest = Manifest(config.build_dir / ".cache" / "manifest.json", parts=False)
    delta = (incremental and into is None and site.is_dir() and config.tei_dir.is_dir()
             and manifest.data.get("base") == render_base)
    if config.search and not delta:
        start_server(config, volumes)
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
        ledger = cache.ledger_hash(config)
        # The last build's read on disk and nothing else changed: the sources alone are looked at. Not
        # where the folders hold an error (a folder of sources without volume.yml, a link to nothing),
        # which no source's signature shows: the build reads on to say all that a full build says.
        edition = read_edition(config, volumes, shared, read_base, report, tick, result.stats,
                               as_built=delta and not report.errors and asbuilt.stands(config, manifest, ledger))
        if edition is None:  # every source as that build read it: its site stands, and what it said is said again
            atomic.discard(staging)
            atomic.discard(tei_staging)
            if collecting:
                gc.enable()
            asbuilt.said_again(result, manifest, len(volumes))
            result.seconds = time.perf_counter() - start
            return result
        read = asbuilt.read_state(config)  # the snapshot as this build read it, for the next one
        if delta:
            try:
                manifest.read_parts()
            except (OSError, ValueError):
                raise _PartsGone from None  # as a damaged manifest read whole is no manifest
        if report.errors:
            raise BuildFailed(report)
        know_targets(shared, edition)
        keys = render_keys(edition, render_base, manifest.data if delta else None)
        old, previewed, changed, removed = changes(keys, manifest, delta)
        # A few changed documents leave little garbage: a collection would cost more than it gives back.
        heavy = not delta or len(changed) + len(removed) > FEW
        standing = delta and not changed and not removed and manifest.data.get("ledger") == ledger
        if not standing:
            # Imported here: a build that finds nothing changed renders nothing (these modules were a
            # fifth of its time); before the freeze below, so that no collection walks them either.
            from . import indexpages, volumeextras
            from .indexstage import write_index_pages
            from .volumeextras import FEW_EBOOKS, is_volume_extra, start_ebooks
        release_memory(heavy)  # the pool's results are unpickled records now: give back what carried them
        # The edition's records outlive the build: later collections (index pages, ebooks) need not
        # walk them. Only what is alive now is frozen, just after the collection above (unfrozen below).
        gc.freeze()
        if collecting:
            gc.enable()
        if standing:
            # Same code, configuration, templates, sources and ledger as the last build: its site stands.
            atomic.discard(staging)
            atomic.discard(tei_staging)
            gc.unfreeze()
            if hold is not None:
                hold.extend([edition, manifest, keys, shared])
            return finished(result, edition, start, delta=True)
        # A full build makes each index page once, as it writes it (made here to plan them, they were made
        # twice): a copy of this process renders them beside the document workers, or this one after them.
        walked = not delta
        # An incremental build renders its documents with the last build's navigation (the pages of the
        # site's menu), and plans its index pages while copies of this process make its search changes
        # and ebooks; should the plan find another navigation, the build starts again as a full one.
        told = manifest.data.get("nav") if delta else None
        pages = None if isinstance(told, list) else \
            indexpages.plan(edition, markdown_pages, manifest.data if delta else None, render_base, walked=walked)
        shared.nav_links = told if pages is None else pages.nav
        if delta and pages is not None:
            changed, heavy = set(keys), True  # no navigation recorded: every document's page is made again
        if config.search:
            make_folders(staging / config.url_prefix, changed)
        # A full build's index pages need only the records and the plan: a copy of this process renders
        # them beside the document workers (forked now, before the search thread below starts).
        beside = aside(indexpages.write_pages, edition, pages, staging, shared.csp, render_base) \
            if walked and worker_count(config, len(changed)) > 1 else None
        # A full build indexes each volume for search while the next ones render (Pagefind's command
        # runs beside them); its thread asks for worker processes that are not forked from this one.
        if config.search and not delta:
            indexer = start_indexer(staging / config.url_prefix, edition)
        context = thread_safe_context() if indexer is not None else None
        if not delta and len(changed) > 1 and worker_count(config, len(changed)) > 1:
            workers = Workers(shared, worker_count(config, len(changed)), context)
        render_stage(edition, shared, docs_cache, staging, tei_staging, changed, report, tick,
                     indexer.finish_volume if indexer is not None else None, context, workers)
        # The ebooks queue behind the last pages in the same workers, while this process publishes the URLs.
        epubs = start_ebooks(edition, staging / config.url_prefix, workers) if workers is not None else None
        release_memory(heavy)
        root, live = staging / config.url_prefix, site / config.url_prefix
        touched, folded, pending, fresh, old_pending = search_plan(edition, changed, previewed, removed, root, live,
                                                                   manifest, delta, config.search)
        # Index pages and ebooks are rendered by workers started clean: a worker forked now, from a
        # process holding the whole edition, would copy much of it page by page as it allocates.
        pool = lambda fn, items: clean_pmap(fn, items, shared, worker_count(config, 64 * len(items)), context)
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
        if parallel and not (config.search and folded) and len(touched) <= FEW_EBOOKS:
            calls["ebooks"] = (volumeextras.volume_extras, (edition, root, touched, {}), extras)
        started = dict(zip(calls, aside_all(list(calls.values())) or []))
        searching, ebooks = started.get("search"), started.get("ebooks")
        if pages is None:
            pages = indexpages.plan(edition, markdown_pages, manifest.data, render_base)
            if pages.nav != told:
                raise _NavChanged
        page_keys, urls, url_docs, same_urls = write_index_pages(
            edition, pages, beside, staging, site, shared.csp, render_base, manifest.data if delta else None, ledger,
            report, result.stats)
        result.pages = len(page_keys)
        # A full build staged every page it made, and nothing else into their folders: not listed again.
        staged = pages.made_files if not delta and into is None else []
        del pages  # every index page's context: the search router and ebooks need none of them
        release_memory(heavy)
        if delta and config.search:
            overlay_folded(edition, folded, removed, root, live)
        # The manifest's large parts known now are written while the copies of this process finish.
        manifest.prepare(docs=keys, pages=page_keys)
        if ebooks is not None:
            ebooks.result()
        else:
            volumeextras.volume_extras(edition, root, touched, result.stats, **extras)
        if workers is not None:
            workers.close()
            workers = None
        keep: list[str] = []        # the last build's search files that stand
        replaced: list[str] = []    # search folders the staged ones replace whole
        if delta and config.search:
            searched = searching.result() if searching is not None else searchdelta.index(*search_args)
            result.stats["search"], keep, replaced = searched.stats, searched.keep, searched.replaced
        if indexer is not None:
            outputs, indexer = finish_indexer(indexer, root, edition, result.stats, staged), None
        else:
            outputs = index_outputs(root, edition, pages=staged)
        stale: list[str] = []
        if delta:
            # Index pages left as they were are still this build's outputs (not stale), and so on.
            outputs, stale = standing_outputs(outputs, manifest.data.get("outputs", []), page_keys,
                                              manifest.data.get("pages", {}), keep, folded, touched, same_urls,
                                              is_volume_extra)
        if report.errors:
            raise BuildFailed(report)
        if delta and config.search:
            searchdelta.mark_unsaved(manifest.path.parent, changed)
        commit(config, site, staging, tei_staging, delta, into, removed, replaced, stale, rendered=changed)
    except BaseException as exc:
        gc.unfreeze()
        if collecting:
            gc.enable()
        stop_running(indexer, workers, beside, searching, ebooks)
        # Interrupted (Ctrl-C, a termination signal), the build ends now: its staging is removed behind it.
        trash = config.build_dir / ".cache" / "trash" if isinstance(exc, KeyboardInterrupt) else None
        atomic.discard(staging, trash)
        atomic.discard(tei_staging, trash)
        raise
    ledger = cache.ledger_hash(config)
    manifest.save(render_base, keys, outputs, page_keys, ledger=ledger,
                  urls=url_state(urls, ledger), nav=shared.nav_links, pending=pending,
                  url_docs=url_docs, key_prints=edition.memo.get("key_prints"), read=read,
                  gathered=asbuilt.gathered(config, sum(map(len, edition.records.values())), *edition.memo["gathered"]))
    searchdelta.settle(manifest.path.parent)
    live = {r.digest for r in edition.all_records()}
    collect_garbage(docs_cache, live, edition.memo.get("dropped") if not heavy else None)
    gc.unfreeze()
    result.rendered = len(changed)
    if hold is not None:
        hold.extend([edition, manifest, keys, page_keys, outputs, shared, old])
    return finished(result, edition, start, delta)

