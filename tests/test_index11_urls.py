"""Paths as the ledger writes them ('/vol/d1/') normalise by the full rules; sitemap rows are absolute_url's."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from despatch.urls.scheme import _normalize, absolute_url, normalize
from despatch.urls.sitemap import SitemapWriter

SEGMENTS = ["a", "vol", "d1", "d1.xml", "index.html", "", ".", " ", "x y", "#f", "#", "\u00a0", "\n", "/"]
slashed = st.lists(st.sampled_from(SEGMENTS), max_size=5).map(lambda parts: "/" + "/".join(parts))


@profile()
@given(slashed | st.text(max_size=20).map(lambda text: "/" + text))
@example("/vol/d1/")
@example("/vol/d1.xml")
@example("/vol/index.html")
@example("/ vol/")
@example("//vol/")
@example("/vol/d1/ ")
@example("/")
def test_a_leading_slash_normalises_by_the_full_rules(path: str) -> None:
    assert normalize(path) == _normalize.__wrapped__(path)


def test_sitemap_rows_are_absolute_urls(tmp_path: Path) -> None:
    paths = ["", "vol/", "vol/d1/", "a&b/", "x/index.html", "/y", "vol/d1.xml"]
    for prefix in ("", "historicaldocuments/", "pre"):
        config = SimpleNamespace(site_url="https://example.org/base/", url_prefix=prefix)
        writer = SitemapWriter(tmp_path, config)
        writer.add([(p, "2020-01-01" if p else "") for p in paths])
        assert writer.close() == ["sitemap.xml"]
        text = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
        for p in paths:
            loc = absolute_url(config, p).replace("&", "&amp;")
            assert f"<url><loc>{loc}</loc>" in text
