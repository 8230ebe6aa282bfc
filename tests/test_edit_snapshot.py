"""A volume's records taken from the snapshot in one loop: what ``get`` gives for each source."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.model import Citation, DocRecord
from despatch.site import snapshot
from despatch.site.snapshot import Snapshot


def _record(i: int, cited: bool) -> DocRecord:
    cites = [Citation("Department of State", "Central Files", f"7{i}.00", f"d{i}fn0")] if cited else []
    return DocRecord(volume="v", id=f"d{i}", n=str(i), title=f"{i}. T", source=f"content/v/d{i}.txt",
                     pages=[str(i)], anchors=[f"d{i}", f"d{i}fn0"], citations=cites, digest=f"{i:064d}")


@pytest.mark.parametrize("retain", [False, True])
def test_records_are_what_get_gives_each_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, retain: bool) -> None:
    monkeypatch.setattr(snapshot, "_RETAIN", retain)
    monkeypatch.setattr(snapshot, "_SNAPSHOTS", {})
    path = tmp_path / "sources.snapshot"
    first = Snapshot(path, "base")
    for i in range(6):
        first.put(f"content/v/d{i}.txt", (i, 10 * i, 100 + i), _record(i, cited=i % 2 == 0))
    first.save()
    snap = Snapshot(path, "base")
    displays = [f"content/v/d{i}.txt" for i in range(7)]  # d6 is new
    sigs = [(i, 10 * i, 100 + i) for i in range(7)]
    sigs[3] = (3, 31, 103)  # edited
    found, missed = snap.records(displays, sigs)
    assert missed == [3, 6]
    assert found == [snap.get(d, s) for d, s in zip(displays, sigs)]
    assert found[0] == _record(0, cited=True) and found[1] == _record(1, cited=False)
    assert all(type(c) is Citation for c in found[0].citations)
    # Taken again, equal records, not the same objects.
    again = snap.records(displays[:3], sigs[:3])[0]
    assert again == found[:3] and all(a is not b for a, b in zip(again, found))
