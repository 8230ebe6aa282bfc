"""Full-text search: one Pagefind index per volume, merged in the reader's browser."""

from .indexer import SearchError, SearchStats, index_site, index_volume

__all__ = ["SearchError", "SearchStats", "index_site", "index_volume"]
