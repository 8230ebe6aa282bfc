"""Import of an official FRUS volume file: the layout written, and a lossless round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from lxml import etree

from despatch.errors import SourceError
from despatch.sources.frus_import import import_volume, reading_order
from despatch.sources.tei_reader import read_tei
from despatch.tei.document import build_tei
from despatch.tei.xmlio import NS, XML_ID, parse_bytes, parse_file, serialize
from despatch.validate.schema import validate_tei
from despatch.volume import load_volume

FIXTURE = Path(__file__).parent / "fixtures" / "tei" / "frus-test-volume.xml"
VOLUME_ID = "frus1961-63v16"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test volume imported once; returns its folder."""
    content = tmp_path_factory.mktemp("content")
    summary = import_volume(FIXTURE, content)
    assert summary.folder == content / VOLUME_ID
    return summary.folder


@pytest.fixture(scope="module")
def volume_root() -> etree._Element:
    return parse_file(FIXTURE).getroot()


def originals(root: etree._Element) -> list[etree._Element]:
    return root.xpath("//tei:div[@type='document']", namespaces=NS)


def canonical(node: etree._Element) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=True)


def load(folder: Path, name: str) -> dict:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def test_files_written(imported: Path) -> None:
    names = sorted(str(p.relative_to(imported)) for p in imported.rglob("*") if p.is_file())
    assert names == sorted([
        "volume.yml", "persons.yml", "terms.yml", "toc.yml",
        "d176.xml", "d180.xml", "d182.xml", "d186.xml", "d190.xml", "d198.xml", "d200.xml", "d206.xml",
        "front/titlePage.xml", "front/preface.xml", "front/terms.xml", "front/persons.xml", "back/index.xml",
    ])
    assert not list(imported.parent.glob(".*"))  # no staging folder left behind


def test_volume_yml_from_the_header(imported: Path) -> None:
    volume = load_volume(imported / "volume.yml")
    assert volume.id == VOLUME_ID
    assert volume.title == ("Foreign Relations of the United States, 1961–1963, Volume XVI, "
                            "Eastern Europe; Cyprus; Greece; Turkey")
    assert (volume.series, volume.volume, volume.subtitle) == (
        "Foreign Relations of the United States", "XVI", "Eastern Europe; Cyprus; Greece; Turkey")
    assert volume.editors == ["James E. Miller"] and volume.general_editor == "Glenn W. LaFantasie"
    assert (volume.publisher, volume.pub_place, volume.year) == (
        "United States Government Printing Office", "Washington", "1994")
    assert volume.canonical_url == "https://history.state.gov/historicaldocuments/frus1961-63v16"
    assert volume.extra["identifiers"]["isbn-13"] == "9780160418136"


def test_persons_and_terms_keep_their_ids(imported: Path) -> None:
    persons, terms = load(imported, "persons.yml"), load(imported, "terms.yml")
    assert persons["p_RD1"] == {"name": "Rusk, Dean", "description": "Secretary of State"}
    assert persons["p_KNS1"]["name"] == "Khrushchev, Nikita S."
    assert persons["p_BWC1"]["description"].startswith("Director of the Office of British Commonwealth")
    assert terms["t_NOFORN1"] == {"term": "Noforn", "description": "no foreign dissemination"}
    assert len(persons) == 17 and len(terms) == 22
    # Every person and term the documents link to is listed.
    docs = " ".join((imported / f).read_text(encoding="utf-8") for f in ("d176.xml", "d190.xml", "d206.xml"))
    for ident in ("p_GA1", "p_KB1", "p_KU1", "t_NATO1", "t_TOPOL1"):
        assert f'"#{ident}"' in docs and (ident in persons or ident in terms)


