"""The archives pages: ``archives/`` (repository → collection → file), a page per file listing the
documents that cite it, and each volume's list of the files its documents cite."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..apparatus.archives import slug, unit
from ..model import DocRecord
from ..site.collect import natural_key
from ..site.pages import Edition, Group, Page, key_of, record_print


def archive_path(repository: str, collection: str = "", file: str = "") -> str:
    """Site path of an archives page: ``archives/department-of-state/central-files/711.5611/``."""
    parts = [slug(p) for p in (repository, collection, file) if p]
    return "archives/" + "".join(f"{p}/" for p in parts)


def _unique_paths(index: list[dict[str, Any]]) -> None:
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


def archive_groups(edition: Edition) -> Iterator[Group]:
    """The archives pages: made again only when some document's record changed."""
    yield Group("archives", edition.edition_key(), lambda: _archive_groups(edition))


def _archive_groups(edition: Edition) -> Iterator[Group]:
    tree: dict[str, dict[str, dict[str, list[tuple[DocRecord, list[str]]]]]] = {}
    for rec in edition.all_records():
        cited: dict[tuple[str, str, str], list[str]] = {}
        for c in rec.citations:
            name = c.repository and c.collection and unit(c)
            if name:
                details = cited.setdefault((c.repository, c.collection, name), [])
                detail = c.date_code and f"{c.file}/{c.date_code}"
                if detail and detail not in details:
                    details.append(detail)
        for (repo, coll, name), details in cited.items():
            tree.setdefault(repo, {}).setdefault(coll, {}).setdefault(name, []).append((rec, details))
    if not tree:
        return
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
    _unique_paths(index)
    paths = {(r["name"], c["name"], f["name"]): f["path"] for r in index for c in r["collections"] for f in c["files"]}
    # Names, paths and counts: all the index, repository and collection pages show, and all a
    # volume's list takes from other volumes.
    shape = key_of(json.dumps(index))
    yield Group("archives/", shape, lambda: _archive_tree_pages(index))
    for repo in index:
        # Pages below a repository name it and its collection only: not their whole trees, which
        # would travel with every page to the worker that renders it.
        repo_crumb = {"name": repo["name"], "path": repo["path"]}
        for coll in repo["collections"]:
            coll_crumb = {"name": coll["name"], "path": coll["path"]}
            for entry in coll["files"]:
                docs = tree[repo["name"]][coll["name"]][entry["name"]]
                key = key_of(repo["path"], coll["path"], entry["path"], str(entry["count"]), repo["name"], coll["name"],
                             entry["name"], *(f"{record_print(d)}\1{chr(2).join(det)}" for d, det in docs))
                yield Group(entry["path"], key, _file_page(repo_crumb, coll_crumb, entry, docs))
    for vol, docs in sorted(edition.records.items()):
        yield Group(f"{vol}/archives/", key_of(shape, edition.volume_key(vol)),
                    lambda vol=vol, docs=docs: _volume_archives(edition, vol, docs, paths))  # type: ignore[misc]


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
                     paths: dict[tuple[str, str, str], str]) -> Iterator[Page]:
    rows = [{"doc": d, "citations": [{"citation": c, "unit": unit(c),
                                      "path": paths[(c.repository, c.collection, unit(c))]}
                                     for c in d.citations if c.repository and c.collection and unit(c)]}
            for d in docs]
    rows = [r for r in rows if r["citations"]]
    if rows:
        yield Page(f"{vol}/archives/", "archives_volume.html",
                   {"volume": edition.volumes[vol], "rows": rows}, f"Archives cited in {vol}")
