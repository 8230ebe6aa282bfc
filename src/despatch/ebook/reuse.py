"""Chapters an incremental build takes from the volume's last EPUB instead of converting them again.

An edited document changes one chapter of its volume's ebook, but the book is one archive, so the
whole volume is packed again. A small record beside the build cache (one per volume: the EPUB's hash,
and each chapter's key and printed pages) lets the unchanged chapters be copied from the last EPUB as
they are stored there, compressed. A chapter's key covers everything it is made from: the document's
TEI bytes, its title and where each of its links resolves (other documents of the volume can move a
link's target). The record is trusted only while the EPUB it describes is the one in the site, byte
for byte, and was compressed by the same zlib. It also keeps, by the hash of each document's TEI, the
ids and link targets in it, so that an unchanged document is not even parsed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

from lxml import etree

from .package import Packed, packed_entries

VERSION = 5  # 5: link targets without the refs' empty ones


def tei_digest(data: bytes) -> str:
    """The hash a chapter record keeps of a document's TEI bytes."""
    return hashlib.sha256(data).hexdigest()[:32]


def chapter_key(digest: str, title: str, links: list[str | None]) -> str:
    """What a chapter is made from, hashed: the TEI bytes' digest, the title and every link's resolution."""
    # Joined by NUL, None as U+0001: neither can be in XML, so different inputs never join the same.
    joined = "\0".join([digest, title, *("\1" if link is None else link for link in links)])
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def skeleton_key(volume: Any, identifier: str, modified: dt.datetime, toc: list[tuple[str, str, str]],
                 pages: list[tuple[str, str]], css: bytes) -> str:
    """What the package documents around the chapters are made from, hashed: the volume's metadata,
    the book's identifier and time, the contents, the printed pages, the stylesheet and the lxml that
    serialises the title page. (Not despatch's code: a change to it makes the next build a full one.)"""
    h = hashlib.sha256(json.dumps([repr(volume), identifier, modified.isoformat(), toc, pages, etree.LXML_VERSION],
                                  ensure_ascii=False).encode("utf-8", "surrogatepass"))
    h.update(css)
    return h.hexdigest()[:32]


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _compressor() -> str:
    """Which zlib deflates: another version may deflate the same chapter into other bytes."""
    return zlib.ZLIB_RUNTIME_VERSION


class Chapters:
    """The last EPUB's chapters by key (copied compressed), and the keys of the EPUB being written now."""

    def __init__(self, record: Path, previous: Path | None = None) -> None:
        self.record = record
        # The live volume folder: the TEI files of documents this build did not render are there.
        self.live = str(previous.parent) if previous is not None else None
        self.made: dict[str, Any] = {}
        self._old: dict[str, Any] = {}
        self._packed: dict[str, Packed] = {}
        self._skeleton = ""
        if not record.is_file():
            return
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            if data.get("version") != VERSION or data.get("zlib") != _compressor():
                return
            self._old = data.get("chapters", {})
            book = previous.read_bytes() if previous is not None and previous.is_file() else None
            if book is not None and data.get("epub") == file_hash(book):
                self._packed = packed_entries(book)
                self._skeleton = str(data.get("skeleton", ""))
        except (OSError, ValueError, AttributeError, zipfile.BadZipFile):
            self._old, self._packed = {}, {}

    def known(self, doc_id: str, digest: str | None, sig: list[int] | None = None) -> tuple[str, list[str], list[str]] | None:
        """The TEI digest, ids and link targets of the document, when its TEI is the one last recorded:
        the same digest, or the same file (size, time and inode)."""
        old = self._old.get(doc_id)
        if not isinstance(old, dict) or not (old.get("tei") == digest or (sig and old.get("sig") == sig)):
            return None
        return str(old.get("tei")), list(old.get("ids", [])), list(old.get("targets", []))

    def get(self, doc_id: str, key: str) -> tuple[Packed, list[tuple[str, str]]] | None:
        """The chapter of ``doc_id`` as the last EPUB stores it, and its printed pages, when its key is ``key``."""
        old = self._old.get(doc_id)
        packed = self._packed.get(f"EPUB/{doc_id}.xhtml")
        if packed is None or not isinstance(old, dict) or old.get("key") != key:
            return None
        return packed, [(ident, n) for ident, n in old.get("pages", [])]

    def put(self, doc_id: str, key: str, pages: list[tuple[str, str]], digest: str, ids: list[str],
            targets: list[str], sig: list[int] | None = None) -> None:
        self.made[doc_id] = {"key": key, "pages": [list(p) for p in pages], "tei": digest, "ids": ids,
                             "targets": targets, "sig": sig}

    def package(self, skeleton: str, names: list[str]) -> list[Packed] | None:
        """The last EPUB's package documents ``names`` when it was made from the same ``skeleton``."""
        if not skeleton or skeleton != self._skeleton:
            return None
        found = [self._packed.get(name) for name in names]
        return [p for p in found if p is not None] if None not in found else None

    def same(self, name: str, data: bytes) -> Packed | None:
        """The last EPUB's entry ``name`` when it holds exactly ``data``: copied, not deflated again."""
        packed = self._packed.get(name)
        # The checksum rules out nearly every changed entry before anything is inflated.
        if packed is None or packed.size != len(data) or packed.crc != zlib.crc32(data):
            return None
        return packed if zlib.decompress(packed.data, -15) == data else None

    def save(self, epub: bytes, skeleton: str = "") -> None:
        """Record the keys of the EPUB just written (its bytes' hash and its package documents' key)."""
        self.record.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": VERSION, "zlib": _compressor(), "epub": file_hash(epub), "skeleton": skeleton,
                           "chapters": self.made},
                          sort_keys=True, separators=(",", ":"), check_circular=False)  # made of lists and dicts
        tmp = self.record.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.record)
