"""Metadata in a document page's head: Highwire ``citation_*`` tags, OpenGraph and schema.org JSON-LD.

The Highwire names are those Zotero's "Embedded Metadata" translator reads (HIGHWIRE_MAPPINGS and
addHighwireMetadata): citation_title, citation_inbook_title and citation_book_title (which make the
item a book section), citation_editor, citation_series_title, citation_volume, citation_publisher,
citation_publication_date, citation_public_url, citation_language; its ``citation_pdf_url`` is the
only file link it reads, so the TEI and ebook links go out as ``<link rel="alternate">`` instead.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..model import DocRecord
from ..render.jsontext import Raw, dumps_indented
from ..volume import Volume
from .cite import arabic, author, document_title, person
from .formats import name_text


def meta_tags(volume: Volume, rec: DocRecord, url: str, tei_url: str, config: Any) -> list[tuple[str, str]]:
    """(name, content) pairs in a fixed order; names starting with ``og:`` are OpenGraph properties."""
    title = document_title(rec)
    tags: list[tuple[str, str]] = [("citation_title", title)]
    # Zotero splits every citation_author into given and family names, which would mangle a
    # corporate author such as the Department of State; the editors are persons and go as editors.
    tags += [("citation_editor", name_text(person(e))) for e in volume.editors]
    tags += [("citation_inbook_title", volume.title), ("citation_book_title", volume.title)]
    if volume.series:
        tags.append(("citation_series_title", volume.series))
    if volume.volume:
        tags.append(("citation_volume", volume.volume))
    if volume.publisher:
        tags.append(("citation_publisher", volume.publisher))
    if volume.year.strip():
        tags.append(("citation_publication_date", volume.year.strip()))
    tags.append(("citation_public_url", url))
    tags.append(("citation_language", "en"))
    # No description tag: Zotero would file it as the item's abstract, and a made-up one is no abstract.
    tags += [("og:type", "article"), ("og:title", title), ("og:url", url),
             ("og:site_name", str(getattr(config, "site_name", "") or ""))]
    return [(name, " ".join(content.split())) for name, content in tags if content.strip()]


def json_ld(volume: Volume, rec: DocRecord, url: str, tei_url: str, config: Any) -> Markup:
    """The document as a schema.org Chapter of a Book in a series, safe inside a script element."""
    book: dict[str, Any] = {"@type": "Book", "name": volume.title}
    if volume.volume:
        book["volumeNumber"] = arabic(volume.volume)
    if volume.editors:
        book["editor"] = [{"@type": "Person", "name": " ".join(e.split())} for e in volume.editors]
    corporate = author(volume, config)
    if corporate:
        book["author"] = {"@type": "Organization", "name": corporate}
    if volume.publisher:
        book["publisher"] = {"@type": "Organization", "name": volume.publisher}
    if volume.year.strip():
        book["datePublished"] = volume.year.strip()
    if volume.series:
        book["isPartOf"] = {"@type": "CreativeWorkSeries", "name": volume.series}
    if volume.canonical_url:
        book["sameAs"] = volume.canonical_url
    # The book is the same for every document of a volume: its text is made once per volume.
    key = json.dumps(book, ensure_ascii=False, sort_keys=True)
    book_text = _BOOKS.get(key)
    if book_text is None:
        if len(_BOOKS) > 4096:
            _BOOKS.clear()
        book_text = _BOOKS[key] = Raw(dumps_indented(book, 1))
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "Chapter", "@id": url, "url": url,
                            "name": document_title(rec), "inLanguage": "en", "isPartOf": book_text}
    if rec.n:
        data["position"] = rec.n
    if rec.date_min:
        data["dateCreated"] = rec.date_min[:10]
    if volume.canonical_url:
        data["sameAs"] = volume.canonical_url.rstrip("/") + "/" + rec.id
    data["encoding"] = {"@type": "MediaObject", "contentUrl": tei_url, "encodingFormat": "application/tei+xml"}
    text = dumps_indented(data)
    # Inside <script>, "</script>" or "<!--" in a title would end the element: escape the brackets.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


_BOOKS: dict[str, Raw] = {}
