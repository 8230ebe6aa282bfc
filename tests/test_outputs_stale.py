"""A stale index page goes with the folders it leaves empty, as a full build would not make them."""

from pathlib import Path

from despatch.site.outputs import drop_stale


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
