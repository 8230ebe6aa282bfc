"""The recent layer over the changes bundle: an edit indexes the pages edited since the bundle was written,
and the two answer as one changes bundle with every pending page would."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from test_search_changes import (
    KEPT,
    NEW,
    OLD,
    append,
    by_url,
    make_edition,
    remove,
    replace,
    run,
    source,
    stamps,
    volumes,
)

from despatch.search.changes import CHANGES, LISTING, RECENT
from despatch.search.router import ROUTER, VOLUMES
from despatch.site import searchlayers

LAYER = searchlayers.RECENT_MAX   # as shipped: the tests set it for one copy or the other

def listed(site: Path, folder: str) -> dict:
    return json.loads((site / folder / LISTING).read_text(encoding="utf-8"))


def router(site: Path) -> dict:
    return json.loads((site / ROUTER / VOLUMES).read_text(encoding="utf-8"))


def facets(listing: dict) -> Counter[tuple[str, str]]:
    """What a listing adds to the filter counts, less what it takes away."""
    out: Counter[tuple[str, str]] = Counter()
    for sign, part in ((1, "added"), (-1, "removed")):
        for key, counts in listing["facets"][part].items():
            for value, n in counts.items():
                out[(key, value)] += sign * n
    return out


def answered(site: Path) -> tuple[dict[str, str], set[str], Counter[tuple[str, str]]]:
    """What the search page makes of the changes: each changed page's content by URL, the ids of the
    volume bundles' pages it leaves out, and its change to the filter counts."""
    base, pages = listed(site, CHANGES), by_url(site / CHANGES)
    dropped, counts = set(base["dropped"]), facets(base)
    if router(site).get("recent"):
        recent = listed(site, RECENT)
        dropped |= set(recent["dropped"])
        for key, n in facets(recent).items():
            counts[key] += n
        pages = {url: page for url, page in pages.items() if page[0] not in dropped} | by_url(site / RECENT)
    volume_ids = {p.stem for vol in volumes(site.parent.parent) for p in (site / vol / "pagefind" / "fragment").iterdir()}
    return ({url: page[1]["content"] for url, page in sorted(pages.items())}, dropped & volume_ids,
            Counter({k: n for k, n in counts.items() if n}))


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Path, Path]:
    """Two built copies of one edition: the first keeps a recent layer, the second never does."""
    made = make_edition(tmp_path / "a"), make_edition(tmp_path / "b")
    for project in made:
        run(project)
    return made


def both(twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, edit) -> None:  # type: ignore[no-untyped-def]
    """Make one edit in each copy and build it: the first with the layer, the second without."""
    layered, single = twins
    for project, size in ((layered, LAYER), (single, 0)):
        monkeypatch.setattr(searchlayers, "RECENT_MAX", size)
        edit(project)
        run(project)


