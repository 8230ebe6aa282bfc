"""Nothing lost, end to end: telegram text → TEI → HTML keeps every character, or fails with a position.

The generator builds each telegram from pieces and knows, piece by piece, which text must reach the
TEI (words, labels, note texts) and which markers must not (note numbers glued to words, '[Page N]',
bullets, the notes list's numbers, front matter). Profiles: tests/hypothesis_profiles.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from despatch.errors import SourceError
from despatch.render.html import tei_to_html
from despatch.render.linker import Linker
from despatch.sources.text import convert_text
from despatch.tei.xmlio import NSMAP, TEI_NS, XML_ID
from hypothesis_profiles import profile, slow

# No 'g' among the letters, so no word spells '[Page'; digits come as whole numbers, apart from words.
LETTERS = "abcdefhijklmnopqrstuvwxyzABCDEFHIJKLMNOPQRSTUVWXYZéüçßøÆ" + "שלום" + "سلام" + "αβγ" + "жд" + "中文"
MARKS = "\u0301\u0308\u0327\u0651"                      # combining accents, Arabic shadda
INVISIBLE = "\u200b\u200c\u200d\u2060\u200e\u200f\ufeff"  # zero-width, joiners, direction marks, ZWNBSP
SPACES = "\u00a0\u202f\u2007"                           # no-break spaces stay inside words
PUNCT = ".,;:()’”“\"'–—-%/§<>&*_#!?[]"
# A word is never all spaces: a line of nothing but (no-break) spaces is a blank line (docs/robustness.md).
WORD = st.text(st.sampled_from(list(LETTERS + MARKS + INVISIBLE + SPACES + PUNCT)), min_size=1,
               max_size=8).filter(lambda w: w.strip() != "")
LETTER_WORD = st.text(st.sampled_from(list(LETTERS)), min_size=1, max_size=8)
# Numbers never end in a digit that could be a note number (1 to 5): "telegram 2181" is telegram 218
# and note 1 by the format's own ambiguity, which the converter settles by the notes' sequence.
NUMBER = st.tuples(st.integers(1, 9_999).map(str), st.sampled_from("06789")).map("".join)
TOKEN = st.one_of(WORD, WORD, WORD, LETTER_WORD, NUMBER)
# What a note reference is glued to in real copies: a letter or closing punctuation.
GLUE = set(LETTERS) | set(".,;:)”’\"'")
WS = re.compile(r"[ \t\r\n]+")


def squash(text: str) -> str:
    """Text without the whitespace the layout may change (line breaks, indentation, spacing)."""
    return WS.sub("", text)


@dataclass
class Telegram:
    """A generated source and the text its TEI must hold: the main text and each note's text."""

    text: str
    main: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@st.composite
