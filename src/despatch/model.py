"""Small, picklable records that the build gathers across the whole edition (no lxml, no jinja)."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from typing import Any

_intern = sys.intern


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

    def __repr__(self) -> str:
        # The dataclass's own repr, written out: a record's fields hash holds the repr of each citation,
        # and the generated one guards against recursion, which a citation of strings cannot have.
        return (f"Citation(repository={self.repository!r}, collection={self.collection!r}, file={self.file!r}, "
                f"note_id={self.note_id!r}, lot={self.lot!r}, date_code={self.date_code!r}, box={self.box!r}, "
                f"folder={self.folder!r}, ibid={self.ibid!r})")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its values in field order: no names to write or read, no state dict to build."""
        return _citation, _citation_values(self)

    def __setstate__(self, state: Any) -> None:
        """Unpickled with its strings interned: repositories, collections and note ids repeat across records."""
        for name, value in _slots(state):
            setattr(self, name, value)
        self._intern()

    def _intern(self) -> None:
        self.repository, self.collection = _intern(self.repository), _intern(self.collection)
        self.note_id, self.lot = _intern(self.note_id), _intern(self.lot)


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

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its values in field order (a worker's answer, a cache entry): half the time of
        a state dict each way, and unpickled through ``_record``, which interns as ``__setstate__`` does."""
        return _record, _record_values(self)

    def __setstate__(self, state: Any) -> None:
        """Unpickled from a state (a record pickled before ``__reduce__``) with its strings interned."""
        for name, value in _slots(state):
            setattr(self, name, value)
        self._intern()

    def _intern(self) -> None:
        # Every volume numbers its documents from d1: ids, anchors (d46fn0), page numbers and link
        # targets recur in each volume, and the main process holds every record of the edition.
        self.volume, self.id, self.n = _intern(self.volume), _intern(self.id), _intern(self.n)
        self.doc_type, self.classification = _intern(self.doc_type), _intern(self.classification)
        self.anchors = [_intern(a) for a in self.anchors]
        if self.pages:
            self.pages = [_intern(p) for p in self.pages]
        if self.refs:
            self.refs = [(_intern(target), line) for target, line in self.refs]
        if self.handling:
            self.handling = [_intern(h) for h in self.handling]


_citation_values = attrgetter(*(f.name for f in fields(Citation)))
_record_values = attrgetter(*(f.name for f in fields(DocRecord)))


def _citation(*values: Any) -> Citation:
    """A citation from its pickled values, its strings interned."""
    cite = Citation(*values)
    cite._intern()
    return cite


def _record(*values: Any) -> DocRecord:
    """A record from its pickled values, its strings interned (its citations were made by ``_citation``)."""
    rec = DocRecord(*values)
    rec._intern()
    return rec


def copied(rec: DocRecord) -> DocRecord:
    """A shallow copy (its lists shared): ``copy.copy`` would go through ``__reduce__`` and intern again."""
    return DocRecord(*_record_values(rec))


def record_from_row(row: tuple[Any, ...] | list[Any], intern: bool = True) -> DocRecord:
    """A record from its values in field order, its citations as tuples (``snapshot.to_row``'s form);
    ``intern``: its strings interned, as an unpickled record's are. Its lists are the row's own."""
    rec = DocRecord(*row)
    cites = row[_CITATIONS]
    if cites:  # an empty list stays the row's own
        rec.citations = [_citation(*c) for c in cites] if intern else [Citation(*c) for c in cites]
    if intern:
        rec._intern()
    return rec


_CITATIONS = [f.name for f in fields(DocRecord)].index("citations")


def _slots(state: Any) -> Any:
    """The (name, value) pairs of a pickled state: ``(None, slots)`` as ``object.__getstate__`` gives it."""
    if isinstance(state, tuple):
        return state[1].items() if state[0] is None else [*state[0].items(), *state[1].items()]
    return state.items()


# DocRecord's repr with its digests blank, as a format of the other fields: what
# repr(replace(rec, digest="", fields="")) gives, without making a copy of the record.
_REPR_NAMES = [f.name for f in fields(DocRecord) if f.repr and f.name not in ("digest", "fields")]
_REPR_FORMAT = f"{DocRecord.__qualname__}(" + ", ".join(
    f"{f.name}=''" if f.name in ("digest", "fields") else f"{f.name}={{!r}}" for f in fields(DocRecord) if f.repr) + ")"
_repr_values = attrgetter(*_REPR_NAMES)


def fields_hash(rec: DocRecord) -> str:
    """The hash of a record's fields, its digests left out (``repr``: by value, unlike pickle)."""
    if type(rec) is DocRecord:
        text = _REPR_FORMAT.format(*_repr_values(rec))
    else:
        text = repr(replace(rec, digest="", fields=""))
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
