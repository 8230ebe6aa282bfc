"""The reader's edition in Chromium: notes in place, keyboard paths, search, accessibility, layout, print."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser.chromium import ARGS, executable, missing_reason
from browser.serve import serve
from conftest import CORPUS, ROOT, copy_project

pytestmark = pytest.mark.browser

VOL = "frus1961-63v13"
OTHER = "frus1961-63v16"        # a second volume, from the test corpus's official TEI, so search merges indexes
OTHER_DOCS = ["d190", "d192"]
DOC = f"{VOL}/d245/"
SCREENSHOTS = ROOT / "build" / "screenshots"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FOCUSABLE = ("a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example edition's seed volume, built with search and ebooks ($DESPATCH_TEST_SITE: a site already built)."""
    reason = missing_reason()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    if os.environ.get("DESPATCH_TEST_SITE"):
        return Path(os.environ["DESPATCH_TEST_SITE"])
    from despatch.config import load_config
    from despatch.site.build import build
    from despatch.site.result import BuildFailed

    root = copy_project(tmp_path_factory.mktemp("browser") / "project", [VOL])
    add_corpus_volume(root / "content" / OTHER)
    try:
        build(load_config(root / "mkdocs.yml"))
    except BuildFailed as failed:
        pytest.fail("the example edition does not build:\n" + "\n".join(str(d) for d in failed.report.errors))
    return root / "build" / "site"


def add_corpus_volume(folder: Path) -> None:
    """A small second volume made of documents from the test corpus."""
    folder.mkdir(parents=True)
    (folder / "volume.yml").write_text(
        f'id: {OTHER}\ntitle: "Foreign Relations of the United States, 1961–1963, Volume XVI, '
        'Eastern Europe; Cyprus; Greece; Turkey"\n', encoding="utf-8")
    for doc in OTHER_DOCS:
        (folder / f"{doc}.xml").write_bytes((CORPUS / "tei" / f"{OTHER}_{doc}.xml").read_bytes())


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(built_site: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable(), headless=True, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page with its console errors and uncaught exceptions recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))


def expect(target: Any) -> Any:
    """Playwright's retrying assertions (they poll without eval, which the pages' CSP forbids)."""
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target)


def open_page(browser: Any, url: str, width: int = 1280, **options: Any) -> Watched:
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    watched = Watched(context.new_page())
    watched.page.goto(url)
    return watched


@pytest.fixture
def doc_page(browser: Any, base_url: str) -> Iterator[Watched]:
    watched = open_page(browser, base_url + DOC)
    yield watched
    watched.page.context.close()


def note_text(built_site: Path, note_id: str) -> str:
    """A note's opening words, read from the built page (what the reader must see in the popover)."""
    from lxml import html

    tree = html.parse(str(built_site / DOC / "index.html"))
    words = " ".join(tree.getroot().get_element_by_id(note_id).text_content().split())
    return words.split(" ", 1)[1][:40]     # without the "1." label


def test_note_opens_beside_its_reference_and_escape_returns_focus(doc_page: Watched, built_site: Path) -> None:
    page = doc_page.page
    ref = page.locator("#d245fn1-ref")
    ref.focus()
    page.keyboard.press("Enter")
    popover = page.locator(".note-popover:popover-open")
    popover.wait_for()
    assert note_text(built_site, "d245fn1") in popover.inner_text()
    assert "Rusk, who was in Athens" in popover.inner_text()
    assert page.url.endswith(DOC), "with the script, the page does not jump to the notes"
    ref_box, pop_box = ref.bounding_box(), popover.bounding_box()
    assert 0 <= pop_box["y"] - (ref_box["y"] + ref_box["height"]) < 40, "the note opens just below its reference"
    page.keyboard.press("Escape")
    expect(page.locator(".note-popover:popover-open")).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == "d245fn1-ref"
    assert ref.get_attribute("aria-expanded") == "false"
    assert doc_page.errors == []


def test_an_open_note_is_next_in_the_tab_order(doc_page: Watched) -> None:
    page = doc_page.page
    page.locator("#d245fn1-ref").focus()
    page.keyboard.press("Enter")
    page.locator(".note-popover:popover-open").wait_for()
    names = []
    for _ in range(5):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.textContent"))
    assert names[0] == "Close note 1"
    assert names[1].startswith("Documents 136") and names[2].startswith("137")
    assert names[3] == "Go to the note"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")          # following "Go to the note" jumps to the note at the end
    page.wait_for_url(re.compile(r"#d245fn1$"))  # the jump may land a moment later on a busy machine
    expect(page.locator(".note-popover:popover-open")).to_have_count(0)


def test_note_opens_on_tap_on_a_phone_and_closes_with_its_button(browser: Any, base_url: str) -> None:
    watched = open_page(browser, base_url + DOC, width=390, has_touch=True, is_mobile=True)
    page = watched.page
    page.locator("#d245fn2-ref").tap()
    popover = page.locator(".note-popover:popover-open")
    popover.wait_for()
    assert "Gerard Smith and Bowie" in popover.inner_text()
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the note fits the phone's screen"
    popover.get_by_role("button", name="Close note 2").click()
    expect(page.locator(".note-popover:popover-open")).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == "d245fn2-ref"
    assert watched.errors == []
    page.context.close()


