"""The last successful build's manifest: per document its render key, the index files and pages it wrote."""

from __future__ import annotations

import hashlib
import json
import marshal
from pathlib import Path
from typing import Any

from ..files import replace_file, stamp
from .rows import no_collection


class Manifest:
    """What the last successful build wrote: per document its render key.

    The documents' keys and the lists of index files and index pages, most of the manifest's bytes,
    are kept in files of their own named by the hash of their bytes: an edit that changes none of
    a list does not write it again. Those files are ``marshal``'s (a tenth of JSON's time to write
    and read); the small rest stays JSON, which can be read to see what a build recorded.
    """

    PARTS = ("docs", "outputs", "pages")

    def __init__(self, path: Path, parts: bool = True) -> None:
        """The manifest at ``path``; ``parts=False``: its top level only, until ``read_parts`` (a build
        that finds its edition unchanged needs no more: its parts are most of the manifest's bytes)."""
        self.path = path
        self.data: dict[str, Any] = {"base": "", "docs": {}, "outputs": [], "pages": {}}
        # part → (file name, an unchangeable copy of its value) as last read or written
        self._parts: dict[str, tuple[str, Any]] = {}
        self._unread: dict[str, str] = {}  # part → file name, named by the manifest and not read yet
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                unread = {part: data.pop(part + "@") for part in self.PARTS if part + "@" in data}
                if parts:
                    self._read(data, unread)
                else:
                    self._unread = unread
                self.data = data
            except (ValueError, OSError, TypeError, EOFError):
                self._parts = {}  # a damaged manifest only costs a full build

    def read_parts(self) -> None:
        """Read the parts ``parts=False`` left; raises OSError or ValueError for one missing or damaged."""
        unread, self._unread = self._unread, {}
        try:
            self._read(self.data, unread)
        except (TypeError, EOFError) as exc:
            raise ValueError(f"a damaged part of the manifest: {exc}") from None

    def _read(self, data: dict[str, Any], names: dict[str, str]) -> None:
        with no_collection():  # many strings, all kept: nothing for a collection to find
            for part, name in names.items():
                data[part] = marshal.loads((self.path.parent / name).read_bytes())
                self._parts[part] = (name, _copy(data[part]))

    @classmethod
    def kept(cls, path: Path) -> Manifest:
        """The manifest at ``path``, taken from memory while its file is the one ``keep`` last saw (a
        serving process previews edit after edit: reading the manifest of all FRUS takes a second)."""
        hit = _KEPT.get(path)
        if hit is None or hit[0] != stamp(path):
            return cls(path)
        made = cls.__new__(cls)
        # Its own top level: what a preview sets there reaches the kept one only through ``keep``.
        made.path, made.data, made._parts = path, dict(hit[1].data), dict(hit[1]._parts)
        made._unread = dict(hit[1]._unread)
        return made

    def keep(self) -> None:
        """Remember this manifest, as its file now is, for ``kept`` (one edition at a time)."""
        _KEPT.clear()
        now = stamp(self.path)  # each write renames a new file over it
        if now is not None:
            _KEPT[self.path] = (now, self)

    def save(self, base: str, docs: dict[str, str], outputs: list[str], pages: dict[str, str],
             ledger: str = "", urls: str = "", nav: list[dict[str, str]] | None = None,
             pending: dict[str, dict[str, Any]] | None = None, url_docs: dict[str, list[str]] | None = None,
             key_prints: dict[str, str] | None = None, read: list[Any] | None = None,
             gathered: dict[str, Any] | None = None) -> None:
        """Record the build: per document its render key, the index files it wrote, each index page's key.

        ``pending``: by volume, the documents changed since the volume was last indexed for search
        whole (searched through the changes bundle instead); a full build leaves none. ``url_docs``:
        by volume, the hashes ``url_body`` may take again; ``key_prints``, those ``render_keys`` may;
        ``read`` and ``gathered``, the snapshot read and what the gather stage said (``asbuilt``).
        """
        self.data = {"base": base, "docs": docs, "outputs": outputs, "pages": pages, "ledger": ledger,
                     "urls": urls, "nav": nav or [], "previewed": {}, "search": {"pending": pending or {}},
                     "url_docs": url_docs or {}, "key_prints": key_prints or {}, "read": read,
                     "gathered": gathered}
        self.write()

    def prepare(self, **parts: Any) -> None:
        """Write the files of large parts (``docs=``, ``pages=``) the coming ``save`` will record, while the
        build waits for other processes: named by their bytes, they replace nothing until it names them."""
        for part, value in parts.items():
            kept = self._parts.get(part)
            if kept is None or kept[1] is None or kept[1] != value:
                self._write_part(part, value)

    def write(self) -> None:
        """Write the manifest (each file new, renamed into place; the parts first, then what names them)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        main = dict(self.data)
        for part in self.PARTS:
            if part not in main:
                continue
            value = main.pop(part)
            kept = self._parts.get(part)
            if kept is None or kept[1] is None or kept[1] != value:
                kept = self._write_part(part, value)
            main[part + "@"] = kept[0]
        replace_file(self.path, json.dumps(main).encode("utf-8"))
        named = {self.path.name} | {name for name, _ in self._parts.values()}
        for old in self.path.parent.glob(f"{self.path.stem}-*"):
            if old.name not in named:
                old.unlink(missing_ok=True)  # a part no manifest names any more

    def _write_part(self, part: str, value: Any) -> tuple[str, Any]:
        """One part's file, named by the hash of its bytes, and an unchangeable copy to tell later changes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps(value)  # in the build's own order, which is the same for the same build
        name = f"{self.path.stem}-{part}-{hashlib.sha256(data).hexdigest()[:20]}.bin"
        replace_file(self.path.parent / name, data)
        kept = self._parts[part] = (name, _copy(value))
        return kept


_KEPT: dict[Path, tuple[tuple[int, int, int], Manifest]] = {}


def _copy(value: Any) -> Any:
    """A copy of a part that no change to ``value`` can reach, to tell later whether it changed: a shallow
    one, for a list or a dict of strings (None for anything else, which is then written every time)."""
    if isinstance(value, list) and set(map(type, value)) <= {str}:
        return list(value)
    if isinstance(value, dict) and set(map(type, value)) <= {str} and set(map(type, value.values())) <= {str}:
        return dict(value)
    return None
