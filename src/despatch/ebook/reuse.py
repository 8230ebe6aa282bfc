"""Chapters an incremental build takes from the volume's last EPUB instead of converting them again.

An edited document changes one chapter of its volume's ebook, but the book is one archive, so the
whole volume is packed again. A small record beside the build cache (one per volume: the EPUB's hash,
and each chapter's key and printed pages) lets the unchanged chapters be read back from the last
EPUB. A chapter's key covers everything it is made from: the document's TEI bytes, its title and where
each of its links resolves (other documents of the volume can move a link's target). The record is
trusted only while the EPUB it describes is the one in the site, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from .xhtml import Chapter

VERSION = 1


def chapter_key(data: bytes, title: str, links: list[str | None]) -> str:
    """What a chapter is made from, hashed: the TEI bytes, the title and every link's resolution."""
    digest = hashlib.sha256(data)
    digest.update(b"\0" + title.encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + json.dumps(links).encode("utf-8"))
    return digest.hexdigest()[:32]


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Chapters:
    """The last EPUB's chapters by key (read lazily), and the keys of the EPUB being written now."""

    def __init__(self, record: Path, previous: Path | None = None) -> None:
        self.record = record
        self.made: dict[str, Any] = {}
        self._old: dict[str, Any] = {}
        self._zip: zipfile.ZipFile | None = None
        if previous is None or not previous.is_file() or not record.is_file():
            return
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            if data.get("version") == VERSION and data.get("epub") == file_hash(previous):
                self._old = data.get("chapters", {})
                self._zip = zipfile.ZipFile(previous)
        except (OSError, ValueError, zipfile.BadZipFile):
            self._old, self._zip = {}, None

    def get(self, doc_id: str, key: str) -> Chapter | None:
        """The chapter of ``doc_id`` from the last EPUB when its key is ``key``; None otherwise."""
        old = self._old.get(doc_id)
        if self._zip is None or old is None or old.get("key") != key:
            return None
        try:
            html = self._zip.read(f"EPUB/{doc_id}.xhtml")
        except (KeyError, OSError, zipfile.BadZipFile):
            return None
        return Chapter(html=html, pages=[(ident, n) for ident, n in old.get("pages", [])])

    def put(self, doc_id: str, key: str, made: Chapter) -> None:
        self.made[doc_id] = {"key": key, "pages": [list(p) for p in made.pages]}

    def save(self, epub: Path) -> None:
        """Record the keys of the EPUB just written at ``epub`` (the next build's ``previous``)."""
        if self._zip is not None:
            self._zip.close()
        self.record.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": VERSION, "epub": file_hash(epub), "chapters": self.made},
                          sort_keys=True, separators=(",", ":"))
        tmp = self.record.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.record)
