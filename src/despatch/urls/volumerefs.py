"""A volume's reference files (BibTeX, RIS, CSL-JSON), joined from each document's reference kept in the store."""

from __future__ import annotations

from typing import Any

from ..model import DocRecord
from ..volume import Volume
from .cite import author, citation_store
from .citestore import MISSING
from .refpattern import References


def volume_references(volume: Volume, records: list[DocRecord], base_url: str, config: Any) -> dict[str, str]:
    """A volume's BibTeX, RIS and CSL-JSON, every document in reading order (``base_url`` + 'd245/').

    Each document's reference is kept beside the build cache with what it is made from, and the
    volume's files are joined from them (under a millisecond for 500): an edit of a document's text
    writes nothing to the cache, a retitled document makes and writes its own reference alone.
    """
    store = citation_store(config)
    head = ["references", repr(volume), base_url, author(volume, config)]
    known = store.get(head, name=f"references by document {volume.id}") if store is not None else MISSING
    refs, pieces = _volume_references(volume, records, base_url, config, known if isinstance(known, dict) else {})
    if store is not None and pieces != known:
        store.put(head, pieces, name=f"references by document {volume.id}")
    return refs


def _volume_references(volume: Volume, records: list[DocRecord], base_url: str, config: Any,
                       known: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The references made, each document's taken from ``known`` when there (by id, number and title),
    and each of these records' reference (by the same names) to keep."""
    pieces: dict[str, list[str]] = {}
    bib, refs, items = [], [], []
    make = References(volume, base_url, config)
    for rec in records:
        name = f"{rec.id}\0{rec.n}\0{rec.title}"
        piece = known.get(name)
        if not (isinstance(piece, list) and len(piece) == 3 and all(isinstance(p, str) for p in piece)):
            piece = make(rec)
        pieces[name] = piece
        bib.append(piece[0])
        refs.append(piece[1])
        items.append(piece[2])
    return {
        "bibtex": "\n".join(bib),
        "ris": "".join(refs),  # each record ends "ER  -" + CRLF
        "csl_json": ("[\n" + ",\n".join(items) + "\n]" if items else "[]") + "\n",
    }, pieces
