"""A partial of a document page rendered once per volume pattern with stand-ins, then filled per document."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from ..urls.standins import RAW, Cut, cut

# A value holding a character markupsafe escapes would print otherwise than the stand-in it replaces.
_ESCAPED = re.compile("[&<>\"']")


class Piece:
    """A partial rendered for a stand-in document, cut at the stand-ins, trusted once its first fill
    equals the partial rendered in full for that document; never used again if not."""

    def __init__(self, env: jinja2.Environment, name: str,
                 standin_context: Callable[[tuple[str, ...]], dict[str, Any]]) -> None:
        """``standin_context``: the stand-in page's context, given the values that stand in for the raw HTML."""
        self.env, self.name = env, name
        self.checked = False
        self.parts: Cut | str | None = None  # a Cut, or the text itself when it holds no stand-in
        try:
            text = env.get_template(name).render(**standin_context(RAW))
            # The raw HTML must be printed as it is: marked with characters escaping changes, it still is.
            probe = env.get_template(name).render(**standin_context(tuple(f"{m}<&'" for m in RAW)))
        except jinja2.TemplateError:
            return  # missing, or it reads what a stand-in page lacks: the page includes it as ever
        if probe != text.replace(RAW[0], f"{RAW[0]}<&'").replace(RAW[1], f"{RAW[1]}<&'"):
            return
        self.parts = cut(text)
        self.needs = max(getattr(self.parts, "slots", ()), default=-1) + 1  # how many values a fill takes

    def __call__(self, slots: list[str] | None, context: dict[str, Any], raw: tuple[str, ...] = ()) -> Markup | None:
        """The partial for the page of ``context`` (filled with ``slots``, then the ``raw`` HTML), or None
        to render it in full."""
        parts = self.parts
        if parts is None or slots is None or _ESCAPED.search("".join(slots)):
            return None
        values = [*slots, *raw]
        if len(values) < self.needs:
            return None
        html = parts.fill(values) if isinstance(parts, Cut) else parts
        if not self.checked:
            try:
                same = self.env.get_template(self.name).render(**context) == html
            except jinja2.TemplateError:
                same = False
            if not same:
                self.parts = None
                return None
            self.checked = True
        return Markup(html)
