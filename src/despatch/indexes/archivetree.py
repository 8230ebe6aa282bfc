"""The archives tree (repository → collection → file, with the documents citing each file), made from
the records' citations alone and kept on disk under their key, so an edit that changes no citation
(a title, a date) plans the archives pages without making the tree again."""

from __future__ import annotations

import json
import marshal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..apparatus.archives import slug, unit
from ..model import DocRecord
from ..site.cache import code_hash
from ..site.collect import natural_key
from ..site.pages import Edition, key_of

LAYOUT = "archives tree 3"
CACHE = "archives.tree"

Cite = tuple[str, int, list[str]]  # volume, the document's place in it, the file's details it cites
CHUNK = 32  # files a group of file pages holds: an edit makes the groups of the files it cites


@dataclass
class Tree:
    """The archives tree of an edition, in plain values (marshalled as they are)."""

    key: str                                   # the citations' key (``citations_key``)
    volumes: dict[str, tuple[str, str]]        # a volume → its records' key, its citations' key
    shape: str                                 # names, paths and counts: all the tree's pages show
    index: list[dict[str, Any]]                # repositories → collections → files (name, path, count)
    # A few dozen files each: a digest of what they show, their paths, the documents citing them, and
    # who cites each file in reading order (marshalled apart: read only for the chunks an edit makes).
    chunks: list[tuple[str, list[str], list[tuple[str, int]], bytes]]
    places: dict[str, tuple[int, int, int]]    # a file's path → where the index holds it
    _paths: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def crumb(self, path: str) -> tuple[dict[str, str], dict[str, str], dict[str, Any]]:
        """A file's repository and collection (name and path), and its own entry."""
        r, c, f = self.places[path]
        repo = self.index[r]
        coll = repo["collections"][c]
        return ({"name": repo["name"], "path": repo["path"]}, {"name": coll["name"], "path": coll["path"]},
                coll["files"][f])

    @property
    def paths(self) -> dict[tuple[str, str, str], str]:
        """(repository, collection, unit) → the file's path."""
        if not self._paths:
            self._paths.update(((r["name"], c["name"], f["name"]), f["path"])
                               for r in self.index for c in r["collections"] for f in c["files"])
        return self._paths


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


def _places(edition: Edition) -> Iterator[tuple[str, int, DocRecord]]:
    """Every record with its volume and its place there, in reading order."""
    for vol in sorted(edition.records):
        for i, rec in enumerate(edition.records[vol]):
            yield vol, i, rec


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


def make_tree(edition: Edition, key: str, volumes: dict[str, tuple[str, str]]) -> Tree:
    """The tree made from the records."""
    tree: dict[str, dict[str, dict[str, list[Cite]]]] = {}
    for vol, i, rec in _places(edition):
        cited: dict[tuple[str, str, str], list[str]] = {}
        for c in rec.citations:
            name = c.repository and c.collection and unit(c)
            if name:
                details = cited.setdefault((c.repository, c.collection, name), [])
                detail = c.date_code and f"{c.file}/{c.date_code}"
                if detail and detail not in details:
                    details.append(detail)
        for (repo, coll, name), details in cited.items():
            tree.setdefault(repo, {}).setdefault(coll, {}).setdefault(name, []).append((vol, i, details))
    slugs: dict[str, str] = {}  # a repository's or collection's name is slugged once, not once a file

    def seg(text: str) -> str:
        if text not in slugs:
            slugs[text] = slug(text) + "/"
        return slugs[text]

    index = [{"name": repo, "path": "archives/" + seg(repo), "collections": [
        {"name": coll, "path": "archives/" + seg(repo) + seg(coll), "files": [
            {"name": name, "path": "archives/" + seg(repo) + seg(coll) + slug(name) + "/", "count": len(docs)}
            for name, docs in sorted(files.items(), key=lambda kv: natural_key(kv[0]))]}
        for coll, files in sorted(colls.items())]} for repo, colls in sorted(tree.items())]
    unique_paths(index)
    places: dict[str, tuple[int, int, int]] = {}
    cites: dict[str, list[Cite]] = {}
    for ri, r in enumerate(index):
        for ci, c in enumerate(r["collections"]):
            for fi, f in enumerate(c["files"]):
                places[f["path"]] = (ri, ci, fi)
                cites[f["path"]] = tree[r["name"]][c["name"]][f["name"]]
    files = list(cites)
    chunks: list[tuple[str, list[str], list[tuple[str, int]], bytes]] = []
    for at in range(0, len(files), CHUNK):
        part = files[at:at + CHUNK]
        digest = key_of(*(f"{p}\1" + "\1".join(f"{v}\2{n}\2" + "\2".join(det) for v, n, det in cites[p]) for p in part))
        chunks.append((digest, part, sorted({(v, n) for p in part for v, n, _ in cites[p]}),
                       marshal.dumps([cites[p] for p in part])))
    # Names, paths and counts: all the index, repository and collection pages show, and all a
    # volume's list takes from other volumes.
    return Tree(key, volumes, key_of(json.dumps(index)), index, chunks, places)


def unique_paths(index: list[dict[str, Any]]) -> None:
    """Give names that share a slug ("POL 32–1" and "POL 32-1") paths of their own."""
    taken: dict[str, str] = {}

    def claim(entry: dict[str, Any]) -> None:
        path, n = entry["path"], 2
        while taken.get(path, entry["name"]) != entry["name"]:
            path = f"{entry['path'].rstrip('/')}-{n}/"
            n += 1
        taken[path] = entry["name"]
        entry["path"] = path

    for repo in index:
        claim(repo)
        for coll in repo["collections"]:
            coll["path"] = repo["path"] + coll["path"].split("/")[-2] + "/"
            claim(coll)
            for file in coll["files"]:
                file["path"] = coll["path"] + file["path"].split("/")[-2] + "/"
                claim(file)


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
    data = marshal.dumps((LAYOUT, tree.key, tree.volumes, tree.shape, tree.index, tree.chunks,
                          tree.places))
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass  # a cache: the next build makes the tree again
