"""The router split by words' first letters: keys, shard ranges, and a real sharded router bundle."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from despatch.search import summary as summary_module
from despatch.search import shards, wordforms
from despatch.search.shards import assign, looked_up, placed
from despatch.search.wordforms import EVERY, forms


@pytest.mark.parametrize("word, expected", [
    ("department", {"department"}),
    ("Khrushchev's", {"khrushchev", "s", "khrushchevs"}),   # Pagefind indexes the parts and the whole
    ("vice-president,", {"vice", "president", "vicepresident"}),
    ("U.S.", {"u", "s", "us"}),
    ("Élysée", {"elysee"}),                                  # accents folded, as route.js folds them
    ("dying", {"dying", "die"}),                             # a stem that begins otherwise than its word
    ("Москва", {EVERY}),                                     # letters outside a–z: every shard
    ("—", set()),                                            # no letter or digit: Pagefind indexes nothing
])
def test_forms(word: str, expected: set[str]) -> None:
    assert forms(word) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
       | st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=12)
       | st.text(alphabet="abcXYZ019.,;:()\x27\"-_ \tǅİß²", max_size=12)
       | st.sampled_from(sorted(wordforms.EXCEPTIONS) + ["Skies,", "(DYING)", "x²", "ǅ", "İ", "a_b", "ab-", "ß", "...", "㎒", "5㎒,", "℃", "Ⅻ"]))
def test_a_one_part_word_has_the_forms_the_general_rule_gives(word: str) -> None:
    """The shortcut for a word of ASCII letters and digits agrees with the rule for any word."""
    assert forms(word) == wordforms._forms(wordforms.fold(word))


def summary(volume: str, words: list[str]) -> dict:
    return {"volume": volume, "pages": 1, "words": {w: 1 for w in words},
            "filters": {"volume": {volume.upper(): 1}}}


def test_shards_divide_the_words_within_the_budget_and_every_word_is_where_a_query_looks() -> None:
    words = [f"{a}{b}{c}word{d}" for a in "abcdefgh" for b in "aeiou" for c in "rst" for d in ("", "s", "ing")]
    summaries = [summary("v1", words[::2]), summary("v2", words[1::2]), summary("v3", words + ["us", "Москва"])]
    bounds, parts = assign(summaries, budget=100)
    assert len(bounds) >= 5 and bounds[0] == "" and bounds == sorted(bounds)
    for i in range(len(bounds)):
        held = sum(len(part[i]) for part in parts)
        assert held <= 100 + 1, (i, held)        # the word put in every shard comes on top
    for summary_, part in zip(summaries, parts):
        for word in summary_["words"]:
            places = {i for i, share in enumerate(part) if word in share}
            assert places == placed(word, bounds) and places, word
    assert all("Москва" in share for share in parts[2])
    # A query word looks wherever a word it can match was put: the same word, a word of the same stem
    # (the same first three letters), a word it begins (Pagefind matches prefixes).
    for word in words:
        assert placed(word, bounds) <= looked_up(word, bounds)
        assert placed(word, bounds) <= looked_up(word[:2], bounds)
        assert placed(word, bounds) <= looked_up(word[:3] + "zzz", bounds)
    assert placed("died", bounds) <= looked_up("dying", bounds)


def listed_records(folder: Path, listing: dict) -> dict[str, str]:
    """A router folder's records file read as the search page reads it: record id → volume."""
    ids = json.loads((folder / "despatch-records.json").read_text(encoding="utf-8"))
    assert isinstance(ids, list) and len(ids) == len(listing["volumes"])   # one entry a volume of the list
    return {rid: v["id"] for rid, v in zip(ids, listing["volumes"]) if rid}


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
    routed: set[str] = set()
    seen: set[str] = set()
    for shard in listing["shards"]:
        folder = site / "pagefind" / shard["path"]
        assert (folder / "pagefind-entry.json").is_file() and (folder / "pagefind.js").is_file()
        assert not (folder / "pagefind-ui.js").exists()
        # Each shard lists its own records' volumes, by ids no other shard's record has.
        ids = listed_records(folder, listing)
        assert ids == {p.stem: summary_module.read_fragment(p)["url"].strip("/") for p in (folder / "fragment").glob("*.pf_fragment")}
        assert not seen & set(ids)
        seen |= set(ids)
        routed |= set(ids.values())
    assert routed == {v["id"] for v in listing["volumes"]}
    # The first shard has a record of every volume: it answers a search by filters alone.
    first = site / "pagefind" / listing["shards"][0]["path"]
    urls = {summary_module.read_fragment(p)["url"].strip("/") for p in (first / "fragment").glob("*.pf_fragment")}
    assert urls == routed
    assert not (site / "pagefind" / "pagefind.js").exists(), "no unsharded router beside the shards"


