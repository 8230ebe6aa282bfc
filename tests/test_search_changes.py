"""Incremental builds with search: edited documents go to the changes bundle, their volumes' bundles stay."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_search import fragments

from despatch.config import load_config
from despatch.search.changes import CHANGES, LISTING, RECENT
from despatch.search.router import ROUTER, VOLUMES
from despatch.site import manifest, searchdelta, searchlayers
from despatch.site.build import build
from despatch.site.preview import preview
from despatch.site.result import BuildFailed, BuildResult
from despatch.urls.ledger import accept_last_build

OLD, NEW, KEPT, GONE = "xylophonist", "zeppelinhangar", "quintessentialmarker", "marzipanfactory"
LIGHT = "lighthousekeeper"   # in the second and eighth documents of the second volume


def make_edition(out: Path, docs: int = 30) -> Path:
    """A synthetic edition of ten-document volumes; the fifth document of the second volume holds
    OLD and KEPT, the last of the third GONE. Returns the project folder (not yet built)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate

    generate(out, docs, seed=5, per_volume=10)
    project = out / "despatch"
    append(source(project, 1, 5), f" {OLD} {KEPT}")
    append(source(project, 2, 10), f" {GONE}")
    append(source(project, 1, 2), f" {LIGHT}")
    append(source(project, 1, 8), f" {LIGHT}")
    return project


def volumes(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "content").iterdir() if p.is_dir())


def source(project: Path, vol: int, doc: int) -> Path:
    return project / "content" / volumes(project)[vol] / f"d{doc}.txt"


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + text + "\n", encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(project: Path, incremental: bool = True) -> BuildResult:
    return build(load_config(project / "mkdocs.yml", workers=1), incremental=incremental)


def remove(project: Path, path: Path) -> BuildResult:
    """Remove a source: the build refuses to drop its URL until the change is accepted."""
    path.unlink()
    with pytest.raises(BuildFailed):
        run(project)
    accept_last_build(load_config(project / "mkdocs.yml"))
    return run(project)


