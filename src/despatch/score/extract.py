"""What the score compares, read from a TEI document div: text, notes, pages, title, date, signature.

Positions are counted in non-whitespace characters of the running text (notes, datelines and
certainty statements left out), so two encodings that differ only in whitespace or nesting agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..tei.xmlio import FRUS_NS, TEI_NS

INLINE = {"persName", "gloss", "hi", "placeName", "date", "ref", "orgName", "rs", "term", "name"}
DASHES = {"–", "—"}
SKIP = {"dateline", "certainty"}


@dataclass
class DocView:
    """The measurable content of one document."""

    text: list[str] = field(default_factory=list)          # running text, one char per item
    notes: dict[str, tuple[int, str]] = field(default_factory=dict)   # n → (position, text)
    pages: dict[str, int] = field(default_factory=dict)    # n → position
    title: str = ""
    source_in_head: bool = False
    date: str | None = None
    signature: str | None = None
    losses: list[str] = field(default_factory=list)        # what the copy format cannot carry

    @property
    def body(self) -> str:
        return "".join(self.text)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _lone_dash(el: etree._Element) -> bool:
    """A tail that is only a dash between two inline elements: the copy format drops it."""
    nxt = el.getnext()
    return (el.tail is not None and el.tail.strip() in DASHES and _local(el) in INLINE
            and nxt is not None and _local(nxt) in INLINE)


def note_text(note: etree._Element, view: DocView, project: bool) -> str:
    """A note's text without whitespace (lone dashes dropped when projecting the official TEI)."""
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        out.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            if project and _lone_dash(child):
                view.losses.append(f"dash in note {note.get('n')}: '{child.tail.strip()}'")  # type: ignore[union-attr]
            else:
                out.append(child.tail or "")
    walk(note)
    return _squash("".join(out))


def view_of(div: etree._Element, project: bool = False) -> DocView:
    """Read a document div; ``project`` applies the copy format's known losses (official TEI)."""
    view = DocView()

    def add(s: str | None) -> None:
        if s:
            view.text.extend(_squash(s))

    def walk(el: etree._Element, in_head: bool) -> None:
        add(el.text)
        for child in el:
            name = _local(child)
            if name == "note":
                view.notes[child.get("n", "")] = (len(view.text), note_text(child, view, project))
                if in_head and child.get("n") == "0":
                    view.source_in_head = True
            elif name == "pb":
                view.pages[child.get("n", "")] = len(view.text)
            elif name in SKIP or not name:
                pass
            else:
                walk(child, in_head or name == "head")
            if project and _lone_dash(child):
                view.losses.append(f"dash between {_local(child)} and {_local(child.getnext())}: "
                                   f"'{child.tail.strip()}'")  # type: ignore[union-attr]
            else:
                add(child.tail)

    walk(div, False)
    head = div.find(f"{{{TEI_NS}}}head")
    if head is not None:
        view.title = " ".join(_text_without_notes(head).split())
    signed = div.findall(f".//{{{TEI_NS}}}closer/{{{TEI_NS}}}signed")
    if signed:
        view.signature = " ".join(" ".join(_text_without_notes(s) for s in signed).split())
    when = div.get(f"{{{FRUS_NS}}}doc-dateTime-min")
    if not when:
        date = div.find(f"{{{TEI_NS}}}dateline//{{{TEI_NS}}}date[@when]")
        when = date.get("when") if date is not None else None
    view.date = when[:10] if when else None
    return view


def _text_without_notes(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if _local(child) not in ("note", "certainty") and isinstance(child.tag, str):
            parts.append(_text_without_notes(child))
        parts.append(child.tail or "")
    return "".join(parts)
