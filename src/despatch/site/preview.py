"""A preview rebuild for `despatch serve`: the changed documents' pages now, the rest at the next build.

An editor who saves a document wants to see that page at once. Its volume's index pages, search shard
and ebook, the URL ledger and the sitemap depend on the whole volume or edition and take seconds; a
preview leaves them as the last full build made them, and the next `despatch build` brings them up to
date, because the documents a preview rendered are still "changed" against the last build's manifest.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Collection

from ..apparatus.links import EditionIndex
from ..config import Config
from ..files import stamp
from . import atomic, held
from .build import build, template_failure
from .collect import VolumeSources, collect, listings_file
from .lock import edition_lock
from .manifest import Manifest
from .outputs import commit
from .prepare import CSP, bases, know_targets, shared_for
from .renderstage import render_stage
from .result import BuildFailed, BuildResult, finished
from .stages import Progress, docs_dir, read_edition, render_keys


def preview(config: Config, progress: Progress | None = None, touched: Collection[str] | None = None) -> BuildResult:
    """Render only the documents changed since the last build or preview; fall back to a build.

    A full build is made instead when there is no last build to start from (or its code, templates or
    configuration differ), or when a document was removed: dropping a URL needs the ledger's check.
    ``touched``: the files changed since the last preview, as a serving process learned them (None:
    not known); when they are sources of the edition it holds, only their volumes are read (``held``).
    """
    # Every record of the edition is made again and stays alive until the preview ends: a collection
    # would walk them all in vain, again and again (at the scale of FRUS, a third of a preview's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with edition_lock(config.build_dir):
            try:
                return _preview(config, progress, touched)
            except Exception as exc:
                template_failure(exc, config)
                raise
    except BaseException:
        held.forget()  # it may be half read again: the next preview reads the whole edition
        raise
    finally:
        if collecting:
            gc.enable()


def _preview(config: Config, progress: Progress | None, touched: Collection[str] | None) -> BuildResult:
    """``preview`` itself."""
    start = time.perf_counter()
    tick = progress or (lambda stage, done, total: None)
    result = BuildResult()
    report = result.report
    site = config.site_dir
    read_base, render_base = bases(config)
    manifest = Manifest.kept(config.build_dir / ".cache" / "manifest.json")
    if not (site.is_dir() and config.tei_dir.is_dir() and manifest.data.get("base") == render_base
            and "nav" in manifest.data):
        held.forget()
        return build(config, progress)
    report.items.extend(config.notices)
    volumes = collect(config, report, listings_file(config))
    docs_cache = docs_dir(config)
    kept = held.take(render_base, stamp(manifest.path)) if touched is not None else None
    names: list[str] | None = None  # the documents of the volumes read again, when only they were
    again: list[VolumeSources] | None = None  # those volumes
    if kept is not None and touched is not None:
        again = held.touched_volumes(kept, config, volumes, touched)
        names = held.update(kept, config, again, read_base, manifest.data, report, tick) if again is not None else None
    if kept is not None and names is not None:
        if report.errors:
            raise BuildFailed(report)
        edition, shared, keys, index, docs_hash = kept.edition, kept.shared, kept.keys, kept.index, kept.docs_hash
        result.stats["volumes_read"] = len(again or [])  # the rest of the edition as held
    else:
        held.forget()
        shared = shared_for(config, volumes, CSP)
        edition = read_edition(config, volumes, shared, read_base, report, tick, result.stats)
        if report.errors:
            raise BuildFailed(report)
        # A volume whose records show what they showed at the last build keeps that build's keys.
        keys = render_keys(edition, render_base, manifest.data)
        know_targets(shared, edition)
        shared.nav_links = manifest.data["nav"]
    built, previewed = manifest.data.get("docs", {}), manifest.data.get("previewed", {})
    if names is None:
        seen = {**built, **previewed}
        if set(seen) - set(keys):
            return build(config, progress)
        changed = {k for k, v in keys.items() if seen.get(k) != v}
    else:  # after a preview every page shows its key: only the volumes read again can have other keys now
        changed = {k for k in names if previewed.get(k, built.get(k)) != keys[k]}
    staging = atomic.make_staging(site)
    tei_staging = atomic.make_staging(config.tei_dir)
    try:
        render_stage(edition, shared, docs_cache, staging, tei_staging, changed, report, tick)
        if report.errors:
            raise BuildFailed(report)
        commit(config, site, staging, tei_staging, True, None, [], [], [], rendered=changed)
    except BaseException:
        atomic.discard(staging)
        atomic.discard(tei_staging)
        raise
    manifest.data["previewed"] = {**previewed, **{k: keys[k] for k in changed}}
    manifest.write()
    manifest.keep()
    if touched is not None:  # a serving process: the next preview may read only what it is told changed
        if names is None:
            index = EditionIndex.of(edition.all_records())
            docs_hash = edition.memo["docs_hash"]  # render_keys' own
        held.keep(held.Held(render_base, stamp(manifest.path), volumes, edition, keys, shared, index, docs_hash))
    result.rendered = len(changed)
    result.stats["preview"] = True
    return finished(result, edition, start, True)


def preview_summary(result: BuildResult) -> str:
    """What a preview did, for the editor: the pages it rendered, its time, what it read."""
    read = result.stats.get("volumes_read")
    what = "the whole edition" if read is None else f"{read} volume(s) again"
    return f"Previewed {result.rendered} changed document page(s) in {result.seconds:.2f} s, reading {what}"
