"""Safe XML parsing and deterministic serialisation for TEI."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from lxml import etree

from ..errors import SourceError, position

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


_PARSERS = threading.local()


def _parser() -> etree.XMLParser:
    """This thread's safe parser, made once: a parser may be reused, but not shared by threads."""
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = safe_parser()
    return parser


# The prolog: XML declaration, comments, processing instructions and whitespace before the root.
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


# libxml2 repeats the position at the end of its messages; the diagnostic already carries it.
_LIBXML_POS = re.compile(r",? line \d+, column \d+$")


def _decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (an optional BOM allowed); other bytes are an error naming their offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8-sig", "replace")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        raise SourceError.at(
            path, line, col, f"the file is not UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
            found=f"byte 0x{data[exc.start]:02x}", expected="UTF-8 text",
            text=data.decode("utf-8", "replace"),
        ) from None


def _refuse_dtd(text: str, path: str) -> None:
    """Refuse a DOCTYPE: DTDs carry the entity declarations behind XXE and entity bombs."""
    start = 1 if text.startswith("\ufeff") else 0
    end = _PROLOG.match(text, start).end()  # type: ignore[union-attr]
    if text.startswith("<!DOCTYPE", end) or text.startswith("<!ENTITY", end):
        line, col = position(text, end)
        raise SourceError.at(
            path, line, col, "a DOCTYPE (DTD) is not allowed in TEI sources",
            found=text[end:end + 40].split("\n")[0] + "…",
            expected="plain XML without a DTD or entity declarations", text=text,
        )


def parse_bytes(data: bytes, path: str) -> etree._ElementTree:
    """Parse XML bytes safely; a malformed file becomes a positioned SourceError."""
    text = _decode(data, path)
    _refuse_dtd(text, path)
    try:
        return etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        lines = text.splitlines()
        # libxml2's column is just after what it could not accept: show what leads up to it.
        found = lines[line - 1][max(col - 41, 0): max(col - 1, 1)].strip() if 0 < line <= len(lines) else ""
        raise SourceError.at(
            path, line, max(col, 1), f"not well-formed XML: {_LIBXML_POS.sub('', exc.msg)}",
            found=found or None, expected="well-formed XML", text=text,
        ) from None


def parse_own(data: bytes, path: str) -> etree._Element:
    """Parse XML that this build serialised itself (the build cache): UTF-8 with no DTD, so the checks
    of ``parse_bytes`` for what a source may hold are skipped; a damaged file still fails with a position."""
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return parse_bytes(data, path).getroot()  # raises the positioned error (or finds the DTD, the bad byte)


def parse_file(path: Path | str) -> etree._ElementTree:
    """Parse an XML file safely."""
    p = Path(path)
    return parse_bytes(p.read_bytes(), str(p))


def serialize(node: etree._Element | etree._ElementTree) -> bytes:
    """Serialise deterministically: UTF-8, XML declaration, no pretty-printing that could move text."""
    return etree.tostring(node, encoding="UTF-8", xml_declaration=True) + b"\n"


def title_text(head: etree._Element) -> str:
    """A head's text as a title: its notes left out at any depth (their tails kept), comments and
    processing instructions too (their tails kept), whitespace collapsed. Every title despatch reads
    from a head (the record's, the TEI header's, an import's) is this one."""
    parts = [head.text or ""]
    for child in head:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] != "note":
            if len(child):
                _without_notes(child, parts)
            else:
                parts.append(child.text or "")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _without_notes(node: etree._Element, parts: list[str]) -> None:
    """An element's text and its descendants', notes and comments left out (their tails kept)."""
    parts.append(node.text or "")
    for child in node:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] != "note":
            _without_notes(child, parts)
        parts.append(child.tail or "")
