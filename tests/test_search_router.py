"""The edition's search router: one record per volume, read back from each volume's real Pagefind bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_search import fragments, make_site, write_doc

from despatch.search import index_site
from despatch.search.router import DIGESTS, RECORDS, ROUTED, ROUTER, VOLUMES, record
from despatch.search.summary import SUMMARY, read_summary, summarize


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")

def router(site: Path) -> dict:
    return json.loads((site / ROUTER / VOLUMES).read_text(encoding="utf-8"))


def words(content: str) -> list[str]:
    """Words as Pagefind indexes them, without the punctuation it keeps in the text."""
    return [w.strip(".,:;") for w in content.lower().split()]


def records(site: Path) -> dict[str, dict]:
    """The router's records by volume, decoded from its fragments."""
    return {f["url"].strip("/"): f for f in fragments(site / ROUTER)}


def test_the_router_has_one_record_per_volume_with_its_words_and_filters(site: Path) -> None:
    stats = index_site(site, ["v13", "v16"])
    assert stats.routed == 2
    listed = router(site)
    assert [v["id"] for v in listed["volumes"]] == ["v13", "v16"]
    assert [v["title"] for v in listed["volumes"]] == ["v13", "v16"]    # the volume filter's value
    assert "records" not in listed  # in the router's folder: a search reads those of the folders it merges
    # The records: each volume's record id, in the list's order.
    listed_ids = json.loads((site / ROUTER / RECORDS).read_text(encoding="utf-8"))
    ids = dict(zip(listed_ids, ["v13", "v16"]))
    stems = [p.stem for p in sorted((site / ROUTER / "fragment").iterdir())]
    assert len(listed_ids) == 2 and ids == {rid: f["url"].strip("/") for rid, f in zip(stems, fragments(site / ROUTER))}
    assert "digest" not in str(listed["volumes"])   # the build's own: in its own file
    digests = json.loads((site / ROUTER / DIGESTS).read_text(encoding="utf-8"))["volumes"]
    assert [v for v, _ in digests] == ["v13", "v16"] and all(len(d) == 16 for _, d in digests)
    # Every record id names a fragment of the router bundle: the page maps results without fetching them.
    assert all((site / ROUTER / "fragment" / f"{rid}.pf_fragment").is_file() for rid in ids)
    # Documents per filter value over the edition: the filter panel's counts.
    assert listed["facets"]["year"] == {"1961": 1, "1962": 2}
    assert listed["facets"]["type"] == {"memorandum": 1, "telegram": 2}
    by_volume = records(site)
    assert "tropospheric" in words(by_volume["v13"]["content"])
    assert "tropospheric" not in words(by_volume["v16"]["content"])
    assert "hallama" in words(by_volume["v16"]["content"])
    assert by_volume["v13"]["filters"]["year"] == ["1962"]
    # Each record carries the router's own filter, by which a search of documents leaves them out.
    assert all(f["filters"][ROUTED[0]] == [ROUTED[1]] for f in by_volume.values())
    # The router ships no interface of its own and only the edition's language.
    assert not (site / ROUTER / "pagefind-ui.js").exists()
    assert not (site / ROUTER / "wasm.unknown.pagefind").exists()
    assert (site / ROUTER / "wasm.en.pagefind").is_file()


def test_every_word_a_volume_bundle_holds_is_in_its_router_record(site: Path) -> None:
    index_site(site, ["v13", "v16"])
    by_volume = records(site)
    for vol in ("v13", "v16"):
        routed = set(words(by_volume[vol]["content"]))
        for page in fragments(site / vol / "pagefind"):
            missing = set(words(page["content"])) - routed
            assert not missing, (vol, page["url"], missing)


def test_summaries_are_reproducible_and_count_documents(site: Path) -> None:
    index_site(site, ["v13"])
    first = (site / "v13" / "pagefind" / SUMMARY).read_bytes()
    summary = summarize(site / "v13" / "pagefind", "v13")
    assert summary["pages"] == 2
    assert summary["words"]["department"] == 2 and summary["words"]["tropospheric"] == 1
    assert summary["filters"]["type"] == {"memorandum": 1, "telegram": 1}
    index_site(site, ["v13"])
    assert (site / "v13" / "pagefind" / SUMMARY).read_bytes() == first


def test_words_held_by_more_documents_weigh_more() -> None:
    rec = record({"volume": "v1", "pages": 9, "words": {"rare": 1, "common": 8},
                  "filters": {"year": {"1961": 3, "1963": 6}}})
    assert rec["content"].split().count("rare") == 1
    assert rec["content"].split().count("common") == 4
    assert rec["sort"] == {"first": "1961", "last": "1963"}
    assert rec["filters"] == {"year": ["1961", "1963"], ROUTED[0]: [ROUTED[1]]}


