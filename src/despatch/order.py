"""The order of names that hold numbers, as a reader counts them: 'd2' before 'd10'."""

from __future__ import annotations

import re
from typing import Any

_DIGITS = re.compile(r"(\d+)").split


def natural_key(name: str) -> list[Any]:
    """Sort 'd2' before 'd10'."""
    if name.isdecimal():  # a document number: what the split below gives, without it (it runs for every document)
        return ["", int(name), ""]
    # Only the runs the split captured are decimal (isdigit would also take a text part such as "²", which
    # int refuses): text and numbers alternate, so two keys compare text with text and numbers with numbers.
    return [int(p) if p.isdecimal() else p for p in _DIGITS(name)]
