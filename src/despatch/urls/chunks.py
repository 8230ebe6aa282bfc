"""The site's published paths a first folder at a time, in the order of the URL lists.

A whole series publishes millions of paths (documents, TEI files, note shortcuts, index pages); held at
once, with the sets that told them apart, they were the build's largest rise in memory. Every path in
a folder of the site begins with the folder's path and a slash, so the folders' paths taken in order
(``vol/``, each with its slash) give their paths in order too: the URL lists, the ledger's check and
the sitemap take them a folder at a time, and hold one folder's paths.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .ledger import EXCLUDE, _matcher, walk_urls
from .redirects import note_redirects
from .scheme import document_path, normalize, note_target, tei_path


def key_of(path: str, prefix: str) -> str:
    """The part of the site a public path is listed with: its first folder below ``prefix`` (``p/vol/``),
    or the path itself when it is in no such folder (``p/``, ``p/robots.txt``)."""
    rest = path.removeprefix(prefix)
    cut = rest.find("/")
    return path if cut < 0 else path[:len(path) - len(rest) + cut + 1]


def disk_keys(site: Path, prefix: str) -> dict[str, bool]:
    """The parts the site's own folders and files make, down the prefix's folders (True: a folder to walk)."""
    # os.walk lists a link to a folder without entering it: such a part is listed by what the build knows.
    out: dict[str, bool] = {}
    base, folder = "", Path(site)
    chain = [part for part in prefix.split("/") if part]
    for depth in range(len(chain) + 1):
        step = chain[depth] if depth < len(chain) else None
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            break
        for entry in entries:
            if entry.name == step and entry.is_dir():
                continue
            if entry.is_dir():
                out[base + entry.name + "/"] = not entry.is_symlink()
            else:
                out[base if entry.name == "index.html" else base + entry.name] = False
        if step is None or not (folder / step).is_dir():
            break
        base, folder = base + step + "/", folder / step
    return out


@dataclass
class Known:
    """What the build knows it publishes, by part: its pages kept or made, and the redirects' old paths."""

    prefix: str
    public: Callable[[str], str]
    kept: dict[str, set[str]] = field(default_factory=dict)
    index: dict[str, set[str]] = field(default_factory=dict)
    moved: dict[str, set[str]] = field(default_factory=dict)
    unlisted: dict[str, set[str]] = field(default_factory=dict)

    def group(self, name: str, paths: Iterable[str]) -> None:
        """File the site paths ``paths`` under ``name`` by their part, in public form."""
        table: dict[str, set[str]] = getattr(self, name)
        for path in paths:
            public = self.public(path)
            table.setdefault(key_of(public, self.prefix), set()).add(public)

    def keys(self) -> set[str]:
        """The parts that hold a path the build knows of."""
        return set(itertools.chain(self.kept, self.index, self.moved, self.unlisted))


@dataclass
class Part:
    """One part's published paths in order, and the site paths of its pages that the sitemap lists."""

    published: list[str]
    listed: list[str]


def parts(site: Path, edition: Any, known: Known, notes_published: bool, on_disk: dict[str, bool],
          exclude: Iterable[str] = EXCLUDE) -> Iterator[Part]:
    """Every part of the site in order: what the walk finds in its folder and what the build knows of it.

    ``on_disk``: ``disk_keys`` of the site, listed before the caller began its own files there."""
    prefix, public = known.prefix, known.public
    exclude = list(exclude)
    excluded = _matcher(exclude)
    excluded_folder = _matcher([p for p in exclude if p[-1:] in ("*", "?", "]", "/")])
    volumes = {key_of(public(document_path(vol, "x")), prefix): vol for vol in edition.records}
    # A part that is one path is listed in canonical form (a file without a dot is a folder's page).
    for key in sorted(on_disk.keys() | known.keys() | volumes.keys(), key=normalize):
        vol = volumes.get(key)
        recs = edition.records[vol] if vol is not None else []
        notes = [public(p) for p in note_redirects(recs)]
        files = [public(path(r.volume, r.id)) for r in recs for path in (document_path, tei_path)]
        leaves = set(notes) | {p for p in files if p[-1:] == "/"}
        leaves |= _leaf_pages(known.index.get(key, set()), leaves, files)
        walked: set[str] = set()
        if key in on_disk:
            if key in leaves:
                walked = {key} if not excluded_folder(key) else set()
            elif on_disk[key]:
                leaf_folders = frozenset([p[:-1] for p in leaves if p[-1:] == "/"])
                walked = set(map(normalize, walk_urls(site / key, exclude, leaf_folders, base=key)))
            elif key[-1:] != "/" or key == prefix or not key:
                walked = {normalize(key)} if not excluded(key or "index.html") else set()
        # The redirect pages written already are listed by their old paths (those of folders), as the
        # build knows them: a page the walk finds at another (a moved ``.html``) is the server's rule.
        moved = known.moved.get(key, set())
        walked.difference_update(moved)
        walked.update(files, known.kept.get(key, ()))
        listed = walked - set(notes) - set(known.unlisted.get(key, ()))
        walked.update(p for p in moved if p[-1:] == "/")
        if notes_published:
            walked.update(notes)
        yield Part(sorted(walked), sorted(p[len(prefix):] for p in listed
                                          if p.startswith(prefix) and (p[-1:] == "/" or p == prefix)))


def _leaf_pages(pages: set[str], *others: Iterable[str]) -> set[str]:
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


class Notes:
    """The note shortcuts of the edition's records, asked of a path at a time (no map of them all)."""

    def __init__(self, edition: Any) -> None:
        self.records = edition.records
        self._anchors: dict[str, set[str]] = {}

    def get(self, path: str, default: str | None = None) -> str | None:
        """The note a shortcut's site path (``vol/d245fn1/``) leads to, if it is one of the edition's."""
        vol, _, rest = path.partition("/")
        if rest[-1:] != "/" or "/" in rest[:-1] or vol not in self.records:
            return default
        if vol not in self._anchors:
            self._anchors[vol] = {p.rsplit("/", 2)[1] for p in note_redirects(self.records[vol])}
        if rest[:-1] not in self._anchors[vol]:
            return default
        return note_target(vol, rest[:-1]) or default
