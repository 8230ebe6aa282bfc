"""The EPUB archive itself: entries in a fixed order with fixed timestamps, each compressed once.

The archive is written here rather than by ``zipfile`` so that an entry compressed by an earlier
build can be copied as it is (``Packed``): an edited document's build then deflates one chapter
instead of the whole volume. The bytes are those ``zipfile`` writes for the same entries.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

# Zip entries get this timestamp so the same volume always gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_DOSTIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_DOSDATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_VERSION = 20                 # "version needed to extract" of a deflated entry, as zipfile writes it
_UNIX = 3                     # the system that made the archive: fixed, so every platform gives the same bytes
_MODE = 0o644 << 16           # the entries' permissions
_LIMIT = (1 << 31) - 1        # past this an archive needs ZIP64, which no volume comes near
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class Packed:
    """An entry as an earlier archive holds it, deflated: copied into the new one, not compressed again."""

    crc: int
    size: int
    data: bytes


def deflate(data: bytes) -> bytes:
    """Raw deflate as zipfile does it (default level, no header)."""
    # One call with all the input gives the bytes of zipfile's compressor fed the same input and flushed.
    return zlib.compress(data, zlib.Z_DEFAULT_COMPRESSION, -15)


def packed_entries(data: bytes) -> dict[str, Packed]:
    """The deflated entries of an archive's bytes, by name (entries stored or flagged otherwise are left out)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    out: dict[str, Packed] = {}
    for info in infos:
        name, crc, packed, size, offset = info.filename, info.CRC, info.compress_size, info.file_size, info.header_offset
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & ~_UTF8_NAME:
            continue
        if data[offset:offset + 4] != b"PK\003\004":
            raise zipfile.BadZipFile(f"{name}: no local header where the directory says")
        name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
        start = offset + 30 + name_len + extra_len
        out[name] = Packed(crc, size, data[start:start + packed])
    return out


def zip_bytes(entries: list[tuple[str, bytes | Packed]]) -> bytes:
    """The archive: the mimetype first and stored, the rest deflated, fixed times and permissions."""
    body, central = io.BytesIO(), io.BytesIO()
    entries = sorted(entries, key=lambda e: e[0] != "mimetype")
    for name, data in entries:
        if isinstance(data, Packed):
            method, crc, size, stored = zipfile.ZIP_DEFLATED, data.crc, data.size, data.data
        elif name == "mimetype":
            method, crc, size, stored = zipfile.ZIP_STORED, zlib.crc32(data), len(data), data
        else:
            method, crc, size, stored = zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data), deflate(data)
        try:
            raw_name, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw_name, flags = name.encode("utf-8"), _UTF8_NAME
        offset = body.tell()
        if max(offset, size, len(stored)) > _LIMIT:
            raise ValueError(f"{name}: the archive would need ZIP64")
        body.write(struct.pack("<4s2B4HL2L2H", b"PK\003\004", _VERSION, 0, flags, method, _DOSTIME, _DOSDATE,
                               crc, len(stored), size, len(raw_name), 0))
        body.write(raw_name)
        body.write(stored)
        central.write(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", _VERSION, _UNIX, _VERSION, 0, flags, method,
                                  _DOSTIME, _DOSDATE, crc, len(stored), size, len(raw_name), 0, 0, 0, 0, _MODE,
                                  offset))
        central.write(raw_name)
    start, directory = body.tell(), central.getvalue()
    body.write(directory)
    body.write(struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(entries), len(entries), len(directory), start, 0))
    return body.getvalue()


def write_zip(path: Path, entries: list[tuple[str, bytes | Packed]]) -> bytes:
    """Write the archive (a new file renamed into place); returns its bytes."""
    data = zip_bytes(entries)
    # A hidden name: a full build lists the site's URLs while its workers write the ebooks, and the
    # URL ledger leaves hidden files out (a visible one, caught mid-write, made the ledger vary).
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


def normalise_zip(path: Path) -> None:
    """Rewrite the archive with fixed timestamps and the mimetype first and stored, for reproducibility."""
    with zipfile.ZipFile(path) as src:
        entries: list[tuple[str, bytes | Packed]] = [(info.filename, src.read(info)) for info in src.infolist()]
    write_zip(path, entries)


__all__ = ["ZIP_TIME", "Packed", "normalise_zip", "packed_entries", "write_zip", "zip_bytes"]
