"""Pages made from the gathered edition: home, volumes, generated indexes and assets, then the URL products."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import Report
from ..render.env import asset_paths
from ..urls.publish import publish
from ..urls.scheme import server_path
from . import indexplan
from .indexplan import Plan, file_of, path_of
from .pagekey import Memo, page_key
from .pages import Edition, Group, Page, generators
from .pagewrite import render_window
from .sitepages import front_pages, volume_chapters

# Index pages rendered at a time: their contexts are alive together (a few KB each), and each window
# starts the worker processes again (a tenth of a second or so).
WINDOW = 4096
# Where hosts (Netlify, GitHub Pages, Cloudflare Pages, a server's error page) look for it.
NOT_FOUND = "404.html"


def plan(edition: Edition, markdown_pages: bool = True, previous: dict[str, Any] | None = None,
         base: str = "", retain: int | None = None, walked: bool = False) -> Plan:
    """Every non-document page of the edition, made from records before any page is written.

    With ``previous``, the manifest of the last build (an incremental build), the pages of groups
    whose key it recorded are kept as they are, without being made. More than ``retain`` pages
    made (default ``indexplan.RETAIN``) are made again as they are written.

    ``walked``: a full build whose pages are written by another process, which is told their files
    (``Plan.learn``): the pages are made once, as they are written, when the navigation can be told
    beforehand (``told_nav``).
    """
    cfg = edition.config
    vols = [edition.volumes[v] for v in sorted(edition.volumes)]

    def site_pages() -> list[Group]:
        # The home page shows each volume's count of documents; the rest comes from files that every
        # page depends on (a change of them is a full build).
        counts = json.dumps(sorted((vol, len(docs)) for vol, docs in edition.records.items()))
        return [Group("", counts, lambda: front_pages(edition, markdown_pages))]

    def contents(vol: str, links: list[dict[str, str]]) -> Page:
        return Page(f"{vol}/", "volume.html", {
            "volume": edition.volumes[vol], "chapters": volume_chapters(edition, vol), "docs": edition.records.get(vol, []),
            "volume_links": links}, edition.volumes[vol].title)

    def extra() -> list[Group]:
        # The search page and the page for addresses that are none list the volumes (their metadata):
        # nothing that an incremental build changes.
        search = [Group("search/", "volumes", lambda: [Page("search/", "search.html", {"volumes": vols}, "Search")])] \
            if cfg.search else []
        # The page for addresses that are none shows the first document as an example: its key names it.
        example = first_document(edition)
        return [*search, Group(NOT_FOUND, f"volumes {example}", lambda: [not_found(edition, vols, example)])]

    nav = told_nav(edition, markdown_pages) if walked and previous is None else None
    return indexplan.plan(edition, site_pages, contents, extra, base, previous, retain, nav)


def first_document(edition: Edition) -> str:
    """The site path of the first volume's first document, or of the seed's when there is none."""
    first = min(((vol, docs[0].id) for vol, docs in edition.records.items() if docs), default=None)
    return f"{first[0]}/{first[1]}/" if first else "frus1961-63v13/d245/"


def not_found(edition: Edition, vols: list[Any], example: str) -> Page:
    """The page a host serves at an address that is no page of the edition (``/404.html``): its links
    are absolute, from the edition's root on the server, since it is served at any depth."""
    cfg = edition.config
    return Page(NOT_FOUND, "404.html", {"page_path": server_path(cfg, ""), "volumes": vols, "search": cfg.search,
                                        "example": server_path(cfg, example)}, "Page not found")


def told_nav(edition: Edition, markdown_pages: bool = True) -> list[dict[str, str]] | None:
    """The navigation a full build's pages make, told without making them (None: other generators).

    The search page is made with search on; the chronology's index always; the archives' index when
    a document cites a unit of a collection (its tree has a file); any of them by a volume or an
    editors' page of that name. The walk that makes the pages checks it.
    """
    from ..apparatus.archives import unit
    from ..indexes import apparatus

    if generators() != [apparatus.groups]:
        return None
    cfg = edition.config
    named = set(edition.volumes)
    if markdown_pages:
        named.update(md.stem for md in cfg.pages.glob("*.md") if md.name != "index.md")
    cited = any(c.repository and c.collection and unit(c) for rec in edition.all_records() for c in rec.citations)
    made = {"search/": bool(cfg.search), "chronology/": True, "archives/": cited}
    return [{"path": p, "title": t} for p, t in indexplan.NAV_LINKS if made[p] or p[:-1] in named]


