"""Hostile XML is refused with a positioned error: entity bombs, XXE, external DTDs, other encodings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from despatch.errors import SourceError
from despatch.sources.frus_import import import_volume
from despatch.sources.tei_reader import read_tei
from despatch.tei.xmlio import parse_bytes

TEI = b'xmlns="http://www.tei-c.org/ns/1.0"'
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE div [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<div """ + TEI + b""" type="document" xml:id="d1"><p>&lol9;</p></div>
"""
QUADRATIC = (b'<?xml version="1.0"?>\n<!DOCTYPE div [<!ENTITY a "' + b"x" * 50_000 + b'">]>\n<div ' + TEI
             + b' type="document" xml:id="d1"><p>' + b"&a;" * 50_000 + b"</p></div>")
XXE_FILE = (b'<?xml version="1.0"?>\n<!DOCTYPE div [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            b'<div ' + TEI + b' type="document" xml:id="d1"><p>&xxe;</p></div>')
XXE_PARAMETER = (b'<!DOCTYPE div [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>'
                 b'<div ' + TEI + b' type="document" xml:id="d1"/>')
EXTERNAL_DTD = (b'<?xml version="1.0"?>\n<!-- a comment first -->\n<?pi x?>\n'
                b'<!DOCTYPE div SYSTEM "http://127.0.0.1:9/tei.dtd">\n<div ' + TEI + b' type="document"/>')
ATTACKS = {"billion laughs": (LAUGHS, 2, 1), "quadratic blowup": (QUADRATIC, 2, 1),
           "XXE file": (XXE_FILE, 2, 1), "XXE parameter entity": (XXE_PARAMETER, 1, 1),
           "external DTD after a comment": (EXTERNAL_DTD, 4, 1)}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_dtds_are_refused_with_their_position(name: str) -> None:
    data, line, col = ATTACKS[name]
    with pytest.raises(SourceError) as err:
        parse_bytes(data, "content/v/evil.xml")
    [diag] = err.value.diagnostics
    assert (diag.path, diag.line, diag.col) == ("content/v/evil.xml", line, col)
    assert "DOCTYPE" in diag.message and diag.found and diag.found.startswith("<!DOCTYPE")
    assert diag.source_line and diag.source_line.startswith("<!DOCTYPE")


@pytest.mark.parametrize("name", list(ATTACKS))
def test_the_tei_reader_refuses_them_too(name: str) -> None:
    with pytest.raises(SourceError, match="DOCTYPE"):
        read_tei(ATTACKS[name][0], "evil.xml")


def test_the_volume_import_refuses_them_and_writes_nothing(tmp_path: Path) -> None:
    volume = tmp_path / "evil.xml"
    volume.write_bytes(XXE_FILE.replace(b"<div", b"<TEI", 1).replace(b"</div>", b"</TEI>"))
    with pytest.raises(SourceError, match="DOCTYPE"):
        import_volume(volume, tmp_path / "content")
    assert not (tmp_path / "content").exists()


def test_an_undeclared_entity_is_an_error_not_a_lookup() -> None:
    data = b"<div " + TEI + b' type="document" xml:id="d1">\n  <p>&xxe;</p></div>'
    with pytest.raises(SourceError) as err:
        parse_bytes(data, "x.xml")
    diag = err.value.diagnostics[0]
    assert diag.line == 2 and "Entity 'xxe' not defined" in diag.message
    assert "line 2, column" not in diag.message  # the position is said once, in front


def test_xinclude_is_kept_as_markup_never_followed() -> None:
    data = (b"<div " + TEI + b' xmlns:xi="http://www.w3.org/2001/XInclude" type="document" xml:id="d1">'
            b'<head>1. T</head><p><xi:include href="/etc/passwd" parse="text"/></p></div>')
    conv = read_tei(data, "x.xml")
    assert "root:" not in "".join(conv.div.itertext())


@pytest.mark.parametrize("data, offset", [
    ('<div xmlns="x">\nabc'.encode("utf-16"), 0),                 # UTF-16 (BOM 0xff 0xfe) is not UTF-8
    (b'<div type="document">\nJos\xe9</div>', 25),                 # Latin-1 é
])
def test_bytes_that_are_not_utf8_name_their_offset(data: bytes, offset: int) -> None:
    with pytest.raises(SourceError) as err:
        parse_bytes(data, "x.xml")
    assert f"byte offset {offset}" in err.value.diagnostics[0].message


def test_a_utf8_bom_is_accepted() -> None:
    tree = parse_bytes(b"\xef\xbb\xbf<div " + TEI + b' type="document" xml:id="d1"/>', "x.xml")
    assert tree.getroot().get("type") == "document"


def test_absurd_nesting_is_refused() -> None:
    data = b"<div " + TEI + b">" + b"<hi>" * 100_000 + b"</hi>" * 100_000 + b"</div>"
    with pytest.raises(SourceError, match="not well-formed XML"):
        parse_bytes(data, "deep.xml")


@pytest.mark.slow
def test_refusal_takes_well_under_a_second() -> None:
    for name, (data, _, _) in ATTACKS.items():
        start = time.perf_counter()
        with pytest.raises(SourceError):
            parse_bytes(data, "evil.xml")
        elapsed = time.perf_counter() - start
        print(f"{name}: refused in {elapsed * 1000:.2f} ms")
        assert elapsed < 1.0
