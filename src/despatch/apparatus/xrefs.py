"""Find cross-references in text: documents, notes and pages of this volume or of another one.

Rules are tried together as one alternation in table order: the leftmost match wins, and at one
position the earlier rule wins, so "Foreign Relations, …, Document 49" is read before "Document 49".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(slots=True)
class XrefState:
    """What a rule needs to know: the current document and the last document referred to."""

    doc_id: str
    last_doc: str = ""   # target of the last document reference ("#d204"), for "footnote 1 thereto"
    volume: str = ""     # the current volume's id, for "Part 1, Document 40" in a multi-part volume


# A hit: (start, end, target) in the text.
Hit = tuple[int, int, str]
Rule = Callable[[re.Match[str], XrefState], list[Hit]]


def roman(numeral: str) -> int:
    """``XIII`` → 13; plain digits pass through."""
    if numeral.isdigit():
        return int(numeral)
    total = 0
    values = [ROMAN[c] for c in numeral.upper()]
    for i, v in enumerate(values):
        total += -v if i + 1 < len(values) and values[i + 1] > v else v
    return total


def volume_id(first: str, last: str | None, vol: str, part: str | None) -> str:
    """``1961``, ``1963``, ``VIII`` → ``frus1961-63v08`` (history.state.gov's volume ids)."""
    years = first + (f"-{last[2:]}" if last else "")
    pid = f"p{roman(part)}" if part else ""
    return f"frus{years}v{roman(vol):02d}{pid}"


def other_volume(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"Foreign Relations, 1961–1963, volume VIII, Document 49" → frus1961-63v08#d49."""
    vol = volume_id(m["fy1"], m["fy2"], m["fvol"], m["fpart"])
    if m["fkind"].lower().startswith("doc"):
        frag = f"d{m['fnum']}" + (f"fn{m['ffn']}" if m["ffn"] else "")
    else:
        frag = f"pg_{m['fnum']}"
    return [(m.start(), m.end(), f"{vol}#{frag}")]


_PART = re.compile(r"p\d+$")


def other_part(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"Part 1, Document 40, footnote 1" in frus1958-60v07p2 → frus1958-60v07p1#d40fn1."""
    if not _PART.search(state.volume):
        return []  # only a volume published in parts has a "Part 1"
    vol = _PART.sub(f"p{roman(m['ppart'])}", state.volume)
    frag = f"d{m['pdoc']}" + (f"fn{m['pfn']}" if m["pfn"] else "")
    target = f"#{frag}" if vol == state.volume else f"{vol}#{frag}"
    state.last_doc = f"{vol}#d{m['pdoc']}" if vol != state.volume else f"#d{m['pdoc']}"
    return [(m.start(), m.end(), target)]


def footnote_of_document(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"footnote 2, Document 229" → #d229fn2."""
    state.last_doc = f"#d{m['fdoc']}"
    return [(m.start(), m.end(), f"#d{m['fdoc']}fn{m['fnote']}")]


def document_footnote(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"Document 40, footnote 1" → #d40fn1."""
    state.last_doc = f"#d{m['ddoc']}"
    return [(m.start(), m.end(), f"#d{m['ddoc']}fn{m['dnote']}")]


def footnote_thereto(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"see footnote 1 thereto" after "Document 204" → #d204fn1."""
    if not state.last_doc:
        return []
    return [(m.start(), m.end(), f"{state.last_doc}fn{m['tnote']}")]


def footnote_here(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"footnote 2 above" → a note of the current document."""
    return [(m.start(), m.end(), f"#{state.doc_id}fn{m['hnote']}")] if state.doc_id else []


def documents(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"Documents 136 and 137" → two refs: "Documents 136" and "137" (as FRUS encodes them)."""
    hits: list[Hit] = []
    first = True
    for num in re.finditer(r"\d+", m.group()):
        start = m.start() if first else m.start() + num.start()
        hits.append((start, m.start() + num.end(), f"#d{num.group()}"))
        first = False
    state.last_doc = hits[-1][2]
    return hits


def document(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"Document 136" → #d136."""
    state.last_doc = f"#d{m['doc']}"
    return [(m.start(), m.end(), state.last_doc)]


def page(m: re.Match[str], state: XrefState) -> list[Hit]:
    """"Page 770", "pages 348–349" → #pg_770, #pg_348 (not "page 3 of the memorandum")."""
    return [(m.start(), m.end(), f"#pg_{m['page']}")]


_NUM_LIST = r"\d+(?:(?:,\s(?:and\s)?|\sand\s|\s?[–-]\s?|\sthrough\s)\d+)+"
RULES: tuple[tuple[str, str, Rule], ...] = (
    ("other_volume",
     r"Foreign\s+Relations,\s(?P<fy1>\d{4})(?:[–-](?P<fy2>\d{4}))?,\s(?:[Vv]olume|[Vv]ol\.)\s"
     r"(?P<fvol>[IVXLC]+|\d+)(?:,\s[Pp]art\s(?P<fpart>\d+|[IVX]+))?,\s"
     r"(?P<fkind>Documents?|[Pp]ages?|pp?\.)\s(?P<fnum>\d+)(?:,\sfootnote\s(?P<ffn>\d+))?",
     other_volume),
    ("other_part", r"\bPart\s(?P<ppart>\d+|[IVX]+),\sDocument\s(?P<pdoc>\d+)(?:,\sfootnote\s(?P<pfn>\d+))?",
     other_part),
    ("footnote_of_document", r"\b[Ff]ootnote\s(?P<fnote>\d+),?\s(?:to\s|in\s|of\s)?Document\s(?P<fdoc>\d+)",
     footnote_of_document),
    ("document_footnote", r"\bDocument\s(?P<ddoc>\d+),\sfootnote\s(?P<dnote>\d+)", document_footnote),
    ("footnote_thereto", r"\b[Ff]ootnote\s(?P<tnote>\d+)\sthereto\b", footnote_thereto),
    ("footnote_here", r"\b[Ff]ootnote\s(?P<hnote>\d+)\s(?:above|below)\b", footnote_here),
    ("documents", rf"\bDocuments\s{_NUM_LIST}\b", documents),
    ("document", r"\bDocuments?\s(?P<doc>\d+)\b", document),
    ("page", r"\b[Pp]ages?\s(?P<page>\d+)(?:[–-]\d+)?\b(?!\sof\b)", page),
)


def _loose(pattern: str) -> str:
    """Let every space of a rule match a run of whitespace (official TEI breaks lines anywhere)."""
    return re.sub(r"\\s(?![*+?])", r"\\s+", pattern.replace(r"\s?", r"\s*"))


_COMBINED = re.compile("|".join(f"(?P<rule_{name}>{_loose(pattern)})" for name, pattern, _ in RULES))
_BY_NAME = {name: rule for name, _, rule in RULES}
# Every rule needs one of these words; a text without any of them has no cross-reference. ("Part"
# is not one: "Part 1, Document 40" needs "Document" too, and each word costs a scan of the text.)
_HINTS = ("ocument", "Page", "page", "ootnote", "Relations")


def has_hint(text: str) -> bool:
    """Whether a text holds a word every rule needs (spelled out: this runs for every text node)."""
    return "ocument" in text or "Page" in text or "page" in text or "ootnote" in text or "Relations" in text


def has_hint_utf8(data: bytes) -> bool:
    """``has_hint`` of UTF-8 bytes (an ASCII word is in the bytes exactly when it is in the text)."""
    return b"ocument" in data or b"Page" in data or b"page" in data or b"ootnote" in data or b"Relations" in data


def find_xrefs(text: str, state: XrefState) -> list[Hit]:
    """Every cross-reference in a text, in order; ``state`` carries context between texts."""
    hits: list[Hit] = []
    if not has_hint(text):
        return hits  # most texts cite nothing: one cheap scan instead of the whole alternation
    for m in _COMBINED.finditer(text):
        # The rule is the outer group that matched (lastgroup would name an inner group).
        name = next(n for n, _, _ in RULES if m.group(f"rule_{n}") is not None)
        hits.extend(_BY_NAME[name](m, state))
    return hits
