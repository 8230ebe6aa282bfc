"""Full-text search: one Pagefind index per volume, a router over them, merged in the reader's browser."""

from .indexer import SearchError, SearchStats, index_site, index_volume
from .volume import VolumeIndexer

__all__ = ["SearchError", "SearchStats", "VolumeIndexer", "index_site", "index_volume"]
