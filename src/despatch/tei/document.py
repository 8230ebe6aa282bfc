"""Assemble a complete TEI P5 file for one document: a teiHeader from the volume, the div as body."""

from __future__ import annotations

import copy
import re
from urllib.parse import quote

from lxml import etree

from ..sources.base import Converted
from ..volume import Volume
from .xmlio import NSMAP, parse_own, serialize, t, title_text


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    """Append a TEI element with optional text and attributes."""
    node = etree.SubElement(parent, t(name), {k: v for k, v in attrs.items() if v})
    if text:
        node.text = text
    return node


def head_text(div: etree._Element) -> str:
    """The document's title: its head's text without notes, whitespace collapsed ('' without a head)."""
    head = next(div.iterchildren(_HEAD), None)  # find's answer without its path parsed (it runs for every page)
    return title_text(head) if head is not None else ""


_HEAD = t("head")


def _title_stmt(parent: etree._Element, title: str, volume: Volume) -> None:
    stmt = _el(parent, "titleStmt")
    _el(stmt, "title", title or volume.title, level="a")
    _el(stmt, "title", volume.title, level="m", type="complete")
    for name in volume.editors:
        _el(stmt, "editor", name, role="primary")
    if volume.general_editor:
        _el(stmt, "editor", volume.general_editor, role="general")


def _publication_stmt(parent: etree._Element, volume: Volume) -> None:
    stmt = _el(parent, "publicationStmt")
    if not volume.publisher:
        # TEI allows place and date only after a publisher; without one, say what is known in prose.
        known = ", ".join(x for x in (volume.pub_place, volume.year) if x)
        _el(stmt, "p", f"Publisher not recorded{'; ' + known if known else ''}.")
        return
    _el(stmt, "publisher", volume.publisher)
    if volume.pub_place:
        _el(stmt, "pubPlace", volume.pub_place)
    if volume.year:
        _el(stmt, "date", volume.year, type="publication-date")
    _el(stmt, "idno", volume.id, type="frus")


def _series_stmt(parent: etree._Element, volume: Volume) -> None:
    if not volume.series:
        return  # seriesStmt needs a title; an unknown series is left out, not invented
    stmt = _el(parent, "seriesStmt")
    _el(stmt, "title", volume.series, level="s")
    if volume.volume:
        _el(stmt, "biblScope", volume.volume, unit="volume")


def _source_desc(parent: etree._Element, source_name: str) -> None:
    desc = _el(parent, "sourceDesc")
    p = _el(desc, "p", "Converted from the source file ")
    ref = _el(p, "ref", source_name, target=quote(source_name, safe="/:._-~"))
    ref.tail = "."


def _header(root: etree._Element, title: str, volume: Volume, source_name: str) -> etree._Element:
    """Append the teiHeader, indented: line breaks between its elements, for readers of the file."""
    header = _el(root, "teiHeader")
    file_desc = _el(header, "fileDesc")
    _title_stmt(file_desc, title, volume)
    _publication_stmt(file_desc, volume)
    _series_stmt(file_desc, volume)
    _source_desc(file_desc, source_name)
    etree.indent(header, space="  ", level=1)
    return header


# Every document of a volume has the same header but for its title and source file: it is built
# once per volume and copied, the two texts then set (the copy is what _header would build).
_TEMPLATES: dict[tuple[object, ...], etree._Element] = {}
_PLACEHOLDER = "x"


def _volume_key(volume: Volume) -> tuple[object, ...]:
    return (volume.id, volume.title, volume.series, volume.volume, tuple(volume.editors), volume.general_editor,
            volume.publisher, volume.pub_place, volume.year)


def _copied_header(root: etree._Element, title: str, volume: Volume, source_name: str) -> etree._Element:
    """The header from the volume's template; the first build of a volume makes the template."""
    key = _volume_key(volume)
    template = _TEMPLATES.get(key)
    if template is None:
        if len(_TEMPLATES) > 256:
            _TEMPLATES.clear()
        holder = etree.Element(t("TEI"), nsmap=NSMAP)
        template = _TEMPLATES[key] = _header(holder, _PLACEHOLDER, volume, _PLACEHOLDER)
    header = copy.deepcopy(template)
    root.append(header)
    file_desc = header[0]
    file_desc[0][0].text = title
    ref = file_desc[-1][0][0]
    ref.text = source_name
    ref.set("target", quote(source_name, safe="/:._-~"))
    return header


def build_tei(conv: Converted, volume: Volume, source_name: str) -> etree._Element:
    """A TEI document: teiHeader from ``volume``, ``conv.div`` in text/body (moved, not copied)."""
    root = etree.Element(t("TEI"), nsmap=NSMAP)
    title = head_text(conv.div) or volume.title
    if title and source_name:
        header = _copied_header(root, title, volume, source_name)
    else:
        header = _header(root, title, volume, source_name)  # empty texts change the elements made
    root.text, header.tail = "\n  ", "\n  "
    text = _el(root, "text")
    body = _el(text, "body")
    body.append(conv.div)
    text.text, body.text, conv.div.tail, body.tail, text.tail = "\n    ", "\n", "\n    ", "\n  ", "\n"
    # A div read on its own repeats the namespace declarations; drop the duplicates.
    etree.cleanup_namespaces(root, top_nsmap=NSMAP, keep_ns_prefixes=["frus"])
    return root


