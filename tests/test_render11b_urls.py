"""The rule for a target right in a document page's parent folder gives the general path's URL."""

import itertools

from despatch.render import urls
from despatch.render.urls import relative

PAGES = ["frus1961-63v13/d245/", "d1/", "a/b/c/", "frus1961-63v13/d24/", "a:b/d1/"]
TARGETS = ["frus1961-63v13/d245.xml", "frus1961-63v13/d246/", "frus1961-63v13/d2450/", "frus1961-63v13/d24/",
           "frus1961-63v13/", "frus1961-63v13/d1/x/", "frus1961-63v13/d1#n", "frus1961-63v13/../",
           "d2/", "d2.xml", "mailto:x", "x:y", "#fn1", "", "a/b/d/", "a/b/f.xml", "a/b/c.xml", "a:b/d2/",
           "a/b/d#x", "https://example.org/a/", "frus1961-63v13/d245fn1/"]


def _general(page: str, target: str) -> str:
    """The URL as worked out before the rule: from the parent folder, or from the page's own folders."""
    parent = urls._parent(page)
    if parent is not None and not target.startswith(page) and target[:1] != "/" and "//" not in target:
        return urls._from_child(parent, target)
    return urls._relative(page, target)


def test_sibling_rule_matches_general_path() -> None:
    for page, target in itertools.product(PAGES, TARGETS):
        assert relative(page, target) == _general(page, target), (page, target)


def test_sibling_rule_answers() -> None:
    assert relative("frus1961-63v13/d245/", "frus1961-63v13/d245.xml") == "../d245.xml"
    assert relative("frus1961-63v13/d245/", "frus1961-63v13/d246/") == "../d246/"
    assert relative("frus1961-63v13/d245/", "frus1961-63v13/d246/#p1") == "../d246/#p1"
    assert relative("d1/", "d2/") == "../d2/"
    assert relative("d1/", "mailto:x") == "mailto:x"


def test_note_sibling_rule_matches_relative_url() -> None:
    from despatch.urls.notepages import _sibling_url
    from despatch.urls.scheme import relative_url

    paths = ["v/d1fn1/", "v/d1/", "p/q/v/d1fn2/", "p/q/v/d1/", "d1fn1/", "d1/", "v/.x/", "v/d1/", "w/d1/",
             "v/d1", "v/d1.xml", " v/d1/", "v/d1/#fn1", "/v/d1/", "v//d1/", "v/a b/"]
    for a, b in itertools.product(paths, paths):
        assert _sibling_url(a, b) == relative_url(a, b), (a, b)
    assert _sibling_url("p/v/d1fn1/", "p/v/d1/") == "../d1/"
