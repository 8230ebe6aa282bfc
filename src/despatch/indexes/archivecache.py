"""The archives tree kept on disk under the key of the citations it is made of, so an edit that changes
no citation (a title, a date) plans the archives pages without making the tree again; and each volume's
part of that key, kept by its records' key, so that only the volumes edited since the last build are
read for it."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from ..files import replace_file
from ..model import DocRecord
from ..site.cache import code_hash
from ..site.pages import Edition, key_of
from .archivetree import Tree, make_tree

LAYOUT = "archives tree 4"
CACHE = "archives.tree"
# Each volume's records' key and its citations' key, as the last build found them. The tree keeps them
# too, as they were when it was made: after a title edit the tree stands, and its keys of the edited
# volume are old, so that volume's citations were read again at every build after it (by the tenth
# edit of ten volumes, every volume's: 6–14 ms of an edit's 0.3 s).
KEYS = "archives.keys"


def citations_key(edition: Edition, known: dict[str, Any] | None = None) -> tuple[str, dict[str, tuple[str, str]]]:
    """The key of everything the tree is made of (each citing document, in reading order, and the
    fields of its citations that the tree reads), and each volume's part of it by its records' key.

    ``known``: the parts of the last build's tree, taken as they are for a volume whose records'
    key (which covers their citations) is the same.
    """
    volumes: dict[str, tuple[str, str]] = {}
    for vol in sorted(edition.records):
        records = edition.volume_key(vol)
        last = (known or {}).get(vol)
        if isinstance(last, (list, tuple)) and len(last) == 2 and last[0] == records:
            volumes[vol] = (records, last[1])
            continue
        volumes[vol] = (records, volume_citations(edition.records[vol]))
    return key_of(LAYOUT, code_hash(), *(f"{v}\0{c}" for v, (_, c) in volumes.items())), volumes


def volume_citations(records: list[DocRecord]) -> str:
    """A volume's part of the citations' key: each citing record's place and the fields the tree reads."""
    parts = []
    for i, rec in enumerate(records):
        if rec.citations:
            parts.append(f"{rec.id}\2{i}")
            parts += [f"{c.repository}\1{c.collection}\1{c.lot}\1{c.file}\1{c.folder}\1{c.box}\1{c.date_code}"
                      for c in rec.citations]
    return key_of(*parts)


def tree_of(edition: Edition) -> Tree:
    """The edition's tree: from the last build's cache when the citations are the same (once a build)."""
    memo = edition.memo
    if "archives" not in memo:
        folder = edition.config.build_dir / ".cache"
        saved = _load(folder / CACHE)
        known = _load_keys(folder / KEYS)
        if known is None and saved is not None:
            known = saved[1]
        key, volumes = citations_key(edition, known)
        if saved is not None and saved[0] == key:
            tree = Tree(*saved)
        else:
            tree = make_tree(edition, key, volumes)
            _save(folder / CACHE, marshal.dumps((LAYOUT, tree.key, tree.volumes, tree.shape, tree.index_data,
                                                  tree.chunks, tree.rows)))
        if volumes != known:
            _save(folder / KEYS, marshal.dumps((LAYOUT, code_hash(), volumes)))
        memo["archives"] = tree
    return memo["archives"]  # type: ignore[no-any-return]


def _load(path: Path) -> tuple[Any, ...] | None:
    """The fields of the last build's tree (None when there is none this code can read)."""
    try:
        layout, *fields = marshal.loads(path.read_bytes())
    except Exception:  # missing, cut short or from another version: the tree is made again
        return None
    ok = layout == LAYOUT and len(fields) == 6 and isinstance(fields[0], str) and isinstance(fields[1], dict)
    return tuple(fields) if ok else None


def _load_keys(path: Path) -> dict[str, Any] | None:
    """The volumes' keys the last build found (None when there are none this code wrote)."""
    try:
        layout, code, volumes = marshal.loads(path.read_bytes())
    except (OSError, ValueError, TypeError, EOFError):  # missing, cut short or another version's: the tree's own
        return None
    # The part of a volume is worked out by this code: another's may have worked it out otherwise.
    return volumes if layout == LAYOUT and code == code_hash() and isinstance(volumes, dict) else None


def _save(path: Path, data: bytes) -> None:
    """Keep a file of the cache for the next build, in the build's cache folder when there is one."""
    if not path.parent.is_dir():
        return
    try:
        replace_file(path, data)
    except OSError:
        pass  # a cache: the next build works it out again