def test_repeats_are_one_more_than_the_whole_logarithm() -> None:
    import math

    counts = list(range(1, 1 << 16)) + [(1 << k) + d for k in range(16, 64) for d in (-1, 0, 1)]
    assert all(shards.repeats(n) == 1 + int(math.log2(n)) for n in counts)


def test_a_record_id_two_shards_share_is_salted_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's ids are 28-bit hashes: at the scale of FRUS a few router records of different shards share
    one. Such a record is written again with a salt, and its shard indexed again, until none is shared."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from despatch.config import load_config
    from despatch.search import routing
    from despatch.site.build import build

    generate(tmp_path, 30, seed=5, per_volume=10)
    monkeypatch.setattr(shards, "BUDGET", 1500)
    real, faked = routing.records_of, []

    def shared_once(folder: Path) -> dict[str, str]:
        """The real records, but at the first look the second shard's first record has the first shard's id."""
        found = real(folder)
        if folder.name == "s1" and not faked:
            first = real(folder.parent / "s0")
            rid, volume = next(iter(found.items()))
            faked.append((rid, volume))
            found = {next(iter(first)): volume, **{k: v for k, v in found.items() if k != rid}}
        return found

    monkeypatch.setattr(routing, "records_of", shared_once)
    build(load_config(tmp_path / "despatch" / "mkdocs.yml", workers=1))
    site = tmp_path / "despatch" / "build" / "site" / "pagefind"
    (old, volume), = faked
    ids = listed_records(site / "s1", json.loads((site / "despatch-volumes.json").read_text(encoding="utf-8")))
    assert ids == real(site / "s1") and volume in ids.values()
    salted = next(rid for rid, v in ids.items() if v == volume)
    assert salted != old and not (site / "s1" / "fragment" / f"{old}.pf_fragment").exists()
    assert summary_module.read_fragment(site / "s1" / "fragment" / f"{salted}.pf_fragment")["meta"]["salt"] == "1"
    # The other shards were indexed once: no salt in them.
    for folder in sorted(site.glob("s*")):
        if folder.name != "s1":
            assert all("salt" not in summary_module.read_fragment(p)["meta"] for p in (folder / "fragment").glob("*"))


def test_ids_still_shared_after_every_salt_stop_the_build_with_an_error(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from despatch.config import load_config
    from despatch.search import SearchError, routing
    from despatch.site.build import build

    generate(tmp_path, 30, seed=5, per_volume=10)
    monkeypatch.setattr(shards, "BUDGET", 1500)
    monkeypatch.setattr(routing, "SALTS", 2)
    real, looks = routing.records_of, []

    def always_shared(folder: Path) -> dict[str, str]:
        """The second shard's first record has the first shard's first id, however often it is salted."""
        looks.append(folder.name)
        found = real(folder)
        if folder.name != "s1":
            return found
        rid, volume = next(iter(found.items()))
        return {next(iter(real(folder.parent / "s0"))): volume, **{k: v for k, v in found.items() if k != rid}}

    monkeypatch.setattr(routing, "records_of", always_shared)
    with pytest.raises(SearchError) as failed:
        build(load_config(tmp_path / "despatch" / "mkdocs.yml", workers=1))
    (said,) = failed.value.diagnostics  # where and what, once: the command line prints it
    assert said.path.endswith("pagefind/s0") and said.message.endswith("record ids are still shared after 2 salts")
    assert looks.count("s1") == 3 and looks.count("s0") == 1  # looked at again only where salted
    assert not (tmp_path / "despatch" / "build" / "site").exists()  # nothing half written
