"""Pages that are not documents: what generators yield, and the registry of generators."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..model import DocRecord, fields_hash
from ..volume import Volume


@dataclass
class Page:
    """A page to render: site-relative ``path`` ('vol/archives/' or 'sitemap.xml'), a template and its context."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    # A key of all the page shows, when its group's key says it exactly: the context is then not
    # fingerprinted (a volume's lists of 500 documents took milliseconds each).
    keyed: str = ""


@dataclass
class Edition:
    """The whole edition as the index stages see it: records only, never document trees."""

    config: Config
    volumes: dict[str, Volume]
    records: dict[str, list[DocRecord]]
    persons: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    terms: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    chapters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    kept_paths: set[str] = field(default_factory=set)  # index pages an incremental build left as they were
    _keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _prints: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)
    _by_id: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # what a build made once of it

    def all_records(self) -> Iterable[DocRecord]:
        """Every document, volume by volume in reading order."""
        for vol in sorted(self.records):
            yield from self.records[vol]

    def volume_key(self, vol: str) -> str:
        """The key of what index pages see of a volume's documents, in reading order (once a build)."""
        if vol not in self._keys:
            self._keys[vol] = key_of(*self.prints(vol))
        return self._keys[vol]

    def print_of(self, rec: DocRecord) -> str:
        """``record_print`` of one of the edition's records, made once a build (records live as long)."""
        # A gathered record's order is its place in its volume: no map of the edition's records needed.
        docs = self.records.get(rec.volume)
        at = rec.order
        if docs is not None and 0 <= at < len(docs) and docs[at] is rec:
            return self.prints(rec.volume)[at]
        if not self._by_id:
            for vol in self.records:
                self._by_id.update(zip(map(id, self.records[vol]), self.prints(vol)))
        found = self._by_id.get(id(rec))
        return found if found is not None else record_print(rec)

    def prints(self, vol: str) -> list[str]:
        """What index pages see of each of a volume's documents (``record_print``), in reading order."""
        found = self._prints.get(vol)
        if found is None:
            found = self._prints[vol] = list(map(record_print, self.records.get(vol, [])))
        return found

    def renew(self, vol: str, docs: list[DocRecord]) -> None:
        """A volume's documents read again (a serving process's preview): what was made of them is dropped."""
        self.records[vol] = docs
        self._keys.pop(vol, None)
        self._prints.pop(vol, None)
        self._by_id.clear()

    def edition_key(self) -> str:
        """The key of what index pages see of every document of the edition."""
        return key_of(*(f"{vol}\0{self.volume_key(vol)}" for vol in sorted(self.records)))


@dataclass
class Group:
    """Index pages made from the same inputs, all named by ``key``: the pages themselves, or groups.

    An incremental build that finds a group's key in the last build keeps the group's pages as they
    are, without making them. A key must therefore cover everything its pages' contexts hold, but
    for what every page depends on (configuration, volumes' metadata and lists, templates, code:
    any change of those makes a full build). An empty key: the group is made every build. A key is
    any text (the planner hashes it with the group's id): the prints of the records its pages show,
    joined, cost less than a hash of them hashed again.
    """

    id: str
    key: str
    make: Callable[[], Iterable[Page | Group]]


def pages_of(items: Iterable[Page | Group]) -> Iterator[Page]:
    """Every page of some groups, each made."""
    for item in items:
        if isinstance(item, Group):
            yield from pages_of(item.make())
        else:
            yield item


def record_print(rec: DocRecord) -> str:
    """What an index page may show of a document: its fields, and those the gather stage sets."""
    own = rec.fields or fields_hash(rec)  # records made outside the read stage: hashed here
    basis = rec.date_basis
    # In ASCII ("5–462" escaped): group keys join thousands of prints, and one character beyond ASCII
    # made encoding each joined text for its hash cost more than the hash.
    basis = basis if basis.isascii() else "\2" + ascii(basis)
    return f"{own}\1{rec.order}\1{rec.date_min or ''}\1{rec.date_max or ''}\1{basis}"


def key_of(*parts: str) -> str:
    """A short hash of some strings (80 bits: it tells one build's inputs from the last's, and the
    manifest records one for every group of every index page)."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


Generator = Callable[[Edition], Iterable[Page | Group]]

# Page generators by dotted name (yielding pages or groups of them); a module that is not there yet
# is skipped so the core stays usable.
GENERATORS: list[str] = [
    "despatch.indexes.apparatus:groups",
]


def generators() -> list[Generator]:
    """Load the registered generators that exist."""
    found: list[Generator] = []
    for spec in GENERATORS:
        module, _, name = spec.partition(":")
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue
            raise
        fn = getattr(mod, name, None)
        if fn is not None:
            found.append(fn)
    return found
