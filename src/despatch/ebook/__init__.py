"""Volume ebooks: one EPUB 3 per volume, notes as EPUB footnotes, a page-list from the page breaks."""

from .epub import EbookError, write_epub
from .site import write_volume_epubs

__all__ = ["EbookError", "write_epub", "write_volume_epubs"]
