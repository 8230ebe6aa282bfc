"""Metadata in the document page's head, as Zotero's Embedded Metadata translator and crawlers read it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote
from types import SimpleNamespace

import lxml.html
import pytest

from despatch.config import load_config
from despatch.model import DocRecord
from despatch.urls.meta import json_ld, meta_tags
from despatch.volume import load_volume

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "urls"
CONFIG = SimpleNamespace(raw={}, site_url="https://example.org/", url_prefix="", site_name="An edition")
URL = "https://example.org/frus1961-63v13/d245/"
TEI = "https://example.org/frus1961-63v13/d245.xml"
SEED = DocRecord(volume="frus1961-63v13", id="d245", n="245", date_min="1962-05-04T00:00:00",
                 title="245. Telegram From Secretary of State Rusk to the Department of State")
VOLUME_TITLE = "Foreign Relations of the United States, 1961–1963, Volume XIII, Western Europe and Canada"


def test_highwire_tags_in_order() -> None:
    tags = meta_tags(load_volume(FIXTURES / "frus1961-63v13.yml"), SEED, URL, TEI, CONFIG)
    assert tags == [
        ("citation_title", "Telegram From Secretary of State Rusk to the Department of State"),
        ("citation_inbook_title", VOLUME_TITLE),
        ("citation_book_title", VOLUME_TITLE),
        ("citation_series_title", "Foreign Relations of the United States"),
        ("citation_volume", "XIII"),
        ("citation_publisher", "United States Government Printing Office"),
        ("citation_public_url", URL),
        ("citation_language", "en"),
        ("og:type", "article"),
        ("og:title", "Telegram From Secretary of State Rusk to the Department of State"),
        ("og:url", URL),
        ("og:site_name", "An edition"),
    ]


def test_editors_and_date_when_the_volume_has_them() -> None:
    vol = load_volume(FIXTURES / "edited-volume.yml")
    rec = DocRecord(volume=vol.id, id="d7", n="7", title="7. Memorandum")
    tags = dict(meta_tags(vol, rec, URL, TEI, CONFIG))
    editors = [c for n, c in meta_tags(vol, rec, URL, TEI, CONFIG) if n == "citation_editor"]
    assert editors == ["Example, Ada M.", "Tester, Jr., Bob"]
    assert tags["citation_publication_date"] == "1999"


def test_json_ld_is_schema_org_and_cannot_end_its_script_element() -> None:
    vol = load_volume(FIXTURES / "frus1961-63v13.yml")
    rec = DocRecord(volume=vol.id, id="d9", n="9", title="9. A </script><script>alert(1)</script> & more")
    text = str(json_ld(vol, rec, URL, TEI, CONFIG))
    assert "</script" not in text and "<" not in text and "&" not in text
    data = json.loads(text)
    assert data["name"] == "A </script><script>alert(1)</script> & more"
    assert data["@type"] == "Chapter" and data["position"] == "9"
    assert data["isPartOf"]["@type"] == "Book" and data["isPartOf"]["volumeNumber"] == "13"
    assert data["isPartOf"]["isPartOf"] == {"@type": "CreativeWorkSeries",
                                            "name": "Foreign Relations of the United States"}
    assert data["encoding"]["contentUrl"] == TEI
    assert data["sameAs"] == "https://history.state.gov/historicaldocuments/frus1961-63v13/d9"


@pytest.fixture(scope="module")
def seed_page(seed_site: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(seed_site / "build" / "site" / "frus1961-63v13" / "d245" / "index.html")).getroot()


def test_built_page_carries_the_seeds_metadata(seed_page: lxml.html.HtmlElement) -> None:
    head = seed_page.find("head")
    meta = {m.get("name") or m.get("property"): m.get("content") for m in head.iter("meta")}
    assert meta["citation_title"] == "Telegram From Secretary of State Rusk to the Department of State"
    assert meta["citation_inbook_title"] == VOLUME_TITLE
    assert meta["citation_volume"] == "XIII"
    assert meta["og:title"] == meta["citation_title"]
    canonical = head.xpath("link[@rel='canonical']/@href")
    assert canonical == [meta["citation_public_url"]] and canonical[0].endswith("/frus1961-63v13/d245/")
    data = json.loads(head.xpath("script[@type='application/ld+json']")[0].text)
    assert data["position"] == "245" and data["isPartOf"]["name"] == VOLUME_TITLE


def test_alternate_links_lead_to_files(seed_page: lxml.html.HtmlElement, seed_site: Path) -> None:
    folder = seed_site / "build" / "site" / "frus1961-63v13" / "d245"
    links = {link.get("type"): link.get("href") for link in seed_page.find("head").xpath("link[@rel='alternate']")}
    assert "application/tei+xml" in links and "application/epub+zip" in links
    for href in links.values():
        assert (folder / href).resolve().is_file(), href


def test_built_page_carries_citations_and_downloads(seed_page: lxml.html.HtmlElement, seed_site: Path) -> None:
    chicago = seed_page.get_element_by_id("cite-chicago").text_content()
    assert "doc. 245 in Foreign Relations of the United States, 1961–1963, vol. 13" in chicago
    assert "Telegram From Secretary of State Rusk" in seed_page.get_element_by_id("cite-mla").text_content()
    # The copy buttons are hidden until the script shows them; the script is a file, not inline.
    assert all(b.get("hidden") is not None for b in seed_page.cssselect("button.cite-copy"))
    assert seed_page.xpath("//script[contains(@src, 'assets/cite.js')]")
    folder = seed_site / "build" / "site" / "frus1961-63v13" / "d245"
    links = seed_page.cssselect(".cite-downloads a")
    # The document's own references travel in the page; the volume's are files beside its contents.
    own = {a.get("download"): unquote(a.get("href").split(",", 1)[1]) for a in links if a.get("href").startswith("data:")}
    assert sorted(own) == ["d245.bib", "d245.json", "d245.ris"]
    assert own["d245.bib"].startswith("@incollection{frus1961-63v13-d245,")
    assert json.loads(own["d245.json"])[0]["number"] == "245"
    assert own["d245.ris"].startswith("TY  - CHAP\r\n") and own["d245.ris"].endswith("ER  - \r\n")
    files = [a.get("href") for a in links if not a.get("href").startswith("data:")]
    assert sorted(Path(f).name for f in files) == ["references.bib", "references.json", "references.ris"]
    for href in files:
        assert (folder / href).resolve().is_file(), href
    volume_bib = (folder / files[0]).resolve().read_text(encoding="utf-8")
    assert own["d245.bib"] in volume_bib


def test_every_page_carries_the_release_stamp(seed_site: Path) -> None:
    config = load_config(seed_site / "mkdocs.yml")
    assert config.version and config.release_date
    pages = sorted((seed_site / "build" / "site").rglob("*.html"))
    assert len(pages) > 3
    for page in pages:
        stamp = lxml.html.parse(str(page)).getroot().cssselect("p.release")
        assert stamp, page
        assert f"Release {config.version} of {config.release_date}" in stamp[0].text_content(), page
