"""The shapes of a volume's YAML files: a value of another shape is an error at its place, not a
traceback from deep in the build nor a list printed as a title ("['A', 'B']")."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from .errors import SourceError
from .yamlio import read_text

SCALARS = (str, int, float, datetime.date)
TEXT = "text (one line: a title, a name, a year)"
TEXTS = "a list of texts ([one, another]), or one text"
IDS = "a list of document ids ([d1, d2])"


def is_text(value: Any) -> bool:
    """Whether YAML gave one value that reads as text (a number or a date reads as it was written)."""
    return isinstance(value, SCALARS) and not isinstance(value, bool)


def wrong(path: Path, keys: list[str | int], value: Any, expected: str) -> SourceError:
    """An error at the value under ``keys`` in the file."""
    from .settings import kind_of, place_of

    text = read_text(path)
    line, col = place_of(text, keys)
    shown = " → ".join(f"#{k + 1}" if isinstance(k, int) else str(k) for k in keys)
    return SourceError.at(str(path), line, col, f"{path.name}: {shown} is not {expected.split(' (')[0]}",
                          found=f"{kind_of(value)}: {value!r}"[:200], expected=expected, text=text)


def check_toc(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """``toc.yml`` checked: ``chapters`` a list of mappings whose ``title`` is text and whose
    ``documents`` are ids; the ids read as text (``- 245`` is the id "245", never a number)."""
    chapters = data.get("chapters")
    if chapters is None:
        return data
    if not isinstance(chapters, list):
        raise wrong(path, ["chapters"], chapters, "a list of chapters (- title: …, documents: [d1, …])")
    for i, chapter in enumerate(chapters):
        if not isinstance(chapter, dict):
            raise wrong(path, ["chapters", i], chapter, "a chapter (title: …, documents: [d1, …])")
        if chapter.get("title") is not None and not is_text(chapter["title"]):
            raise wrong(path, ["chapters", i, "title"], chapter["title"], TEXT)
        docs = chapter.get("documents")
        if docs is not None and not (isinstance(docs, list) and all(is_text(d) for d in docs)):
            raise wrong(path, ["chapters", i, "documents"], docs, IDS)
        chapter["documents"] = [str(d) for d in docs or []]
        if chapter.get("title") is not None:
            chapter["title"] = str(chapter["title"])
    return data


def check_fields(data: dict[str, Any], path: Path, fields: tuple[str, ...], lists: tuple[str, ...] = ()) -> None:
    """Raise at the first of ``fields`` that is not text, or of ``lists`` that is neither text nor texts."""
    for key in fields:
        value = data.get(key)
        if value is None:
            continue
        if key in lists:
            if not (is_text(value) or isinstance(value, list) and all(is_text(v) for v in value)):
                raise wrong(path, [key], value, TEXTS)
        elif not is_text(value):
            raise wrong(path, [key], value, TEXT)
