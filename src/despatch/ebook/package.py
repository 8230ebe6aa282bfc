"""The EPUB archive itself: entries in a fixed order with fixed timestamps, compressed once."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ebooklib import epub

# Zip entries get this timestamp so the same volume always gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def normalise_zip(path: Path) -> None:
    """Rewrite the archive with fixed timestamps and the mimetype first and stored, for reproducibility."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    write_zip(path, entries)


def write_zip(path: Path, entries: list[tuple[str, bytes]]) -> None:
    """Write the archive reproducibly: fixed timestamps, the mimetype first and stored, the rest deflated."""
    entries = sorted(entries, key=lambda e: e[0] != "mimetype")
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    tmp.replace(path)


class _Entries:
    """Stands in for ebooklib's zip file: keeps what it writes, so the archive is compressed only once."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        self.entries.append((name, data.encode("utf-8") if isinstance(data, str) else data))

    def close(self) -> None:
        pass


class EntriesWriter(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer with the zip file replaced by an entry list (write_zip makes the archive)."""

    def write(self) -> None:
        out = _Entries()
        self.out = out
        out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()
        self.entries = out.entries


__all__ = ["ZIP_TIME", "EntriesWriter", "normalise_zip", "write_zip"]
