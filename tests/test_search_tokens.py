"""A volume's summary takes each page's words lowered whole, then split: the same tokens as split, then lowered."""

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from despatch.search.summary import tokens


def by_token(content: str) -> set[str]:
    """The way the summary took them before: split first, each token lowered."""
    return {token.lower() for token in content.split()}


def test_no_character_lowers_to_or_from_whitespace() -> None:
    """What makes the two the same, checked over every code point."""
    for cp in range(sys.maxunicode + 1):
        char = chr(cp)
        lowered = char.lower()
        assert any(c.isspace() for c in lowered) == char.isspace(), hex(cp)
        assert not char.isspace() or lowered == char, hex(cp)


def test_cases_that_change_length() -> None:
    content = "İstanbul ΣΟΦΙΑ\u2003Straße\u00a0ǅemal \t\nﬁnal"
    assert tokens(content) == by_token(content)
    assert "i̇stanbul" in tokens(content)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
       | st.lists(st.sampled_from(["Word", "İ", "Σ", " ", "\u3000", "\x1c", "\u2028", "ﬃ", "ς", "Ὰ"]),
                  max_size=40).map("".join))
def test_same_tokens(content: str) -> None:
    assert tokens(content) == by_token(content)
