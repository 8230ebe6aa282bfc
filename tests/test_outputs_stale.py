"""A stale index page goes with the folders it leaves empty, as a full build would not make them."""

import random
from pathlib import Path
from typing import Any

from despatch.site.outputs import drop_stale
from despatch.site.standing import _standing_all, standing_outputs
from despatch.site.volumeextras import is_volume_extra


def test_a_stale_page_takes_its_empty_folders_and_nothing_else(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "archives" / "repo" / "coll" / "file").mkdir(parents=True)
    (root / "archives" / "repo" / "coll" / "file" / "index.html").write_text("old", encoding="utf-8")
    (root / "archives" / "repo" / "index.html").write_text("kept", encoding="utf-8")
    drop_stale(root, "archives/repo/coll/file/index.html")
    assert not (root / "archives" / "repo" / "coll").exists()
    assert (root / "archives" / "repo" / "index.html").read_text(encoding="utf-8") == "kept"


def test_the_root_stays_even_when_empty(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "sitemap.xml").write_text("x", encoding="utf-8")
    drop_stale(root, "sitemap.xml")
    drop_stale(root, "gone/index.html")  # already gone: nothing to do
    assert root.is_dir() and not any(root.iterdir())


def _random_case(rng: random.Random) -> tuple[Any, ...]:
    """Old and new outputs of a small edition: index pages, assets, URL products and volume extras."""
    vols = ["v1", "v2", "v3"]
    pool = ["assets/site.css", "assets/app.js", "sitemap.xml", "redirects.json", "index.html",
            "archives/a/index.html", "v10/index.html", "v1/pagefind", "v1x/index.html"]
    for vol in vols:
        pool += [f"{vol}/index.html", f"{vol}/ch{rng.randint(1, 3)}/index.html", f"{vol}/{vol}.epub",
                 f"{vol}/references.bib", f"{vol}/pagefind/a.pf", f"{vol}/pagefind/b.pf", f"{vol}/ch2/index.html"]
    pick = lambda: [o for o in pool if rng.random() < 0.5]
    old = sorted(set(pick()))
    old_pages = {o: "k" for o in pick() if o.endswith("index.html")}
    page_keys = {o: "k" for o in pick() if o.endswith("index.html")}
    touched = [v for v in vols if rng.random() < 0.4]
    folded = [v for v in vols if rng.random() < 0.3]
    return pick(), old, page_keys, old_pages, pick()[:3], folded, touched


def test_standing_outputs_look_at_part_of_the_list_and_agree_with_looking_at_all() -> None:
    rng = random.Random(8)
    stale_seen = 0
    for _ in range(3000):
        new, old, page_keys, old_pages, keep, folded, touched = _random_case(rng)
        fast = standing_outputs(new, old, page_keys, old_pages, keep, folded, touched, True, is_volume_extra)
        full = _standing_all(new, old, page_keys, old_pages, keep, set(folded), set(touched), True, is_volume_extra)
        assert fast == full
        stale_seen += bool(fast[1])
    assert stale_seen > 100  # the cases do leave stale files


def test_an_unsorted_old_list_is_looked_at_whole() -> None:
    old = ["v1/v1.epub", "assets/a.css"]  # not sorted: the ranges of a sorted list cannot be trusted
    outputs, stale = standing_outputs([], old, {}, {}, [], [], ["v1"], True, is_volume_extra)
    assert stale == ["assets/a.css", "v1/v1.epub"] and outputs == []
