"""The listing of a build's outputs: the same files as a walk of the staged site that skips documents."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

from despatch.site.outputs import index_outputs


def _walked(root: Path, docs: set[tuple[str, str]], skip: tuple[str, ...] = ()) -> list[str]:
    """The listing as os.walk makes it (the former implementation), for comparison."""
    out: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        rel = "" if rel == "." else rel + "/"
        if rel.count("/") == 1:
            vol = rel[:-1]
            dirs[:] = [d for d in dirs if (vol, re.sub(r"fn\d+$", "", d)) not in docs and d not in skip]
            files = [n for n in files if (vol, n.removesuffix(".xml")) not in docs or not n.endswith(".xml")]
        elif not rel and skip:
            dirs[:] = [d for d in dirs if d not in skip]
        out.extend(rel + name for name in files)
    return sorted(out)


def _site(root: Path) -> SimpleNamespace:
    files = ["index.html", "robots.txt", "assets/despatch.css", "assets/fonts/a.woff2",
             "v1/index.html", "v1/d1/index.html", "v1/d1/cite.bib", "v1/d1.xml", "v1/d1fn1/index.html",
             "v1/d2/index.html", "v1/d2.xml", "v1/d9.xml", "v1/d2fn12/index.html", "v1/d2fnx/index.html",
             "v1/v1.epub", "v1/references.bib", "v1/persons/index.html", "v1/pagefind/x.pf_meta",
             "v1/archives/pagefind/deep.json", "v2/d1/index.html", "v2/d1.xml",
             "archives/index.html", "archives/r/c/f/index.html", "archives/r/c/f/_2/index.html",
             "pagefind/pagefind.js", "d1.xml", "chronology/1961/index.html"]
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    (root / "archives" / "linked").symlink_to(root / "assets", target_is_directory=True)
    (root / "v1" / "dangling").symlink_to(root / "missing")
    records = {"v1": [SimpleNamespace(volume="v1", id="d1"), SimpleNamespace(volume="v1", id="d2")],
               "v2": [SimpleNamespace(volume="v2", id="d1")]}
    return SimpleNamespace(records=records, all_records=lambda: [r for v in sorted(records) for r in records[v]])


def test_listing_is_the_walks(tmp_path: Path) -> None:
    edition = _site(tmp_path)
    docs = {(r.volume, r.id) for r in edition.all_records()}
    listed = index_outputs(tmp_path, edition)  # type: ignore[arg-type]
    assert listed == _walked(tmp_path, docs)
    assert "v1/d9.xml" in listed and "v1/d2fnx/index.html" in listed and "v1/dangling" in listed
    assert "v1/d1.xml" not in listed and "v1/d1fn1/index.html" not in listed and "v1/d1/cite.bib" not in listed
    assert not any(p.startswith("archives/linked") for p in listed)


def test_skipped_folders_at_the_top_and_in_volumes_only(tmp_path: Path) -> None:
    edition = _site(tmp_path)
    docs = {(r.volume, r.id) for r in edition.all_records()}
    listed = index_outputs(tmp_path, edition, skip=("pagefind",))  # type: ignore[arg-type]
    assert listed == _walked(tmp_path, docs, ("pagefind",))
    assert "v1/archives/pagefind/deep.json" in listed
    assert "pagefind/pagefind.js" not in listed and "v1/pagefind/x.pf_meta" not in listed


def test_no_site_lists_nothing(tmp_path: Path) -> None:
    assert index_outputs(tmp_path / "none", _site(tmp_path)) == []  # type: ignore[arg-type]
