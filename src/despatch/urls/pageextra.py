"""A document page's citations and metadata: a volume's made once with stand-ins, then filled per document.

BibTeX, RIS, CSL-JSON, their data URLs, the Highwire and OpenGraph tags and the JSON-LD are made for
a stand-in document and filled with each document's values (see standins). The Chicago and MLA
renderings still go through csl.render, which keeps its own pattern per style.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import DocRecord
from ..volume import Volume
from .cite import citations, csl_item, document_title, downloads, forms, references, styled
from .meta import json_ld, meta_tags
from .standins import Checked, cut, stand_in, values


def page_extra(volume: Volume, rec: DocRecord, url: str, tei_url: str, config: Any) -> dict[str, Any]:
    """The page's citations, download links, meta tags, JSON-LD and canonical URL, each made in full."""
    out: dict[str, Any] = {"citations": citations(volume, rec, url, config)}
    out["downloads"] = downloads(rec, out["citations"])
    out["meta_tags"] = meta_tags(volume, rec, url, tei_url, config)
    out["json_ld"] = json_ld(volume, rec, url, tei_url, config)
    out["canonical_url"] = url
    return out


class Pattern:
    """One volume's page extras for documents with (or without) a number and a date.

    The first document it fills is also made in full and compared: should some configuration make a
    format reshape a value after all, the pattern steps aside and every document takes the full path.
    """

    def __init__(self, volume: Volume, url_of: Callable[[str], tuple[str, str]], config: Any,
                 sample: DocRecord) -> None:
        self.volume, self.url_of, self.config = volume, url_of, config
        stand = stand_in(sample)
        url, tei_url = url_of(stand.id)
        item = csl_item(volume, stand, url, config)
        cites = {"chicago": "", "mla": "", **references(volume, stand, item)}
        made = {"citations": cites, "downloads": downloads(stand, cites),
                "meta_tags": meta_tags(volume, stand, url, tei_url, config),
                "json_ld": json_ld(volume, stand, url, tei_url, config), "canonical_url": url}
        self.item, self.made = cut(item), cut(made)
        self.check = Checked(self._full)
        self.forms = forms(config)
        self.last: list[str] | None = None  # the values the last document filled in (None: made in full)

    @property
    def checked(self) -> bool | None:
        """Whether the pattern matched the full path (None: not yet compared)."""
        return self.check.checked

    @checked.setter
    def checked(self, value: bool | None) -> None:
        self.check.checked = value

    def _full(self, rec: DocRecord) -> dict[str, Any]:
        url, tei_url = self.url_of(rec.id)
        return page_extra(self.volume, rec, url, tei_url, self.config)

    def __call__(self, rec: DocRecord) -> dict[str, Any]:
        """The document's extras, filled in when its values are plain, else made in full."""
        self.last = None
        return self.check(rec, self.fill(rec) if self.check.checked is not False else None)

    def fill(self, rec: DocRecord) -> dict[str, Any] | None:
        """The document's extras from the pattern, or None when a value is not plain."""
        slots = values(rec, document_title(rec))
        if slots is None:
            return None
        out = self.made.fill(slots)
        self.last = slots
        out["citations"]["chicago"], out["citations"]["mla"] = styled(self.item.fill(slots), self.config, self.forms)
        return out
