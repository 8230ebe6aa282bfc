"""Pick the reader for a source file by its suffix; each returns a Converted TEI div."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Callable

from ..errors import SourceError
from ..sources.base import Converted

Reader = Callable[[bytes, str, "str | None"], Converted]

# Suffix → "module:function"; each function takes (data: bytes, path: str, volume: str | None).
READERS: dict[str, str] = {
    ".txt": "despatch.sources.text:convert_bytes",
    ".md": "despatch.sources.markdown:convert_markdown_bytes",
    ".xml": "despatch.sources.tei_reader:read_tei",
}

_cache: dict[str, Reader] = {}


def reader_for(path: Path | str) -> Reader:
    """The reader function for a source path (a path object or its text)."""
    # Path.suffix's rule, on the path's text: a path object parses its parts to give its suffix.
    name = os.path.basename(path)
    dot = name.rfind(".")
    spec = READERS.get(name[dot:].lower()) if 0 < dot < len(name) - 1 else None
    if spec is None:
        raise SourceError.at(str(path), 1, 1, "unknown kind of source",
                             found=Path(path).suffix or "no suffix", expected=", ".join(sorted(READERS)))
    if spec not in _cache:
        module, _, function = spec.partition(":")
        _cache[spec] = getattr(importlib.import_module(module), function)
    return _cache[spec]


def is_source(path: Path) -> bool:
    """Whether a file in a volume folder is a document source."""
    return is_source_name(path.name)


def is_source_name(name: str) -> bool:
    """Whether a file name in a volume folder is a document source's (its suffix as ``Path.suffix`` has it)."""
    dot = name.rfind(".")
    return 0 < dot < len(name) - 1 and name[dot:].lower() in READERS and not name.startswith((".", "_"))


def read_source(path: Path, display: str, volume: str) -> Converted:
    """Read one source file with its reader; errors name ``display`` (the project-relative path)."""
    return read_data(path.read_bytes(), path, display, volume)


def read_data(data: bytes, path: Path | str, display: str, volume: str) -> Converted:
    """Convert a source's bytes with the reader its suffix names (``path`` may be the path's text)."""
    return reader_for(path)(data, display, volume)
