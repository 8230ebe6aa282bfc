"""One document of a book: its TEI file found, its ids and link targets, its div parsed for its chapter."""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from ..errors import SourceError
from ..files import read_file
from ..model import DocRecord
from ..tei.xmlio import TEI_NS, parse_bytes, parse_own
from .reuse import Chapters, tei_digest

REF, DIV = f"{{{TEI_NS}}}ref", f"{{{TEI_NS}}}div"
# The xml:id of every element, in document order: one XPath, not a look-up from Python for each element.
# No regular expressions: lxml would register EXSLT's functions again at every call.
_IDS = etree.XPath("descendant-or-self::*/@xml:id", smart_strings=False, regexp=False)


class EbookError(SourceError):
    """A volume could not be made into an EPUB (reported like any build error)."""


def document_div(data: bytes, path: str, own: bool = False) -> etree._Element:
    """The document div of a TEI file (a whole TEI document or a bare div); ``own``: a file the build
    wrote itself, which needs none of the checks a source does (see ``parse_own``)."""
    root = parse_own(data, path) if own else parse_bytes(data, path).getroot()
    # The local name of the root's tag ("{ns}name"): a bare div in any namespace, as QName gives it.
    if root.tag.rpartition("}")[2] == "div":
        return root
    # The first div of the type in document order, as find(".//div[@type='document']") gave it, without
    # its path machinery: lxml picks the divs out, and the first of them is the one.
    div = next((el for el in root.iter(DIV) if el.get("type") == "document"), None)
    if div is None:
        raise SourceError.at(path, 1, 1, "no document in this TEI file",
                             found=etree.QName(root).localname, expected="a div type='document'")
    return div


class Source:
    """One document of the book: its TEI (bytes, or the file that holds them), and the ids and link
    targets in it.

    An unchanged document's ids and targets come from the last chapter record: a file whose size,
    time and inode are those recorded is neither read nor parsed unless its chapter has to be made.
    A file this build did not stage is the live site's (see ``Chapters.live``). With ``recorded``, the
    record's anchors and refs are the file's ids and link targets (the build's own records and files):
    the tree is then parsed only for the chapter.
    """

    def __init__(self, rec: DocRecord, data: bytes | str | Path, volume: str, chapters: Chapters | None,
                 recorded: bool = False) -> None:
        self.rec, self.path = rec, rec.source or f"{volume}/{rec.id}.xml"
        self._data = data if isinstance(data, bytes) else None
        self._div: etree._Element | None = None
        self.plain = False
        self.file, self.sig = (None, None) if isinstance(data, bytes) else _located(os.fspath(data), rec.id, chapters)
        known = chapters.known(rec.id, None, self.sig) if chapters is not None and self.sig else None
        if known is None:
            self.digest = tei_digest(self.data)
            known = chapters.known(rec.id, self.digest) if chapters is not None else None
        if known is not None:
            self.digest, self.ids, self.targets = known
        elif recorded and self.file is not None:
            # The read stage took them from the div the file was written from, by the same XPath (its
            # refs: those with a target, as here), the date's certainty added since holding neither.
            self.ids, self.targets = list(rec.anchors), [target for target, _ in rec.refs]
        else:
            div = self.div()
            self.ids = [ident for ident in _IDS(div) if ident]
            # A ref with no target links nowhere, whatever the other documents: its chapter's key needs it not.
            self.targets = [target for el in div.iter(REF) if (target := el.get("target"))]

    @property
    def data(self) -> bytes:
        if self._data is None:
            assert self.file is not None
            self._data = read_file(self.file)
        return self._data

    def div(self) -> etree._Element:
        if self._div is None:
            # A file is the TEI this build (or the last) wrote; bytes handed in are checked as a source.
            data, own = self.data, self.file is not None
            self._div = document_div(data, self.path, own=own)
            # lxml wrote that file: with no "&" (nor CDATA) in it, none of its texts holds a character to escape.
            self.plain = own and b"&" not in data and b"<![CDATA[" not in data
        return self._div

    def release(self) -> None:
        """Let the TEI go once its chapter is made: freed while in the cache, not a volume's worth at the end."""
        self._div = self._data = None


def _located(staged: str, doc_id: str, chapters: Chapters | None) -> tuple[str | None, list[int] | None]:
    """The TEI file of a document, staged now or else live, with its size, time and inode."""
    live = os.path.join(chapters.live, doc_id + ".xml") if chapters is not None and chapters.live else None
    for path in (staged, live):
        if path is None:
            continue
        try:
            st = os.stat(path)  # strings, not Paths: a volume has hundreds of documents
        except FileNotFoundError:
            continue
        return path, [st.st_size, st.st_mtime_ns, st.st_ino]
    raise EbookError.at(staged, 1, 1, f"the TEI file of {doc_id} is missing", expected="the build's TEI of every document")