def telegrams(draw: st.DrawFn) -> Telegram:
    nnotes = draw(st.integers(0, 5))
    source = nnotes > 0 and draw(st.booleans())
    n = draw(st.integers(1, 999))
    title_words = draw(st.lists(TOKEN, max_size=5)) + [draw(LETTER_WORD)]
    title = f"{n}. Telegram " + " ".join(title_words)
    out = Telegram("", main=[title])

    # Blocks of words; references are glued later, in reading order.
    blocks: list[tuple[str, list[str]]] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["p", "p", "lines", "bullets", "labels", "page"]))
        blocks.append((kind, draw(st.lists(TOKEN, min_size=1, max_size=10))))
    refs = list(range(1, nnotes)) if source else list(range(1, nnotes + 1))
    slots = [(b, w) for b, (kind, words) in enumerate(blocks) if kind != "page"
             for w, word in enumerate(words) if word[-1] in GLUE]
    if len(slots) < len(refs):
        blocks.append(("p", draw(st.lists(LETTER_WORD, min_size=len(refs), max_size=len(refs) + 3))))
        slots += [(len(blocks) - 1, w) for w in range(len(blocks[-1][1]))]
    chosen = sorted(draw(st.lists(st.sampled_from(slots), min_size=len(refs), max_size=len(refs), unique=True))
                    if refs else [])
    glued = {slot: str(r) for slot, r in zip(chosen, refs)}

    page = draw(st.integers(1, 900))
    parts: list[str] = []
    for b, (kind, words) in enumerate(blocks):
        shown = [w + glued.get((b, i), "") for i, w in enumerate(words)]
        if kind == "page":
            page += 1
            parts.append(f"[Page {page}]")
            continue
        kept = list(words)
        if kind != "labels" and draw(st.booleans()):
            page += draw(st.integers(1, 3))
            shown.insert(draw(st.integers(1, len(shown))), f"[Page {page}]")
        if kind == "p":
            parts.append(" ".join(shown))
        elif kind == "lines":
            cut = max(1, len(shown) // 2)
            rest = shown[cut:] or ["end"]
            parts.append(" ".join(shown[:cut]) + "\n" + " ".join(rest))
            kept += [] if shown[cut:] else ["end"]
        elif kind == "bullets":
            parts.append("\n".join(f"{'  ' * draw(st.integers(1, 2))}• {w}" for w in shown))
        else:
            parts.append("\n".join(f"{i + 1}.\n{w}" for i, w in enumerate(shown)))
            kept = [x for i, w in enumerate(words) for x in (f"{i + 1}.", w)]
        out.main.extend(kept)
    for i in range(nnotes):
        words = draw(st.lists(TOKEN, min_size=1, max_size=6))
        if i == 0 and source:
            words = ["Source:"] + words
        out.notes.append(" ".join(words))
    front = ""
    if draw(st.booleans()):
        front = f"---\nvolume: frus1961-63v13\nid: d{n}\n---\n"
    notes = "\n".join(f"  {i + 1}. {t}" for i, t in enumerate(out.notes))
    out.text = (front + title + ("0" if source else "") + "".join("\n\n" + p for p in parts)
                + ("\n\n" + notes if notes else "") + draw(st.sampled_from(["", "\n"])))
    return out


def tei_texts(div: etree._Element) -> tuple[str, list[str]]:
    """The TEI's main text (notes and editorial statements of certainty left out) and each note's text."""
    notes: list[str] = []

    def own(el: etree._Element, skip_notes: bool) -> str:
        parts = [el.text or ""]
        for child in el:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "note" and skip_notes:
                notes.append(own(child, True))
            elif name != "certainty" and isinstance(child.tag, str):
                parts.append(own(child, skip_notes))
            parts.append(child.tail or "")
        return "".join(parts)

    main = own(div, True)
    return main, notes


def check_conversion(tg: Telegram) -> etree._Element | None:
    """Convert; on success the TEI holds exactly the expected text, on failure a positioned error."""
    try:
        conv = convert_text(tg.text, "gen.txt", "frus1961-63v13")
    except SourceError as exc:
        nlines = tg.text.count("\n") + 1
        for d in exc.diagnostics:
            assert d.path == "gen.txt" and 1 <= d.line <= nlines and d.col >= 1 and d.message
            assert str(d).startswith(f"gen.txt:{d.line}:{d.col}: error: ")
            assert d.expected or d.found
        return None
    main, notes = tei_texts(conv.div)
    assert squash(main) == squash(" ".join(tg.main))
    assert [squash(n) for n in notes] == [squash(n) for n in tg.notes]
    return conv.div


class TextOf(HTMLParser):
    """The text a browser shows for an HTML fragment, and its tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def in_order(needle: str, hay: str) -> bool:
    """Whether every character of ``needle`` occurs in ``hay`` in the same order."""
    it = iter(hay)
    return all(ch in it for ch in needle)


def first_missing(needle: str, hay: str) -> str:
    """Where ``needle`` stops occurring in order in ``hay``: for a readable failure."""
    pos = 0
    for i, ch in enumerate(needle):
        found = hay.find(ch, pos)
        if found < 0:
            return f"lost {needle[i:i + 20]!r} after {needle[max(0, i - 20):i]!r}"
        pos = found + 1
    return ""


SAFE_TAGS = {"p", "a", "span", "ul", "li", "i", "b", "u", "sup", "sub", "section", "h2", "br", "div", "table",
             "tr", "td", "blockquote", "figure", "caption", "th", "thead", "tbody", "em", "strong"}


def check_rendering(div: etree._Element) -> None:
    """Every character of the TEI's text reaches the page, in order; no markup comes from the text."""
    rendered = tei_to_html(div, "v/d1/", Linker("v", frozenset({("v", "d1")}),
                                                "https://history.state.gov/historicaldocuments/"))
    page = TextOf(str(rendered.head_html) + str(rendered.body_html))
    main, notes = tei_texts(div)
    assert in_order(squash(main), squash(page.text)), first_missing(squash(main), squash(page.text))
    shown = [TextOf(str(n.html)) for n in rendered.notes]
    assert len(shown) == len(notes)
    for note in notes:
        assert any(in_order(squash(note), squash(s.text)) for s in shown), note
    for parsed in [page, *shown]:
        for tag, attrs in parsed.tags:
            assert tag in SAFE_TAGS, tag
            assert not any(a.startswith("on") or a == "style" for a in attrs), attrs


@profile()
@given(telegrams())
def test_telegrams_convert_and_render_with_nothing_lost(tg: Telegram) -> None:
    div = check_conversion(tg)
    if div is not None:
        check_rendering(div)


@profile()
@given(telegrams(), st.sampled_from(["\r\n", "\r"]), st.booleans())
def test_line_ends_and_bom_change_nothing(tg: Telegram, newline: str, bom: bool) -> None:
    from despatch.sources.text import convert_bytes

    data = (("\ufeff" if bom else "") + tg.text.replace("\n", newline)).encode("utf-8")
    try:
        conv = convert_bytes(data, "gen.txt", "frus1961-63v13")
    except SourceError as exc:
        with pytest.raises(SourceError) as plain:
            convert_text(tg.text, "gen.txt", "frus1961-63v13")
        assert [(d.line, d.col, d.message) for d in exc.diagnostics] == \
            [(d.line, d.col, d.message) for d in plain.value.diagnostics]
        return
    assert etree.tostring(conv.div) == etree.tostring(convert_text(tg.text, "gen.txt", "frus1961-63v13").div)


# --- Any TEI renders with its text, whatever its elements and attributes ----------------------

XML_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | \
    st.sampled_from(["\n", "\t", "<", "&", '"', "'", ">", "<script>", "\u00a0", "\u200b", "\u0301"])
XML_TEXT = st.lists(XML_CHARS, max_size=12).map("".join)
INLINE = ["hi", "note", "ref", "persName", "gloss", "gap", "seg", "placeName", "date", "pb", "lb", "unknownThing"]
BLOCK = ["p", "list", "quote", "table", "figure", "dateline", "closer", "div", "frus:attachment", "pb", "head"]
# What each element may hold, after TEI's content models: None is mixed content (text and INLINE),
# a list is element-only content (whitespace between those children), [] is an empty element.
MODEL: dict[str, list[str] | None] = {
    "p": None, "hi": None, "note": None, "ref": None, "persName": None, "gloss": None, "seg": None,
    "placeName": None, "date": None, "unknownThing": None, "head": None, "label": None, "item": None,
    "dateline": None, "signed": None, "salute": None, "quote": None, "cell": None, "desc": None,
    "closer": None, "list": ["item", "label", "head", "pb"], "table": ["head", "row"], "row": ["cell"],
    "figure": ["head", "p", "graphic"], "div": BLOCK, "frus:attachment": BLOCK, "gap": ["desc"],
    "pb": [], "lb": [], "graphic": [],
}
ATTRS = ["rend", "target", "n", "corresp", "type", "when"]
SPACE = st.sampled_from(["", " ", "\n  "])


@st.composite
def tei_element(draw: st.DrawFn, name: str, depth: int = 0) -> etree._Element:
    ns = "http://history.state.gov/frus/ns/1.0" if name.startswith("frus:") else TEI_NS
    el = etree.Element(f"{{{ns}}}{name.split(':')[-1]}")
    for attr in draw(st.lists(st.sampled_from(ATTRS), max_size=3, unique=True)):
        el.set(attr, draw(XML_TEXT))
    model = MODEL[name]
    if model == []:
        return el
    mixed = model is None
    el.text = draw(XML_TEXT if mixed else SPACE)
    names = [draw(st.sampled_from(INLINE if mixed else model)) for _ in range(draw(st.integers(0, 3 if depth < 4 else 0)))]
    if not mixed and name != "div" and name != "frus:attachment":
        # A head comes first (TEI's models for list, table and figure), at most once.
        names = ["head"] * ("head" in names) + [n for n in names if n != "head"]
    for child_name in names:
        child = draw(tei_element(child_name, depth + 1))
        child.tail = draw(XML_TEXT if mixed else SPACE)
        el.append(child)
    return el


@st.composite
def tei_documents(draw: st.DrawFn) -> str:
    div = etree.Element(f"{{{TEI_NS}}}div", nsmap=NSMAP)
    div.set("type", "document")
    div.set(XML_ID, "d1")
    head = etree.SubElement(div, f"{{{TEI_NS}}}head")
    head.text = draw(XML_TEXT)
    for name in draw(st.lists(st.sampled_from(BLOCK), max_size=4)):
        child = draw(tei_element(name))
        child.tail = draw(SPACE)
        div.append(child)
    for k, note in enumerate(div.iter(f"{{{TEI_NS}}}note")):
        note.set(XML_ID, f"d1fn{k}")   # distinct, as in every FRUS document
    return etree.tostring(div, encoding="unicode")   # readable when hypothesis shows a failing case


@profile()
@given(tei_documents())
def test_any_tei_renders_every_character(xml: str) -> None:
    check_rendering(etree.fromstring(xml))


@pytest.mark.slow
@slow()
@given(telegrams())
def test_telegrams_nothing_lost_many(tg: Telegram) -> None:
    div = check_conversion(tg)
    if div is not None:
        check_rendering(div)


@pytest.mark.slow
@slow()
@given(tei_documents())
def test_any_tei_renders_every_character_many(xml: str) -> None:
    check_rendering(etree.fromstring(xml))
