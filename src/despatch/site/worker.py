"""Per-document work run in a process pool: read a source, then write its TEI and page."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..errors import Diagnostic
from ..files import write_file, write_page
from ..model import DocRecord
from ..render.env import make_env, packaged_templates, template_cache
from ..render.html import tei_to_html
from ..render.linker import Linker
from ..render.piece import Piece
from ..tei.xmlio import XML_ID
from ..urls.anchors import folded_anchor, quick_anchor
from ..urls.notepages import write_note_pages
from ..urls.pageextra import Pattern
from ..urls.standins import FILLED, STANDINS
from ..volume import Volume
from .cacheentry import load_div
from .doctei import document_tei, link_in
from .pagelinks import by_folder, page_links
from .readers import ReadTask
from .shared import Shared

_shared: Shared | None = None
_env: Any = None


def init(shared: Shared) -> None:
    """Pool initializer: keep the shared data and one Jinja environment per process."""
    global _shared, _env
    _shared = shared
    _linkers.clear()
    _patterns.clear()
    by_folder.clear()
    _pieces.clear()
    # A long-lived process (despatch serve) keeps its compiled templates from one build to the next,
    # unless a template changed (the build's render key covers the templates too).
    stamp = (shared.config.templates_dir, _templates_stamp(shared.config.templates_dir))
    if _env is None or _env_stamp[0] != stamp:
        _env = make_env(shared.config.templates_dir, template_cache(shared.config))
        _env_stamp[0] = stamp


_env_stamp: list[Any] = [None]


def _templates_stamp(templates_dir: Path) -> tuple[tuple[str, int], ...]:
    """Modification times of the project's and despatch's templates: a change recompiles them."""
    roots = [packaged_templates(), templates_dir]
    return tuple((str(p), p.stat().st_mtime_ns) for r in roots if r.is_dir() for p in sorted(r.rglob("*.html")))


def read_one(task: ReadTask) -> tuple[DocRecord | None, list[Diagnostic]]:
    """Convert one source (or take it from the cache), enrich it, keep its TEI div, return its record."""
    from .readers import read_batch  # one way to read: a batch of one (the build reads in batches)

    return read_batch([task])[0]


@dataclass
class RenderTask:
    record: DocRecord
    prev: DocRecord | None
    next: DocRecord | None
    stash: str
    site: str
    tei: str


def render_one(task: RenderTask) -> tuple[list[Diagnostic], bool]:
    """Write one document's TEI file and HTML page into the staging folders; whether the page is one
    the search indexes (its template marked it ``data-pagefind-body``)."""
    assert _shared is not None and _env is not None
    rec, cfg = task.record, _shared.config
    volume = _shared.volumes[rec.volume]
    stashed = load_div(os.path.join(task.stash, f"{rec.digest}.doc"))
    if stashed is None:
        return [Diagnostic(rec.source, 1, 1, "the converted document vanished from the build cache",
                           expected="build/.cache intact during a build (run the build again)")], False
    div, data, diags = document_tei(stashed, rec, volume)
    # Paths joined as text: a document writes five files, and each Path costs parsing its parts.
    prefix = cfg.url_prefix.strip("/")
    site_root = os.path.join(task.site, prefix, "") if prefix else os.path.join(task.site, "")
    site_tei = f"{site_root}{rec.volume}/{rec.id}.xml"
    write_file(site_tei, data)
    # The TEI folder holds the same bytes: a second name for the file, not a second file.
    link_in(site_tei, os.path.join(task.tei, rec.volume, f"{rec.id}.xml"))
    page_path = f"{rec.volume}/{rec.id}/"
    linker = _linker(rec.volume)
    rendered = tei_to_html(div, page_path, linker, folded_anchor, quick_anchor)
    extra = extra_context(rec, volume)
    context: dict[str, Any] = {
        "site": cfg, "page_path": page_path, "csp": _shared.csp, "nav_links": _shared.nav_links, "doc": rec,
        "volume": volume, "head_html": rendered.head_html, "body_html": rendered.body_html, "notes": rendered.notes,
        "prev": task.prev, "next": task.next, "tei_url": f"{rec.volume}/{rec.id}.xml", "extra": extra,
        "links": page_links(page_path, rec.volume, f"{rec.volume}/{rec.id}.xml"),
    }
    # The meta tags and citations as their volume's rendering fills them in (None: the page renders them).
    html = _env.get_template("document.html").render(
        **context, meta_html=_piece("partials/meta.html", rec, volume, context),
        cite_html=_piece("partials/citation.html", rec, volume, context))
    # With search on, the build made every document's folder beforehand (in one order, for the index).
    write_page(f"{site_root}{page_path}index.html", html, new_folder=not cfg.search)
    if cfg.raw.get("note_redirects", True):
        write_note_pages(task.site, rec, cfg, _env)
    return diags, "data-pagefind-body" in html


_linkers: dict[str, Linker] = {}


def _linker(volume: str) -> Linker:
    """One Linker per volume and process: its lists are built once, not for every document."""
    assert _shared is not None
    if volume not in _linkers:
        descriptions = lambda entries: {k: str(v.get("description", "")) for k, v in entries.items()}  # noqa: E731
        _linkers[volume] = Linker(volume=volume, docs=_shared.docs, canonical_base=_shared.config.canonical_base,
                                  persons=descriptions(_shared.persons.get(volume, {})),
                                  terms=descriptions(_shared.terms.get(volume, {})), pages=_shared.pages)
    linker = _linkers[volume]
    linker._tips = 0  # tip ids restart on every page, so a page never depends on the one before
    return linker


def extra_context(rec: DocRecord, volume: Volume) -> dict[str, Any]:
    """A document page's citations and metadata, made from its record and its stable URL."""
    key = (rec.volume, bool(rec.n), bool(rec.date_min))
    made = _patterns.get(key)
    if made is None:
        assert _shared is not None
        cfg = _shared.config
        # The same for every document of the build: the page's URL is this base and the document's id.
        base = (cfg.site_url.rstrip("/") + "/" if cfg.site_url else "/") + cfg.url_prefix + f"{rec.volume}/"
        made = _patterns[key] = Pattern(volume, lambda doc_id: (f"{base}{doc_id}/", f"{base}{doc_id}.xml"), cfg, rec)
    return made(rec)


