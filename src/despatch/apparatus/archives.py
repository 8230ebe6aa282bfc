"""Read the archival citations encoded in a TEI div back into Citation records, and key them."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from ..model import Citation
from ..tei.xmlio import XML_ID, t

# The levels of an archival reference, from the widest: an "Ibid." keeps the levels above its
# first given one from the citation it abbreviates.
LEVELS = {"repository": 0, "collection": 1, "lot": 2, "file": 3, "folder": 3, "box": 3}
_BIBL, _NOTE = t("bibl"), t("note")
_DECIMAL = re.compile(r"(?P<file>\d{3}[0-9A-Z.–-]*)/(?P<code>[0-9A-Za-z–-]+)")


_PART_NAMES = frozenset({"orgName", "title", "idno"})
# The tags whose local name is a part's (``local``: a TEI name, or a name in no namespace).
_PART_TAGS = frozenset({*_PART_NAMES, *(t(name) for name in _PART_NAMES)})


def bibl_fields(bibl: etree._Element) -> dict[str, str]:
    """The parts written in one bibl: {"repository": …, "collection": …, "file": …}."""
    fields: dict[str, str] = {}
    for child in bibl:
        kind = child.get("type")
        if kind in LEVELS and kind not in fields and child.tag in _PART_TAGS:
            # A part is nearly always plain text: its text is what itertext() would join.
            fields[kind] = " ".join(("".join(child.itertext()) if len(child) else child.text or "").split())
    return fields


def resolve(bibl: etree._Element, by_id: dict[str, etree._Element], depth: int = 0,
            own: dict[etree._Element, dict[str, str]] | None = None) -> dict[str, str]:
    """The full reference of a bibl, following ``corresp`` ("Ibid.") to the citation before.

    ``own`` holds bibls' fields already read (a chain of "Ibid." reads each citation once).
    """
    fields = own.get(bibl) if own is not None else None
    if fields is None:
        fields = bibl_fields(bibl)
    target = (bibl.get("corresp") or "").lstrip("#")
    if not target or target not in by_id or depth > 50:
        return fields
    base = resolve(by_id[target], by_id, depth + 1, own)
    first = min((LEVELS[k] for k in fields), default=99)
    inherited = {k: v for k, v in base.items() if LEVELS[k] < first}
    return {**inherited, **fields}


def citation_from(fields: dict[str, str], note_id: str, ibid: bool) -> Citation:
    """A Citation from resolved fields; a decimal file's date code is kept apart."""
    file = fields.get("file", "")
    code = ""
    m = _DECIMAL.fullmatch(file)
    if m:
        file, code = m["file"], m["code"]
    return Citation(repository=fields.get("repository", ""), collection=fields.get("collection", ""),
                    file=file, note_id=note_id, lot=fields.get("lot", ""), date_code=code,
                    box=fields.get("box", ""), folder=fields.get("folder", ""), ibid=ibid)


def citations(div: etree._Element) -> list[Citation]:
    """Every archival citation of a document, in reading order, with "Ibid." resolved."""
    bibls = [b for b in div.iter(_BIBL) if b.get("type") == "archival"]
    if not bibls:
        return []
    by_id = {b.get(XML_ID): b for b in bibls if b.get(XML_ID)}
    own = {b: bibl_fields(b) for b in bibls}
    out: list[Citation] = []
    for bibl in bibls:
        note = next(bibl.iterancestors(_NOTE), None)
        note_id = (note.get(XML_ID) if note is not None else "") or ""
        out.append(citation_from(resolve(bibl, by_id, 0, own), note_id, bool(bibl.get("corresp"))))
    return out


# A citation as the apparatus placed it: its bibl's xml:id, its corresp ("" or "#id"), its note's
# xml:id and its parts' fields (what ``bibl_fields`` reads back from the bibl).
Placed = tuple[str, str, str, dict[str, str]]


def placed_citations(placed: list[Placed]) -> list[Citation]:
    """``citations`` of a div whose archival bibls are exactly ``placed``, in reading order, read
    from what placed them rather than from the tree (the same records, without a walk)."""
    by_id = {xml_id: i for i, (xml_id, _, _, _) in enumerate(placed) if xml_id}
    return [citation_from(_resolve_placed(i, placed, by_id, 0), note_id, bool(corresp))
            for i, (_, corresp, note_id, _) in enumerate(placed)]


def _resolve_placed(i: int, placed: list[Placed], by_id: dict[str, int], depth: int) -> dict[str, str]:
    """``resolve`` of the ``i``th placed citation."""
    fields = placed[i][3]
    target = placed[i][1].lstrip("#")
    if not target or target not in by_id or depth > 50:
        return fields
    base = _resolve_placed(by_id[target], placed, by_id, depth + 1)
    first = min((LEVELS[k] for k in fields), default=99)
    inherited = {k: v for k, v in base.items() if LEVELS[k] < first}
    return {**inherited, **fields}


def unit(c: Citation) -> str:
    """The unit the archives index lists documents under: "711.5611", "Lot 65 D 533, CF 2095"."""
    inner = c.file or c.folder or c.box
    return ", ".join(p for p in (c.lot, inner) if p)


def is_complete(c: Citation) -> bool:
    """Whether a citation names a repository, a collection and a file (or lot)."""
    return bool(c.repository and c.collection and unit(c))


def slug(text: str) -> str:
    """A stable URL segment: "Secretary’s Memoranda of Conversation" → "secretarys-memoranda-of-conversation"."""
    # Dashes separate ("POL 32–1" → "pol-32-1"); apostrophes join ("Secretary’s" → "secretarys").
    text = text.translate({0x2013: "-", 0x2014: "-", 0x2019: "", 0x27: ""})
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^A-Za-z0-9.]+", "-", ascii_text).strip("-.").lower()
    return out or "x"
