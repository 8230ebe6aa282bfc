"""Full-text search: one Pagefind index per volume, a router over them, merged in the reader's browser."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .indexer import SearchError, index_site, index_volume
    from .stats import SearchStats
    from .volume import VolumeIndexer

__all__ = ["SearchError", "SearchStats", "VolumeIndexer", "index_site", "index_volume"]

# Imported when first asked for: an edit's build uses the changes bundle and the router's names alone,
# and the indexer's modules (its thread pool, logging, pickling) were a twentieth of its imports.
_FROM = {"SearchError": "indexer", "SearchStats": "stats", "index_site": "indexer", "index_volume": "indexer",
         "VolumeIndexer": "volume"}


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_FROM[name]}", __name__), name)
