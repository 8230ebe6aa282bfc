"""Index pages of the apparatus from records: printed pages, chronology, archives paths, facets."""

from __future__ import annotations

from pathlib import Path

from despatch.apparatus.archives import slug
from despatch.config import load_config
from despatch.indexes.apparatus import _unique_paths, archive_path, chronology, generate, printed_pages
from despatch.model import Citation, DocRecord
from despatch.site.pages import Edition
from despatch.volume import Volume

V = "frus1961-63v13"


def rec(n: int, pages=(), date=None, **kw) -> DocRecord:
    return DocRecord(volume=V, id=f"d{n}", n=str(n), title=f"{n}. Telegram", pages=list(pages),
                     date_min=date, date_max=date, order=n, **kw)


def test_a_document_is_on_the_page_it_begins_on_and_on_its_page_breaks() -> None:
    docs = [rec(1, ["690"]), rec(2, ["691"]), rec(3), rec(4, ["692", "693"])]
    pages = {n: [(d.id, starts) for d, starts in entries] for n, entries in printed_pages(docs).items()}
    assert pages == {
        "690": [("d1", True), ("d2", False)],
        "691": [("d2", True), ("d3", False), ("d4", False)],
        "692": [("d4", True)],
        "693": [("d4", True)],
    }


def test_chronology_by_year_month_day_with_undated_apart() -> None:
    docs = [rec(1, date="1962-05-04T00:00:00"), rec(2, date="1962-05-04T10:00:00"),
            rec(3, date="1962-06-01T00:00:00"), rec(4)]
    years, undated = chronology(docs)
    assert [(y["year"], [(m["name"], [(d["date"], [x.id for x in d["docs"]]) for d in m["days"]])
                         for m in y["months"]]) for y in years] == [
        ("1962", [("May", [("1962-05-04", ["d1", "d2"])]), ("June", [("1962-06-01", ["d3"])])])]
    assert [d.id for d in undated] == ["d4"]


def test_slugs_and_unique_archive_paths() -> None:
    assert slug("Secretary’s Memoranda of Conversation") == "secretarys-memoranda-of-conversation"
    assert slug("711.5611") == "711.5611"
    assert archive_path("Department of State", "Central Files", "711.5611") == \
        "archives/department-of-state/central-files/711.5611/"
    files = [{"name": n, "path": archive_path("D", "C", n)} for n in ("POL 32–1 Aus-It", "POL 32-1 Aus-It")]
    index = [{"name": "D", "path": archive_path("D"), "collections": [
        {"name": "C", "path": archive_path("D", "C"), "files": files}]}]
    _unique_paths(index)
    assert [f["path"] for f in files] == ["archives/d/c/pol-32-1-aus-it/", "archives/d/c/pol-32-1-aus-it-2/"]


def test_generated_paths_of_a_small_edition(tmp_path: Path) -> None:
    cite = Citation("Department of State", "Central Files", "711.5611", "d1fn0", date_code="5–462")
    docs = [rec(1, ["691"], "1962-05-04T00:00:00", classification="Secret", citations=[cite], persons=["p_RD1"]),
            rec(2, [], None, classification="Confidential")]
    edition = Edition(config=load_config(tmp_path / "mkdocs.yml"), volumes={V: Volume(id=V, title="XIII")},
                      records={V: docs}, persons={V: {"p_RD1": {"name": "Rusk, Dean"}}}, terms={})
    pages = {p.path: p for p in generate(edition)}
    assert sorted(pages) == sorted([
        "archives/", "archives/department-of-state/", "archives/department-of-state/central-files/",
        "archives/department-of-state/central-files/711.5611/", f"{V}/archives/",
        "classification/", "classification/secret/", "classification/confidential/",
        f"{V}/classification/secret/", f"{V}/classification/confidential/",
        f"{V}/chronology/", "chronology/", "chronology/1962/05/", f"{V}/persons/", f"{V}/pg_691/"])
    # d2 begins on page 691 too, after d1's page break: a list rather than a redirect.
    printed = pages[f"{V}/pg_691/"]
    assert printed.template == "page_printed.html"
    assert [link["path"] for link in printed.context["links"]] == [f"{V}/d1/#pg_691", f"{V}/d2/"]
    [row] = pages["archives/department-of-state/central-files/711.5611/"].context["docs"]
    assert row["doc"].id == "d1" and row["details"] == ["711.5611/5–462"]
    [entry] = pages[f"{V}/persons/"].context["entries"]
    assert [d.id for d in entry["docs"]] == ["d1"]
