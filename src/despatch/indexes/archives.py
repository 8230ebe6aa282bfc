"""The archives pages: ``archives/`` (repository → collection → file), a page per file listing the
documents that cite it, and each volume's list of the files its documents cite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..apparatus.archives import slug
from ..model import DocRecord
from ..site.pages import Edition, Group, Page, key_of
from .archivecache import tree_of
from .archivetree import Row, Tree
from .archivetree import unique_paths as _unique_paths  # noqa: F401 (imported from here too)


# Files a collection lists on the archives and repository pages; a larger one shows its counts and a link.
INLINE = 100
# Files one listing page of a collection holds (the Central Files of all of FRUS cite tens of
# thousands), and documents one file's page lists (a busy file is cited by thousands).
PAGE = 500


def archive_path(repository: str, collection: str = "", file: str = "") -> str:
    """Site path of an archives page: ``archives/department-of-state/central-files/711.5611/``."""
    parts = [slug(p) for p in (repository, collection, file) if p]
    return "archives/" + "".join(f"{p}/" for p in parts)


def archive_groups(edition: Edition) -> Iterator[Group]:
    """The archives pages, in groups an edit of titles or dates mostly keeps: the tree's own pages keyed
    by its shape, the files' pages a few dozen files at a time by the records citing them, each
    volume's list by its records. The tree comes from the last build's cache when no citation changed."""
    # Kept whole while no record changed: the tree is not even read then.
    yield Group("archives", edition.edition_key(), lambda: _archive_groups(edition))


def _archive_groups(edition: Edition) -> Iterator[Group]:
    tree = tree_of(edition)
    if not tree.chunks:
        return
    yield Group("archives/", tree.shape, lambda: _archive_tree_pages(tree.index))
    # Keys are what their pages show (the planner hashes each with its group's id): no hash of their own.
    prints = {vol: edition.prints(vol) for vol in edition.records}
    for n, (digest, docs, _) in enumerate(tree.chunks):
        key = "\0".join([tree.shape, digest, *[prints[v][i] for v, i in docs]])
        yield Group(f"archives files {n}", key, lambda n=n: _file_groups(edition, tree, n))  # type: ignore[misc]
    for vol, docs in sorted(edition.records.items()):
        key = key_of(tree.shape, edition.volume_key(vol))
        yield Group(f"{vol}/archives/", key,
                    lambda vol=vol, docs=docs, key=key: _volume_archives(  # type: ignore[misc]
                        edition, vol, docs, tree.volume_rows(vol), key))


def _file_groups(edition: Edition, tree: Tree, n: int) -> Iterator[Group]:
    """Each file's page of a chunk, keyed by what it shows of its documents."""
    records = edition.records
    for path, cited, (repo, coll, entry) in tree.files(n):
        # Pages below a repository name it and its collection only: not their whole trees, which
        # would travel with every page to the worker that renders it.
        docs = [(records[v][i], det) for v, i, det in cited]
        key = "\0".join([repo["path"], coll["path"], entry["path"], str(entry["count"]), repo["name"], coll["name"],
                          entry["name"], *[f"{edition.prints(v)[i]}\1{chr(2).join(det)}" for v, i, det in cited]])
        yield Group(path, key, _file_page(repo, coll, entry, docs, key))


def _archive_tree_pages(index: list[dict[str, Any]]) -> Iterator[Page]:
    yield Page("archives/", "archives.html", {"repositories": index, "inline": INLINE}, "Archives")
    for repo in index:
        yield Page(repo["path"], "archives_repository.html", {"repository": repo, "inline": INLINE}, repo["name"])
        repo_crumb = {"name": repo["name"], "path": repo["path"]}
        for coll in repo["collections"]:
            title = f"{coll['name']}, {repo['name']}"
            parts = list(_parts(coll))
            if len(parts) == 1:
                yield Page(coll["path"], "archives_collection.html", {"repository": repo_crumb, "collection": coll},
                           title)
                continue
            shown = [{k: v for k, v in part.items() if k != "files"} for part in parts]
            yield Page(coll["path"], "archives_collection.html", {"repository": repo_crumb, "collection": {
                **coll, "files": []}, "parts": shown}, title)
            coll_crumb = {"name": coll["name"], "path": coll["path"]}
            for n, part in enumerate(parts):
                yield Page(part["path"], "archives_collection.html", {
                    "repository": repo_crumb, "collection": {**coll_crumb, "files": part["files"]},
                    **_around(shown, n)}, f"{part['first']} to {part['last']}, {title}")


