"""Persons and terms of a volume from its front-matter lists (list type="names" / type="terms")."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ...tei.xmlio import XML_ID, t
from .header import text_of

# (list type, element that carries the id, key of its text in the YAML entry)
LISTS = {"persons": ("names", "persName", "name"), "terms": ("terms", "term", "term")}


def _description(item: etree._Element, entry: etree._Element) -> str:
    """The item's text after the entry ("Rusk, Dean, Secretary of State" → "Secretary of State")."""
    anchor = entry
    while anchor.getparent() is not item:
        anchor = anchor.getparent()  # the child of the item that holds the entry (often its hi)
    parts = [anchor.tail or ""]
    for sibling in anchor.itersiblings():
        parts.append("".join(sibling.itertext()))
        parts.append(sibling.tail or "")
    return text_of_string("".join(parts)).lstrip(",.;: ")


def _owner(node: etree._Element) -> etree._Element | None:
    """The nearest item that contains a node."""
    return next(node.iterancestors(t("item")), None)


def text_of_string(text: str) -> str:
    """Collapse whitespace like text_of, for a string."""
    return " ".join(text.split())


def read_list(root: etree._Element, kind: str, warnings: list[str]) -> dict[str, dict[str, Any]]:
    """Every entry with an xml:id in the volume's lists of one kind, in the volume's order."""
    list_type, tag, key = LISTS[kind]
    entries: dict[str, dict[str, Any]] = {}
    for lst in root.iter(t("list")):
        if lst.get("type") != list_type:
            continue
        for item in lst.iter(t("item")):
            # The item's own entry, not one of a nested list's items (those come in their turn).
            entry = next((e for e in item.iter(t(tag)) if e.get(XML_ID) and _owner(e) is item), None)
            if entry is None:
                continue
            ident = entry.get(XML_ID)
            if ident in entries:
                warnings.append(f"line {entry.sourceline}: {tag} xml:id '{ident}' listed twice; "
                                "the first entry is kept")
                continue
            entries[ident] = {key: text_of(entry), "description": _description(item, entry)}
    return entries
