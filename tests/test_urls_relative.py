"""Page-relative URLs: the site must work under any prefix and when opened from disk."""

import pytest

from despatch.render.urls import relative

CASES = [
    ("frus1961-63v13/d245/", "", "../../"),
    ("frus1961-63v13/d245/", "frus1961-63v13/d136/", "../d136/"),
    ("frus1961-63v13/d245/", "frus1961-63v13/d245/#pg_691", "#pg_691"),
    ("frus1961-63v13/d245/", "assets/despatch.css", "../../assets/despatch.css"),
    ("frus1961-63v13/d245/", "frus1961-63v13/d245.xml", "../d245.xml"),
    ("", "frus1961-63v13/", "frus1961-63v13/"),
    ("", "", "./"),
    ("frus1961-63v13/", "frus1961-63v13/d245/", "d245/"),
    ("frus1961-63v13/d245/", "#d245fn1", "#d245fn1"),
    ("sitemap.xml", "frus1961-63v13/", "frus1961-63v13/"),
    ("frus1961-63v13/d245/", "https://history.state.gov/x", "https://history.state.gov/x"),
]


@pytest.mark.parametrize("page,target,expected", CASES)
def test_relative(page: str, target: str, expected: str) -> None:
    assert relative(page, target) == expected
