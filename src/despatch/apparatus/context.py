"""What the apparatus knows about a document's volume while it enriches the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .archives import Placed
from .persons import Entries, Matcher, load_entries, person_forms, term_forms


@dataclass
class ApparatusContext:
    """A volume's id and its persons and terms lists; matchers are built once, on first use."""

    volume: str
    persons: Entries = field(default_factory=dict)
    terms: Entries = field(default_factory=dict)
    _persons: Matcher | None = field(default=None, init=False, repr=False, compare=False)
    _terms: Matcher | None = field(default=None, init=False, repr=False, compare=False)
    # The citations ``enrich`` placed (None: not known without reading the tree), for the record.
    placed: list[Placed] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def person_matcher(self) -> Matcher:
        if self._persons is None:
            self._persons = _matcher(self.persons, person_forms)
        return self._persons

    @property
    def term_matcher(self) -> Matcher:
        if self._terms is None:
            self._terms = _matcher(self.terms, term_forms)
        return self._terms

    def __getstate__(self) -> dict[str, Any]:
        # Sent to worker processes: the matchers are cheaper to rebuild than to pickle.
        return {"volume": self.volume, "persons": self.persons, "terms": self.terms}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.volume, self.persons, self.terms = state["volume"], state["persons"], state["terms"]
        self._persons = self._terms = None
        self.placed = None


# The build makes a context per document but hands every document of a volume the same lists;
# their matchers are built once per process. The cache keeps the lists alive, so ids stay unique.
_MATCHERS: dict[int, tuple[Entries, Matcher]] = {}


def _matcher(entries: Entries, forms: Callable[[Entries], dict[str, str]]) -> Matcher:
    hit = _MATCHERS.get(id(entries))
    if hit is not None and hit[0] is entries:
        return hit[1]
    if len(_MATCHERS) > 64:
        _MATCHERS.clear()
    matcher = Matcher(forms(entries))
    _MATCHERS[id(entries)] = (entries, matcher)
    return matcher


def load_context(volume: str, folder: Path) -> ApparatusContext:
    """The context of the volume whose sources are in ``folder`` (persons.yml, terms.yml beside volume.yml)."""
    persons = folder / "persons.yml"
    terms = folder / "terms.yml"
    return ApparatusContext(
        volume=volume,
        persons=load_entries(persons, "name") if persons.exists() else {},
        terms=load_entries(terms, "term") if terms.exists() else {},
    )
