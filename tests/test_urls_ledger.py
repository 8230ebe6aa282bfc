"""The URL ledger: what a site publishes, and the check that no recorded URL is dropped silently."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from despatch.errors import SourceError
from despatch.urls.ledger import HEADER, accept, accept_urls, check_ledger, grow_ledger, published_urls, \
    read_ledger, render_ledger, write_ledger


def make_site(root: Path, files: list[str]) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return root


def test_published_urls_lists_pages_and_files_but_not_theme_or_downloads(tmp_path: Path) -> None:
    site = make_site(tmp_path, [
        "index.html", "search/index.html", "v1/index.html", "v1/d1/index.html", "v1/d1.xml", "v1/v1.epub",
        "v1/d1/cite.bib", "v1/d1/cite.ris", "v1/d1/cite.json", "assets/despatch.css", ".stash/v1/d1.xml",
        "v1/pagefind/pagefind.js", "_redirects", "redirects.json", "urls.txt", "v1/references.bib",
        "v1/references.ris", "v1/references.json", "pagefind-changes/pagefind-entry.json",
        "pagefind-recent/pagefind-entry.json", "pagefind-recent/fragment/en_1.pf_fragment",
        "pagefind/pagefind-volumes.json", "archives/r/c/index.html", "archives/r/c/_2/index.html",
        "archives/r/c/f-2/index.html", "archives/r/c/f-2/_3/index.html",
    ])
    # A volume's ebook and references are derived downloads, as a document's citations are: an edit's
    # build writes them while the URLs are listed, so they are left out by name, not by timing.
    # Parts of a large archives collection are listings by position, not records: left out too.
    assert published_urls(site) == ["", "archives/r/c/", "archives/r/c/f-2/", "search/", "v1/", "v1/d1.xml", "v1/d1/"]


def test_published_urls_lists_known_pages_without_entering_them(tmp_path: Path) -> None:
    """Folders named as pages are listed as the walk would list them, and nothing else is skipped."""
    site = make_site(tmp_path, ["index.html", "v1/index.html", "v1/d1/index.html", "v1/d1fn1/index.html",
                                "v1/d1.xml", "v1/pg_3/index.html", "v1/archives/index.html"])
    known = frozenset({"v1/d1", "v1/d1fn1", "v1/d2"})
    assert published_urls(site, pages=known) == published_urls(site)
    (site / "v1" / "d1" / "stray.txt").write_text("x", encoding="utf-8")
    assert "v1/d1/stray.txt" not in published_urls(site, pages=known)   # not entered
    assert "v1/d1/stray.txt" in published_urls(site)


def test_ledger_text_is_sorted_deduplicated_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "urls.lock"
    write_ledger(["v1/d2/", "v1/d10/", "", "v1/d2", "/v1/d1.xml"], path)
    first = path.read_bytes()
    assert first.decode() == HEADER + "/\n/v1/d1.xml\n/v1/d10/\n/v1/d2/\n"
    write_ledger(["v1/d10/", "v1/d2/", "v1/d1.xml", ""], path)
    assert path.read_bytes() == first
    assert read_ledger(path) == [("", 5), ("v1/d1.xml", 6), ("v1/d10/", 7), ("v1/d2/", 8)]


def test_dropping_a_recorded_url_is_an_error_naming_it_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "urls.lock"
    write_ledger(["", "v1/", "v1/d1/", "v1/d2/"], path)
    diags = check_ledger(["", "v1/", "v1/d2/"], path, {})
    assert len(diags) == 1
    text = str(diags[0])
    assert diags[0].line == 7 and "/v1/d1/" in text and "redirects.yml" in text and "accept-urls" in text


def test_a_redirect_keeps_the_recorded_url(tmp_path: Path) -> None:
    path = tmp_path / "urls.lock"
    write_ledger(["v1/d1/", "v1/d1.xml"], path)
    assert check_ledger([], path, {"v1/d1": "v1/d2/", "v1/d1.xml": "v1/d2.xml"}) == []


def test_no_ledger_yet_means_nothing_to_lose(tmp_path: Path) -> None:
    assert check_ledger(["v1/"], tmp_path / "urls.lock", {}) == []


def test_grow_adds_but_never_removes(tmp_path: Path) -> None:
    path = tmp_path / "urls.lock"
    assert grow_ledger(["v1/d1/"], path) == ["v1/d1/"]
    assert grow_ledger(["v1/d2/"], path) == ["v1/d2/"]
    assert [p for p, _ in read_ledger(path)] == ["v1/d1/", "v1/d2/"]


def test_accept_urls_replaces_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "urls.lock"
    write_ledger(["v1/d1/", "v1/d2/"], path)
    assert accept_urls(["v1/d2/", "v1/d3/"], path) == (["v1/d3/"], ["v1/d1/"])
    assert path.read_text() == render_ledger(["v1/d2/", "v1/d3/"])


def test_accept_takes_the_last_builds_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = SimpleNamespace(build_dir=tmp_path / "build", content_dir=tmp_path / "content")
    assert accept(config) == 1
    assert "run `despatch build` first" in capsys.readouterr().out
    write_ledger(["v1/d2/"], config.build_dir / "urls.txt")
    write_ledger(["v1/d1/"], config.content_dir / "urls.lock")
    assert accept(config) == 0
    out = capsys.readouterr().out
    assert "dropped: /v1/d1/" in out and "1 URL(s) added, 1 dropped" in out
    assert [p for p, _ in read_ledger(config.content_dir / "urls.lock")] == ["v1/d2/"]


def test_a_malformed_ledger_line_is_a_positioned_error(tmp_path: Path) -> None:
    path = tmp_path / "urls.lock"
    path.write_text("# ledger\n/v1/d1/\n/v1/d2/ /v1/d3/\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_ledger(path)
    diag = err.value.diagnostics[0]
    assert (diag.line, diag.col) == (3, 1) and diag.found == "/v1/d2/ /v1/d3/"
