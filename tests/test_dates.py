"""Dates: datelines, Central Files date codes, volume years and neighbour-bounded ranges."""

from __future__ import annotations

import pytest
from lxml import etree

from despatch.apparatus.dates import (bound_by_neighbours, date_range, file_number_dates,
                                      parse_dateline, set_date, set_range, source_file_date,
                                      volume_years)
from despatch.tei.xmlio import NS, NSMAP, XML_ID, f, t


@pytest.mark.parametrize("text, when, place", [
    ("Paris, July 5, 1958, 5 p.m.", "1958-07-05T17:00:00", "Paris"),
    ("Paris, July 8, 1958, 12:37 p.m.", "1958-07-08T12:37:00", "Paris"),
    ("August 21, 1958.", "1958-08-21", None),
    ("Helsinki, November 16, 1961, midnight.", "1961-11-16T00:00:00", "Helsinki"),
    ("Washington, November 17, 1961, 9:59 p.m.", "1961-11-17T21:59:00", "Washington"),
    ("Helsinki, February 17, 1962, 10 a.m.", "1962-02-17T10:00:00", "Helsinki"),
    ("Vienna, May 1, 1962, 12 a.m.", "1962-05-01T00:00:00", "Vienna"),
    ("Brize Norton Air Force Base, England, October 19, 1958.", "1958-10-19",
     "Brize Norton Air Force Base, England"),
])
def test_dateline(text: str, when: str, place: str | None) -> None:
    found = parse_dateline(text)
    assert found is not None and found.when == when
    names = dict(found.parts)
    if place is None:
        assert "placeName" not in names
    else:
        a, b = names["placeName"]
        assert text[a:b] == place


@pytest.mark.parametrize("text", ["Text.", "Paris, July 32, 1958.", "July 5, 1958, 13 p.m.",
                                  "In Paris, July 5, 1958, he said so.", "New York, September 1963"])
def test_not_a_dateline(text: str) -> None:
    assert parse_dateline(text) is None


@pytest.mark.parametrize("text, iso", [
    ("Central Files, 711.5611/5–462. Secret.", "1962-05-04"),
    ("Central Files, 660E.61/11–661.", "1961-11-06"),
    ("Central Files, 375/11–2861.", "1961-11-28"),
    ("Central Files, 751.00/9-958.", "1958-09-09"),
    ("Central Files, 660E.611/2–2462.", "1962-02-24"),
])
def test_file_number_codes(text: str, iso: str) -> None:
    (found,) = file_number_dates(text)
    assert found.iso == iso and text[found.start:found.end] == found.file


def test_no_code_in_lot_files_or_bad_dates() -> None:
    assert file_number_dates("Lot 65 D 533, CF 2095. Regarding May 4–6, 1962.") == []
    assert file_number_dates("Central Files, 711.5611/13–462.") == []


def test_source_file_date_reads_the_first_citation_only() -> None:
    assert source_file_date("Source: Department of State, Central Files, 751.00/9–958. Secret.").iso == "1958-09-09"
    later = "Source: WE Files: Lot 72 D 441. Secret. (Ibid., Central Files, 740.5/10–1058)"
    assert source_file_date(later) is None


def test_volume_years() -> None:
    assert volume_years("frus1958-60v07p2") == (1958, 1960)
    assert volume_years("frus1961-63v13") == (1961, 1963)
    assert volume_years("frus1948v01") == (1948, 1948)
    assert volume_years("my-edition") is None


def test_date_range() -> None:
    assert date_range("1962-05-04") == ("1962-05-04T00:00:00", "1962-05-04T23:59:59")
    assert date_range("1962-05-04T17:00") == ("1962-05-04T17:00:00", "1962-05-04T17:00:00")


def test_set_date_records_the_inference_as_tei_certainty() -> None:
    div = etree.Element(t("div"), {XML_ID: "d245"}, nsmap=NSMAP)
    etree.SubElement(div, t("head")).text = "245. Telegram"
    etree.SubElement(div, t("p"))
    set_date(div, "1962-05-04", "inferred from 711.5611/5–462")
    assert div.get(f("doc-dateTime-min")) == "1962-05-04T00:00:00"
    cert = div[1]
    assert cert.tag == t("certainty") and cert.get("target") == "#d245"
    assert cert.get("match") == "@frus:doc-dateTime-min"
    assert cert.findtext("tei:desc", namespaces=NS) == "inferred from 711.5611/5–462"


def test_bound_by_neighbours() -> None:
    items = [("d1", "1961-11-01T18:00:00", "1961-11-01T18:00:00"), ("d2", None, None),
             ("d3", None, None), ("d4", "1961-11-16T00:00:00", "1961-11-16T23:59:59"),
             ("d5", None, None)]
    assert bound_by_neighbours(items) == {"d2": ("1961-11-01T18:00:00", "1961-11-16T23:59:59"),
                                          "d3": ("1961-11-01T18:00:00", "1961-11-16T23:59:59")}


def test_no_range_when_neighbours_are_out_of_order() -> None:
    # A new chapter restarts the chronology between d180 and d190: no trustworthy bounds.
    items = [("d180", "1962-12-20", "1962-12-20"), ("d182", None, None), ("d190", "1961-11-01", "1961-11-01")]
    assert bound_by_neighbours(items) == {}


def test_no_range_with_one_neighbour() -> None:
    assert bound_by_neighbours([("a", None, None), ("b", "1960-01-01", "1960-01-01"), ("c", None, None)]) == {}


def test_real_datelines_of_the_corpus() -> None:
    """Every official dateline of the corpus, put back into its text, gives the official date."""
    import json
    from pathlib import Path

    from despatch.sources.text import convert_text

    corpus = Path(__file__).parent / "corpus"
    checked = 0
    for entry in json.loads((corpus / "meta.json").read_text(encoding="utf-8")):
        if not entry["dateline_text"]:
            continue
        text = (corpus / "text" / entry["file"].replace(".xml", ".txt")).read_text(encoding="utf-8")
        title, rest = text.split("\n", 1)
        conv = convert_text(f"{title}\n\n{entry['dateline_text']}\n{rest}", entry["file"], entry["volume"])
        date = conv.div.find("tei:dateline/tei:date", NS)
        assert date is not None and date.get("when") == entry["dateline_date_when"], entry["file"]
        assert conv.div.get(f("doc-dateTime-min"))[:10] == entry["dateline_date_when"][:10]
        checked += 1
    assert checked == 38


def test_set_range_for_neighbour_bounds() -> None:
    div = etree.Element(t("div"), {XML_ID: "d245"}, nsmap=NSMAP)
    etree.SubElement(div, t("head"))
    set_range(div, "1962-05-01T00:00:00", "1962-05-09T23:59:59", "bounded by the dates of d244 and d246")
    assert div.get(f("doc-dateTime-max")) == "1962-05-09T23:59:59"
    assert div.findtext("tei:certainty/tei:desc", namespaces=NS) == "bounded by the dates of d244 and d246"
