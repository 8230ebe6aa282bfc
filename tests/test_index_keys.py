"""An index page's key: what its bytes depend on, the navigation among them, however many pages share a memo."""

from __future__ import annotations

from despatch.site.pagekey import page_key
from despatch.site.pages import Page


def nav(*paths: str) -> list[dict[str, str]]:
    return [{"path": p, "title": p.title()} for p in paths]


def test_the_navigation_keys_every_page_whatever_the_memo_holds() -> None:
    page = Page("v1/pg_3/", "page_printed.html", {"n": "3", "links": [{"path": "v1/d1/"}]})
    keyed = Page("v1/", "volume.html", {}, keyed="k1")
    one, two = nav("search/", "archives/"), nav("search/")
    for p in (page, keyed):
        assert page_key("b", p, one, {}) == page_key("b", p, nav("search/", "archives/"), {})  # by value
        memo: dict = {}
        shared = [page_key("b", p, one, memo), page_key("b", p, two, memo), page_key("b", p, one, memo)]
        assert shared == [page_key("b", p, one, {}), page_key("b", p, two, {}), page_key("b", p, one, {})]
        assert shared[0] != shared[1]
