"""Parse archival citations in note text: repository, collection, lot, file, box; and "Ibid."

A citation is found by its anchor (a repository name or "Ibid.") and read component by component
(", " or ": " between them) up to the end of its sentence, a ")" or a ";". Each component is
classified by the first rule of ``COMPONENT_RULES`` that accepts it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_NAMED = (r"Department\s+of\s+State|Department\s+of\s+Defense|Central\s+Intelligence\s+Agency"
          r"|National\s+Archives(?:\s+and\s+Records\s+Administration)?|Washington\s+National\s+Records\s+Center"
          r"|Library\s+of\s+Congress|National\s+Security\s+Council")
_LIBRARY = r"(?:[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+){1,3}(?:Presidential\s+)?Library"
REPOSITORY = re.compile(rf"(?:{_NAMED}|{_LIBRARY})(?=,\s)")
# REPOSITORY's two kinds of names apart: the libraries' pattern is tried at every capital letter,
# and only a text with "Library" in it needs it.
_NAMED_REPOSITORY = re.compile(rf"(?:{_NAMED})(?=,\s)")
_LIBRARY_REPOSITORY = re.compile(rf"(?:{_LIBRARY})(?=,\s)")
IBID = re.compile(r"\b[Ii]bid\.")
# Publications are cited like records but are not archival ("Department of State Bulletin, …").
PUBLICATION = re.compile(r"\b(?:Department\s+of\s+State\s+Bulletin|Foreign\s+Relations|Public\s+Papers)\b")
_MONTH = re.compile(r"^(?:January|February|March|April|May|June|July|August|September|October"
                    r"|November|December)\b")
_SEPARATOR = re.compile(r",\s+|:\s+")
_END = re.compile(r"\.(?=\s|\)|$)|\)|;|,\s+(?=[a-z])|$")
# The component rules' patterns, compiled once (they run on every component of every note).
_LOT = re.compile(r"Lots? \d+ ?[A-Z] ?\d+(?: and \d+ ?[A-Z] ?\d+)?")
_BOX = re.compile(r"Box(?:es)? \d+(?:[–-]\d+)?")
_DECIMAL_FILE = re.compile(r"\d{3}[0-9A-Z.–-]*(?:/[0-9A-Za-z–-]+)?")
_CODED_FILE = re.compile(r"[A-Z]{1,5} [\w.–/-]*[\d–-][\w.–/-]*(?: [\w.–/-]+)*")
_FILES_END = re.compile(r"\bFiles?$")
_PARTICLE = re.compile(r"(?:de|du|van|von|la) [A-Z]")
_YEAR = re.compile(r"\d{4}")


@dataclass(slots=True)
class Part:
    """One component of a citation: its kind and its span in the note's text."""

    kind: str      # repository | ibid | collection | lot | file | box | folder
    start: int
    end: int


@dataclass(slots=True)
class Found:
    """A citation found in a text: its span and components."""

    start: int
    end: int
    parts: list[Part] = field(default_factory=list)

    @property
    def ibid(self) -> bool:
        return bool(self.parts) and self.parts[0].kind == "ibid"


def is_lot(text: str) -> bool:
    """``Lot 65 D 533``, ``Lot 64 D199``: a retired-records lot of the Department of State."""
    return _LOT.fullmatch(text) is not None


def is_box(text: str) -> bool:
    """``Box 12``, ``Boxes 3–4``."""
    return _BOX.fullmatch(text) is not None


def is_decimal_file(text: str) -> bool:
    """``711.5611/5–462``, ``375/11–2561``, ``660E.61/11–161``: a decimal file with a date code."""
    return _DECIMAL_FILE.fullmatch(text) is not None


def is_coded_file(text: str) -> bool:
    """``POL 32–1 Aus-It``, ``ECIN 6 EEC-Aus``, ``CF 2095``: subject-numeric or conference files."""
    # The code is followed by a number or a country pair ("Aus-It"), unlike "NSC Subgroup Meeting".
    return _CODED_FILE.fullmatch(text) is not None and not _FILES_END.search(text)


def is_collection(text: str) -> bool:
    """A capitalised name of a records collection, not a date ("Central Files", "Whitman File")."""
    return bool(text) and text[0].isupper() and not _MONTH.match(text) and len(text.split()) <= 9


