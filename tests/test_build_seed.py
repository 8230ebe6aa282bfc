"""The seed's document page: notes linked both ways, page 691 addressable, lists, TEI download."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

VOL = "frus1961-63v13"


@pytest.fixture(scope="module")
def page(seed_site: Path) -> lxml.html.HtmlElement:
    html = (seed_site / "build" / "site" / VOL / "d245" / "index.html").read_bytes()
    return lxml.html.fromstring(html)


def _text_before(el: lxml.html.HtmlElement) -> str:
    """The text that precedes an element inside its parent."""
    parent = el.getparent()
    parts = [parent.text or ""]
    for child in parent:
        if child is el:
            break
        parts.append(child.text_content() + (child.tail or ""))
    return "".join(parts)


def test_notes_zero_one_two_in_place(page: lxml.html.HtmlElement) -> None:
    refs = page.cssselect("a.noteref")
    assert [r.text_content() for r in refs] == ["0", "1", "2"]
    assert refs[0].getparent().tag == "h1", "note 0 belongs to the title"
    assert _text_before(refs[1]).rstrip().endswith("memcon.")
    assert _text_before(refs[2]).rstrip().endswith("policy.")


def test_notes_link_both_ways(page: lxml.html.HtmlElement) -> None:
    for ref in page.cssselect("a.noteref"):
        target = ref.get("href")
        assert target.startswith("#d245fn")
        note = page.get_element_by_id(target[1:])
        assert note.get("role") == "doc-footnote"
        back = note.cssselect("a[role=doc-backlink]")[0]
        assert back.get("href") == "#" + ref.get("id")
        assert ref.get("role") == "doc-noteref"
    notes = page.cssselect("section[role=doc-endnotes] [role=doc-footnote]")
    assert [n.get("id") for n in notes] == ["d245fn0", "d245fn1", "d245fn2"]
    assert "Source: Department of State, Central Files" in notes[0].text_content()


def test_page_691_between_nuclear_and_storage(page: lxml.html.HtmlElement) -> None:
    marker = page.get_element_by_id("pg_691")
    assert marker.text_content() == "[Page 691]"
    assert _text_before(marker).rstrip().endswith("nuclear")
    assert (marker.tail or "").lstrip().startswith("storage")


def test_list_items(page: lxml.html.HtmlElement) -> None:
    items = page.cssselect(".doc-body li")
    texts = [" ".join(li.text_content().split()) for li in items]
    assert any(t.startswith("US policy is strongly opposed") for t in texts)
    assert any(t.startswith("French made clear that their purpose") for t in texts)
    assert len([t for t in texts if t.startswith("French")]) >= 5


def test_tei_download_and_files(seed_site: Path, page: lxml.html.HtmlElement) -> None:
    link = page.cssselect("a[download]")[0]
    assert link.get("href") == "../d245.xml"
    assert (seed_site / "build" / "site" / VOL / "d245.xml").read_bytes() == \
        (seed_site / "build" / "tei" / VOL / "d245.xml").read_bytes()


def test_volume_page_lists_document(seed_site: Path) -> None:
    vol = lxml.html.fromstring((seed_site / "build" / "site" / VOL / "index.html").read_bytes())
    links = [a.get("href") for a in vol.cssselect("table.toc a")]
    assert "d245/" in links
    row = vol.cssselect("table.toc tbody tr")[0]
    assert row.cssselect("td")[0].text_content() == "245"


def test_home_lists_volume(seed_site: Path) -> None:
    home = lxml.html.fromstring((seed_site / "build" / "site" / "index.html").read_bytes())
    assert f"{VOL}/" in [a.get("href") for a in home.cssselect("ul.volumes a")]
    assert "Foreign Relations of the United States" in home.text_content()


def test_pages_are_escaped_and_have_csp(page: lxml.html.HtmlElement) -> None:
    csp = page.cssselect("meta[http-equiv=Content-Security-Policy]")[0].get("content")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # JSON-LD is data, not script; anything else inline would need unsafe-inline.
    assert not page.cssselect("script:not([src]):not([type=\"application/ld+json\"])"), "no inline scripts"
