"""Which index pages a build makes: every page of a full build; in an incremental build, only the
groups of pages whose key the last build did not record. The others are kept without being made."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import operator
import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Citation, DocRecord
from .pages import Edition, Group, Page, generators, key_of, record_print

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


class _Planner:
    """Resolves groups against the last build's record: kept when their key is there, made otherwise."""

    def __init__(self, base: str, previous: dict[str, str] | None,
                 levels: list[dict[str, list[str]]] | None = None) -> None:
        self.base = base
        self.previous = previous
        self.levels: list[dict[str, list[str]]] = levels if levels is not None else []
        self.kept: dict[str, str] = {}
        self.claimed: set[str] = set()  # the outermost keys of this build's groups (but the volumes')

    def claim(self, items: list[Page | Group]) -> None:
        """Note the keys of the outermost groups: the last build's pages under one of them are kept
        whole, so no inner group of another is looked for among them."""
        self.claimed.update(key_of(self.base, item.id, item.key) for item in items if isinstance(item, Group) and item.key)

    def resolve(self, items: Iterable[Page | Group], chain: str = "", depth: int = 0) -> Iterator[tuple[Page, str]]:
        """Keep or make the groups among ``items``; yields the pages made, each with its groups' keys,
        as each group is made (a group's pages are not held once the caller has let them go)."""
        for item in items:
            if isinstance(item, Page):
                yield item, chain
            elif not item.key:
                yield from self.resolve(item.make(), chain, depth)
            else:
                key = key_of(self.base, item.id, item.key)
                files = self._recorded(depth).get(key)
                if files is not None and not chain:
                    self.kept.update((file, self.previous[file]) for file in files)  # type: ignore[index]
                elif files is not None:
                    for file in files:
                        # Recorded under the keys its enclosing groups have now (one was made).
                        old = self.previous[file].split(" ", depth)[-1]  # type: ignore[index]
                        self.kept[file] = f"{chain} {old}"
                else:
                    yield from self.resolve(item.make(), f"{chain} {key}" if chain else key, depth + 1)

    def _recorded(self, depth: int) -> dict[str, list[str]]:
        """The last build's pages by the key of their group at this depth: the outermost (all an edit
        of text needs), or any inner one (read once each)."""
        if self.previous is None:
            return {}
        if not self.levels:
            self.levels.append(_outer(self.previous))
        if depth and len(self.levels) == 1:
            # Every inner depth in one index: a key hashes its group's id with its inputs, and a group's
            # depth is fixed by the code (which the keys hash too), so no key turns up at two depths.
            previous = self.previous
            self.levels.append(_inner([(file, previous[file]) for key, files in self.levels[0].items()
                                       if key not in self.claimed for file in files]))
        return self.levels[min(depth, 1)]


# Plain loops, not generators of pairs: they run over every index page of the last build.
def _outer(previous: dict[str, str]) -> dict[str, list[str]]:
    """Files by the key of their outermost group, in the order met."""
    index: dict[str, list[str]] = {}
    get = index.get
    for file, value in previous.items():
        key, sep, _ = value.partition(" ")
        if sep:
            found = get(key)
            if found is None:
                index[key] = [file]
            else:
                found.append(file)
    return index