def test_chapters_and_reading_order(imported: Path, volume_root: etree._Element) -> None:
    toc = load(imported, "toc.yml")
    order = [d.get(XML_ID) for d in originals(volume_root)]
    assert [c["title"] for c in toc["chapters"]] == ["Austria", "Finland"]
    assert [c["id"] for c in toc["chapters"]] == ["ch4", "ch5"]
    assert toc["chapters"][0]["path"] == ["Eastern Europe; Cyprus; Greece; Turkey"]
    assert [d for c in toc["chapters"] for d in c["documents"]] == order
    assert reading_order(toc["contents"]) == order
    assert [part["kind"] for part in toc["contents"]] == ["front", "pb", "body", "back"]


def test_every_page_break_between_parts_is_kept(imported: Path, volume_root: etree._Element) -> None:
    toc = load(imported, "toc.yml")
    between = []

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            if node["kind"] == "pb":
                between.append(node["id"])
            walk(node.get("items") or [])

    walk(toc["contents"])
    in_files = [pb.get(XML_ID) for f in sorted(imported.rglob("*.xml"))
                for pb in parse_file(f).getroot().iter("{*}pb")]
    expected = [pb.get(XML_ID) for pb in volume_root.iter("{*}pb")]
    assert sorted(between + in_files) == sorted(expected)
    assert between == ["pg_I", "pg_III", "pg_XVII", "pg_XIX", "pg_360", "pg_397"]


def test_front_and_back_matter_kept_verbatim(imported: Path, volume_root: etree._Element) -> None:
    for section in ("preface", "terms", "persons", "index"):
        [original] = volume_root.xpath(f"//tei:div[@xml:id='{section}']", namespaces=NS)
        folder = "back" if section == "index" else "front"
        assert canonical(parse_file(imported / folder / f"{section}.xml").getroot()) == canonical(original)
    title_page = parse_file(imported / "front" / "titlePage.xml").getroot()
    assert etree.QName(title_page).localname == "titlePage"


@pytest.mark.parametrize("doc", ["d176", "d180", "d182", "d186", "d190", "d198", "d200", "d206"])
def test_round_trip_keeps_text_notes_and_pages(imported: Path, volume_root: etree._Element, doc: str) -> None:
    [original] = volume_root.xpath(f"//tei:div[@xml:id='{doc}']", namespaces=NS)
    path = imported / f"{doc}.xml"
    conv = read_tei(path.read_bytes(), str(path), VOLUME_ID)
    # Through the build's TEI output and back again.
    out = serialize(build_tei(conv, load_volume(imported / "volume.yml"), f"{VOLUME_ID}/{doc}.xml"))
    back = parse_bytes(out, "out.xml").getroot().find("tei:text/tei:body/tei:div", NS)
    for div in (read_tei(path.read_bytes(), str(path)).div, back):
        assert "".join(div.itertext()) == "".join(original.itertext())
        assert notes(div) == notes(original)
        assert pages(div) == pages(original)
        assert links(div) == links(original)
        assert canonical(div) == canonical(original)


def notes(div: etree._Element) -> list[tuple[str | None, str | None, str]]:
    return [(n.get(XML_ID), n.get("n"), "".join(n.itertext())) for n in div.iter("{*}note")]


def pages(div: etree._Element) -> list[tuple[str | None, str | None, str | None]]:
    return [(p.get("n"), p.get(XML_ID), p.get("facs")) for p in div.iter("{*}pb")]


def links(div: etree._Element) -> list[tuple[str, str | None]]:
    return [(etree.QName(e).localname, e.get("corresp") or e.get("target")) for e in div.iter()
            if isinstance(e.tag, str) and (e.get("corresp") or e.get("target"))]


def test_attachment_kept_in_its_document(imported: Path) -> None:
    div = parse_file(imported / "d200.xml").getroot()
    [attachment] = div.findall("frus:attachment", NS)
    assert attachment.get(XML_ID) == "d200at1"
    assert attachment.find("tei:note", NS) is None and attachment.find(".//tei:note", NS).get(XML_ID) == "d200fn2"


