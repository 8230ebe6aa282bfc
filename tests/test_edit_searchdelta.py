"""What the search part of an edit's build looks up before Pagefind's command starts."""

from __future__ import annotations

import random

from despatch.model import DocRecord
from despatch.site.pages import Edition
from despatch.site.searchdelta import ids_of, under


def test_the_outputs_under_a_folder_are_those_a_scan_finds() -> None:
    rnd = random.Random(4)
    names = ["pagefind-router", "pagefind-router/", "pagefind-router/a.json", "pagefind-router/x/y.pf",
             "pagefind-router0", "pagefind-router-2/a", "pagefind-changes/b", "assets/c.css", "v1/d1/index.html"]
    for _ in range(200):
        outputs = sorted(set(rnd.sample(names, rnd.randint(0, len(names)))))
        for prefix in ("pagefind-router/", "pagefind-changes/", "v1/", "none/"):
            assert under(outputs, prefix) == [o for o in outputs if o.startswith(prefix)]
    # A list out of order is scanned.
    unsorted = ["pagefind-router/b", "assets/a", "pagefind-router/a"]
    assert under(unsorted, "pagefind-router/") == ["pagefind-router/b", "pagefind-router/a"]


def test_a_volume_s_ids_are_made_once() -> None:
    records = {"v1": [DocRecord("v1", f"d{i}", str(i), "t") for i in range(1, 4)]}
    edition = Edition(config=None, volumes={}, records=records)  # type: ignore[arg-type]
    first = ids_of(edition, "v1")
    assert first == {"d1", "d2", "d3"} and ids_of(edition, "v1") is first
    assert ids_of(edition, "v2") == set()
