"""The snapshot of the last read: every source's signature and record, in one file read at once.

An edited document's build needs the records of all the others. They are kept as rows of plain
values (tuples, lists, strings, numbers) in one ``marshal`` file: one read and one decode for the
whole edition, where unpickling record by record cost a Python call per record and its fields.
"""

from __future__ import annotations

import copy
import gc
import marshal
import os
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from ..model import Citation, DocRecord, record_from_row

Signature = tuple[int, int, int]
Row = tuple[Any, ...]

_NAMES = tuple(f.name for f in fields(DocRecord))
_CITE_NAMES = tuple(f.name for f in fields(Citation))
_CITES = _NAMES.index("citations")
_DIGEST = _NAMES.index("digest")
# Fields that differ from record to record: not worth looking up for sharing.
_UNIQUE = {i for i, name in enumerate(_NAMES) if name in ("title", "source", "digest", "fields")}
_values = attrgetter(*_NAMES)
_cite_values = attrgetter(*_CITE_NAMES)
# The shared fields by declared kind: text (or None), lists of text, lists of (text, line) pairs.
_KINDS = {f.name: str(f.type) for f in fields(DocRecord)}
_TEXT = [i for i, n in enumerate(_NAMES) if i not in _UNIQUE and _KINDS[n] in ("str", "str | None")]
_TEXTS = [i for i, n in enumerate(_NAMES) if _KINDS[n] == "list[str]"]
_PAIRS = [i for i, n in enumerate(_NAMES) if _KINDS[n] == "list[tuple[str, int]]"]
# The layout of a row: a snapshot written for other fields is not read.
SCHEMA = (_NAMES, _CITE_NAMES)
MARSHAL, PICKLE = b"despatch snapshot 1 marshal\n", b"despatch snapshot 1 pickle\n"


def signature(path: Path | str) -> Signature:
    """What tells a source changed without reading it: modification time, size and inode."""
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size, st.st_ino


