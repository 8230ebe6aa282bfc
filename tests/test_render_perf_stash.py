"""The render reads a cached conversion's div without making its record: the same bytes as load_entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.model import Citation, DocRecord
from despatch.site import cacheentry
from despatch.site.cacheentry import load_div, load_entry, save_entry

DIV = b'<div xmlns="http://www.tei-c.org/ns/1.0" xml:id="d1" type="document"><head>One</head><p>Text</p></div>'


def _record(title: str = "1. Telegram") -> DocRecord:
    return DocRecord(volume="v", id="d1", n="1", title=title, source="content/v/d1.txt", anchors=["d1fn1"],
                     citations=[Citation(repository="NARA", collection="RG 59")])


def _stash(tmp_path: Path, record: DocRecord, div: bytes, name: str = "x.doc") -> str:
    path = tmp_path / name
    save_entry(path, record, div)
    return str(path)


@pytest.mark.parametrize("div", [
    DIV,
    DIV.replace(b"Text", b"t" * 100),
    DIV.replace(b"Text", "é…\u2019".encode() * 500),
    DIV.replace(b"Text", b"long " * 20_000),                # over 64 KB
    b'<div xmlns="http://www.tei-c.org/ns/1.0"/>',
    b"<div/>",
    b"",
])
def test_stashed_div_is_the_cached_div(tmp_path: Path, div: bytes) -> None:
    path = _stash(tmp_path, _record(), div)
    entry = load_entry(Path(path))
    assert entry is not None
    assert load_div(path) == entry[1] == div


def test_a_record_holding_the_div_is_not_mistaken_for_it(tmp_path: Path) -> None:
    title = '<div xmlns="http://www.tei-c.org/ns/1.0" xml:id="d9">'
    path = _stash(tmp_path, _record(title), DIV)
    assert load_div(path) == DIV


@pytest.mark.parametrize("div", [DIV, DIV.replace(b"Text", b"words " * 1000)])
def test_the_div_is_taken_without_reading_the_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          div: bytes) -> None:
    path = _stash(tmp_path, _record(), div)
    monkeypatch.setattr(cacheentry, "record_from_row", lambda row: pytest.fail("record made"))
    monkeypatch.setattr(cacheentry.marshal, "loads", lambda data: pytest.fail("row read"))
    assert load_div(path) == div


def test_missing_and_damaged_entries_give_none(tmp_path: Path) -> None:
    assert load_div(str(tmp_path / "absent.doc")) is None
    path = _stash(tmp_path, _record(), DIV)
    data = Path(path).read_bytes()
    for cut in (data[:-1], data[: len(data) // 2], b""):
        Path(path).write_bytes(cut)
        assert load_div(path) is None


class Text(str):
    """A string subclass, which marshal cannot write: its entry is a pickle."""


def test_an_entry_pickled_whole_gives_its_div(tmp_path: Path) -> None:
    path = _stash(tmp_path, _record(Text("1. Telegram")), DIV)
    assert not Path(path).read_bytes().startswith(cacheentry._ENTRY)
    assert load_div(path) == DIV


def test_an_entry_longer_than_it_says_is_damaged(tmp_path: Path) -> None:
    path = _stash(tmp_path, _record(), DIV)
    Path(path).write_bytes(Path(path).read_bytes() + b"x")
    assert load_div(path) is None
    assert load_entry(Path(path)) is None
