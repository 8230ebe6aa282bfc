"""An incremental build converts only the changed chapters of a volume's EPUB, and the book equals a full build's."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from despatch.config import load_config
from despatch.ebook import epub as epub_module
from despatch.ebook import reuse
from despatch.ebook import source as source_module
from despatch.site.build import build
from robust import corpus_project


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    root = corpus_project(tmp_path / "edition", limit=6, ebooks=True)
    build(load_config(root / "mkdocs.yml", workers=1))
    build(load_config(root / "mkdocs.yml", workers=1))  # the first build recorded the URL ledger
    return root


def _converted(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Build again in-process; the chapters converted from TEI (not taken from the last EPUB)."""
    seen: list[str] = []
    real = epub_module.chapter

    def counting(div, title, resolve, css="ebook.css", **options):  # noqa: ANN001, ANN003, ANN202
        seen.append(title)
        return real(div, title, resolve, css, **options)

    monkeypatch.setattr(epub_module, "chapter", counting)
    build(load_config(root / "mkdocs.yml", workers=1))
    return seen


def _edit(root: Path) -> Path:
    src = next(p for p in sorted((root / "content").rglob("*.txt")) if " the " in p.read_text(encoding="utf-8"))
    src.write_text(src.read_text(encoding="utf-8").replace(" the ", " the reprinted ", 1), encoding="utf-8")
    return src


def _epub(root: Path, volume: str) -> bytes:
    return (root / "build" / "site" / volume / f"{volume}.epub").read_bytes()


def test_only_the_edited_chapter_is_converted_and_the_book_equals_a_full_build(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _edit(edition)
    volume = src.parent.name
    others = len([p for p in src.parent.iterdir() if p.suffix in (".txt", ".xml")]) - 1
    assert others >= 1  # otherwise nothing could be reused and the test would prove nothing
    assert len(_converted(edition, monkeypatch)) == 1
    full = tmp_path / "full"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    assert _epub(full, volume) == _epub(edition, volume)
    assert "reprinted" in _text_of(edition, volume)


def _text_of(root: Path, volume: str) -> str:
    with zipfile.ZipFile(root / "build" / "site" / volume / f"{volume}.epub") as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))


