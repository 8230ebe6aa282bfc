"""Texts made once for a stand-in document, cut at the stand-ins and filled with each document's values.

Within a volume a document's references and metadata differ only by its id, number, title and date.
Made for a document whose values are private-use characters (no value holds them, no format escapes
them), then cut there, they are filled in with a join. A value some format would escape or reshape
(a title with quotes, braces, ampersands …) is not plain: such a document is made in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from operator import itemgetter
from typing import Any, Generic, TypeVar

from ..model import DocRecord

ID, N, TITLE, DATE = "\ue0e0", "\ue0e1", "\ue0e2", "\ue0e3"
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_PERCENT = [chr(b) if b in _UNRESERVED else f"%{b:02X}" for b in range(256)].__getitem__


def percent(text: str) -> str:
    """``quote(text, safe="")``: UTF-8 bytes, every one but the unreserved percent-encoded."""
    return "".join(map(_PERCENT, text.encode("utf-8")))


# Each stand-in is also found percent-encoded (in a data URL), where its value goes percent-encoded.
_SLOTS = {ID: 0, N: 1, TITLE: 2, DATE: 3}
_SLOTS.update({percent(k): v + 4 for k, v in list(_SLOTS.items())})
# The stand-ins themselves in slot order: what fills a pattern back into the stand-in document's texts.
STANDINS = sorted(_SLOTS, key=_SLOTS.__getitem__)
# Stand-ins for HTML made for the document (its Chicago and MLA citations), which a page's partial puts
# in as it is (render.piece): the slots after the values'.
RAW = ("\ue0e8", "\ue0e9")
_SLOTS.update({RAW[0]: len(STANDINS), RAW[1]: len(STANDINS) + 1})
_CUT = re.compile("(" + "|".join(re.escape(k) for k in _SLOTS) + ")")
# Values every format prints as they are (percent-encoding aside): no markup, JSON, TeX or RIS character.
_PLAIN_ID = re.compile(r"[A-Za-z0-9]+")
_PLAIN_DATE = re.compile(r"[0-9T:+\-]*")
_WORD = r"[^\s\\{}&%$#_~^\"<>\x00-\x1f\x7f\ue000-\uf8ff]+"
_PLAIN_TITLE = re.compile(f"{_WORD}(?: {_WORD})*")


def stand_in(rec: DocRecord) -> DocRecord:
    """A record like ``rec`` (with a number and a date if it has them) whose values are the stand-ins."""
    return replace(rec, id=ID, n=N if rec.n else "", title=TITLE, date_min=DATE if rec.date_min else None)


def values(rec: DocRecord, title: str) -> list[str] | None:
    """What fills the slots for ``rec`` (``title``: its title as the formats print it), None if not plain."""
    date = rec.date_min[:10] if rec.date_min else ""
    if not (_PLAIN_ID.fullmatch(rec.id) and (not rec.n or _PLAIN_ID.fullmatch(rec.n))
            and _PLAIN_TITLE.fullmatch(title) and _PLAIN_DATE.fullmatch(date)):
        return None
    return [rec.id, rec.n, title, date, rec.id, rec.n, percent(title), percent(date)]


class Cut:
    """A text cut at its stand-ins: pieces, and between them which value goes there."""

    __slots__ = ("kind", "order", "pieces", "slots")

    def __init__(self, kind: type, parts: list[str]) -> None:
        self.kind, self.pieces, self.slots = kind, parts[0::2], [_SLOTS[s] for s in parts[1::2]]
        # The pieces and values in the text's order, as indexes into the pieces followed by the values:
        # one itemgetter call picks them all (a document fills about 25 texts: a fifth less than a loop in Python).
        count = len(self.pieces)
        self.order = itemgetter(0, *(i for k, slot in enumerate(self.slots, 1) for i in (count + slot, k)))

    def fill(self, values: list[str]) -> Any:
        return self.kind("".join(self.order(self.pieces + values)))


class Seq:
    """A list or tuple some of whose items hold stand-ins; the others are shared as they are (never changed)."""

    __slots__ = ("items", "kind")

    def __init__(self, kind: type, items: list[Any]) -> None:
        self.kind, self.items = kind, [(v, isinstance(v, FILLED)) for v in items]

    def fill(self, values: list[str]) -> Any:
        return self.kind([v.fill(values) if cut else v for v, cut in self.items])


class Map:
    """A dict some of whose values hold stand-ins."""

    __slots__ = ("items",)

    def __init__(self, items: dict[str, Any]) -> None:
        self.items = [(k, v, isinstance(v, FILLED)) for k, v in items.items()]

    def fill(self, values: list[str]) -> dict[str, Any]:
        return {k: v.fill(values) if cut else v for k, v, cut in self.items}


FILLED = (Cut, Seq, Map)


def cut(value: Any) -> Any:
    """The structure with every text that holds a stand-in cut at them; what holds none stays as it is."""
    if isinstance(value, str):
        parts = _CUT.split(value)
        return Cut(type(value), parts) if len(parts) > 1 else value
    if isinstance(value, dict):
        items = {k: cut(v) for k, v in value.items()}
        return Map(items) if any(isinstance(v, FILLED) for v in items.values()) else value
    if isinstance(value, (list, tuple)):
        seq = [cut(v) for v in value]
        return Seq(type(value), seq) if any(isinstance(v, FILLED) for v in seq) else value
    return value


T = TypeVar("T")


class Checked(Generic[T]):
    """A pattern's answers, trusted once the first of them equals the full path's; never again if not."""

    def __init__(self, full: Callable[[DocRecord], T]) -> None:
        self.full = full
        self.checked: bool | None = None  # None: not yet compared with the full path

    def __call__(self, rec: DocRecord, filled: T | None) -> T:
        """``filled`` (the pattern's answer for ``rec``, None if its values are not plain) or the full one."""
        if filled is not None and self.checked:
            return filled
        made = self.full(rec)
        if filled is not None and self.checked is None:
            self.checked = filled == made
        return made
