"""sitemap.xml and robots.txt: canonical URLs only, dates from the content, never from the clock."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import lxml.etree
import pytest

from despatch.tei.xmlio import safe_parser
from despatch.urls import sitemap
from despatch.urls.sitemap import lastmod, write_robots, write_sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CONFIG = SimpleNamespace(site_url="https://example.org/edition/", url_prefix="historicaldocuments/")


def locs(path: Path) -> list[str]:
    return lxml.etree.parse(str(path), safe_parser()).xpath("//s:loc/text()", namespaces=NS)


def test_sitemap_lists_absolute_urls_with_lastmod(tmp_path: Path) -> None:
    assert write_sitemap(tmp_path, [("v1/d2/", "2026-11-28"), ("v1/", ""), ("", "2026-01")], CONFIG) == ["sitemap.xml"]
    text = (tmp_path / "sitemap.xml").read_text()
    assert locs(tmp_path / "sitemap.xml") == ["https://example.org/edition/historicaldocuments/",
                                              "https://example.org/edition/historicaldocuments/v1/",
                                              "https://example.org/edition/historicaldocuments/v1/d2/"]
    assert "<lastmod>2026-11-28</lastmod>" in text and "<lastmod>2026-01</lastmod>" in text
    assert text.count("<lastmod>") == 2


def test_large_editions_get_a_sitemap_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemap, "LIMIT", 2)
    written = write_sitemap(tmp_path, [(f"v1/d{i}/", "2026-11-0" + str(i)) for i in range(1, 6)], CONFIG)
    assert written == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    assert locs(tmp_path / "sitemap.xml") == [f"https://example.org/edition/sitemap-{i}.xml" for i in (1, 2, 3)]
    assert len(locs(tmp_path / "sitemap-3.xml")) == 1


def test_no_site_url_no_sitemap(tmp_path: Path) -> None:
    assert write_sitemap(tmp_path, [("v1/", "")], SimpleNamespace(site_url="", url_prefix="")) == []
    write_robots(tmp_path, SimpleNamespace(site_url=""))
    assert (tmp_path / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"


def test_robots_points_at_the_sitemap(tmp_path: Path) -> None:
    write_robots(tmp_path, CONFIG)
    assert (tmp_path / "robots.txt").read_text().splitlines()[-1] == "Sitemap: https://example.org/edition/sitemap.xml"


@pytest.mark.parametrize("candidates,expected", [
    (("", "2026-11-28"), "2026-11-28"), (("2020-05-01T10:00:00", "2026"), "2020-05-01"),
    (("soon", ""), ""), (("1994",), "1994"),
])
def test_lastmod_takes_the_first_date(candidates: tuple[str, ...], expected: str) -> None:
    assert lastmod(*candidates) == expected
