"""The URLs a document page links to, worked out once for the pages of a folder."""

from __future__ import annotations

from ..render.urls import relative


def page_links(page_path: str, volume: str, tei_url: str) -> dict[str, str]:
    """The URLs a document page links to, as its template's url filter makes them: those to the volume,
    the site's root and its scripts once for the folder holding the page, the TEI file's for the page."""
    parent = page_path[:page_path.rindex("/", 0, len(page_path) - 1) + 1]  # 'vol/' for 'vol/d1/'
    shared = by_folder.get((parent, volume))
    if shared is None:
        # No target lies inside a page's own folder (none holds a '/' after the volume's folder, or the
        # page's for 'assets/'): from every folder page right below ``parent`` each is the same URL
        # (render.urls.relative works them out that way too).
        targets = {"home": "", "volume": f"{volume}/", "notes.js": "assets/notes.js", "cite.js": "assets/cite.js",
                   **{f"references.{ext}": f"{volume}/references.{ext}" for ext in ("bib", "ris", "json")}}
        shared = by_folder[(parent, volume)] = {name: relative(page_path, target) for name, target in targets.items()}
        # A folder page's link to itself is './' from every one of them.
        shared["page"] = relative(page_path, page_path)
    return {**shared, "tei": relative(page_path, tei_url)}


# The links from the pages of a folder, by the folder and the volume (a worker clears them as it starts).
by_folder: dict[tuple[str, str], dict[str, str]] = {}
