"""A snapshot row made field by field is the general walk's row, strings shared through the memo."""

from __future__ import annotations

from despatch.model import Citation, DocRecord
from despatch.site import rows
from despatch.site.rows import from_row, to_row


def _record(ident: str) -> DocRecord:
    return DocRecord(volume="frus1958-60v01", id=ident, n=ident[1:], title="Telegram " + ident,
                     source=f"v1/{ident}.txt", date_min="1958-01-02T10:00:00", date_max=None,
                     date_basis="dateline", doc_type="telegram", pages=["12", "13"], anchors=[ident, ident + "fn1"],
                     refs=[("#d1", 4)], persons=["p_DJF"], terms=["t_NATO"], handling=["Niact"],
                     citations=[Citation("Department of State", "Central Files", "711.5611", ident + "fn0",
                                         date_code="5–462", ibid=True)],
                     person_refs=[("p_DJF", 3)], term_refs=[("t_NATO", 5)], digest="ab" + ident, fields="cd")


def _walk(rec: DocRecord, memo: dict) -> tuple:
    """The general walk over every value (what rows were made by before)."""
    row = to_row(rec)
    return tuple(v if i in rows._UNIQUE else rows._shared(v, memo) for i, v in enumerate(row))


def test_row_is_the_general_walks_and_shares_strings() -> None:
    memo: dict = {}
    first, second = to_row(_record("d1"), memo), to_row(_record("d2"), memo)
    assert first == _walk(_record("d1"), {}) and second == _walk(_record("d2"), {})
    volume = rows._NAMES.index("volume")
    persons = rows._NAMES.index("persons")
    assert first[volume] is second[volume]
    assert first[persons][0] is second[persons][0]
    assert first[rows._CITES][0][0] is second[rows._CITES][0][0]
    assert from_row(first) == _record("d1")


def test_rows_lists_are_not_the_records() -> None:
    rec = _record("d3")
    rec.pages = []
    row = to_row(rec, {})
    assert row[rows._NAMES.index("pages")] == [] and row[rows._NAMES.index("pages")] is not rec.pages


def test_a_field_of_another_type_takes_the_general_walk() -> None:
    rec = _record("d4")
    rec.refs = [["#d1", 4]]  # type: ignore[list-item]
    rec.chapter = ("a", "b")  # type: ignore[assignment]
    memo: dict = {}
    assert to_row(rec, memo) == _walk(rec, {})
