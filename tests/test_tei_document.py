"""build_tei: the teiHeader from volume.yml, the document div in text/body, deterministic output."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from despatch.sources.base import Converted
from despatch.sources.tei_reader import read_tei
from despatch.tei.document import build_tei, head_text
from despatch.tei.xmlio import NS, parse_bytes, serialize
from despatch.validate.schema import validate_tei
from despatch.volume import Volume

D176 = Path(__file__).parent / "corpus" / "tei" / "frus1961-63v16_d176.xml"
FULL = Volume(id="frus1961-63v16",
              title="Foreign Relations of the United States, 1961–1963, Volume XVI, Eastern Europe; Cyprus; Greece; Turkey",
              series="Foreign Relations of the United States", volume="XVI", editors=["James E. Miller"],
              general_editor="Glenn W. LaFantasie", publisher="United States Government Printing Office",
              pub_place="Washington", year="1994")
BARE = Volume(id="frus1961-63v13", title="Foreign Relations of the United States, 1961–1963, Volume XIII")


def build(volume: Volume, source: str = "content/frus1961-63v16/d176.xml") -> etree._Element:
    conv = read_tei(D176.read_bytes(), str(D176), volume.id)
    return build_tei(conv, volume, source)


def texts(root: etree._Element, xpath: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in root.xpath(xpath, namespaces=NS)]


def test_header_from_the_volume() -> None:
    root = build(FULL)
    title_stmt = "tei:teiHeader/tei:fileDesc/tei:titleStmt"
    assert texts(root, f"{title_stmt}/tei:title[@level='a']") == [
        "176. Telegram From the Embassy in the Soviet Union to the Department of State"]
    assert texts(root, f"{title_stmt}/tei:title[@level='m']") == [FULL.title]
    assert texts(root, f"{title_stmt}/tei:editor[@role='primary']") == ["James E. Miller"]
    assert texts(root, f"{title_stmt}/tei:editor[@role='general']") == ["Glenn W. LaFantasie"]
    pub = "tei:teiHeader/tei:fileDesc/tei:publicationStmt"
    assert texts(root, f"{pub}/tei:publisher") == ["United States Government Printing Office"]
    assert texts(root, f"{pub}/tei:pubPlace") == ["Washington"]
    assert texts(root, f"{pub}/tei:date") == ["1994"]
    assert texts(root, f"{pub}/tei:idno[@type='frus']") == ["frus1961-63v16"]
    series = "tei:teiHeader/tei:fileDesc/tei:seriesStmt"
    assert texts(root, f"{series}/tei:title") == ["Foreign Relations of the United States"]
    assert texts(root, f"{series}/tei:biblScope[@unit='volume']") == ["XVI"]
    source = root.xpath("tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:ref", namespaces=NS)[0]
    assert source.text == "content/frus1961-63v16/d176.xml"
    assert source.get("target") == "content/frus1961-63v16/d176.xml"


def test_unknown_fields_are_left_out_not_invented() -> None:
    root = build(BARE)
    assert root.xpath("//tei:editor | //tei:seriesStmt | //tei:publisher | //tei:pubPlace", namespaces=NS) == []
    assert texts(root, "tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:p") == ["Publisher not recorded."]
    assert validate_tei(root, "x") == []


def test_body_holds_the_div_with_namespaces_declared_once() -> None:
    root = build(FULL)
    [div] = root.xpath("tei:text/tei:body/tei:div", namespaces=NS)
    assert div.get("{http://www.w3.org/XML/1998/namespace}id") == "d176"
    assert root.nsmap == {None: "http://www.tei-c.org/ns/1.0", "frus": "http://history.state.gov/frus/ns/1.0"}
    data = serialize(root)
    assert data.count(b'xmlns="http://www.tei-c.org/ns/1.0"') == 1
    assert data.count(b"xmlns:frus=") == 1
    # Every note, page break and link of the source reaches the output.
    # (Exclusive C14N: libxml2's inclusive C14N of a subtree writes spurious xmlns="" declarations.)
    source = parse_bytes(D176.read_bytes(), str(D176)).getroot()
    out = parse_bytes(data, "out.xml").getroot().find("tei:text/tei:body/tei:div", NS)
    assert canonical(out) == canonical(source)


def canonical(node: etree._Element) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=True)


def test_output_is_deterministic() -> None:
    assert serialize(build(FULL)) == serialize(build(FULL))


def test_source_names_with_spaces_become_valid_uris() -> None:
    root = build(FULL, "content/my volume/d 176.xml")
    ref = root.xpath("//tei:sourceDesc//tei:ref", namespaces=NS)[0]
    assert ref.get("target") == "content/my%20volume/d%20176.xml"
    assert ref.text == "content/my volume/d 176.xml"
    assert validate_tei(root, "x") == []


def test_title_leaves_out_the_source_note_but_keeps_text_after_it() -> None:
    div = parse_bytes(b'<div xmlns="http://www.tei-c.org/ns/1.0" type="document"><head>12. Note <hi>A</hi>'
                      b'<note n="0">Source: x</note> to B</head></div>', "x").getroot()
    assert head_text(div) == "12. Note A to B"
    out = build_tei(Converted(div, "x"), BARE, "x.txt")
    assert out.xpath("string(//tei:title[@level='a'])", namespaces=NS) == "12. Note A to B"


def test_a_comment_in_the_head_is_not_part_of_the_title() -> None:
    div = parse_bytes(b'<div xmlns="http://www.tei-c.org/ns/1.0" type="document"><head>12. Note <!-- checked -->'
                      b'A<?pi x?> to B</head></div>', "x").getroot()
    assert head_text(div) == "12. Note A to B"


def test_every_title_leaves_out_a_note_at_any_depth_of_the_head() -> None:
    """The record's title (lists, <title>, citations), the TEI header's and the text converter's are one
    rule: no note's text is part of a title, however deep in the head; its tail is."""
    from despatch.apparatus.record import extract_record
    from despatch.render.html import plain_title
    from despatch.tei.xmlio import title_text

    div = parse_bytes(b'<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="d12" n="12"><head>12. '
                      b'Telegram From <persName>Rusk<note n="1">Dean Rusk, Secretary of State.</note></persName>'
                      b' to <hi rend="italic">the <!-- c -->Embassy<note n="2">In <hi>Paris</hi>.</note></hi>'
                      b'<note n="0" type="source">Source: x</note> in France</head></div>', "x").getroot()
    title = "12. Telegram From Rusk to the Embassy in France"
    head = div[0]
    assert title_text(head) == head_text(div) == plain_title(div) == title
    assert extract_record(Converted(div, "x"), "v", 1).title == title
    out = build_tei(Converted(div, "x"), BARE, "x.txt")
    assert out.xpath("string(//tei:title[@level='a'])", namespaces=NS) == title
