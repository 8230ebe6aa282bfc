"""Citations of items made from one pattern (a volume's documents): one rendering of their generic form,
finished once, then joined with each item's values."""

from __future__ import annotations

import json
import re
from typing import Any

from .citestore import Store
from .csl import NUMBER, TITLE, URL, case, finish, generic_of, quoting, template
from .cslstyle import AFTER_QUOTE, UNSHIELD, shield


class Form:
    """``render`` for items made from one pattern (a volume's documents): values that differ only in
    their texts, so one generic form compares equal to the next, and is written as JSON once."""

    def __init__(self, style_name: str, note: bool, store: Store | None = None) -> None:
        self.style_name, self.note, self.store = style_name, note, store
        self.generic: dict[str, Any] | None = None
        self.found: tuple[str, str | None] | None = None
        self.finished: _Finished | None = None

    def __call__(self, item: dict[str, Any]) -> str:
        generic = generic_of(item)
        if generic != self.generic:
            self.found = template(json.dumps(generic, sort_keys=True, ensure_ascii=False), self.style_name,
                                  self.note, self.store)
            self.generic = generic
            self.finished = _Finished.of(self.found, generic, self.style_name, self.store)
        if self.finished is not None:
            text = self.finished(item)
            if text is not None:
                return text
        return finish(self.found, item, generic, self.style_name, self.note, self.store)


def _cased(mode: str | None, title: str) -> str:
    """``shield(case(mode, title))``, the last answer kept: a page's Chicago and MLA forms case one title alike."""
    if _LAST[0] == (mode, title):
        return _LAST[1]
    _LAST[:] = [(mode, title), shield(case(mode, title))]
    return _LAST[1]


_LAST: list[Any] = [None, ""]


# Where the stand-ins went in a finished rendering: characters no rendering holds and no step of finish
# changes (no space, quote or shielded character).
_MARKS = {"number": "\ue030", "URL": "\ue031", "title": "\ue032"}
_MARKED = re.compile("([\ue030-\ue032])")


class _Finished:
    """A generic form's rendering with every step of ``finish`` done but the values put in: a citation is
    its pieces joined with the item's number, URL and cased title."""

    def __init__(self, pieces: list[str], number_key: str | None, mode: str | None) -> None:
        self.pieces, self.slots = pieces[0::2], pieces[1::2]
        self.number_key, self.mode = number_key, mode

    @classmethod
    def of(cls, found: tuple[str, str | None] | None, generic: dict[str, Any], style_name: str,
           store: Store | None) -> _Finished | None:
        """The finished form, or None when some value could change what is around it (a value is then
        put in by ``finish`` itself)."""
        if found is None:
            return None
        text, mode = found
        if _MARKED.search(text):
            return None
        # The stand-ins as finish puts the values in: the number first (of the first key that has it).
        number_key = next((k for k in ("number", "chapter-number") if generic.get(k) == NUMBER), None)
        if number_key is not None:
            text = text.replace(NUMBER, _MARKS["number"])
        if generic.get("URL") == URL:
            text = text.replace(URL, _MARKS["URL"])
        if generic.get("title") == TITLE:
            text = text.replace(TITLE, _MARKS["title"])
        # Every value is one or more characters without space at either end or two spaces together (checked
        # for the title, the others hold none) and without a shielded or quote character: the spaces
        # around each, and the shielded characters, are the same before and after it is put in.
        text = " ".join(text.split())
        for shielded, escaped in UNSHIELD.items():
            text = text.replace(shielded, escaped)
        if quoting(style_name, store):
            # A value put right after a closing quote could begin with the punctuation moved inside it.
            if re.search("\u201d[\ue030-\ue032]", text):
                return None
            text = AFTER_QUOTE.sub("\\1\u201d", text)
        return cls(_MARKED.split(text), number_key, mode)

    def __call__(self, item: dict[str, Any]) -> str | None:
        """The item's citation, or None when its title is not spaced as the form needs."""
        values = {}
        if self.number_key is not None:
            values["\ue030"] = str(item[self.number_key])
        if "\ue031" in self.slots:
            values["\ue031"] = str(item["URL"])
        if "\ue032" in self.slots:
            title = _cased(self.mode, str(item.get("title", "")))
            if not title or title[0] == " " or title[-1] == " " or "  " in title:
                return None
            values["\ue032"] = title
        pieces = self.pieces
        out = [pieces[0]]
        for i, slot in enumerate(self.slots, 1):
            out.append(values[slot])
            out.append(pieces[i])
        return "".join(out)
