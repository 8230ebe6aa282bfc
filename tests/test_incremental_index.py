"""Incremental builds make only the index pages whose documents changed, and still equal a full build."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from robust import tree_digest

from despatch.cli import main
from despatch.config import load_config
from despatch.site import indexpages
from despatch.site.build import build
from despatch.site.indexplan import Plan
from despatch.site.result import BuildFailed, BuildResult

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402

VOL = "frus1958-60v1"
OTHER = "frus1961-63v1"
Edit = Callable[[Path], None]


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """Forty generated documents in two volumes (archive files, dates, printed pages), built once."""
    generate(tmp_path / "gen", 40, seed=5, per_volume=20)
    root = tmp_path / "gen" / "despatch"
    _build(root)
    return root


def _build(root: Path, incremental: bool = True) -> BuildResult:
    """Build without search (whose index is not byte-stable) and with ebooks, as configured."""
    return build(load_config(root / "mkdocs.yml", workers=1, search=False), incremental=incremental)


def _build_accepting(root: Path) -> BuildResult:
    """Build; when a page the edit emptied (a month, a file, a printed page) would drop its URL, accept that."""
    try:
        return _build(root)
    except BuildFailed:
        assert main(["accept-urls", "-f", str(root / "mkdocs.yml")]) == 0
        return _build(root)


def _outputs(root: Path) -> dict[str, dict[str, str]]:
    out = {name: tree_digest(root / "build" / name) for name in ("site", "tei")}
    out["ledger"] = {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "content").glob("*.lock"))}
    return out


def _diff(a: dict[str, dict[str, str]], b: dict[str, dict[str, str]]) -> list[str]:
    return [f"{part}/{k}" for part in sorted(set(a) | set(b))
            for k in sorted(set(a[part]) | set(b[part])) if a[part].get(k) != b[part].get(k)]


def _same_as_full(root: Path, tmp_path: Path) -> None:
    """The site, TEI and ledger of ``root`` are those a full build of the same sources makes."""
    full = tmp_path / "full" / "despatch"
    shutil.rmtree(full.parent, ignore_errors=True)
    shutil.copytree(root, full, ignore=shutil.ignore_patterns("build"))
    _build(full, incremental=False)
    assert _diff(_outputs(full), _outputs(root)) == []


def _doc(root: Path, n: int, vol: str = VOL) -> Path:
    return root / "content" / vol / f"d{n}.txt"


def _replace(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, repl, text, count=1)
    assert count == 1, f"{pattern} not in {path.name}"
    path.write_text(new, encoding="utf-8")


def _inodes(root: Path) -> dict[str, int]:
    """The index pages of the site by the inode of their file (a page written again gets a new one)."""
    site = root / "build" / "site"
    return {str(p.relative_to(site)): p.stat().st_ino for p in site.rglob("index.html")
            if not re.fullmatch(r"d\d+(fn\d+)?", p.parent.name)}


def _sentence(root: Path) -> None:
    path = _doc(root, 7)
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines[2:], 2) if len(line) > 200 and not line.startswith("  "))
    lines[at] += " This sentence was added."
    path.write_text("\n".join(lines), encoding="utf-8")


def test_a_change_of_text_only_writes_no_index_page(edition: Path, tmp_path: Path) -> None:
    before = _inodes(edition)
    _sentence(edition)
    result = _build(edition)
    assert result.incremental and result.rendered == 1
    after = _inodes(edition)
    assert len(before) > 60 and after == before, "no index page shows a document's text"
    _same_as_full(edition, tmp_path)


def _file_number(root: Path) -> None:
    # Another file of the same collection: the document leaves one file's page for another's.
    _replace(_doc(root, 3), r"Central Files, \d{3}\.\d+", "Central Files, 611.9999")


def _date(root: Path) -> None:
    # The file number's date code dates the document: another year and month.
    _replace(_doc(root, 5), r"(Files, [0-9.]+/)\d+–\d+", r"\g<1>11–1162")


def _page_marker(root: Path) -> None:
    _replace(_doc(root, 9), r"\[Page (\d+)\]", "[Page 9999]")


def _title(root: Path) -> None:
    _replace(_doc(root, 12, OTHER), r"^(\d+)\. ", r"\1. Revised: ")


@pytest.mark.parametrize(("edit", "shown"), [(_file_number, "archives/department-of-state/central-files/611.9999/"),
                                             (_date, "chronology/"), (_page_marker, f"{VOL}/pg_9999/"),
                                             (_title, f"{OTHER}/index.html")])
def test_an_edit_of_what_index_pages_show_equals_a_full_build(edition: Path, tmp_path: Path, edit: Edit,
                                                              shown: str) -> None:
    before = _inodes(edition)
    edit(edition)
    assert _build_accepting(edition).incremental
    after = _inodes(edition)
    written = {k for k in after if before.get(k) != after[k]}
    assert any(k.startswith(shown) for k in written), f"{shown} shows the edit"
    untouched = OTHER if edit is not _title else VOL
    assert not any(k.startswith(f"{untouched}/pg_") for k in written), \
        "the printed pages of a volume without a changed document are kept"
    _same_as_full(edition, tmp_path)


def test_removing_a_document_equals_a_full_build(edition: Path, tmp_path: Path) -> None:
    _doc(edition, 4).unlink()
    with pytest.raises(BuildFailed):
        _build(edition)  # its URLs were published
    assert main(["accept-urls", "-f", str(edition / "mkdocs.yml")]) == 0
    assert _build(edition).incremental
    assert not (edition / "build" / "site" / VOL / "d4").exists()
    _same_as_full(edition, tmp_path)


def test_adding_a_volume_equals_a_full_build(edition: Path, tmp_path: Path) -> None:
    new = edition / "content" / "frus1958-60v9"
    new.mkdir()
    (new / "volume.yml").write_text("id: frus1958-60v9\ntitle: Volume IX\n", encoding="utf-8")
    shutil.copy(_doc(edition, 2), new / "d1.txt")
    _build(edition)
    assert (edition / "build" / "site" / "frus1958-60v9" / "pg_1" / "index.html").exists() or \
        (edition / "build" / "site" / "frus1958-60v9" / "chronology" / "index.html").exists()
    _same_as_full(edition, tmp_path)


def test_the_navigation_changing_writes_every_page_again(tmp_path: Path) -> None:
    """The first archive citation of an edition brings the Archives link into every page's header."""
    generate(tmp_path / "gen", 12, seed=5, per_volume=6)
    root = tmp_path / "gen" / "despatch"
    sources = sorted((root / "content").rglob("d*.txt"))
    notes = {p: p.read_text(encoding="utf-8") for p in sources}
    for p, text in notes.items():
        p.write_text(re.sub(r"(?m)^(  \d+\. ).*$", r"\1Not printed.", text), encoding="utf-8")
    _build(root)
    assert not (root / "build" / "site" / "archives").exists()
    sources[0].write_text(notes[sources[0]], encoding="utf-8")
    # Its documents were rendered with the last build's navigation: the build starts again as a full one.
    assert not _build(root).incremental
    assert (root / "build" / "site" / "archives" / "index.html").exists()
    assert all('href="../../archives/"' in (root / "build" / "site" / vol.name / p.stem / "index.html").read_text(
        encoding="utf-8") for vol in (root / "content").iterdir() if vol.is_dir() for p in vol.glob("d*.txt"))
    _same_as_full(root, tmp_path)


