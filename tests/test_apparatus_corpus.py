"""The apparatus on the corpus: citations of every source note, and persons and terms linked both ways."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

import lxml.html
import pytest

from despatch.apparatus.archives import is_complete
from despatch.apparatus.context import ApparatusContext
from despatch.apparatus.enrich import enrich
from despatch.apparatus.record import extract_record, source_note
from despatch.config import load_config
from despatch.site.build import build
from despatch.sources.frus_import import import_volume
from despatch.sources.tei_reader import read_tei
from despatch.sources.text import convert_bytes
from despatch.tei.xmlio import XML_ID

from conftest import CORPUS, ROOT

VOLUME_FILE = Path(__file__).parent / "fixtures" / "tei" / "frus-test-volume.xml"
VOLUME = "frus1961-63v16"
TEI = sorted((CORPUS / "tei").glob("*.xml"))
TEXT = sorted((CORPUS / "text").glob("*.txt"))


def source_note_citation_counts(convs) -> tuple[int, int]:
    """(documents with a source note, those whose first citation there has repository, collection and file)."""
    noted = parsed = 0
    for conv in convs:
        enrich(conv.div, ApparatusContext("v"))
        record = extract_record(conv, "v", 0)
        note = source_note(conv.div)
        if note is None:
            continue
        noted += 1
        cited = [c for c in record.citations if c.note_id == note.get(XML_ID)]
        parsed += bool(cited) and is_complete(cited[0])
    return noted, parsed


def test_every_source_note_of_the_official_tei_parses() -> None:
    noted, parsed = source_note_citation_counts(read_tei(p.read_bytes(), str(p)) for p in TEI)
    # 41 documents, of which 3 editorial notes have no source note.
    assert (noted, parsed) == (38, 38)


def test_every_source_note_of_the_text_copies_parses() -> None:
    noted, parsed = source_note_citation_counts(
        convert_bytes(p.read_bytes(), str(p), p.stem.split("_")[0]) for p in TEXT)
    assert (noted, parsed) == (38, 38)


def test_enrichment_keeps_every_character_of_the_corpus() -> None:
    persons = {"p_RD1": {"name": "Rusk, Dean"}, "p_DEGC1": {"name": "de Gaulle, Charles"}}
    for path in TEI:
        conv = read_tei(path.read_bytes(), str(path))
        before = "".join(conv.div.itertext())
        enrich(conv.div, ApparatusContext("v", persons, {"t_NATO1": {"term": "NATO"}}))
        assert "".join(conv.div.itertext()) == before, path.name


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus documents of vol. XVI imported from the test volume file, with its lists, built."""
    root = tmp_path_factory.mktemp("v16")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    import_volume(VOLUME_FILE, root / "content")
    build(load_config(root / "mkdocs.yml", search=False, ebooks=False))
    return root / "build" / "site"


def links(site: Path, page: str, cls: str) -> list[tuple[str, str]]:
    """(site path the link goes to, its text) of every link of a class on a page."""
    doc = lxml.html.fromstring((site / page / "index.html").read_bytes())
    out = []
    for a in doc.iterfind(".//a"):
        if cls in (a.get("class") or "").split():
            path, _, frag = a.get("href").partition("#")
            out.append((posixpath.normpath(posixpath.join(page, path)) + "/#" + frag, a.text_content()))
    return out


@pytest.mark.parametrize("kind,cls", [("persons", "person"), ("terms", "term")])
def test_persons_and_terms_link_both_ways(imported_site: Path, kind: str, cls: str) -> None:
    site = imported_site
    index_page = f"{VOLUME}/{kind}/"
    index = lxml.html.fromstring((site / index_page / "index.html").read_bytes())
    entries = {dt.get("id"): dt for dt in index.iterfind(".//dt")}
    assert entries, f"no {kind} listed"
    docs = sorted(p.parent.name for p in (site / VOLUME).glob("d*/index.html") if "fn" not in p.parent.name)
    mentioned: dict[str, set[str]] = {}
    for doc in docs:
        for target, _ in links(site, f"{VOLUME}/{doc}/", cls):
            path, _, ident = target.partition("#")
            assert path == f"{VOLUME}/{kind}/", f"{doc}: a mention links to {target}"
            assert ident in entries, f"{doc}: {ident} has no entry on the {kind} page"
            mentioned.setdefault(ident, set()).add(doc)
    assert mentioned, f"no {kind} mentioned"
    for ident, dt in entries.items():
        listed = set()
        for a in dt.getnext().iterfind(".//a"):
            path = posixpath.normpath(posixpath.join(index_page, a.get("href")))
            listed.add(path.split("/")[-1])
        assert listed == mentioned.get(ident, set()), f"{ident}: the entry lists {listed}"


def test_a_mention_shows_its_description(imported_site: Path) -> None:
    doc = lxml.html.fromstring((imported_site / VOLUME / "d200" / "index.html").read_bytes())
    persons = [a for a in doc.iterfind(".//a") if a.get("class") == "person"]
    burdett = next(a for a in persons if a.text_content() == "Burdett")
    assert burdett.get("title", "").startswith("Director of the Office of British Commonwealth")
