"""Fast paths of rendering give exactly what the plain versions give: escaping, relative URLs, anchors."""

from __future__ import annotations

import json
import posixpath
import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile
from markupsafe import escape

from despatch.render.jsontext import dumps_indented
from despatch.render.text import escape_text
from despatch.render.urls import _base, _by_segments, _relative_path, relative
from despatch.urls import anchors
from despatch.urls.scheme import _relpath

PIECES = ["US", "policy", "é", "France's", "France\u2019s", "memcon.1", "[Page 12]", "[Page", "]", "\u2019",
          "'", "12", "1234", "a", "\ufb01", "Ⅻ", "ß", " ", "  ", "\n", "\u00a0", "café.3", "\u201d2", "policy,2",
          "e\u0301", "\u0301", "word" * 15, "_", "٣", "&", "<", '"', ">"]
texts = st.lists(st.sampled_from(PIECES), max_size=120).map(" ".join) | st.text(max_size=300)
SEGMENTS = ["a", "b", "vol", "d1", "x.xml", "", ".", "..", ".hidden", "pg_3"]
paths = st.lists(st.sampled_from(SEGMENTS), max_size=5).map("/".join)
site_paths = st.lists(st.sampled_from(["a", "b", "vol", "d1", "x.xml", "pg_3"]), max_size=4).map("/".join)


def plain_words(text: str) -> list[str]:
    """The paragraph words as first written: every step applied to the whole text."""
    text = re.sub(r"(?<=[^\W\d_])[.,;:)\u201d\u2019\"']?\d{1,3}(?=\s|$)", "", re.sub(r"\[Page [^\]]*\]", " ", text))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = re.sub(r"(?<=\w)['\u2019](?=\w)", "", ascii_text.replace("\u2019", "'"))
    return re.findall(r"[a-z0-9]+", ascii_text.lower())


@profile()
@given(st.text())
def test_escape_text_is_markupsafe_escape(text: str) -> None:
    assert escape_text(text) == str(escape(text))


@profile()
@given(texts)
def test_words_match_the_plain_steps(text: str) -> None:
    assert anchors.words(text) == plain_words(text)


@profile()
@given(texts, st.integers(min_value=1, max_value=20))
def test_the_opening_of_a_paragraph_gives_its_first_words(text: str, count: int) -> None:
    assert anchors.opening_words(text, count) == plain_words(text)[:count]


def test_a_page_marker_cut_by_the_opening_is_not_read_as_words() -> None:
    text = "x " * 95 + "[Page " + "12 " * 20 + "] one two three four five"
    assert anchors.opening_words(text, 200) == plain_words(text)[:200]


@profile()
@given(paths, paths)
def test_relpath_is_posixpath_relpath(target: str, base: str) -> None:
    assert _relpath(target, base) == posixpath.relpath("/" + target, "/" + base)




@profile()
@given(site_paths, site_paths, st.sampled_from(["", "/"]), st.sampled_from(["", "/", "#f", "#", "/#f"]))
def test_relative_resolves_back_to_the_target(page: str, target: str, page_tail: str, tail: str) -> None:
    page, target = page + page_tail if page else page, target + tail
    url = relative(page, target)
    path, _, frag = target.partition("#")
    folder = page if page.endswith("/") or page == "" else posixpath.dirname(page)
    if url.startswith("#"):
        # A fragment of the folder the page is served from stays a bare fragment.
        assert url == "#" + frag and (not path or path.rstrip("/") == folder.rstrip("/"))
        return
    resolved = posixpath.normpath(posixpath.join("/", folder, url.partition("#")[0]))
    assert resolved == posixpath.normpath(posixpath.join("/", path))
    assert url.partition("#")[0].endswith("/") == (path == "" or path.endswith("/"))


@profile()
@given(site_paths | paths, (site_paths | paths).flatmap(lambda p: st.sampled_from([p, p + "/"])))
@example("a/b/", "a/").via("climbing to a folder")
@example("a/b/", "a/b").via("a file named like the page's folder")
@example("a/b/", "a/b/").via("the page's own folder")
def test_the_folder_prefix_walk_is_the_segment_walk(page: str, target: str) -> None:
    assert _relative_path(page, target) == (_by_segments(_base(page), target) if target else relative(page, ""))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)


@profile()
@given(json_values, st.integers(min_value=1, max_value=4))
def test_json_ld_text_is_json_dumps(value: object, indent: int) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    assert dumps_indented(value, indent=indent) == json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=True)
