"""A path already in canonical form is returned as it is: every path normalises as the full rules say."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from despatch.urls.scheme import _normalize, normalize

SEGMENTS = ["a", "vol", "d1", "d1.xml", "index.html", "", ".", "..", " ", "x y", "#f", "#", "\u00a0", "\n"]
paths = st.lists(st.sampled_from(SEGMENTS), max_size=5).map("/".join) | st.text(max_size=30)


@profile()
@given(paths)
@example("vol/d1/")
@example("vol/index.html")
@example("a/ ")
@example("vol/d1.xml#x")
def test_normalize_is_the_full_rules(path: str) -> None:
    assert normalize(path) == _normalize.__wrapped__(path)