def test_imported_documents_are_valid_sources(imported: Path) -> None:
    volume = load_volume(imported / "volume.yml")
    for path in sorted(imported.glob("d*.xml")):
        conv = read_tei(path.read_bytes(), str(path), VOLUME_ID)
        assert validate_tei(build_tei(conv, volume, path.name), str(path)) == []


def test_import_is_deterministic(tmp_path: Path, imported: Path) -> None:
    import_volume(FIXTURE, tmp_path)
    again = tmp_path / VOLUME_ID
    for path in imported.rglob("*"):
        if path.is_file():
            assert (again / path.relative_to(imported)).read_bytes() == path.read_bytes(), path


def test_an_existing_folder_is_replaced_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / VOLUME_ID
    target.mkdir()
    (target / "d1.txt").write_text("an edited source", encoding="utf-8")
    with pytest.raises(SourceError, match="already exists"):
        import_volume(FIXTURE, tmp_path)
    assert (target / "d1.txt").exists()
    summary = import_volume(FIXTURE, tmp_path, replace=True)
    assert summary.documents == 8 and not (target / "d1.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [VOLUME_ID]


def test_summary_counts(tmp_path: Path) -> None:
    summary = import_volume(FIXTURE, tmp_path)
    assert (summary.documents, summary.chapters, summary.sections, summary.persons, summary.terms) == (8, 2, 5, 17, 22)
    assert summary.pages == sum(1 for _ in parse_file(FIXTURE).getroot().iter("{*}pb"))
    assert str(summary).startswith(f"Imported {VOLUME_ID} into ")


@pytest.mark.parametrize("data, words", [
    (b'<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="d1"/>', "not a FRUS volume file"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="../evil"><text><body/></text></TEI>', "not well-formed"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>\n<text><body><div type="document"/></body></text></TEI>',
     "a document div has no xml:id"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</body></text></TEI>', "not well-formed"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><publicationStmt><idno type="frus">'
     b'../evil</idno></publicationStmt></fileDesc></teiHeader><text><body/></text></TEI>', "cannot name a folder"),
])
def test_bad_volume_files_are_refused_with_a_position(tmp_path: Path, data: bytes, words: str) -> None:
    source = tmp_path / "bad.xml"
    source.write_bytes(data)
    with pytest.raises(SourceError) as err:
        import_volume(source, tmp_path / "content")
    diag = err.value.diagnostics[0]
    assert words in diag.message and diag.path == str(source) and diag.line >= 1
    assert not (tmp_path / "content" / "bad").exists()


def test_round_trip_through_the_build(tmp_path: Path, volume_root: etree._Element) -> None:
    """Import, build the edition, read the TEI the build wrote: text, notes, pages and ids are kept."""
    from conftest import copy_project
    from despatch.config import load_config
    from despatch.site.build import build

    root = copy_project(tmp_path / "project", ["frus1961-63v13"])
    import_volume(FIXTURE, root / "content")
    build(load_config(root / "mkdocs.yml", search=False))
    for original in originals(volume_root):
        ident = original.get(XML_ID)
        tei = parse_file(root / "build" / "tei" / VOLUME_ID / f"{ident}.xml").getroot()
        out = tei.find("tei:text/tei:body/tei:div", NS)
        assert "".join(out.itertext()) == "".join(original.itertext()), ident
        assert notes(out) == notes(original) and pages(out) == pages(original), ident
        kept = {e.get(XML_ID) for e in out.iter() if e.get(XML_ID)}
        assert {e.get(XML_ID) for e in original.iter() if e.get(XML_ID)} <= kept, ident
        page = (root / "build" / "site" / VOLUME_ID / ident / "index.html").read_text(encoding="utf-8")
        assert all(f'id="{p}"' in page for _, p, _ in pages(original)), ident
    listing = (root / "build" / "site" / VOLUME_ID / "index.html").read_text(encoding="utf-8")
    assert listing.index("Austria") < listing.index("d176") < listing.index("Finland") < listing.index("d206")
