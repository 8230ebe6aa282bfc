"""An edition whose Markdown pages (MkDocs' docs_dir) are kept apart from its sources (``content_dir``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from robust import corpus_project, tree_digest

from despatch.config import load_config
from despatch.site.build import build
from despatch.watch import watched

ABOUT = "# About this edition\n\nTranscribed from the printed volumes.\n"


def _edition(root: Path, apart: bool) -> Path:
    """Eight documents and two Markdown pages, in content/ or in pages/ beside it."""
    root = corpus_project(root, tei=False, limit=8)
    pages = root / "content"
    if apart:
        yml = root / "mkdocs.yml"
        text = yml.read_text(encoding="utf-8").replace("docs_dir: content", "docs_dir: pages")
        yml.write_text(text.replace("      build_dir: build\n", "      build_dir: build\n      content_dir: content\n"),
                       encoding="utf-8")
        pages = root / "pages"
        pages.mkdir()
    (pages / "index.md").write_text("# Test edition\n\nAn introduction.\n", encoding="utf-8")
    (pages / "about.md").write_text(ABOUT, encoding="utf-8")
    return root


def test_the_sources_and_the_pages_are_read_from_their_own_folders(tmp_path: Path) -> None:
    root = _edition(tmp_path / "apart", apart=True)
    config = load_config(root / "mkdocs.yml")
    assert config.content_dir == (root / "content").resolve() and config.pages == (root / "pages").resolve()
    assert watched(config)[:2] == [config.content_dir, config.pages]  # `despatch serve` hears an edited page
    together = load_config(_edition(tmp_path / "together", apart=False) / "mkdocs.yml")
    assert together.pages == together.content_dir == (tmp_path / "together" / "content").resolve()


def test_pages_kept_apart_give_the_same_site(tmp_path: Path) -> None:
    sites = {}
    for apart in (False, True):
        root = _edition(tmp_path / str(apart), apart)
        result = build(load_config(root / "mkdocs.yml", workers=1))
        assert result.documents == 8 and not result.report.errors
        sites[apart] = tree_digest(root / "build" / "site")
    assert sites[True] == sites[False]
    assert "about/index.html" in sites[True]


def test_an_edited_page_kept_apart_is_built_again(tmp_path: Path) -> None:
    root = _edition(tmp_path / "apart", apart=True)
    build(load_config(root / "mkdocs.yml", workers=1))
    (root / "pages" / "about.md").write_text(ABOUT.replace("printed volumes", "typescripts"), encoding="utf-8")
    build(load_config(root / "mkdocs.yml", workers=1))
    assert "typescripts" in (root / "build" / "site" / "about" / "index.html").read_text(encoding="utf-8")


def test_mkdocs_builds_the_pages_apart_and_despatch_the_documents(tmp_path: Path) -> None:
    root = _edition(tmp_path / "apart", apart=True)
    build(load_config(root / "mkdocs.yml", workers=1))
    ours = tree_digest(root / "build" / "site")
    out = tmp_path / "mk-site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
                   check=True, cwd=root, capture_output=True, text=True)
    documents = [p for p in ours if p.count("/") == 2 and p.endswith("/index.html") and p.split("/")[1][1:].isdigit()]
    assert documents and all(tree_digest(out)[p] == ours[p] for p in documents)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "An introduction." in home and f'href="{documents[0].split("/")[0]}/"' in home  # MkDocs' page, with the volumes
    assert (out / "about" / "index.html").is_file() and not any(out.glob("*/d*.txt"))  # no source copied
