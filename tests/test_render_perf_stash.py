"""The render reads a cached conversion's div without unpickling its record: the same bytes as load_entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.model import Citation, DocRecord
from despatch.site import worker
from despatch.site.cache import load_entry, save_entry

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
    DIV.replace(b"Text", b"t" * 100),                       # under 256 bytes: SHORT_BINBYTES
    DIV.replace(b"Text", "é…\u2019".encode() * 500),        # a few KB: BINBYTES
    DIV.replace(b"Text", b"long " * 20_000),                # over 64 KB: the pickle frames it otherwise
    b'<div xmlns="http://www.tei-c.org/ns/1.0"/>',
    b"<div/>",                                              # no namespace: found by unpickling
])
def test_stashed_div_is_the_cached_div(tmp_path: Path, div: bytes) -> None:
    path = _stash(tmp_path, _record(), div)
    entry = load_entry(Path(path))
    assert entry is not None
    assert worker.stashed_div(path) == entry[1] == div


def test_a_record_holding_the_div_opening_is_not_mistaken_for_it(tmp_path: Path) -> None:
    title = '<div xmlns="http://www.tei-c.org/ns/1.0" xml:id="d9">'
    path = _stash(tmp_path, _record(title), DIV)
    assert worker.stashed_div(path) == DIV


@pytest.mark.parametrize("div", [DIV, DIV.replace(b"Text", b"words " * 1000)])
def test_the_fast_path_takes_the_bytes_without_unpickling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          div: bytes) -> None:
    path = _stash(tmp_path, _record(), div)
    monkeypatch.setattr(worker, "load_entry", lambda p: pytest.fail("unpickled"))
    assert worker.stashed_div(path) == div


def test_missing_and_damaged_entries_give_none(tmp_path: Path) -> None:
    assert worker.stashed_div(str(tmp_path / "absent.doc")) is None
    path = _stash(tmp_path, _record(), DIV)
    data = Path(path).read_bytes()
    for cut in (data[:-1], data[: len(data) // 2], b""):
        Path(path).write_bytes(cut)
        assert worker.stashed_div(path) is None
