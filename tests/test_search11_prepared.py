"""A volume's words prepared where it is indexed give the router's end what it made from the summary itself:
the same counts, the same records in every shard, the same digest."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from despatch.search import prepared, shards
from despatch.search.prepared import Stash, prepare, prepared_bytes
from despatch.search.router import light, record

# Words as a volume's summary holds them: lowered tokens, with punctuation, digits, accents, dashes, the
# stemmer's exceptions, words of no form and words of letters outside a–z.
SOME = ["berlin", "berlin,", "(berlin)", "u.s.", "u.s.-soviet", "1958", "12th", "skies", "dying", "café",
        "naïve,", "—", "...", "x", "état-major", "москва", "東京", "a1b2", "’s", "soviet’s", "”", "mid-1960s"]
word = st.one_of(st.sampled_from(SOME), st.text(min_size=1, max_size=8).map(str.lower).filter(lambda w: not any(
    c.isspace() for c in w)))
volume_words = st.dictionaries(word, st.integers(min_value=1, max_value=5000), max_size=40)
bounds_of = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=3),
                     max_size=6).map(lambda b: [""] + sorted(set(b)))


def summary_of(words: dict[str, int]) -> dict[str, object]:
    return {"volume": "v1", "pages": 3, "words": dict(sorted(words.items())),
            "filters": {"year": {"1958": 2, "1959": 1}, "type": {"telegram": 3}}}


@settings(max_examples=300, deadline=None)
@given(volume_words, bounds_of)
def test_the_prepared_words_count_and_divide_as_the_summary_does(words: dict[str, int], bounds: list[str]) -> None:
    summary = summary_of(words)
    load, ready = prepare(summary)
    assert load == shards.volume_load(summary["words"])  # type: ignore[arg-type]
    assert ready.text() == record(summary)["content"]  # type: ignore[arg-type]
    assert ready.light == light(summary)  # type: ignore[arg-type]
    # Each shard's share: the words Placer.split puts there, in the summary's order, as the record writes them.
    expected = [record(summary, part)["content"] or None  # type: ignore[arg-type]
                for part in shards.Placer(bounds).split(summary["words"])]  # type: ignore[arg-type]
    assert ready.shares(bounds) == expected


def test_a_word_of_letters_outside_a_to_z_is_in_every_shard_and_one_of_no_form_in_none() -> None:
    summary = summary_of({"москва": 1, "—": 4, "berlin": 2, "zurich": 1})
    _, ready = prepare(summary)
    assert ready.shares(["", "c", "n"]) == ["berlin berlin москва", "москва", "zurich москва"]
    assert ready.text() == "berlin berlin zurich москва — — —"


def test_the_stash_keeps_volumes_in_memory_then_in_a_file(monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    summaries = {f"v{n}": summary_of({f"word{n}": n + 1, "berlin": 1}) for n in range(4)}
    data = {v: prepared_bytes(s)[1] for v, s in summaries.items()}
    monkeypatch.setattr(prepared, "HOLD_BYTES", len(data["v0"]) + len(data["v1"]))
    stash = Stash()
    for volume, ready in data.items():
        stash.put(volume, ready)
    assert stash._file is not None and sum(isinstance(h, tuple) for h in stash._held.values()) == 2
    for volume in ("v3", "v0", "v2", "v1"):     # any order, from memory or from the file
        assert volume in stash
        assert stash.take(volume) == prepare(summaries[volume])[1]
        assert volume not in stash
    stash.close()
    assert stash._file is None and not stash._held
