"""The URL state's hash of the documents and their notes, taken again by volume when its records are the same."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from despatch.model import DocRecord
from despatch.site.rows import from_row, to_row
from despatch.site.urlstate import url_body


def _edition(notes: dict[str, list[list[str]]]) -> Any:
    records = {}
    for vol, docs in notes.items():
        recs = []
        for i, anchors in enumerate(docs, 1):
            rec = DocRecord(volume=vol, id=f"d{i}", n=str(i), title=f"Title {i}", anchors=[f"d{i}", *anchors])
            rec.fields = f"{vol}-{i}-" + "-".join(anchors)  # stands for fields_hash: differs when anchors do
            recs.append(rec)
        records[vol] = recs
    return SimpleNamespace(records=records)


def test_the_hash_taken_again_equals_the_hash_made_anew() -> None:
    edition = _edition({"v1": [["d1fn1"], []], "v2": [["d1fn1", "d1fn2"]]})
    body, known = url_body(edition, ["b.html", "a.html"])
    assert sorted(known) == ["v1", "v2"]
    assert url_body(edition, ["a.html", "b.html"], known) == (body, known)
    # A volume's records copied (as the next build reads them): its part is taken, the hash the same.
    copied = SimpleNamespace(records={v: [from_row(to_row(r)) for r in rs] for v, rs in edition.records.items()})
    assert url_body(copied, ["a.html", "b.html"], known)[0] == body


def test_a_changed_note_changes_the_hash_and_only_its_volume_is_walked_again() -> None:
    body, known = url_body(_edition({"v1": [["d1fn1"]], "v2": [[]]}), [])
    changed, again = url_body(_edition({"v1": [["d1fn1", "d1fn2"]], "v2": [[]]}), [], known)
    assert changed != body and again["v2"] == known["v2"] and again["v1"] != known["v1"]
    # Kept parts are trusted by their records' fields: a forged part for the same fields is taken as it is.
    forged = {"v1": [known["v1"][0], "0" * 64], "v2": known["v2"]}
    assert url_body(_edition({"v1": [["d1fn1"]], "v2": [[]]}), [], forged)[0] != body


def test_records_without_fields_are_walked_every_time_and_not_kept() -> None:
    edition = _edition({"v1": [["d1fn1"]]})
    edition.records["v1"][0].fields = ""
    body, known = url_body(edition, [])
    assert known == {}
    assert url_body(edition, [], {"v1": ["", "0" * 64]})[0] == body
