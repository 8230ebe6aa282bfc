"""A document's cache entry: its converted record and TEI div, in one file."""

from __future__ import annotations

import marshal
import os
import pickle
import struct
from pathlib import Path

from ..files import read_file, write_file
from ..model import DocRecord, record_from_row
from .rows import to_row

# A cache entry: this line, the sizes of its two parts, the record's row (``rows.to_row``) as a marshal,
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