def _parts(coll: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A collection's files in listing pages of at most ``PAGE`` files (one part: the collection's own page)."""
    files = coll["files"]
    if len(files) <= PAGE:
        yield {"path": coll["path"], "files": files}
        return
    for path, n, _, chunk in _cut(coll["path"], files):
        yield {"path": path, "number": n, "files": chunk, "first": chunk[0]["name"], "last": chunk[-1]["name"],
               "count": len(chunk), "cited": sum(f["count"] for f in chunk)}


def _cut(path: str, items: list[Any]) -> list[tuple[str, int, int, list[Any]]]:
    """``items`` in parts of at most ``PAGE``: each part's folder below ``path`` (``_1/``, ``_2/`` …, names no
    slug can take: slugs hold no '_'), its number, where it starts in ``items``, and its items."""
    return [(f"{path}_{n}/", n, start, items[start:start + PAGE]) for n, start in enumerate(range(0, len(items), PAGE), 1)]


def _around(parts: list[dict[str, Any]], n: int) -> dict[str, Any]:
    """What a part's page shows of the parts: itself, all of them, the previous and the next."""
    return {"part": parts[n], "parts": parts, "previous": parts[n - 1] if n else None,
            "next": parts[n + 1] if n + 1 < len(parts) else None}


def _file_page(repo_crumb: dict[str, str], coll_crumb: dict[str, str], entry: dict[str, Any],
               docs: list[tuple[DocRecord, list[str]]], keyed: str = "") -> Any:
    return lambda: list(_file_pages(repo_crumb, coll_crumb, entry, docs, keyed))


def _file_pages(repo_crumb: dict[str, str], coll_crumb: dict[str, str], entry: dict[str, Any],
                docs: list[tuple[DocRecord, list[str]]], keyed: str) -> Iterator[Page]:
    """A file's page; a file cited by more than ``PAGE`` documents lists them in parts (``_2/``)."""
    rows = [{"doc": d, "details": det} for d, det in docs]
    title = f"{entry['name']}, {coll_crumb['name']}"
    context = {"repository": repo_crumb, "collection": coll_crumb, "file": entry}
    if len(rows) <= PAGE:
        yield Page(entry["path"], "archives_file.html", {**context, "docs": rows}, title, keyed)
        return
    cut = _cut(entry["path"], rows)
    parts = [{"path": path, "number": n, "first": start + 1, "last": start + len(chunk)} for path, n, start, chunk in cut]
    yield Page(entry["path"], "archives_file.html", {**context, "docs": [], "parts": parts, "total": len(rows)},
               title, keyed)
    for n, (part, (_, _, _, chunk)) in enumerate(zip(parts, cut)):
        yield Page(part["path"], "archives_file.html", {**context, "docs": chunk, "total": len(rows), **_around(parts, n)},
                   f"Documents {part['first']} to {part['last']}, {title}", keyed)


def _volume_archives(edition: Edition, vol: str, docs: list[DocRecord], cited: dict[int, Row],
                     keyed: str = "") -> Iterator[Page]:
    rows = [{"doc": docs[n], "citations": [{"citation": docs[n].citations[i], "unit": name, "path": path}
                                           for i, name, path in cited[n]]} for n in sorted(cited)]
    if rows:
        yield Page(f"{vol}/archives/", "archives_volume.html",
                   {"volume": edition.volumes[vol], "rows": rows}, f"Archives cited in {vol}", keyed)
