"""The configuration's values checked before they are used: a value of the wrong kind is an error at its
place in ``mkdocs.yml``, not a traceback from deep in the build, nor a setting quietly read otherwise."""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path
from typing import Any

from .errors import Diagnostic, SourceError, diagnostic
from .sitepath import is_full, is_web, unsafe
from .yamlio import read_text

TEXT = "text (quoted, if it looks like a number or a date)"
FLAG = "true or false"
COUNT = "a whole number of worker processes (0: one for each core)"
MAPPING = "a mapping of old paths to new ones (old/path: new/path)"
ENTRY = "a redirect's new path (old/path: new/path)"
DAY = "a date (2026-11-28)"
PREFIX = "a path of URL segments (historicaldocuments/), each of letters, digits and . _ ~ - (not . or ..)"
# Citations carry it for decades: "example.org/" would make every cited URL a relative path.
URL = "a full URL, http:// or https:// and a host (https://example.org/edition/)"
SITE_PATHS = "paths of the site's pages (old/path: new/path; a new one may be a full URL)"
SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")

# The site's own settings that despatch reads, and the despatch plugin's options.
SITE: dict[str, str] = {"site_name": TEXT, "site_url": URL, "docs_dir": TEXT, "site_dir": TEXT}
OPTIONS: dict[str, str] = {
    "build_dir": TEXT, "content_dir": TEXT, "site_dir": TEXT, "templates_dir": TEXT, "canonical_base": URL,
    "url_prefix": PREFIX, "version": TEXT, "release_date": DAY, "strict_links": FLAG, "search": FLAG,
    "ebooks": FLAG, "note_redirects": FLAG, "watch_polling": FLAG, "ledger_grow": FLAG, "workers": COUNT,
    "redirects": MAPPING,
}


def _fits(value: Any, kind: str) -> bool:
    """Whether a value (None: not given, the default) is of the kind asked."""
    if value is None:
        return True
    if kind == TEXT:
        return isinstance(value, str)
    if kind == URL:
        return isinstance(value, str) and (not value.strip() or is_web(value.strip()))
    if kind == PREFIX:  # joined to the site's folder: a ".." would write outside it
        return isinstance(value, str) and all(SEGMENT.fullmatch(p) and p.strip(".") for p in _segments(value))
    if kind == DAY:  # YAML reads an unquoted date as a date: its ISO form is the text meant
        return isinstance(value, (str, datetime.date))
    if kind == FLAG:
        return isinstance(value, bool)
    if kind == COUNT:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _segments(prefix: str) -> list[str]:
    """A URL prefix's segments ("/a/b/" → a, b; "" and "/" → none; "a//b" keeps its empty segment)."""
    inner = prefix.strip("/")
    return inner.split("/") if inner else []


def unknown_options(data: dict[str, Any], path: Path) -> list[Diagnostic]:
    """A warning at each option of the despatch plugin that despatch does not know (a misspelt
    ``ebook: false`` would otherwise be ignored in silence), with the option it may have meant."""
    found: list[Diagnostic] = []
    plugins = data.get("plugins")
    for i, entry in enumerate(plugins if isinstance(plugins, list) else []):
        options = entry.get("despatch") if isinstance(entry, dict) else None
        for key in options if isinstance(options, dict) else []:
            if key in OPTIONS:
                continue
            text = read_text(path)
            line, col = place_of(text, ["plugins", i, "despatch", key], key=True)
            near = difflib.get_close_matches(str(key), list(OPTIONS), n=1)
            found.append(diagnostic(
                str(path), line, col, f"{path.name}: plugins → despatch → {key} is not an option of despatch;"
                " it is ignored", found=repr(key),
                expected=f"{near[0]}?" if near else "one of " + ", ".join(sorted(OPTIONS)), text=text,
                severity="warning"))
    return found


def check_settings(data: dict[str, Any], path: Path) -> None:
    """Raise a SourceError at the first setting whose value is not of its kind."""
    for key, kind in SITE.items():
        if not _fits(data.get(key), kind):
            _wrong(path, [key], data[key], kind)
    plugins = data.get("plugins")
    if plugins is not None and not isinstance(plugins, list):
        _wrong(path, ["plugins"], plugins, "a list of plugins (- despatch: …)")
    for i, entry in enumerate(plugins or []):
        if isinstance(entry, dict) and "despatch" in entry:
            options = entry["despatch"]
            if options is not None and not isinstance(options, dict):
                _wrong(path, ["plugins", i, "despatch"], options, "the plugin's options, as a mapping (workers: 2)")
            for key, kind in OPTIONS.items():
                value = (options or {}).get(key)
                if _fits(value, kind):
                    continue
                where: list[str | int] = ["plugins", i, "despatch", key]
                if kind == MAPPING and isinstance(value, dict):  # the first entry that is not old: new
                    bad = next(k for k, v in value.items() if not (isinstance(k, str) and isinstance(v, str)))
                    where, value, kind = [*where, bad], value[bad], ENTRY
                _wrong(path, where, value, kind)
            _paths(path, i, (options or {}).get("redirects") or {})


def _paths(path: Path, index: int, redirects: dict[str, str]) -> None:
    """Raise at the first redirect whose old or new path is not one of the site's (``a/../..``)."""
    for old, new in redirects.items():
        for part, why in ((old, unsafe(old)), (new, None if is_full(new) else unsafe(new))):
            if why is not None:
                text = read_text(path)
                line, col = place_of(text, ["plugins", index, "despatch", "redirects", old], key=part is old)
                raise SourceError.at(str(path), line, col, f"{path.name}: '{part}' is not a path of the site: {why}",
                                     found=part, expected=SITE_PATHS, text=text)


def _wrong(path: Path, keys: list[str | int], value: Any, kind: str) -> None:
    text = read_text(path)
    line, col = place_of(text, keys)
    shown = " → ".join(str(k) for k in keys if not isinstance(k, int) or keys[-1] is k)
    raise SourceError.at(str(path), line, col, f"{path.name}: {shown} is not {kind.split(' (')[0]}",
                         found=f"{kind_of(value)}: {value!r}", expected=kind, text=text)


def kind_of(value: Any) -> str:
    names = {bool: "true or false", int: "a number", float: "a number", str: "text", list: "a list",
             dict: "a mapping", datetime.date: "a date", datetime.datetime: "a date and time"}
    return names.get(type(value), type(value).__name__)


def place_of(text: str, keys: list[str | int], key: bool = False) -> tuple[int, int]:
    """The line and column of the value at ``keys`` (mapping keys and list indices) in the YAML text;
    ``key``: of the last key itself."""
    import yaml

    from .config import _loader

    node = yaml.compose(text, Loader=_loader())  # a SafeLoader subclass: no objects are made
    for depth, name in enumerate(keys, 1):
        found = None
        if isinstance(node, yaml.MappingNode):
            # The last of keys given twice: the value YAML keeps.
            pair = next(((k, v) for k, v in reversed(node.value) if getattr(k, "value", None) == name), None)
            found = None if pair is None else pair[0] if key and depth == len(keys) else pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(name, int) and name < len(node.value):
            found = node.value[name]
        if found is None:
            break
        node = found
    mark = node.start_mark if node is not None else None
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
