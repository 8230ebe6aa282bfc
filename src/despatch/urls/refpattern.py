"""A volume's reference files (BibTeX, RIS, CSL-JSON) made document by document, most filled from a pattern."""

from __future__ import annotations

import json
from typing import Any

from ..model import DocRecord
from ..volume import Volume
from . import cite
from .formats import bibtex, ris
from .standins import Checked, cut, stand_in, values

FULL_FIRST = 8  # references a volume makes in full before it makes a pattern


def reference(volume: Volume, rec: DocRecord, base_url: str, config: Any) -> list[str]:
    """A document's BibTeX, RIS and CSL-JSON item (as the volume's list indents it), made in full."""
    item = cite.csl_item(volume, rec, f"{base_url}{rec.id}/", config)
    # An item as json.dumps indents it inside the volume's list (strings hold no raw newline).
    text = "  " + json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n  ")
    return [bibtex(volume, rec, item), ris(volume, item), text]


class References:
    """A volume's references made from its patterns (one for numbered documents, one for others).

    The first few are made in full: a pattern costs two references' making, and an edit's build
    remakes one or two.
    """

    def __init__(self, volume: Volume, base_url: str, config: Any) -> None:
        self.volume, self.base_url, self.config = volume, base_url, config
        self.patterns: dict[bool, tuple[Any, Checked[list[str]]]] = {}
        self.made = 0

    def _full(self, rec: DocRecord) -> list[str]:
        """The reference made in full."""
        return reference(self.volume, rec, self.base_url, self.config)

    def __call__(self, rec: DocRecord) -> list[str]:
        """The document's reference: in full for the first few and for values not plain, else filled."""
        self.made += 1
        if self.made <= FULL_FIRST:
            return self._full(rec)
        key = bool(rec.n)
        if key not in self.patterns:
            self.patterns[key] = (cut(self._full(stand_in(rec))), Checked(self._full))
        made, check = self.patterns[key]
        slots = values(rec, cite.document_title(rec)) if check.checked is not False else None
        return check(rec, made.fill(slots) if slots is not None else None)
