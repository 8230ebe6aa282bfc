"""JSON text as ``json.dumps(..., ensure_ascii=False, indent=N, sort_keys=True)`` writes it, made faster."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any


class Raw(str):
    """JSON text already made, placed as it is."""


def dumps_indented(value: Any, level: int = 0, indent: int = 1) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=True)``, byte for byte.

    With an indent the standard library encodes in pure Python, one generator per level; this
    builds the same text with a few joins, for the small dicts, lists, strings and ints of JSON-LD.
    ``level`` is the depth the value sits at (its closing bracket is indented that far).
    """
    if isinstance(value, str):
        return value if isinstance(value, Raw) else encode_basestring(value)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        if not value:
            return "{}"
        inner = "\n" + " " * ((level + 1) * indent)
        return "{" + inner + ("," + inner).join(
            f"{encode_basestring(k)}: {dumps_indented(v, level + 1, indent)}" for k, v in sorted(value.items())
        ) + "\n" + " " * (level * indent) + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = "\n" + " " * ((level + 1) * indent)
        return "[" + inner + ("," + inner).join(dumps_indented(v, level + 1, indent) for v in value) + "\n" + \
            " " * (level * indent) + "]"
    if type(value) is int:
        return str(value)  # what the standard encoder writes for an int (a year in "issued"), without its setup
    # Other numbers, booleans, None and anything unusual: the standard encoder, re-indented to this level.
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=True)
    return text.replace("\n", "\n" + " " * (level * indent))
