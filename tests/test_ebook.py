"""Volume EPUBs: valid EPUB 3 (epubcheck), notes as footnotes, a page-list, byte-identical rebuilds."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from despatch.ebook import write_epub
from despatch.errors import SourceError
from despatch.model import DocRecord
from despatch.tei.xmlio import TEI_NS, XML_ID, parse_bytes
from despatch.volume import Volume

CORPUS = Path(__file__).parent / "corpus" / "tei"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
VOLUME = Volume(id="frus1961-63v16", title="Foreign Relations of the United States, 1961–1963, Volume XVI",
                series="Foreign Relations of the United States", editors=["James E. Miller"],
                publisher="United States Government Printing Office", pub_place="Washington", year="1994")


def head_text(div: etree._Element) -> str:
    """The document title: the head's text without its notes."""
    head = copy.deepcopy(div.find(f"{{{TEI_NS}}}head"))
    for note in head.findall(f".//{{{TEI_NS}}}note"):
        note.text, note.tail = "", note.tail          # drop the note's words, keep what follows it
        for child in list(note):
            note.remove(child)
    return re.sub(r"\s+", " ", "".join(head.itertext())).strip()


def volume_docs(prefix: str = "frus1961-63v16") -> list[tuple[DocRecord, bytes]]:
    """The corpus documents of one volume, in reading order, as the build hands them over."""
    files = sorted(CORPUS.glob(f"{prefix}_d*.xml"), key=lambda p: int(re.search(r"_d(\d+)", p.name)[1]))
    docs = []
    for order, path in enumerate(files):
        data = path.read_bytes()
        div = parse_bytes(data, str(path)).getroot()
        docs.append((DocRecord(volume=prefix, id=div.get(XML_ID), n=div.get("n"), title=head_text(div),
                               order=order, source=str(path)), data))
    return docs


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_epub(VOLUME, volume_docs(), tmp_path_factory.mktemp("epub") / "v16.epub")


