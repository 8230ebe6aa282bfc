"""Text as it is: line ends, BOM, NBSP, tabs, invisible characters, combining marks and right-to-left
text survive from the source to the TEI and the page; the only normalisations are those listed in
docs/robustness.md."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import etree

from despatch.config import load_config
from despatch.errors import SourceError
from despatch.site.build import build
from despatch.sources.tei_reader import read_tei
from despatch.sources.text import convert_bytes
from despatch.tei.xmlio import TEI_NS, serialize
from robust import TEI_DOC, run, write_project

# Each piece of text that must come through unchanged, with what makes it hard.
PIECES = {
    "nbsp": "Central\u00a0Files 711.11/7\u2013858",
    "narrow nbsp": "10\u202f000 troops",
    "figure space": "page\u2007 7",
    "tab": "Secret\tNiact",
    "zero-width space": "long\u200bword",
    "zero-width joiners": "\u0915\u094d\u200d\u0937 and a\u200cb",
    "word joiner": "no\u2060break",
    "mid-text BOM": "zero\ufeffwidth",
    "combining acute": "de\u0301tente",
    "precomposed acute": "d\u00e9tente",
    "stacked marks": "a\u0308\u0301\u0327",
    "hebrew": "\u05e9\u05dc\u05d5\u05dd \u05e2\u05dc\u05d9\u05db\u05dd",
    "arabic with shadda": "\u0645\u062d\u0645\u0651\u062f",
    "isolates": "\u2067\u0627\u0644\u0633\u0644\u0627\u0645\u2069 (Arabic)",
    "direction marks": "A\u200fB\u200eC",
    "emoji with modifier": "\U0001f44d\U0001f3fd",
    "astral CJK": "\U00020000\u4e2d\u6587",
    "ligature": "\ufb01nal",
}


def telegram(n: int = 5) -> str:
    """A telegram whose title, body and notes hold every piece."""
    pieces = list(PIECES.values())
    body = "\n\n".join(f"Paragraph {k}: {p} end." for k, p in enumerate(pieces))
    return (f"{n}. Telegram From Paris {PIECES['hebrew']} {PIECES['combining acute']}0\n\n{body}\n\n"
            f"A list follows:\n\n  • {PIECES['nbsp']}\n  • {PIECES['isolates']}1\n\n"
            f"  1. Source: {PIECES['nbsp']}. {PIECES['tab']}.\n  2. Note: {PIECES['stacked marks']} "
            f"{PIECES['direction marks']}.\n")


def tei_text(div: etree._Element) -> str:
    return "".join(div.itertext())


class PageText(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(html)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An edition with the telegram as LF, CRLF, CR and BOM sources, and a TEI source."""
    text = telegram()
    tei = TEI_DOC.format(n=9, body="<p>" + " | ".join(PIECES.values()).replace("&", "&amp;") + "</p>")
    root = write_project(tmp_path_factory.mktemp("unicode") / "p", {"v": {
        "d5.txt": text,
        "d6.txt": text.replace("5. Telegram", "6. Telegram").replace("\n", "\r\n"),
        "d7.txt": text.replace("5. Telegram", "7. Telegram").replace("\n", "\r"),
        "d8.txt": "\ufeff" + text.replace("5. Telegram", "8. Telegram"),
        "d9.xml": "\ufeff" + tei.replace("\n", "\r\n"),
    }})
    build(load_config(root / "mkdocs.yml", workers=1))
    return root


@pytest.mark.parametrize("doc", ["d5", "d6", "d7", "d8"])
def test_every_piece_reaches_the_tei_and_the_page(built: Path, doc: str) -> None:
    site = built / "build" / "site" / "v"
    tei = tei_text(etree.parse(str(site / f"{doc}.xml")).getroot())
    page = "".join(PageText((site / doc / "index.html").read_text(encoding="utf-8")).parts)
    for name, piece in PIECES.items():
        assert piece in tei, f"{name} lost in the TEI"
        assert piece in page, f"{name} lost in the page"


def test_line_ends_and_bom_give_the_same_tei(built: Path) -> None:
    tei = built / "build" / "tei" / "v"

    def body(doc: str) -> str:
        """The document's text element, its number written N (the sources differ only in it)."""
        text = etree.parse(str(tei / f"{doc}.xml")).getroot().find(f"{{{TEI_NS}}}text")
        assert text is not None
        n = doc[1:]
        return (etree.tostring(text, encoding="unicode").replace(f"{n}. Telegram", "N. Telegram")
                .replace(f'"d{n}', '"dN').replace(f'"#d{n}"', '"#dN"').replace(f'n="{n}"', 'n="N"'))

    same = [body(d) for d in ("d5", "d6", "d7", "d8")]
    assert same[1:] == same[:1] * 3
    assert "\r" not in same[0] and "\ufeff" + "N." not in same[0]


def test_the_tei_source_keeps_every_piece(built: Path) -> None:
    site = built / "build" / "site" / "v"
    tei = tei_text(etree.parse(str(site / "d9.xml")).getroot())
    page = "".join(PageText((site / "d9" / "index.html").read_text(encoding="utf-8")).parts)
    for name, piece in PIECES.items():
        assert piece in tei and piece in page, name


