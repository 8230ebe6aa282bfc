"""What the home page, the editors' pages and a volume's contents show: their Markdown, its chapters."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .pages import Edition, Page


def markdown_html(text: str) -> Markup:
    """Editors' Markdown pages → HTML; raw HTML in them is escaped, never passed through."""
    # Imported here: an incremental build seldom makes these pages.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return Markup(md.render(text))


def front_pages(edition: Edition, markdown_pages: bool) -> list[Page]:
    """The home page and the editors' Markdown pages."""
    cfg = edition.config
    pages: list[Page] = []
    if not markdown_pages:
        return pages
    intro = cfg.pages / "index.md"
    counts = {vol: len(docs) for vol, docs in edition.records.items()}
    vols = [edition.volumes[v] for v in sorted(edition.volumes)]
    pages.append(Page("", "index.html", {
        "intro_html": markdown_html(intro.read_text(encoding="utf-8")) if intro.exists() else "",
        "volumes": vols, "counts": counts}, cfg.site_name))
    for md in sorted(cfg.pages.glob("*.md")):
        if md.name == "index.md":
            continue
        text = md.read_text(encoding="utf-8")
        title = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.startswith("#")), md.stem)
        pages.append(Page(f"{md.stem}/", "page.html", {"content_html": markdown_html(text), "title": title}, title))
    return pages


def volume_chapters(edition: Edition, vol: str) -> list[dict[str, Any]]:
    """A volume's documents by chapter, as its contents page lists them (those of no chapter last)."""
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
