"""The build's last URL stage: redirects, the ledger check, the published list, sitemap and robots."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SourceError
from .ledger import LEDGER_NAME, PUBLISHED_NAME, canonical, check_ledger, grow_ledger, read_ledger, \
    walk_urls, write_ledger
from .redirects import NETLIFY_NAME, declared_redirects, emit_redirects, is_shortcut, \
    note_redirects, redirect_origins, resolve
from .scheme import document_path, normalize, public_path, site_root, tei_path
from .sitemap import lastmod, write_robots, write_sitemap

CLOUDFLARE_RULES = 2000   # static redirects a Cloudflare Pages project may declare
_NOTE_PATH = re.compile(r"^(?P<vol>[^/]+)/(?P<doc>[^/]+?)fn(?P<n>[0-9A-Za-z]+)/$")


def derived_redirects(old_paths: Iterable[str], declared: dict[str, str], notes: dict[str, str]) -> dict[str, str]:
    """A renumbered document keeps its other URLs: its TEI file and its note shortcuts follow it."""
    out: dict[str, str] = {}
    moved = {old: new for old, new in declared.items() if old.endswith("/") and "#" not in new and new.endswith("/")}
    for old, new in moved.items():
        out[old.rstrip("/") + ".xml"] = new.rstrip("/") + ".xml"
    for path in old_paths:
        match = _NOTE_PATH.match(path)
        if match is None:
            continue
        doc_path = f"{match['vol']}/{match['doc']}/"
        if doc_path in moved:
            new_doc = moved[doc_path].rstrip("/").rsplit("/", 1)[-1]
            new_note = f"{moved[doc_path].rstrip('/').rsplit('/', 1)[0]}/{new_doc}fn{match['n']}/"
            out[path] = notes.get(new_note, moved[doc_path])
    return out


def publish(edition: Any, root: Path, index_paths: Iterable[str] = (), unlisted: Iterable[str] = ()) -> list[Diagnostic]:
    """Emit redirects, check the ledger, write the URL lists, sitemap and robots.txt.

    ``root`` is the folder of the edition's pages (the site folder plus ``url_prefix``);
    ``index_paths`` are the site paths of the index pages the build wrote there; ``unlisted``, the
    site paths of pages that are published but redirect (a printed page's with one document), which
    the sitemap leaves out as it does the other redirects.
    """
    cfg = edition.config
    site = site_root(root, cfg)
    ledger_path = Path(cfg.content_dir) / LEDGER_NAME
    try:
        declared = declared_redirects(cfg)
        origins = redirect_origins(cfg, lambda p: _display(cfg, p))
        entries = read_ledger(ledger_path)
        ledger = [p for p, _ in entries]
    except SourceError as exc:
        return list(exc.diagnostics)
    prefix = cfg.url_prefix or ""
    unprefixed = [p[len(prefix):] for p in ledger if p.startswith(prefix)]
    notes = note_redirects(edition.all_records())
    wanted = {**derived_redirects(unprefixed, declared, notes), **declared}
    if cfg.raw.get("note_redirects", True):
        # One small page per note: large editions may turn the shortcuts off (and accept the URLs).
        wanted = {**notes, **wanted}
    # An incremental build stages only the pages that changed: every document of the edition is
    # published all the same (its page and TEI are kept from the last build), so count them in.
    public = _public(cfg)
    kept = {public(p) for p in getattr(edition, "kept_paths", set())}
    # Documents' folders and note shortcuts hold one index.html each: listed, not entered.
    leaves = {public(document_path(r.volume, r.id)) for r in edition.all_records()}
    leaves |= {public(p) for p in notes}
    files = record_urls(edition)
    leaves |= _leaf_pages({public(p) for p in index_paths}, leaves, files)
    before = set(walk_urls(site, pages=frozenset([p[:-1] for p in leaves if p[-1:] == "/"])))
    before |= files
    before |= kept
    # At the scale of a whole series these sets hold millions of paths: each goes once it has served.
    del leaves, files, kept
    # The shortcut pages are on disk already (written with their documents): they are redirects,
    # not pages that a redirect would hide; nor does the sitemap list them.
    pages = {p[len(prefix):] for p in before if p.startswith(prefix)} if prefix else set(before)
    pages.difference_update(notes)
    redirects, diags = resolve(wanted, pages, origins)
    # Note shortcuts are written with their document's page (site/worker.py): an incremental build
    # then rewrites only the changed documents' shortcuts, not a page per note of the edition.
    # A note's own shortcut (``vol/d245fn1/``: two slashes, as ids hold none) is one without asking again.
    moves = {k: v for k, v in redirects.items() if not ((notes.get(k) == v and k.count("/") == 2) or is_shortcut(k, v))}
    del wanted, notes
    emit_redirects(site, moves, cfg)
    rules = len(moves)
    if rules > CLOUDFLARE_RULES:
        diags.append(Diagnostic(_display(cfg, site / NETLIFY_NAME), 1, 1,
                                f"{rules} server redirect rules; Cloudflare Pages reads at most {CLOUDFLARE_RULES} "
                                "(the static redirect pages still work)", severity="warning"))
    # The redirect pages just written are published too; listing them saves a second walk of the site.
    # In canonical form once: the lists, the check and the ledger's growth take them as they are.
    before.update(public(old) for old in redirects if old.endswith("/"))
    published = canonical(before)
    del before
    for listing in (site / PUBLISHED_NAME, Path(cfg.build_dir) / PUBLISHED_NAME):
        # The build folder's copy survives a failed build, so `despatch accept-urls` can use it.
        write_ledger(published, listing)
    # The redirects' public paths, made only if the ledger records any path to check.
    lost = check_ledger(published, ledger_path, (public(k) for k in redirects), entries)
    for diag in lost:
        diag.path = _display(cfg, ledger_path)
    diags += lost
    if not any(d.severity == "error" for d in diags) and cfg.raw.get("ledger_grow", True):
        grow_ledger(published, ledger_path, entries)
    del published, redirects
    pages.difference_update(unlisted)
    listed = sorted(p for p in pages if p.endswith("/") or p == "")
    del pages
    dates: dict[str, str] = {}  # by first segment: a volume's pages share its date
    write_sitemap(site, [(p, _lastmod(edition, p, dates)) for p in listed], cfg)
    write_robots(site, cfg)
    return diags


def record_urls(edition: Any) -> set[str]:
    """The public paths of every document's page and TEI file."""
    public = _public(edition.config)
    out: set[str] = set()
    for rec in edition.all_records():
        out.add(public(document_path(rec.volume, rec.id)))
        out.add(public(tei_path(rec.volume, rec.id)))
    return out


def _public(cfg: Any) -> Callable[[str], str]:
    """``public_path`` for one configuration: without a prefix, a path's public path is its canonical form."""
    prefix = str(getattr(cfg, "url_prefix", "") or "")
    return normalize if not prefix else lambda path: public_path(cfg, path)


def _leaf_pages(pages: set[str], *others: set[str]) -> set[str]:
    """The folder pages among ``pages`` that hold no other page or file the build knows of (in ``others``)."""
    # The build writes nothing else into an index page's folder but the pages below it: a folder that
    # no known path is below holds its index.html only, and the site's walk need not enter it.
    above: set[str] = set()
    for path in itertools.chain(pages, *others):  # not their union: a set of every path again
        folder = path.removesuffix("/")
        while "/" in folder:
            folder = folder[:folder.rfind("/")]
            if folder + "/" in above:
                break
            above.add(folder + "/")
    return {p for p in pages if p.endswith("/") and p not in above}


def _lastmod(edition: Any, path: str, dates: dict[str, str] | None = None) -> str:
    """A page's lastmod: its volume's release date, else the edition's; from the content, not the clock."""
    first = normalize(path).split("/", 1)[0]
    if dates is None:
        return _volume_lastmod(edition, first)
    if first not in dates:
        dates[first] = _volume_lastmod(edition, first)
    return dates[first]


def _volume_lastmod(edition: Any, first: str) -> str:
    """The lastmod of the pages whose path begins with ``first``."""
    volume = edition.volumes.get(first)
    own = [str(volume.extra.get(k) or "") for k in ("release_date", "updated")] if volume is not None else []
    return lastmod(*own, str(edition.config.release_date or ""))


def _display(cfg: Any, path: Path) -> str:
    """A path as users see it: relative to the project."""
    try:
        return str(path.relative_to(cfg.project_dir))
    except ValueError:
        return str(path)