# A div serialised on its own declares both namespaces; inside the TEI file the root declares them.
_DIV_NS = b'<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0"'
_TITLE, _SOURCE = "\ue0f0", "\ue0f1"  # private-use stand-ins: no volume's text holds them, quote encodes them
_MARKS = {_TITLE.encode(): 0, _SOURCE.encode(): 1, quote(_SOURCE, safe="/:._-~").encode(): 2}
_CUT = re.compile(b"(" + b"|".join(re.escape(m) for m in _MARKS) + b")")
# What lxml refuses or writes as a character reference in a text: such a value takes build_tei's path.
_NOT_PLAIN = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> bytes:
    """A text as lxml writes it in UTF-8: ``& < >`` escaped."""
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.encode()


class Shell:
    """A volume's TEI file cut where a document's title, source name and div go (serialize of build_tei)."""

    def __init__(self, pieces: list[bytes], tail: bytes) -> None:
        self.pieces, self.slots, self.tail = pieces[0::2], [_MARKS[m] for m in pieces[1::2]], tail
        self.checked = False  # whether a document's assembled file has been compared with build_tei's
        # Whether a whole file of the volume was valid, with a plain source name, and no id in the header
        # that a div's could repeat: then a file is valid when its div is (see header_valid).
        self.valid = False
        self.ids = any(b"xml:id" in piece for piece in pieces) or b"xml:id" in tail

    def fill(self, title: str, source_name: str, div_rest: bytes) -> bytes:
        """The file: the pieces with the values between them, then the div's bytes after its tag name."""
        values = (_text(title), _text(source_name), quote(source_name, safe="/:._-~").encode())
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:]):
            out += (values[slot], piece)
        out += (div_rest, self.tail)
        return b"".join(out)


_SHELLS: dict[tuple[object, ...], Shell | None] = {}


def _shell(volume: Volume) -> Shell | None:
    """The volume's shell, made once from a stand-in document (None if the volume's texts get in the way)."""
    key = _volume_key(volume)
    if key not in _SHELLS:
        if len(_SHELLS) > 256:
            _SHELLS.clear()
        div = etree.Element(t("div"), nsmap=NSMAP)
        etree.SubElement(div, t("head")).text = _TITLE
        made = serialize(build_tei(Converted(div=div, path=_SOURCE), volume, _SOURCE))
        before, sep, after = made.partition(b"<div><head>" + _TITLE.encode() + b"</head></div>")
        pieces = _CUT.split(before + b"<div")
        good = sep and not _CUT.search(after) and sorted(_MARKS[m] for m in pieces[1::2]) == [0, 1, 2]
        _SHELLS[key] = Shell(pieces, after) if good else None
    return _SHELLS[key]


def assembled_tei(div_data: bytes, volume: Volume, source_name: str, title: str) -> bytes | None:
    """``serialize(build_tei(...))`` for the div serialised on its own as ``div_data``, whose head's text
    is ``title``, made by joining bytes; None when the values or the div are not plain enough to join.

    The caller parses the result and checks that its head gives ``title``. A volume's first document is
    also made by build_tei and compared: should they ever differ, the volume takes build_tei's path.
    """
    # Only the div's own namespace declarations, which cleanup_namespaces removes inside the file.
    if not (title and source_name and div_data.startswith(_DIV_NS) and div_data.count(b"xmlns") == 2) \
            or _NOT_PLAIN.search(title) or _NOT_PLAIN.search(source_name):
        return None
    shell = _shell(volume)
    if shell is None:
        return None
    data = shell.fill(title, source_name, div_data[len(_DIV_NS):])
    if not shell.checked:
        div = parse_own(div_data, source_name)
        if head_text(div) != title:
            return None  # the caller's check would refuse it: compare with the next document
        if serialize(build_tei(Converted(div=div, path=source_name), volume, source_name)) != data:
            _SHELLS[_volume_key(volume)] = None
            return None
        shell.checked = True
    return data


# A source name that quote leaves as it is and that is a path (no scheme, no authority): the header's
# ref target is a valid anyURI whatever the name. The header's title is any text but an empty one.
_PLAIN_SOURCE = re.compile(r"(?!//)[A-Za-z0-9._~/-]+")


def header_valid(volume: Volume, source_name: str) -> bool:
    """Whether the header of a file assembled for this volume and source name is known to be valid.

    A volume's files differ but for their div only by the title (text, never empty) and the source name
    in their headers: once one whole file was valid (header_validated), a file whose source name is plain
    is valid when its div is, and the schema checks the div on its own as it would inside the file.
    """
    shell = _SHELLS.get(_volume_key(volume))
    return shell is not None and shell.valid and _PLAIN_SOURCE.fullmatch(source_name) is not None


def header_validated(volume: Volume, source_name: str) -> None:
    """Note that a whole file assembled for this volume and source name was valid."""
    shell = _SHELLS.get(_volume_key(volume))
    if shell is not None and shell.checked and not shell.ids and _PLAIN_SOURCE.fullmatch(source_name):
        shell.valid = True


__all__ = ["assembled_tei", "build_tei", "head_text", "header_valid", "header_validated"]
