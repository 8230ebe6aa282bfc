"""Pick the reader for a source file by its suffix (each returns a Converted TEI div); read a batch of sources."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Diagnostic, SourceError
from ..files import read_file
from ..model import DocRecord, fields_hash
from .cache import source_key
from .cacheentry import load_entry, save_entry
from .rows import no_collection

if TYPE_CHECKING:
    from ..sources.base import Converted
    from .shared import Shared

Reader = Callable[[bytes, str, "str | None"], "Converted"]

# Suffix → "module:function"; each function takes (data: bytes, path: str, volume: str | None).
READERS: dict[str, str] = {
    ".txt": "despatch.sources.text:convert_bytes",
    ".md": "despatch.sources.markdown:convert_markdown_bytes",
    ".xml": "despatch.sources.tei_reader:read_tei",
}

_cache: dict[str, Reader] = {}


@dataclass
class ReadTask:
    """One source to read: its volume, path, path as shown, the conversions' cache and the read's key base."""

    volume: str
    path: str
    display: str
    cache: str
    base: str


def reader_for(path: Path | str) -> Reader:
    """The reader function for a source path (a path object or its text)."""
    # Path.suffix's rule, on the path's text: a path object parses its parts to give its suffix.
    name = os.path.basename(path)
    dot = name.rfind(".")
    spec = READERS.get(name[dot:].lower()) if 0 < dot < len(name) - 1 else None
    if spec is None:
        raise SourceError.at(str(path), 1, 1, "unknown kind of source",
                             found=Path(path).suffix or "no suffix", expected=", ".join(sorted(READERS)))
    return _loaded(spec)


def _loaded(spec: str) -> Reader:
    """The reader a ``READERS`` spec names, imported once."""
    if spec not in _cache:
        module, _, function = spec.partition(":")
        _cache[spec] = getattr(importlib.import_module(module), function)
    return _cache[spec]


def load(paths: Iterable[str]) -> None:
    """Import the readers of ``paths`` and the apparatus a read enriches with, before the first source is read."""
    from ..apparatus import context, enrich, record  # noqa: F401

    for suffix in {os.path.splitext(path)[1].lower() for path in paths}:
        if suffix in READERS:
            _loaded(READERS[suffix])


def is_source(path: Path) -> bool:
    """Whether a file in a volume folder is a document source."""
    return is_source_name(path.name)


def is_source_name(name: str) -> bool:
    """Whether a file name in a volume folder is a document source's (its suffix as ``Path.suffix`` has it)."""
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in READERS and not name.startswith((".", "_"))


def read_source(path: Path, display: str, volume: str) -> Converted:
    """Read one source file with its reader; errors name ``display`` (the project-relative path)."""
    return read_data(path.read_bytes(), path, display, volume)


def read_data(data: bytes, path: Path | str, display: str, volume: str) -> Converted:
    """Convert a source's bytes with the reader its suffix names (``path`` may be the path's text)."""
    return reader_for(path)(data, display, volume)


# The readers whose conversions hold no archival bibl of their own (they go through the text converter).
_PLACED_ONLY = (".txt", ".md")


def read_batch(tasks: list[ReadTask], shared: Shared | None = None) -> list[tuple[DocRecord | None, list[Diagnostic]]]:
    """``worker.read_one`` of each task, in order, each stage over the whole batch before the next.
    ``shared``: the edition's shared data (default: the pool worker's, set by its initializer).

    The same work as one document at a time, in another order: a stage's code and data stay in the
    processor's caches over a few dozen documents (7% less CPU than reading them one by one).
    """
    # A batch leaves no cycles (reference counting frees what it drops): a pool worker's automatic
    # collections during it walked live objects in vain, a few a batch. One after it suffices.
    with no_collection():
        return _read_batch(tasks, shared)


def _read_batch(tasks: list[ReadTask], shared: Shared | None) -> list[tuple[DocRecord | None, list[Diagnostic]]]:
    """The body of ``read_batch``, run with automatic collection off."""
    # Imported here: the listing of sources imports this module, and needs no apparatus; the shared
    # data is set by the pool's initializer, after this module was imported.
    from lxml import etree

    from ..apparatus.context import ApparatusContext
    from ..apparatus.enrich import enrich
    from ..apparatus.record import extract_record
    if shared is None:
        from . import worker

        shared = worker._shared
    assert shared is not None
    out: list[tuple[DocRecord | None, list[Diagnostic]] | None] = [None] * len(tasks)
    todo: list[tuple[int, ReadTask, str, Converted]] = []
    for i, task in enumerate(tasks):
        # Paths as text throughout: a Path parses its parts again for each use (7% of a read).
        data = read_file(task.path)
        key = source_key(task.base, task.volume, task.display, data)
        cached = os.path.join(task.cache, key + ".doc")
        entry = load_entry(cached)
        if entry is not None:
            out[i] = (entry[0], [])
            continue
        try:
            todo.append((i, task, key, read_data(data, task.path, task.display, task.volume)))
        except SourceError as exc:
            out[i] = (None, exc.diagnostics)
    enriched: list[tuple[int, ReadTask, str, Converted, ApparatusContext]] = []
    for i, task, key, conv in todo:
        ctx = ApparatusContext(volume=task.volume, persons=shared.persons.get(task.volume, {}),
                               terms=shared.terms.get(task.volume, {}))
        try:
            enrich(conv.div, ctx)
        except SourceError as exc:
            out[i] = (None, exc.diagnostics)
        else:
            enriched.append((i, task, key, conv, ctx))
    made: list[tuple[int, ReadTask, str, Converted, DocRecord]] = []
    for i, task, key, conv, ctx in enriched:
        # A text or Markdown source's conversion makes no bibl of its own: its archival bibls are
        # those the apparatus placed. Imported TEI may have its own anywhere.
        placed = ctx.placed if task.path.lower().endswith(_PLACED_ONLY) else None
        try:
            made.append((i, task, key, conv, extract_record(conv, task.volume, 0, placed)))
        except SourceError as exc:
            out[i] = (None, exc.diagnostics)
    for i, task, key, conv, record in made:
        if not record.id:
            out[i] = (None, [Diagnostic(task.display, 1, 1, "the document has no id",
                                        expected="a first line '<n>. <title>' or front matter 'id: d245'")])
            continue
        record.fields = fields_hash(record)
        record.digest = key
        save_entry(os.path.join(task.cache, key + ".doc"), record, etree.tostring(conv.div, encoding="UTF-8"))
        out[i] = (record, [])
    return out  # type: ignore[return-value]
