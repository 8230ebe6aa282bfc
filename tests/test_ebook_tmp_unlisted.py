"""An ebook being written is not a published URL: its temporary file is one the URL ledger leaves out."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.ebook.package import write_zip
from despatch.urls.ledger import walk_urls


def test_an_ebook_caught_mid_write_is_not_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "vol").mkdir(parents=True)
    (site / "vol" / "index.html").write_text("x")
    seen: list[list[str]] = []
    real = Path.replace

    def replace(self: Path, target: Path) -> Path:  # the moment before the rename: the walk runs now
        seen.append(sorted(walk_urls(site)))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    write_zip(site / "vol" / "vol.epub", [("mimetype", b"application/epub+zip")])
    assert seen == [["vol/"]]
    assert sorted(walk_urls(site)) == ["vol/"]  # the finished ebook is left out as before
