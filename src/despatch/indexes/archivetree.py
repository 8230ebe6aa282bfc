"""The archives tree (repository → collection → file, with the documents citing each file), made from
the records' citations alone."""

from __future__ import annotations

import json
import marshal
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..apparatus.archives import slug, unit
from ..model import DocRecord
from ..order import natural_key
from ..site.pages import Edition, key_of

Cite = tuple[str, int, list[str]]  # volume, the document's place in it, the file's details it cites
CHUNK = 32  # files a group of file pages holds: an edit makes the groups of the files it cites
# ... and citations of them: the Central Files' busiest files are each cited by a hundred documents of
# a volume, and a chunk of 25 of them (2,942 citations) was read and keyed again by every title edit
# of a document citing one of them.
CHUNK_CITES = 64
Crumb = tuple[dict[str, str], dict[str, str], dict[str, Any]]  # a file's repository, collection and entry
Row = list[tuple[int, str, str]]  # a record's complete citations: their place in it, unit and file's path


@dataclass
class Tree:
    """The archives tree of an edition, in plain values (marshalled as they are).

    Loading it reads what its groups' keys need; the rest stays marshalled until a group made asks
    for it: the index, each chunk's files, each volume's rows (most of its bytes, in dictionaries that
    took milliseconds to make, where an edit of one document needs one chunk and one volume's rows).
    """

    key: str                                   # the citations' key (``citations_key``)
    volumes: dict[str, tuple[str, str]]        # a volume → its records' key, its citations' key
    shape: str                                 # names, paths and counts: all the tree's pages show
    index_data: bytes                          # repositories → collections → files (name, path, count)
    # A few dozen files each: a digest of what they show, the documents citing them, and each file's
    # path, who cites it in reading order and its crumbs (marshalled apart: read for the chunks made).
    chunks: list[tuple[str, list[tuple[str, int]], bytes]]
    rows: dict[str, bytes]                     # a volume → its citing records' ``Row`` by their place
    _index: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def index(self) -> list[dict[str, Any]]:
        """Repositories → collections → files (name, path, count)."""
        if self._index is None:
            self._index = marshal.loads(self.index_data)
        return self._index

    def files(self, n: int) -> list[tuple[str, list[Cite], Crumb]]:
        """The files of chunk ``n``: each one's path, who cites it, and its crumbs."""
        return marshal.loads(self.chunks[n][2])  # type: ignore[no-any-return]

    def volume_rows(self, vol: str) -> dict[int, Row]:
        """A volume's records' complete citations (place, unit, file's path), by the record's place."""
        data = self.rows.get(vol)
        return marshal.loads(data) if data is not None else {}  # type: ignore[no-any-return]


def _places(edition: Edition) -> Iterator[tuple[str, int, DocRecord]]:
    """Every record with its volume and its place there, in reading order."""
    for vol in sorted(edition.records):
        for i, rec in enumerate(edition.records[vol]):
            yield vol, i, rec


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
    cites: dict[str, list[Cite]] = {}
    crumbs: dict[str, Crumb] = {}
    paths: dict[tuple[str, str, str], str] = {}
    for r in index:
        repo = {"name": r["name"], "path": r["path"]}
        for c in r["collections"]:
            coll = {"name": c["name"], "path": c["path"]}
            for f in c["files"]:
                cites[f["path"]] = tree[r["name"]][c["name"]][f["name"]]
                crumbs[f["path"]] = (repo, coll, f)
                paths[(r["name"], c["name"], f["name"])] = f["path"]
    files = list(cites)
    chunks: list[tuple[str, list[tuple[str, int]], bytes]] = []
    for part in _chunked(files, cites):
        digest = key_of(*(f"{p}\1" + "\1".join(f"{v}\2{n}\2" + "\2".join(det) for v, n, det in cites[p]) for p in part))
        chunks.append((digest, sorted({(v, n) for p in part for v, n, _ in cites[p]}),
                       marshal.dumps([(p, cites[p], crumbs[p]) for p in part])))
    rows: dict[str, bytes] = {}
    for vol, docs in edition.records.items():
        rows[vol] = marshal.dumps({n: row for n, rec in enumerate(docs) if rec.citations and (row := [
            (i, u, paths[(c.repository, c.collection, u)]) for i, c in enumerate(rec.citations)
            if c.repository and c.collection and (u := unit(c))])})
    # Names, paths and counts: all the index, repository and collection pages show, and all a
    # volume's list takes from other volumes.
    return Tree(key, volumes, key_of(json.dumps(index)), marshal.dumps(index), chunks, rows, index)


def _chunked(files: list[str], cites: dict[str, list[Cite]]) -> Iterator[list[str]]:
    """The files in order, in chunks of at most ``CHUNK`` files cited ``CHUNK_CITES`` times (or one file)."""
    part: list[str] = []
    count = 0
    for path in files:
        if part and (len(part) >= CHUNK or count + len(cites[path]) > CHUNK_CITES):
            yield part
            part, count = [], 0
        part.append(path)
        count += len(cites[path])
    if part:
        yield part


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