def test_the_layer_and_its_bundle_answer_as_one_bundle_would(twins: tuple[Path, Path],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    layered, single = twins
    site = layered / "build" / "site"
    steps = [
        lambda p: replace(source(p, 1, 5), OLD, NEW),            # into the changes bundle
        lambda p: append(source(p, 2, 3), " tangerine"),          # the layer over it
        lambda p: append(source(p, 1, 5), " pomegranate"),        # a page of the bundle superseded by the layer
        lambda p: append(source(p, 0, 7), " tangerine"),
        lambda p: append(source(p, 2, 3), " clementine"),         # a page of the layer edited again
    ]
    for n, step in enumerate(steps):
        bundle = stamps(site / CHANGES) if (site / CHANGES).is_dir() else None
        both(twins, monkeypatch, step)
        assert answered(site) == answered(single / "build" / "site"), n
        if n:   # the changes bundle of the first edit stands under every later one
            assert stamps(site / CHANGES) == bundle and (site / RECENT).is_dir()
    vol = volumes(layered)[1]
    recent = listed(site, RECENT)
    assert sorted(recent["documents"]) == sorted([f"{vol}/d5/", f"{volumes(layered)[2]}/d3/",
                                                  f"{volumes(layered)[0]}/d7/"])
    # The first edit's page is left out twice over: its volume's page and its page in the changes bundle.
    below = by_url(site / CHANGES)[f"/{vol}/d5/"][0]
    assert below in recent["dropped"] and by_url(site / vol / "pagefind")["/d5/"][0] in recent["dropped"]
    # Both the changes bundle's page and the volume's are its document's volume's, for the search page.
    assert recent["dropped_from"][below] == recent["dropped_from"][by_url(site / vol / "pagefind")["/d5/"][0]] == [vol]
    assert sorted(recent["dropped_from"]) == sorted(recent["dropped"])
    assert router(site)["recent"] == f"../{RECENT}/"
    assert set(answered(site)[0]) == {f"/{vol}/d5/", f"/{volumes(layered)[2]}/d3/", f"/{volumes(layered)[0]}/d7/"}


def test_past_its_size_the_layer_goes_into_the_changes_bundle(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layered = project
    site = layered / "build" / "site"
    monkeypatch.setattr(searchlayers, "RECENT_MAX", 2)
    for doc in (1, 2, 3):
        append(source(layered, 0, doc), f" {NEW}")
        run(layered)
    assert sorted(by_url(site / RECENT)) == [f"/{volumes(layered)[0]}/d2/", f"/{volumes(layered)[0]}/d3/"]
    bundle = stamps(site / CHANGES)
    append(source(layered, 1, 4), f" {NEW}")       # a third document since the bundle: it is written again
    run(layered)
    assert stamps(site / CHANGES) != bundle and len(by_url(site / CHANGES)) == 4
    assert not (site / RECENT).exists() and "recent" not in router(site)


def test_a_removed_document_leaves_the_changes_bundle_through_the_layer(twins: tuple[Path, Path],
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    layered, single = twins
    site = layered / "build" / "site"
    both(twins, monkeypatch, lambda p: append(source(p, 2, 4), f" {NEW}"))
    bundle = stamps(site / CHANGES)
    for project, size in ((layered, LAYER), (single, 0)):
        monkeypatch.setattr(searchlayers, "RECENT_MAX", size)
        assert remove(project, source(project, 2, 4)).incremental
    assert stamps(site / CHANGES) == bundle
    recent, gone = listed(site, RECENT), f"/{volumes(layered)[2]}/d4/"
    # Its neighbours' pages (their links to it) are in the layer; its own page is not, and the
    # changes bundle's is left out.
    assert gone not in by_url(site / RECENT) and by_url(site / CHANGES)[gone][0] in recent["dropped"]
    assert answered(site) == answered(single / "build" / "site")
    assert f"/{volumes(layered)[2]}/d4/" not in answered(site)[0]


def test_a_build_that_changes_no_page_keeps_both_and_a_full_build_clears_both(project: Path) -> None:
    site = project / "build" / "site"
    replace(source(project, 1, 5), OLD, NEW)
    run(project)
    append(source(project, 1, 6), f" {KEPT}")
    run(project)
    kept = stamps(site / CHANGES), stamps(site / RECENT), router(site)
    append(project / "content" / "urls.lock", "\n# checked by hand")
    result = run(project)
    assert result.incremental and result.rendered == 0
    assert (stamps(site / CHANGES), stamps(site / RECENT), router(site)) == kept
    result = run(project, incremental=False)
    assert not (site / CHANGES).exists() and not (site / RECENT).exists()
    assert "changes" not in router(site) and "recent" not in router(site)


def test_without_a_changes_bundle_to_stand_on_the_layer_is_not_made(tmp_path: Path) -> None:
    live = tmp_path / "site"
    (live / CHANGES).mkdir(parents=True)
    pending = {"v1": {"d1": None, "d2": None}}
    assert searchlayers.layer(live, pending, {"v1/d2"}, {"v1": {"d1", "d2"}}) is None   # no listing
    (live / CHANGES / LISTING).write_text(json.dumps({"documents": ["v1/d1/", "v9/d1/"]}), encoding="utf-8")
    assert searchlayers.layer(live, pending, {"v1/d2"}, {"v1": {"d1", "d2"}}) is None   # v9 was folded back
    (live / CHANGES / LISTING).write_text(json.dumps({"documents": ["v1/d1/"]}), encoding="utf-8")
    assert searchlayers.layer(live, pending, set(), {"v1": {"d1", "d2"}}) == ({"v1/d2"}, {})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = make_edition(tmp_path)
    run(project)
    return project


def test_a_page_a_preview_wrote_goes_to_the_layer_with_the_next_build(project: Path) -> None:
    from despatch.config import load_config
    from despatch.site.preview import preview

    site = project / "build" / "site"
    replace(source(project, 1, 5), OLD, NEW)
    run(project)
    bundle = stamps(site / CHANGES)
    append(source(project, 2, 6), " tangerine")
    assert preview(load_config(project / "mkdocs.yml", workers=1)).rendered >= 1   # live, not indexed
    assert not (site / RECENT).exists()
    run(project)   # renders nothing new, but indexes what the preview wrote
    page = f"/{volumes(project)[2]}/d6/"
    assert "tangerine" in by_url(site / RECENT)[page][1]["content"] and stamps(site / CHANGES) == bundle
