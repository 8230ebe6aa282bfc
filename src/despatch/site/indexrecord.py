"""The last build's index pages, read once by their groups' keys, and the planner that resolves this
build's groups against them: a group whose key is recorded is kept, the others are made."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .pages import Group, Page, key_of


class Record:
    """The last build's index pages (file → its groups' keys, outermost first, then its own), read in
    one pass once the keys of this build's outermost groups are known ("claimed"): the pages of a
    claimed group are kept whole there, and only the others are indexed by their groups' keys."""

    def __init__(self, previous: dict[str, str], claimed: set[str]) -> None:
        self.previous = previous
        self.kept: dict[str, str] = {}          # the pages of claimed groups, as recorded
        self.found: set[str] = set()            # the claimed keys that were recorded
        self.outer: dict[str, list[str]] = {}   # the other pages by their outermost group's key
        self._inner: dict[str, list[str]] | None = None
        kept, found, outer = self.kept, self.found, self.outer
        get = outer.get
        # One plain loop: it runs over every index page of the last build (10^4 at 5,000 documents).
        for file, value in previous.items():
            key, sep, _ = value.partition(" ")
            if not sep:
                continue  # a page of no group: made every build
            if key in claimed:
                kept[file] = value
                found.add(key)
                continue
            files = get(key)
            if files is None:
                outer[key] = [file]
            else:
                files.append(file)

    def inner(self) -> dict[str, list[str]]:
        """The pages of unclaimed groups by the keys of their inner groups (made once, when first asked).

        Every inner depth in one index: a key hashes its group's id with its inputs, and a group's depth
        is fixed by the code (which the keys hash too), so no key turns up at two depths; and an inner
        group of a group made now is looked for only among the pages of outermost groups no group of
        this build claims (the others are kept whole).
        """
        if self._inner is None:
            index: dict[str, list[str]] = {}
            get = index.get
            previous = self.previous
            for files in self.outer.values():
                for file in files:
                    keys = previous[file].split(" ")
                    for key in keys[1:-1]:
                        found = get(key)
                        if found is None:
                            index[key] = [file]
                        else:
                            found.append(file)
            self._inner = index
        return self._inner


class Planner:
    """Resolves groups against the last build's record: kept when their key is there, made otherwise."""

    def __init__(self, base: str, previous: dict[str, str] | None, record: Record | None = None) -> None:
        self.base = base
        self.previous = previous
        self.record = record
        self.kept: dict[str, str] = {}

    def claim(self, items: list[Page | Group]) -> None:
        """Read the last build's record against the outermost groups among ``items`` (once): their
        pages that it recorded under the same keys are kept."""
        if self.previous is None:
            return
        if self.record is None:
            claimed = {key_of(self.base, item.id, item.key) for item in items if isinstance(item, Group) and item.key}
            self.record = Record(self.previous, claimed)
            self.kept.update(self.record.kept)

    def resolve(self, items: Iterable[Page | Group], chain: str = "", depth: int = 0) -> Iterator[tuple[Page, str]]:
        """Keep or make the groups among ``items``; yields the pages made, each with its groups' keys,
        as each group is made (a group's pages are not held once the caller has let them go)."""
        record = self.record
        for item in items:
            if isinstance(item, Page):
                yield item, chain
            elif not item.key:
                yield from self.resolve(item.make(), chain, depth)
            else:
                key = key_of(self.base, item.id, item.key)
                if record is not None and not depth and key in record.found:
                    continue  # claimed: its pages were kept as the record was read
                files = None if record is None else record.inner().get(key) if depth else record.outer.get(key)
                if files is not None and not chain:
                    self.kept.update((file, record.previous[file]) for file in files)  # type: ignore[union-attr]
                elif files is not None:
                    for file in files:
                        # Recorded under the keys its enclosing groups have now (one was made).
                        old = record.previous[file].split(" ", depth)[-1]  # type: ignore[union-attr]
                        self.kept[file] = f"{chain} {old}"
                else:
                    yield from self.resolve(item.make(), f"{chain} {key}" if chain else key, depth + 1)