# Order matters: the first rule that accepts a component names its kind.
COMPONENT_RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("lot", is_lot),
    ("box", is_box),
    ("file", is_decimal_file),
    ("file", is_coded_file),
)


def component_kind(text: str, first: bool) -> str | None:
    """The kind of a component; the first after a repository is its collection."""
    for kind, accepts in COMPONENT_RULES:
        if accepts(text):
            return kind
    if first:
        return "collection" if is_collection(text) else None
    # Folder titles may start with a name particle: "de Gaulle Letters".
    titled = text[:1].isupper() or text[:1].isdigit() or _PARTICLE.match(text)
    return "folder" if titled else None


def read_components(text: str, pos: int) -> tuple[list[Part], int]:
    """Read ``, component`` groups from ``pos``; returns the parts and where the citation ends."""
    parts: list[Part] = []
    stop = -1
    while True:
        sep = _SEPARATOR.match(text, pos)
        if not sep:
            break
        start = sep.end()
        if start > stop:
            # _END has no lookbehind: the end found from an earlier start is the first from any
            # start up to it, so it is searched for again only once a component passes it.
            end = _END.search(text, start)
            stop = end.start() if end else len(text)
        nxt = _SEPARATOR.search(text, start, stop)
        comp_end = nxt.start() if nxt else stop
        comp = " ".join(text[start:comp_end].split())  # official TEI breaks lines inside notes
        if parts and _YEAR.fullmatch(comp):
            parts[-1].end = comp_end  # "Meeting July 20, 1961": a year continues the folder title
            pos = comp_end
            continue
        kind = component_kind(comp, first=not parts) if comp else None
        if kind is None:
            break
        parts.append(Part(kind, start, comp_end))
        pos = comp_end
    return parts, pos


def _repository(text: str, pos: int, libraries: bool) -> re.Match[str] | None:
    """``REPOSITORY.search(text, pos)``: the leftmost of the two kinds' matches, a named one on a tie
    (the alternation tries the named ones first); ``libraries``: whether "Library" is in the text."""
    named = _NAMED_REPOSITORY.search(text, pos)
    library = _LIBRARY_REPOSITORY.search(text, pos) if libraries else None
    if library is None or (named is not None and named.start() <= library.start()):
        return named
    return library


def find_citations(text: str) -> list[Found]:
    """Every archival citation in a text, in order; publications are skipped."""
    found: list[Found] = []
    pos = 0
    repo = ibid = pub = None
    # Each pattern needs one of a few words (REPOSITORY's names, "Library"; "bid."; the publications'
    # first or last words): a text without them is not searched with that pattern at all.
    want_repo = "Department" in text or "Central" in text or "National" in text or "Library" in text
    want_ibid = "bid." in text
    want_pub = "Bulletin" in text or "Foreign" in text or "Public" in text
    libraries = "Library" in text
    searched = -1
    while pos < len(text):
        # A match that starts at or after ``pos`` is what a new search from ``pos`` would find
        # (what a pattern matches at a place does not depend on where the search began).
        if want_repo and (searched < 0 or (repo is not None and repo.start() < pos)):
            repo = _repository(text, pos, libraries)
        if want_ibid and (searched < 0 or (ibid is not None and ibid.start() < pos)):
            ibid = IBID.search(text, pos)
        if want_pub and (searched < 0 or (pub is not None and pub.start() < pos)):
            pub = PUBLICATION.search(text, pos)
        searched = pos
        hits = [m for m in (repo, ibid, pub) if m]
        if not hits:
            break
        m = min(hits, key=lambda h: h.start())
        if m is pub:
            found.append(Found(m.start(), m.start(), [Part("publication", m.start(), m.end())]))
            pos = m.end()
            continue
        is_ibid = m is ibid
        parts, end = read_components(text, m.end())
        if not is_ibid and not parts:
            pos = m.end()  # "Department of State officials": a name, not a citation
            continue
        if is_ibid and not parts and _SEPARATOR.match(text, m.end()):
            # "Ibid., p. 866": a page of a publication, not a record.
            found.append(Found(m.start(), m.start(), [Part("publication", m.start(), m.end())]))
            pos = m.end()
            continue
        head = Part("ibid" if is_ibid else "repository", m.start(), m.end())
        found.append(Found(m.start(), end, [head, *parts]))
        pos = end
    return found
