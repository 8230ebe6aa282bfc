"""Index pages of the apparatus: archives, classification, chronology, persons, terms, printed pages.

Each generator reads only the gathered records (never document trees) and yields ``Page``s; pages
that could grow with the edition are split by volume or by month so none lists the whole edition.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from ..apparatus.archives import slug, unit
from ..model import DocRecord
from ..site.pages import Edition, Page

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def generate(edition: Edition) -> Iterator[Page]:
    """Every apparatus page of the edition."""
    for gen in (generate_archives, generate_classification, generate_chronology, generate_persons,
                generate_terms, generate_printed_pages):
        yield from gen(edition)


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


def generate_archives(edition: Edition) -> Iterator[Page]:
    """``archives/`` (repository → collection → file) and a page per file listing its documents."""
    tree: dict[str, dict[str, dict[str, list[tuple[DocRecord, list[str]]]]]] = {}
    for rec in edition.all_records():
        cited: dict[tuple[str, str, str], list[str]] = {}
        for c in rec.citations:
            if c.repository and c.collection and unit(c):
                details = cited.setdefault((c.repository, c.collection, unit(c)), [])
                detail = c.date_code and f"{c.file}/{c.date_code}"
                if detail and detail not in details:
                    details.append(detail)
        for (repo, coll, name), details in cited.items():
            tree.setdefault(repo, {}).setdefault(coll, {}).setdefault(name, []).append((rec, details))
    if not tree:
        return
    index = [{"name": repo, "path": archive_path(repo), "collections": [
        {"name": coll, "path": archive_path(repo, coll), "files": [
            {"name": name, "path": archive_path(repo, coll, name), "count": len(docs)}
            for name, docs in sorted(files.items(), key=lambda kv: _natural(kv[0]))]}
        for coll, files in sorted(colls.items())]} for repo, colls in sorted(tree.items())]
    _unique_paths(index)
    paths = {(r["name"], c["name"], f["name"]): f["path"] for r in index for c in r["collections"] for f in c["files"]}
    yield Page("archives/", "archives.html", {"repositories": index}, "Archives")
    for repo in index:
        yield Page(repo["path"], "archives_repository.html", {"repository": repo}, repo["name"])
        # Pages below a repository name it and its collection only: not their whole trees, which
        # would travel with every page to the worker that renders it.
        repo_crumb = {"name": repo["name"], "path": repo["path"]}
        for coll in repo["collections"]:
            yield Page(coll["path"], "archives_collection.html", {"repository": repo_crumb, "collection": coll},
                       f"{coll['name']}, {repo['name']}")
            coll_crumb = {"name": coll["name"], "path": coll["path"]}
            for entry in coll["files"]:
                docs = tree[repo["name"]][coll["name"]][entry["name"]]
                yield Page(entry["path"], "archives_file.html", {
                    "repository": repo_crumb, "collection": coll_crumb, "file": entry,
                    "docs": [{"doc": d, "details": det} for d, det in docs]},
                    f"{entry['name']}, {coll['name']}")
    for vol, docs in sorted(edition.records.items()):
        rows = [{"doc": d, "citations": [{"citation": c, "unit": unit(c),
                                          "path": paths[(c.repository, c.collection, unit(c))]}
                                         for c in d.citations if c.repository and c.collection and unit(c)]}
                for d in docs]
        rows = [r for r in rows if r["citations"]]
        if rows:
            yield Page(f"{vol}/archives/", "archives_volume.html",
                       {"volume": edition.volumes[vol], "rows": rows}, f"Archives cited in {vol}")


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def generate_classification(edition: Edition) -> Iterator[Page]:
    """``classification/`` with counts, a page per classification by volume, and per volume lists."""
    by_class: dict[str, dict[str, list[DocRecord]]] = defaultdict(lambda: defaultdict(list))
    for rec in edition.all_records():
        by_class[rec.classification or "Not given"][rec.volume].append(rec)
    if not any(k != "Not given" for k in by_class):
        return
    entries = [{"name": name, "slug": slug(name), "count": sum(len(v) for v in vols.values()),
                "volumes": [{"volume": edition.volumes[v], "count": len(docs)} for v, docs in sorted(vols.items())]}
               for name, vols in sorted(by_class.items(), key=lambda kv: _class_order(kv[0]))]
    yield Page("classification/", "archives_classification.html", {"entries": entries}, "Classification")
    for entry in entries:
        yield Page(f"classification/{entry['slug']}/", "archives_classification_entry.html",
                   {"entry": entry}, f"Classification: {entry['name']}")
        for v in entry["volumes"]:
            docs = by_class[entry["name"]][v["volume"].id]
            yield Page(f"{v['volume'].id}/classification/{entry['slug']}/", "archives_classification_volume.html",
                       {"entry": entry, "volume": v["volume"], "docs": docs},
                       f"{entry['name']} documents in {v['volume'].id}")


def _class_order(name: str) -> tuple[int, str]:
    order = ["Top Secret", "Secret", "Confidential", "Limited Official Use", "Official Use Only",
             "Restricted", "Unclassified", "Not given"]
    return (order.index(name) if name in order else len(order) - 1, name)


def chronology(docs: Iterable[DocRecord]) -> tuple[list[dict[str, Any]], list[DocRecord]]:
    """Documents by year → month → day (by their earliest date), and the undated ones."""
    tree: dict[str, dict[str, dict[str, list[DocRecord]]]] = {}
    undated: list[DocRecord] = []
    for rec in docs:
        if not rec.date_min or len(rec.date_min) < 10:
            undated.append(rec)
            continue
        y, m, d = rec.date_min[:4], rec.date_min[5:7], rec.date_min[8:10]
        tree.setdefault(y, {}).setdefault(m, {}).setdefault(d, []).append(rec)
    years = [{"year": y, "months": [
        {"month": m, "name": MONTHS[int(m) - 1] if m.isdigit() and 1 <= int(m) <= 12 else m,
         "count": sum(len(x) for x in days.values()),
         "days": [{"day": d, "date": f"{y}-{m}-{d}", "docs": sorted(days[d], key=_when)} for d in sorted(days)]}
        for m, days in sorted(months.items())]} for y, months in sorted(tree.items())]
    return years, undated


def _when(rec: DocRecord) -> tuple[str, str, int]:
    return (rec.date_min or "", rec.volume, rec.order)


def generate_chronology(edition: Edition) -> Iterator[Page]:
    """A chronology per volume, and across volumes an index of months with a page per month."""
    for vol, docs in sorted(edition.records.items()):
        years, undated = chronology(docs)
        yield Page(f"{vol}/chronology/", "chronology_volume.html",
                   {"volume": edition.volumes[vol], "years": years, "undated": undated}, f"Chronology of {vol}")
    years, undated = chronology(edition.all_records())
    yield Page("chronology/", "chronology.html", {"years": years, "undated_count": len(undated)}, "Chronology")
    for year in years:
        for month in year["months"]:
            yield Page(f"chronology/{year['year']}/{month['month']}/", "chronology_month.html",
                       {"year": year, "month": month}, f"{month['name']} {year['year']}")


def _mentions(docs: list[DocRecord], attr: str) -> dict[str, list[DocRecord]]:
    out: dict[str, list[DocRecord]] = defaultdict(list)
    for rec in docs:
        for ident in getattr(rec, attr):
            out[ident].append(rec)
    return out


def _entry_pages(edition: Edition, kind: str, lists: dict[str, dict[str, dict[str, Any]]],
                 key: str) -> Iterator[Page]:
    for vol, docs in sorted(edition.records.items()):
        listed = lists.get(vol) or {}
        if not listed:
            continue
        mentions = _mentions(docs, kind)
        entries = [{"id": ident, "label": str(entry.get(key, ident)),
                    "description": str(entry.get("description", "") or ""), "docs": mentions.get(ident, [])}
                   for ident, entry in listed.items()]
        entries.sort(key=lambda e: (e["label"].casefold(), e["id"]))
        title = "Persons" if kind == "persons" else "Abbreviations and Terms"
        yield Page(f"{vol}/{kind}/", f"{kind}.html", {"volume": edition.volumes[vol], "entries": entries,
                                                      "kind": kind, "heading": title},
                   f"{title} — {vol}")


def generate_persons(edition: Edition) -> Iterator[Page]:
    """``<vol>/persons/``: every listed person with the documents that mention them."""
    return _entry_pages(edition, "persons", edition.persons, "name")


def generate_terms(edition: Edition) -> Iterator[Page]:
    """``<vol>/terms/``: every listed term with the documents that use it."""
    return _entry_pages(edition, "terms", edition.terms, "term")


def printed_pages(docs: list[DocRecord]) -> dict[str, list[tuple[DocRecord, bool]]]:
    """Page number → (document, whether the page begins inside it) in reading order.

    A document is on a page if a page break of it starts the page, or if it begins while the
    page is current (the last page break before it, in an earlier document).
    """
    out: dict[str, list[tuple[DocRecord, bool]]] = {}
    current = ""
    for rec in docs:
        if current and (not rec.pages or rec.pages[0] != current):
            out.setdefault(current, []).append((rec, False))
        for n in rec.pages:
            out.setdefault(n, []).append((rec, True))
            current = n
    return out


def generate_printed_pages(edition: Edition) -> Iterator[Page]:
    """``<vol>/pg_691/``: the documents printed on page 691; a redirect when there is only one."""
    for vol, docs in sorted(edition.records.items()):
        for n, entries in sorted(printed_pages(docs).items(), key=lambda kv: _natural(kv[0])):
            links = [{"doc": d, "path": f"{vol}/{d.id}/" + (f"#pg_{n}" if starts else "")} for d, starts in entries]
            template = "page_redirect.html" if len(links) == 1 else "page_printed.html"
            yield Page(f"{vol}/pg_{n}/", template, {"volume": edition.volumes[vol], "n": n, "links": links},
                       f"Page {n} — {vol}")
