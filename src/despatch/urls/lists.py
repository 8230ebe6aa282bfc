"""The URL lists and the ledger's check and growth, fed the published paths in order, a part at a time."""

from __future__ import annotations

import errno
import filecmp
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Diagnostic
from .ledger import HEADER, dropped, iter_ledger

Entry = tuple[str, int]


class ListWriter:
    """A URL list in the ledger's form, written as its paths come; a file whose text is the same is left
    as it was (its time too)."""

    def __init__(self, path: Path, staging: Path | None = None) -> None:
        """``staging``: the folder to write in until the list is put in place, where ``path``'s own is
        watched (a serving process would take a file made and removed there for an edit, and build again)."""
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = staging if staging is not None else path.parent
        folder.mkdir(parents=True, exist_ok=True)
        self.tmp = folder / (path.name + ".tmp")
        self._out = open(self.tmp, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed by close())
        self._out.write(HEADER)

    def add(self, paths: Iterable[str]) -> None:
        """Write ``paths`` (in order, each once, after those written before)."""
        # A leading slash on every line keeps the site's root ("/") a visible, non-blank entry.
        self._out.write("".join([f"/{p}\n" for p in paths]))

    def close(self, keep: bool = True) -> None:
        """Put the list in place (``keep``) or drop it."""
        self._out.close()
        # filecmp keeps its answers by the files' sizes and times: a serving process builds many times.
        filecmp.clear_cache()
        if not keep or (self.path.is_file() and filecmp.cmp(self.tmp, self.path, shallow=False)):
            self.tmp.unlink()
        else:
            _move(self.tmp, self.path)


def _move(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` over ``path``; from another file system, by a copy beside ``path`` renamed over it."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        beside = path.with_name(path.name + ".tmp")
        shutil.copyfile(tmp, beside)
        os.replace(beside, path)
        tmp.unlink()


def sorted_entries(ledger: Path, excluded: Callable[[str], Any] | None = None) -> Iterator[Entry]:
    """The ledger's entries in the order of their paths: as the file holds them when it is sorted (as
    every build writes it), else sorted in memory. Reads the whole file first, so a bad line is an error
    before anything is written.

    ``excluded``: search files that an earlier version recorded (``pagefind-recent/``), which no ledger
    keeps, are left out. Only paths naming Pagefind are asked (a whole series' ledger holds millions).
    """
    last, ordered, search = "", True, False
    for path, _ in iter_ledger(ledger):
        if path < last:
            ordered = False
        last = path
        search = search or "pagefind" in path
    entries = iter_ledger(ledger) if ordered else iter(sorted(iter_ledger(ledger), key=lambda e: e[0]))
    if search and excluded is not None:
        entries = (entry for entry in entries if "pagefind" not in entry[0] or not excluded(entry[0]))
    return entries


class LedgerCheck:
    """The ledger's paths that the build drops (errors, unless redirected), and the ledger grown by the
    new paths: a merge of two sorted streams, neither held."""

    def __init__(self, ledger: Path, entries: Iterator[Entry], moved: set[str], grow: ListWriter | None) -> None:
        self.ledger = ledger
        self.moved = moved
        self.grow = grow
        self.added = 0
        self.lost: list[Diagnostic] = []
        self._entries = entries
        self._entry: Entry | None = next(entries, None)
        self._written: str | None = None

    def add(self, paths: list[str]) -> None:
        """The next published paths (sorted, after those given before)."""
        union: list[str] = []
        for path in paths:
            while self._entry is not None and self._entry[0] < path:
                union.append(self._drop())
            if self._entry is not None and self._entry[0] == path:
                while self._entry is not None and self._entry[0] == path:
                    self._entry = next(self._entries, None)
            else:
                self.added += 1
            union.append(path)
        self._write(union)

    def finish(self) -> list[Diagnostic]:
        """The ledger's paths left after the last published one; returns the errors, in the ledger's order."""
        union: list[str] = []
        while self._entry is not None:
            union.append(self._drop())
        self._write(union)
        return sorted(self.lost, key=lambda d: d.line)

    def _drop(self) -> str:
        assert self._entry is not None
        path, line = self._entry
        if path not in self.moved:
            self.lost.append(dropped(self.ledger, path, line))
        self._entry = next(self._entries, None)
        return path

    def _write(self, union: list[str]) -> None:
        if self.grow is None:
            return
        fresh: list[str] = []
        for path in union:
            if path != self._written:  # a path the ledger holds twice is written once
                fresh.append(path)
                self._written = path
        self.grow.add(fresh)
