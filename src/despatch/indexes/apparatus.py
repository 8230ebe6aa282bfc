"""Index pages of the apparatus: archives, classification, chronology, persons, terms, printed pages.

Each generator reads only the gathered records (never document trees) and yields ``Group``s of
``Page``s, each group keyed by the records its pages show, so that an incremental build makes only
the groups whose records changed; pages that could grow with the edition are split by volume or by
month so none lists the whole edition.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ..apparatus.archives import slug
from ..model import DocRecord
from ..order import natural_key
from ..site.pages import Edition, Group, Page, key_of, pages_of
from ..urls.scheme import absolute_url
from .archives import _unique_paths, archive_groups, archive_path  # noqa: F401 (imported from here too)
from .chronology import MONTHS, chronology, chronology_groups  # noqa: F401 (imported from here too)


def groups(edition: Edition) -> Iterator[Group]:
    """Every apparatus page of the edition, in groups keyed by what they show."""
    for gen in (archive_groups, classification_groups, chronology_groups, person_groups, term_groups,
                printed_page_groups):
        yield from gen(edition)


def generate(edition: Edition) -> Iterator[Page]:
    """Every apparatus page of the edition."""
    return pages_of(groups(edition))


def classification_groups(edition: Edition) -> Iterator[Group]:
    """The classification pages: made again only when some document's record changed."""
    yield Group("classification", edition.edition_key(), lambda: _classification_groups(edition))


def _classification_groups(edition: Edition) -> Iterator[Group]:
    by_class: dict[str, dict[str, list[DocRecord]]] = defaultdict(lambda: defaultdict(list))
    prints: dict[tuple[str, str], list[str]] = defaultdict(list)  # what each volume's list shows of its documents
    for vol in sorted(edition.records):
        for rec, text in zip(edition.records[vol], edition.prints(vol)):
            name = rec.classification or "Not given"
            by_class[name][vol].append(rec)
            prints[(name, vol)].append(text)
    if not any(k != "Not given" for k in by_class):
        return
    entries = [{"name": name, "slug": slug(name), "count": sum(len(v) for v in vols.values()),
                "volumes": [{"volume": edition.volumes[v], "count": len(docs)} for v, docs in sorted(vols.items())]}
               for name, vols in sorted(by_class.items(), key=lambda kv: _class_order(kv[0]))]
    # The counts are all the index and entry pages show, and all a volume's list shows of other volumes.
    counts = key_of(json.dumps([[e["name"], e["slug"], e["count"], [[v["volume"].id, v["count"]] for v in e["volumes"]]]
                                for e in entries]))
    yield Group("classification/", counts, lambda: _classification_pages(entries))
    for entry in entries:
        for v in entry["volumes"]:
            docs = by_class[entry["name"]][v["volume"].id]
            # Its key is all its page shows (the planner hashes it): the counts and its documents' prints.
            key = "\0".join([counts, *prints[(entry["name"], v["volume"].id)]])
            yield Group(f"{v['volume'].id}/classification/{entry['slug']}/", key,
                        lambda entry=entry, v=v, docs=docs, key=key: [Page(  # type: ignore[misc]
                            f"{v['volume'].id}/classification/{entry['slug']}/", "archives_classification_volume.html",
                            {"entry": entry, "volume": v["volume"], "docs": docs},
                            f"{entry['name']} documents in {v['volume'].id}", key)])


def _classification_pages(entries: list[dict[str, Any]]) -> Iterator[Page]:
    yield Page("classification/", "archives_classification.html", {"entries": entries}, "Classification")
    for entry in entries:
        yield Page(f"classification/{entry['slug']}/", "archives_classification_entry.html",
                   {"entry": entry}, f"Classification: {entry['name']}")


def _class_order(name: str) -> tuple[int, str]:
    order = ["Top Secret", "Secret", "Confidential", "Limited Official Use", "Official Use Only",
             "Restricted", "Unclassified", "Not given"]
    return (order.index(name) if name in order else len(order) - 1, name)


def _mentions(docs: list[DocRecord], attr: str) -> dict[str, list[DocRecord]]:
    out: dict[str, list[DocRecord]] = defaultdict(list)
    for rec in docs:
        for ident in getattr(rec, attr):
            out[ident].append(rec)
    return out


