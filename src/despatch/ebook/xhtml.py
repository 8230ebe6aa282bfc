"""XHTML building blocks for EPUB chapters: start and end tags, an element factory, content-model checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{EPUB_NS}}}type"

# Elements whose content model is phrasing only: a TEI block met inside them must become a span.
PHRASING = {"p", "span", "a", "i", "b", "sup", "sub", "u", "abbr", "h1", "h2", "h3", "q", "dt", "small"}
# TEI elements that render as blocks; a TEI <p> holding one becomes a <div class="p"> to stay valid.
BLOCKS = {"list", "table", "lg", "figure", "closer", "opener", "postscript", "div", "p"}
HI = {"italic": "i", "bold": "b", "strong": "b", "superscript": "sup", "sub": "sub", "subscript": "sub",
      "underline": "u"}


@dataclass
class Chapter:
    """What converting one document produced: the XHTML page, its page breaks and its anchors."""

    html: bytes
    pages: list[tuple[str, str]] = field(default_factory=list)   # (element id, printed page)


@dataclass(slots=True)   # slots: its fields are read for every element
class Ctx:
    """Per-document state: the link resolver, the chapter's text so far and the notes collected for its end."""

    resolve: Callable[[str], str | None]
    out: list[str] = field(default_factory=list)   # the chapter's markup, piece by piece
    notes: list[tuple[etree._Element, str, str]] = field(default_factory=list)   # (note, label, id), escaped
    pages: list[tuple[str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    # No text or attribute value of the document needs escaping: TEI that lxml wrote without an "&" has
    # no "&", "<", ">", quote, tab, newline nor carriage return in any (lxml writes them as references),
    # so they are not searched.
    plain: bool = False


def start(out: list[str], tag: str, cls: str = "", extra: str = "") -> int:
    """Open an element (``cls`` and ``extra``, its further attributes, escaped); returns the mark ``end`` takes."""
    out.append(f'<{tag} class="{cls}"{extra}>' if cls else f"<{tag}{extra}>")
    return len(out)


def end(out: list[str], tag: str, mark: int) -> None:
    """Close the element opened at ``mark``: ``<tag/>`` when nothing went into it, as lxml writes it."""
    if len(out) == mark:
        out[-1] = out[-1][:-1] + "/>"
    else:
        out.append(f"</{tag}>")


_NAMES: dict[str, str] = {}   # tag → Clark name, keyword → attribute name: made once, not per element


def _attr(key: str) -> str:
    name = _NAMES[key] = EPUB_TYPE if key == "epub_type" else key.rstrip("_").replace("_", "-")
    return name


def h(tag: str, parent: etree._Element | None = None, cls: str = "", **attrs: str) -> etree._Element:
    """Create an XHTML element (appended to ``parent`` when given)."""
    name = _TAGS.get(tag) or _tag(tag)
    el = etree.Element(name) if parent is None else etree.SubElement(parent, name)
    # Set one at a time, in this order: lxml takes an attribute dict at creation more slowly (2 µs, not 1.2).
    if cls:
        el.set("class", cls)
    for key, value in attrs.items():
        el.set(_NAMES.get(key) or _attr(key), value)
    return el


_TAGS: dict[str, str] = {}


def _tag(tag: str) -> str:
    name = _TAGS[tag] = f"{{{XHTML_NS}}}{tag}"
    return name


_LOCAL: dict[str, str] = {}


def local(el: etree._Element) -> str:
    """Local name of a TEI element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = etree.QName(tag).localname
    return name


def has_block(el: etree._Element) -> bool:
    """Whether a TEI element holds something that renders as a block."""
    # Its descendants' names looked up in a table: lxml's filter by a list of names sets itself up
    # at each call, twice the cost for the few descendants of a note or paragraph.
    # A quote holding a paragraph is found by its paragraph ("p" is among the blocks).
    for node in el.iterdescendants():
        tag = node.tag
        found = _IS_BLOCK.get(tag)
        if found is None:
            found = _IS_BLOCK[tag] = local(node) in BLOCKS
        if found:
            return True
    return False


# Whether an element renders as a block, by its full name (comments and processing instructions: their
# factory functions, never blocks): in any namespace, as local() names them.
_IS_BLOCK: dict[object, bool] = {}