def test_nothing_is_normalised() -> None:
    """Decomposed and precomposed forms stay as they were written (no NFC or NFKC)."""
    conv = convert_bytes(telegram().encode("utf-8"), "d5.txt", "v")
    text = tei_text(conv.div)
    assert "de\u0301tente" in text and "d\u00e9tente" in text and "\ufb01nal" in text
    assert unicodedata.normalize("NFC", text) != text


def test_title_and_notes_keep_their_characters(built: Path) -> None:
    html = (built / "build" / "site" / "v" / "d5" / "index.html").read_text(encoding="utf-8")
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert PIECES["hebrew"] in title and PIECES["combining acute"] in title
    volume = (built / "build" / "site" / "v" / "index.html").read_text(encoding="utf-8")
    assert PIECES["hebrew"] in volume


def test_pages_declare_utf8(built: Path) -> None:
    for page in (built / "build" / "site").rglob("*.html"):
        head = page.read_text(encoding="utf-8")[:300].lower()
        assert '<meta charset="utf-8">' in head, page


def test_crlf_errors_point_at_the_same_place() -> None:
    broken = "1. Telegram0\n\nText [Page 12] and [Page 11].\n\n  1. Source: S.\n"
    where = []
    for data in (broken, broken.replace("\n", "\r\n"), "\ufeff" + broken):
        with pytest.raises(SourceError) as exc:
            convert_bytes(data.encode("utf-8"), "d1.txt", "v")
        d = exc.value.diagnostics[0]
        where.append((d.line, d.col, d.message, d.source_line))
    assert where[1] == where[0] and where[2] == where[0]
    assert "\r" not in (where[1][3] or "")


def test_a_bom_column_is_not_counted() -> None:
    """Column 1 is the first character the user sees, not the invisible BOM."""
    with pytest.raises(SourceError) as exc:
        convert_bytes("\ufeffTelegram without a number\n".encode("utf-8"), "d1.txt", "v")
    assert (exc.value.diagnostics[0].line, exc.value.diagnostics[0].col) == (1, 1)


def test_tei_source_crlf_and_character_references() -> None:
    """XML itself turns CRLF into LF and character references into characters (XML 1.0, 2.11 and 4.1)."""
    data = TEI_DOC.format(n=1, body="<p>A&#160;B&#x200B;C\r\nD</p>").encode("utf-8")
    div = read_tei(data, "d1.xml", "v").div
    p = div.find(f"{{{TEI_NS}}}p")
    assert p is not None and p.text == "A\u00a0B\u200bC\nD"
    assert "A\u00a0B\u200bC" in serialize(div).decode("utf-8")


def test_cli_convert_writes_the_characters_as_utf8(tmp_path: Path) -> None:
    src = tmp_path / "v" / "d5.txt"
    src.parent.mkdir()
    src.write_bytes(telegram().replace("\n", "\r\n").encode("utf-8"))
    code, err = run(["convert", str(src), "-o", str(tmp_path / "d5.xml")])
    assert code == 0, err
    text = (tmp_path / "d5.xml").read_text(encoding="utf-8")
    for name, piece in PIECES.items():
        assert piece in text, name


def test_markdown_source_line_ends_and_bom() -> None:
    from despatch.sources.markdown import convert_markdown_bytes

    md = (Path(__file__).parent / "fixtures" / "text" / "seed_d245.md").read_text(encoding="utf-8")
    md = md.replace("Secto 24.", f"Secto 24. {PIECES['nbsp']} {PIECES['combining acute']} {PIECES['hebrew']}"
                    f" {PIECES['zero-width space']}")
    plain = serialize(convert_markdown_bytes(md.encode("utf-8"), "d245.md", "frus1961-63v13").div)
    for data in (md.replace("\n", "\r\n"), "\ufeff" + md):
        assert serialize(convert_markdown_bytes(data.encode("utf-8"), "d245.md", "frus1961-63v13").div) == plain
    text = plain.decode("utf-8")
    for name in ("nbsp", "combining acute", "hebrew", "zero-width space"):
        assert PIECES[name] in text, name


def test_configuration_and_yaml_files_with_bom_and_crlf(tmp_path: Path) -> None:
    """Editors on Windows save mkdocs.yml, volume.yml and the lists with a BOM and CRLF."""
    from robust import TELEGRAM

    root = write_project(tmp_path / "p", {"v": {
        "volume.yml": "\ufeffid: v\r\ntitle: Volume \u05e9\u05dc\u05d5\u05dd\r\n",
        "persons.yml": "\ufeffp1:\r\n  name: Ac\u0301heson\r\n",
        "d1.txt": TELEGRAM.format(n=1, body="Text."),
    }})
    yml = root / "mkdocs.yml"
    yml.write_bytes(b"\xef\xbb\xbf" + yml.read_bytes().replace(b"\n", b"\r\n"))
    code, err = run(["build", "-f", str(yml)])
    assert code == 0, err
    page = (root / "build" / "site" / "v" / "index.html").read_text(encoding="utf-8")
    assert "Volume \u05e9\u05dc\u05d5\u05dd" in page and "\ufeff" not in page
