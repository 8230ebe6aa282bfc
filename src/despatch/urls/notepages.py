"""A document's note shortcut pages (``vol/d245fn1/``), written with its page from a redirect page cut once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2

from ..files import write_page
from ..model import DocRecord
from ..render.fill import Filler, filler
from .redirects import note_redirects, write_redirect_page
from .scheme import absolute_url, public_path, relative_url


def write_note_pages(site_dir: str | Path, rec: DocRecord, config: Any, env: jinja2.Environment) -> None:
    """A document's note shortcuts (``vol/d245fn1/``), written with its page so they change together."""
    notes = note_redirects([rec])
    if not notes:
        return
    template = env.get_template("redirect.html")
    fill = _note_filler(template, config, next(iter(notes.items())))
    pages: dict[str, tuple[str, str]] = {}  # a note's page: its URL from a note's folder, its absolute URL
    for old, new in notes.items():
        if fill is None:
            write_redirect_page(Path(site_dir), old, new, config, template)
            continue
        old_public = public_path(config, old)
        # A note's target is always a page of this edition (note_target), never an absolute URL, and its
        # fragment (the note's xml:id) holds no space: the page's URLs with '#id' after them are the target's.
        page, _, note = new.partition("#")
        if page not in pages:
            # Every note's folder (note_path: the volume's folder, then the note's id) is a sibling of the
            # others: the page's URL from the first is its URL from each.
            pages[page] = (_sibling_url(old_public, public_path(config, page)), absolute_url(config, page))
        href, canonical = pages[page]
        # output_file's path, joined as text: a note's public path is a folder, served as its index.html.
        write_page(os.path.join(site_dir, old_public + "index.html"), fill(old, href + "#" + note, canonical))


def _sibling_url(from_public: str, to_public: str) -> str:
    """``relative_url`` between two folder pages of one folder ('v/d1fn1/' to 'v/d1/' is '../d1/')."""
    # A note's folder and its document's are siblings: the general path splits both, finds the folder
    # they share and climbs one level. Plain canonical paths only ('.' segments need normalising).
    if (from_public[-1:] == "/" and to_public[-1:] == "/" and "#" not in from_public + to_public
            and "//" not in from_public + to_public and "/." not in f"/{from_public}/{to_public}"
            and from_public[:1] != "/" and to_public[:1] != "/"
            and from_public.strip() == from_public and to_public.strip() == to_public):
        folder, _, name = to_public[:-1].rpartition("/")
        other_folder, _, other = from_public[:-1].rpartition("/")
        if name and other and name != other and folder == other_folder:
            return "../" + name + "/"
    return relative_url(from_public, to_public)


_FILLERS: dict[tuple[int, int], tuple[Any, Any, Filler | None]] = {}


def _note_filler(template: jinja2.Template, config: Any, first: tuple[str, str]) -> Filler | None:
    """The redirect page cut at its values, once per template and configuration (15,000 pages at 5,000 documents)."""
    key = (id(template), id(config))
    if key not in _FILLERS:
        if len(_FILLERS) > 8:
            _FILLERS.clear()
        old, new = first
        old_public = public_path(config, old)
        sample = (old, relative_url(old_public, public_path(config, new)), absolute_url(config, new.partition("#")[0]))
        # The entry keeps template and configuration alive, so their ids cannot name others meanwhile.
        _FILLERS[key] = (template, config, filler(template, {"site": config}, ("page_path", "target", "canonical"),
                                                        sample))
    return _FILLERS[key][2]
