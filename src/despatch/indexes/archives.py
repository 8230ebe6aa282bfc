"""The archives pages: ``archives/`` (repository → collection → file), a page per file listing the
documents that cite it, and each volume's list of the files its documents cite."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from typing import Any

from ..apparatus.archives import slug, unit
from ..model import DocRecord
from ..site.pages import Edition, Group, Page, key_of
from .archivetree import Tree, tree_of, unique_paths as _unique_paths  # noqa: F401 (imported from here too)


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
    if not tree.index:
        return
    yield Group("archives/", tree.shape, lambda: _archive_tree_pages(tree.index))
    records = edition.records
    for n, (digest, files, docs, cites) in enumerate(tree.chunks):
        key = key_of(tree.shape, digest, *(edition.prints(v)[i] for v, i in docs))
        yield Group(f"archives files {n}", key,
                    lambda files=files, cites=cites: _file_groups(edition, tree, files, cites))  # type: ignore[misc]
    for vol, docs in sorted(edition.records.items()):
        yield Group(f"{vol}/archives/", key_of(tree.shape, edition.volume_key(vol)),
                    lambda vol=vol, docs=docs: _volume_archives(edition, vol, docs, tree.paths,  # type: ignore[misc]
                                                                key_of(tree.shape, edition.volume_key(vol))))


def _file_groups(edition: Edition, tree: Tree, files: list[str], cites: bytes) -> Iterator[Group]:
    """Each file's page, keyed by what it shows of its documents."""
    records = edition.records
    for path, cited in zip(files, marshal.loads(cites)):
        # Pages below a repository name it and its collection only: not their whole trees, which
        # would travel with every page to the worker that renders it.
        repo, coll, entry = tree.crumb(path)
        docs = [(records[v][i], det) for v, i, det in cited]
        key = key_of(repo["path"], coll["path"], entry["path"], str(entry["count"]), repo["name"], coll["name"],
                     entry["name"], *(f"{edition.print_of(d)}\1{chr(2).join(det)}" for d, det in docs))
        yield Group(path, key, _file_page(repo, coll, entry, docs))


def _archive_tree_pages(index: list[dict[str, Any]]) -> Iterator[Page]:
    yield Page("archives/", "archives.html", {"repositories": index}, "Archives")
    for repo in index:
        yield Page(repo["path"], "archives_repository.html", {"repository": repo}, repo["name"])
        repo_crumb = {"name": repo["name"], "path": repo["path"]}
        for coll in repo["collections"]:
            yield Page(coll["path"], "archives_collection.html", {"repository": repo_crumb, "collection": coll},
                       f"{coll['name']}, {repo['name']}")


def _file_page(repo_crumb: dict[str, str], coll_crumb: dict[str, str], entry: dict[str, Any],
               docs: list[tuple[DocRecord, list[str]]]) -> Any:
    return lambda: [Page(entry["path"], "archives_file.html", {
        "repository": repo_crumb, "collection": coll_crumb, "file": entry,
        "docs": [{"doc": d, "details": det} for d, det in docs]}, f"{entry['name']}, {coll_crumb['name']}")]


def _volume_archives(edition: Edition, vol: str, docs: list[DocRecord],
                     paths: dict[tuple[str, str, str], str], keyed: str = "") -> Iterator[Page]:
    rows = [{"doc": d, "citations": [{"citation": c, "unit": unit(c),
                                      "path": paths[(c.repository, c.collection, unit(c))]}
                                     for c in d.citations if c.repository and c.collection and unit(c)]}
            for d in docs]
    rows = [r for r in rows if r["citations"]]
    if rows:
        yield Page(f"{vol}/archives/", "archives_volume.html",
                   {"volume": edition.volumes[vol], "rows": rows}, f"Archives cited in {vol}", keyed)
