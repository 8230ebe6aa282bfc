"""TEI document div → HTML: a dispatch table from TEI element names to small handlers."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable

from lxml import etree
from markupsafe import Markup

from ..tei.xmlio import FRUS_NS, TEI_NS, XML_ID, title_text
from .linker import Linker
from .text import escape_text
from .urls import relative

Handler = Callable[[etree._Element, "Renderer"], str]


@dataclass
class Note:
    """A rendered note: its anchor, printed number and content."""

    id: str
    n: str
    html: Markup
    ref_id: str


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
            return _esc(text) if text else ""  # text alone (most inline elements): no list to join
        out = [_esc(text) if text else ""]
        for child in el:
            tag = child.tag
            # The handler is looked up by the element's full name: no QName object per element.
            if isinstance(tag, str):
                out.append(HANDLERS.get(_NAMES.get(tag) or _name(tag), _h_inline)(child, self))
            tail = child.tail
            if tail:
                # _esc inlined: every run of text between elements passes here.
                out.append(escape_text(_LAYOUT.sub(" ", tail) if "\n" in tail else tail))
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


# Only ASCII layout whitespace: NBSP and other Unicode spaces after a line break are text (\s would eat them).
_LAYOUT = re.compile(r"[ \t\r]*\n[ \t\r\n]*")


def _esc(text: str | None) -> str:
    """Escape text; line breaks of the XML's layout become one space (HTML would fold them anyway)."""
    if not text:
        return ""
    if "\n" in text:
        text = _LAYOUT.sub(" ", text)
    return escape_text(text)


def _local(el: etree._Element) -> str:
    tag = el.tag
    if isinstance(tag, str):
        return _NAMES.get(tag) or _name(tag)
    qname = etree.QName(el)
    return qname.localname if qname.namespace in (TEI_NS, None) else f"frus:{qname.localname}"


_NAMES: dict[str, str] = {}


def _name(tag: str) -> str:
    """A TEI element's local name, or 'frus:name' for other namespaces (memoised by Clark name)."""
    ns, _, name = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    local = _NAMES[tag] = name if ns in (TEI_NS, "") else f"frus:{name}"
    return local


def _raw_text(el: etree._Element) -> str:
    """The element's text, layout whitespace and all (what itertext joins, serialised in C)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _id_attr(el: etree._Element) -> str:
    xml_id = el.get(XML_ID)
    return f' id="{escape_text(xml_id)}"' if xml_id else ""


def _h_inline(el: etree._Element, r: Renderer) -> str:
    cls = _INLINE.get(el.tag)
    if cls is None:
        cls = _INLINE[el.tag] = escape_text(_local(el).replace(":", "-"))
    return f'<span class="tei-{cls}"{_id_attr(el)}>{r.children(el)}</span>'


_INLINE: dict[str, str] = {}  # an inline element's class by its Clark name


def _h_p(el: etree._Element, r: Renderer) -> str:
    pid = el.get(XML_ID) or _paragraph_id(r, el)
    rend = el.get("rend")
    cls = f' class="rend-{escape_text(rend)}"' if rend else ""
    return f'<p id="{escape_text(pid)}"{cls}>{r.children(el)}</p>\n'


def _paragraph_id(r: Renderer, el: etree._Element) -> str:
    """A passage's anchor, from its text (read whole only when its leading text does not decide it)."""
    lead = el.text
    if r.quick is not None and lead:
        # The element's own text opens the text of it all: most paragraphs need no more than that.
        anchor = r.quick(r.doc_id, lead, r.taken, not len(el))  # without children, the text is all there is
        if anchor is not None:
            r.taken.add(anchor)
            return anchor
    text = _raw_text(el)
    if r.anchor is not None:
        anchor = r.anchor(r.doc_id, text, r.taken)
    else:
        # Derived from the paragraph's own words, so edits elsewhere in the document do not move it.
        digest = hashlib.sha1(" ".join(text.split()[:12]).encode()).hexdigest()[:6]
        anchor = f"{r.doc_id}-p{digest}"
        n = 2
        while anchor in r.taken:
            anchor = f"{r.doc_id}-p{digest}-{n}"
            n += 1
    r.taken.add(anchor)
    return anchor


