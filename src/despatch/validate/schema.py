"""Validate TEI against the RELAX NG schema shipped in the package; problems become diagnostics."""

from __future__ import annotations

import copy
import re
from functools import cache

from lxml import etree

from ..errors import Diagnostic
from ..files import packaged
from ..tei.xmlio import parse_bytes

SCHEMA_FILE = "despatch.rng"
EXPECTED = "TEI valid against despatch's schema (despatch/tei/schema/despatch.rng)"

# lxml names elements and attributes by Clark name in its messages; prefixes read better.
_PREFIXES = {
    "{http://www.tei-c.org/ns/1.0}": "",
    "{http://history.state.gov/frus/ns/1.0}": "frus:",
    "{http://www.w3.org/XML/1998/namespace}": "xml:",
}
_CLARK = re.compile("|".join(re.escape(k) for k in _PREFIXES))
# Summary messages that libxml2 adds beside the specific one; they say nothing more.
_NOISE = re.compile(r"failed to validate attributes|failed to validate content|has extra content|Expecting an element")


def schema_path() -> str:
    """Where the shipped schema lives, for tools that want the file itself."""
    from importlib import resources

    return str(resources.files("despatch.tei.schema").joinpath(SCHEMA_FILE))


def _schema_bytes() -> bytes:
    """The shipped schema's bytes."""
    return packaged("despatch.tei.schema", SCHEMA_FILE)


@cache
def shipped_schema() -> etree.RelaxNG:
    """The shipped schema, compiled once per process."""
    return etree.RelaxNG(parse_bytes(_schema_bytes(), SCHEMA_FILE))


def _prefixed(name: str) -> str:
    return _CLARK.sub(lambda m: _PREFIXES[m.group(0)], name)


def start_tag(node: etree._Element, limit: int = 100) -> str:
    """The element's start tag as a reader would write it: ``<p rend="center">``."""
    attrs = "".join(f' {_prefixed(k)}="{v}"' for k, v in node.attrib.items())
    tag = f"<{_prefixed(node.tag)}{attrs}>"
    return tag if len(tag) <= limit else tag[: limit - 2] + "…>"


def where(node: etree._Element) -> str:
    """A readable path to an element: ``div[@xml:id='d245']/p[3]``, from the nearest xml:id."""
    steps: list[str] = []
    current: etree._Element | None = node
    while current is not None and isinstance(current.tag, str):
        ident = current.get("{http://www.w3.org/XML/1998/namespace}id")
        name = _prefixed(current.tag)
        if ident:
            steps.append(f"{name}[@xml:id='{ident}']")
            break
        parent = current.getparent()
        same = [c for c in parent if c.tag == current.tag] if parent is not None else [current]
        steps.append(f"{name}[{same.index(current) + 1}]" if len(same) > 1 else name)
        current = parent
    return "/".join(reversed(steps))


def _node(doc: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = doc.xpath(path)
    except etree.XPathError:
        return None
    return found[0] if isinstance(found, list) and found and isinstance(found[0], etree._Element) else None


def diagnostics_from_log(log: etree._ListErrorLog, doc: etree._ElementTree, path: str) -> list[Diagnostic]:
    """Turn a RELAX NG error log into diagnostics, one per distinct error, noise dropped."""
    entries = [e for e in log if not _NOISE.search(e.message)] or list(log)
    out: list[Diagnostic] = []
    seen: set[tuple[int, str]] = set()
    for entry in entries:
        node = _node(doc, getattr(entry, "path", None))
        line = entry.line if entry.line > 0 else (node.sourceline if node is not None and node.sourceline else 1)
        message = _prefixed(entry.message)
        if node is not None:
            message += f" (at {where(node)})"
        if (line, message) in seen:
            continue
        seen.add((line, message))
        found = start_tag(node) if node is not None else None
        out.append(Diagnostic(path, line, max(entry.column, 1), f"TEI schema: {message}",
                              found=found, expected=EXPECTED))
    return out


def validate_tei(tree: etree._ElementTree | etree._Element, path: str) -> list[Diagnostic]:
    """Validate a TEI file or a bare document div; an empty list means valid."""
    if isinstance(tree, etree._ElementTree):
        doc = tree
    elif tree.getparent() is None:
        doc = tree.getroottree()
    else:
        # An element inside a larger tree is validated on its own; the copy keeps source lines.
        doc = etree.ElementTree(copy.deepcopy(tree))
    schema = shipped_schema()
    if schema.validate(doc):
        return []
    return diagnostics_from_log(schema.error_log, doc, path)