def stamps(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its modification time."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def by_url(bundle: Path) -> dict[str, tuple[str, dict]]:
    """A bundle's pages by URL: fragment id and decoded fragment."""
    return {f["url"]: (p.stem, f) for p, f in zip(sorted((bundle / "fragment").iterdir()), fragments(bundle))}


def listing(site: Path) -> dict:
    return json.loads((site / CHANGES / LISTING).read_text(encoding="utf-8"))


def pointer(site: Path) -> str | None:
    return json.loads((site / ROUTER / VOLUMES).read_text(encoding="utf-8")).get("changes")


def pending(project: Path) -> dict:
    return json.loads((project / "build" / ".cache" / "manifest.json").read_text(encoding="utf-8"))["search"]["pending"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = make_edition(tmp_path)
    run(project)
    return project


def test_an_edit_indexes_the_document_into_the_changes_bundle_only(project: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "build" / "site"
    vol, other = volumes(project)[1], volumes(project)[2]
    assert not (site / CHANGES).exists() and pointer(site) is None      # a full build has no changes
    old_id = by_url(site / vol / "pagefind")["/d5/"][0]
    before = {v: stamps(site / v / "pagefind") for v in volumes(project)}
    router = stamps(site / ROUTER)
    replace(source(project, 1, 5), OLD, NEW)
    result = run(project)
    assert result.incremental and result.stats["search"].changes == 1
    pages = by_url(site / CHANGES)
    assert list(pages) == [f"/{vol}/d5/"]
    assert NEW in pages[f"/{vol}/d5/"][1]["content"] and OLD not in pages[f"/{vol}/d5/"][1]["content"]
    # No volume bundle was written again, nor the router's Pagefind files.
    assert {v: stamps(site / v / "pagefind") for v in volumes(project)} == before
    assert {k: t for k, t in stamps(site / ROUTER).items() if k != VOLUMES} == \
        {k: t for k, t in router.items() if k != VOLUMES}
    assert pointer(site) == f"../{CHANGES}/"
    listed = listing(site)
    assert listed["documents"] == [f"{vol}/d5/"] and listed["dropped"] == [old_id] and listed["pages"] == 1
    assert listed["dropped_from"] == {old_id: [vol]}  # where the search page looks for the old page
    assert listed["facets"]["removed"] == listed["facets"]["added"]       # same year, type, volume
    filters = {k: sorted(v) for k, v in by_url(site / vol / "pagefind")["/d5/"][1]["filters"].items()}
    assert pending(project) == {vol: {"d5": [old_id, filters]}}
    # A second edit of another volume's document goes to the recent layer; the changes bundle stands.
    bundle = stamps(site / CHANGES)
    append(source(project, 2, 3), f" {NEW}")
    assert run(project).stats["search"].changes == 2
    assert list(by_url(site / RECENT)) == [f"/{other}/d3/"] and stamps(site / CHANGES) == bundle
    assert {v: stamps(site / v / "pagefind") for v in volumes(project)} == before
    # Past the layer's size, the changes bundle is written again with every page, and the layer goes.
    monkeypatch.setattr(searchlayers, "RECENT_MAX", 1)
    append(source(project, 2, 4), f" {NEW}")
    run(project)
    assert sorted(by_url(site / CHANGES)) == [f"/{vol}/d5/", f"/{other}/d3/", f"/{other}/d4/"]
    assert len(list((site / CHANGES / "fragment").iterdir())) == 3        # the first bundle's files are gone
    assert not (site / RECENT).exists() and pointer(site) == f"../{CHANGES}/"
    assert {v: stamps(site / v / "pagefind") for v in volumes(project)} == before


def test_a_removed_document_is_superseded_and_its_page_not_indexed(project: Path) -> None:
    site = project / "build" / "site"
    vol = volumes(project)[2]
    old_id = by_url(site / vol / "pagefind")["/d10/"][0]
    result = remove(project, source(project, 2, 10))
    assert result.incremental
    listed = listing(site)
    assert f"{vol}/d10/" in listed["documents"] and old_id in listed["dropped"]
    assert f"/{vol}/d10/" not in by_url(site / CHANGES)
    assert not any(GONE in f["content"] for f in fragments(site / CHANGES))
    assert not (site / vol / "d10").exists()


def test_a_build_that_changes_no_page_keeps_the_changes_bundle(project: Path) -> None:
    site = project / "build" / "site"
    replace(source(project, 1, 5), OLD, NEW)
    run(project)
    bundle, router = stamps(site / CHANGES), stamps(site / ROUTER)
    # A comment in the URL ledger: the build checks it again, but renders no document.
    append(project / "content" / "urls.lock", "\n# checked by hand")
    result = run(project)
    assert result.incremental and result.rendered == 0
    assert stamps(site / CHANGES) == bundle and stamps(site / ROUTER) == router
    assert NEW in by_url(site / CHANGES)[f"/{volumes(project)[1]}/d5/"][1]["content"]


def test_volumes_past_the_limit_are_indexed_whole_and_leave_the_changes(project: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "build" / "site"
    vol = volumes(project)[1]
    monkeypatch.setattr(searchdelta, "FOLD_MIN", 1)
    append(source(project, 1, 2), f" {NEW}")
    run(project)
    assert list(pending(project)) == [vol] and (site / CHANGES).is_dir()
    before = stamps(site / vol / "pagefind")
    append(source(project, 1, 3), f" {NEW}")       # two changed documents: past max(1, 10% of 10)
    result = run(project)
    assert result.stats["search"].pages == {vol: 10} and result.stats["search"].changes == 0
    assert pending(project) == {} and not (site / CHANGES).exists() and pointer(site) is None
    after = stamps(site / vol / "pagefind")
    assert after != before and not set(before) - set(after) - {k for k in before if "fragment" in k or "index" in k
                                                               or "filter" in k or k.endswith("pf_meta")}
    assert {u for u, (_, f) in by_url(site / vol / "pagefind").items() if NEW in f["content"]} == {"/d2/", "/d3/"}
    # Old hashed files of the volume's bundle are gone with the fold: only the new bundle's remain.
    assert len(list((site / vol / "pagefind" / "fragment").iterdir())) == 10


def test_the_changes_bundle_folds_its_largest_volume_past_its_size(project: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "build" / "site"
    first, second = volumes(project)[0], volumes(project)[1]
    monkeypatch.setattr(searchdelta, "CHANGES_MAX", 2)
    append(source(project, 0, 1), f" {NEW}")
    append(source(project, 0, 2), f" {NEW}")
    run(project)
    assert sorted(pending(project)[first]) == ["d1", "d2"]
    append(source(project, 1, 4), f" {NEW}")       # three pages: the volume holding two is folded
    result = run(project)
    assert result.stats["search"].pages == {first: 10}
    assert list(pending(project)) == [second] and list(by_url(site / CHANGES)) == [f"/{second}/d4/"]


def test_a_full_build_clears_the_changes(project: Path) -> None:
    site = project / "build" / "site"
    replace(source(project, 1, 5), OLD, NEW)
    run(project)
    assert (site / CHANGES).is_dir()
    result = run(project, incremental=False)
    assert not result.incremental and not (site / CHANGES).exists() and pointer(site) is None
    assert pending(project) == {}
    assert NEW in by_url(site / volumes(project)[1] / "pagefind")["/d5/"][1]["content"]


def test_the_build_after_previews_indexes_what_they_rendered(project: Path) -> None:
    site = project / "build" / "site"
    vol = volumes(project)[1]
    replace(source(project, 1, 5), OLD, NEW)
    assert preview(load_config(project / "mkdocs.yml", workers=1)).rendered >= 1
    assert NEW in (site / vol / "d5" / "index.html").read_text(encoding="utf-8") and not (site / CHANGES).exists()
    run(project)
    assert NEW in by_url(site / CHANGES)[f"/{vol}/d5/"][1]["content"]


def test_a_preview_taken_back_is_rendered_again_by_the_next_build(project: Path) -> None:
    site = project / "build" / "site"
    vol = volumes(project)[1]
    page = site / vol / "d5" / "index.html"
    built = page.read_bytes()
    replace(source(project, 1, 5), OLD, NEW)
    preview(load_config(project / "mkdocs.yml", workers=1))
    assert page.read_bytes() != built
    replace(source(project, 1, 5), NEW, OLD)
    run(project)
    assert page.read_bytes() == built
    assert OLD in by_url(site / CHANGES)[f"/{vol}/d5/"][1]["content"]


def test_a_build_stopped_before_its_manifest_is_saved_is_caught_up(project: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    site = project / "build" / "site"
    vol = volumes(project)[1]
    replace(source(project, 1, 5), OLD, NEW)
    with monkeypatch.context() as m:
        m.setattr(manifest.Manifest, "save", lambda *args, **kwargs: (_ for _ in ()).throw(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            run(project)
    assert NEW in (site / vol / "d5" / "index.html").read_text(encoding="utf-8")   # published, not recorded
    run(project)
    assert NEW in by_url(site / CHANGES)[f"/{vol}/d5/"][1]["content"]
    assert pending(project)[vol].keys() == {"d5"} and pointer(site) == f"../{CHANGES}/"
    assert not (project / "build" / ".cache" / searchdelta.UNSAVED).exists()


def test_fold_limit() -> None:
    assert searchdelta.fold_limit(10) == 32 and searchdelta.fold_limit(500) == 50
    assert searchdelta.fold_limit(2000) == 200


def test_turning_search_off_and_on_is_a_full_build_each_time(project: Path) -> None:
    site = project / "build" / "site"
    append(source(project, 1, 3), " interlude")
    config = load_config(project / "mkdocs.yml", workers=1, search=False)
    with pytest.raises(BuildFailed):
        build(config)  # the search page's URL would go: the ledger asks for a decision
    accept_last_build(config)
    off = build(config)
    assert not off.incremental
    assert not (site / ROUTER).exists() and not list(site.glob("*/pagefind"))
    append(source(project, 1, 3), " coda")
    on = run(project)
    assert not on.incremental
    assert (site / ROUTER / VOLUMES).is_file() and len(list(site.glob("*/pagefind"))) == len(volumes(project))
    assert pointer(site) is None


def test_a_fragments_url_is_read_from_its_first_bytes(project: Path, tmp_path: Path) -> None:
    from despatch.search.changes import fragment_url, old_pages
    from despatch.search.summary import read_fragment

    bundle = project / "build" / "site" / volumes(project)[1] / "pagefind"
    paths = sorted((bundle / "fragment").glob("*.pf_fragment"))
    assert paths and [fragment_url(p) for p in paths] == [read_fragment(p)["url"] for p in paths]
    odd = tmp_path / "odd.pf_fragment"
    odd.write_bytes(b"not gzip")
    assert fragment_url(odd) is None
    found = old_pages(bundle, {"d5", "d999"})
    assert found["d999"] is None and found["d5"] is not None
    assert by_url(bundle)["/d5/"][0] == found["d5"][0]


def test_a_bundles_page_map_gives_what_its_fragments_give(project: Path, tmp_path: Path) -> None:
    from despatch.search.changes import old_pages
    from despatch.search.summary import PAGES

    bundle = project / "build" / "site" / volumes(project)[1] / "pagefind"
    assert (bundle / PAGES).is_file()
    docs = {"d1", "d5", "d999"} | {url.strip("/") for url in by_url(bundle)}
    mapped = old_pages(bundle, docs)
    unmapped = tmp_path / "bundle"
    shutil.copytree(bundle, unmapped)
    (unmapped / PAGES).unlink()  # a bundle written before the map: its fragments are read
    assert mapped == old_pages(unmapped, docs)
    assert mapped["d999"] is None and mapped["d5"] is not None


def test_pagefinds_binary_is_found_where_its_wheel_finds_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.search.command import executable, wheel_binary

    wheel = pytest.importorskip("pagefind_bin_extended")
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert executable() == wheel.get_executable()
    package = tmp_path / "fake_pagefind_wheel"
    package.mkdir()
    (package / "__init__.py").write_text("raise ImportError('not to be imported')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert wheel_binary("fake_pagefind_wheel", ("pagefind_extended", "pagefind")) is None
    (package / "pagefind").write_bytes(b"")
    assert wheel_binary("fake_pagefind_wheel", ("pagefind_extended", "pagefind")) == package / "pagefind"
    (package / "pagefind_extended").mkdir()  # not a file: the wheel's own lookup gives up there
    assert wheel_binary("fake_pagefind_wheel", ("pagefind_extended", "pagefind")) is None
    assert wheel_binary("no_such_package_here", ("pagefind",)) is None