def write_all(edition: Edition, pages: Plan, staging: Path, csp: str, report: Report,
              stats: dict[str, Any], base: str = "", previous: dict[str, str] | None = None,
              live: Path | None = None, publish_urls: bool = True) -> dict[str, str]:
    """Render the index pages the plan makes, and the extras, into staging; returns what to record of
    every index page (its groups' keys and its own, by file).

    ``publish_urls=False`` leaves out the URL products (ledger, redirects, sitemap): the caller
    knows the edition publishes the very URLs of the last build.

    A page the plan made whose key is the one ``previous`` recorded, and whose file is still in the
    ``live`` site, is not rendered again (an incremental build); nor are the pages the plan kept
    without making them.
    """
    written = write_pages(edition, pages, staging, csp, base, previous, live)
    return publish_pages(edition, pages, staging, report, stats, written) if publish_urls else written[0]


Written = tuple[dict[str, str], list[str]]  # every index page's keys by file, and the paths of those kept


def write_pages(edition: Edition, pages: Plan, staging: Path, csp: str, base: str = "",
                previous: dict[str, str] | None = None, live: Path | None = None) -> Written:
    """The first part of ``write_all``: the assets and the index pages, without the URL products.

    It reads only the records and the plan, and writes only under staging: a full build runs it in a
    copy of its process while the documents render, and gets back what it returns.
    """
    cfg = edition.config
    root = staging / cfg.url_prefix
    root.mkdir(parents=True, exist_ok=True)
    for folder in asset_paths(cfg.templates_dir):
        if folder.is_dir():
            shutil.copytree(folder, root / "assets", dirs_exist_ok=True)
    nav = pages.nav
    keys: dict[str, str] = dict(pages.kept)
    kept: list[str] = []
    memo: Memo = {}
    todo: list[tuple[str, Page]] = []
    env: list[Any] = []
    for page, groups in pages.pages():
        rel = file_of(page.path)
        key = page_key(base, page, nav, memo)
        keys[rel] = f"{groups} {key}" if groups else key
        old = previous.get(rel) if previous is not None else None
        if key and old is not None and live is not None and old.rpartition(" ")[2] == key \
                and (live / cfg.url_prefix / rel).is_file():
            kept.append(page.path)
        else:
            todo.append((rel, page))
        if len(todo) >= WINDOW or len(memo) > 32 * WINDOW:
            # Written a window at a time, the pages' contexts go with it (and the memo that holds them).
            render_window(cfg, root, csp, nav, todo, env)
            todo, memo = [], {}
    render_window(cfg, root, csp, nav, todo, env)
    return keys, kept


def publish_pages(edition: Edition, pages: Plan, staging: Path, report: Report, stats: dict[str, Any],
                  written: Written) -> dict[str, str]:
    """The second part of ``write_all``: the URL products over the staged site, once every page is there;
    returns the index pages' keys (``written``'s)."""
    keys, kept = written
    # Pages kept from the last build are published all the same: the URL checks must count them.
    edition.kept_paths = set(kept) | {path_of(rel) for rel in pages.kept}
    _extras(edition, staging / edition.config.url_prefix, report, stats, [path_of(rel) for rel in pages.made_files])
    return keys


def _extras(edition: Edition, root: Path, report: Report, stats: dict[str, Any],
            index_paths: Iterable[str] = ()) -> None:
    """Edition-wide extras made from records: sitemap, URL ledger, redirects."""
    from ..indexes.apparatus import redirect_pages

    for diag in publish(edition, root, index_paths, redirect_pages(edition)):
        report.add(diag)
