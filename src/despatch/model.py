"""Small, picklable records that the build gathers across the whole edition (no lxml, no jinja)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace


@dataclass(slots=True)
class Citation:
    """An archival citation parsed from a note: where a record is kept."""

    repository: str            # "Department of State", "Eisenhower Library", "National Archives"
    collection: str = ""       # "Central Files", "Conference Files", "Whitman File"
    file: str = ""             # "711.5611" (decimal file; its date code apart), "CF 2095", "POL 32–1 Aus-It"
    note_id: str = ""          # the xml:id of the note that cites it (d245fn0)
    lot: str = ""              # "Lot 65 D 533"
    date_code: str = ""        # "5–462" of a decimal file "711.5611/5–462" (file is then "711.5611")
    box: str = ""              # "Box 12"
    folder: str = ""           # a folder or series title: "de Gaulle Letters", "International File"
    ibid: bool = False         # written as "Ibid."; the fields were resolved from the citation before


@dataclass(slots=True)
class DocRecord:
    """What indexes need to know of one document: kept small so 311,651 of them fit in memory."""

    volume: str
    id: str                    # "d245"
    n: str                     # "245"
    title: str                 # the head's text without note markers
    source: str = ""           # the source file, relative to the project
    order: int = 0             # position in the volume's reading order
    date_min: str | None = None     # ISO 8601, from frus:doc-dateTime-min
    date_max: str | None = None
    date_basis: str = ""       # "dateline", "file-number 711.5611/5–462", "neighbours", ""
    doc_type: str = ""         # telegram, memorandum, letter, editorial-note, ... (facet)
    classification: str = ""   # Secret, Confidential, ... (facet)
    pages: list[str] = field(default_factory=list)       # printed page numbers, in order
    anchors: list[str] = field(default_factory=list)     # every xml:id in the document
    refs: list[tuple[str, int]] = field(default_factory=list)  # (target, source line)
    citations: list[Citation] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)     # ids of persons mentioned
    terms: list[str] = field(default_factory=list)       # ids of terms glossed
    chapter: str = ""          # the chapter's title, for imported volumes
    digest: str = ""           # content hash of the document's TEI (incremental builds)
    handling: list[str] = field(default_factory=list)    # Limit Distribution, Priority, Niact, ...
    person_refs: list[tuple[str, int]] = field(default_factory=list)  # (person id, source line), first mention each
    term_refs: list[tuple[str, int]] = field(default_factory=list)    # (term id, source line), first mention each
    # A hash of every other field as the read stage left them: index pages show nothing of a document
    # but its record, so an edit that changes only its text (the digest) changes none of them.
    fields: str = ""


def fields_hash(rec: DocRecord) -> str:
    """The hash of a record's fields, its digests left out (``repr``: by value, unlike pickle)."""
    text = repr(replace(rec, digest="", fields=""))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
