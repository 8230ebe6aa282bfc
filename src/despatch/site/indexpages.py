"""Pages made from the gathered edition: home, volumes, generated indexes, assets and extras."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path
from typing import Any, Callable, Iterable

from markdown_it import MarkdownIt
from markupsafe import Markup

from ..ebook import write_volume_epubs
from ..errors import Report
from ..model import DocRecord
from ..render.env import asset_paths, make_env
from ..search import index_site
from ..urls.cite import VOLUME_FILES, volume_references
from ..urls.publish import publish
from ..urls.scheme import absolute_url
from .pages import Edition, Page, generators
from ..files import write_page
from .worker import EpubTask, PageBatch, render_pages, write_volume_epub

# Below this many pages, rendering them here costs less than sending them to the worker processes.
POOL_PAGES = 256
BATCH = 32
NAV_LINKS = [("search/", "Search"), ("chronology/", "Chronology"), ("archives/", "Archives")]


def plan(edition: Edition, markdown_pages: bool = True) -> list[Page]:
    """Every non-document page of the edition, made from records before any page is written."""
    return _pages(edition, markdown_pages)


def nav_links(pages: list[Page]) -> list[dict[str, str]]:
    """The site-wide links in every page's header: only to pages this build makes."""
    present = {page.path for page in pages}
    return [{"path": p, "title": t} for p, t in NAV_LINKS if p in present]


def markdown_html(text: str) -> Markup:
    """Editors' Markdown pages → HTML; raw HTML in them is escaped, never passed through."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return Markup(md.render(text))


def _pages(edition: Edition, markdown_pages: bool = True) -> list[Page]:
    cfg = edition.config
    pages: list[Page] = []
    intro = cfg.content_dir / "index.md"
    counts = {vol: len(docs) for vol, docs in edition.records.items()}
    vols = [edition.volumes[v] for v in sorted(edition.volumes)]
    if markdown_pages:
        pages.append(Page("", "index.html", {
            "intro_html": markdown_html(intro.read_text(encoding="utf-8")) if intro.exists() else "",
            "volumes": vols, "counts": counts}, cfg.site_name))
    for md in sorted(cfg.content_dir.glob("*.md")) if markdown_pages else []:
        if md.name == "index.md":
            continue
        text = md.read_text(encoding="utf-8")
        title = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), md.stem)
        pages.append(Page(f"{md.stem}/", "page.html", {"content_html": markdown_html(text), "title": title}, title))
    generated = [page for generate in generators() for page in generate(edition)]
    if cfg.search:
        generated.append(Page("search/", "search.html", {"volumes": vols}, "Search"))
    paths = {page.path for page in generated}
    if cfg.ebooks:
        paths.update(f"{vol.id}/{vol.id}.epub" for vol in vols)
    for vol in vols:
        docs = edition.records.get(vol.id, [])
        pages.append(Page(f"{vol.id}/", "volume.html", {
            "volume": vol, "chapters": _chapters(edition, vol.id), "docs": docs,
            "volume_links": _volume_links(vol.id, paths)}, vol.title))
    return pages + generated


def _volume_links(vol: str, paths: set[str]) -> list[dict[str, str]]:
    """Links to the volume's apparatus pages that this build really makes."""
    names = [("chronology/", "Chronology"), ("archives/", "Archives"), ("persons/", "Persons"),
             ("terms/", "Terms"), (f"{vol}.epub", "EPUB ebook")]
    return [{"path": f"{vol}/{p}", "title": t} for p, t in names if f"{vol}/{p}" in paths]


def _chapters(edition: Edition, vol: str) -> list[dict[str, Any]]:
    docs = edition.records.get(vol, [])
    chapters = edition.chapters.get(vol) or []
    if not chapters:
        return [{"title": "", "docs": docs}]
    by_id = {d.id: d for d in docs}
    out, placed = [], set()
    for ch in chapters:
        members = [by_id[d] for d in ch.get("documents") or [] if d in by_id]
        placed.update(d.id for d in members)
        out.append({"title": ch.get("title", ""), "docs": members})
    rest = [d for d in docs if d.id not in placed]
    if rest:
        out.append({"title": "Other documents", "docs": rest})
    return out


