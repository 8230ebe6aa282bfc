"""TEI elements → HTML: one small handler per element, in a dispatch table by local name."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from markupsafe import Markup

from ..tei.xmlio import TEI_NS, XML_ID
from .markup import esc, id_attr, local_name, raw_text
from .text import escape_text

if TYPE_CHECKING:
    from .html import Renderer

Handler = Callable[[etree._Element, "Renderer"], str]


@dataclass
class Note:
    """A rendered note: its anchor, printed number and content."""

    id: str
    n: str
    html: Markup
    ref_id: str


def h_inline(el: etree._Element, r: Renderer) -> str:
    cls = _INLINE.get(el.tag)
    if cls is None:
        cls = _INLINE[el.tag] = escape_text(local_name(el).replace(":", "-"))
    return f'<span class="tei-{cls}"{id_attr(el)}>{r.children(el)}</span>'


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
    text = raw_text(el)
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
    labelled = any(len(it) and local_name(it[0]) == "label" for it in el if local_name(it) == "item")
    for child in el:
        local = local_name(child)
        if local == "item":
            # Items are passages too (most of the seed is a list): each gets a citable anchor.
            iid = child.get(XML_ID) or _paragraph_id(r, child)
            items.append(f'<li id="{escape_text(iid)}">{r.children(child)}</li>')
        elif local == "head":
            items.append(f'<li class="list-head">{r.children(child)}</li>')
        else:
            items.append(f'<li class="list-extra">{r.node(child)}</li>')
    cls = "labelled" if labelled else ("bulleted" if el.get("type") != "simple" else "simple")
    return f'<ul class="{cls}"{id_attr(el)}>' + "".join(items) + "</ul>\n"


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
        return f'<{tag} class="{cls}"{id_attr(el)}>{r.children(el)}</{tag}>\n'
    return handler


def _h_div(el: etree._Element, r: Renderer) -> str:
    kind = el.get("type") or "section"
    return f'<section class="tei-div {escape_text(kind)}"{id_attr(el)}>{r.children(el)}</section>\n'


def _h_head(el: etree._Element, r: Renderer) -> str:
    return f'<h2 class="subhead"{id_attr(el)}>{r.children(el)}</h2>\n'


def _h_gap(el: etree._Element, r: Renderer) -> str:
    return f'<span class="gap">{r.children(el)}</span>'


def _h_lb(el: etree._Element, r: Renderer) -> str:
    return "<br>"


def _h_table(el: etree._Element, r: Renderer) -> str:
    # Direct children only: a table nested in a cell renders inside that cell, not twice.
    caption: list[str] = []
    rows: list[str] = []
    loose = [esc(el.text)]
    for child in el:
        local = local_name(child)
        if local == "head":
            caption.append(r.children(child))
        elif local == "row":
            cells = esc(child.text) + "".join(
                (f"<td>{r.children(c)}</td>" if local_name(c) == "cell" else r.node(c)) + esc(c.tail) for c in child)
            rows.append(f"<tr>{cells}</tr>")
        else:
            loose.append(r.node(child))
        loose.append(esc(child.tail))
    cap = f"<caption>{' '.join(caption)}</caption>" if caption else ""
    return f'<div class="table"{id_attr(el)}>{"".join(loose)}<table>{cap}{"".join(rows)}</table></div>\n'


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
    "item": _block("div", "item"), "seg": h_inline,
}
