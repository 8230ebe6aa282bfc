"""YAML files of the edition (configuration, volume.yml, lists): read as mappings, errors with positions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SourceError, position

if TYPE_CHECKING:  # PyYAML is imported when a file is parsed: an edit's build, whose YAML is cached, parses none
    import yaml


def read_text(path: Path) -> str:
    """A file's text; bytes that are not UTF-8 are an error naming their offset."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError.at(str(path), line, col, f"byte {exc.start} is not UTF-8",
                             found=f"0x{data[exc.start]:02x}", expected="UTF-8 text") from None


def load_mapping(path: Path, expected: str, loader: type[yaml.SafeLoader] | None = None) -> dict[str, Any]:
    """Parse a YAML file that must hold a mapping (an empty file is an empty mapping)."""
    import yaml

    text = read_text(path)
    try:
        data = yaml.load(text, Loader=loader or yaml.SafeLoader)  # noqa: S506 - always a SafeLoader or a subclass of it
    except yaml.YAMLError as exc:
        line, col, message = _yaml_position(exc, text)
        raise SourceError.at(str(path), line, col, f"{path.name} is not valid YAML: {message}",
                             expected=expected, text=text) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError.at(str(path), 1, 1, f"{path.name} must be a mapping",
                             found=type(data).__name__, expected=expected, text=text)
    return data


def _yaml_position(exc: yaml.YAMLError, text: str) -> tuple[int, int, str]:
    """Where a YAML error is, and what it is, in words: the problem, and what was open when it struck."""
    problem, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    message = str(getattr(exc, "problem", None) or exc)
    if context is not None and getattr(exc, "context", None):
        message += f" ({exc.context} opened at line {context.line + 1}, column {context.column + 1})"  # type: ignore[attr-defined]
    mark = problem or context
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if mark is not None and mark.line + 1 > lines and context is not None:
        mark = context  # at the end of the file the problem is what was left open
    return ((mark.line + 1, mark.column + 1) if mark is not None else (1, 1)) + (message,)


def key_line(text: str, key: str) -> int:
    """The line where a top-level key is defined (1 when it cannot be found)."""
    for i, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return i
    return 1


__all__ = ["read_text", "load_mapping", "key_line", "position"]
