"""The build's last URL stage: redirects, the ledger check, the published list, sitemap and robots."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SourceError
from .chunks import Known, Notes, disk_keys, key_of, parts
from .ledger import EXCLUDE, LEDGER_NAME, PUBLISHED_NAME, _matcher, iter_ledger
from .lists import LedgerCheck, ListWriter, sorted_entries
from .redirects import NETLIFY_NAME, declared_redirects, emit_redirects, is_shortcut, redirect_origins, resolve
from .scheme import normalize, public_path, site_root
from .sitemap import SitemapWriter, lastmod, write_robots

CLOUDFLARE_RULES = 2000   # static redirects a Cloudflare Pages project may declare
_NOTE_PATH = re.compile(r"^(?P<vol>[^/]+)/(?P<doc>[^/]+?)fn(?P<n>[0-9A-Za-z]+)/$")


def derived_redirects(old_paths: Iterable[str], declared: dict[str, str], notes: Any) -> dict[str, str]:
    """A renumbered document keeps its other URLs: its TEI file and its note shortcuts follow it.

    ``notes``: where each current note shortcut leads (``get``, as a dict's), ``Notes`` in a build."""
    out: dict[str, str] = {}
    moved = {old: new for old, new in declared.items() if old.endswith("/") and "#" not in new and new.endswith("/")}
    if not moved:
        return out  # the ledger's paths are not read
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
        # The whole ledger read once here: a bad line stops the stage. A search file an earlier version
        # recorded is not a URL to keep: it is left out of the check, and of the ledger written again.
        entries = sorted_entries(ledger_path, _matcher(list(EXCLUDE)))
    except SourceError as exc:
        for diag in exc.diagnostics:  # named as the build's other errors are
            diag.path = _display(cfg, Path(diag.path))
        return list(exc.diagnostics)
    prefix = cfg.url_prefix or ""
    # One small page per note: large editions may turn the shortcuts off (and accept the URLs).
    shortcuts = cfg.raw.get("note_redirects", True)
    notes = Notes(edition)
    old = (p[len(prefix):] for p, _ in iter_ledger(ledger_path) if p.startswith(prefix))
    wanted = {**derived_redirects(old, declared, notes), **declared}
    # Note shortcuts are a rule, not moves: their pages are written with their documents (site/worker.py),
    # and a redirect to one leads on to its note.
    for target in list(wanted.values()):
        page = target.partition("#")[0]
        note = notes.get(page)
        if note is not None and page not in wanted and shortcuts:
            wanted[page] = note
    public = _public(cfg)
    known = Known(prefix, public)
    known.group("kept", getattr(edition, "kept_paths", set()))
    known.group("index", index_paths)
    redirects, diags = resolve(wanted, _Published(edition, root, known, notes), origins)
    moves = {k: v for k, v in redirects.items() if not is_shortcut(k, v)}
    emit_redirects(site, moves, cfg)
    rules = len(moves)
    if rules > CLOUDFLARE_RULES:
        diags.append(Diagnostic(_display(cfg, site / NETLIFY_NAME), 1, 1,
                                f"{rules} server redirect rules; Cloudflare Pages reads at most {CLOUDFLARE_RULES} "
                                "(the static redirect pages still work)", severity="warning"))
    # The redirect pages are published at their old paths; their server rules count for the ledger.
    known.group("moved", redirects)
    known.group("unlisted", unlisted)
    grow = cfg.raw.get("ledger_grow", True) and not any(d.severity == "error" for d in diags)
    on_disk = disk_keys(site, prefix)  # before this stage's own files are begun there
    lists = [ListWriter(site / PUBLISHED_NAME), ListWriter(Path(cfg.build_dir) / PUBLISHED_NAME)]
    # The ledger's next text is staged in the build's cache: the sources' folder is watched by the servers.
    grown = ListWriter(ledger_path, Path(cfg.build_dir) / ".cache") if grow else None
    check = LedgerCheck(ledger_path, entries, {public(k) for k in redirects}, grown)
    written = [*lists, *([check.grow] if check.grow is not None else [])]
    sitemap = SitemapWriter(site, cfg)
    dates: dict[str, str] = {}  # by first segment: a volume's pages share its date
    try:
        for part in parts(site, edition, known, shortcuts, on_disk):
            for listing in lists:
                listing.add(part.published)
            check.add(part.published)
            sitemap.add([(p, _lastmod(edition, p, dates)) for p in part.listed])
        lost = check.finish()
    except BaseException:
        for listing in written:
            listing.close(keep=False)
        raise
    for listing in lists:
        # The build folder's copy survives a failed build, so `despatch accept-urls` can use it.
        listing.close()
    if check.grow is not None:
        check.grow.close(keep=not lost and (check.added > 0 or not ledger_path.exists()))
    for diag in lost:
        diag.path = _display(cfg, ledger_path)
    diags += lost
    sitemap.close()
    write_robots(site, cfg)
    return diags


class _Published:
    """Whether the build publishes a site path: what a redirect asks of its old path and of its target."""

    def __init__(self, edition: Any, root: Path, known: Known, notes: Notes) -> None:
        self.records, self.root, self.known, self.notes = edition.records, root, known, notes
        self.excluded = _matcher(list(EXCLUDE))
        self._ids: dict[str, set[str]] = {}

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str) or self.notes.get(path) is not None:
            return False  # a note's shortcut is not a page that a redirect would hide
        public = self.known.public(path)
        key = key_of(public, self.known.prefix)
        if public in self.known.kept.get(key, set()) or public in self.known.index.get(key, set()):
            return True
        vol, _, rest = path.partition("/")
        if vol in self.records and "/" not in rest.rstrip("/"):
            if vol not in self._ids:
                self._ids[vol] = {r.id for r in self.records[vol]}
            if (rest[-1:] == "/" and rest[:-1] in self._ids[vol]) or (rest[-4:] == ".xml" and rest[:-4] in self._ids[vol]):
                return True
        # Any other page or file the build wrote (in this build's folder, as the site's walk would find it).
        file = self.root / path / "index.html" if path[-1:] == "/" or not path else self.root / path
        return not self.excluded(public or "index.html") and file.is_file()


def _public(cfg: Any) -> Callable[[str], str]:
    """``public_path`` for one configuration: without a prefix, a path's public path is its canonical form."""
    prefix = str(getattr(cfg, "url_prefix", "") or "")
    return normalize if not prefix else lambda path: public_path(cfg, path)


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
