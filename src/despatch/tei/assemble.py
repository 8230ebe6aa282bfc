"""A document's TEI file joined from bytes: the volume's file cut where its title, source name and div go."""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

from ..sources.base import Converted
from ..volume import Volume
from .document import build_tei, head_text, volume_key
from .xmlio import NSMAP, parse_own, serialize, t

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
    key = volume_key(volume)
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
            _SHELLS[volume_key(volume)] = None
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
    shell = _SHELLS.get(volume_key(volume))
    return shell is not None and shell.valid and _PLAIN_SOURCE.fullmatch(source_name) is not None


def header_validated(volume: Volume, source_name: str) -> None:
    """Note that a whole file assembled for this volume and source name was valid."""
    shell = _SHELLS.get(volume_key(volume))
    if shell is not None and shell.checked and not shell.ids and _PLAIN_SOURCE.fullmatch(source_name):
        shell.valid = True


__all__ = ["assembled_tei", "header_valid", "header_validated"]
