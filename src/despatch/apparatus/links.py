"""Build-time link checking: every ref, page, person and term target must resolve.

A target inside the edition must exist: its document, and the anchor in that document (a note,
a page break). A document the edition does not hold is external (it links to the canonical
edition) and is counted, not reported, unless its volume says it is complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
    """The anchors of every document the edition holds, and its volumes' pages."""

    docs: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    pages: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[DocRecord]) -> "EditionIndex":
        index = cls()
        for rec in records:
            index.docs[(rec.volume, rec.id)] = set(rec.anchors) | {rec.id}
            index.pages.setdefault(rec.volume, set()).update(f"pg_{p}" for p in rec.pages)
        return index


def check_target(target: str, rec: DocRecord, index: EditionIndex, complete: set[str]) -> str | None:
    """None when ``target`` resolves (or is external); else why it does not."""
    m = _TARGET.fullmatch(target)
    if not m:
        return "not a link target (expected '#d136', '#d229fn2', 'frus1961-63v08#d49' or '#pg_770')"
    if m["whole"]:
        vol, frag = m["whole"], ""
    else:
        vol, frag = m["vol"] or rec.volume, m["frag"]
    if vol not in index.pages and not any(v == vol for v, _ in index.docs):
        return None  # another volume: the canonical edition's business
    if not frag:
        return None  # the volume itself
    if frag.startswith("pg_"):
        if frag in index.pages.get(vol, set()) or vol not in complete:
            return None
        return f"page {frag[3:]} is not in volume {vol}"
    doc = _DOC.match(frag)
    if not doc:
        return f"'{frag}' is neither a document, a note nor a page"
    anchors = index.docs.get((vol, doc.group()))
    if anchors is None:
        return None if vol not in complete else f"document {doc.group()} is not in volume {vol}"
    if frag not in anchors:
        return f"{doc.group()} of {vol} has no anchor '{frag}'"
    return None


def is_external(target: str, rec: DocRecord, index: EditionIndex) -> bool:
    """Whether a resolving target points outside the edition's documents."""
    vol, _, frag = target.partition("#")
    vol = vol or rec.volume
    if not frag:
        return vol not in index.pages
    if frag.startswith("pg_"):
        return frag not in index.pages.get(vol, set())
    doc = _DOC.match(frag)
    return doc is None or (vol, doc.group()) not in index.docs


def check_links(records: Iterable[DocRecord], config: Config, *,
                persons: Mapping[str, Mapping[str, Any]] | None = None,
                terms: Mapping[str, Mapping[str, Any]] | None = None,
                complete: Iterable[str] = (), stats: LinkStats | None = None) -> list[Diagnostic]:
    """Diagnostics for every dangling target (warnings when ``config.strict_links`` is off).

    ``persons``/``terms`` map volume ids to their lists; a volume without a list is not checked
    for person or term links. Volumes named in ``complete`` hold every document they print, so a
    missing document there is an error rather than an external link.
    """
    records = list(records)
    index = EditionIndex.of(records)
    done = set(complete)
    stats = stats if stats is not None else LinkStats()
    severity = "error" if config.strict_links else "warning"
    out: list[Diagnostic] = []

    def report(rec: DocRecord, line: int, message: str, found: str, expected: str) -> None:
        stats.dangling += 1
        out.append(Diagnostic(rec.source, line, 1, message, found=found, expected=expected, severity=severity))

    for rec in records:
        for target, line in rec.refs:
            problem = check_target(target, rec, index, done)
            if problem:
                report(rec, line, f"dangling cross-reference in {rec.id}: {problem}", target,
                       "a document, note or page that the edition or the canonical edition has")
            elif is_external(target, rec, index):
                stats.external += 1
                stats.external_volumes.add(target.partition("#")[0] or rec.volume)
            else:
                stats.internal += 1
        for kind, pairs, lists in (("person", rec.person_refs, persons), ("term", rec.term_refs, terms)):
            listed = (lists or {}).get(rec.volume)
            if not listed:
                continue  # no list for this volume: nothing to check against
            for ident, line in pairs:
                if ident not in listed:
                    report(rec, line, f"{kind} '{ident}' mentioned in {rec.id} is not in the {kind}s list of {rec.volume}",
                           f"#{ident}", f"an id of content/{rec.volume}/{kind}s.yml")
    return out
