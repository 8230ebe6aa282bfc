"""A document's note shortcut pages are the redirect pages the general rule writes, under any prefix."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from despatch.model import DocRecord
from despatch.render.env import make_env
from despatch.urls.notepages import write_note_pages
from despatch.urls.redirects import note_redirects, write_redirect_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("prefix,site_url", [("", "https://example.org/"), ("historicaldocuments/", ""),
                                             ("a/b/", "https://example.org/base/")])
def test_note_pages_equal_the_general_redirect_pages(tmp_path: Path, prefix: str, site_url: str) -> None:
    cfg = SimpleNamespace(site_url=site_url, url_prefix=prefix, version="1.2", release_date="2026-11-28", raw={})
    env = make_env(ROOT / "templates")
    rec = DocRecord(volume="v1", id="d13", n="13", title="t", anchors=["d13", "d13fn1", "d13fn2", "d13fn10", "x"])
    write_note_pages(tmp_path / "fast", rec, cfg, env)
    notes = note_redirects([rec])
    assert len(notes) == 3
    for old, new in notes.items():
        write_redirect_page(tmp_path / "full", old, new, cfg, env.get_template("redirect.html"))
        page = f"{prefix}{old}index.html"
        assert (tmp_path / "fast" / page).read_bytes() == (tmp_path / "full" / page).read_bytes()
