"""Records as rows of plain values (tuples, lists, strings, numbers), and the bytes of a file of them."""

from __future__ import annotations

import gc
import marshal
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from operator import attrgetter
from typing import Any

from ..model import Citation, DocRecord, record_from_row

Row = tuple[Any, ...]

_NAMES = tuple(f.name for f in fields(DocRecord))
_CITE_NAMES = tuple(f.name for f in fields(Citation))
_CITES = _NAMES.index("citations")
DIGEST = _NAMES.index("digest")  # where a row holds its record's digest
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