def test_an_incremental_build_routes_untouched_volumes_from_their_summaries(site: Path, tmp_path: Path) -> None:
    index_site(site, ["v13", "v16"])
    # A staging folder holding only the changed volume, as an incremental build lays it out.
    staging = tmp_path / "staging"
    shutil.copytree(site / "v16", staging / "v16", ignore=shutil.ignore_patterns("pagefind"))
    write_doc(staging, "v16", "d191", title="191. Note", year="1961", kind="note", date="1961-11-02",
              first="Quarantine of Berlin.", second="Nothing more.")
    stats = index_site(staging, ["v16"], edition=["v13", "v16"], previous=site)
    assert stats.pages == {"v16": 2} and stats.routed == 2
    by_volume = records(staging)
    assert "tropospheric" in words(by_volume["v13"]["content"]) and "quarantine" in words(by_volume["v16"]["content"])
    assert router(staging)["facets"]["type"] == {"memorandum": 1, "note": 1, "telegram": 2}


def test_an_edit_that_routes_as_before_copies_the_previous_router(site: Path, tmp_path: Path) -> None:
    index_site(site, ["v13", "v16"])
    staging = tmp_path / "staging"
    shutil.copytree(site / "v16", staging / "v16", ignore=shutil.ignore_patterns("pagefind"))
    page = staging / "v16" / "d190" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Hallama asked", "asked Hallama"), encoding="utf-8")
    index_site(staging, ["v16"], edition=["v13", "v16"], previous=site)
    assert sorted(p.name for p in (staging / ROUTER).rglob("*")) == sorted(p.name for p in (site / ROUTER).rglob("*"))
    # A word the volume did not have before: the router is made again and routes it.
    page.write_text(page.read_text(encoding="utf-8").replace("postponement", "quarantine"), encoding="utf-8")
    index_site(staging, ["v16"], edition=["v13", "v16"], previous=site)
    found = words(records(staging)["v16"]["content"])
    assert "quarantine" in found and "postponement" not in found and found.count("asked") == 1


def test_a_router_without_its_digests_is_written_again(site: Path, tmp_path: Path) -> None:
    index_site(site, ["v13", "v16"])
    staging = tmp_path / "staging"
    shutil.copytree(site / "v16", staging / "v16", ignore=shutil.ignore_patterns("pagefind"))
    index_site(staging, ["v16"], edition=["v13", "v16"], previous=site)
    copied = (staging / ROUTER / VOLUMES).stat().st_mtime_ns
    assert (staging / ROUTER / DIGESTS).read_bytes() == (site / ROUTER / DIGESTS).read_bytes()
    # A router of an older build, whose volume list carried the digests: it cannot tell, so it is made again.
    (site / ROUTER / DIGESTS).unlink()
    shutil.rmtree(staging / ROUTER)
    index_site(staging, ["v16"], edition=["v13", "v16"], previous=site)
    assert (staging / ROUTER / DIGESTS).is_file() and (staging / ROUTER / VOLUMES).stat().st_mtime_ns != copied
    assert sorted(records(staging)) == ["v13", "v16"]


def test_a_build_that_touched_no_volume_still_publishes_the_router(site: Path, tmp_path: Path) -> None:
    index_site(site, ["v13", "v16"])
    staging = tmp_path / "staging"
    staging.mkdir()
    stats = index_site(staging, [], edition=["v13", "v16"], previous=site)
    assert stats.routed == 2 and router(staging) == router(site)


def test_a_volume_without_summary_is_left_out_and_named_by_the_count(site: Path, tmp_path: Path) -> None:
    index_site(site, ["v13"])
    stats = index_site(site, ["v16"], edition=["v13", "v16", "v99"])
    assert stats.routed == 2
    assert [v["id"] for v in router(site)["volumes"]] == ["v13", "v16"]
    assert read_summary("v99", [site]) is None


@pytest.mark.parametrize("volumes", [[]])
def test_no_volume_writes_no_router(site: Path, volumes: list[str]) -> None:
    stats = index_site(site, volumes)
    assert stats.routed == 0 and not (site / ROUTER).exists()


def test_the_volume_facet_is_left_to_the_page_only_where_the_volumes_give_it_again() -> None:
    from despatch.search.router import volume_list

    def light(volume: str, pages: int, titles: dict[str, int]) -> dict:
        return {"volume": volume, "pages": pages, "filters": {"volume": titles, "year": {"1961": pages}}}

    plain = [light("v1", 2, {"Volume I": 2}), light("v2", 3, {"Volume II": 3})]
    listing = volume_list(plain)
    assert "volume" not in listing["facets"] and listing["facets"]["year"] == {"1961": 5}
    assert [(v["title"], v["pages"]) for v in listing["volumes"]] == [("Volume I", 2), ("Volume II", 3)]
    # A volume whose pages carry two titles (or not every page its title): the facet is listed as counted.
    odd = [plain[0], light("v2", 3, {"Volume II": 2, "Volume IIa": 1})]
    assert volume_list(odd)["facets"]["volume"] == {"Volume I": 2, "Volume II": 2, "Volume IIa": 1}
    assert volume_list([light("v1", 2, {"Volume I": 1})])["facets"]["volume"] == {"Volume I": 1}