def member(book: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(book) as z:
        return etree.fromstring(z.read(name))


def epubcheck(book: Path) -> None:
    """Run Debian's epubcheck (a jar: run it with java, the package's wrapper needs binfmt support)."""
    java = shutil.which("java")
    if not (java and EPUBCHECK_JAR.exists()):
        pytest.skip("epubcheck is not installed (Debian packages 'epubcheck' and a Java runtime)")
    run = subprocess.run([java, "-jar", str(EPUBCHECK_JAR), str(book)], check=False, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 errors / 0 warnings" in run.stdout


def test_epubcheck_accepts_the_volume(book: Path) -> None:
    epubcheck(book)


def test_a_volume_with_several_editors_is_a_valid_epub(tmp_path: Path) -> None:
    volume = Volume(id=VOLUME.id, title=VOLUME.title, editors=["Ronald D. Landa", "James E. Miller", "Jane Doe"])
    book = write_epub(volume, volume_docs()[:2], tmp_path / "editors.epub")
    creators = member(book, "EPUB/content.opf").iter("{http://purl.org/dc/elements/1.1/}creator")
    assert [(c.get("id"), c.text) for c in creators] == [
        ("creator", "Ronald D. Landa"), ("creator-2", "James E. Miller"), ("creator-3", "Jane Doe")]
    epubcheck(book)


def test_the_build_publishes_each_volume_as_a_valid_epub(seed_site: Path) -> None:
    book = seed_site / "build" / "site" / "frus1961-63v13" / "frus1961-63v13.epub"
    epubcheck(book)
    page = member(book, "EPUB/d245.xhtml")
    notes = [a for a in page.iter(f"{XHTML}aside") if a.get(EPUB_TYPE) == "footnote"]
    assert [a.get("id") for a in notes] == ["d245fn0", "d245fn1", "d245fn2"]
    assert "Rusk, who was in Athens" in "".join(notes[1].itertext())
    # Documents 136 and 137 are not in the example edition: they link to the canonical web edition.
    hrefs = [a.get("href") for a in notes[1].iter(f"{XHTML}a")]
    assert "https://history.state.gov/historicaldocuments/frus1961-63v13/d136" in hrefs
    nav = member(book, "EPUB/nav.xhtml")
    assert [a.text for a in nav.iter(f"{XHTML}a") if a.get("href") == "d245.xhtml#pg_691"] == ["691"]


def test_every_note_is_a_footnote_linked_both_ways(book: Path) -> None:
    for rec, data in volume_docs():
        div = parse_bytes(data, rec.source).getroot()
        expected = [n.get(XML_ID) for n in div.iter(f"{{{TEI_NS}}}note")]
        page = member(book, f"EPUB/{rec.id}.xhtml")
        asides = [a.get("id") for a in page.iter(f"{XHTML}aside") if a.get(EPUB_TYPE) == "footnote"]
        assert asides == expected, rec.id
        refs = {a.get("href"): a.get("id") for a in page.iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"}
        assert set(refs) == {f"#{n}" for n in expected}
        backs = {a.get("href") for a in page.iter(f"{XHTML}a") if a.get("role") == "doc-backlink"}
        assert backs == {f"#{ref}" for ref in refs.values()}


def test_page_list_follows_the_page_breaks(book: Path) -> None:
    expected = []
    for rec, data in volume_docs():
        div = parse_bytes(data, rec.source).getroot()
        expected += [(f"{rec.id}.xhtml#{pb.get(XML_ID)}", pb.get("n")) for pb in div.iter(f"{{{TEI_NS}}}pb")]
    nav = member(book, "EPUB/nav.xhtml")
    page_list = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "page-list")
    assert [(a.get("href"), a.text) for a in page_list.iter(f"{XHTML}a")] == expected
    assert len(expected) > 10


def test_contents_list_every_document_in_order(book: Path) -> None:
    nav = member(book, "EPUB/nav.xhtml")
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    hrefs = [a.get("href") for a in toc.iter(f"{XHTML}a")]
    assert hrefs == ["title.xhtml"] + [f"{rec.id}.xhtml" for rec, _ in volume_docs()]


def test_cross_references_inside_the_volume_become_links(tmp_path: Path) -> None:
    docs = volume_docs()
    first, data = docs[0]
    linked = data.replace(b"</head>", b"</head><p>See <ref target=\"#" + docs[1][0].id.encode()
                          + b"\">the next</ref> and <ref target=\"frus1969-76v01#d1\">elsewhere</ref>.</p>", 1)
    out = write_epub(VOLUME, [(first, linked), docs[1]], tmp_path / "x.epub")
    page = member(out, f"EPUB/{first.id}.xhtml")
    assert [a.get("href") for a in page.iter(f"{XHTML}a") if a.text == "the next"] == [f"{docs[1][0].id}.xhtml"]
    assert not [a for a in page.iter(f"{XHTML}a") if a.text == "elsewhere"]     # no web base: plain text
    out = write_epub(VOLUME, [(first, linked), docs[1]], tmp_path / "y.epub",
                     web_base="https://history.state.gov/historicaldocuments/")
    page = member(out, f"EPUB/{first.id}.xhtml")
    assert [a.get("href") for a in page.iter(f"{XHTML}a") if a.text == "elsewhere"] == [
        "https://history.state.gov/historicaldocuments/frus1969-76v01/d1"]


def test_rebuild_is_byte_identical(book: Path, tmp_path: Path) -> None:
    again = write_epub(VOLUME, volume_docs(), tmp_path / "again.epub")
    assert again.read_bytes() == book.read_bytes()
    with zipfile.ZipFile(again) as z:
        first = z.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)


def test_a_document_that_is_not_tei_is_named(tmp_path: Path) -> None:
    rec = DocRecord(volume=VOLUME.id, id="d1", n="1", title="One", source="content/v/d1.xml")
    with pytest.raises(SourceError) as err:
        write_epub(VOLUME, [(rec, b"<html><body/></html>")], tmp_path / "bad.epub")
    assert "content/v/d1.xml:1:1" in str(err.value)
    assert "div type='document'" in str(err.value)
