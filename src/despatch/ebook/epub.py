"""Package a volume as an EPUB 3: title page, one chapter per document, a nav with contents and page-list."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..model import DocRecord
from ..volume import Volume
from .book import PACKAGE_FILES, Item, arrange, css, package_documents
from .chapter import chapter
from .package import ZIP_TIME, Packed, normalise_zip, write_zip  # noqa: F401 (ZIP_TIME, normalise_zip: re-exported)
from .reuse import Chapters, chapter_key, skeleton_key
from .source import EbookError, Source


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