def fingerprint(value: Any, memo: dict[int, str]) -> str:
    """A hash of a page's context value, records taken by their content hash instead of field by field.

    A record's ``digest`` already covers everything its source gave it (the source's bytes and the
    reading code); only the fields the gather stage sets are added. Shared objects (a repository's
    whole tree of files, a volume's record list) are hashed once per build, by identity, which is safe
    because every page's context stays alive until all pages are written.
    """
    kind = type(value)
    if kind is str:
        return value
    key = id(value)
    if key in memo:
        return memo[key]
    if kind is DocRecord and value.digest:
        text = "\0".join(("R", value.digest, value.volume, value.id, str(value.order), value.date_min or "",
                           value.date_max or "", value.date_basis, value.chapter))
    elif kind in (int, float, bool) or value is None:
        return f"{kind.__name__}:{value}"
    elif kind is list or kind is tuple:
        text = "L\0" + "\0".join([fingerprint(v, memo) for v in value])
    elif kind is dict:
        text = "D\0" + "\0".join([f"{fingerprint(k, memo)}\1{fingerprint(v, memo)}" for k, v in value.items()])
    else:
        # Anything else (a Volume, a Markup string, a set): its pickle, as before.
        text = "P" + pickle.dumps(value, protocol=5).hex()
    memo[key] = digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest


def page_key(base: str, page: Page, nav: list[dict[str, str]], memo: dict[int, str]) -> str:
    """What a page's bytes depend on: template, path, navigation and the fingerprint of its context.

    Where a value cannot be fingerprinted, the page is simply rendered again.
    """
    parts = [base, page.path, page.template, repr(nav)]
    try:
        for name, value in sorted(page.context.items()):
            parts += [name, fingerprint(value, memo)]
    except (pickle.PicklingError, TypeError, AttributeError):
        return ""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def write_all(edition: Edition, pages: list[Page], staging: Path, csp: str, report: Report,
              stats: dict[str, Any], base: str = "", previous: dict[str, str] | None = None,
              live: Path | None = None, publish_urls: bool = True,
              pool: Callable[[Callable[[Any], Any], list[Any]], Iterable[Any]] | None = None) -> dict[str, str]:
    """Render the non-document pages and the extras into staging; returns each page's key.

    ``publish_urls=False`` leaves out the URL products (ledger, redirects, sitemap): the caller
    knows the edition publishes the very URLs of the last build.

    A page whose key is the one ``previous`` recorded, and whose file is still in the ``live``
    site, is not rendered again (an incremental build): only changed index pages are staged. With a
    ``pool`` (an ordered map over the build's worker processes), many pages are rendered in batches there.
    """
    cfg = edition.config
    root = staging / cfg.url_prefix
    root.mkdir(parents=True, exist_ok=True)
    for folder in asset_paths(cfg.templates_dir):
        if folder.is_dir():
            shutil.copytree(folder, root / "assets", dirs_exist_ok=True)
    nav = nav_links(pages)
    keys: dict[str, str] = {}
    kept: set[str] = set()
    memo: dict[int, str] = {}
    todo: list[tuple[str, Page]] = []
    for page in pages:
        rel = page.path + "index.html" if page.path.endswith("/") or page.path == "" else page.path
        keys[rel] = key = page_key(base, page, nav, memo)
        if key and previous is not None and live is not None and previous.get(rel) == key \
                and (live / cfg.url_prefix / rel).is_file():
            kept.add(page.path)
            continue
        todo.append((rel, page))
    if pool is not None and len(todo) >= POOL_PAGES:
        # Batches, so that what many pages share (an archive's tree, a volume) is pickled once a batch.
        batches = [PageBatch(str(root), csp, nav, todo[i:i + BATCH]) for i in range(0, len(todo), BATCH)]
        for _ in pool(render_pages, batches):
            pass
    else:
        env = make_env(cfg.templates_dir)
        for rel, page in todo:
            html = env.get_template(page.template).render(
                site=cfg, page_path=page.path, csp=csp, nav_links=nav, **page.context)
            write_page(root / rel, html)
    # Pages kept from the last build are published all the same: the URL checks must count them.
    edition.kept_paths = kept
    if publish_urls:
        _extras(edition, root, report, stats)
    return keys


