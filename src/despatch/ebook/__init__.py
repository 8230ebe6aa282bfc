"""Volume ebooks: one EPUB 3 per volume, notes as EPUB footnotes, a page-list from the page breaks."""

from .epub import write_epub
from .site import write_volume_epubs
from .source import EbookError

__all__ = ["EbookError", "write_epub", "write_volume_epubs"]