def _entry_groups(edition: Edition, kind: str, lists: dict[str, dict[str, dict[str, Any]]],
                  key: str) -> Iterator[Group]:
    for vol, docs in sorted(edition.records.items()):
        listed = lists.get(vol) or {}
        if listed:
            yield Group(f"{vol}/{kind}/", edition.volume_key(vol),
                        lambda vol=vol, docs=docs, listed=listed: [  # type: ignore[misc]
                            _entry_page(edition, kind, vol, docs, listed, key)])


def _entry_page(edition: Edition, kind: str, vol: str, docs: list[DocRecord], listed: dict[str, dict[str, Any]],
                key: str) -> Page:
    mentions = _mentions(docs, kind)
    entries = [{"id": ident, "label": str(entry.get(key, ident)),
                "description": str(entry.get("description", "") or ""), "docs": mentions.get(ident, [])}
               for ident, entry in listed.items()]
    entries.sort(key=lambda e: (e["label"].casefold(), e["id"]))
    title = "Persons" if kind == "persons" else "Abbreviations and Terms"
    return Page(f"{vol}/{kind}/", f"{kind}.html", {"volume": edition.volumes[vol], "entries": entries,
                                                 "kind": kind, "heading": title}, f"{title} — {vol}")


def person_groups(edition: Edition) -> Iterator[Group]:
    """``<vol>/persons/``: every listed person with the documents that mention them."""
    return _entry_groups(edition, "persons", edition.persons, "name")


def term_groups(edition: Edition) -> Iterator[Group]:
    """``<vol>/terms/``: every listed term with the documents that use it."""
    return _entry_groups(edition, "terms", edition.terms, "term")


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


def printed_page_groups(edition: Edition) -> Iterator[Group]:
    """``<vol>/pg_691/``: the documents printed on page 691; a redirect when there is only one."""
    for vol, docs in sorted(edition.records.items()):
        yield Group(f"{vol}/pg_", edition.volume_key(vol),
                    lambda vol=vol, docs=docs: _printed_page_groups(edition, vol, docs))  # type: ignore[misc]


def _printed_page_groups(edition: Edition, vol: str, docs: list[DocRecord]) -> Iterator[Group]:
    # A page apiece, keyed by its documents: one changed document makes its pages again, not the volume's.
    # The key is the prints themselves (the planner hashes each group's key with its id): all the page shows.
    print_of = edition.print_of
    for n, entries in sorted(printed_pages(docs).items(), key=lambda kv: natural_key(kv[0])):
        key = "\0".join([f"{print_of(d)}\1{starts}" for d, starts in entries])
        yield Group(f"{vol}/pg_{n}/", key,
                    lambda n=n, entries=entries, key=key: [_printed_page(edition, vol, n, entries, key)])  # type: ignore[misc]


def _printed_page(edition: Edition, vol: str, n: str, entries: list[tuple[DocRecord, bool]], key: str = "") -> Page:
    links = [{"doc": d, "path": f"{vol}/{d.id}/" + (f"#pg_{n}" if starts else "")} for d, starts in entries]
    context: dict[str, Any] = {"volume": edition.volumes[vol], "n": n, "links": links}
    if _redirects(entries):
        # The document is the page's canonical URL: absolute, as a redirect's is, and without the fragment.
        context["canonical"] = absolute_url(edition.config, f"{vol}/{entries[0][0].id}/")
        return Page(f"{vol}/pg_{n}/", "page_redirect.html", context, f"Page {n} — {vol}", key)
    return Page(f"{vol}/pg_{n}/", "page_printed.html", context, f"Page {n} — {vol}", key)


def _redirects(entries: list[tuple[DocRecord, bool]]) -> bool:
    """Whether a printed page holds one document only, and so redirects to it rather than listing it."""
    return len(entries) == 1


def redirect_pages(edition: Edition) -> Iterator[str]:
    """The printed pages that redirect to their one document: published, but no sitemap lists them."""
    for vol, docs in edition.records.items():
        yield from volume_redirect_pages(vol, docs)


def volume_redirect_pages(vol: str, docs: list[DocRecord]) -> list[str]:
    """``redirect_pages`` of one volume, in page order."""
    return [f"{vol}/pg_{n}/" for n, entries in printed_pages(docs).items() if _redirects(entries)]
