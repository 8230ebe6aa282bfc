"""Cache entries and pickled records: what is written is what is read back, in every form."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from despatch.model import Citation, DocRecord, fields_hash, record_from_row
from despatch.site import cacheentry
from despatch.site.rows import to_row


class Text(str):
    """A string subclass, which marshal cannot write (pickle can)."""


def _record() -> DocRecord:
    cite = Citation("Department of State", "Central Files", "711.5611", "d1fn0", date_code="5–462")
    ibid = Citation("Department of State", "Central Files", "711.5611", "d1fn2", ibid=True)
    return DocRecord("frus1961-63v13", "d1", "1", "Telegram From the Embassy", source="a/1.txt", order=3,
                     date_min="1961-01-02T00:00:00", date_max="1961-01-02T23:59:59", date_basis="dateline",
                     doc_type="telegram", classification="Secret", pages=["4", "5"],
                     anchors=["d1", "d1fn0", "pg_5"], refs=[("#d2", 7)], citations=[cite, ibid],
                     persons=["p1"], terms=["t1"], digest="abc", handling=["Priority"],
                     person_refs=[("p1", 3)], term_refs=[("t1", 4)], fields="f")


def test_an_entry_is_read_back_as_written(tmp_path: Path) -> None:
    rec, div = _record(), b"<div xmlns='http://www.tei-c.org/ns/1.0'/>"
    path = tmp_path / "x.doc"
    cacheentry.save_entry(path, rec, div)
    assert path.read_bytes().startswith(cacheentry._ENTRY)
    back = cacheentry.load_entry(path)
    assert back is not None
    assert back[0] == rec and back[1] == div
    assert repr(back[0]) == repr(rec) and fields_hash(back[0]) == fields_hash(rec)


def test_an_entry_marshal_cannot_write_is_pickled(tmp_path: Path) -> None:
    rec = _record()
    rec.title = Text(rec.title)  # a string subclass, as an XPath result would be
    path = tmp_path / "x.doc"
    cacheentry.save_entry(path, rec, b"<div/>")
    assert not path.read_bytes().startswith(cacheentry._ENTRY)
    back = cacheentry.load_entry(path)
    assert back is not None and back[0] == rec and back[1] == b"<div/>"


def test_an_absent_cut_short_or_foreign_entry_is_a_miss(tmp_path: Path) -> None:
    assert cacheentry.load_entry(tmp_path / "none.doc") is None
    path = tmp_path / "x.doc"
    cacheentry.save_entry(path, _record(), b"<div/>" * 100)
    data = path.read_bytes()
    for damaged in (data[: len(data) // 2], data[: len(cacheentry._ENTRY) + 3], b"", b"not an entry"):
        path.write_bytes(damaged)
        assert cacheentry.load_entry(path) is None


def test_an_entry_pickled_by_an_earlier_version_still_loads(tmp_path: Path) -> None:
    # What save_entry wrote before: a pickle of the pair, the record as a state of its slots.
    rec = _record()
    state = pickle.dumps((rec, b"<div/>"), protocol=4)
    assert b"_record" in state  # pickled through __reduce__ now
    path = tmp_path / "x.doc"
    path.write_bytes(state)
    back = cacheentry.load_entry(path)
    assert back is not None and back[0] == rec


def test_records_pickle_by_value_and_come_back_interned() -> None:
    rec = _record()
    back = pickle.loads(pickle.dumps(rec, protocol=4))
    assert back == rec and repr(back) == repr(rec)
    assert type(back.citations[1]) is Citation and back.citations[1].ibid is True
    built = "".join(["d", "1", "fn0"])  # noqa: FLY002 (made at run time, not the interned constant)
    again = pickle.loads(pickle.dumps(DocRecord("v", "d1", "1", "t", anchors=[built]), protocol=4))
    assert again.anchors[0] is sys.intern("d1fn0")


def test_a_record_unpickled_from_a_state_is_interned_too() -> None:
    rec = DocRecord("v", "d1", "1", "t", anchors=["".join(["d", "1", "fn0"])])  # noqa: FLY002
    # The state form earlier versions wrote: (None, the slots' values by name).
    state = (None, {name: getattr(rec, name) for name in DocRecord.__slots__})
    back = DocRecord.__new__(DocRecord)
    back.__setstate__(state)
    assert back == rec and back.anchors[0] is sys.intern("d1fn0")


def test_a_row_gives_back_its_record() -> None:
    rec = _record()
    back = record_from_row(to_row(rec))
    assert back == rec and all(type(c) is Citation for c in back.citations)


def test_a_citation_reads_as_the_generated_repr_would() -> None:
    import dataclasses

    cite = Citation("Eisenhower Library", "Whitman File", "", "d3fn1", lot="Lot 65 D 533", date_code="5–462",
                    box="Box 12", folder="de Gaulle 'Letters'", ibid=True)
    shown = ", ".join(f"{f.name}={getattr(cite, f.name)!r}" for f in dataclasses.fields(Citation))
    assert repr(cite) == f"Citation({shown})"
    assert [f.name for f in dataclasses.fields(Citation)] == ["repository", "collection", "file", "note_id", "lot",
                                                             "date_code", "box", "folder", "ibid"]
