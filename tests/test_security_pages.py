"""Hostile sources through the build: their markup is text on every page, and every page has the CSP."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree

from despatch.render.html import tei_to_html
from despatch.render.linker import Linker
from despatch.sources.tei_reader import read_tei
from despatch.tei.xmlio import XML_ID
from robust import TEI_DOC, TELEGRAM, run, write_project

HOSTILE = ['<script>alert("s")</script>', "<img src=x onerror=alert(1)>", '<a href="javascript:alert(2)">click</a>',
           "<style>body{display:none}</style>", '<iframe src="//evil.example/"></iframe>', "<!-- comment -->",
           "&lt;b&gt; &amp; &#60;"]

TEXT_SOURCE = TELEGRAM.format(n=3, body="Body " + " and ".join(HOSTILE) + " end.").replace(
    "Confidential.", "Confidential. " + HOSTILE[0] + " " + HOSTILE[1])

TEI_SOURCE = TEI_DOC.format(n=7, body="""\
<p rend='x" onmouseover="alert(1)'>Para &lt;script&gt;alert("t")&lt;/script&gt; \
<ref target="javascript:alert(1)">js link</ref> <ref target='#d3" onclick="alert(2)'>quote</ref> \
<hi rend="&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;">hi</hi> \
<persName corresp="#p1&quot; onclick=&quot;x">Name</persName> <gloss target="#t1'&gt;&lt;b&gt;">term</gloss> \
<persName corresp="#p1">Name</persName> <gloss target="#t1">T</gloss> \
<ref target="vbscript:msgbox">vb</ref> <ref target="data:text/html,&lt;script&gt;alert(4)&lt;/script&gt;">data</ref>\
<?xml-stylesheet href="javascript:alert(5)"?><!-- <script>alert(6)</script> --></p>""")

MARKDOWN_SOURCE = """\
# 11. Telegram <script>alert("md")</script> From the Embassy in France[^source]

Body <img src=x onerror=alert(1)> and [js](javascript:alert(2)) and <b onclick="x">b</b> ![i](javascript:alert(9)).

<script>alert(3)</script>

<div onclick="alert(4)">block html</div>

[^source]: Source: <iframe src=//evil.example/>.
"""

MARKDOWN_PAGE = """\
# About <script>alert("m")</script>

Raw HTML: <img src=x onerror=alert(1)> and <b onclick="alert(2)">bold</b>.

<script>alert(3)</script>

<style>body{display:none}</style>

[a link](javascript:alert(4)) and [another](JaVaScRiPt:alert(5)) and <javascript:alert(6)>.

![image](javascript:alert(7))
"""


class Audit(HTMLParser):
    """Tokenise a page as a browser would, keeping its tags, attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.raw: list[tuple[str, dict[str, str | None], str]] = []   # script and style elements
        self._open: tuple[str, dict[str, str | None], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs), [])

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self.raw.append((self._open[0], self._open[1], "".join(self._open[2])))
            self._open = None

    def handle_data(self, data: str) -> None:
        (self._open[2] if self._open is not None else self.text).append(data)


URL_ATTRS = ("href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset", "background")
ALLOWED_CSP = {"default-src": {"'none'"}, "script-src": {"'self'", "'wasm-unsafe-eval'"}, "style-src": {"'self'"},
               "img-src": {"'self'", "data:"}, "font-src": {"'self'"}, "connect-src": {"'self'"},
               "base-uri": {"'none'", "'self'"}, "form-action": {"'self'", "'none'"},
               "worker-src": {"'self'"}, "object-src": {"'none'"}, "frame-ancestors": {"'none'", "'self'"},
               "manifest-src": {"'self'"}, "media-src": {"'self'"}}


