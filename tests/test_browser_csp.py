"""Every built page runs only the edition's own scripts and styles: nothing inline, nothing from elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


@pytest.fixture(scope="module")
def site(seed_site: Path) -> Path:
    return seed_site / "build" / "site"


def test_pages_declare_a_policy_without_inline_code(site: Path) -> None:
    found = pages(site)
    assert len(found) >= 3
    for page in found:
        tree = html.parse(str(page)).getroot()
        policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        if not policy:
            # Redirect stubs carry no policy of their own but must carry no code either.
            assert not tree.xpath("//script | //style"), page
            continue
        assert "'unsafe-inline'" not in policy[0] and "'unsafe-eval'" not in policy[0], page
        if "script-src" not in policy[0]:
            # A stricter page (redirect stubs): nothing at all may run.
            assert "default-src 'none'" in policy[0] and not tree.xpath("//script"), page
        else:
            assert "script-src 'self'" in policy[0], page
        # Data blocks (JSON-LD) are never executed, so the policy allows them.
        for script in tree.xpath("//script[not(contains(@type, 'json'))]"):
            assert script.get("src") and not (script.text or "").strip(), f"{page}: inline script"
            assert not script.get("src").startswith(("http:", "https:", "//")), f"{page}: remote script"
        assert not tree.xpath("//style"), f"{page}: inline <style>"
        assert not tree.xpath("//*[@style]"), f"{page}: style attribute"
        handlers = [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]
        assert handlers == [], f"{page}: inline event handlers {handlers}"
        for link in tree.xpath("//link[@rel='stylesheet']/@href"):
            assert not link.startswith(("http:", "https:", "//")), f"{page}: remote stylesheet"


def test_document_page_keeps_notes_usable_without_scripts(site: Path) -> None:
    tree = html.parse(str(site / "frus1961-63v13" / "d245" / "index.html")).getroot()
    refs = tree.xpath("//a[@role='doc-noteref']")
    assert len(refs) == 3
    for ref in refs:
        note = tree.get_element_by_id(ref.get("href")[1:])
        back = note.xpath(".//a[@role='doc-backlink']/@href")
        assert back == [f"#{ref.get('id')}"]
    assert any(src.endswith("assets/notes.js") for src in tree.xpath("//script/@src"))