def test_without_javascript_references_jump_to_notes_and_back(browser: Any, base_url: str) -> None:
    watched = open_page(browser, base_url + DOC, java_script_enabled=False)
    page = watched.page
    page.locator("#d245fn1-ref").click()
    assert page.url.endswith("#d245fn1")
    assert page.locator("#d245fn1").is_visible()
    page.locator("#d245fn1 a[role=doc-backlink]").click()
    assert page.url.endswith("#d245fn1-ref")
    page.context.close()


def tab_through(page: Any, limit: int) -> list[dict[str, Any]]:
    """Press Tab until focus comes back round; returns each focused element's identity and outline."""
    seen: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const el = document.activeElement; const s = getComputedStyle(el);
            return {key: el.dataset.k || '', tag: el.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
        if info["tag"] == "BODY" or (seen and info["key"] == seen[0]["key"]):
            break
        seen.append(info)
    return seen


@pytest.mark.parametrize("path", ["", DOC, "search/"])
def test_every_control_is_reachable_by_keyboard_with_visible_focus(browser: Any, base_url: str, path: str) -> None:
    watched = open_page(browser, base_url + path)
    page = watched.page
    if path == "search/":
        page.wait_for_selector("#search-form[data-ready]")
    # Number every visible control, then Tab through the page and check each was reached.
    expected = page.evaluate(f"""() => {{ let n = 0; const keys = [];
        document.querySelectorAll("{FOCUSABLE}").forEach(el => {{
          const r = el.getBoundingClientRect(); if (el.closest('[hidden]') || el.disabled) return;
          if (r.width === 0 && r.height === 0 && el.className !== 'skip-link') return;
          el.dataset.k = 'k' + (n++); keys.push(el.dataset.k); }}); return keys; }}""")
    assert len(expected) >= 3
    reached = tab_through(page, len(expected) + 10)
    assert reached and reached[0]["key"] == "k0", "the skip link comes first"
    assert [r["key"] for r in reached] == expected
    weak = [r for r in reached if r["outline"] == "none" or r["width"] < 2]
    assert weak == [], "every control shows where the focus is"
    page.context.close()


def test_skip_link_moves_focus_to_the_content(doc_page: Watched) -> None:
    page = doc_page.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_finds_the_seed_and_opens_it_at_the_match(browser: Any, base_url: str) -> None:
    watched = open_page(browser, base_url + "search/")
    page = watched.page
    page.wait_for_selector("#search-form[data-ready]")
    page.fill("#search-q", "tropospheric")
    page.keyboard.press("Enter")
    first = page.locator("#search-results li a").first
    first.wait_for()
    href = first.get_attribute("href")
    assert f"/{DOC}#" in href, href
    assert "1 document found" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results mark").first.inner_text().lower() == "tropospheric"
    # A filter and the date order keep the seed among the results.
    year = page.get_by_role("checkbox", name="1962 (1)")
    year.check()
    expect(page.locator("#search-status")).to_contain_text("1 document found")
    page.select_option("#search-sort", "date:desc")
    expect(page).to_have_url(re.compile(r"sort=date"))
    assert page.locator("#search-results li").count() == 1
    first = page.locator("#search-results li a").first
    anchor = href.split("#", 1)[1]
    first.click()
    page.wait_for_url(f"**/{DOC}#{anchor}")
    assert page.locator(f"[id='{anchor}']").count() == 1, "the result links to an element of the page"
    assert "tropospheric" in page.locator(f"[id='{anchor}']").evaluate(
        "el => (el.closest('p, li') || el.parentElement).textContent")
    assert watched.errors == []
    page.context.close()


def test_the_home_page_searches(browser: Any, base_url: str) -> None:
    watched = open_page(browser, base_url)
    page = watched.page
    page.get_by_role("searchbox", name="Search the documents").fill("tropospheric")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=tropospheric")
    expect(page.locator("#search-results li a").first).to_have_attribute("href", re.compile(f"/{DOC}#"))
    page.context.close()


def test_search_filters_fold_on_phones(browser: Any, base_url: str) -> None:
    watched = open_page(browser, base_url + "search/", width=390)
    page = watched.page
    page.wait_for_selector("#search-form[data-ready]")
    panel = page.locator("#search-filter-box")
    assert panel.is_visible() and panel.get_attribute("open") is None
    assert page.get_by_role("checkbox").first.is_hidden()
    page.locator("#search-filter-box summary").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("checkbox").first.is_visible()
    page.context.close()


def test_search_merges_the_volume_indexes(browser: Any, base_url: str, built_site: Path) -> None:
    assert (built_site / OTHER / "pagefind" / "pagefind-entry.json").is_file()
    watched = open_page(browser, base_url + "search/?q=Hallama")
    page = watched.page
    page.locator("#search-results li a").first.wait_for()
    assert page.locator("#search-results li a").first.get_attribute("href").startswith(f"/{OTHER}/d190/")
    volumes = page.locator("fieldset", has_text="Volume").get_by_role("checkbox")
    assert volumes.count() == 2, "the volume filter lists both volumes"
    # Words found in both volumes; filtering by one volume keeps only its documents.
    page.fill("#search-q", "Department of State")
    page.keyboard.press("Enter")
    expect(page.locator("#search-status")).to_contain_text("3 documents found")
    page.get_by_role("checkbox", name=re.compile("Volume XVI")).check()
    expect(page.locator("#search-status")).to_contain_text("2 documents found")
    hrefs = page.locator("#search-results li a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert all(h.startswith(f"/{OTHER}/") for h in hrefs), hrefs
    assert watched.errors == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", f"{VOL}/", DOC, "search/", f"{VOL}/chronology/", f"{VOL}/archives/"])
def test_axe_finds_no_wcag_22_violations(browser: Any, base_url: str, built_site: Path, path: str,
                                        scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    assert (built_site / path / "index.html").is_file(), f"the build made no page {path or '/'}"
    url = base_url + path + ("?q=tropospheric" if path == "search/" else "")
    watched = open_page(browser, url, color_scheme=scheme)
    page = watched.page
    if path == "search/":
        page.wait_for_selector("#search-results li")
    if path == DOC:
        page.locator("#d245fn1-ref").click()           # scan the open note too
        page.locator(".note-popover:popover-open").wait_for()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    violations = results.response["violations"]
    report = "\n".join(f"{v['id']}: {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
                       for v in violations)
    assert violations == [], report
    assert watched.errors == []
    page.context.close()


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_document_page_fits_the_screen(browser: Any, base_url: str, width: int) -> None:
    watched = open_page(browser, base_url + DOC, width=width)
    page = watched.page
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways at {width} px"
    if width in (390, 1280):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"d245-{width}.png"), full_page=True)
    marker = page.locator("#pg_691").bounding_box()
    text = page.locator(".doc-body").bounding_box()
    if width >= 1024:
        assert marker["x"] + marker["width"] <= text["x"], "page markers sit in the margin on wide screens"
    else:
        assert marker["x"] >= text["x"], "page markers stay in the text on phones"
    # Either way the marker is read in its place in the text.
    words = " ".join(page.locator(".doc-body").inner_text().split())
    assert words.index("denied US nuclear") < words.index("[Page 691]") < words.index("storage rights in France")
    page.context.close()


@pytest.mark.parametrize("path", ["", f"{VOL}/", "search/?q=tropospheric", f"{VOL}/chronology/", f"{VOL}/archives/"])
def test_index_pages_fit_a_320_px_screen(browser: Any, base_url: str, path: str) -> None:
    watched = open_page(browser, base_url + path, width=320)
    page = watched.page
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path or '/'} scrolls sideways at 320 px"
    page.context.close()


