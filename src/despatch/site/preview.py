"""A preview rebuild for `despatch serve`: the changed documents' pages now, the rest at the next build.

An editor who saves a document wants to see that page at once. Its volume's index pages, search shard
and ebook, the URL ledger and the sitemap depend on the whole volume or edition and take seconds; a
preview leaves them as the last full build made them, and the next `despatch build` brings them up to
date, because the documents a preview rendered are still "changed" against the last build's manifest.
"""

from __future__ import annotations

import gc
import time

from ..config import Config
from . import atomic
from .build import build
from .manifest import Manifest
from .outputs import commit
from .prepare import CSP, bases, know_targets, shared_for
from .result import BuildFailed, BuildResult, finished
from .renderstage import render_stage
from .stages import Progress, docs_dir, read_edition, render_keys
from .collect import collect, listings_file


def preview(config: Config, progress: Progress | None = None) -> BuildResult:
    """Render only the documents changed since the last build or preview; fall back to a build.

    A full build is made instead when there is no last build to start from (or its code, templates or
    configuration differ), or when a document was removed: dropping a URL needs the ledger's check.
    """
    # Every record of the edition is made again and stays alive until the preview ends: a collection
    # would walk them all in vain, again and again (at the scale of FRUS, a third of a preview's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _preview(config, progress)
    finally:
        if collecting:
            gc.enable()


def _preview(config: Config, progress: Progress | None) -> BuildResult:
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
        return build(config, progress)
    volumes = collect(config, report, listings_file(config))
    docs_cache = docs_dir(config)
    shared = shared_for(config, volumes, CSP)
    edition = read_edition(config, volumes, shared, read_base, report, tick, result.stats)
    if report.errors:
        raise BuildFailed(report)
    # A volume whose records show what they showed at the last build keeps that build's keys.
    keys = render_keys(edition, render_base, manifest.data)
    seen = {**manifest.data.get("docs", {}), **manifest.data.get("previewed", {})}
    if set(seen) - set(keys):
        return build(config, progress)
    changed = {k for k, v in keys.items() if seen.get(k) != v}
    know_targets(shared, edition)
    shared.nav_links = manifest.data["nav"]
    staging = atomic.make_staging(site)
    tei_staging = atomic.make_staging(config.tei_dir)
    try:
        render_stage(edition, shared, docs_cache, staging, tei_staging, changed, report, tick)
        if report.errors:
            raise BuildFailed(report)
        commit(config, site, staging, tei_staging, True, None, [], [], [])
    except BaseException:
        atomic.discard(staging)
        atomic.discard(tei_staging)
        raise
    manifest.data["previewed"] = {**manifest.data.get("previewed", {}), **{k: keys[k] for k in changed}}
    manifest.write()
    manifest.keep()
    result.rendered = len(changed)
    result.stats["preview"] = True
    return finished(result, edition, start, True)
