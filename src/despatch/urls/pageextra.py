"""A document page's citations and metadata: a volume's made once with stand-ins, then filled per document.

Within a volume these texts differ only by the document's id, number, title and date: BibTeX, RIS,
CSL-JSON, their data URLs, the Highwire and OpenGraph tags and the JSON-LD are made once for a
stand-in document, cut at the stand-ins and joined again with each document's values. The Chicago
and MLA renderings still go through csl.render (its own pattern per style). A value that some format
would escape or reshape (a title with quotes, braces, ampersands …) takes the full path instead.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable

from ..model import DocRecord
from ..volume import Volume
from .cite import citations, csl_item, document_title, downloads, percent, references, styled
from .meta import json_ld, meta_tags

# Private-use characters: no value reaches them, no format escapes them; each also found percent-encoded.
_ID, _N, _TITLE, _DATE = "\ue0e0", "\ue0e1", "\ue0e2", "\ue0e3"
_SLOTS = {_ID: 0, _N: 1, _TITLE: 2, _DATE: 3}
_SLOTS.update({percent(k): v + 4 for k, v in list(_SLOTS.items())})
_CUT = re.compile("(" + "|".join(re.escape(k) for k in _SLOTS) + ")")
# Values every format prints as they are (percent-encoding aside): no markup, JSON, TeX or RIS character.
_PLAIN_ID = re.compile(r"[A-Za-z0-9]+")
_PLAIN_DATE = re.compile(r"[0-9T:+\-]*")
_PLAIN_TITLE = re.compile(r"[^\s\\{}&%$#_~^\"<>\x00-\x1f\x7f\ue000-\uf8ff]+(?: [^\s\\{}&%$#_~^\"<>\x00-\x1f\x7f\ue000-\uf8ff]+)*")


def page_extra(volume: Volume, rec: DocRecord, url: str, tei_url: str, config: Any) -> dict[str, Any]:
    """The page's citations, download links, meta tags, JSON-LD and canonical URL, each made in full."""
    out: dict[str, Any] = {"citations": citations(volume, rec, url, config)}
    out["downloads"] = downloads(rec, out["citations"])
    out["meta_tags"] = meta_tags(volume, rec, url, tei_url, config)
    out["json_ld"] = json_ld(volume, rec, url, tei_url, config)
    out["canonical_url"] = url
    return out


class _Cut:
    """A text cut at its stand-ins: pieces, and between them which value (and whether percent-encoded)."""

    __slots__ = ("kind", "pieces", "slots")

    def __init__(self, kind: type, parts: list[str]) -> None:
        self.kind, self.pieces, self.slots = kind, parts[0::2], [_SLOTS[s] for s in parts[1::2]]

    def fill(self, values: list[str]) -> str:
        pieces = self.pieces
        out = [pieces[0]]
        for i, slot in enumerate(self.slots, 1):
            out.append(values[slot])
            out.append(pieces[i])
        return self.kind("".join(out))


class _Seq:
    """A list or tuple some of whose items hold stand-ins; the others are shared as they are (never changed)."""

    __slots__ = ("kind", "items")

    def __init__(self, kind: type, items: list[Any]) -> None:
        self.kind, self.items = kind, [(v, isinstance(v, _FILLED)) for v in items]

    def fill(self, values: list[str]) -> Any:
        return self.kind([v.fill(values) if cut else v for v, cut in self.items])


class _Map:
    """A dict some of whose values hold stand-ins."""

    __slots__ = ("items",)

    def __init__(self, items: dict[str, Any]) -> None:
        self.items = [(k, v, isinstance(v, _FILLED)) for k, v in items.items()]

    def fill(self, values: list[str]) -> dict[str, Any]:
        return {k: v.fill(values) if cut else v for k, v, cut in self.items}


_FILLED = (_Cut, _Seq, _Map)


def _cut(value: Any) -> Any:
    """The structure with every text that holds a stand-in cut at them; what holds none stays as it is."""
    if isinstance(value, str):
        parts = _CUT.split(value)
        return _Cut(type(value), parts) if len(parts) > 1 else value
    if isinstance(value, dict):
        items = {k: _cut(v) for k, v in value.items()}
        return _Map(items) if any(isinstance(v, _FILLED) for v in items.values()) else value
    if isinstance(value, (list, tuple)):
        seq = [_cut(v) for v in value]
        return _Seq(type(value), seq) if any(isinstance(v, _FILLED) for v in seq) else value
    return value


class Pattern:
    """One volume's page extras for documents with (or without) a number and a date.

    The first document it fills is also made in full and compared: should some configuration make a
    format reshape a value after all, the pattern steps aside and every document takes the full path.
    """

    def __init__(self, volume: Volume, url_of: Callable[[str], tuple[str, str]], config: Any,
                 sample: DocRecord) -> None:
        self.volume, self.url_of, self.config = volume, url_of, config
        stand = replace(sample, id=_ID, n=_N if sample.n else "", title=_TITLE,
                        date_min=_DATE if sample.date_min else None)
        url, tei_url = url_of(stand.id)
        item = csl_item(volume, stand, url, config)
        cites = {"chicago": "", "mla": "", **references(volume, stand, item)}
        made = {"citations": cites, "downloads": downloads(stand, cites),
                "meta_tags": meta_tags(volume, stand, url, tei_url, config),
                "json_ld": json_ld(volume, stand, url, tei_url, config), "canonical_url": url}
        self.item, self.made = _cut(item), _cut(made)
        self.checked: bool | None = None  # None: not yet compared with the full path

    def __call__(self, rec: DocRecord) -> dict[str, Any]:
        """The document's extras, filled in when its values are plain, else made in full."""
        filled = self.fill(rec) if self.checked is not False else None
        if filled is not None and self.checked:
            return filled
        url, tei_url = self.url_of(rec.id)
        full = page_extra(self.volume, rec, url, tei_url, self.config)
        if filled is not None:
            self.checked = filled == full
        return full

    def fill(self, rec: DocRecord) -> dict[str, Any] | None:
        """The document's extras from the pattern, or None when a value is not plain."""
        title = document_title(rec)
        date = rec.date_min[:10] if rec.date_min else ""
        if not (_PLAIN_ID.fullmatch(rec.id) and (not rec.n or _PLAIN_ID.fullmatch(rec.n))
                and _PLAIN_TITLE.fullmatch(title) and _PLAIN_DATE.fullmatch(date)):
            return None
        values = [rec.id, rec.n, title, date, rec.id, rec.n, percent(title), percent(date)]
        out = self.made.fill(values)
        out["citations"]["chicago"], out["citations"]["mla"] = styled(self.item.fill(values), self.config)
        return out