def test_a_book_that_is_not_the_recorded_one_is_converted_whole(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _edit(edition)
    volume = src.parent.name
    book = edition / "build" / "site" / volume / f"{volume}.epub"
    with zipfile.ZipFile(book) as z:
        chapters = len([n for n in z.namelist() if n.startswith("EPUB/d") and n.endswith(".xhtml")])
    book.write_bytes(book.read_bytes() + b"\0")  # e.g. replaced by hand since the last build
    assert len(_converted(edition, monkeypatch)) == chapters
    assert "reprinted" in _text_of(edition, volume)


def test_unchanged_documents_are_not_parsed(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _edit(edition)
    parsed: list[str] = []
    real = source_module.document_div

    def counting(data: bytes, path: str, own: bool = False):  # noqa: ANN202
        parsed.append(path)
        return real(data, path, own)

    monkeypatch.setattr(source_module, "document_div", counting)
    assert len(_converted(edition, monkeypatch)) == 1
    assert parsed == [str(src.relative_to(edition))]


def test_a_book_compressed_by_another_zlib_is_converted_whole(
        edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _edit(edition)
    with zipfile.ZipFile(edition / "build" / "site" / src.parent.name / f"{src.parent.name}.epub") as z:
        chapters = len([n for n in z.namelist() if n.startswith("EPUB/d") and n.endswith(".xhtml")])
    monkeypatch.setattr(reuse, "_compressor", lambda: "0.0.0")
    assert len(_converted(edition, monkeypatch)) == chapters


def _deflated(root: Path, monkeypatch: pytest.MonkeyPatch, made: list[str]) -> list[str]:
    """Build again in-process; the entries of the EPUBs written that were compressed anew (not copied).
    ``made`` collects the volumes whose package documents were written again."""
    names: list[str] = []
    real, real_package = epub_module.write_zip, epub_module.package_documents

    def counting(path, entries):  # noqa: ANN001, ANN202
        names.extend(name for name, data in entries if isinstance(data, bytes) and name != "mimetype")
        return real(path, entries)

    def package(volume, *args):  # noqa: ANN001, ANN002, ANN202
        made.append(volume.id)
        return real_package(volume, *args)

    monkeypatch.setattr(epub_module, "write_zip", counting)
    monkeypatch.setattr(epub_module, "package_documents", package)
    build(load_config(root / "mkdocs.yml", workers=1))
    return sorted(names)


def test_an_edit_of_the_text_compresses_its_chapter_alone_and_equals_a_full_build(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = next(p for p in sorted((edition / "content").rglob("*.txt")) if " the " in p.read_text(encoding="utf-8")
               .split("\n\n", 1)[-1])
    head, _, body = src.read_text(encoding="utf-8").partition("\n\n")
    src.write_text(head + "\n\n" + body.replace(" the ", " the reprinted ", 1), encoding="utf-8")
    # No title, page or metadata changed: the package documents are copied, not even written again.
    made: list[str] = []
    assert _deflated(edition, monkeypatch, made) == [f"EPUB/{src.stem}.xhtml"]
    assert made == []
    full = tmp_path / "full"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    assert _epub(full, src.parent.name) == _epub(edition, src.parent.name)
    assert "reprinted" in _text_of(edition, src.parent.name)


def test_an_edited_title_compresses_the_contents_again_and_equals_a_full_build(
        edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = sorted((edition / "content").rglob("*.txt"))[0]
    text = src.read_text(encoding="utf-8")
    first = text.index(" ")
    src.write_text(text[:first] + " Retitled" + text[first:], encoding="utf-8")
    # The title is in the chapter and both tables of contents; the OPF names no document's title.
    made: list[str] = []
    assert _deflated(edition, monkeypatch, made) == sorted(["EPUB/nav.xhtml", f"EPUB/{src.stem}.xhtml", "EPUB/toc.ncx"])
    assert made == [src.parent.name]
    full = tmp_path / "full"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    assert _epub(full, src.parent.name) == _epub(edition, src.parent.name)
    with zipfile.ZipFile(edition / "build" / "site" / src.parent.name / f"{src.parent.name}.epub") as z:
        assert "Retitled" in z.read("EPUB/toc.ncx").decode("utf-8")


def test_edits_in_two_volumes_give_the_books_of_a_full_build(edition: Path, tmp_path: Path) -> None:
    edited: list[str] = []
    for folder in sorted(p for p in (edition / "content").iterdir() if p.is_dir()):
        src = next((p for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".xml")
                    and " the " in p.read_text(encoding="utf-8")), None)
        if src is not None and len(edited) < 2:
            src.write_text(src.read_text(encoding="utf-8").replace(" the ", " the twice ", 1), encoding="utf-8")
            edited.append(folder.name)
    assert len(edited) == 2
    result = build(load_config(edition / "mkdocs.yml", workers=1))
    assert result.incremental
    full = tmp_path / "full"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    for volume in edited:
        assert _epub(full, volume) == _epub(edition, volume)
        assert "twice" in _text_of(edition, volume)


def test_an_unchanged_documents_tei_is_taken_from_the_live_site(tmp_path: Path) -> None:
    from despatch.ebook.site import volume_docs
    from despatch.model import DocRecord

    staged, live = tmp_path / "staged", tmp_path / "live"
    (staged / "v").mkdir(parents=True)
    (live / "v").mkdir(parents=True)
    (staged / "v" / "d1.xml").write_text("<new/>", encoding="utf-8")
    records = [DocRecord(volume="v", id=i, n=i[1:], title=i, source=f"content/v/{i}.txt") for i in ("d1", "d2")]
    assert [p for _, p in volume_docs(staged, "v", records, live)] == [str(staged / "v" / "d1.xml"),
                                                                       str(live / "v" / "d2.xml")]
    # A full build stages every document's TEI: no live site to look in.
    assert [p for _, p in volume_docs(staged, "v", records)] == [str(staged / "v" / "d1.xml"),
                                                                 str(staged / "v" / "d2.xml")]
