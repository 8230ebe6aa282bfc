"""`despatch serve`'s preview rebuilds: the edited page at once, everything else at the next build."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from despatch.config import load_config
from despatch.site.build import BuildFailed, build
from despatch.site.preview import preview
from robust import corpus_project, tree_digest


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    root = corpus_project(tmp_path / "edition", tei=False, ebooks=True, limit=8)
    build(load_config(root / "mkdocs.yml", workers=1))
    build(load_config(root / "mkdocs.yml", workers=1))  # the ledger the first build recorded is settled
    return root


def _edit(root: Path, old: str = " the ", new: str = " the previewed ") -> Path:
    """Change a word in the body of a document (not its title, which its neighbours' pages show)."""
    src = next(p for p in sorted((root / "content").rglob("*.txt")) if old in p.read_text(encoding="utf-8").split("\n", 1)[1])
    title, body = src.read_text(encoding="utf-8").split("\n", 1)
    src.write_text(title + "\n" + body.replace(old, new, 1), encoding="utf-8")
    return src


def test_a_preview_renders_only_the_edited_page_and_the_next_build_catches_up(edition: Path, tmp_path: Path) -> None:
    site = edition / "build" / "site"
    before = tree_digest(site)
    src = _edit(edition)
    result = preview(load_config(edition / "mkdocs.yml", workers=1))
    assert result.stats.get("preview") and result.rendered == 1
    page = f"{src.parent.name}/{src.stem}/index.html"
    after = tree_digest(site)
    assert "previewed" in (site / page).read_text(encoding="utf-8")
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert changed == sorted([page, f"{src.parent.name}/{src.stem}.xml"])
    # A second preview with nothing new renders nothing.
    assert preview(load_config(edition / "mkdocs.yml", workers=1)).rendered == 0
    # The next build brings index pages, ebook and search up to date: the site equals a full build's.
    build(load_config(edition / "mkdocs.yml", workers=1))
    full = tmp_path / "full"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    assert tree_digest(full / "build" / "site") == tree_digest(site)


def test_a_removed_document_is_checked_by_a_full_build(edition: Path) -> None:
    victim = sorted((edition / "content").rglob("*.txt"))[0]
    victim.unlink()
    with pytest.raises(BuildFailed) as failed:
        preview(load_config(edition / "mkdocs.yml", workers=1))
    assert any("would drop the published URL" in d.message for d in failed.value.report.errors)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_despatch_serve_shows_an_edit(edition: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", "from despatch.cli import main; raise SystemExit(main())",
                             "serve", "-f", str(edition / "mkdocs.yml"), "--port", str(port)],
                            cwd=edition, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        src = next(p for p in sorted((edition / "content").rglob("*.txt"))
                   if " the " in p.read_text(encoding="utf-8").split("\n", 1)[1])
        url = f"http://127.0.0.1:{port}/{src.parent.name}/{src.stem}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                assert "served edit" not in _get(url)
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        _edit(edition, new=" the served edit ")
        deadline = time.monotonic() + 60
        while "served edit" not in _get(url):
            assert time.monotonic() < deadline, "the edit never reached the served page"
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_mkdocs_serve_shows_an_edit(edition: Path) -> None:
    (edition / "content" / "index.md").write_text("# Test edition\n", encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(edition / "mkdocs.yml"),
                             "-a", f"127.0.0.1:{port}"],
                            cwd=edition, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        src = next(p for p in sorted((edition / "content").rglob("*.txt"))
                   if " the " in p.read_text(encoding="utf-8").split("\n", 1)[1])
        url = f"http://127.0.0.1:{port}/{src.parent.name}/{src.stem}/"
        deadline = time.monotonic() + 90
        while True:
            try:
                page = _get(url)
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
                assert time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.3)
        assert "served edit" not in page
        # MkDocs' own home page, despatch's pages and stylesheet, side by side in one served site.
        assert "Test edition" in _get(f"http://127.0.0.1:{port}/")
        assert _get(f"http://127.0.0.1:{port}/assets/despatch.css")
        _edit(edition, new=" the served edit ")
        deadline = time.monotonic() + 90
        while "served edit" not in _get(url):
            assert time.monotonic() < deadline, "the edit never reached the served page"
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
