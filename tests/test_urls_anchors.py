"""Paragraph anchors: made from the paragraph's opening words, so edits elsewhere never move them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from despatch.urls.anchors import paragraph_anchor, words
from urls_fixtures import Case, read_cases

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")   # valid as xml:id and as an HTML id in URLs


def anchors(doc_id: str, paragraphs: list[str]) -> list[str]:
    """Anchor every paragraph in order, as the renderer does."""
    taken: set[str] = set()
    out = []
    for text in paragraphs:
        anchor = paragraph_anchor(doc_id, text, taken)
        taken.add(anchor)
        out.append(anchor)
    return out


@pytest.mark.parametrize("case", read_cases("anchors.txt"), ids=str)
def test_fixture(case: Case) -> None:
    doc_id, *paragraphs = case.input
    assert anchors(doc_id, paragraphs) == case.expected, str(case)


def test_the_anchor_is_not_added_to_taken() -> None:
    taken = {"d1-p-other"}
    assert paragraph_anchor("d1", "Some words here", taken) == "d1-p-some-words-here"
    assert taken == {"d1-p-other"}


def test_note_markers_and_page_markers_are_not_words() -> None:
    assert words("memcon.1 Secretary [Page 691] storage State0") == ["memcon", "secretary", "storage", "state"]
    # A number standing alone is a word of the text.
    assert words("Secto 24. May 4, 1962") == ["secto", "24", "may", "4", "1962"]


paragraph = st.lists(st.sampled_from(["French", "policy", "NATO", "de", "Gaulle", "nuclear", "sharing", "US",
                                      "Berlin", "1962", "coup", "d’état", "the", "of"]),
                     min_size=0, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=8), paragraph, st.integers(min_value=0, max_value=8))
def test_inserting_a_paragraph_moves_no_other_anchor(paragraphs: list[str], new: str, at: int) -> None:
    """Anchors of paragraphs whose opening words are unique survive an insertion anywhere."""
    at = min(at, len(paragraphs))
    before = anchors("d5", paragraphs)
    after = anchors("d5", paragraphs[:at] + [new] + paragraphs[at:])
    del after[at]
    openings = [" ".join(words(p)[:5]) for p in paragraphs + [new]]
    for text, old, now in zip(paragraphs, before, after):
        if openings.count(" ".join(words(text)[:5])) == 1:
            assert old == now
        assert NCNAME.match(now), now


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=10))
def test_anchors_are_unique_valid_ids_for_any_text(paragraphs: list[str]) -> None:
    out = anchors("d12", paragraphs)
    assert len(set(out)) == len(out)
    assert all(NCNAME.match(a) and a.startswith("d12-p-") for a in out)
