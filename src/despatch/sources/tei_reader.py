"""Read a FRUS TEI document (a bare document div, or a TEI file holding one) as a source."""

from __future__ import annotations

from lxml import etree

from ..errors import SourceError
from ..tei.document import head_text
from ..tei.xmlio import FRUS_NS, TEI_NS, XML_ID, parse_bytes, t
from .base import Converted

DOC_DIV = f"{{{TEI_NS}}}div[@type='document']"


def _locate(text: str, node: etree._Element) -> tuple[int, int]:
    """Line and column of an element's start tag (lxml gives the line where the tag ends)."""
    lines = text.splitlines()
    last = node.sourceline or 1
    local = etree.QName(node).localname
    for line in range(min(last, len(lines)), max(last - 50, 0), -1):
        for prefix in ("<", "<tei:"):
            col = lines[line - 1].find(prefix + local)
            if col >= 0:
                return line, col + 1
    return last, 1


def _error(text: str, path: str, node: etree._Element, message: str, found: str, expected: str) -> SourceError:
    line, col = _locate(text, node)
    return SourceError.at(path, line, col, message, found=found, expected=expected, text=text)


def _find_div(root: etree._Element, text: str, path: str) -> etree._Element:
    """The one document div: the root itself, or the only one inside a TEI file."""
    if root.tag == t("div"):
        return root
    if root.tag != t("TEI"):
        found = f"<{etree.QName(root).localname}> in namespace {etree.QName(root).namespace or '(none)'}"
        raise _error(text, path, root, "not a FRUS TEI document", found,
                     f"a <div type=\"document\"> or a <TEI> in the TEI namespace ({TEI_NS})")
    divs = root.findall(f".//{DOC_DIV}")
    if len(divs) != 1:
        where = divs[1] if divs else root
        raise _error(text, path, where, "a TEI source must hold exactly one document",
                     f"{len(divs)} <div type=\"document\"> elements", "exactly one <div type=\"document\">")
    return divs[0]


def _check_div(div: etree._Element, text: str, path: str) -> None:
    if div.get("type") != "document":
        raise _error(text, path, div, "the div is not a document", f"type=\"{div.get('type') or ''}\"",
                     "<div type=\"document\" xml:id=\"d245\" n=\"245\">")
    if not div.get(XML_ID):
        raise _error(text, path, div, "the document div has no xml:id", "no xml:id",
                     "xml:id=\"d245\" (the document's id in its volume)")


def read_tei(data: bytes, path: str, volume: str | None = None) -> Converted:
    """Parse a FRUS TEI document safely and return its div unchanged, with what it says of itself."""
    tree = parse_bytes(data, path)
    text = data.decode("utf-8-sig")
    div = _find_div(tree.getroot(), text, path)
    _check_div(div, text, path)
    meta: dict[str, object] = {"id": div.get(XML_ID), "n": div.get("n", ""), "title": head_text(div),
                               "format": "tei"}
    if volume:
        meta["volume"] = volume
    for key in ("doc-dateTime-min", "doc-dateTime-max"):
        value = div.get(f"{{{FRUS_NS}}}{key}")
        if value:
            meta[key] = value
    lines = {node.get(XML_ID): node.sourceline or 0 for node in div.iter() if node.get(XML_ID)}
    return Converted(div=div, path=path, meta=meta, lines=lines)
