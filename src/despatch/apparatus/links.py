"""Build-time link checking: every ref, page, person and term target must resolve.

A target inside the edition must exist: its document, and the anchor in that document (a note,
a page break). A document the edition does not hold is external (it links to the canonical
edition) and is counted, not reported, unless its volume says it is complete.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..errors import Diagnostic
from ..model import DocRecord

# A letter may end a document id ("d53a") but not start a note's suffix ("d206fn1").
_DOC = re.compile(r"d\d+(?:[a-z](?![a-z]))?")
_TARGET = re.compile(r"(?P<vol>[A-Za-z0-9_.-]*)#(?P<frag>[A-Za-z_][\w.-]*)|(?P<whole>[A-Za-z0-9_.-]+)")


@dataclass
class LinkStats:
    """What the check saw, for the build summary."""

    internal: int = 0
    external: int = 0
    external_volumes: set[str] = field(default_factory=set)
    dangling: int = 0


@dataclass
class EditionIndex:
    """The documents of the edition by volume; a volume's printed pages are gathered when a link first
    asks for them, and a document's anchors are looked up in its record (most are never a link's target)."""

    records: dict[tuple[str, str], DocRecord] = field(default_factory=dict)
    volumes: dict[str, list[DocRecord]] = field(default_factory=dict)
    _pages: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[DocRecord]) -> EditionIndex:
        index = cls()
        for rec in records:
            index.records[(rec.volume, rec.id)] = rec
            index.volumes.setdefault(rec.volume, []).append(rec)
        return index

    def replace(self, volume: str, docs: list[DocRecord]) -> None:
        """A volume's documents read again (a serving process's preview of an edit)."""
        for rec in self.volumes.get(volume, ()):
            del self.records[(rec.volume, rec.id)]
        for rec in docs:
            self.records[(rec.volume, rec.id)] = rec
        self.volumes[volume] = list(docs)
        self._pages.pop(volume, None)

    def pages(self, volume: str) -> set[str]:
        """The printed pages of a volume as anchors (``pg_770``)."""
        found = self._pages.get(volume)
        if found is None:
            found = self._pages[volume] = {f"pg_{p}" for rec in self.volumes.get(volume, ()) for p in rec.pages}
        return found


_MALFORMED = "not a link target (expected '#d136', '#d229fn2', 'frus1961-63v08#d49' or '#pg_770')"


def resolve(target: str, rec: DocRecord, index: EditionIndex, complete: set[str]) -> tuple[str | None, bool]:
    """Why ``target`` does not resolve (None when it does), and whether it points outside the edition's documents."""
    m = _TARGET.fullmatch(target)
    if not m:
        return _MALFORMED, False
    if m["whole"]:
        vol, frag = m["whole"], ""
    else:
        vol, frag = m["vol"] or rec.volume, m["frag"]
    if vol not in index.volumes:
        return None, True  # another volume: the canonical edition's business
    if not frag:
        return None, False  # the volume itself
    if frag.startswith("pg_"):
        if frag in index.pages(vol):
            return None, False
        return (None, True) if vol not in complete else (f"page {frag[3:]} is not in volume {vol}", False)
    doc = _DOC.match(frag)
    if not doc:
        return f"'{frag}' is neither a document, a note nor a page", False
    target_rec = index.records.get((vol, doc.group()))
    if target_rec is None:
        return (None, True) if vol not in complete else (f"document {doc.group()} is not in volume {vol}", False)
    if frag != target_rec.id and frag not in target_rec.anchors:  # one look: no set made for it
        return f"{doc.group()} of {vol} has no anchor '{frag}'", False
    return None, False


def check_target(target: str, rec: DocRecord, index: EditionIndex, complete: set[str]) -> str | None:
    """None when ``target`` resolves (or is external); else why it does not."""
    return resolve(target, rec, index, complete)[0]


def is_external(target: str, rec: DocRecord, index: EditionIndex) -> bool:
    """Whether a resolving target points outside the edition's documents."""
    return resolve(target, rec, index, set())[1]


def check_links(records: Iterable[DocRecord], config: Config, *,
                persons: Mapping[str, Mapping[str, Any]] | None = None,
                terms: Mapping[str, Mapping[str, Any]] | None = None,
                complete: Iterable[str] = (), stats: LinkStats | None = None,
                index: EditionIndex | None = None) -> list[Diagnostic]:
    """Diagnostics for every dangling target (warnings when ``config.strict_links`` is off).

    ``persons``/``terms`` map volume ids to their lists; a volume without a list is not checked
    for person or term links. Volumes named in ``complete`` hold every document they print, so a
    missing document there is an error rather than an external link. ``index``: the whole edition's,
    when ``records`` are only some of its documents.
    """
    records = list(records)
    index = EditionIndex.of(records) if index is None else index
    done = set(complete)
    stats = stats if stats is not None else LinkStats()
    severity = "error" if config.strict_links else "warning"
    out: list[Diagnostic] = []

    def report(rec: DocRecord, line: int, message: str, found: str, expected: str) -> None:
        stats.dangling += 1
        out.append(Diagnostic(rec.source, line, 1, message, found=found, expected=expected, severity=severity))

    persons, terms = persons or {}, terms or {}
    for rec in records:
        for target, line in rec.refs:
            problem, external = resolve(target, rec, index, done)
            if problem:
                report(rec, line, f"dangling cross-reference in {rec.id}: {problem}", target,
                       "a document, note or page that the edition or the canonical edition has")
            elif external:
                stats.external += 1
                stats.external_volumes.add(target.partition("#")[0] or rec.volume)
            else:
                stats.internal += 1
        if rec.person_refs:
            _check_listed(rec, "person", rec.person_refs, persons.get(rec.volume), report)
        if rec.term_refs:
            _check_listed(rec, "term", rec.term_refs, terms.get(rec.volume), report)
    return out


def _check_listed(rec: DocRecord, kind: str, pairs: Iterable[tuple[str, int]], listed: Mapping[str, Any] | None,
                  report: Callable[[DocRecord, int, str, str, str], None]) -> None:
    """Report each person or term a document mentions that its volume's list lacks (no list: nothing to check)."""
    if not listed:
        return
    for ident, line in pairs:
        if ident not in listed:
            report(rec, line, f"{kind} '{ident}' mentioned in {rec.id} is not in the {kind}s list of {rec.volume}",
                   f"#{ident}", f"an id of content/{rec.volume}/{kind}s.yml")
