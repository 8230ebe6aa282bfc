"""The router written in two passes: the same bundle whether the volumes' summaries are kept between the
passes or read again, and however few words' forms are remembered."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from despatch.search import prepared, routing, shards
from despatch.search.router import ROUTER
from despatch.search.summary import read_summary


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def counted(site: Path, volumes: list[str]) -> routing.Counted:
    """The volumes' words counted and prepared as their indexing does, given in any order (sums, a stash by name)."""
    given = routing.Counted()
    for volume in reversed(volumes):
        given.add(volume, *prepared.prepared_bytes(read_summary(volume, [site]) or pytest.fail("no summary")))
    return given


def built_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int) -> tuple[Path, list[str]]:
    """A generated edition of three volumes built with search under a shard budget: its site and volumes."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from despatch.config import load_config
    from despatch.site.build import build

    generate(tmp_path, 30, seed=5, per_volume=10)
    monkeypatch.setattr(shards, "BUDGET", budget)
    build(load_config(tmp_path / "despatch" / "mkdocs.yml", workers=1))
    site = tmp_path / "despatch" / "build" / "site"
    return site, sorted(p.parent.parent.name for p in site.glob("*/pagefind/despatch-summary.json.gz"))


@pytest.mark.parametrize("budget", [1500, shards.BUDGET])   # several shards, and one
def test_summaries_read_again_write_the_router_they_wrote_when_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    site, volumes = built_edition(tmp_path, monkeypatch, budget)
    built = files(site / ROUTER)
    assert (len([k for k in built if k.endswith("pagefind-entry.json")]) > 1) == (budget == 1500)
    shutil.rmtree(site / ROUTER)
    monkeypatch.setattr(routing, "HOLD", 0)      # read every summary again in the second pass
    monkeypatch.setattr(shards, "MEMO", 7)       # and forget the forms of all but a few words
    assert routing.write_router(site, volumes) == len(volumes) == 3
    assert files(site / ROUTER) == built


def test_a_summary_gone_between_the_passes_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.search.summary import SUMMARY

    from test_search import make_site
    from despatch.search import index_site

    site = make_site(tmp_path / "site")
    index_site(site, ["v13", "v16"])
    monkeypatch.setattr(routing, "HOLD", 0)
    shutil.rmtree(site / ROUTER)
    reads = []
    real = routing.read_summary

    def vanishing(volume: str, roots: list[Path]) -> object:
        reads.append(volume)
        if len(reads) == 3:   # the second pass's first read
            (site / volume / "pagefind" / SUMMARY).unlink()
        return real(volume, roots)

    monkeypatch.setattr(routing, "read_summary", vanishing)
    with pytest.raises(FileNotFoundError, match="the search summary of v13 is gone"):
        routing.write_router(site, ["v13", "v16"])


@pytest.mark.parametrize("budget", [1500, shards.BUDGET])
def test_volumes_counted_beforehand_write_the_router_counted_at_the_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    site, volumes = built_edition(tmp_path, monkeypatch, budget)
    shutil.rmtree(site / ROUTER)
    assert routing.write_router(site, volumes) == 3
    built = files(site / ROUTER)
    # Two volumes counted where they were indexed, the third at the end.
    shutil.rmtree(site / ROUTER)
    assert routing.write_router(site, volumes, counted=counted(site, volumes[:2])) == 3
    assert files(site / ROUTER) == built
    # A volume counted beforehand but without a summary now: the others are counted anew.
    shutil.rmtree(site / ROUTER)
    assert routing.write_router(site, volumes[1:], counted=counted(site, volumes)) == 2
    alone = files(site / ROUTER)
    shutil.rmtree(site / ROUTER)
    assert routing.write_router(site, volumes[1:]) == 2
    assert files(site / ROUTER) == alone
    assert read_summary("nowhere", [tmp_path]) is None
