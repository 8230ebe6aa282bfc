"""Citations rendered by citeproc-py with the official CSL styles, checked against reviewed goldens.

Regenerate a golden after a deliberate change with DESPATCH_UPDATE_GOLDEN=1, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from despatch.model import DocRecord
from despatch.urls.cite import arabic, citations, csl_item, data_url, document_title, downloads, person
from despatch.urls.volumerefs import volume_references
from despatch.volume import Volume, load_volume

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "urls"
GOLDEN = TESTS / "golden" / "urls"
CONFIG = SimpleNamespace(raw={}, site_url="https://example.org/", url_prefix="", site_name="despatch")
SUFFIX = {"chicago": "chicago.html", "mla": "mla.html", "bibtex": "bib", "ris": "ris", "csl_json": "json"}

SEED = DocRecord(volume="frus1961-63v13", id="d245", n="245",
                 title="245. Telegram From Secretary of State Rusk to the Department of State")
EDITED = DocRecord(volume="test1958-60v99", id="d7", n="7",
                   title="7. Memorandum From Smith & Jones to the <Secretary> on 100% of the $ {fund}")


def volume(name: str) -> Volume:
    return load_volume(FIXTURES / name)


CASES = [
    ("seed_d245", "frus1961-63v13.yml", SEED, "https://example.org/frus1961-63v13/d245/"),
    ("edited_d7", "edited-volume.yml", EDITED, "https://example.org/test1958-60v99/d7/"),
]


@pytest.mark.parametrize("name,volume_file,rec,url", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("key", sorted(SUFFIX))
def test_citation_matches_reviewed_golden(name: str, volume_file: str, rec: DocRecord, url: str, key: str,
                                          tmp_path: Path) -> None:
    actual = citations(volume(volume_file), rec, url, CONFIG)[key]
    golden = GOLDEN / f"{name}.{SUFFIX[key]}"
    if os.environ.get("DESPATCH_UPDATE_GOLDEN"):
        golden.write_bytes(actual.encode("utf-8"))
    expected = golden.read_bytes().decode("utf-8")
    if actual != expected:
        (tmp_path / golden.name).write_bytes(actual.encode("utf-8"))
    assert actual == expected, f"{golden} differs; the new output is in {tmp_path / golden.name}"


def test_seed_citation_names_what_a_reader_needs() -> None:
    cites = citations(volume("frus1961-63v13.yml"), SEED, "https://example.org/frus1961-63v13/d245/", CONFIG)
    for key in ("chicago", "mla"):
        text = cites[key]
        for part in ("Telegram From Secretary of State Rusk to the Department of State",
                     "Foreign Relations of the United States, 1961–1963", "Western Europe and Canada",
                     "vol. 13", "245", "United States Government Printing Office",
                     "https://example.org/frus1961-63v13/d245/"):
            assert part in text, (key, part)
    assert "doc. 245 in <i>Foreign Relations" in cites["chicago"]


def test_editors_year_and_escaping() -> None:
    cites = citations(volume("edited-volume.yml"), EDITED, "https://example.org/test1958-60v99/d7/", CONFIG)
    assert "ed. Ada M. Example and Bob Tester Jr." in cites["chicago"]
    assert "1999" in cites["chicago"] and "1999" in cites["mla"]
    assert "Smith &amp; Jones to the &lt;Secretary&gt;" in cites["chicago"]
    assert "<Secretary>" not in cites["chicago"] + cites["mla"]
    assert r"Smith \& Jones" in cites["bibtex"] and r"100\% of the \$ \{fund\}" in cites["bibtex"]
    assert "editor = {Example, Ada M. and Tester, Jr., Bob}" in cites["bibtex"]
    assert cites["ris"].endswith("ER  - \r\n") and "\r\nED  - Tester, Jr., Bob\r\n" in cites["ris"]
    item = json.loads(cites["csl_json"])[0]
    assert item["editor"][1] == {"family": "Tester", "given": "Bob", "suffix": "Jr."}
    assert item["issued"] == {"date-parts": [[1999]]} and item["volume"] == "99"


def test_no_absolute_url_means_no_url_in_the_citation() -> None:
    item = csl_item(volume("frus1961-63v13.yml"), SEED, "/frus1961-63v13/d245/", CONFIG)
    assert "URL" not in item


def test_author_comes_from_the_volume_or_the_edition() -> None:
    vol = volume("edited-volume.yml")
    vol.series = "Papers of Someone"
    assert "author" not in csl_item(vol, EDITED, "", CONFIG)
    cfg = SimpleNamespace(raw={"citation_author": "Office of Tests"})
    assert csl_item(vol, EDITED, "", cfg)["author"] == [{"literal": "Office of Tests"}]
    vol.extra["author"] = "Volume Author Office"
    assert csl_item(vol, EDITED, "", cfg)["author"] == [{"literal": "Volume Author Office"}]


@pytest.mark.parametrize("given,expected", [("XIII", "13"), ("xcix", "99"), ("IV", "4"), ("MCMXCIV", "1994"),
                                            ("13", "13"), ("", ""), ("2, part 1", "2, part 1")])
def test_arabic(given: str, expected: str) -> None:
    assert arabic(given) == expected


@pytest.mark.parametrize("given,expected", [
    ("Charles S. Sampson", {"family": "Sampson", "given": "Charles S."}),
    ("Sampson, Charles S.", {"family": "Sampson", "given": "Charles S."}),
    ("Glenn W. LaFantasie Jr.", {"family": "LaFantasie", "given": "Glenn W.", "suffix": "Jr."}),
    ("Plato", {"literal": "Plato"}),
])
def test_person(given: str, expected: dict[str, str]) -> None:
    assert person(given) == expected


def test_document_title_drops_only_the_printed_number() -> None:
    assert document_title(SEED) == "Telegram From Secretary of State Rusk to the Department of State"
    assert document_title(DocRecord(volume="v", id="d1", n="1", title="10. Editorial Note")) == "10. Editorial Note"


def test_downloads_carry_each_format_whole_in_the_page() -> None:
    cites = citations(volume("frus1961-63v13.yml"), SEED, "https://example.org/frus1961-63v13/d245/", CONFIG)
    links = downloads(SEED, cites)
    assert [d["filename"] for d in links] == ["d245.bib", "d245.ris", "d245.json"]
    for link, key in zip(links, ("bibtex", "ris", "csl_json")):
        head, _, body = link["href"].partition(",")
        assert head == f"data:{link['type']};charset=utf-8"
        assert unquote(body) == cites[key]
        assert not set(body) & set(" \"'<>\n")  # nothing an attribute or a URL parser could cut


def test_volume_references_hold_every_document_in_order() -> None:
    vol = volume("frus1961-63v13.yml")
    other = DocRecord(volume=SEED.volume, id="d246", n="246", title="246. Memorandum From Rusk")
    refs = volume_references(vol, [SEED, other], "https://example.org/frus1961-63v13/", CONFIG)
    one = citations(vol, SEED, "https://example.org/frus1961-63v13/d245/", CONFIG)
    assert refs["bibtex"].startswith(one["bibtex"]) and "frus1961-63v13-d246" in refs["bibtex"]
    assert refs["ris"].startswith(one["ris"]) and refs["ris"].count("TY  - CHAP") == 2
    assert [i["URL"] for i in json.loads(refs["csl_json"])] == [
        "https://example.org/frus1961-63v13/d245/", "https://example.org/frus1961-63v13/d246/"]


@given(st.text())
def test_a_data_url_is_the_text_percent_encoded_as_quote_does(text: str) -> None:
    assert data_url(text, "text/plain") == "data:text/plain;charset=utf-8," + quote(text, safe="")
