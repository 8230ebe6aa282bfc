"""Pagefind bundles made byte-stable: its filter files and metadata written in one order.

Pagefind lists a bundle's filters, and each filter's values, in the order of a hash map seeded anew
in every run, so the same pages give differently ordered files with different names (content
hashes) each time. Fragments and word indexes are stable. This rewrites the filter files with their
values sorted and the metadata with its filters and sorts in name order, names them by their
contents as Pagefind does, and points the entry file at the new metadata. The search reads the
same values either way.

The files are gzipped CBOR behind a signature. Only what these two files hold is read and written
(integers, strings, byte strings, arrays, maps, true/false/null); anything else leaves the bundle
as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class Unknown(ValueError):
    """A file this module does not read (another Pagefind version's layout)."""


class Map(list):  # type: ignore[type-arg]
    """A CBOR map, as its (key, value) pairs in the file's order."""


def decode(data: bytes) -> Any:
    """The value of a whole CBOR text."""
    value, end = _item(data, 0)
    if end != len(data):
        raise Unknown("bytes after the value")
    return value


def _item(b: bytes, i: int) -> tuple[Any, int]:
    """The CBOR item at ``i`` and where the next one starts."""
    major, info = b[i] >> 5, b[i] & 31
    i += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg = int.from_bytes(b[i:i + size], "big")
        i += size
    else:
        raise Unknown(f"indefinite or reserved length {info}")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = b[i:i + arg]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            value, i = _item(b, i)
            items.append(value)
        return items, i
    if major == 5:
        pairs = Map()
        for _ in range(arg):
            key, i = _item(b, i)
            value, i = _item(b, i)
            pairs.append((key, value))
        return pairs, i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    raise Unknown(f"CBOR major type {major}")


def encode(value: Any) -> bytes:
    """The CBOR text of a value ``decode`` made (shortest lengths, as Pagefind writes them)."""
    if value is False or value is True or value is None:
        return bytes([{False: 0xF4, True: 0xF5, None: 0xF6}[value]])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, Map):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value)
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    raise Unknown(f"cannot write {type(value).__name__}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 1 << (8 << (info - 24)):
            return bytes([major << 5 | info]) + struct.pack(fmt, arg)
    raise Unknown("integer too large")


def read(path: Path) -> Any:
    """A filter or metadata file's value."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise Unknown(f"{path.name} lacks Pagefind's signature")
    return decode(raw[len(SIGNATURE):])


def write(folder: Path, old: str, value: Any, digits: int, suffix: str) -> str:
    """Write ``value`` named by its contents (the old name's language prefix kept); the new name."""
    raw = SIGNATURE + encode(value)
    name = f"{old.split('_')[0]}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    path = folder / f"{name}{suffix}"
    if name != old:
        path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
        (folder / f"{old}{suffix}").unlink(missing_ok=True)
    return name


def stabilize(bundle: Path) -> bool:
    """Rewrite a bundle's filters and metadata in sorted order; False (untouched) for a layout not known."""
    entry_path = bundle / ENTRY
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language in entry["languages"].values():
            meta_name = language["hash"]
            meta = read(bundle / f"pagefind.{meta_name}.pf_meta")
            slot = _filters_slot(meta, bundle)
            if slot is not None:
                listed = []
                for filter_name, file_hash in meta[slot]:
                    name, values = read(bundle / "filter" / f"{file_hash}.pf_filter")
                    values = sorted(values, key=lambda pair: pair[0])
                    listed.append([filter_name, write(bundle / "filter", file_hash, [name, values], 7, ".pf_filter")])
                meta[slot] = sorted(listed)
            for i, field in enumerate(meta):
                if _is_sorts(field):  # each sort's page order stays; only the sorts' own order is fixed
                    meta[i] = sorted(field, key=lambda pair: pair[0])
            language["hash"] = write(bundle, f"pagefind.{meta_name}", meta, 10, ".pf_meta").removeprefix("pagefind.")
    except (Unknown, OSError, KeyError, TypeError, ValueError, EOFError):
        return False
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _is_sorts(field: Any) -> bool:
    """Whether a metadata field lists sorts: pairs of a name and the pages' order (a list of numbers)."""
    return isinstance(field, list) and not isinstance(field, Map) and bool(field) and all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], list)
        and all(isinstance(n, int) for n in p[1]) for p in field)


def _filters_slot(meta: Any, bundle: Path) -> int | None:
    """Which field of the metadata lists the filters: pairs of a name and a filter file of the bundle."""
    if not isinstance(meta, list):
        raise Unknown("metadata is not a list")
    for i, field in enumerate(meta):
        if isinstance(field, list) and field and not isinstance(field, Map) and all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p)
                and (bundle / "filter" / f"{p[1]}.pf_filter").is_file() for p in field):
            return i
    return None