def _extras(edition: Edition, root: Path, report: Report, stats: dict[str, Any]) -> None:
    """Edition-wide extras made from records: sitemap, URL ledger, redirects."""
    for diag in publish(edition, root):
        report.add(diag)


def url_state(edition: Edition, paths: list[str], ledger: str) -> str:
    """What the URL products depend on beyond the configuration: every page's path, every note, the ledger."""
    docs = [(r.volume, r.id, [a for a in r.anchors if a.startswith(r.id + "fn")]) for r in edition.all_records()]
    text = json.dumps([sorted(paths), docs, ledger])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def url_outputs(outputs: list[str], page_keys: dict[str, str]) -> list[str]:
    """The files a build's URL products wrote (sitemap, redirects, lists): its outputs that are not
    index pages, assets or a volume's extras."""
    return [o for o in outputs if o not in page_keys and not is_volume_extra(o) and not o.startswith("assets/")]


def is_volume_extra(path: str) -> bool:
    """Whether a site path belongs to a volume's ebook or search shard (made by volume_extras)."""
    parts = path.split("/")
    return len(parts) >= 2 and (parts[1] == "pagefind" or parts[1] == f"{parts[0]}.epub"
                                or (len(parts) == 2 and parts[1] in VOLUME_FILES.values()))


def write_volume_references(edition: Edition, root: Path, vol: str) -> None:
    """A volume's references (BibTeX, RIS, CSL-JSON) beside its contents page, every document in order."""
    base = absolute_url(edition.config, f"{vol}/")
    refs = volume_references(edition.volumes[vol], edition.records.get(vol, []), base, edition.config)
    folder = root / vol
    folder.mkdir(parents=True, exist_ok=True)
    for key, name in VOLUME_FILES.items():
        (folder / name).write_text(refs[key], encoding="utf-8", newline="\n")


def volume_extras(edition: Edition, root: Path, volumes: list[str], stats: dict[str, Any],
                  previous: Path | None = None,
                  pool: Callable[[Callable[[Any], Any], list[Any]], Iterable[Any]] | None = None,
                  search: bool = True) -> None:
    """Per-volume products made from the written pages: ebooks and search shards, and the search router.

    ``previous`` is the live site of an incremental build: the router reads the volumes not indexed
    now from their summaries there. ``search=False``: the caller indexes the volumes itself.
    """
    cfg = edition.config
    if not volumes:
        if cfg.search and search:  # the router is staged again all the same, or it would count as stale
            stats["search"] = index_site(root, [], edition=sorted(edition.volumes), previous=previous)
        return
    part = Edition(config=cfg, volumes={v: edition.volumes[v] for v in volumes if v in edition.volumes},
                   records={v: edition.records.get(v, []) for v in volumes if v in edition.volumes},
                   persons=edition.persons, terms=edition.terms, chapters=edition.chapters)
    for vol in sorted(part.volumes):
        write_volume_references(part, root, vol)
    if cfg.ebooks and pool is not None and len(part.volumes) > 1:
        # One volume a task: an ebook reads and transforms every document of its volume.
        tasks = [EpubTask(str(root), vol, part.records[vol], str(previous) if previous is not None else None)
                 for vol in sorted(part.volumes) if part.records[vol]]
        for _ in pool(write_volume_epub, tasks):
            pass
    elif cfg.ebooks:
        write_volume_epubs(part, root, previous)
    if cfg.search and search:
        stats["search"] = index_site(root, sorted(part.volumes), edition=sorted(edition.volumes),
                                     previous=previous)
