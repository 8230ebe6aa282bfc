"""A collection of more files than a page should list: counts on the archives pages, its files in parts."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from despatch.indexes import archives


def _collection(count: int) -> dict:
    files = [{"name": f"F {n}", "path": f"archives/r/c/f-{n}/", "count": n % 3 + 1} for n in range(count)]
    return {"name": "C", "path": "archives/r/c/", "files": files}


def test_a_collection_within_a_page_is_its_own_single_part(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "PAGE", 3)
    [part] = archives._parts(_collection(3))
    assert part["path"] == "archives/r/c/" and len(part["files"]) == 3


def test_a_larger_collection_is_cut_in_parts_of_a_page_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "PAGE", 3)
    coll = _collection(7)
    parts = list(archives._parts(coll))
    assert [p["path"] for p in parts] == ["archives/r/c/_1/", "archives/r/c/_2/", "archives/r/c/_3/"]
    assert [p["files"] for p in parts] == [coll["files"][:3], coll["files"][3:6], coll["files"][6:]]
    assert [(p["first"], p["last"], p["count"]) for p in parts] == [("F 0", "F 2", 3), ("F 3", "F 5", 3), ("F 6", "F 6", 1)]
    assert sum(p["cited"] for p in parts) == sum(f["count"] for f in coll["files"])


def _links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def test_the_built_pages_link_every_file_through_the_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from despatch.config import load_config
    from despatch.site.build import build

    generate(tmp_path, 30, seed=5, per_volume=10)
    monkeypatch.setattr(archives, "PAGE", 4)
    monkeypatch.setattr(archives, "INLINE", 3)
    build(load_config(tmp_path / "despatch" / "mkdocs.yml", workers=1, search=False))
    site = tmp_path / "despatch" / "build" / "site"
    split = sorted(p.parent.parent for p in site.glob("archives/*/*/_1/index.html"))
    assert split, "the generated edition has a collection of more than 4 files"
    top = (site / "archives" / "index.html").read_text(encoding="utf-8")
    for coll in split:
        files = sorted(p.name for p in coll.iterdir() if p.is_dir() and not p.name.startswith("_"))
        rel = coll.relative_to(site / "archives").as_posix()
        # The archives page names the collection's size and links it, but lists none of its files.
        assert re.search(rf'<a href="{re.escape(rel)}/">{len(files)} files</a>', top)
        assert f'href="{rel}/{files[0]}/"' not in top
        # The collection's page links its parts; the parts together list each file once, in order.
        parts = [h for h in _links((coll / "index.html").read_text(encoding="utf-8")) if re.fullmatch(r"_\d+/", h)]
        assert parts == [f"_{n}/" for n in range(1, len(parts) + 1)] and len(parts) == -(-len(files) // 4)
        listed = []
        for n, part in enumerate(parts, 1):
            html = (coll / part / "index.html").read_text(encoding="utf-8")
            listed += [h[3:-1] for h in _links(html) if re.fullmatch(r"\.\./[^_./][^/]*/", h)]
            assert ('rel="prev"' in html) == (n > 1) and ('rel="next"' in html) == (n < len(parts))
            assert f"part {n} of {len(parts)}" in html
        assert sorted(listed) == files and len(listed) == len(files)
    # A file cited by more than 4 documents lists them in parts too: together, every citing document once.
    busy = [p.parent.parent for p in site.glob("archives/*/*/*/_1/index.html")]
    assert busy, "the generated edition has a file cited by more than 4 documents"
    for folder in busy:
        html = (folder / "index.html").read_text(encoding="utf-8")
        parts = [h for h in _links(html) if re.fullmatch(r"_\d+/", h)]
        cited = []
        for part in parts:
            page = (folder / part / "index.html").read_text(encoding="utf-8")
            cited += re.findall(r'<li><a href="(\.\./\.\./\.\./\.\./\.\./[^"]+/d\d+/)"', page)
        assert len(cited) == len(set(cited)) > 4 and f"{len(cited)} documents of the edition cite this file" in html


def test_a_busy_file_lists_its_documents_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.model import DocRecord

    monkeypatch.setattr(archives, "PAGE", 2)
    docs = [(DocRecord(volume="v", id=f"d{n}", n=str(n), title=f"{n}. T"), [f"F/{n}"]) for n in range(1, 6)]
    entry = {"name": "F", "path": "archives/r/c/f/", "count": 5}
    pages = archives._file_page({"name": "R", "path": "archives/r/"}, {"name": "C", "path": "archives/r/c/"},
                                entry, docs, "key")()
    assert [p.path for p in pages] == ["archives/r/c/f/", "archives/r/c/f/_1/", "archives/r/c/f/_2/", "archives/r/c/f/_3/"]
    assert pages[0].context["docs"] == [] and pages[0].context["total"] == 5
    shown = [[row["doc"].id for row in p.context["docs"]] for p in pages[1:]]
    assert shown == [["d1", "d2"], ["d3", "d4"], ["d5"]]
    assert [(p.context["part"]["first"], p.context["part"]["last"]) for p in pages[1:]] == [(1, 2), (3, 4), (5, 5)]
    assert pages[1].context["previous"] is None and pages[3].context["next"] is None
    assert all(p.keyed == "key" for p in pages)
    # A file within a page: one page, as before.
    monkeypatch.setattr(archives, "PAGE", 5)
    [page] = archives._file_page({"name": "R", "path": "archives/r/"}, {"name": "C", "path": "archives/r/c/"},
                                 entry, docs, "key")()
    assert page.path == "archives/r/c/f/" and len(page.context["docs"]) == 5 and "parts" not in page.context
