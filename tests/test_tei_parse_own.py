"""The build cache's own XML is parsed without the source checks, and a damaged entry still says where."""

from __future__ import annotations

import pytest
from lxml import etree

from despatch.errors import SourceError
from despatch.tei.xmlio import parse_bytes, parse_own

DIV = '<div xmlns="http://www.tei-c.org/ns/1.0" xml:id="d1"><p>Caf\u00e9 &amp; <hi>tea</hi></p></div>'.encode()


def test_parse_own_reads_what_parse_bytes_reads() -> None:
    assert etree.tostring(parse_own(DIV, "d1.txt")) == etree.tostring(parse_bytes(DIV, "d1.txt").getroot())


def test_a_damaged_cache_entry_is_a_positioned_error() -> None:
    with pytest.raises(SourceError) as info:
        parse_own(DIV[:-8] + b"\n<p>", "content/v/d1.txt")
    diag = info.value.diagnostics[0]
    assert diag.path == "content/v/d1.txt" and diag.line == 2 and "not well-formed" in diag.message
