"""Which index pages a build makes: every page of a full build; in an incremental build, only the
groups of pages whose key the last build did not record. The others are kept without being made."""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Citation, DocRecord
from .pages import Edition, Group, Page, generators, key_of, record_print

NAV_LINKS = [("search/", "Search"), ("chronology/", "Chronology"), ("archives/", "Archives")]
INDEX = "index.html"


@dataclass
class Plan:
    """The index pages of a build: those to make, and those kept whole from the last build.

    Each page is recorded (in the manifest) under its file with the keys of the groups it belongs to,
    outermost first, then its own key (``page_key``), separated by spaces.
    """

    made: list[tuple[Page, str]] = field(default_factory=list)   # a page and its groups' keys
    kept: dict[str, str] = field(default_factory=dict)           # file → its keys, as the last build recorded them
    nav: list[dict[str, str]] = field(default_factory=list)

    def files(self) -> list[str]:
        """Every index page's file, made or kept."""
        return [file_of(page.path) for page, _ in self.made] + list(self.kept)


def file_of(path: str) -> str:
    """A page's file in the site: 'vol/archives/' → 'vol/archives/index.html'."""
    return path + INDEX if path == "" or path.endswith("/") else path


def path_of(file: str) -> str:
    """The page path of an index page's file (the inverse of ``file_of``)."""
    return file[:-len(INDEX)] if file == INDEX or file.endswith("/" + INDEX) else file


class _Planner:
    """Resolves groups against the last build's record: kept when their key is there, made otherwise."""

    def __init__(self, base: str, previous: dict[str, str] | None) -> None:
        self.base = base
        self.previous = previous
        self.levels: list[dict[str, list[str]]] = []
        self.plan = Plan()

    def resolve(self, items: Iterable[Page | Group], chain: str = "", depth: int = 0) -> list[tuple[Page, str]]:
        """Keep or make the groups among ``items``; returns the pages made, each with its groups' keys."""
        made: list[tuple[Page, str]] = []
        for item in items:
            if isinstance(item, Page):
                made.append((item, chain))
            elif not item.key:
                made += self.resolve(item.make(), chain, depth)
            else:
                key = key_of(self.base, item.id, item.key)
                files = self._recorded(depth).get(key)
                if files is not None and not chain:
                    self.plan.kept.update((file, self.previous[file]) for file in files)  # type: ignore[index]
                elif files is not None:
                    for file in files:
                        # Recorded under the keys its enclosing groups have now (one was made).
                        old = self.previous[file].split(" ", depth)[-1]  # type: ignore[index]
                        self.plan.kept[file] = f"{chain} {old}"
                else:
                    made += self.resolve(item.make(), f"{chain} {key}" if chain else key, depth + 1)
        return made

    def _recorded(self, depth: int) -> dict[str, list[str]]:
        """The last build's pages by the key of their group at this depth (read once a depth)."""
        if self.previous is None:
            return {}
        while len(self.levels) <= depth:
            level = len(self.levels)
            index: dict[str, list[str]] = {}
            for file, value in self.previous.items():
                keys = value.split(" ")
                if len(keys) > level + 1:
                    index.setdefault(keys[level], []).append(file)
            self.levels.append(index)
        return self.levels[depth]


def plan(edition: Edition, site_pages: Callable[[], list[Group]], contents: Callable[[str, list[dict[str, str]]], Page],
         extra: Callable[[], list[Group]], base: str = "", previous: dict[str, Any] | None = None) -> Plan:
    """The index pages of the edition: the site's own pages, each volume's contents, the generated indexes.

    ``previous`` is the manifest of the last build (an incremental build): its pages and navigation.
    """
    cfg = edition.config
    recorded = previous.get("pages") if previous is not None else None
    planner = _Planner(base, recorded if isinstance(recorded, dict) else None)
    own = planner.resolve(site_pages())
    generated = planner.resolve(item for generate in generators() for item in generate(edition))
    generated += planner.resolve(extra())
    made_paths = {page.path for page, _ in generated}
    kept = planner.plan.kept

    def exists(path: str) -> bool:
        return path in made_paths or file_of(path) in kept or (cfg.ebooks and path.endswith(".epub"))

    vols = sorted(edition.volumes)
    names = [("chronology/", "Chronology"), ("archives/", "Archives"), ("persons/", "Persons"),
             ("terms/", "Terms")]
    volumes: list[Page | Group] = []
    for vol in vols:
        # Links to the volume's apparatus pages that this build really makes.
        links = [{"path": f"{vol}/{p}", "title": t} for p, t in names + [(f"{vol}.epub", "EPUB ebook")]
                 if exists(f"{vol}/{p}")]
        volumes.append(Group(f"{vol}/", key_of(edition.volume_key(vol), json.dumps(links)),
                             lambda vol=vol, links=links: [contents(vol, links)]))  # type: ignore[misc]
    made = own + planner.resolve(volumes) + generated
    present = {page.path for page, _ in made}
    nav = [{"path": p, "title": t} for p, t in NAV_LINKS if p in present or file_of(p) in kept]
    if previous is not None and kept and nav != previous.get("nav"):
        # Every page links to the navigation's pages: when they change, no page can be kept.
        return plan(edition, site_pages, contents, extra, base, None)
    planner.plan.made = made
    planner.plan.nav = nav
    return planner.plan


def fingerprint(value: Any, memo: dict[int, str]) -> str:
    """A hash of a page's context value, records taken by what index pages see of them (``record_print``).

    Shared objects (a repository's whole tree of files, a volume's record list) are hashed once per
    build, by identity, which is safe because every page's context stays alive until all pages are written.
    """
    kind = type(value)
    if kind is str:
        return value
    key = id(value)
    if key in memo:
        return memo[key]
    if kind is DocRecord:
        memo[key] = text = "\2R" + record_print(value)  # short already: no need to hash it
        return text
    elif kind is Citation:
        text = "C" + repr(value)  # a dataclass of strings: its repr says it all, and costs less than pickle
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
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
