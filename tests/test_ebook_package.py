"""The EPUB archive writer: the bytes zipfile writes, and entries copied compressed give the same archive."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from despatch.ebook.package import ZIP_TIME, Packed, packed_entries, write_zip, zip_bytes

# A long entry, half of it random: deflated in one call, it spans many blocks and outgrows every buffer.
_RANDOM = random.Random(8)
LONG = (_RANDOM.randbytes(150_000).hex() + " ".join(_RANDOM.choice(["telegram", "é", "<p>", "1961"]) + str(n)
                                                    for n in range(40_000))).encode()
ENTRIES = [("EPUB/d1.xhtml", b"<p>one</p>" * 50), ("mimetype", b"application/epub+zip"), ("EPUB/empty.css", b""),
           ("EPUB/caf\u00e9.xhtml", "<p>é</p>".encode()), ("META-INF/container.xml", bytes(range(256)) * 9),
           ("EPUB/long.xhtml", LONG)]


def by_zipfile(path: Path, entries: list[tuple[str, bytes]]) -> bytes:
    """The archive as the standard library writes it with the same settings."""
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in sorted(entries, key=lambda e: e[0] != "mimetype"):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            dst.writestr(info, data)
    return path.read_bytes()


def test_the_archive_is_the_one_zipfile_writes(tmp_path: Path) -> None:
    assert zip_bytes(list(ENTRIES)) == by_zipfile(tmp_path / "a.zip", ENTRIES)


def test_the_archive_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "b.epub"
    written = write_zip(out, list(ENTRIES))
    assert out.read_bytes() == written
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert z.namelist()[0] == "mimetype" and z.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert {n: z.read(n) for n in z.namelist()} == dict(ENTRIES)


def test_entries_copied_compressed_give_the_same_archive() -> None:
    first = zip_bytes(list(ENTRIES))
    packed = packed_entries(first)
    assert "mimetype" not in packed  # stored, not deflated: written again
    assert set(packed) == {n for n, _ in ENTRIES} - {"mimetype"}
    copied: list[tuple[str, bytes | Packed]] = [(n, packed.get(n, d)) for n, d in ENTRIES]
    assert zip_bytes(copied) == first


def test_a_copied_entry_keeps_its_own_content() -> None:
    packed = packed_entries(zip_bytes([("a.xhtml", b"old text")]))
    archive = zip_bytes([("a.xhtml", packed["a.xhtml"]), ("b.xhtml", b"new text")])
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert z.read("a.xhtml") == b"old text" and z.read("b.xhtml") == b"new text"


def test_damaged_bytes_are_no_archive() -> None:
    with pytest.raises(zipfile.BadZipFile):
        packed_entries(zip_bytes(list(ENTRIES))[:-30])


def test_an_archive_written_otherwise_is_read_by_the_standard_library(tmp_path: Path) -> None:
    path = tmp_path / "c.zip"
    by_zipfile(path, ENTRIES)
    with zipfile.ZipFile(path, "a") as z:
        z.comment = b"a comment moves the end record"
    packed = packed_entries(path.read_bytes())
    assert set(packed) == {n for n, _ in ENTRIES} - {"mimetype"}
    rebuilt: list[tuple[str, bytes | Packed]] = [(n, packed.get(n, d)) for n, d in ENTRIES]
    assert zip_bytes(rebuilt) == zip_bytes(list(ENTRIES))
