"""Optional YAML front matter (``---`` … ``---``) that gives what the text lacks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .source import Source, shorten

ID_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?\Z")


def read_front_matter(src: Source) -> tuple[dict[str, Any], int]:
    """Return (keys, index of the first line after the front matter); ({}, 0) when there is none."""
    if src.nlines == 0 or src.line(0).rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, src.nlines) if src.line(i).rstrip() in ("---", "...")), None)
    if end is None:
        raise src.error(0, "front matter is not closed", found="'---' with no closing line",
                        expected="a line '---' after the YAML keys")
    body = "\n".join(src.line(i) for i in range(1, end))
    import yaml  # only where there is YAML to read: most sources and editions have none

    try:
        data = yaml.safe_load(body) if body.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        off = src.starts[1 + mark.line] + mark.column if mark is not None else src.starts[1]
        problem = getattr(exc, "problem", None) or str(exc)
        raise src.error(off, f"front matter is not valid YAML: {problem}",
                        found=shorten(src.line(src.lineno(off) - 1)),
                        expected="YAML keys such as 'volume: frus1961-63v13'") from None
    if not isinstance(data, dict):
        raise src.error(src.starts[1], "front matter must be a mapping of keys",
                        found=type(data).__name__, expected="lines 'key: value'")
    for key, value in list(data.items()):
        data[key] = _check(src, end, key, value)
    return data, end + 1


def _check(src: Source, end: int, key: Any, value: Any) -> Any:
    """Validate the keys the converter uses; other keys pass through to ``meta`` unchanged."""
    where = _key_offset(src, end, str(key))
    if key in ("volume", "id") and not (isinstance(value, str) and ID_RE.match(value)):
        raise src.error(where, f"front matter '{key}' is not an identifier", found=shorten(str(value)),
                        expected="letters, digits, '_', '.', '-', starting with a letter")
    if key in ("date", "date_min", "date_max"):
        if isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None).isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        if not (isinstance(value, str) and DATE_RE.match(value)):
            raise src.error(where, f"front matter '{key}' is not a date", found=shorten(str(value)),
                            expected="an ISO date such as 1962-05-04 or 1962-05-04T17:00")
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            raise src.error(where, f"front matter '{key}' is not a real date",
                            found=value, expected="a calendar date") from None
    if key == "n" and not isinstance(value, (str, int)):
        raise src.error(where, "front matter 'n' is not a document number", found=shorten(str(value)),
                        expected="a number such as 245")
    return str(value) if key == "n" else value


def _key_offset(src: Source, end: int, key: str) -> int:
    """Offset of the line that sets ``key``, for error positions."""
    for i in range(1, end):
        if src.line(i).startswith(f"{key}:"):
            return src.starts[i]
    return src.starts[1] if src.nlines > 1 else 0