def audit_page(page: Path, site: Path) -> list[str]:
    """Everything on a page that could run code or load what the site does not ship."""
    audit = Audit()
    audit.feed(page.read_text(encoding="utf-8"))
    problems: list[str] = []
    csp = [a.get("content") or "" for t, a in audit.tags
           if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    if len(csp) != 1:
        problems.append(f"{len(csp)} Content-Security-Policy meta elements")
    for directive in (csp[0] if csp else "").split(";"):
        name, *values = directive.split()
        allowed = ALLOWED_CSP.get(name)
        if allowed is None or not set(values) <= allowed:
            problems.append(f"CSP directive allows too much: {directive.strip()}")
    if csp and "script-src" not in csp[0] and "default-src 'none'" not in csp[0]:
        problems.append("CSP has no script-src")
    first_script = next((i for i, (t, _) in enumerate(audit.tags) if t == "script"), len(audit.tags))
    if csp and not any(t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
                       for t, a in audit.tags[:first_script]):
        problems.append("the CSP comes after a script")
    base = "file://" + str(page)
    for tag, attrs in audit.tags:
        if tag in ("style", "iframe", "object", "embed", "frame", "applet", "base"):
            problems.append(f"<{tag}> element")
        for name, value in attrs.items():
            value = (value or "").strip()
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                problems.append(f"inline style on <{tag}>")
            if name in URL_ATTRS and re.match(r"(?i)\s*(javascript|vbscript|data:text/html)", value):
                problems.append(f"{name}={value!r} on <{tag}>")
            if tag == "meta" and name == "content" and "javascript:" in value.lower():
                problems.append(f"meta content {value!r}")
        if tag == "script" and attrs.get("type") != "application/ld+json":
            src = attrs.get("src")
            target = urlsplit(urljoin(base, src or ""))
            if src and (target.scheme != "file" or not Path(target.path).is_file()
                        or site not in Path(target.path).parents):
                problems.append(f"script {src!r} is not a file the site ships")
    for tag, attrs, body in audit.raw:
        if tag == "script" and attrs.get("type") == "application/ld+json":
            # A data block, never executed; it must not hide a way out of its element.
            if "<!--" in body or "<script" in body.lower():
                problems.append("JSON-LD block holds markup")
        elif body.strip() or (tag == "script" and not attrs.get("src")):
            problems.append(f"inline <{tag}>")
    return problems


def _build(root: Path, search: bool = False) -> Path:
    code, err = run(["build", "-f", str(root / "mkdocs.yml")] + ([] if search else ["--no-search"]))
    assert code == 0, err
    return root / "build" / "site"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edition whose sources, volume metadata and site name try to inject markup."""
    root = write_project(tmp_path_factory.mktemp("hostile") / "p", {"v": {
        "d3.txt": TEXT_SOURCE, "d7.xml": TEI_SOURCE, "d11.md": MARKDOWN_SOURCE,
        "volume.yml": 'id: v\ntitle: "Volume <script>alert(\'v\')</script>"\nsubtitle: "<img src=x onerror=alert(1)>"\n',
        "persons.yml": 'p1:\n  name: "Name <script>alert(\'p\')</script>"\n  description: "<img src=x onerror=alert(1)>"\n',
        "terms.yml": 't1:\n  term: "<b>T</b>"\n  description: "\\" onmouseover=\\"alert(1)"\n',
    }}, ebooks=True)
    (root / "content" / "about.md").write_text(MARKDOWN_PAGE, encoding="utf-8")
    (root / "content" / "index.md").write_text(MARKDOWN_PAGE.replace("# About", "# Home"), encoding="utf-8")
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "site_name: Test edition", "site_name: \"Edition <script>alert('n')</script>\""), encoding="utf-8")
    return _build(root)


def _page_text(page: Path) -> str:
    audit = Audit()
    audit.feed(page.read_text(encoding="utf-8"))
    return "".join(audit.text)


def test_every_page_is_free_of_injected_markup_and_carries_the_csp(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 5
    problems = {str(p.relative_to(hostile_site)): audit_page(p, hostile_site) for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}


def test_text_source_markup_shows_as_text(hostile_site: Path) -> None:
    text = _page_text(hostile_site / "v" / "d3" / "index.html")
    for snippet in HOSTILE:
        assert snippet in text, snippet


def test_tei_source_text_shows_as_text(hostile_site: Path) -> None:
    text = _page_text(hostile_site / "v" / "d7" / "index.html")
    assert '<script>alert("t")</script>' in text
    html = (hostile_site / "v" / "d7" / "index.html").read_text(encoding="utf-8")
    assert "xml-stylesheet" not in html and "alert(6)" not in html, "comments and PIs never reach the page"


def test_markdown_source_raw_html_shows_as_text(hostile_site: Path) -> None:
    text = _page_text(hostile_site / "v" / "d11" / "index.html")
    for snippet in ['<script>alert("md")</script>', "<img src=x onerror=alert(1)>", "<script>alert(3)</script>",
                    '<div onclick="alert(4)">block html</div>', "<iframe src=//evil.example/>"]:
        assert snippet in text, snippet


def test_markdown_page_raw_html_shows_as_text(hostile_site: Path) -> None:
    for page in (hostile_site / "about" / "index.html", hostile_site / "index.html"):
        text = _page_text(page)
        assert "<script>alert(3)</script>" in text
        assert "<img src=x onerror=alert(1)>" in text


def test_volume_metadata_and_site_name_are_escaped(hostile_site: Path) -> None:
    for page in (hostile_site / "index.html", hostile_site / "v" / "index.html", hostile_site / "v" / "d3" / "index.html"):
        text = _page_text(page)
        assert "<script>alert('n')</script>" in text
    assert "Volume <script>alert('v')</script>" in _page_text(hostile_site / "v" / "index.html")


def test_site_xml_files_carry_no_executable_markup(hostile_site: Path) -> None:
    """TEI files are served from the same origin: an XHTML script inside would run when opened."""
    for path in sorted(hostile_site.rglob("*.xml")):
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        assert tree.docinfo.doctype == "", path
        for el in tree.iter():
            if isinstance(el.tag, str):
                ns = etree.QName(el).namespace or ""
                assert "xhtml" not in ns and "svg" not in ns, (path, el.tag)
                assert not any(a.lower().startswith("on") for a in el.attrib), (path, el.tag)
        prolog = path.read_bytes().split(b"<TEI", 1)[0]
        assert b"xml-stylesheet" not in prolog, path


def test_ebook_carries_no_script(hostile_site: Path) -> None:
    books = sorted(hostile_site.rglob("*.epub"))
    if not books:
        pytest.skip("this build writes no ebooks")
    with zipfile.ZipFile(books[0]) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".html")):
                data = book.read(name).decode("utf-8")
                assert "<script" not in data and "onerror=" not in data.replace("onerror=alert", ""), name
                assert '<script>alert("s")' not in data


@pytest.mark.parametrize("attr", [
    '<ref target="javascript:alert(1)">x</ref>', '<ref target="JAVASCRIPT:alert(1)#d1">x</ref>',
    '<ref target=" javascript:alert(1)">x</ref>', '<ref target="vbscript:x">x</ref>',
    '<ref target="#d1&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">x</ref>',
    '<hi rend="x&quot; onclick=&quot;alert(1)">x</hi>', '<p xml:id="HOSTILE-ID">x</p>',
    '<note n="1&quot;&gt;&lt;script&gt;" xml:id="n1">x</note>', '<pb n="2&quot; onclick=&quot;a" xml:id="pg_2"/>',
    '<persName corresp="#x&quot;&gt;&lt;script&gt;">x</persName>', '<gloss target="#y\' onclick=\'a">x</gloss>',
    '<list><item xml:id="HOSTILE-ID">x</item></list>', '<seg xml:id="HOSTILE-ID">x</seg>',
])
@pytest.mark.parametrize("canonical", ["", "https://history.state.gov/historicaldocuments/"])
def test_renderer_escapes_every_attribute(attr: str, canonical: str, tmp_path: Path) -> None:
    div = TEI_DOC.format(n=1, body=f"<p>{attr}</p>").encode("utf-8")
    conv = read_tei(div, "d1.xml", "v")
    for el in conv.div.iter():
        if el.get(XML_ID) == "HOSTILE-ID":
            # The XML parser refuses such ids; another reader could still produce them.
            el.set(XML_ID, 'i"><b onclick="alert(1)">')
    rendered = tei_to_html(conv.div, "v/d1/", Linker("v", frozenset({("v", "d1")}), canonical))
    page = tmp_path / "v" / "d1" / "index.html"
    page.parent.mkdir(parents=True)
    csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
    notes = "".join(str(n.html) for n in rendered.notes)
    page.write_text(f"<html><head>{csp}</head><body>{rendered.head_html}{rendered.body_html}{notes}</body></html>",
                    encoding="utf-8")
    assert audit_page(page, tmp_path) == []
    audit = Audit()
    audit.feed(page.read_text(encoding="utf-8"))
    assert not [t for t, _ in audit.tags if t in ("script", "b")], "escaped markup stays text"


def test_person_and_term_lists_are_escaped(hostile_site: Path) -> None:
    pages = {p.relative_to(hostile_site).as_posix(): _page_text(p) for p in hostile_site.rglob("*.html")}
    assert any("Name <script>alert('p')</script>" in text for text in pages.values())
    doc = (hostile_site / "v" / "d7" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc or "onerror" not in doc


def test_json_ld_keeps_hostile_titles_as_data(hostile_site: Path) -> None:
    """Structured data carries the title as it is, with no way out of its script element."""
    import json

    audit = Audit()
    audit.feed((hostile_site / "v" / "d11" / "index.html").read_text(encoding="utf-8"))
    blocks = [body for tag, attrs, body in audit.raw if attrs.get("type") == "application/ld+json"]
    if not blocks:
        pytest.skip("this build writes no JSON-LD")
    for body in blocks:
        assert "<" not in body and ">" not in body
        data = json.dumps(json.loads(body), ensure_ascii=False)
        assert "<script>" in data, "the title's text is kept, as data"