def _inner(previous: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Files by the keys of their inner groups, in the order met."""
    index: dict[str, list[str]] = {}
    get = index.get
    for file, value in previous:
        keys = value.split(" ")
        if len(keys) > 2:
            for key in keys[1:-1]:
                found = get(key)
                if found is None:
                    index[key] = [file]
                else:
                    found.append(file)
    return index


def plan(edition: Edition, site_pages: Callable[[], list[Group]], contents: Callable[[str, list[dict[str, str]]], Page],
         extra: Callable[[], list[Group]], base: str = "", previous: dict[str, Any] | None = None,
         retain: int | None = None) -> Plan:
    """The index pages of the edition: the site's own pages, each volume's contents, the generated indexes.

    ``previous`` is the manifest of the last build (an incremental build): its pages and navigation.
    Pages are made once here, to learn their files (and so the navigation and each volume's links),
    and kept only if there are at most ``retain`` of them; ``Plan.pages`` makes the others again.
    """
    cfg = edition.config
    retain = RETAIN if retain is None else retain
    recorded = previous.get("pages") if previous is not None else None
    recorded = recorded if isinstance(recorded, dict) else None
    made: set[str] = set()  # the files of the pages made (the same strings as ``files``)
    kept: dict[str, str] = {}

    def exists(path: str) -> bool:
        return file_of(path) in made or file_of(path) in kept or (cfg.ebooks and path.endswith(".epub"))

    def walk(planner: _Planner) -> Iterator[tuple[Page, str]]:
        # Generated pages before the volumes' contents, which link to those of their volume that exist.
        items = [*site_pages(), *(item for generate in generators() for item in generate(edition)), *extra()]
        planner.claim(items)
        yield from planner.resolve(items)
        yield from planner.resolve(_volumes(edition, contents, exists))

    planner = _Planner(base, recorded)
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
    levels = planner.levels
    # Made again with the same record of the last build, they are the same pages in the same order.
    return Plan(kept=kept, nav=nav, made_files=files, retained=retained,
                remake=lambda: walk(_Planner(base, recorded, levels)))


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


Memo = dict[int, tuple[Any, str, int]]
SHORT = 160  # characters of a value's text up to which it is not hashed
_citation_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Citation)))


def fingerprint(value: Any, memo: Memo) -> str:
    """A hash of a page's context value, records taken by what index pages see of them (``record_print``).

    Shared objects (a repository's whole tree of files, a volume's record list) are hashed once while
    ``memo`` lives, by identity: the memo holds each object it names, so no other can take its id, with
    its hash and the number of records it holds (``weight``).
    """
    kind = type(value)
    if kind is str:
        return value
    key = id(value)
    if key in memo:
        return memo[key][1]
    records = 0
    if kind is DocRecord:
        text = "\2R" + record_print(value)  # short already: no need to hash it
        memo[key] = (value, text, 1)
        return text
    elif kind is Citation:
        # A dataclass of strings (and a flag): its fields say it all, read faster than its repr.
        text = "C\0" + "\0".join([str(v) for v in _citation_fields(value)])
    elif kind in (int, float, bool) or value is None:
        return f"{kind.__name__}:{value}"
    elif kind is list or kind is tuple:
        text = "L\0" + "\0".join([fingerprint(v, memo) for v in value])
        records = sum(weight(v, memo) for v in value)
    elif kind is dict:
        text = "D\0" + "\0".join([f"{fingerprint(k, memo)}\1{fingerprint(v, memo)}" for k, v in value.items()])
        records = sum(weight(v, memo) for v in value.values())
    else:
        # Anything else (a Volume, a Markup string, a set): its pickle, as before.
        text = "P" + pickle.dumps(value, protocol=5).hex()
    # A short text is its own fingerprint, framed by its length (a citation, a row of a few fields):
    # hashing it would cost more than the longer text its container then hashes.
    short = len(text) < SHORT
    digest = f"S{len(text)}:{text}" if short else hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    memo[key] = (value, digest, records)
    return digest


def weight(value: Any, memo: Memo) -> int:
    """The records a value fingerprinted with ``memo`` holds (what pickling it costs, mostly)."""
    found = memo.get(id(value))
    return found[2] if found is not None else 0


def page_key(base: str, page: Page, nav: list[dict[str, str]], memo: Memo) -> str:
    """What a page's bytes depend on: template, path, navigation and the fingerprint of its context.

    Where a value cannot be fingerprinted, the page is simply rendered again.
    """
    parts = [base, page.path, page.template, repr(nav)]
    if page.keyed:
        parts += ["\1keyed", page.keyed]
        return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    try:
        for name, value in sorted(page.context.items()):
            parts += [name, fingerprint(value, memo)]
    except (pickle.PicklingError, TypeError, AttributeError):
        return ""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
