"""Volume metadata from FRUS headers, in both spellings the volume files use."""

import pytest
from lxml import etree

from despatch.sources.frus_import.header import volume_data

HEADER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="frus1958-60v07p2"><teiHeader><fileDesc><titleStmt>
<title type="complete">Foreign Relations of the United States, 1958–1960, Western Europe, Volume VII, Part 2</title>
<title type="{number}">VII, Part 2</title><title type="{sub}">1958–1960</title>
</titleStmt><publicationStmt><publisher>United States Government Printing Office</publisher></publicationStmt>
</fileDesc></teiHeader></TEI>"""


@pytest.mark.parametrize("number,sub", [("volume-number", "sub-series"), ("volumenumber", "subseries")])
def test_volume_number_in_either_spelling(number: str, sub: str) -> None:
    root = etree.fromstring(HEADER.format(number=number, sub=sub).encode())
    data = volume_data(root, "frus1958-60v07p2", "frus1958-60v07p2.xml")
    assert data["volume"] == "VII, Part 2"
