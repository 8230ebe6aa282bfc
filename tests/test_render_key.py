"""A page's render key changes with everything the page shows of its record, its neighbours and the edition."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from despatch.model import DocRecord
from despatch.site.cache import render_key

REC = DocRecord(volume="v1", id="d2", n="2", title="2. Telegram", order=1, date_min="1961-01-02T00:00:00",
                date_max="1961-01-02T23:59:59", date_basis="dateline", digest="ab" * 32, refs=[("#d1", 3)])
PREV = DocRecord(volume="v1", id="d1", n="1", title="1. Memorandum")
NEXT = DocRecord(volume="v1", id="d3", n="3", title="3. Letter")


def key(rec: DocRecord = REC, prev: DocRecord | None = PREV, nxt: DocRecord | None = NEXT, docs: str = "h") -> str:
    return render_key("base", rec, prev, nxt, docs)


@pytest.mark.parametrize("change", [dict(digest="cd" * 32), dict(order=2), dict(date_min=None), dict(date_max="1961"),
                                    dict(date_basis="neighbours d1 d3")])
def test_a_field_the_page_shows_changes_the_key(change: dict[str, object]) -> None:
    assert key(replace(REC, **change)) != key()


def test_neighbours_the_base_and_the_edition_change_the_key() -> None:
    assert key(prev=None) != key() and key(nxt=None) != key() and key(prev=None) != key(nxt=None)
    assert key(prev=replace(PREV, title="1. Other")) != key()
    assert key(nxt=replace(NEXT, n="3a")) != key()
    assert render_key("other", REC, PREV, NEXT, "h") != key()
    assert key(docs="other") != key()
    # A page without links does not depend on which documents the edition holds.
    plain = replace(REC, refs=[])
    assert key(plain, docs="other") == key(plain)


def test_fields_cannot_run_into_each_other() -> None:
    assert key(replace(REC, date_min="1961", date_max="-01")) != key(replace(REC, date_min="1961-01", date_max=""))
    assert key(prev=replace(PREV, id="d1", n="1")) != key(prev=replace(PREV, id="d", n="11"))


def test_a_volume_s_keys_are_each_document_s_render_key() -> None:
    from despatch.site.cache import volume_render_keys

    docs = [PREV, REC, NEXT]
    expected = [render_key("b", d, docs[i - 1] if i else None, docs[i + 1] if i + 1 < len(docs) else None, "h")
                for i, d in enumerate(docs)]
    assert volume_render_keys("b", docs, "h") == expected
    assert volume_render_keys("b", [], "h") == []


def _edition(titles: dict[str, list[str]]) -> Any:
    from despatch.site.pages import Edition

    records = {vol: [DocRecord(volume=vol, id=f"d{i}", n=str(i), title=t, order=i - 1, digest=f"{vol}{i}" * 8,
                               refs=[("#d1", 1)] if i == 2 else [])
                     for i, t in enumerate(ts, 1)] for vol, ts in titles.items()}
    return Edition(config=None, volumes={}, records=records)  # type: ignore[arg-type]


def test_a_volume_whose_records_show_the_same_fields_takes_its_last_keys() -> None:
    from despatch.site.stages import render_keys

    first = _edition({"v1": ["A", "B", "C"], "v2": ["D", "E"]})
    keys = render_keys(first, "base")
    last = {"docs": keys, "key_prints": first.memo["key_prints"]}
    assert render_keys(_edition({"v1": ["A", "B", "C"], "v2": ["D", "E"]}), "base", last) == keys
    # The middle title changed: its neighbours' keys change, computed again, equal to keys made afresh.
    edited = _edition({"v1": ["A", "B2", "C"], "v2": ["D", "E"]})
    again = render_keys(edited, "base", last)
    assert again == render_keys(_edition({"v1": ["A", "B2", "C"], "v2": ["D", "E"]}), "base")
    assert {k for k in keys if keys[k] != again[k]} == {"v1/d1", "v1/d3"}
    # Taken, not made again: a forged key of an unchanged volume comes back as it was recorded.
    forged = {**last, "docs": {**keys, "v2/d1": "forged"}}
    same = {"v1": ["A", "B", "C"], "v2": ["D", "E"]}
    assert render_keys(_edition(same), "base", forged)["v2/d1"] == "forged"
    # Another base, or a document added elsewhere (links may now resolve), and nothing is taken.
    assert render_keys(_edition(same), "other", forged)["v2/d1"] != "forged"
    grown = render_keys(_edition({"v1": ["A", "B", "C", "F"], "v2": ["D", "E"]}), "base", forged)
    assert grown["v2/d1"] != "forged"