def test_print_shows_notes_page_markers_and_link_targets(doc_page: Watched) -> None:
    page = doc_page.page
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".notes").is_visible()
    assert page.locator("#pg_691").evaluate("el => getComputedStyle(el).position") == "static"
    after = page.locator("main a[href^='http']").first.evaluate("el => getComputedStyle(el, '::after').content")
    assert "history.state.gov" in after


def test_volume_page_links_its_ebook(browser: Any, base_url: str) -> None:
    watched = open_page(browser, base_url + f"{VOL}/")
    page = watched.page
    link = page.get_by_role("link", name="EPUB ebook")
    response = page.request.get(base_url + f"{VOL}/" + link.get_attribute("href"))
    assert response.ok and response.body()[:4] == b"PK\x03\x04"
    page.context.close()


def test_a_deep_address_that_is_none_gets_the_editions_page(browser: Any, built_site: Path) -> None:
    """The page for addresses that are none, served as `despatch serve` and the hosts serve it: at a deep
    address its stylesheet loads, its links lead on, and axe finds no WCAG 2.2 violation."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from axe_playwright_python.sync_playwright import Axe

    from despatch.serve import _Handler

    handler = functools.partial(_Handler, directory=str(built_site), not_found="404.html")
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = browser.new_context(viewport={"width": 390, "height": 800})
        watched = Watched(context.new_page())
        page = watched.page
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and r.url != url else None)
        url = f"http://127.0.0.1:{server.server_address[1]}/{VOL}/d9999/deeper/"
        response = page.goto(url)
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        assert failed == []  # the stylesheet, and nothing else asked for, was found from that depth
        # The stylesheet applies: the skip link is out of sight until focused.
        assert page.locator(".skip-link").evaluate("el => el.getBoundingClientRect().top") < 0
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.response["violations"] == [], results.response["violations"]
        page.get_by_role("link", name="Foreign Relations of the United States, 1961–1963, Volume XIII",
                         exact=False).first.click()
        page.wait_for_url(f"**/{VOL}/")
        # The browser's own line for the page's 404 status (every other response is counted in ``failed``).
        assert [e for e in watched.errors if "status of 404" not in e] == [] and failed == []
        context.close()
    finally:
        server.shutdown()
        server.server_close()
