"""Content hashes for incremental builds: what a document's outputs depend on, and the last build's manifest."""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import pickle
import struct
from pathlib import Path
from typing import Any, Iterable

from ..config import Config
from ..files import read_file, write_file
from ..model import DocRecord, record_from_row
from ..render.packaged import packaged_templates
from .listing import settled
from .snapshot import (
    Signature,
    Snapshot,
    no_collection,
    retain_snapshots,
    signature,
    to_row,
)

PACKAGE = Path(__file__).resolve().parent.parent


def _hash_files(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        if p.is_file():
            h.update(str(p).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


@functools.cache
def code_hash() -> str:
    """The package's own code: a new version of despatch rebuilds everything (read once a process)."""
    return tree_hash(str(PACKAGE), ".py")


def tree_hash(root: str, suffix: str) -> str:
    """One hash of the paths and bytes of the files under ``root`` whose names end with ``suffix``, in
    path order (listed by ``os.walk`` and read by name: half the time of pathlib's walk and a stat each)."""
    files: list[str] = []
    for folder, _, names in os.walk(root):
        files.extend(os.path.join(folder, name) for name in names if name.endswith(suffix))
    h = hashlib.sha256()
    for path in sorted(files):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except (IsADirectoryError, FileNotFoundError):
            continue  # not a file after all, or gone since listed
        h.update(path.encode("utf-8", "surrogateescape"))
        h.update(data)
    return h.hexdigest()


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
    """The URL ledger as the build last left it: an edit by hand must be checked again.

    Its hash is kept beside the manifest with the file's time, size and inode, and taken from there
    while they stand (the ledger is a megabyte at 5,000 documents, hashed twice a build).
    """
    path = config.content_dir / "urls.lock"
    kept = config.build_dir / ".cache" / "ledger.json"
    try:
        st = os.stat(path)
    except OSError:
        return _hash_files([path])
    sig = [str(path), st.st_mtime_ns, st.st_size, st.st_ino]
    try:
        saved = json.loads(kept.read_bytes())
        if saved.get("file") == sig and isinstance(saved.get("hash"), str):
            return str(saved["hash"])
    except (OSError, ValueError, AttributeError):
        pass
    found = _hash_files([path])
    if settled(st):  # changed just now, it could change again unseen within its clock's tick
        try:
            _replace(kept, json.dumps({"file": sig, "hash": found}).encode("utf-8"))
        except OSError:
            pass
    return found


def source_key(base: str, volume: str, display: str, data: bytes) -> str:
    """The key of a converted source: its bytes, its place and everything the reading depends on."""
    return hashlib.sha256(b"\0".join([base.encode(), volume.encode(), display.encode(), data])).hexdigest()


def render_key(base: str, rec: DocRecord, prev: DocRecord | None, nxt: DocRecord | None, docs_hash: str) -> str:
    """The key of a document's page: its TEI, what the gather stage set, its neighbours, the edition."""
    return _page_key(base, rec, _neighbour(prev), _neighbour(nxt), docs_hash)


def volume_render_keys(base: str, docs: list[DocRecord], docs_hash: str) -> list[str]:
    """``render_key`` of each of a volume's documents in reading order, each neighbour's text made once."""
    near = ["\1", *map(_neighbour, docs), "\1"]
    return [_page_key(base, rec, near[i], near[i + 2], docs_hash) for i, rec in enumerate(docs)]


def volume_print(base: str, docs: list[DocRecord], docs_hash: str, prints: list[str]) -> str:
    """One hash of everything the volume's render keys are made of (``volume_render_keys``): when it is
    the last build's, so are the keys. ``prints``: each document's ``record_print`` (its fields, order
    and dates), which the index pages need too. Fields end with NUL and records with ETX, which no field holds."""
    text = "\3".join([f"{r.digest}\0{p}" for r, p in zip(docs, prints)])
    return hashlib.sha256(f"{base}\0{docs_hash}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


def _page_key(base: str, rec: DocRecord, prev: str, nxt: str, docs_hash: str) -> str:
    """Fields joined by NUL, which no XML text holds (a string, not JSON: it runs for every document)."""
    # Only documents that link elsewhere depend on which documents the edition holds.
    text = (f"{base}\0{rec.digest}\0{rec.order}\0{rec.date_min}\0{rec.date_max}\0{rec.date_basis}\0"
            f"{prev}\0{nxt}\0{docs_hash if rec.refs else ''}")
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _neighbour(rec: DocRecord | None) -> str:
    """What a page shows of a neighbour (its link and title); SOH for none, which no field holds."""
    return f"{rec.volume}\1{rec.id}\1{rec.n}\1{rec.title}" if rec is not None else "\1"


class Manifest:
    """What the last successful build wrote: per document its render key.

    The documents' keys and the lists of index files and index pages, most of the manifest's bytes,
    are kept in files of their own named by the hash of their bytes: an edit that changes none of
    a list does not write it again. Those files are ``marshal``'s (a tenth of JSON's time to write
    and read); the small rest stays JSON, which can be read to see what a build recorded.
    """

    PARTS = ("docs", "outputs", "pages")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {"base": "", "docs": {}, "outputs": [], "pages": {}}
        # part → (file name, an unchangeable copy of its value) as last read or written
        self._parts: dict[str, tuple[str, Any]] = {}
        if path.exists():
            try:
                with no_collection():  # many strings, all kept: nothing for a collection to find
                    data = json.loads(path.read_text(encoding="utf-8"))
                    for part in self.PARTS:
                        name = data.pop(part + "@", None)
                        if name is not None:
                            data[part] = marshal.loads((path.parent / name).read_bytes())
                            self._parts[part] = (name, _copy(data[part]))
                self.data = data
            except (ValueError, OSError, TypeError, EOFError):
                self._parts = {}  # a damaged manifest only costs a full build

    def save(self, base: str, docs: dict[str, str], outputs: list[str], pages: dict[str, str],
             ledger: str = "", urls: str = "", nav: list[dict[str, str]] | None = None,
             pending: dict[str, dict[str, Any]] | None = None, url_docs: dict[str, list[str]] | None = None,
             key_prints: dict[str, str] | None = None) -> None:
        """Record the build: per document its render key, the index files it wrote, each index page's key.

        ``pending``: by volume, the documents changed since the volume was last indexed for search
        whole (searched through the changes bundle instead); a full build leaves none. ``url_docs``:
        by volume, the hashes ``url_body`` may take again; ``key_prints``, those ``render_keys`` may.
        """
        self.data = {"base": base, "docs": docs, "outputs": outputs, "pages": pages, "ledger": ledger,
                     "urls": urls, "nav": nav or [], "previewed": {}, "search": {"pending": pending or {}},
                     "url_docs": url_docs or {}, "key_prints": key_prints or {}}
        self.write()

    def prepare(self, **parts: Any) -> None:
        """Write the files of large parts (``docs=``, ``pages=``) the coming ``save`` will record, while the
        build waits for other processes: named by their bytes, they replace nothing until it names them."""
        for part, value in parts.items():
            kept = self._parts.get(part)
            if kept is None or kept[1] is None or kept[1] != value:
                self._write_part(part, value)

    def write(self) -> None:
        """Write the manifest (each file new, renamed into place; the parts first, then what names them)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        main = dict(self.data)
        for part in self.PARTS:
            if part not in main:
                continue
            value = main.pop(part)
            kept = self._parts.get(part)
            if kept is None or kept[1] is None or kept[1] != value:
                kept = self._write_part(part, value)
            main[part + "@"] = kept[0]
        _replace(self.path, json.dumps(main).encode("utf-8"))
        named = {self.path.name} | {name for name, _ in self._parts.values()}
        for old in self.path.parent.glob(f"{self.path.stem}-*"):
            if old.name not in named:
                old.unlink(missing_ok=True)  # a part no manifest names any more

    def _write_part(self, part: str, value: Any) -> tuple[str, Any]:
        """One part's file, named by the hash of its bytes, and an unchangeable copy to tell later changes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps(value)  # in the build's own order, which is the same for the same build
        name = f"{self.path.stem}-{part}-{hashlib.sha256(data).hexdigest()[:20]}.bin"
        _replace(self.path.parent / name, data)
        kept = self._parts[part] = (name, _copy(value))
        return kept


def _copy(value: Any) -> Any:
    """A copy of a part that no change to ``value`` can reach, to tell later whether it changed: a shallow
    one, for a list or a dict of strings (None for anything else, which is then written every time)."""
    if isinstance(value, list) and set(map(type, value)) <= {str}:
        return list(value)
    if isinstance(value, dict) and set(map(type, value)) <= {str} and set(map(type, value.values())) <= {str}:
        return dict(value)
    return None


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


# A cache entry: this line, the sizes of its two parts, the record's row (``snapshot.to_row``) as a marshal,
# then the div's bytes as they are, so that the render takes the div without making the record again. An
# entry whose record marshal cannot write (a string subclass) is a pickle of both instead.
_ENTRY = b"despatch entry 2\n"
_SIZES = struct.Struct("<QQ")


def load_entry(path: Path | str) -> tuple[DocRecord, bytes] | None:
    """A cached conversion (its record and its TEI div), or None when absent or damaged."""
    name = os.fspath(path)
    # A full build misses every entry: asking costs one system call, a failed open an exception too.
    if not os.access(name, os.F_OK):
        return None
    try:
        data = read_file(name)
        parts = _parts(data)
        if parts is not None:
            return record_from_row(marshal.loads(parts[0])), parts[1]
        record, div = pickle.loads(data)
    except Exception:  # gone since, or cut short by an interrupted build: a miss, not an error
        return None
    return record, div


def load_div(path: str) -> bytes | None:
    """A cached conversion's TEI div alone (None when absent or damaged): its record is not made."""
    try:
        data = read_file(path)
        parts = _parts(data)
        return parts[1] if parts is not None else pickle.loads(data)[1]
    except Exception:
        return None


def save_entry(path: Path | str, record: DocRecord, div: bytes) -> None:
    """Cache one conversion in one file: a cut-short file fails to load and is converted again."""
    try:
        row = marshal.dumps(to_row(record))
    except ValueError:
        data = pickle.dumps((record, div), protocol=4)
    else:
        data = b"".join((_ENTRY, _SIZES.pack(len(row), len(div)), row, div))
    write_file(path, data)


def _parts(data: bytes) -> tuple[memoryview, bytes] | None:
    """An entry's marshalled row and its div (None: not this layout, a pickle); ValueError when cut short."""
    if not data.startswith(_ENTRY):
        return None
    start = len(_ENTRY) + _SIZES.size
    if len(data) < start:
        raise ValueError("a cache entry cut short")
    rows, divs = _SIZES.unpack_from(data, len(_ENTRY))
    if len(data) != start + rows + divs:
        raise ValueError("a cache entry of another length than it says")
    return memoryview(data)[start:start + rows], data[start + rows:]


# The snapshot of the last read lives in its own module; these names stay importable from here.
__all__ = ["Manifest", "Signature", "Snapshot", "code_hash", "edition_hash", "ledger_hash", "load_div", "load_entry",
           "render_key", "retain_snapshots", "save_entry", "signature", "source_key", "templates_hash"]
