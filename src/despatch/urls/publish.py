"""The build's last URL stage: redirects, the ledger check, the published list, sitemap and robots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from ..errors import Diagnostic, SourceError
from .ledger import LEDGER_NAME, PUBLISHED_NAME, check_ledger, grow_ledger, published_urls, read_ledger, \
    write_ledger
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


def publish(edition: Any, root: Path) -> list[Diagnostic]:
    """Emit redirects, check the ledger, write the URL lists, sitemap and robots.txt.

    ``root`` is the folder of the edition's pages (the site folder plus ``url_prefix``).
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
    kept = {public_path(cfg, p) for p in getattr(edition, "kept_paths", set())}
    # Documents' folders and note shortcuts hold one index.html each: listed, not entered.
    leaves = {public_path(cfg, document_path(r.volume, r.id)) for r in edition.all_records()}
    leaves |= {public_path(cfg, p) for p in notes}
    before = sorted(set(published_urls(site, pages=frozenset(p.rstrip("/") for p in leaves)))
                    | record_urls(edition) | kept)
    pages = {p[len(prefix):] for p in before if p.startswith(prefix)}
    # The shortcut pages are on disk already (written with their documents): they are redirects,
    # not pages that a redirect would hide.
    redirects, diags = resolve(wanted, pages - set(notes), origins)
    # Note shortcuts are written with their document's page (site/worker.py): an incremental build
    # then rewrites only the changed documents' shortcuts, not a page per note of the edition.
    emit_redirects(site, {k: v for k, v in redirects.items() if not is_shortcut(k, v)}, cfg)
    rules = sum(1 for old, new in redirects.items() if not is_shortcut(old, new))
    if rules > CLOUDFLARE_RULES:
        diags.append(Diagnostic(_display(cfg, site / NETLIFY_NAME), 1, 1,
                                f"{rules} server redirect rules; Cloudflare Pages reads at most {CLOUDFLARE_RULES} "
                                "(the static redirect pages still work)", severity="warning"))
    # The redirect pages just written are published too; listing them saves a second walk of the site.
    published = sorted(set(before) | {public_path(cfg, old) for old in redirects if old.endswith("/")})
    for listing in (site / PUBLISHED_NAME, Path(cfg.build_dir) / PUBLISHED_NAME):
        # The build folder's copy survives a failed build, so `despatch accept-urls` can use it.
        write_ledger(published, listing)
    lost = check_ledger(published, ledger_path, {public_path(cfg, k): v for k, v in redirects.items()}, entries)
    for diag in lost:
        diag.path = _display(cfg, ledger_path)
    diags += lost
    if not any(d.severity == "error" for d in diags) and cfg.raw.get("ledger_grow", True):
        grow_ledger(published, ledger_path, entries)
    canonical = sorted(p for p in pages - set(notes) if p.endswith("/") or p == "")
    write_sitemap(site, [(p, _lastmod(edition, p)) for p in canonical], cfg)
    write_robots(site, cfg)
    return diags


def record_urls(edition: Any) -> set[str]:
    """The public paths of every document's page and TEI file."""
    cfg = edition.config
    out: set[str] = set()
    for rec in edition.all_records():
        out.add(public_path(cfg, document_path(rec.volume, rec.id)))
        out.add(public_path(cfg, tei_path(rec.volume, rec.id)))
    return out


def _lastmod(edition: Any, path: str) -> str:
    """A page's lastmod: its volume's release date, else the edition's; from the content, not the clock."""
    volume = edition.volumes.get(normalize(path).split("/", 1)[0])
    own = [str(volume.extra.get(k) or "") for k in ("release_date", "updated")] if volume is not None else []
    return lastmod(*own, str(edition.config.release_date or ""))


def _display(cfg: Any, path: Path) -> str:
    """A path as users see it: relative to the project."""
    try:
        return str(path.relative_to(cfg.project_dir))
    except ValueError:
        return str(path)
