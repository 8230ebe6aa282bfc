"""The snapshot of the last read: records come back equal, a changed signature or damaged file is a miss."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from despatch.model import Citation, DocRecord, copied
from despatch.site import rows, snapshot
from despatch.site.rows import decode, encode, from_row, to_row
from despatch.site.snapshot import Snapshot, signature


def full_record(n: int = 7) -> DocRecord:
    """A record whose every field differs from its default, so a field the rows drop cannot go unseen."""
    return DocRecord(
        volume="frus1961-63v3", id=f"d{n}", n=str(n), title=f"{n}. Telegram — “quoted” & <b>", source=f"content/v/d{n}.txt",
        order=3, date_min="1961-01-02T00:00:00", date_max="1961-01-02T23:59:59", date_basis="dateline",
        doc_type="telegram", classification="Secret", pages=["12", "13"], anchors=[f"d{n}", f"d{n}fn1"],
        refs=[("#d3", 4), ("frus1961-63v2#d9", 11)],
        citations=[Citation("Department of State", "Central Files", "711.11", f"d{n}fn0", "Lot 60 D 1", "7–858",
                            "Box 2", "Folder", True), Citation("Kennedy Library")],
        persons=["p1"], terms=["t1"], chapter="Chapter 1", digest="ab" * 32, handling=["Niact"],
        person_refs=[("p1", 3)], term_refs=[("t1", 5)], fields="cd" * 20)


def test_every_field_of_a_record_is_set_by_the_sample() -> None:
    sample, default = full_record(), DocRecord(volume="", id="", n="", title="")
    same = [f.name for f in dataclasses.fields(DocRecord) if getattr(sample, f.name) == getattr(default, f.name)]
    assert same == []


def test_a_record_comes_back_equal_through_a_row_and_the_file(tmp_path: Path) -> None:
    records = [full_record(n) for n in range(1, 4)] + [DocRecord(volume="v", id="d9", n="9", title="t")]
    memo: dict[object, object] = {}
    entries = {r.source or r.id: ((1, 2, 3), to_row(r, memo)) for r in records}
    back = decode(encode("base", "t", entries), "base")
    assert back is not None
    back = back[1]
    assert [from_row(row) for _, row in back.values()] == records
    assert [type(c) for c in from_row(back["content/v/d1.txt"][1]).citations] == [Citation, Citation]
    # Shared strings are written once: the second record's volume is the first one's object.
    first, second = back["content/v/d1.txt"][1], back["content/v/d2.txt"][1]
    assert first[0] is second[0]


def test_a_field_marshal_cannot_write_falls_back_to_pickle() -> None:
    row = (*to_row(full_record())[:-1], Path("fields"))  # marshal writes no class instance
    entries = {"a": ((1, 2, 3), row)}
    data = encode("base", "t", entries)
    assert data.startswith(rows.PICKLE)
    assert decode(data, "base") == ("t", entries)


@pytest.mark.parametrize("damage", [lambda d: d[: len(d) // 2], lambda d: d[:10], lambda d: b"", lambda d: b"x" + d])
def test_a_damaged_file_is_no_snapshot(damage) -> None:  # noqa: ANN001
    data = encode("base", "t", {"a": ((1, 2, 3), to_row(full_record()))})
    assert decode(damage(data), "base") is None


def test_another_base_or_layout_is_no_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encode("base", "t", {"a": ((1, 2, 3), to_row(full_record()))})
    assert decode(data, "other") is None
    monkeypatch.setattr(rows, "SCHEMA", (("volume",), ()))
    assert decode(data, "base") is None


def test_a_source_is_a_hit_only_with_its_signature(tmp_path: Path) -> None:
    src, path = tmp_path / "d1.txt", tmp_path / "sources.snapshot"
    src.write_text("one", encoding="utf-8")
    snap = Snapshot(path, "base")
    snap.put("content/v/d1.txt", signature(src), full_record(1))
    snap.save()
    again = Snapshot(path, "base")
    assert again.get("content/v/d1.txt", signature(src)) == full_record(1)
    src.write_text("two", encoding="utf-8")  # the same size: time (and here inode) tell it apart
    assert again.get("content/v/d1.txt", signature(src)) is None
    assert Snapshot(path, "other").get("content/v/d1.txt", signature(src)) is None
    again.keep_only(set())
    again.save()
    assert Snapshot(path, "base").entries == {}


def test_a_record_given_out_is_not_the_retained_one(tmp_path: Path) -> None:
    path = tmp_path / "sources.snapshot"
    snapshot.retain_snapshots(True)
    try:
        snap = Snapshot(path, "base")
        snap.put("d1", (1, 2, 3), full_record(1))
        snap.save()
        first = Snapshot(path, "base").get("d1", (1, 2, 3))
        assert first is not None
        first.order = 99  # what the gather stage does
        second = Snapshot(path, "base").get("d1", (1, 2, 3))
        assert second is not None and second.order == 3
    finally:
        snapshot.retain_snapshots(False)


def _full(path: Path, count: int) -> Snapshot:
    snap = Snapshot(path, "base")
    for n in range(count):
        snap.put(f"d{n}", (n, 1, 1), full_record(n))
    snap.save()
    return snap


def test_a_few_records_read_since_go_to_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "sources.snapshot"
    _full(path, 3)
    whole = path.read_bytes()
    snap = Snapshot(path, "base")
    snap.put("d1", (9, 9, 9), full_record(41))
    snap.keep_only({"d0", "d1"})
    snap.save()
    assert path.read_bytes() == whole and snapshot.journal_of(path).is_file()
    again = Snapshot(path, "base")
    assert sorted(again.entries) == ["d0", "d1"]
    assert again.get("d1", (9, 9, 9)) == full_record(41) and again.get("d1", (1, 1, 1)) is None
    again.put("d0", (8, 8, 8), full_record(40))  # the journal keeps what the last one held
    again.save()
    third = Snapshot(path, "base")
    assert third.get("d0", (8, 8, 8)) == full_record(40) and third.get("d1", (9, 9, 9)) == full_record(41)


def test_a_journal_counts_only_for_the_snapshot_it_continues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sources.snapshot"
    _full(path, 2)
    snap = Snapshot(path, "base")
    snap.put("d0", (7, 7, 7), full_record(30))
    snap.save()
    stale = snapshot.journal_of(path).read_bytes()
    monkeypatch.setattr(snapshot, "JOURNAL_MAX", 1)
    _full(path, 2)  # written whole again (as by a full build): the journal goes
    assert not snapshot.journal_of(path).exists()
    snapshot.journal_of(path).write_bytes(stale)  # as a build stopped between the two steps would leave it
    assert Snapshot(path, "base").get("d0", (7, 7, 7)) is None
    assert Snapshot(path, "base").get("d0", (0, 1, 1)) == full_record(0)


def test_a_long_journal_is_folded_into_the_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sources.snapshot"
    _full(path, 4)
    monkeypatch.setattr(snapshot, "JOURNAL_MAX", 2)
    snap = Snapshot(path, "base")
    for n in range(3):
        snap.put(f"d{n}", (5, 5, n), full_record(50 + n))
    snap.save()
    assert not snapshot.journal_of(path).exists()
    assert Snapshot(path, "base").get("d2", (5, 5, 2)) == full_record(52)


def test_a_copied_record_equals_its_original_and_its_fields_are_its_own() -> None:
    original = full_record(5)
    twin = copied(original)
    assert twin == original and twin is not original
    assert twin == dataclasses.replace(original)  # every field, as the dataclass itself copies them
    twin.order, twin.date_min, twin.date_basis = 1, "1961-01-01", "neighbours d4 d6"  # what the gather stage sets
    assert (original.order, original.date_min, original.date_basis) == (full_record(5).order, full_record(5).date_min,
                                                                      full_record(5).date_basis)
