"""Which index pages a build makes: every page of a full build; in an incremental build, only the
groups of pages whose key the last build did not record. The others are kept without being made."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .indexrecord import Planner
from .pages import Edition, Group, Page, generators, key_of

NAV_LINKS = [("search/", "Search"), ("chronology/", "Chronology"), ("archives/", "Archives")]
INDEX = "index.html"


# Up to this many pages made, a plan keeps them (an incremental build makes few): more, and their
# contexts are dropped as soon as their paths are known, and made again as they are written.
RETAIN = 2048


@dataclass
class Plan:
    """The index pages of a build: those to make, and those kept whole from the last build.

    Each page is recorded (in the manifest) under its file with the keys of the groups it belongs to,
    outermost first, then its own key (``page_key``), separated by spaces.

    A full build's index pages hold about as much memory as the records they show: the plan keeps
    only their files, and ``pages`` makes them again, one group after another, as they are written.
    """

    kept: dict[str, str] = field(default_factory=dict)           # file → its keys, as the last build recorded them
    nav: list[dict[str, str]] = field(default_factory=list)
    made_files: list[str] = field(default_factory=list)          # the files of the pages made, in order
    retained: list[tuple[Page, str]] | None = None                # the pages made, when few
    remake: Callable[[], Iterator[tuple[Page, str]]] | None = None
    walked: bool = False  # made by one walk as they are written: the files are learned from what was written

    def learn(self, keys: dict[str, str]) -> None:
        """A walked plan's files: those of the pages written (``keys``, in the order written)."""
        if self.walked:
            self.made_files = [file for file in keys if file not in self.kept]

    def files(self) -> list[str]:
        """Every index page's file, made or kept."""
        return self.made_files + list(self.kept)

    def pages(self) -> Iterator[tuple[Page, str]]:
        """The pages made, each with its groups' keys, in the order planned (made again unless retained)."""
        if self.retained is not None:
            yield from self.retained
        elif self.remake is not None:
            yield from self.remake()

    @property
    def made(self) -> list[tuple[Page, str]]:
        """Every page made, all at once (for a few pages, or a test)."""
        return list(self.pages())


def file_of(path: str) -> str:
    """A page's file in the site: 'vol/archives/' → 'vol/archives/index.html'."""
    return path + INDEX if path == "" or path.endswith("/") else path


def path_of(file: str) -> str:
    """The page path of an index page's file (the inverse of ``file_of``)."""
    return file[:-len(INDEX)] if file == INDEX or file.endswith("/" + INDEX) else file


def plan(edition: Edition, site_pages: Callable[[], list[Group]], contents: Callable[[str, list[dict[str, str]]], Page],
         extra: Callable[[], list[Group]], base: str = "", previous: dict[str, Any] | None = None,
         retain: int | None = None, nav: list[dict[str, str]] | None = None) -> Plan:
    """The index pages of the edition: the site's own pages, each volume's contents, the generated indexes.

    ``previous`` is the manifest of the last build (an incremental build): its pages and navigation.
    Pages are made once here, to learn their files (and so the navigation and each volume's links),
    and kept only if there are at most ``retain`` of them; ``Plan.pages`` makes the others again.

    ``nav``: the navigation, known beforehand, of a full build (no ``previous``): no page is made
    here; ``Plan.pages`` makes each once as it is written, and the writer's keys tell the files
    (``Plan.learn``). The walk checks the navigation it finds.
    """
    cfg = edition.config
    retain = RETAIN if retain is None else retain
    recorded = previous.get("pages") if previous is not None else None
    recorded = recorded if isinstance(recorded, dict) else None
    made: set[str] = set()  # the files of the pages made (the same strings as ``files``)
    kept: dict[str, str] = {}

    def exists(path: str) -> bool:
        return file_of(path) in made or file_of(path) in kept or (cfg.ebooks and path.endswith(".epub"))

    def walk(planner: Planner) -> Iterator[tuple[Page, str]]:
        # Generated pages before the volumes' contents, which link to those of their volume that exist.
        items = [*site_pages(), *(item for generate in generators() for item in generate(edition)), *extra()]
        planner.claim(items)
        yield from planner.resolve(items)
        yield from planner.resolve(_volumes(edition, contents, exists))

    if nav is not None and previous is None:
        return Plan(nav=nav, remake=lambda: _walk_once(walk(Planner(base, None)), made, nav), walked=True)
    planner = Planner(base, recorded)
    kept = planner.kept
    files: list[str] = []
    retained: list[tuple[Page, str]] | None = []
    for page, chain in walk(planner):
        files.append(file_of(page.path))
        made.add(files[-1])
        if retained is not None:
            retained.append((page, chain))
            if len(retained) > retain:
                retained = None  # many pages: made again as they are written, one group at a time
    nav = [{"path": p, "title": t} for p, t in NAV_LINKS if file_of(p) in made or file_of(p) in kept]
    if previous is not None and kept and nav != previous.get("nav"):
        # Every page links to the navigation's pages: when they change, no page can be kept.
        return plan(edition, site_pages, contents, extra, base, None, retain)
    record = planner.record
    # Made again with the same record of the last build, they are the same pages in the same order.
    return Plan(kept=kept, nav=nav, made_files=files, retained=retained,
                remake=lambda: walk(Planner(base, recorded, record)))


def _walk_once(walked: Iterator[tuple[Page, str]], made: set[str],
               nav: list[dict[str, str]]) -> Iterator[tuple[Page, str]]:
    """A full build's pages, each made once as it is written; the navigation they were written with checked."""
    made.clear()  # the volumes' contents link to the generated pages made before them
    for page, chain in walked:
        made.add(file_of(page.path))
        yield page, chain
    found = [{"path": p, "title": t} for p, t in NAV_LINKS if file_of(p) in made]
    if found != nav:
        raise RuntimeError(f"index pages: the navigation told beforehand ({nav}) is not the pages' ({found})")


def _volumes(edition: Edition, contents: Callable[[str, list[dict[str, str]]], Page],
             exists: Callable[[str], bool]) -> Iterator[Group]:
    """Each volume's contents page, keyed by its records and the links to its apparatus pages that exist."""
    names = [("chronology/", "Chronology"), ("archives/", "Archives"), ("persons/", "Persons"),
             ("terms/", "Terms")]
    for vol in sorted(edition.volumes):
        links = [{"path": f"{vol}/{p}", "title": t} for p, t in names + [(f"{vol}.epub", "EPUB ebook")]
                 if exists(f"{vol}/{p}")]
        key = key_of(edition.volume_key(vol), json.dumps(links))
        yield Group(f"{vol}/", key, lambda vol=vol, links=links, key=key: [_keyed(contents(vol, links), key)])  # type: ignore[misc]


def _keyed(page: Page, key: str) -> Page:
    """A page whose group's key is all it shows: its context is not fingerprinted (500 documents' rows)."""
    page.keyed = page.keyed or key
    return page
