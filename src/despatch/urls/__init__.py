"""Stable, citable URLs: the scheme, paragraph anchors, the URL ledger, redirects, citations, metadata."""

from .anchors import paragraph_anchor
from .cite import citations, downloads
from .ledger import accept, accept_last_build, accept_urls, check_ledger, write_ledger
from .meta import json_ld, meta_tags
from .redirects import emit_redirects, note_redirects
from .sitemap import write_robots, write_sitemap
from .volumerefs import volume_references

__all__ = ["accept", "accept_last_build", "accept_urls", "check_ledger", "citations", "emit_redirects", "json_ld",
           "meta_tags", "note_redirects", "paragraph_anchor", "downloads", "volume_references", "write_ledger", "write_robots",
           "write_sitemap"]
