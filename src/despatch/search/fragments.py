"""Some fields of a Pagefind page fragment, without inflating and parsing the rest of it.

A fragment is gzip-compressed JSON behind a short signature. A volume's summary needs only each
page's URL, text and filters, which Pagefind writes first; its anchors (every heading and paragraph
again, with their ids) follow and are more than half of the fragment. The fields are parsed with
``json``'s own scanner, so their values are those ``json.loads`` gives; a fragment whose wanted
fields are not all in its beginning is read whole.
"""

from __future__ import annotations

import json
import json.scanner
import re
import zlib
from pathlib import Path
from typing import Any

# Bytes inflated at first: a page's text and filters fit in these mostly; otherwise twice as many, and so on.
FIRST = 8192
_SCAN = json.scanner.make_scanner(json.JSONDecoder())
_SPACE = re.compile(r"[ \t\n\r]*")


class _Short(Exception):
    """The text ends before the fields wanted."""


def fields(path: Path, wanted: frozenset[str]) -> dict[str, Any]:
    """The fields ``wanted`` of the fragment at ``path`` (those it has), and any written before them."""
    inflate = zlib.decompressobj(31)      # gzip's header and one member, as Pagefind writes them
    data = inflate.decompress(path.read_bytes(), FIRST)
    while True:
        try:
            return _walk(data, wanted, inflate.eof)
        except _Short:
            pass
        more = inflate.decompress(inflate.unconsumed_tail, len(data))
        if not more and not inflate.eof:   # its input used up: a stream cut short, read as far as it goes
            return _walk(data + inflate.flush(), wanted, True)
        data += more


def _walk(data: bytes, wanted: frozenset[str], whole: bool) -> dict[str, Any]:
    """The object's fields from its first up to the last ``wanted`` (every one, if it lacks some)."""
    try:
        text = data[data.index(b"{"):].decode("utf-8")
    except UnicodeDecodeError:
        if whole:
            raise
        raise _Short from None      # a character cut at the end
    except ValueError:
        if whole:
            raise
        raise _Short from None
    found: dict[str, Any] = {}
    left = len(wanted)
    try:
        at = _SPACE.match(text, 1).end()   # type: ignore[union-attr]
        if text[at] == "}":
            return found
        while True:
            key, at = _SCAN(text, at)
            if not isinstance(key, str):
                raise json.JSONDecodeError("a key that is not a string", text, at)
            at = _SPACE.match(text, at).end()   # type: ignore[union-attr]
            if text[at] != ":":
                raise json.JSONDecodeError("expected ':'", text, at)
            at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
            value, at = _SCAN(text, at)
            if at == len(text) and not whole:
                raise _Short            # a number may go on past what is inflated
            if key in wanted and key not in found:
                left -= 1
            found[key] = value
            if not left:
                return found
            at = _SPACE.match(text, at).end()   # type: ignore[union-attr]
            if text[at] == "}":
                return found
            if text[at] != ",":
                raise json.JSONDecodeError("expected ',' or '}'", text, at)
            at = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    except (IndexError, StopIteration, json.JSONDecodeError):
        if whole:
            return json.loads(text)     # its own error, where it is not JSON; or the same fields
        raise _Short from None
