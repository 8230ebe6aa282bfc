"""Add the apparatus to a TEI document div: citations, cross-references, persons and terms.

Every pass only wraps runs of existing text in new elements (see ``wrap.apply_spans``), never
inside markup that is already there, so imported official TEI keeps its own encoding and no
character of any text is lost. The encoding is described in docs/apparatus.md; the notes' citations
are encoded in bibls.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from ..tei.xmlio import XML_ID, t
from .bibls import LINKED, enrich_citations
from .context import ApparatusContext
from .persons import split_words
from .placing import place
from .wrap import Span, apply_spans, content_text, element, local, text_slots
from .xrefs import XrefState, find_xrefs, has_hint, has_hint_utf8

XREF_SKIP = LINKED | {"date"}
NAME_SKIP = LINKED | {"date", "placeName", "name", "rs", "term", "label"}

_HI = t("hi")


def enrich(div: etree._Element, ctx: ApparatusContext) -> None:
    """Encode the apparatus of one document div in place."""
    doc_id = div.get(XML_ID) or ""
    ctx.placed = enrich_citations(div, doc_id)
    enrich_xrefs(div, doc_id, ctx.volume)
    enrich_names(div, ctx)


def enrich_xrefs(div: etree._Element, doc_id: str, volume: str = "") -> None:
    """Wrap cross-references in ``ref target``; "footnote 1 thereto" follows the last document."""
    state = XrefState(doc_id, volume=volume)
    enrich_italic_series(div, doc_id)
    # The text as bytes: serialized, not decoded too.
    if not has_hint_utf8(etree.tostring(div, method="text", encoding="UTF-8", with_tail=False)):
        return  # every text node is part of the whole text: none can hold a reference
    # Texts without a hint word give no hits and leave the state alone: they are not listed.
    for slot in list(text_slots(div, XREF_SKIP, has_hint)):
        hits = find_xrefs(slot.value, state)
        apply_spans(slot, [(s, e, _ref(target)) for s, e, target in hits])


def enrich_italic_series(div: etree._Element, doc_id: str) -> None:
    """"<hi>Foreign Relations, 1961–1963</hi>, volume VIII, Document 49": one ref over both parts.

    The series title is italic in print, so its words and the volume's are in different text
    nodes; the reference is found in their joined text and wraps the hi with the text after it.
    """
    for hi in list(div.iter(_HI)):
        parent = hi.getparent()
        text = content_text(hi)
        if parent is None or not hi.tail or not SERIES.fullmatch(text) or _inside(hi, XREF_SKIP):
            continue
        hits = [h for h in find_xrefs(text + hi.tail, XrefState(doc_id)) if h[0] == 0 and h[1] > len(text)]
        if hits:
            offset = len(parent.text or "") + sum(len(content_text(c)) + len(c.tail or "")
                                                  for c in hi.itersiblings(preceding=True))
            place(parent, offset, offset + hits[0][1], element("ref", "", target=hits[0][2]), XREF_SKIP)


SERIES = re.compile(r"Foreign\s+Relations(?:\s+of\s+the\s+United\s+States)?(?:,\s+\d{4}(?:[–-]\d{4})?)?,?")


def _inside(el: etree._Element, names: frozenset[str]) -> bool:
    return any(local(a) in names for a in el.iterancestors())


def _ref(target: str) -> Callable[[str], etree._Element]:
    return lambda text: element("ref", text, target=target)


def enrich_names(div: etree._Element, ctx: ApparatusContext) -> None:
    """Link mentions of listed persons (``persName corresp``) and terms (``gloss target``)."""
    persons, terms = ctx.person_matcher, ctx.term_matcher
    for el in div.iter(t("persName"), t("gloss")):
        # Existing markup without a link gets one when its text names exactly one entry.
        text = "".join(el.itertext()).strip()
        if local(el) == "persName" and not el.get("corresp") and text in persons.forms:
            el.set("corresp", f"#{persons.forms[text]}")
        elif local(el) == "gloss" and not el.attrib and text in terms.forms:
            el.set("target", f"#{terms.forms[text]}")
    if not persons.by_first and not terms.by_first:
        return
    for slot in list(text_slots(div, NAME_SKIP)):
        text = slot.value
        words = split_words(text)  # once for both lists
        spans: list[Span] = [(s, e, _linked("persName", "corresp", pid)) for s, e, pid in persons.find(text, words)]
        taken = [(s, e) for s, e, _ in spans]
        for s, e, tid in terms.find(text, words):
            if all(e <= a or s >= b for a, b in taken):
                spans.append((s, e, _linked("gloss", "target", tid)))
        apply_spans(slot, spans)


def _linked(name: str, attr: str, ident: str) -> Callable[[str], etree._Element]:
    return lambda text: element(name, text, **{attr: f"#{ident}"})
