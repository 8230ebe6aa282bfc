"""Each volume folder's source names as the last build listed them, kept while the folder stands.

Adding, removing or renaming a file changes its folder's modification time; editing a file in place
does not. So a folder whose time and inode are those recorded holds the same names, and an edit's
build need not list and sort thousands of them again.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

VERSION = 1
# A folder changed this recently may change again within the same tick of its clock, unseen: listed, not kept.
RACY_NS = 2_000_000_000


class Listings:
    """Source names by folder, trusted while the folder's time and inode are those recorded."""

    def __init__(self, path: Path | None, kinds: Iterable[str]) -> None:
        self.path = path
        self.kinds = sorted(kinds)  # the suffixes read as sources: other readers, other names
        self.old: dict[str, list[object]] = {}
        self.new: dict[str, list[object]] = {}
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == VERSION and data.get("kinds") == self.kinds:
                self.old = dict(data.get("folders", {}))
        except (OSError, ValueError, AttributeError):
            self.old = {}

    def names(self, folder: str, listed: Callable[[], tuple[list[str], bool]]) -> list[str]:
        """The folder's source names: the recorded ones while it stands, else ``listed()`` (names, whether to keep them)."""
        st = os.stat(folder)
        sig = [st.st_mtime_ns, st.st_ino]
        hit = self.old.get(folder)
        if isinstance(hit, list) and len(hit) == 3 and hit[:2] == sig and isinstance(hit[2], list):
            self.new[folder] = hit
            return list(hit[2])  # type: ignore[arg-type]  # names this class wrote
        names, keep = listed()
        if keep and time.time_ns() - st.st_mtime_ns > RACY_NS:
            self.new[folder] = [*sig, names]
        return names

    def save(self) -> None:
        """Record this build's listings (nothing is written when they are the last build's)."""
        if self.path is None or self.new == self.old:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"version": VERSION, "kinds": self.kinds, "folders": self.new}), encoding="utf-8")
        os.replace(tmp, self.path)
