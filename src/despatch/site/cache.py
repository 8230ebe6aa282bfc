"""Content hashes for incremental builds: what a document's outputs depend on, and the last build's manifest."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any, Iterable

from ..config import Config
from ..files import write_file
from ..model import DocRecord
from ..render.env import packaged_templates

PACKAGE = Path(__file__).resolve().parent.parent


def _hash_files(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        if p.is_file():
            h.update(str(p).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def code_hash() -> str:
    """The package's own code: a new version of despatch rebuilds everything."""
    return _hash_files(PACKAGE.rglob("*.py"))


def templates_hash(config: Config) -> str:
    """Every template and asset a page may use, packaged and the project's own."""
    roots = [packaged_templates(), config.templates_dir]
    return _hash_files(p for r in roots if r.is_dir() for p in r.rglob("*"))


def edition_hash(config: Config) -> str:
    """The configuration and every volume's metadata and lists (they reach every page)."""
    files = [config.config_path] if config.config_path else []
    # Not urls.lock: the build itself grows it, and it shapes only the redirects, which every build redoes.
    for pattern in ("*/volume.yml", "*/persons.yml", "*/terms.yml", "*/toc.yml", "*.md", "*.yml"):
        files.extend(config.content_dir.glob(pattern))
    return _hash_files(files)


def ledger_hash(config: Config) -> str:
    """The URL ledger as the build last left it: an edit by hand must be checked again."""
    return _hash_files([config.content_dir / "urls.lock"])


def source_key(base: str, volume: str, display: str, data: bytes) -> str:
    """The key of a converted source: its bytes, its place and everything the reading depends on."""
    return hashlib.sha256(b"\0".join([base.encode(), volume.encode(), display.encode(), data])).hexdigest()


def render_key(base: str, rec: DocRecord, prev: DocRecord | None, nxt: DocRecord | None, docs_hash: str) -> str:
    """The key of a document's page: its TEI, what the gather stage set, its neighbours, the edition."""
    neighbours = [(d.volume, d.id, d.n, d.title) if d else None for d in (prev, nxt)]
    gathered = (rec.order, rec.date_min, rec.date_max, rec.date_basis, neighbours)
    # Only documents that link elsewhere depend on which documents the edition holds.
    links = docs_hash if rec.refs else ""
    # JSON, not pickle: pickle's bytes depend on object identity (memoised shared strings).
    return hashlib.sha256(json.dumps([base, rec.digest, gathered, links]).encode()).hexdigest()


class Manifest:
    """What the last successful build wrote: per document its render key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {"base": "", "docs": {}, "outputs": [], "pages": {}}
        if path.exists():
            try:
                self.data = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, OSError):
                pass  # a damaged manifest only costs a full build

    def save(self, base: str, docs: dict[str, str], outputs: list[str], pages: dict[str, str],
             ledger: str = "", urls: str = "", nav: list[dict[str, str]] | None = None,
             pending: dict[str, dict[str, Any]] | None = None) -> None:
        """Record the build: per document its render key, the index files it wrote, each index page's key.

        ``pending``: by volume, the documents changed since the volume was last indexed for search
        whole (searched through the changes bundle instead); a full build leaves none.
        """
        self.data = {"base": base, "docs": docs, "outputs": outputs, "pages": pages, "ledger": ledger,
                     "urls": urls, "nav": nav or [], "previewed": {}, "search": {"pending": pending or {}}}
        self.write()

    def write(self) -> None:
        """Write the manifest whole (a new file renamed into place)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


def load_entry(path: Path) -> tuple[DocRecord, bytes] | None:
    """A cached conversion (its record and its TEI div), or None when absent or damaged."""
    try:
        record, div = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except Exception:  # a file cut short by an interrupted build is a miss, not an error
        return None
    return record, div


def save_entry(path: Path, record: DocRecord, div: bytes) -> None:
    """Cache one conversion in one file: a cut-short file fails to unpickle and is converted again."""
    write_file(path, pickle.dumps((record, div), protocol=4))


Signature = tuple[int, int, int]


def signature(path: Path) -> Signature:
    """What tells a source changed without reading it: modification time, size and inode."""
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size, st.st_ino


class Snapshot:
    """Every source's signature and record from the last read, so an unchanged source is not even read.

    A long-lived process (``despatch serve``, ``mkdocs serve``) keeps the last snapshot it loaded or
    saved in memory, with its records unpickled, as long as the file is the one it wrote.
    """

    def __init__(self, path: Path | None, base: str) -> None:
        self.path = path
        self.base = base
        # Records are kept pickled one by one: saving after one edit then copies bytes, not 5,000 objects.
        self.entries: dict[str, tuple[Signature, bytes]] = {}
        self.objects: dict[str, DocRecord] = {}
        self.dirty = False
        if path is None:  # not kept (a check run): every source is read
            return
        kept = _SNAPSHOTS.get(path)
        if kept is not None and kept[0] == _stamp(path) and kept[1].base == base:
            self.entries, self.objects = kept[1].entries, kept[1].objects
            return
        try:
            saved_base, entries = pickle.loads(path.read_bytes())
        except Exception:  # absent, damaged or from another version: every source is read
            return
        if saved_base == base:
            self.entries = entries
            if _RETAIN:
                _SNAPSHOTS[path] = (_stamp(path), self)

    def get(self, display: str, sig: Signature) -> DocRecord | None:
        """The record of an unchanged source, as it was before the gather stage changed any record."""
        hit = self.entries.get(display)
        if hit is None or hit[0] != sig:
            return None
        if not _RETAIN:
            return pickle.loads(hit[1])  # a one-off build: nothing else will hold this record
        if display not in self.objects:
            self.objects[display] = pickle.loads(hit[1])
        # A copy: the gather stage sets order and dates on the records it is given (fields, not lists).
        return copy.copy(self.objects[display])

    def put(self, display: str, sig: Signature, record: DocRecord) -> None:
        self.entries[display] = (sig, pickle.dumps(record, protocol=4))
        self.objects.pop(display, None)
        self.dirty = True

    def keep_only(self, displays: set[str]) -> None:
        """Forget removed sources."""
        for gone in set(self.entries) - displays:
            del self.entries[gone]
            self.objects.pop(gone, None)
            self.dirty = True

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps((self.base, self.entries), protocol=4))
        tmp.replace(self.path)
        _SNAPSHOTS.clear()  # one edition at a time is what a serving process needs
        if _RETAIN:
            _SNAPSHOTS[self.path] = (_stamp(self.path), self)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        return signature(path)
    except OSError:
        return None


_SNAPSHOTS: dict[Path, tuple[tuple[int, int, int] | None, Snapshot]] = {}
_RETAIN = False


def retain_snapshots(on: bool = True) -> None:
    """Keep the last snapshot in memory between builds: for serving processes, not one-off builds."""
    global _RETAIN
    _RETAIN = on
    if not on:
        _SNAPSHOTS.clear()
