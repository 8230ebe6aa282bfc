"""Each volume folder's source names as the last build listed them, kept while the folder stands,
and what its YAML files (volume.yml, lists) were read as, kept while the file stands.

Adding, removing or renaming a file changes its folder's modification time; editing a file in place
does not. So a folder whose time and inode are those recorded holds the same names, and an edit's
build need not list and sort thousands of them again, nor parse every volume's YAML (545 in FRUS).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

VERSION = 2
# A folder changed this recently may change again within the same tick of its clock, unseen: listed, not kept.
RACY_NS = 2_000_000_000


def settled(st: os.stat_result) -> bool:
    """Whether a file or folder last changed long enough ago for its time to tell a later change."""
    return time.time_ns() - st.st_mtime_ns > RACY_NS


def plain(value: Any) -> Any:
    """A copy of ``value`` through JSON when it gives ``value`` back (plain values), else None (a date,
    say, would come back a string: such a value is read again next time, not kept)."""
    try:
        copy = json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return None
    return copy if copy == value else None


class Listings:
    """Source names by folder, trusted while the folder's time and inode are those recorded."""

    def __init__(self, path: Path | None, kinds: Iterable[str], code: str = "") -> None:
        self.path = path
        self.kinds = sorted(kinds)  # the suffixes read as sources: other readers, other names
        self.code = code  # the code that read the files: another may read them otherwise
        self.old: dict[str, list[object]] = {}
        self.new: dict[str, list[object]] = {}
        self.old_files: dict[str, list[Any]] = {}
        self.files: dict[str, list[Any]] = {}
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == VERSION and data.get("kinds") == self.kinds and data.get("code") == code:
                self.old = dict(data.get("folders", {}))
                self.old_files = dict(data.get("files", {}))
        except (OSError, ValueError, AttributeError):
            self.old, self.old_files = {}, {}

    def names(self, folder: str, listed: Callable[[], tuple[list[str], bool]]) -> list[str]:
        """The folder's source names: the recorded ones while it stands, else ``listed()`` (names, whether to keep them)."""
        st = os.stat(folder)
        sig = [st.st_mtime_ns, st.st_ino]
        hit = self.old.get(folder)
        if isinstance(hit, list) and len(hit) == 3 and hit[:2] == sig and isinstance(hit[2], list):
            self.new[folder] = hit
            return list(hit[2])  # type: ignore[arg-type]  # names this class wrote
        names, keep = listed()
        if keep and settled(st):
            self.new[folder] = [*sig, names]
        return names

    def parsed(self, path: Path, load: Callable[[], Any]) -> Any:
        """What ``load()`` reads of a file: the recorded value while the file's time, size and inode are
        those recorded, else read now (and recorded when it is plain JSON and not changed just now)."""
        if self.path is None:
            return load()
        name = str(path)
        st = os.stat(path)
        sig = [st.st_mtime_ns, st.st_size, st.st_ino]
        hit = self.old_files.get(name)
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == sig:
            self.files[name] = hit
            return json.loads(json.dumps(hit[1]))  # a copy: the caller may change what it is given
        value = load()
        copy = plain(value) if settled(st) else None
        if copy is not None:
            self.files[name] = [sig, copy]
        return value

    def save(self) -> None:
        """Record this build's listings (nothing is written when they are the last build's)."""
        if self.path is None or (self.new == self.old and self.files == self.old_files):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"version": VERSION, "kinds": self.kinds, "code": self.code,
                                   "folders": self.new, "files": self.files}), encoding="utf-8")
        os.replace(tmp, self.path)
