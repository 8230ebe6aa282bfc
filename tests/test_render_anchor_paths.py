"""A page's paragraph anchors made from the raw text's opening equal those made from the folded whole text."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile
from lxml import etree

from despatch.render.html import tei_to_html
from despatch.render.linker import Linker
from despatch.render.markup import raw_text
from despatch.urls import anchors
from despatch.urls.anchors import folded_anchor, paragraph_anchor

PIECES = ["US", "policy", "é", "France's", "memcon.1", "[Page 12]", "[Page", "]", "\u2019", "12", "a", "ß", " ",
          "  ", "\n", "\n    ", "\t", "\u00a0", "\u2028", "café.3", "policy,2", "e\u0301", "word" * 15, "&", "<"]
raw_texts = st.lists(st.sampled_from(PIECES), max_size=120).map("".join) | st.text(max_size=300)
TEI = "http://www.tei-c.org/ns/1.0"


@profile()
@given(raw_texts, st.sampled_from([set(), {"d1-p-us-policy"}]))
@example("  US  policy\n   " + "policy " * 30, set())
@example("\n  [Page\n 12]  " + "x " * 80, set())
def test_folded_anchor_is_the_anchor_of_the_folded_text(raw: str, taken: set[str]) -> None:
    folded = " ".join(raw.split())
    expected = paragraph_anchor("d1", folded, taken)
    assert folded_anchor("d1", raw, taken) == expected
    taken = taken | {expected}  # a second paragraph opening alike takes the long way, with the same answer
    assert folded_anchor("d1", raw, taken) == paragraph_anchor("d1", folded, taken)


@profile()
@given(raw_texts, st.integers(min_value=1, max_value=20))
def test_the_first_opening_gives_the_same_words(text: str, count: int) -> None:
    assert anchors.opening_words(text, count) == anchors.words(text)[:count]


def test_raw_text_is_what_itertext_joins() -> None:
    div = etree.fromstring(f'<div xmlns="{TEI}"><p>a <hi>b<!-- c --> d<?pi e?></hi>\n  f<note>g &amp; h</note>'
                           f'tail</p>not this</div>')
    assert raw_text(div[0]) == "".join(div[0].itertext()) == "a b d\n  fg & htail"


def test_page_anchors_fold_the_layout_of_the_xml() -> None:
    div = etree.fromstring(f'<div xmlns="{TEI}" xml:id="d1"><p>The  first\n   paragraph of the <hi>document</hi>'
                           f' {"goes on " * 20}</p><p>The first paragraph of the document again</p></div>')
    body = str(tei_to_html(div, "v/d1/", Linker("v"), folded_anchor).body_html)
    assert 'id="d1-p-the-first-paragraph-of-the"' in body
    assert 'id="d1-p-the-first-paragraph-of-the-document"' in body  # the second one takes a sixth word
