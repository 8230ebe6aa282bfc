"""The snapshot of the last read: every source's signature and record, in one file read at once.

An edited document's build needs the records of all the others. They are kept as rows of plain
values (tuples, lists, strings, numbers) in one ``marshal`` file: one read and one decode for the
whole edition, where unpickling record by record cost a Python call per record and its fields.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..files import replace_file, stamp
from ..model import DocRecord, copied
from .rows import DIGEST, Row, decode, encode, from_row, to_row

Signature = tuple[int, int, int]


def signature(path: Path | str) -> Signature:
    """What tells a source changed without reading it: modification time, size and inode."""
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size, st.st_ino


def source_signatures(folder: str | Path, texts: list[str]) -> list[Signature]:
    """Each of a volume's sources' signature, in order (``texts``: their paths, mostly in ``folder``)."""
    prefix = os.path.join(folder, "")
    here = len(prefix)
    opened, stat = _open_folder(prefix), os.stat
    out: list[Signature] = []
    try:
        for text in texts:
            # Named from the volume's open folder: the kernel walks one name, not the whole path.
            st = stat(text[here:], dir_fd=opened) if opened is not None and text.startswith(prefix) else stat(text)
            out.append((st.st_mtime_ns, st.st_size, st.st_ino))
    finally:
        if opened is not None:
            os.close(opened)
    return out


def _open_folder(path: str) -> int | None:
    """A volume folder opened to look its files up by name (None where the system cannot, or it is gone)."""
    if os.stat not in os.supports_dir_fd:
        return None
    try:
        return os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


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
        return copied(self.objects[display])

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

    def unchanged(self, listed: list[tuple[list[str], list[Signature]]]) -> bool:
        """Whether the sources (each volume's shown paths and signatures) are those of the snapshot, all
        and only: every record would be taken from it as it is."""
        get, count = self.entries.get, 0
        for displays, sigs in listed:
            count += len(displays)
            for hit, sig in zip(map(get, displays), sigs):
                if hit is None or hit[0] != sig:
                    return False
        return count == len(self.entries)

    def put(self, display: str, sig: Signature, record: DocRecord) -> None:
        last = self.entries.get(display)
        if last is not None and last[1][DIGEST] != record.digest:
            self.dropped.append(last[1][DIGEST])
        entry = (tuple(sig), to_row(record, self.memo))
        self.entries[display] = self.journal[display] = entry  # type: ignore[assignment]
        self.objects.pop(display, None)
        self.dirty = True

    def keep_only(self, displays: set[str]) -> None:
        """Forget removed sources."""
        for gone in set(self.entries) - displays:
            self.dropped.append(self.entries[gone][1][DIGEST])
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
            replace_file(journal, encode(self.base, self.token, self.journal))
        else:
            self.token = os.urandom(8).hex()
            replace_file(self.path, encode(self.base, self.token, self.entries))
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
    return stamp(path), stamp(journal_of(path))


_SNAPSHOTS: dict[Path, tuple[tuple[Signature | None, Signature | None], Snapshot]] = {}
_RETAIN = False


def retain_snapshots(on: bool = True) -> None:
    """Keep the last snapshot in memory between builds: for serving processes, not one-off builds."""
    global _RETAIN
    _RETAIN = on
    if not on:
        _SNAPSHOTS.clear()