def _h_note(el: etree._Element, r: Renderer) -> str:
    n = el.get("n") or str(len(r.notes) + 1)
    note_id = el.get(XML_ID) or f"{r.doc_id}fn{n}"
    ref_id = f"{note_id}-ref"
    inner = r.children(el) if not len(el) or el[0].tag != f"{{{TEI_NS}}}p" else "".join(
        f"<p>{r.children(p)}</p>" for p in el)
    r.notes.append(Note(note_id, n, Markup(inner), ref_id))
    return (f'<a class="noteref" id="{escape_text(ref_id)}" href="#{escape_text(note_id)}" role="doc-noteref"'
            f' aria-label="Note {escape_text(n)}">{escape_text(n)}</a>')


def _h_pb(el: etree._Element, r: Renderer) -> str:
    n = el.get("n") or ""
    pid = el.get(XML_ID) or f"pg_{n}"
    return f'<a class="pb" id="{escape_text(pid)}" href="#{escape_text(pid)}">[Page {escape_text(n)}]</a>'


def _h_list(el: etree._Element, r: Renderer) -> str:
    items = []
    labelled = any(len(it) and _local(it[0]) == "label" for it in el if _local(it) == "item")
    for child in el:
        local = _local(child)
        if local == "item":
            # Items are passages too (most of the seed is a list): each gets a citable anchor.
            iid = child.get(XML_ID) or _paragraph_id(r, child)
            items.append(f'<li id="{escape_text(iid)}">{r.children(child)}</li>')
        elif local == "head":
            items.append(f'<li class="list-head">{r.children(child)}</li>')
        else:
            items.append(f'<li class="list-extra">{r.node(child)}</li>')
    cls = "labelled" if labelled else ("bulleted" if el.get("type") != "simple" else "simple")
    return f'<ul class="{cls}"{_id_attr(el)}>' + "".join(items) + "</ul>\n"


def _h_label(el: etree._Element, r: Renderer) -> str:
    return f'<span class="label">{r.children(el)}</span> '


def _h_hi(el: etree._Element, r: Renderer) -> str:
    rend = el.get("rend", "")
    tag = {"italic": "i", "strong": "b", "bold": "b", "underline": "u", "superscript": "sup",
           "subscript": "sub"}.get(rend, "span")
    cls = f' class="rend-{escape_text(rend)}"' if tag == "span" and rend else ""
    return f"<{tag}{cls}>{r.children(el)}</{tag}>"


def _h_ref(el: etree._Element, r: Renderer) -> str:
    target = el.get("target", "")
    href, external = r.linker.ref(target) if target else (None, False)
    if not href:
        return f'<span class="ref">{r.children(el)}</span>'
    if external:
        return (f'<a class="ref external" rel="external" href="{escape_text(href)}">{r.children(el)}'
                f'<span class="visually-hidden"> (external)</span></a>')
    return f'<a class="ref" href="{escape_text(r.href(href))}">{r.children(el)}</a>'


def _mention(kind: str, attr: str, plain_cls: str) -> Handler:
    """A handler for persName (corresp) or gloss (target): a link to the index entry with its description."""
    def handler(el: etree._Element, r: Renderer) -> str:
        ident = (el.get(attr) or "").lstrip("#")
        if not ident:
            return f'<span class="{plain_cls}">{r.children(el)}</span>'
        href, desc = r.linker.person(ident) if kind == "person" else r.linker.term(ident)
        if r.in_head:
            return _plain_mention(kind, href, desc, r.children(el), r)
        return r.linker.mention(kind, ident, r.children(el), r.href(href))
    return handler


_h_person = _mention("person", "corresp", "persName")
_h_gloss = _mention("term", "target", "gloss")


