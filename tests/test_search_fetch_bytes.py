"""What the first-search benchmark counts as bytes on the wire."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks.search_fetch import wire_bytes


def test_a_folder_is_counted_as_its_page_gzipped_and_pagefind_files_as_stored(tmp_path: Path) -> None:
    page = b"<!doctype html><title>Search</title>" + b"<p>volume</p>" * 500
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.html").write_bytes(page)
    index = bytes(range(256)) * 4
    (tmp_path / "en_1.pf_index").write_bytes(index)
    listing = b'{"volumes": []}' * 100
    (tmp_path / "list.json").write_bytes(listing)
    sent = [("/search/?q=nuclear", len(page)), ("/en_1.pf_index", len(index)), ("/list.json", len(listing))]
    gz = [len(gzip.compress(data, 6, mtime=0)) for data in (page, listing)]
    assert wire_bytes(tmp_path, sent) == gz[0] + len(index) + gz[1]
    assert gz[0] < len(page) // 10   # the page, sent by the server compressed, not as stored
