"""Property tests: any telegram text converts with nothing lost, or fails with a positioned error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from despatch.errors import SourceError
from despatch.sources.text import convert_bytes, convert_text
from test_text_corpus import source_side, tei_side

# Words mix what real documents hold with what they should survive: digits glued to words,
# closing quotes and parentheses, NBSP, zero-width and combining characters, right-to-left text.
CHARS = st.sampled_from(list("abcXYZ0123456789.,;:()’”“\"'–—-%/§é") + ["\u00a0", "\u200b", "\u0301",
                                                                     "ש", "ل", "\t"])
WORD = st.text(CHARS, min_size=1, max_size=8).filter(lambda w: w.strip() != "")


@st.composite
def telegrams(draw: st.DrawFn) -> str:
    """A telegram text: title, paragraphs, lists and page markers, references and the notes list."""
    nnotes = draw(st.integers(0, 4))
    source = nnotes > 0 and draw(st.booleans())
    title = f"{draw(st.integers(1, 999))}. Telegram " + " ".join(draw(st.lists(WORD, max_size=4)))
    title = title.rstrip() + ("0" if source else "")
    refs = list(range(1 if source else 1, nnotes + (0 if source else 1)))
    page = draw(st.integers(1, 500))
    blocks: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["p", "p", "bullets", "labels", "page"]))
        words = draw(st.lists(WORD, min_size=1, max_size=12))
        if refs and draw(st.booleans()):
            k = draw(st.integers(0, len(words) - 1))
            words[k] += str(refs.pop(0))
        if draw(st.booleans()):
            page += draw(st.integers(1, 3))
            words.insert(draw(st.integers(0, len(words))), f"[Page {page}]")
        text = " ".join(words)
        if kind == "bullets":
            blocks.append("\n".join(f"{'  ' * draw(st.integers(1, 3))}• {w}" for w in words[:4]))
        elif kind == "labels":
            blocks.append("\n".join(f"{i + 1}.\n{w}" for i, w in enumerate(words[:4])))
        elif kind == "page":
            page += 1
            blocks.append(f"[Page {page}]")
        else:
            blocks.append(text)
    if refs:
        # Every note gets its reference, so most cases convert and the nothing-lost check bites.
        blocks.append(" ".join(w + str(n) for w, n in zip(draw(st.lists(WORD, min_size=len(refs),
                                                                  max_size=len(refs))), refs)))
    body = "\n\n".join(blocks)
    notes = "\n".join(f"  {i + 1}. " + " ".join(draw(st.lists(WORD, min_size=1, max_size=6)))
                      for i in range(nnotes))
    return title + ("\n\n" + body if body else "") + ("\n\n" + notes if notes else "")


def _holds(text: str) -> None:
    try:
        conv = convert_text(text, "gen.txt", None)
    except SourceError as exc:
        d = exc.diagnostics[0]
        assert d.path == "gen.txt" and d.line >= 1 and d.col >= 1 and d.message
        return
    assert tei_side(conv.div) == source_side(text)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(telegrams())
def test_generated_telegrams(text: str) -> None:
    _holds(text)


@FAST
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    _holds(text)


@FAST
@given(st.binary(max_size=200))
def test_any_bytes(data: bytes) -> None:
    try:
        convert_bytes(data, "gen.txt", None)
    except SourceError as exc:
        assert exc.diagnostics[0].line >= 1


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(telegrams())
def test_generated_telegrams_many(text: str) -> None:
    _holds(text)
