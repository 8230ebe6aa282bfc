"""The apparatus on the seed (FRUS 1961–63 vol. XIII, Document 245), from source to built pages."""

from __future__ import annotations

import posixpath
from pathlib import Path

import lxml.html
import pytest

from despatch.apparatus.context import ApparatusContext
from despatch.apparatus.enrich import enrich
from despatch.apparatus.record import extract_record
from despatch.site.readers import read_source
from despatch.tei.xmlio import NS, XML_ID

from conftest import SEED

VOLUME = "frus1961-63v13"
CANONICAL = "https://history.state.gov/historicaldocuments/"


@pytest.fixture(scope="module")
def seed():
    conv = read_source(SEED, "content/frus1961-63v13/d245.txt", VOLUME)
    enrich(conv.div, ApparatusContext(VOLUME))
    return conv, extract_record(conv, VOLUME, 0)


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path / "index.html").read_bytes())


def resolve(page_path: str, href: str) -> str:
    """A page-relative href as a site path."""
    path, _, frag = href.partition("#")
    joined = posixpath.normpath(posixpath.join(page_path, path)) + ("/" if path.endswith("/") else "")
    return joined + (f"#{frag}" if frag else "")


def test_ibid_resolves_to_the_department_of_state(seed) -> None:
    conv, record = seed
    source, ibid, third = record.citations
    assert (source.repository, source.collection, source.file, source.date_code) == (
        "Department of State", "Central Files", "711.5611", "5–462")
    assert ibid.ibid and ibid.note_id == "d245fn1"
    assert (ibid.repository, ibid.collection, ibid.lot, ibid.file) == (
        "Department of State", "Conference Files", "Lot 65 D 533", "CF 2095")
    bibl = conv.div.find(".//tei:note[@n='1']/tei:bibl", NS)
    assert bibl.get("corresp") == "#" + source_bibl(conv).get(XML_ID)
    assert third.repository == "Department of State" and not third.ibid


def source_bibl(conv):
    return conv.div.find(".//tei:note[@type='source']/tei:bibl", NS)


def test_classification_handling_and_refs(seed) -> None:
    _, record = seed
    assert record.classification == "Secret"
    assert record.handling == ["Limit Distribution"]
    # Both references are in note 1, which is line 18 of the source.
    assert record.refs == [("#d136", 18), ("#d137", 18)]


def test_the_seed_date_comes_from_its_file_number(seed) -> None:
    _, record = seed
    assert record.date_min.startswith("1962-05-04")


def test_archives_page_of_711_5611_links_d245(seed_site: Path) -> None:
    site = seed_site / "build" / "site"
    path = "archives/department-of-state/central-files/711.5611/"
    doc = page(site, path)
    assert doc.findtext(".//h1").startswith("711.5611")
    targets = [resolve(path, a.get("href")) for a in doc.iterfind(".//main//a")]
    assert f"{VOLUME}/d245/" in targets
    index = page(site, "archives/")
    assert "archives/department-of-state/central-files/711.5611/" in [
        resolve("archives/", a.get("href")) for a in index.iterfind(".//main//a")]


def test_documents_136_and_137_link_to_the_canonical_edition(seed_site: Path) -> None:
    doc = page(seed_site / "build" / "site", f"{VOLUME}/d245/")
    refs = {a.text_content().replace(" (external)", ""): a for a in doc.iterfind(".//a") if "ref" in a.get("class", "")}
    for label, n in (("Documents 136", "136"), ("137", "137")):
        a = refs[label]
        assert a.get("href") == f"{CANONICAL}{VOLUME}/d{n}"
        assert a.get("rel") == "external" and "external" in a.get("class")


def test_page_691_redirects_to_its_anchor(seed_site: Path) -> None:
    doc = page(seed_site / "build" / "site", f"{VOLUME}/pg_691/")
    refresh = doc.find(".//meta[@http-equiv='refresh']")
    assert refresh.get("content") == "0; url=../d245/#pg_691"


def test_chronology_and_classification_list_the_seed(seed_site: Path) -> None:
    site = seed_site / "build" / "site"
    chrono = page(site, f"{VOLUME}/chronology/")
    day = chrono.get_element_by_id("d1962-05-04")
    assert day.getnext().find(".//a").get("href") == "../d245/"
    month = page(site, "chronology/1962/05/")
    assert [a.get("href") for a in month.iterfind(".//main//li/a")] == [f"../../../{VOLUME}/d245/"]
    secret = page(site, f"{VOLUME}/classification/secret/")
    assert [a.get("href") for a in secret.iterfind(".//main//li/a")] == ["../../d245/"]
