"""The router's end given each volume's words prepared where it was indexed: it only merges them, and
writes the bundle it writes from the summaries alone, whichever volumes were prepared and however many
wait in a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_search_routing import built_edition, counted, files

from despatch.search import prepared, routing, shards
from despatch.search.router import ROUTER
from despatch.search.summary import read_summary


@pytest.mark.parametrize("budget", [1500, shards.BUDGET])   # several shards, and one
def test_volumes_prepared_where_indexed_write_the_router_the_summaries_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    site, volumes = built_edition(tmp_path, monkeypatch, budget)
    shutil.rmtree(site / ROUTER)
    assert routing.write_router(site, volumes) == 3
    built = files(site / ROUTER)
    assert (len([k for k in built if k.endswith("pagefind-entry.json")]) > 1) == (budget == 1500)
    real = routing.prepare
    at_end: list[str] = []

    def spy(summary: dict[str, object]) -> object:
        at_end.append(str(summary["volume"]))
        return real(summary)

    monkeypatch.setattr(routing, "prepare", spy)
    monkeypatch.setattr(routing, "read_summary", lambda volume, roots: at_end.append(f"read {volume}")
                        or read_summary(volume, roots))
    for hold in (prepared.HOLD_BYTES, 0):        # kept in memory, then every one in the file
        monkeypatch.setattr(prepared, "HOLD_BYTES", hold)
        # Every volume prepared: the end neither reads a summary nor prepares a volume.
        shutil.rmtree(site / ROUTER)
        assert routing.write_router(site, volumes, counted=counted(site, volumes)) == 3
        assert files(site / ROUTER) == built and at_end == []
        # The last volume's counts missing (as where it was indexed in this process): it is counted at the end.
        shutil.rmtree(site / ROUTER)
        assert routing.write_router(site, volumes, counted=counted(site, volumes[:2])) == 3
        assert files(site / ROUTER) == built and at_end == [f"read {volumes[2]}", volumes[2]]
        at_end.clear()


def test_a_volume_prepared_but_not_in_the_edition_has_the_others_counted_anew(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site, volumes = built_edition(tmp_path, monkeypatch, 1500)
    shutil.rmtree(site / ROUTER)
    assert routing.write_router(site, volumes[1:]) == 2
    alone = files(site / ROUTER)
    shutil.rmtree(site / ROUTER)
    assert routing.write_router(site, volumes[1:], counted=counted(site, volumes)) == 2
    assert files(site / ROUTER) == alone


def test_the_build_s_indexing_processes_prepare_every_volume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_search import make_site

    from despatch.search import index_site
    from despatch.search.job import available
    from despatch.search.volume import VolumeIndexer

    if not available():
        pytest.skip("no indexing process here")
    site = make_site(tmp_path / "site")
    other = tmp_path / "other"
    shutil.copytree(site, other)
    index_site(site, ["v13", "v16"])         # the router written from the summaries at the end
    monkeypatch.setattr(routing, "prepare", lambda summary: pytest.fail("prepared at the end"))
    indexer = VolumeIndexer(other, edition=["v13", "v16"])
    indexer.finish_volume("v16")
    indexer.finish_volume("v13")
    indexer.finish()
    assert files(other / ROUTER) == files(site / ROUTER) and files(site / ROUTER)
