"""Writing site files: folders made on demand, string and Path names alike, bytes as given."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.files import read_file, write_file, write_page


@pytest.mark.parametrize("as_text", [True, False])
def test_a_page_makes_its_folder_and_a_file_its_missing_parents(tmp_path: Path, as_text: bool) -> None:
    page, data = tmp_path / "vol" / "d1" / "index.html", tmp_path / "a" / "b" / "d1.xml"
    (tmp_path / "vol").mkdir()
    write_page(str(page) if as_text else page, "<p>é</p>\n")
    write_file(str(data) if as_text else data, b"<TEI/>")
    assert page.read_bytes() == "<p>é</p>\n".encode()
    assert data.read_bytes() == b"<TEI/>"


def test_a_page_whose_folder_is_missing_higher_up_and_one_in_the_working_folder(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write_page(str(tmp_path / "x" / "y" / "index.html"), "deep")
    monkeypatch.chdir(tmp_path)
    write_page("index.html", "here")
    write_file("index.html", b"again")   # rewritten whole, not appended
    assert (tmp_path / "x" / "y" / "index.html").read_text() == "deep"
    assert Path("index.html").read_bytes() == b"again"


@pytest.mark.parametrize("new_folder", [True, False, None])
@pytest.mark.parametrize("there", [True, False])
def test_a_page_is_written_whether_its_folder_is_there_or_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              new_folder: bool | None, there: bool) -> None:
    import os

    page = tmp_path / "vol" / "d1" / "index.html"
    if there:
        page.parent.mkdir(parents=True)
    made: list[str] = []
    real_mkdir = os.mkdir
    monkeypatch.setattr(os, "mkdir", lambda p, *a: made.append(str(p)) or real_mkdir(p, *a))
    write_page(str(page), "<p>x</p>", new_folder=new_folder)
    assert page.read_text() == "<p>x</p>"
    # A folder said to be there is not made first: only when opening the file found it missing.
    assert bool(made) == (new_folder is not False or not there)


def test_read_file_gives_a_files_bytes(tmp_path: Path) -> None:
    for name, data in (("empty", b""), ("small", b"<div/>\r\n"), ("large", bytes(range(256)) * 20_000)):
        (tmp_path / name).write_bytes(data)
        assert read_file(str(tmp_path / name)) == data
    with pytest.raises(FileNotFoundError):
        read_file(str(tmp_path / "absent"))