@pytest.mark.parametrize("edit", [_title, _page_marker])
def test_an_edit_undone_equals_a_full_build(edition: Path, tmp_path: Path, edit: Edit,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Back to the sources of a build before the last: the groups kept then are recorded as they are now."""
    sources = {p: p.read_bytes() for p in (edition / "content").rglob("*.txt")}
    edit(edition)
    _build_accepting(edition)
    for path, data in sources.items():
        path.write_bytes(data)
    plans: list[Plan] = []
    real = indexpages.write_all
    monkeypatch.setattr(indexpages, "write_all", lambda edition, pages, *a, **k: plans.append(pages) or
                        real(edition, pages, *a, **k))
    assert _build_accepting(edition).incremental
    made, kept = len(plans[-1].made), len(plans[-1].kept)
    assert 0 < made < kept / 4, "the groups the undone edit touched are made again, not all of them"
    _same_as_full(edition, tmp_path)


def test_a_printed_page_that_gains_a_document_joins_the_sitemap(edition: Path, tmp_path: Path) -> None:
    """A page of one document redirects to it and no sitemap lists it; with a second, it lists them.
    The site's files stay the same, so the URL products must know which pages redirect."""
    sitemap = edition / "build" / "site" / "sitemap.xml"
    found = {int(n): p for p in (edition / "content" / VOL).glob("d*.txt")
             for n in re.findall(r"\[Page (\d+)\]", p.read_text(encoding="utf-8"))}
    n = next(n for n in sorted(found) if f"/{VOL}/pg_{n}/<" not in sitemap.read_text(encoding="utf-8"))
    # Before the last paragraph of a document whose pages come before it (a document's pages go up).
    other = next(p for p in sorted((edition / "content" / VOL).glob("d*.txt")) if p != found[n] and
                 all(int(k) < n for k in re.findall(r"\[Page (\d+)\]", p.read_text(encoding="utf-8"))))
    _replace(other, r"(?m)^\n(?=[A-Z][^\n]{200,}$)(?![\s\S]*\n\n[A-Z][^\n]{200,}$)", f"\n[Page {n}]\n\n")
    assert _build_accepting(edition).incremental
    assert f"/{VOL}/pg_{n}/<" in sitemap.read_text(encoding="utf-8")
    _same_as_full(edition, tmp_path)


def test_a_note_taken_out_takes_its_address_along(edition: Path, tmp_path: Path) -> None:
    """A note's shortcut (``d7fn2/``) is written with its document; once the note is gone, so is it."""
    path, site = _doc(edition, 7), edition / "build" / "site" / VOL
    text = path.read_text(encoding="utf-8")
    last = int(re.findall(r"(?m)^  (\d+)\. ", text)[-1])   # listed N, marked N - 1, its id fn(N - 1)
    assert (site / f"d7fn{last - 1}" / "index.html").is_file()
    text = re.sub(rf"(?<=[a-z]){last - 1}(?=[\s.,;])", "", text, count=1)
    path.write_text(re.sub(r"\n  \d+\. [^\n]*\s*\Z", "\n", text), encoding="utf-8")
    assert _build_accepting(edition).incremental
    assert not (site / f"d7fn{last - 1}").exists() and (site / f"d7fn{last - 2}" / "index.html").is_file()
    _same_as_full(edition, tmp_path)
