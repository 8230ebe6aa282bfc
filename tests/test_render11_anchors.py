"""A paragraph's anchor from its leading text alone equals the one made from the whole folded text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile
from lxml import etree

from despatch.render.html import tei_to_html
from despatch.render.linker import Linker
from despatch.urls.anchors import folded_anchor, paragraph_anchor, quick_anchor

PIECES = ["US", "policy", "The", "a", "75", "75.", "1958", "d12", "1st", "memcon.1", "policy,2", "word.37",
          "France's", "France\u2019s", "'", "\u2019", "[Page 12]", "[Page", "]", "[", "_", "__", "-", ".", ", ",
          "S/S", "\u201c", "\u201d2", "é", "e\u0301", "\u0301", "\u212a", "\ufb01", "ß", "\u00a0", "\u2028",
          " ", "  ", "\n", "\n    ", "\t", "\x1c", "&", "<", '"', "(", ")", "word" * 12, "Ab" * 25]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join) \
    | st.lists(st.sampled_from(PIECES), max_size=40).map("".join) | st.text(max_size=120)
takens = st.sampled_from([set(), {"d1-p-us-policy-the-a-us"}, {"d1-p-75-the-a-us-policy"}])


@profile()
@given(texts, texts, takens)
@example("75. The Under Secretary recalled that", " the press", set())
@example("US policy The a US policy", "", {"d1-p-us-policy-the-a-us"})
@example("Word.1 a b c d e", "", set())
@example("A b c d e" + "[Page 3]", "", set())
@example("A [Page x] b c d e f", "", set())
def test_the_quick_anchor_is_the_folded_texts(opening: str, rest: str, taken: set[str]) -> None:
    quick = quick_anchor("d1", opening, taken)
    if quick is not None:
        assert quick == paragraph_anchor("d1", " ".join((opening + rest).split()), taken)
    whole = quick_anchor("d1", opening, taken, True)
    if whole is not None:
        assert whole == paragraph_anchor("d1", " ".join(opening.split()), taken)
    assert folded_anchor("d1", opening, taken) == paragraph_anchor("d1", " ".join(opening.split()), taken)


def test_the_quick_anchor_decides_common_openings_and_leaves_the_rest() -> None:
    assert quick_anchor("d1", "\n  75. The Under Secretary recalled that", set()) == "d1-p-75-the-under-secretary-recalled"
    assert quick_anchor("d1", "Kohler, EUR", set(), True) == "d1-p-kohler-eur"
    assert quick_anchor("d1", "Kohler, EUR", set()) is None           # more text may follow
    assert quick_anchor("d1", "Policy.1 of the United States is", set()) is None  # a marker: the long way
    assert quick_anchor("d1", "France's policy on the question of", set()) is None
    assert quick_anchor("d1", "US policy is strongly opposed to", {"d1-p-us-policy-is-strongly-opposed"}) is None


TEI = "http://www.tei-c.org/ns/1.0"


@profile()
@given(st.lists(st.tuples(texts, st.sampled_from(["", "<hi>x y</hi> more words here", "<note>n</note>"])),
                min_size=1, max_size=6))
def test_pages_are_the_same_with_the_quick_anchors(paragraphs: list[tuple[str, str]]) -> None:
    body = "".join(f"<p>{escape(text)}{child}</p>" for text, child in paragraphs)
    items = "".join(f"<item>{escape(text)}{child}</item>" for text, child in paragraphs)
    div = etree.fromstring(f'<div xmlns="{TEI}" xml:id="d1">{body}<list>{items}</list></div>')
    plain = tei_to_html(div, "v/d1/", Linker("v"), folded_anchor)
    quick = tei_to_html(div, "v/d1/", Linker("v"), folded_anchor, quick_anchor)
    assert str(quick.body_html) == str(plain.body_html)


def escape(text: str) -> str:
    """The text as XML character data (characters XML cannot hold dropped)."""
    kept = "".join(c for c in text if c in "\t\n" or (" " <= c and c not in "\ufffe\uffff" and not "\ud800" <= c <= "\udfff"))
    return kept.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "")
