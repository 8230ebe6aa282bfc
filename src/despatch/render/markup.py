"""What the TEI → HTML handlers share: elements' local names, escaped text, id attributes."""

from __future__ import annotations

import re

from lxml import etree

from ..tei.xmlio import TEI_NS, XML_ID
from .text import escape_text

# Only ASCII layout whitespace: NBSP and other Unicode spaces after a line break are text (\s would eat them).
LAYOUT = re.compile(r"[ \t\r]*\n[ \t\r\n]*")


def esc(text: str | None) -> str:
    """Escape text; line breaks of the XML's layout become one space (HTML would fold them anyway)."""
    if not text:
        return ""
    if "\n" in text:
        text = LAYOUT.sub(" ", text)
    return escape_text(text)


def local_name(el: etree._Element) -> str:
    """An element's local name, as tag_name gives it ('frus:name' outside TEI's namespace)."""
    tag = el.tag
    if isinstance(tag, str):
        return NAMES.get(tag) or tag_name(tag)
    qname = etree.QName(el)
    return qname.localname if qname.namespace in (TEI_NS, None) else f"frus:{qname.localname}"


NAMES: dict[str, str] = {}


def tag_name(tag: str) -> str:
    """A TEI element's local name, or 'frus:name' for other namespaces (memoised by Clark name)."""
    ns, _, name = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    local = NAMES[tag] = name if ns in (TEI_NS, "") else f"frus:{name}"
    return local


def raw_text(el: etree._Element) -> str:
    """The element's text, layout whitespace and all (what itertext joins, serialised in C)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def id_attr(el: etree._Element) -> str:
    """The element's xml:id as an id attribute (with its leading space), or nothing."""
    xml_id = el.get(XML_ID)
    return f' id="{escape_text(xml_id)}"' if xml_id else ""
