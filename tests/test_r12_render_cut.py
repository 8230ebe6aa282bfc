"""A text cut at its stand-ins and filled gives the text with each stand-in replaced by its value."""

from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import profile
from lxml import etree

from despatch.tei.document import head_text
from despatch.tei.xmlio import title_text
from despatch.urls.standins import _CUT, _SLOTS, RAW, STANDINS, Cut, Map, Seq, cut

_MARKS = [*STANDINS, *RAW]
# Texts of plain words, braces, percent signs and the stand-ins (plain and percent-encoded) in any order.
_TEXT = st.lists(st.one_of(st.text(alphabet="ab {}%<&\"'\n", max_size=6), st.sampled_from(_MARKS)), max_size=12)
_VALUES = st.lists(st.text(alphabet="xyz {}%\ue0e0", max_size=5), min_size=len(_MARKS), max_size=len(_MARKS))


def _replaced(text: str, values: list[str]) -> str:
    """The text with each stand-in replaced by its slot's value, one match at a time (the general path)."""
    return _CUT.sub(lambda m: values[_SLOTS[m.group()]], text)


@profile()
@given(_TEXT, _VALUES)
def test_fill_replaces_every_standin(parts: list[str], values: list[str]) -> None:
    text = "".join(parts)
    made = cut(text)
    if not isinstance(made, Cut):
        assert _CUT.search(text) is None and made == text
        return
    assert made.fill(values) == _replaced(text, values)
    assert type(made.fill(values)) is str


@profile()
@given(_TEXT, _TEXT, _VALUES)
def test_nested_structures_fill_each_text(a: list[str], b: list[str], values: list[str]) -> None:
    value = {"x": "".join(a), "y": ["".join(b), ("".join(a), 3)], "z": 1}
    made = cut(value)
    expected = {"x": _replaced(value["x"], values), "y": [_replaced(value["y"][0], values),
                                                         (_replaced(value["x"], values), 3)], "z": 1}
    assert (made.fill(values) if isinstance(made, (Cut, Seq, Map)) else made) == expected


class _Text(str):
    """A str subclass: a Cut gives back the kind of text it was cut from."""


def test_fill_keeps_the_kind_of_text() -> None:
    made = cut(_Text(f"a{STANDINS[0]}b"))
    assert isinstance(made, Cut) and type(made.fill(["v"] * len(_MARKS))) is _Text
    assert made.fill(["v"] * len(_MARKS)) == "avb"


@profile()
@given(st.lists(st.sampled_from(["<head>t<note>n</note></head>", "<!-- c -->", "<p>p</p>", "<x:head>h</x:head>"]),
                max_size=4))
def test_head_text_is_the_first_head_child(children: list[str]) -> None:
    div = etree.fromstring(f'<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:x="urn:x">{"".join(children)}</div>')
    head = div.find("{http://www.tei-c.org/ns/1.0}head")
    assert head_text(div) == (title_text(head) if head is not None else "")
