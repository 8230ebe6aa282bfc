"""Pages that differ only by a few printed values: render the template once, then fill in the values."""

from __future__ import annotations

import re
from typing import Any

import jinja2

from .env import escape_printed

# Private-use characters: no text of an edition holds them and no filter or escaping changes them.
_STANDINS = tuple(chr(0xE0F0 + i) for i in range(8))
_SPLIT = re.compile("([\ue0f0-\ue0f7])")


class Filler:
    """A rendered template cut at its stand-ins: a page is the pieces joined with the escaped values."""

    def __init__(self, pieces: list[str]) -> None:
        self.parts = pieces[0::2]
        self.slots = [ord(s) - 0xE0F0 for s in pieces[1::2]]

    def __call__(self, *values: str) -> str:
        """The page for these values, as the template would have rendered it."""
        escaped = [escape_printed(v) for v in values]
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:]):
            out.append(escaped[slot])
            out.append(part)
        return "".join(out)


def filler(template: jinja2.Template, context: dict[str, Any], slots: tuple[str, ...],
           sample: tuple[str, ...]) -> Filler | None:
    """A Filler for ``template`` whose ``slots`` vary from page to page, or None if it cannot be one.

    ``sample`` is a realistic set of values (the same folder depth as the pages to come): the template
    rendered with it must equal the filled pieces, or the template does more with a value than print it.
    """
    if len(slots) > len(_STANDINS):
        return None
    text = template.render(**context, **dict(zip(slots, _STANDINS)))
    made = Filler(_SPLIT.split(text))
    if any(s >= len(slots) for s in made.slots):
        return None
    # Marked copies of the sample catch a filter that uppercases, measures or cuts a value.
    for values in (sample, tuple(f"{v}<&\"'Ab{i}" for i, v in enumerate(sample))):
        if made(*values) != template.render(**context, **dict(zip(slots, values))):
            return None
    return made
