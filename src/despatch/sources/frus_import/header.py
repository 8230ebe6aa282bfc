"""The volume's bibliographic data (volume.yml) from a FRUS volume's teiHeader."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ...tei.xmlio import NS, XML_ID

_SPACE = re.compile(r"\s+")


def text_of(node: etree._Element | None) -> str:
    """All text of an element, whitespace collapsed (line breaks in the XML are not content)."""
    if node is None:
        return ""
    return _SPACE.sub(" ", "".join(node.itertext())).strip()


def _first(root: etree._Element, xpath: str) -> str:
    found = root.xpath(xpath, namespaces=NS)
    return text_of(found[0]) if found else ""


def volume_id(root: etree._Element, fallback: str) -> str:
    """The FRUS id: TEI/@xml:id, else the idno of type frus, else the file's name."""
    return root.get(XML_ID) or _first(root, "tei:teiHeader//tei:publicationStmt/tei:idno[@type='frus']") or fallback


def volume_data(root: etree._Element, ident: str, source_name: str) -> dict[str, Any]:
    """volume.yml's fields; what the header does not say stays empty rather than invented."""
    title = "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"
    stmt = "tei:teiHeader/tei:fileDesc/tei:publicationStmt"
    # Older volume files spell the types without the hyphen ("volumenumber", "subseries").
    number = _first(root, f"{title}[@type='volume-number']") or _first(root, f"{title}[@type='volumenumber']")
    editors = [text_of(e) for e in root.xpath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:editor"
                                              "[not(@role='general')]", namespaces=NS)]
    general = [text_of(e) for e in root.xpath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:editor"
                                              "[@role='general']", namespaces=NS)]
    year = _first(root, f"{stmt}/tei:date[@type='publication-date']") or \
        _first(root, f"{stmt}/tei:date[not(@type='content-date')]")
    data: dict[str, Any] = {
        "id": ident,
        "title": _first(root, f"{title}[@type='complete']") or _first(root, title),
        "series": _first(root, f"{title}[@type='series']"),
        "volume": re.sub(r"^Volume\s+", "", number),
        "subtitle": _first(root, f"{title}[@type='volume']"),
        "editors": [e for e in editors if e],
        "general_editor": ", ".join(g for g in general if g),
        "publisher": _first(root, f"{stmt}/tei:publisher"),
        "pub_place": _first(root, f"{stmt}/tei:pubPlace"),
        "year": year,
        # history.state.gov publishes every volume at this address (HistoryAtState/frus README).
        "canonical_url": f"https://history.state.gov/historicaldocuments/{ident}",
    }
    sub_series = _first(root, f"{title}[@type='sub-series']") or _first(root, f"{title}[@type='subseries']")
    if sub_series:
        data["sub_series"] = sub_series
    ids = {i.get("type"): text_of(i) for i in root.xpath(f"{stmt}/tei:idno[@type!='frus']", namespaces=NS)}
    if ids:
        data["identifiers"] = ids
    coverage = root.xpath(f"{stmt}/tei:date[@type='content-date']", namespaces=NS)
    if coverage and (coverage[0].get("notBefore") or coverage[0].get("notAfter")):
        data["coverage"] = {"not_before": coverage[0].get("notBefore", ""),
                            "not_after": coverage[0].get("notAfter", "")}
    data["imported_from"] = source_name
    return data
