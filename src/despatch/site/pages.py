"""Pages that are not documents: what generators yield, and the registry of generators."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..config import Config
from ..model import DocRecord
from ..volume import Volume


@dataclass
class Page:
    """A page to render: site-relative ``path`` ('vol/archives/' or 'sitemap.xml'), a template and its context."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""


@dataclass
class Edition:
    """The whole edition as the index stages see it: records only, never document trees."""

    config: Config
    volumes: dict[str, Volume]
    records: dict[str, list[DocRecord]]
    persons: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    terms: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    chapters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    kept_paths: set[str] = field(default_factory=set)  # index pages an incremental build left as they were

    def all_records(self) -> Iterable[DocRecord]:
        """Every document, volume by volume in reading order."""
        for vol in sorted(self.records):
            yield from self.records[vol]


Generator = Callable[[Edition], Iterable[Page]]

# Page generators by dotted name; a module that is not there yet is skipped so the core stays usable.
GENERATORS: list[str] = [
    "despatch.indexes.apparatus:generate",
]


def generators() -> list[Generator]:
    """Load the registered generators that exist."""
    found: list[Generator] = []
    for spec in GENERATORS:
        module, _, name = spec.partition(":")
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue
            raise
        fn = getattr(mod, name, None)
        if fn is not None:
            found.append(fn)
    return found
