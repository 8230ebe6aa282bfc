"""The EPUB's package documents, written as text: the bytes ebooklib wrote, escaping as lxml does."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from pathlib import Path

import pytest
from lxml import etree

from despatch.ebook import write_epub
from despatch.ebook.book import package_entries
from despatch.ebook.opf import attr, text
from despatch.ebook.package import Packed, deflate
from despatch.ebook.reuse import Chapters
from despatch.errors import SourceError
from despatch.model import DocRecord
from despatch.volume import Volume

# Written by the ebooklib 0.20 packager this replaced, but for the generator line (now "despatch") and
# the tricky book's second editor, whose id is now "creator-2" (ebooklib gave both editors the id "creator").
GOLDEN = Path(__file__).parent / "golden" / "ebook"
TRICKY = Volume(id="v&1", title='Relations & "Affairs" <1961–1963>, Volume\u00a0II \'n\' ]]> ok',
                series="Series", editors=["Ann O'Hara & Co", "Bob <Smith>"], publisher="Office & Sons",
                year="1994")
CASES = {
    "tricky": (TRICKY, "urn:x?a=1&b=\"2\"", dt.datetime(2026, 11, 28, 13, 5, 9),
               [("d1", "d1.xhtml", b"<c1/>"), ("d2", "d2.xhtml", b"<c2/>"), ("d3", "d3.xhtml", b"<c3/>"),
                ("d10", "d10.xhtml", b"<c10/>")],
               [("d1.xhtml", "1. Telegram & <Memo> \"quoted\" 'single'", ""),
                ("d2.xhtml", "", "Chapter A & B"), ("d3.xhtml", "3. Third ]]> \t tab\r\nline", "Chapter A & B"),
                ("d10.xhtml", "10. Tenth é 漢字 \U0001F600", "")],
               [("d1.xhtml#pg_1", "1"), ("d3.xhtml#pg_x&y", "<ii>")]),
    "plain": (Volume(id="v2", title="Plain"), "", dt.datetime(2000, 1, 1), [], [], []),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_package_documents_are_the_bytes_ebooklib_wrote(case: str) -> None:
    entries = dict(package_entries(*CASES[case]))
    folder = GOLDEN / case
    assert list(entries) == json.loads((folder / "entries.json").read_text(encoding="utf-8"))
    golden = sorted(p.name for p in folder.iterdir() if p.name != "entries.json")
    assert len(golden) == 6  # every entry but the stylesheet and the chapters
    for name in golden:
        assert entries[name.replace("_", "/", 1)] == (folder / name).read_bytes(), name


@pytest.mark.parametrize("value", ["plain", "", "a&b<c>d\"e'f", "]]>", "tab\there", "cr\rlf\nend",
                                   "\u00a0é漢字\U0001F600", "&amp; already", "  spaced  "])
def test_escaping_is_lxmls(value: str) -> None:
    el = etree.Element("e", a=value)
    el.text = value
    assert etree.tostring(el, encoding="unicode") == f'<e a="{attr(value)}">{text(value)}</e>'


def test_a_character_xml_does_not_allow_is_named_with_the_book(tmp_path: Path) -> None:
    doc = (b'<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="d1" n="1">'
           b"<head>One</head><p>Text.</p></div>")
    rec = DocRecord(volume="v", id="d1", n="1", title="One", source="content/v/d1.xml")
    with pytest.raises(SourceError) as err:
        write_epub(Volume(id="v", title="V"), [(rec, doc)], tmp_path / "v.epub", identifier="urn:\x01")
    assert f"{tmp_path / 'v.epub'}:1:1" in str(err.value)
    assert "U+0001" in str(err.value)


def test_an_entry_is_copied_only_when_it_holds_the_same_bytes(tmp_path: Path) -> None:
    chapters = Chapters(tmp_path / "none.json")
    data = b"<ncx>" + b"same " * 50 + b"</ncx>"
    chapters._packed["EPUB/toc.ncx"] = Packed(zlib.crc32(data), len(data), deflate(data))
    assert chapters.same("EPUB/toc.ncx", data) == chapters._packed["EPUB/toc.ncx"]
    assert chapters.same("EPUB/toc.ncx", data.replace(b"same", b"sane", 1)) is None
    assert chapters.same("EPUB/nav.xhtml", data) is None
    # Same length and checksum yet other bytes: a stored entry that does not inflate to them is not copied.
    chapters._packed["EPUB/toc.ncx"] = Packed(zlib.crc32(data), len(data), deflate(data[::-1]))
    assert chapters.same("EPUB/toc.ncx", data) is None
