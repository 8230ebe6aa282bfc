"""The router split by words' first letters: keys, shard ranges, and a real sharded router bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from despatch.search import router as router_module
from despatch.search import shards
from despatch.search.shards import EVERY, assign, keys, shards_of


@pytest.mark.parametrize("word, expected", [
    ("department", {"dep"}),
    ("Khrushchev's", {"khr", "s"}),            # Pagefind indexes the parts and the whole
    ("vice-president,", {"vic", "pre"}),
    ("U.S.", {"u", "s", "us"}),
    ("Élysée", {"ely"}),                       # accents folded, as route.js folds them
    ("dying", {"dyi", "die"}),                 # a stem that begins otherwise than its word
    ("751.00/1–958", {"751", "00", "1", "958", "751"}),
    ("Москва", {EVERY}),                       # letters outside a–z: every shard
    ("—", set()),                              # no letter or digit: Pagefind indexes nothing
])
def test_keys(word: str, expected: set[str]) -> None:
    assert keys(word) == expected


def summary(volume: str, words: list[str]) -> dict:
    return {"volume": volume, "pages": 1, "words": {w: 1 for w in words},
            "filters": {"volume": {volume.upper(): 1}}}


def test_shards_divide_the_words_within_the_budget_and_every_word_is_where_a_query_looks() -> None:
    words = [f"{a}{b}{c}word" for a in "abcdefgh" for b in "aeiou" for c in "rst"]
    summaries = [summary("v1", words[::2]), summary("v2", words[1::2]), summary("v3", words + ["us", "Москва"])]
    bounds, parts = assign(summaries, budget=100)
    assert len(bounds) >= 3 and bounds[0] == "" and bounds == sorted(bounds)
    for i in range(len(bounds)):
        held = sum(len(part[i]) for part in parts)
        assert held <= 100 + 3, (i, held)        # the words put in every shard come on top
    for summary_, part in zip(summaries, parts):
        for word in summary_["words"]:
            places = {i for i, share in enumerate(part) if word in share}
            assert places == shards_of(word, bounds) and places, word
    assert all("Москва" in share for share in parts[2])
    # A query of a word's first letters looks where that word is.
    for word in words:
        assert shards_of(word, bounds) <= shards_of(word[:2], bounds)
        assert shards_of(word, bounds) == shards_of(word[:3] + "zzz", bounds)


def test_a_small_budget_writes_a_router_of_several_shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from despatch.config import load_config
    from despatch.site.build import build

    generate(tmp_path, 30, seed=5, per_volume=10)
    monkeypatch.setattr(shards, "BUDGET", 1500)
    build(load_config(tmp_path / "despatch" / "mkdocs.yml", workers=1))
    site = tmp_path / "despatch" / "build" / "site"
    listing = json.loads((site / "pagefind" / "despatch-volumes.json").read_text(encoding="utf-8"))
    starts = [s["from"] for s in listing["shards"]]
    assert len(starts) >= 3 and starts == sorted(starts) and starts[0] == ""
    routed = set(listing["records"].values())
    assert routed == {v["id"] for v in listing["volumes"]}
    for shard in listing["shards"]:
        folder = site / "pagefind" / shard["path"]
        assert (folder / "pagefind-entry.json").is_file() and (folder / "pagefind.js").is_file()
        assert not (folder / "pagefind-ui.js").exists()
    # The first shard has a record of every volume: it answers a search by filters alone.
    first = site / "pagefind" / listing["shards"][0]["path"]
    urls = {router_module.read_fragment(p)["url"].strip("/") for p in (first / "fragment").glob("*.pf_fragment")}
    assert urls == routed
    assert not (site / "pagefind" / "pagefind.js").exists(), "no unsharded router beside the shards"
