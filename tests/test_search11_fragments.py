"""Some fields of a Pagefind fragment, read without the rest: the values ``json.loads`` gives of the whole."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from despatch.search import fragments
from despatch.search.fragments import fields
from despatch.search.summary import read_fragment

WANTED = frozenset({"url", "content", "filters"})


def fragment(tmp_path: Path, text: str, name: str = "f.pf_fragment") -> Path:
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"pagefind_dcd" + text.encode("utf-8"), mtime=0))
    return path


def as_pagefind(content: str, anchors: int = 40) -> str:
    value = {"url": "/d1/", "content": content, "word_count": len(content.split()),
             "filters": {"year": ["1958"], "type": ["telegram"]}, "meta": {"title": "1. Telegram"},
             "anchors": [{"element": "p", "id": f"p{i}", "text": content[:200], "location": i} for i in range(anchors)]}
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("content", [
    "Short.", "Berlin’s “reply” — café " * 20, "é" * (fragments.FIRST // 2 - 40), "x" * (3 * fragments.FIRST),
    "a \\ \" \u2028 \ud7ff \U0001f600 " * 300])
def test_the_fields_are_those_of_the_whole_fragment(tmp_path: Path, content: str) -> None:
    path = fragment(tmp_path, as_pagefind(content))
    whole = read_fragment(path)
    assert fields(path, WANTED) == {k: whole[k] for k in ("url", "content", "word_count", "filters")}
    assert fields(path, frozenset({"anchors"})) == whole
    assert fields(path, frozenset({"nothing"})) == whole


def test_a_character_cut_by_the_first_bytes_inflated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for first in range(20, 40):  # "é" is two bytes: some of these cut it in two
        monkeypatch.setattr(fragments, "FIRST", first)
        path = fragment(tmp_path, as_pagefind("éé é’s", anchors=2))
        assert fields(path, WANTED)["content"] == "éé é’s"


def test_fields_in_another_order_with_spaces_and_missing(tmp_path: Path) -> None:
    path = fragment(tmp_path, ' { "content" : "a b" ,\n "url":"/x/" , "filters" : { } } ')
    assert fields(path, WANTED) == {"content": "a b", "url": "/x/", "filters": {}}
    path = fragment(tmp_path, '{"url":"/x/","meta":{}}')
    assert fields(path, WANTED) == {"url": "/x/", "meta": {}}
    assert fields(fragment(tmp_path, "{}"), WANTED) == {}


def test_what_is_not_json_is_an_error_as_before(tmp_path: Path) -> None:
    for text in ('{"url":"/x/","content":"a', '{"url" "/x/"}', "[1, 2]", '{"url":"/x/"', '{"url":"/x/",}'):
        path = fragment(tmp_path, text)
        with pytest.raises(ValueError):
            read_fragment(path)
        with pytest.raises(ValueError):
            fields(path, WANTED)


def test_a_stream_cut_short_gives_what_it_holds_or_an_error(tmp_path: Path) -> None:
    path = fragment(tmp_path, as_pagefind("word " * 4000))
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 3])
    with pytest.raises(ValueError):
        fields(path, WANTED)      # the text is cut inside its content
    path.write_bytes(data[:-8])     # only gzip's check and length lost: the fields are all there
    assert fields(path, WANTED)["url"] == "/d1/"


def test_a_number_cut_by_the_first_bytes_inflated_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fragment(tmp_path, '{"url":"/x/","word_count":123456789,"content":"a b"}')
    for first in range(len("pagefind_dcd{\"url\":\"/x/\",\"word_count\":"), 70):
        monkeypatch.setattr(fragments, "FIRST", first)
        assert fields(path, frozenset({"word_count"})) == {"url": "/x/", "word_count": 123456789}