def _piece(name: str, rec: DocRecord, volume: Volume, context: dict[str, Any]) -> Markup | None:
    """A partial of the page filled in from its volume's rendering of it; None: the page renders it."""
    key = (rec.volume, bool(rec.n), bool(rec.date_min))
    pattern = _patterns[key]
    if pattern.last is None or not pattern.checked:
        return None
    piece = _pieces.get((name, *key))
    if piece is None:
        assert _shared is not None
        # The partial sees what it needs of the page (not the document, whose values are in `extra`):
        # one that reads more cannot be rendered for the stand-in and the page includes it as ever.
        made, shared = pattern.made, _shared
        page_path = f"{rec.volume}/{STANDINS[0]}/"
        links = page_links(page_path, rec.volume, f"{rec.volume}/{STANDINS[0]}.xml")

        def standin(raw: tuple[str, ...]) -> dict[str, Any]:
            extra = dict(made.fill(STANDINS) if isinstance(made, FILLED) else made)
            if isinstance(extra.get("citations"), dict):
                extra["citations"] = {**extra["citations"], "chicago": raw[0], "mla": raw[1]}
            return {"site": shared.config, "page_path": page_path, "csp": shared.csp,
                    "nav_links": shared.nav_links, "volume": volume, "extra": extra, "links": links}

        piece = _pieces[(name, *key)] = Piece(_env, name, standin)
    cites = context["extra"].get("citations")
    raw = (cites.get("chicago", ""), cites.get("mla", "")) if isinstance(cites, dict) else ()
    return piece(pattern.last, context, raw)


_pieces: dict[tuple[str, str, bool, bool], Piece] = {}


# One pattern of citations and metadata per volume (and whether a document has a number and a date).
_patterns: dict[tuple[str, bool, bool], Pattern] = {}


__all__ = ["Shared", "init", "read_one", "RenderTask", "render_one", "XML_ID"]
