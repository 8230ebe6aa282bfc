"""The archives tree kept on disk under the key of the citations it is made of, so an edit that changes
no citation (a title, a date) plans the archives pages without making the tree again."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from ..files import replace_file
from ..site.cache import code_hash
from ..site.pages import Edition, key_of
from .archivetree import Tree, make_tree

LAYOUT = "archives tree 4"
CACHE = "archives.tree"


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
        parts = []
        for i, rec in enumerate(edition.records[vol]):
            if rec.citations:
                parts.append(f"{rec.id}\2{i}")
                parts += [f"{c.repository}\1{c.collection}\1{c.lot}\1{c.file}\1{c.folder}\1{c.box}\1{c.date_code}"
                          for c in rec.citations]
        volumes[vol] = (records, key_of(*parts))
    return key_of(LAYOUT, code_hash(), *(f"{v}\0{c}" for v, (_, c) in volumes.items())), volumes


def tree_of(edition: Edition) -> Tree:
    """The edition's tree: from the last build's cache when the citations are the same (once a build)."""
    memo = edition.memo
    if "archives" not in memo:
        path = edition.config.build_dir / ".cache" / CACHE
        saved = _load(path)
        key, volumes = citations_key(edition, saved[1] if saved is not None else None)
        if saved is not None and saved[0] == key:
            tree = Tree(*saved)
        else:
            tree = make_tree(edition, key, volumes)
            _save(path, tree)
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


def _save(path: Path, tree: Tree) -> None:
    """Keep the tree for the next build, in the build's cache folder when there is one."""
    if not path.parent.is_dir():
        return
    data = marshal.dumps((LAYOUT, tree.key, tree.volumes, tree.shape, tree.index_data, tree.chunks, tree.rows))
    try:
        replace_file(path, data)
    except OSError:
        pass  # a cache: the next build makes the tree again
