"""Content hashes for incremental builds: what a document's outputs depend on."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from ..config import Config
from ..files import replace_file
from ..model import DocRecord
from ..render.packaged import packaged_templates
from .listing import settled

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
    if config.pages != config.content_dir:  # the editors' pages, kept apart
        files.extend(config.pages.glob("*.md"))
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
            replace_file(kept, json.dumps({"file": sig, "hash": found}).encode("utf-8"))
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