@contextmanager
def no_collection() -> Iterator[None]:
    """No garbage collection while many objects are made that all stay alive (it would walk them in vain)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def to_row(rec: DocRecord, memo: dict[Any, Any] | None = None) -> Row:
    """A record as a tuple of its fields in declaration order, its citations as tuples too.

    With ``memo``, equal strings of different records become one object: marshal then writes them
    once and reads them back shared (a volume's id, a repository's name, a note's anchor).
    """
    row = list(_values(rec))
    cites = row[_CITES]
    row[_CITES] = [_cite_values(c) for c in cites] if cites else []
    if memo is None:
        return tuple(row)
    try:
        return _shared_row(row, memo)
    except (TypeError, ValueError):  # a field of another type than declared: the general walk
        return tuple(value if i in _UNIQUE else _shared(value, memo) for i, value in enumerate(row))


def _shared_row(row: list[Any], memo: dict[Any, Any]) -> Row:
    """``row`` with its strings shared through ``memo``, field by field as each is declared: the main
    process does this for every record it is sent, and the general walk cost three calls a value."""
    share = memo.setdefault
    for i in _TEXT:
        value = row[i]
        if value.__class__ is str:
            row[i] = share(value, value)
        elif value is not None:
            raise TypeError(value)
    for i in _TEXTS:  # each list a new one, as the general walk made it
        row[i] = [share(v, v) for v in row[i]]
    for i in _PAIRS:
        row[i] = [(share(a, a), b) for a, b in row[i]]
    row[_CITES] = [tuple([share(v, v) if v.__class__ is str else v for v in c]) for c in row[_CITES]]
    return tuple(row)


def _shared(value: Any, memo: dict[Any, Any]) -> Any:
    if isinstance(value, str):
        return memo.setdefault(value, value)
    if isinstance(value, list):
        return [_shared(v, memo) for v in value]
    if isinstance(value, tuple):
        return tuple(_shared(v, memo) for v in value)
    return value


def from_row(row: Row) -> DocRecord:
    """The record a row was made from (its lists are the row's own: records are not changed in place)."""
    # Not interned: a snapshot's rows share their repeated strings already (``put`` makes them through one memo).
    return record_from_row(row, intern=False)


def encode(base: str, token: str, entries: dict[str, Any]) -> bytes:
    """A snapshot or journal file's bytes: marshal, or pickle should a field hold what marshal cannot write."""
    try:
        return MARSHAL + marshal.dumps((base, SCHEMA, token, entries))
    except ValueError:
        return PICKLE + pickle.dumps((base, SCHEMA, token, entries), protocol=pickle.HIGHEST_PROTOCOL)


def decode(data: bytes, base: str) -> tuple[str, dict[str, Any]] | None:
    """The token and entries of a file written for ``base``; None for another base, layout or a damaged file."""
    try:
        with no_collection():
            if data.startswith(MARSHAL):
                saved = marshal.loads(memoryview(data)[len(MARSHAL):])
            elif data.startswith(PICKLE):
                saved = pickle.loads(memoryview(data)[len(PICKLE):])
            else:
                return None
        saved_base, schema, token, entries = saved
    except Exception:  # cut short, damaged or from another version: every source is read
        return None
    if saved_base != base or schema != SCHEMA or not isinstance(token, str) or not isinstance(entries, dict):
        return None
    return token, entries


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


class Snapshot:
    """Every source's signature and record from the last read, so an unchanged source is not even read.

    The records of the whole edition are written now and then; the records read since go into a small
    journal beside them, so an edited document's build writes one record, not all of them. The journal
    names the snapshot it continues (a token drawn when that was written), and counts for no other.
    A long-lived process (``despatch serve``, ``mkdocs serve``) keeps the last snapshot it loaded or
    saved in memory, with its records made, as long as the files are the ones it wrote.
    """

    def __init__(self, path: Path | None, base: str) -> None:
        self.path = path
        self.base = base
        self.entries: dict[str, tuple[Signature, Row]] = {}
        self.objects: dict[str, DocRecord] = {}
        self.memo: dict[Any, Any] = {}  # strings of the records put since loading, shared
        self.token: str | None = None   # of the snapshot file loaded (None: none, a journal cannot follow)
        self.journal: dict[str, tuple[Signature, Row] | None] = {}  # read (or removed, None) since
        self.dirty = False
        self.dropped: list[str] = []  # digests of the records replaced or removed since loading
        if path is None:  # not kept (a check run): every source is read
            return
        kept = _SNAPSHOTS.get(path)
        if kept is not None and kept[0] == _stamp(path) and kept[1].base == base:
            old = kept[1]
            self.entries, self.objects, self.token, self.journal = old.entries, old.objects, old.token, old.journal
            return
        data = _read(path)
        loaded = decode(data, base) if data is not None else None
        if loaded is None:
            return
        self.token, self.entries = loaded
        data = _read(journal_of(path))
        journal = decode(data, base) if data is not None else None
        if journal is not None and journal[0] == self.token:
            self.journal = journal[1]
            for display, entry in self.journal.items():
                if entry is None:
                    self.entries.pop(display, None)
                else:
                    self.entries[display] = entry
        if _RETAIN:
            _SNAPSHOTS[path] = (_stamp(path), self)

    def get(self, display: str, sig: Signature) -> DocRecord | None:
        """The record of an unchanged source, as it was before the gather stage changed any record."""
        hit = self.entries.get(display)
        if hit is None or hit[0] != sig:
            return None
        if not _RETAIN:
            return from_row(hit[1])  # a one-off build: nothing else will hold this record
        if display not in self.objects:
            self.objects[display] = from_row(hit[1])
        # A copy: the gather stage sets order and dates on the records it is given (fields, not lists).
        return copy.copy(self.objects[display])

    def records(self, displays: list[str], sigs: list[Signature]) -> tuple[list[DocRecord | None], list[int]]:
        """``get`` of each source in turn (None where it changed), and where those are: one loop for a
        volume's sources."""
        if _RETAIN:
            out = [self.get(display, sig) for display, sig in zip(displays, sigs)]
            return out, [i for i, rec in enumerate(out) if rec is None]
        out: list[DocRecord | None] = []
        missed: list[int] = []
        add = out.append
        for hit, sig in zip(map(self.entries.get, displays), sigs):
            if hit is None or hit[0] != sig:
                missed.append(len(out))
                add(None)
            else:
                add(from_row(hit[1]))
        return out, missed

    def put(self, display: str, sig: Signature, record: DocRecord) -> None:
        last = self.entries.get(display)
        if last is not None and last[1][_DIGEST] != record.digest:
            self.dropped.append(last[1][_DIGEST])
        entry = (tuple(sig), to_row(record, self.memo))
        self.entries[display] = self.journal[display] = entry  # type: ignore[assignment]
        self.objects.pop(display, None)
        self.dirty = True

    def keep_only(self, displays: set[str]) -> None:
        """Forget removed sources."""
        for gone in set(self.entries) - displays:
            self.dropped.append(self.entries[gone][1][_DIGEST])
            del self.entries[gone]
            self.journal[gone] = None
            self.objects.pop(gone, None)
            self.dirty = True

    def save(self) -> None:
        """Write the journal, or, when there is none to continue or it grew long, the whole snapshot."""
        if not self.dirty or self.path is None:
            return
        journal = journal_of(self.path)
        if self.token is not None and len(self.journal) <= JOURNAL_MAX:
            _write(journal, encode(self.base, self.token, self.journal))
        else:
            self.token = os.urandom(8).hex()
            _write(self.path, encode(self.base, self.token, self.entries))
            journal.unlink(missing_ok=True)  # names the old token: harmless should this not happen
            self.journal = {}
        self.dirty = False
        _SNAPSHOTS.clear()  # one edition at a time is what a serving process needs
        if _RETAIN:
            _SNAPSHOTS[self.path] = (_stamp(self.path), self)


JOURNAL_MAX = 512  # records read since the snapshot was written whole, past which it is written again


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _stamp(path: Path) -> tuple[Signature | None, Signature | None]:
    """The signatures of a snapshot and its journal: a serving process trusts its copy while they hold."""
    def one(p: Path) -> Signature | None:
        try:
            return signature(p)
        except OSError:
            return None
    return one(path), one(journal_of(path))


_SNAPSHOTS: dict[Path, tuple[tuple[Signature | None, Signature | None], Snapshot]] = {}
_RETAIN = False


def retain_snapshots(on: bool = True) -> None:
    """Keep the last snapshot in memory between builds: for serving processes, not one-off builds."""
    global _RETAIN
    _RETAIN = on
    if not on:
        _SNAPSHOTS.clear()
