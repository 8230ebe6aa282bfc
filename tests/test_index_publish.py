"""The URL stage's shortcuts: index pages listed without entering their folders, paths normalized once."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from despatch.urls.ledger import Canonical, canonical, check_ledger, grow_ledger, published_urls, read_ledger, \
    render_ledger, walk_urls, write_ledger
from despatch.urls.chunks import _leaf_pages


def test_leaf_pages_are_folder_pages_with_no_known_path_below() -> None:
    pages = {"", "archives/", "archives/r/", "archives/r/c/", "archives/r/c/_2/", "v1/pg_3/", "about/", "v1/"}
    others = {"v1/d1/", "v1/d1.xml", "deep/a/b/c.xml"}
    assert _leaf_pages(pages, others) == {"archives/r/c/_2/", "v1/pg_3/", "about/"}
    assert _leaf_pages({"deep/", "deep/a/"}, others) == set()


_SEGMENT = st.sampled_from(["v1", "d1", "pg_3", "archives", "r", "c.xml", "_2"])
_PATH = st.lists(_SEGMENT, min_size=1, max_size=4).flatmap(
    lambda parts: st.sampled_from(["/".join(parts) + "/", "/".join(parts)]))


@given(st.sets(_PATH), st.sets(_PATH), st.sets(_PATH))
def test_leaf_pages_of_several_known_sets_are_those_of_their_union(pages: set[str], a: set[str], b: set[str]) -> None:
    # The URL stage passes its known paths as separate sets, not their union (a set of every path again).
    assert _leaf_pages(pages, a, b) == _leaf_pages(pages, a | b) == _leaf_pages(pages, b, a, a)


def test_published_urls_the_same_from_a_string_a_path_and_a_trailing_slash(tmp_path: Path) -> None:
    for name in ["index.html", "v1/index.html", "v1/d1/index.html", "v1/d1.xml", "a/b/c/index.html", "x.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    expected = ["", "a/b/c/", "v1/", "v1/d1.xml", "v1/d1/", "x.txt"]
    assert published_urls(tmp_path) == expected
    assert published_urls(str(tmp_path)) == expected
    assert published_urls(str(tmp_path) + "/") == expected
    assert published_urls(tmp_path, pages=frozenset({"a/b/c", "v1/d1"})) == expected


def test_canonical_paths_make_the_ledger_text_the_others_make(tmp_path: Path) -> None:
    raw = ["v1/d2", "/v1/d1.xml", "", "v1/d10/", "v1/d2/"]
    paths = canonical(raw)
    assert isinstance(paths, Canonical) and canonical(paths) is paths
    assert paths == {"v1/d2/", "v1/d1.xml", "", "v1/d10/"}
    assert render_ledger(paths) == render_ledger(raw) == render_ledger(paths)
    write_ledger(paths, tmp_path / "a.lock")
    write_ledger(raw, tmp_path / "b.lock")
    assert (tmp_path / "a.lock").read_bytes() == (tmp_path / "b.lock").read_bytes()
    assert check_ledger(paths, tmp_path / "a.lock", {}) == []
    assert [d.message for d in check_ledger(canonical(["v1/d2/"]), tmp_path / "a.lock", {})] == [
        "the build would drop the published URL /", "the build would drop the published URL /v1/d1.xml",
        "the build would drop the published URL /v1/d10/"]


def test_growing_the_ledger_keeps_what_it_held_and_adds_the_new(tmp_path: Path) -> None:
    path = tmp_path / "urls.lock"
    assert grow_ledger(canonical(["v1/d1/", "v1/d2/"]), path) == ["v1/d1/", "v1/d2/"]
    assert grow_ledger(canonical(["v1/d3/"]), path) == ["v1/d3/"]   # the old paths are not all published
    assert [p for p, _ in read_ledger(path)] == ["v1/d1/", "v1/d2/", "v1/d3/"]
    assert grow_ledger(canonical(["v1/d1/", "v1/d2/", "v1/d3/", "v1/d4/"]), path) == ["v1/d4/"]
    assert [p for p, _ in read_ledger(path)] == ["v1/d1/", "v1/d2/", "v1/d3/", "v1/d4/"]


def test_listed_folders_are_left_out_by_every_pattern_that_can_match_a_folder(tmp_path: Path) -> None:
    """Patterns ending in '*', '?', ']' or '/' may match a folder's path; others cannot, whatever they say."""
    for name in ["index.html", "v1/d1/index.html", "v1/d2/index.html", "a/b/index.html", "c1/index.html",
                 "c3/index.html", "n/x.txt", "n/index.html", "k/index.html"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    exclude = ["*/d1/", "a/?/", "c[12]/", "*.txt", "k", "n/*"]
    known = frozenset({"v1/d1", "v1/d2", "a/b", "c1", "c3", "k"})
    expected = ["", "c3/", "k/", "v1/d2/"]
    assert published_urls(tmp_path, exclude) == expected
    assert published_urls(tmp_path, exclude, pages=known) == expected
    assert sorted(walk_urls(tmp_path, exclude, pages=known)) == expected
    assert published_urls(tmp_path, []) == published_urls(tmp_path, [], pages=known)
