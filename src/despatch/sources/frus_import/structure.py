"""Split a FRUS volume's text into files and record its structure and reading order (toc.yml)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ...errors import SourceError
from ...tei.document import head_text
from ...tei.xmlio import FRUS_NS, NSMAP, XML_ID, t

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def element_bytes(node: etree._Element, declaration: bool = True) -> bytes:
    """An element on its own, verbatim, with the TEI and frus namespace declarations on it."""
    root = etree.Element(node.tag, nsmap=NSMAP)
    for key, value in node.attrib.items():
        root.set(key, value)
    twin = copy.deepcopy(node)
    root.text = twin.text
    root.extend(list(twin))
    # The copy repeats declarations on descendants; keep them once, on the root.
    etree.cleanup_namespaces(root, top_nsmap=NSMAP, keep_ns_prefixes=["frus"])
    body = etree.tostring(root, encoding="UTF-8")
    return (DECLARATION if declaration else b"") + body + (b"\n" if declaration else b"")


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def pb_node(pb: etree._Element) -> dict[str, Any]:
    """A page break between divisions: every attribute kept (xml:id as ``id``)."""
    node: dict[str, Any] = {"kind": "pb", "n": pb.get("n", "")}
    for key, value in pb.attrib.items():
        name = "id" if key == XML_ID else etree.QName(key).localname if key.startswith("{") else key
        if name != "n":
            node[name] = value
    return node


def _dates(div: etree._Element, node: dict[str, Any]) -> None:
    for key, name in (("doc-dateTime-min", "date_min"), ("doc-dateTime-max", "date_max")):
        value = div.get(f"{{{FRUS_NS}}}{key}")
        if value:
            node[name] = value


@dataclass
class Layout:
    """What an import writes: files by relative path, the structure tree and the chapters list."""

    files: dict[str, bytes] = field(default_factory=dict)
    contents: list[dict[str, Any]] = field(default_factory=list)
    chapters: list[dict[str, Any]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    path: str = ""
    _chapter_of: list[Any] = field(default_factory=list)

    def add_file(self, name: str, data: bytes, node: etree._Element) -> None:
        if name in self.files:
            raise SourceError.at(self.path, node.sourceline or 1, 1, f"two parts of the volume would be written to {name}",
                                 found=f"a second <{_local(node)}> with that id", expected="unique xml:ids")
        self.files[name] = data

    def _chapter_entry(self, container: etree._Element, trail: list[str]) -> dict[str, Any]:
        """The chapters entry for documents of one division, opened when the division changes."""
        if not self._chapter_of or self._chapter_of[-1] is not container:
            entry: dict[str, Any] = {"id": container.get(XML_ID, ""), "type": container.get("type", ""),
                                     "title": trail[-1] if trail else "", "path": trail[:-1], "documents": []}
            self.chapters.append(entry)
            self._chapter_of.append(container)
        return self.chapters[-1]

    def document(self, div: etree._Element, container: etree._Element, trail: list[str]) -> dict[str, Any]:
        ident = div.get(XML_ID)
        if not ident:
            raise SourceError.at(self.path, div.sourceline or 1, 1, "a document div has no xml:id",
                                 found='<div type="document">', expected='<div type="document" xml:id="d1">')
        self.add_file(f"{ident}.xml", element_bytes(div), div)
        self.documents.append(ident)
        self._chapter_entry(container, trail)["documents"].append(ident)
        node: dict[str, Any] = {"kind": "document", "id": ident, "n": div.get("n", ""),
                                "file": f"{ident}.xml", "title": head_text(div)}
        _dates(div, node)
        return node

    def part(self, node: etree._Element, folder: str, used: dict[str, int]) -> dict[str, Any]:
        """A front- or back-matter part (section div, title page) written to its own file."""
        ident = node.get(XML_ID)
        if not ident:
            used[_local(node)] = used.get(_local(node), 0) + 1
            ident = _local(node) + (f"-{used[_local(node)]}" if used[_local(node)] > 1 else "")
        name = f"{folder}/{ident}.xml"
        self.add_file(name, element_bytes(node), node)
        self.sections.append(name)
        entry: dict[str, Any] = {"kind": "section", "element": _local(node), "id": node.get(XML_ID, ""),
                                 "file": name}
        for key in ("type", "subtype"):
            if node.get(key):
                entry[key] = node.get(key)
        if node.find(t("head")) is not None:
            entry["title"] = head_text(node)
        return entry

    def matter(self, el: etree._Element, folder: str) -> list[dict[str, Any]]:
        """Front or back matter: page breaks in place, every other part in its own file."""
        used: dict[str, int] = {}
        return [pb_node(c) if c.tag == t("pb") else self.part(c, folder, used)
                for c in el if isinstance(c.tag, str)]

    def container(self, el: etree._Element, trail: list[str]) -> list[dict[str, Any]]:
        """A body or division: documents to files, divisions recursively, the rest kept verbatim."""
        items: list[dict[str, Any]] = []
        head = el.find(t("head"))
        for child in el:
            if not isinstance(child.tag, str) or (child is head and el.tag == t("div")):
                continue  # comments between divisions are not content; a division's head is on its node
            if child.tag == t("pb"):
                items.append(pb_node(child))
            elif child.tag == t("div") and child.get("type") == "document":
                items.append(self.document(child, el, trail))
            elif child.tag == t("div"):
                items.append(self.division(child, trail))
            else:
                items.append({"kind": "block", "xml": element_bytes(child, declaration=False).decode("utf-8")})
        return items

    def division(self, div: etree._Element, trail: list[str]) -> dict[str, Any]:
        title = head_text(div)
        node: dict[str, Any] = {"kind": "division", "type": div.get("type", ""), "id": div.get(XML_ID, ""),
                                "title": title}
        if div.get("subtype"):
            node["subtype"] = div.get("subtype")
        head = div.find(t("head"))
        if head is not None and len(head):
            node["head"] = element_bytes(head, declaration=False).decode("utf-8")  # notes, markup kept
        _dates(div, node)
        node["items"] = self.container(div, trail + [title])
        return node


def lay_out(text: etree._Element, path: str) -> Layout:
    """Walk the volume's <text>: front, body and back in order, with the page breaks between them."""
    layout = Layout(path=path)
    for child in text:
        if not isinstance(child.tag, str):
            continue
        if child.tag in (t("front"), t("back")):
            layout.contents.append({"kind": _local(child), "items": layout.matter(child, _local(child))})
        elif child.tag == t("body"):
            layout.contents.append({"kind": "body", "items": layout.container(child, [])})
        elif child.tag == t("pb"):
            layout.contents.append(pb_node(child))
        else:
            layout.contents.append({"kind": "block",
                                    "xml": element_bytes(child, declaration=False).decode("utf-8")})
    return layout


def reading_order(contents: list[dict[str, Any]]) -> list[str]:
    """Document ids in reading order, from the ``contents`` tree of a toc.yml."""
    order: list[str] = []
    for node in contents:
        if node.get("kind") == "document":
            order.append(str(node["id"]))
        order.extend(reading_order(node.get("items") or []))
    return order
