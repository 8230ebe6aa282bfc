"""Chapters of TEI that lxml wrote with no "&": their texts go in unescaped, and the bytes are the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from despatch.ebook.chapter import chapter
from despatch.ebook.epub import resolver, write_epub
from despatch.ebook.source import Source, document_div
from despatch.tei.xmlio import TEI_NS, serialize
from hypothesis_profiles import profile
from test_ebook import VOLUME, volume_docs
from test_ebook_chapter import elements

# Pieces lxml writes as they are in text (a quote too); the other strategy's pieces bring in the "&".
SAFE = st.lists(st.sampled_from(list("ab '\"]é") + ["漢", "\U0001F600"]), max_size=6).map("".join)
NAME = st.lists(st.sampled_from(list("ab'é") + ["漢"]), min_size=1, max_size=4).map("".join)  # no quote: &quot;


def _div(body: list[etree._Element]) -> bytes:
    div = etree.Element(f"{{{TEI_NS}}}div", type="document", n="1")
    div.extend(body)
    return serialize(div)


def _both(data: bytes) -> tuple[bytes, bytes]:
    """The chapter of ``data`` with its texts searched for what to escape, and without."""
    resolve = resolver("v", {"d1": "d1.xhtml"}, "d2.xhtml", "https://example.org")
    div = document_div(data, "d.xml", own=True)
    return chapter(div, "T & <t>", resolve).html, chapter(div, "T & <t>", resolve, plain=True).html


@profile()
@given(st.lists(elements(), max_size=4))
def test_a_tree_without_an_ampersand_gives_the_same_chapter_unescaped(body: list[etree._Element]) -> None:
    data = _div(body)
    checked, plain = _both(data)
    if b"&" not in data:  # with one, the file is never taken as plain (the test below)
        assert plain == checked


@profile()
@given(st.lists(st.tuples(st.sampled_from(["p", "note", "pb", "hi", "persName", "label"]), SAFE, NAME), max_size=6))
def test_texts_and_ids_lxml_leaves_alone_are_written_alike(parts: list[tuple[str, str, str]]) -> None:
    div = etree.Element(f"{{{TEI_NS}}}div", type="document", n="1")
    for k, (name, value, label) in enumerate(parts):
        child = etree.SubElement(div, f"{{{TEI_NS}}}{name}", n=label)
        child.set("{http://www.w3.org/XML/1998/namespace}id", f"x{k}")
        child.text, child.tail = value, label
    data = serialize(div)
    assert b"&" not in data
    checked, plain = _both(data)
    assert plain == checked


def test_a_file_is_plain_only_without_an_ampersand_and_bytes_never(tmp_path: Path) -> None:
    rec, data = volume_docs()[0]
    clean, amp = tmp_path / "clean.xml", tmp_path / "amp.xml"
    clean.write_bytes(serialize(document_div(data, "d.xml")))
    tree = document_div(data, "d.xml")
    tree.append(etree.Element(f"{{{TEI_NS}}}p"))
    tree[-1].text = "A & B > C"
    amp.write_bytes(serialize(tree))
    sources = [Source(rec, source, "v", None) for source in (clean, amp, clean.read_bytes())]
    assert [src.plain for src in sources] == [True, False, False]


@pytest.mark.parametrize("extra", ["", "A &amp; B &gt; C"])
def test_an_epub_from_the_build_files_is_the_one_from_checked_bytes(tmp_path: Path, extra: str) -> None:
    docs, files = volume_docs(), []
    for rec, data in docs:
        div = document_div(data, rec.source)
        if extra:
            div.append(etree.fromstring(f'<p xmlns="{TEI_NS}">{extra}</p>'))
        path = tmp_path / f"{rec.id}.xml"
        path.write_bytes(serialize(div))   # as the build stages it: lxml's bytes
        files.append((rec, path))
    from_files = write_epub(VOLUME, [(rec, str(path)) for rec, path in files], tmp_path / "files.epub")
    from_bytes = write_epub(VOLUME, [(rec, path.read_bytes()) for rec, path in files], tmp_path / "bytes.epub")
    assert from_files.read_bytes() == from_bytes.read_bytes()
    assert (b"&" in (tmp_path / f"{docs[0][0].id}.xml").read_bytes()) == bool(extra)
