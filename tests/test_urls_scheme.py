"""The URL scheme: site paths, the optional prefix, absolute URLs and output files."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from despatch.urls import scheme

PLAIN = SimpleNamespace(site_url="https://example.org/", url_prefix="")
PREFIXED = SimpleNamespace(site_url="https://example.org/edition/", url_prefix="historicaldocuments/")
NO_HOST = SimpleNamespace(site_url="", url_prefix="historicaldocuments/")


@pytest.mark.parametrize("given,expected", [
    ("frus1961-63v13/d12", "frus1961-63v13/d12/"),
    ("/frus1961-63v13/d12/", "frus1961-63v13/d12/"),
    ("frus1961-63v13//d12/index.html", "frus1961-63v13/d12/"),
    ("frus1961-63v13/d12.xml", "frus1961-63v13/d12.xml"),
    ("frus1961-63v13/d12#d12fn1", "frus1961-63v13/d12/#d12fn1"),
    ("/", ""),
    ("", ""),
    ("sitemap.xml", "sitemap.xml"),
])
def test_normalize(given: str, expected: str) -> None:
    assert scheme.normalize(given) == expected


def test_paths_of_the_scheme() -> None:
    assert scheme.volume_path("frus1961-63v13") == "frus1961-63v13/"
    assert scheme.document_path("frus1961-63v13", "d245") == "frus1961-63v13/d245/"
    assert scheme.tei_path("frus1961-63v13", "d245") == "frus1961-63v13/d245.xml"
    assert scheme.page_anchor("691") == "pg_691"
    assert scheme.note_path("frus1961-63v13", "d245fn1") == "frus1961-63v13/d245fn1/"
    assert scheme.note_target("frus1961-63v13", "d245fn1") == "frus1961-63v13/d245/#d245fn1"
    assert scheme.note_target("frus1961-63v13", "pg_691") is None


@pytest.mark.parametrize("config,path,public,server,absolute", [
    (PLAIN, "frus1961-63v13/d245/", "frus1961-63v13/d245/", "/frus1961-63v13/d245/",
     "https://example.org/frus1961-63v13/d245/"),
    (PREFIXED, "frus1961-63v13/d245/", "historicaldocuments/frus1961-63v13/d245/",
     "/edition/historicaldocuments/frus1961-63v13/d245/",
     "https://example.org/edition/historicaldocuments/frus1961-63v13/d245/"),
    (NO_HOST, "frus1961-63v13/d245.xml", "historicaldocuments/frus1961-63v13/d245.xml",
     "/historicaldocuments/frus1961-63v13/d245.xml", "/historicaldocuments/frus1961-63v13/d245.xml"),
    (PLAIN, "", "", "/", "https://example.org/"),
])
def test_prefix_and_absolute(config: SimpleNamespace, path: str, public: str, server: str, absolute: str) -> None:
    assert scheme.public_path(config, path) == public
    assert scheme.server_path(config, path) == server
    assert scheme.absolute_url(config, path) == absolute


@pytest.mark.parametrize("page,target,expected", [
    ("frus1961-63v13/d12/", "frus1961-63v13/d13/", "../d13/"),
    ("frus1961-63v13/d245fn1/", "frus1961-63v13/d245/#d245fn1", "../d245/#d245fn1"),
    ("historicaldocuments/frus1961-63v13/d12/", "historicaldocuments/", "../../"),
    ("frus1961-63v13/d12/", "frus1961-63v13/d12/", "./"),
    ("frus1961-63v13/d12.xml", "frus1961-63v13/d13.xml", "d13.xml"),
])
def test_relative_url(page: str, target: str, expected: str) -> None:
    assert scheme.relative_url(page, target) == expected


def test_site_root_and_output_file(tmp_path: Path) -> None:
    root = tmp_path / "site" / "historicaldocuments"
    assert scheme.site_root(root, PREFIXED) == tmp_path / "site"
    assert scheme.site_root(tmp_path / "site", PLAIN) == tmp_path / "site"
    assert scheme.output_file(root, "vol/d1/") == root / "vol" / "d1" / "index.html"
    assert scheme.output_file(root, "vol/d1.xml") == root / "vol" / "d1.xml"
    assert scheme.output_file(root, "") == root / "index.html"


def test_is_absolute() -> None:
    assert scheme.is_absolute("https://example.org/x/")
    assert not scheme.is_absolute("/x/")
    assert not scheme.is_absolute("")
