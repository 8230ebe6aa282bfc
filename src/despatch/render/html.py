"""TEI document div → HTML: a page's head, body and notes, each element through the handlers' table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree
from markupsafe import Markup

from ..tei.xmlio import FRUS_NS, TEI_NS, XML_ID, title_text
from .handlers import HANDLERS, Handler, Note, h_inline
from .linker import Linker
from .markup import LAYOUT, NAMES, esc, tag_name
from .text import escape_text
from .urls import relative


@dataclass
class Rendered:
    """The parts of a document page made from its TEI."""

    head_html: Markup
    body_html: Markup
    notes: list[Note]


@dataclass
class Renderer:
    """State of one document's rendering: where links point from, notes gathered so far."""

    doc_id: str
    page_path: str
    linker: Linker
    # Given the paragraph's text as the XML has it: whitespace is folded by whoever reads the words.
    anchor: Callable[[str, str, set[str]], str] | None = None
    # The anchor from a paragraph's leading text alone when that decides it (None: read the whole text).
    quick: Callable[[str, str, set[str], bool], str | None] | None = None
    notes: list[Note] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    in_head: bool = False  # headings carry no inline tips: their text is the page's title

    def children(self, el: etree._Element) -> str:
        """Render an element's text and children (mixed content), escaping all text."""
        text = el.text
        if not len(el):
            return esc(text) if text else ""  # text alone (most inline elements): no list to join
        out = [esc(text) if text else ""]
        for child in el:
            tag = child.tag
            # The handler is looked up by the element's full name: no QName object per element.
            if isinstance(tag, str):
                out.append(HANDLERS.get(NAMES.get(tag) or tag_name(tag), h_inline)(child, self))
            tail = child.tail
            if tail:
                # esc inlined: every run of text between elements passes here.
                out.append(escape_text(LAYOUT.sub(" ", tail) if "\n" in tail else tail))
        return "".join(out)

    def node(self, el: etree._Element) -> str:
        """Render one element through the dispatch table; unknown elements keep their text."""
        tag = el.tag
        if not isinstance(tag, str):
            return ""  # comments and processing instructions never reach the page
        return _handler(tag)(el, self)

    def href(self, target: str) -> str:
        """A page-relative URL for a site path."""
        return relative(self.page_path, target)



def _handler(tag: str) -> Handler:
    """The handler of an element by its Clark name; names are memoised, the table is read live."""
    return HANDLERS.get(NAMES.get(tag) or tag_name(tag), h_inline)


def tei_to_html(div: etree._Element, page_path: str, linker: Linker,
                anchor: Callable[[str, str, set[str]], str] | None = None,
                quick: Callable[[str, str, set[str], bool], str | None] | None = None) -> Rendered:
    """Render a document div: its head (with the source note's reference) and body, and its notes.

    ``quick`` (with ``anchor``): ``anchor``'s answer for any text that opens with the given one (or is
    that text, when told so), or None when that does not decide it (then ``anchor`` reads the whole text)."""
    doc_id = div.get(XML_ID) or "doc"
    r = Renderer(doc_id, page_path, linker, anchor, quick if anchor is not None else None)
    head = next(div.iterchildren(_HEAD), None)  # the first child head, as find gives it, without its path parsed
    r.in_head = True
    head_html = Markup(r.children(head)) if head is not None else Markup("")
    r.in_head = False
    body = []
    for child in div:
        if child is head:
            body.append(esc(child.tail).strip())
            continue
        body.append(r.node(child))
        body.append(esc(child.tail).strip())
    return Rendered(head_html, Markup("".join(body)), r.notes)


def plain_title(div: etree._Element) -> str:
    """The head's text without notes: what lists and <title> show (without a head, the number)."""
    head = next(div.iterchildren(_HEAD), None)
    return title_text(head) if head is not None else div.get("n") or ""


_HEAD = f"{{{TEI_NS}}}head"


__all__ = ["FRUS_NS", "Rendered", "plain_title", "tei_to_html"]
