"""A partial of a document page rendered once per volume pattern with stand-ins, then filled per document."""

from __future__ import annotations

import re
from typing import Any

import jinja2
from markupsafe import Markup

from ..urls.standins import Cut, cut

# A value holding a character markupsafe escapes would print otherwise than the stand-in it replaces.
_ESCAPED = re.compile("[&<>\"']")


class Piece:
    """A partial rendered for a stand-in document, cut at the stand-ins, trusted once its first fill
    equals the partial rendered in full for that document; never used again if not."""

    def __init__(self, env: jinja2.Environment, name: str, standin_context: dict[str, Any]) -> None:
        self.env, self.name = env, name
        self.checked = False
        self.cut: Cut | str | None
        try:
            self.cut = cut(env.get_template(name).render(**standin_context))
        except jinja2.TemplateError:
            self.cut = None  # missing, or it reads what a stand-in page lacks: the page includes it as ever

    def __call__(self, slots: list[str] | None, context: dict[str, Any]) -> Markup | None:
        """The partial for the page of ``context`` (filled with ``slots``), or None to render it in full."""
        if self.cut is None or slots is None or _ESCAPED.search("".join(slots)):
            return None
        html = self.cut.fill(slots) if isinstance(self.cut, Cut) else self.cut
        if not self.checked:
            try:
                same = self.env.get_template(self.name).render(**context) == html
            except jinja2.TemplateError:
                same = False
            if not same:
                self.cut = None
                return None
            self.checked = True
        return Markup(html)
