"""Package a volume as an EPUB 3: title page, one chapter per document, a nav with contents and page-list."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ..errors import SourceError
from ..files import read_file
from ..model import DocRecord
from ..tei.xmlio import TEI_NS, parse_bytes, parse_own
from ..volume import Volume
from .book import PACKAGE_FILES, Item, arrange, css, package_documents
from .chapter import chapter
from .package import ZIP_TIME, Packed, normalise_zip, write_zip  # noqa: F401 (ZIP_TIME, normalise_zip: re-exported)
from .reuse import Chapters, chapter_key, skeleton_key, tei_digest

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


def modified_time(modified: dt.datetime | None) -> dt.datetime:
    """The package's modification time: given, else SOURCE_DATE_EPOCH, else a fixed date (reproducible)."""
    if modified is not None:
        return modified
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime(2000, 1, 1)


def web_url(base: str, volume: str, ident: str) -> str | None:
    """The edition's web address of a target outside the book (a document, page or chapter)."""
    if not base or not volume:
        return None
    if not ident:
        return f"{base.rstrip('/')}/{volume}"
    # Notes live inside their document's page: link the document (d136fn2 → d136).
    doc = re.match(r"d\d+", ident)
    return f"{base.rstrip('/')}/{volume}/{doc.group(0) if doc else ident}"


def resolver(volume_id: str, anchors: dict[str, str], here: str, web_base: str = ""):
    """Map a TEI ref target to an href inside the book, else on the web edition; None leaves plain text."""
    def resolve(target: str) -> str | None:
        if target.startswith(("http://", "https://")):
            return target
        vol, _, ident = target.partition("#")
        if vol and vol != volume_id:
            return web_url(web_base, vol, ident)
        if ident not in anchors:
            return web_url(web_base, volume_id, ident) if ident else None
        file = anchors[ident]
        if ident == file.removesuffix(".xhtml"):
            return file if file != here else f"#{ident}"
        return f"#{ident}" if file == here else f"{file}#{ident}"
    return resolve


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


def write_epub(volume: Volume, docs: Iterable[tuple[DocRecord, bytes | str | Path]], out: Path, *,
               modified: dt.datetime | None = None, identifier: str = "", web_base: str = "",
               chapters: Chapters | None = None, recorded: bool = False) -> Path:
    """Write ``out`` (an .epub) from the volume's documents in reading order, each with its TEI (bytes or file).

    ``web_base`` (the edition's canonical base URL) turns references to documents outside the book into
    web links; without it they stay plain text. ``chapters`` takes unchanged chapters (and, when it
    still fits, the package around them) from the volume's last EPUB and records this one's (reuse.py).
    ``recorded``: the records describe the TEI files (see ``Source``).
    """
    sources = [Source(rec, data, volume.id, chapters, recorded) for rec, data in docs]
    anchors: dict[str, str] = {}
    for src in sources:
        file = f"{src.rec.id}.xhtml"
        for ident in src.ids:
            anchors.setdefault(ident, file)
        anchors.setdefault(src.rec.id, file)
    items: list[Item] = []
    toc: list[tuple[str, str, str]] = []
    pages: list[tuple[str, str]] = []
    for src in sources:
        rec, file = src.rec, f"{src.rec.id}.xhtml"
        resolve = resolver(volume.id, anchors, file, web_base)
        content: bytes | Packed
        found, key = None, ""
        if chapters is not None:
            key = chapter_key(src.digest, rec.title, [resolve(target) for target in src.targets])
            found = chapters.get(rec.id, key)
        if found is not None:
            content, chapter_pages = found
        else:
            made = chapter(src.div(), rec.title, resolve, plain=src.plain)
            content, chapter_pages = made.html, made.pages
        src.release()
        if chapters is not None:
            chapters.put(rec.id, key, chapter_pages, src.digest, src.ids, src.targets, src.sig)
        items.append((rec.id, file, content))
        toc.append((file, rec.title, rec.chapter))
        pages.extend((f"{file}#{ident}", n) for ident, n in chapter_pages)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    when = modified_time(modified)
    skeleton = skeleton_key(volume, identifier, when, toc, pages, css()) if chapters is not None else ""
    copied = chapters.package(skeleton, list(PACKAGE_FILES)) if chapters is not None else None
    if copied is not None:  # no title, page or metadata changed: the package documents are the last EPUB's
        package: dict[str, bytes | Packed] = dict(zip(PACKAGE_FILES, copied, strict=True))
    else:
        try:
            made = package_documents(volume, identifier, when, items, toc, pages)
        except ValueError as exc:  # a character XML does not allow, in a title or the volume's metadata
            raise EbookError.at(str(out), 1, 1, f"could not write the EPUB of {volume.id}: {exc}") from exc
        # Those that came out as the last EPUB holds them (an edited title leaves the OPF) are copied compressed.
        package = {name: (chapters.same(name, data) if chapters is not None else None) or data
                   for name, data in made.items()}
    written = write_zip(out, arrange(package, items))
    if chapters is not None:
        chapters.save(written, skeleton)
    return out
