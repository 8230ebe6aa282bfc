"""The outputs' listing told the index pages a build staged: the same list as the listing that enters every folder."""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from despatch.config import load_config
from despatch.site import manifest
from despatch.site.build import build
from despatch.site.outputs import index_outputs, leaf_folders
from despatch.site.stages import docs_dir

_EDITION = SimpleNamespace(records={"v1": [SimpleNamespace(volume="v1", id="d1")]})
_DOC_FILES = ["v1/d1/index.html", "v1/d1.xml", "v1/d1fn1/index.html", "v1/v1.epub"]

# Page folders a few levels deep from a small alphabet, so that pages often lie below one another.
_folders = st.lists(st.sampled_from(["v1", "a", "b", "_2"]), min_size=1, max_size=4).map(lambda p: "/".join(p) + "/")


def _staged(root: Path, pages: list[str], extras: list[str]) -> None:
    for rel in [*_DOC_FILES, *pages, *extras]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")


@profile()
@given(st.lists(_folders, max_size=12, unique=True), st.lists(_folders, max_size=3))
def test_told_pages_list_as_the_listing(folders: list[str], beside: list[str]) -> None:
    # Pages below a volume and at the top, with files beside some folders that are no page's (not
    # inside a page's folder with no page below it: the build writes nothing there).
    pages = ["index.html", *(f + "index.html" for f in folders)]
    leaves = leaf_folders(pages)
    extras = [f + "other.json" for f in beside if not any(f.startswith(leaf) for leaf in leaves)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _staged(root, pages, extras)
        assert index_outputs(root, _EDITION, pages=pages) == index_outputs(root, _EDITION)  # type: ignore[arg-type]


def test_leaf_folders_are_those_no_page_lies_below() -> None:
    pages = ["index.html", "a/index.html", "a/b/index.html", "a/b/c/index.html", "a/d/index.html",
             "e/index.html", "x/y/index.html", "f/g.json"]
    assert leaf_folders(pages) == {"a/b/c/", "a/d/", "e/", "x/y/"}
    assert leaf_folders([]) == set()


def test_a_leaf_is_not_entered(tmp_path: Path) -> None:
    # What the told listing leaves out, it does not look at: a file in a leaf's folder is not listed.
    pages = ["index.html", "a/index.html", "a/b/index.html"]
    _staged(tmp_path, pages, ["a/b/stray.json", "a/kept.json"])
    told = index_outputs(tmp_path, _EDITION, pages=pages)  # type: ignore[arg-type]
    assert "a/b/index.html" in told and "a/kept.json" in told and "a/b/stray.json" not in told
    assert "a/b/stray.json" in index_outputs(tmp_path, _EDITION)  # type: ignore[arg-type]


def test_a_full_build_records_the_listing_of_its_whole_site(project: Path) -> None:
    config = load_config(project / "mkdocs.yml", search=False)
    hold: list[object] = []
    build(config, hold=hold)
    root = config.site_dir / config.url_prefix
    whole = index_outputs(root, hold[0])  # type: ignore[arg-type]
    saved = manifest.Manifest(docs_dir(config).parent / "manifest.json").data.get("outputs")
    assert list(saved) == whole
    assert any(p.count("/") >= 2 and p.endswith("/index.html") for p in whole)  # leaves were there to skip
