"""Safe XML parsing and deterministic serialisation for TEI."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import SourceError

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: TEI_NS, "frus": FRUS_NS}
NS = {"tei": TEI_NS, "frus": FRUS_NS}

XML_ID = f"{{{XML_NS}}}id"


def t(name: str) -> str:
    """Clark name of a TEI element: ``t('div')`` → ``{http://www.tei-c.org/ns/1.0}div``."""
    return f"{{{TEI_NS}}}{name}"


def f(name: str) -> str:
    """Clark name of a FRUS extension attribute or element."""
    return f"{{{FRUS_NS}}}{name}"


def safe_parser() -> etree.XMLParser:
    """A parser that never resolves entities, loads DTDs or touches the network (XXE, bombs)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_bytes(data: bytes, path: str) -> etree._ElementTree:
    """Parse XML bytes safely; a malformed file becomes a positioned SourceError."""
    if b"<!ENTITY" in data:
        # Entity declarations are how XXE and billion-laughs attacks start; TEI sources need none.
        offset = data.index(b"<!ENTITY")
        line = data.count(b"\n", 0, offset) + 1
        col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise SourceError.at(
            path, line, col, "entity declarations are not allowed in TEI sources",
            found="<!ENTITY …>", expected="plain XML without a DTD internal subset",
            text=data.decode("utf-8", "replace"),
        )
    try:
        return etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        raise SourceError.at(
            path, line, max(col, 1), f"not well-formed XML: {exc.msg}",
            expected="well-formed XML", text=data.decode("utf-8", "replace"),
        ) from None


def parse_file(path: Path | str) -> etree._ElementTree:
    """Parse an XML file safely."""
    p = Path(path)
    return parse_bytes(p.read_bytes(), str(p))


def serialize(node: etree._Element | etree._ElementTree) -> bytes:
    """Serialise deterministically: UTF-8, XML declaration, no pretty-printing that could move text."""
    return etree.tostring(node, encoding="UTF-8", xml_declaration=True) + b"\n"
