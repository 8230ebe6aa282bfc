"""The text converter on real documents: nothing lost, the seed's golden TEI, decoding, validity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from despatch.errors import SourceError
from despatch.sources.text import convert_bytes, convert_text
from despatch.tei.xmlio import NS, TEI_NS, XML_ID, serialize
from despatch.validate.schema import validate_tei

TESTS = Path(__file__).parent
SEED = TESTS / "fixtures" / "text" / "seed_d245.txt"
GOLDEN = TESTS / "golden" / "d245.tei.xml"
TEXTS = [SEED, *sorted((TESTS / "corpus" / "text").glob("*.txt"))]
NOTE_ITEM = re.compile(r"  \d+\. (.*)")
PAGE = re.compile(r"\[Page [^\]]+\]")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def source_side(text: str) -> tuple[str, list[str]]:
    """The source's body and note texts without markers, whitespace or bullets."""
    lines = text.split("\n")
    k = len(lines)
    while k and (NOTE_ITEM.match(lines[k - 1]) or not lines[k - 1].strip()):
        k -= 1
    notes = [NOTE_ITEM.match(ln).group(1) for ln in lines[k:] if NOTE_ITEM.match(ln)]  # type: ignore[union-attr]
    body = "\n".join(re.sub(r"^\s*• ", "", ln) for ln in lines[:k])
    return _squash(PAGE.sub("", body)), [_squash(PAGE.sub("", n)) for n in notes]


def tei_side(div: etree._Element) -> tuple[str, list[str]]:
    """The TEI's text with each note replaced by its number and its text collected apart."""
    notes: list[str] = []
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        out.append(el.text or "")
        for child in el:
            name = etree.QName(child).localname
            if name == "note":
                out.append(child.get("n", ""))
                notes.append(_squash("".join(child.itertext())))
            elif name not in ("certainty",):
                walk(child)
            out.append(child.tail or "")
    walk(div)
    return _squash("".join(out)), notes


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_nothing_lost(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    conv = convert_text(text, str(path), None)
    assert tei_side(conv.div) == source_side(text)


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_valid_against_shipped_schema(path: Path) -> None:
    conv = convert_bytes(path.read_bytes(), str(path), None)
    assert validate_tei(conv.div, str(path)) == []


def test_seed_matches_reviewed_golden() -> None:
    conv = convert_bytes(SEED.read_bytes(), str(SEED), "frus1961-63v13")
    assert serialize(conv.div) == GOLDEN.read_bytes()


def test_seed_specifics() -> None:
    div = convert_bytes(SEED.read_bytes(), "seed.txt", "frus1961-63v13").div
    assert div.get(XML_ID) == "d245" and div.get("n") == "245"
    assert div.get("subtype") == "historical-document"
    source = div.find("tei:head/tei:note[@type='source']", NS)
    assert source is not None and source.get("n") == "0" and source.get(XML_ID) == "d245fn0"
    n1 = div.find(".//tei:note[@n='1']", NS)
    n2 = div.find(".//tei:note[@n='2']", NS)
    assert n1.getprevious() is None and n1.getparent().text.endswith("memcon.")
    assert n2.getparent().text.endswith("policy.")
    # The last note's unbalanced parenthesis is the edition's, kept as printed.
    assert n1.text.endswith("CF 2095. Regarding the Council meeting, see Documents 136 and 137.")
    pb = div.find(".//tei:pb", NS)
    assert pb.get("n") == "691" and pb.get(XML_ID) == "pg_691"
    assert pb.getprevious() is None and pb.getparent().text.endswith("nuclear ")
    assert pb.tail.startswith("storage")
    outer = div.findall("tei:list/tei:item", NS)
    inner = div.findall("tei:list/tei:item/tei:list/tei:item", NS)
    assert len(outer) == 2 and len(inner) == 7   # lines 5–6, and 7–13 under line 6's colon
    assert div.get(f"{{{NS['frus']}}}doc-dateTime-min") == "1962-05-04T00:00:00"


def test_lines_map_every_id() -> None:
    conv = convert_bytes(SEED.read_bytes(), "seed.txt", None)
    ids = {el.get(XML_ID) for el in conv.div.iter() if el.get(XML_ID)}
    assert set(conv.lines) == ids
    assert conv.lines == {"d245": 1, "d245fn0": 17, "d245fn1": 18, "pg_691": 10, "d245fn2": 19}


def test_bom_and_crlf_give_the_same_tei() -> None:
    data = SEED.read_bytes()
    plain = serialize(convert_bytes(data, "a.txt", None).div)
    assert serialize(convert_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), "a.txt", None).div) == plain


def test_not_utf8_names_the_byte_offset() -> None:
    data = "245. Telegram0\n\nCaf".encode() + b"\xe9 noir.\n\n  1. Source: Lot 1."
    with pytest.raises(SourceError) as info:
        convert_bytes(data, "bad.txt", None)
    diag = info.value.diagnostics[0]
    assert (diag.path, diag.line, diag.col) == ("bad.txt", 3, 4)
    assert "byte offset 19" in diag.message and diag.expected == "UTF-8 text"
    assert str(info.value).startswith("bad.txt:3:4: error: the file is not UTF-8")


def test_deterministic() -> None:
    data = SEED.read_bytes()
    assert serialize(convert_bytes(data, "a", None).div) == serialize(convert_bytes(data, "a", None).div)


def test_meta_carries_front_matter_and_basis() -> None:
    text = "---\nvolume: v1\nkeywords: [nato]\n---\n7. Telegram0\n\nText.\n\n  1. Source: Central Files, 375/11–2861."
    conv = convert_text(text, "x.txt", "v1")
    assert conv.meta["keywords"] == ["nato"] and conv.meta["volume"] == "v1"
    assert conv.meta["date_basis"] == "file-number 375/11–2861"
    assert conv.meta["title"] == "7. Telegram"
    assert conv.lines["d7"] == 5
    assert conv.div.nsmap == {None: TEI_NS, "frus": NS["frus"]}


def test_text_as_it_is() -> None:
    # NBSP, tabs, zero-width, combining marks and right-to-left text reach the TEI unchanged,
    # a trailing NBSP included; only plain spaces and tabs at a line's end are dropped.
    para = "A\u00a0b\tc\u200bd e\u0301 \u05e9\u05dc\u05d5\u05dd \u0644\u0627.\u00a0"
    conv = convert_text(f"1. Telegram0\n\n{para}  \n\n  1. Source: Lot 1.", "x.txt", None)
    assert conv.div.find("tei:p", NS).text == para


def test_independent_problems_are_reported_together() -> None:
    text = "12. Telegram0\n\nText [page 5] more [Page 4x].1\n\n  1. Source: Lot 1.\n  3. Note."
    with pytest.raises(SourceError) as info:
        convert_text(text, "d12.txt", None)
    found = [(d.line, d.col, d.message) for d in info.value.diagnostics]
    assert found == [(6, 3, "gap in the notes list: note 3 follows note 1"),
                     (3, 6, "malformed page marker"), (3, 20, "malformed page marker")]