def _plain_mention(cls: str, href: str, desc: str, inner: str, r: Renderer) -> str:
    title = f' title="{escape_text(desc)}"' if desc else ""
    return f'<a class="{cls}" href="{escape_text(r.href(href))}"{title}>{inner}</a>'


def _block(tag: str, cls: str) -> Handler:
    def handler(el: etree._Element, r: Renderer) -> str:
        return f'<{tag} class="{cls}"{_id_attr(el)}>{r.children(el)}</{tag}>\n'
    return handler


def _h_div(el: etree._Element, r: Renderer) -> str:
    kind = el.get("type") or "section"
    return f'<section class="tei-div {escape_text(kind)}"{_id_attr(el)}>{r.children(el)}</section>\n'


def _h_head(el: etree._Element, r: Renderer) -> str:
    return f'<h2 class="subhead"{_id_attr(el)}>{r.children(el)}</h2>\n'


def _h_gap(el: etree._Element, r: Renderer) -> str:
    return f'<span class="gap">{r.children(el)}</span>'


def _h_lb(el: etree._Element, r: Renderer) -> str:
    return "<br>"


def _h_table(el: etree._Element, r: Renderer) -> str:
    # Direct children only: a table nested in a cell renders inside that cell, not twice.
    caption: list[str] = []
    rows: list[str] = []
    loose = [_esc(el.text)]
    for child in el:
        local = _local(child)
        if local == "head":
            caption.append(r.children(child))
        elif local == "row":
            cells = _esc(child.text) + "".join(
                (f"<td>{r.children(c)}</td>" if _local(c) == "cell" else r.node(c)) + _esc(c.tail) for c in child)
            rows.append(f"<tr>{cells}</tr>")
        else:
            loose.append(r.node(child))
        loose.append(_esc(child.tail))
    cap = f"<caption>{' '.join(caption)}</caption>" if caption else ""
    return f'<div class="table"{_id_attr(el)}>{"".join(loose)}<table>{cap}{"".join(rows)}</table></div>\n'


def _h_certainty(el: etree._Element, r: Renderer) -> str:
    return ""  # metadata about a value (an inferred date): the page's date line says it in words


def _h_graphic(el: etree._Element, r: Renderer) -> str:
    return ""  # images are not shipped with text sources; the figure's caption still renders


HANDLERS: dict[str, Handler] = {
    "p": _h_p, "note": _h_note, "pb": _h_pb, "list": _h_list, "label": _h_label, "hi": _h_hi,
    "ref": _h_ref, "persName": _h_person, "gloss": _h_gloss, "gap": _h_gap, "lb": _h_lb,
    "head": _h_head, "div": _h_div, "frus:attachment": _h_div, "table": _h_table,
    "graphic": _h_graphic, "certainty": _h_certainty,
    "dateline": _block("p", "dateline"), "closer": _block("div", "closer"),
    "signed": _block("p", "signed"), "opener": _block("div", "opener"),
    "salute": _block("p", "salute"), "postscript": _block("div", "postscript"),
    "quote": _block("blockquote", "quote"), "figure": _block("figure", "figure"),
    "item": _block("div", "item"), "seg": _h_inline,
}


def _handler(tag: str) -> Handler:
    """The handler of an element by its Clark name; names are memoised, the table is read live."""
    return HANDLERS.get(_NAMES.get(tag) or _name(tag), _h_inline)


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
            body.append(_esc(child.tail).strip())
            continue
        body.append(r.node(child))
        body.append(_esc(child.tail).strip())
    return Rendered(head_html, Markup("".join(body)), r.notes)


def plain_title(div: etree._Element) -> str:
    """The head's text without notes: what lists and <title> show (without a head, the number)."""
    head = next(div.iterchildren(_HEAD), None)
    return title_text(head) if head is not None else div.get("n") or ""


_HEAD = f"{{{TEI_NS}}}head"


__all__ = ["tei_to_html", "plain_title", "Rendered", "Note", "HANDLERS", "FRUS_NS"]
