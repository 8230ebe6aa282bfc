"""Citations rendered by citeproc-py with the official CSL styles, a few renders a volume (stand-ins)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .citestore import MISSING, Store, text_case
from .cslstyle import AFTER_QUOTE, UNSHIELD, render_raw, shield, style

# What differs between the documents of one volume travels through citeproc as stand-ins, so a volume
# costs a few renders rather than two per document: the number stays numeric so the style takes it for
# a number, the others are private-use characters that no CSL case rule or formatter touches.
NUMBER = "987654321"
URL = "https://example.invalid/\ue021/"
TITLE = "\ue020"
_PROBE = "of The probe"          # tells the case rules apart: title, capitalize-first, sentence, none …
_CASES = (None, "title", "capitalize-first", "capitalize-all", "sentence", "lowercase", "uppercase")
_PLAIN_TITLE = re.compile(r"[A-Za-z0-9À-ÿ ,.;:()’'\-–/]+")   # cased word by word and nothing else
_PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,6}")
_PLAIN_URL = re.compile(r"[A-Za-z0-9:/._~%-]+")


def case(mode: str | None, title: str) -> str:
    """A title cased by citeproc-py's rule for CSL ``text-case`` ``mode`` (None: unchanged)."""
    return text_case(mode, title)


def _template(item_json: str, style_name: str, note: bool) -> tuple[str, str | None] | None:
    """A citation rendered with stand-ins, and the case rule the style gives the title (None if unclear)."""
    item = json.loads(item_json)
    probe = render_raw({**item, "title": _PROBE}, style_name, note)
    modes = [m for m in _CASES if case(m, _PROBE) in probe]
    if len({case(m, _PROBE) for m in modes}) != 1:
        return None
    cased = case(modes[0], _PROBE)
    if item.get("title") == TITLE and probe.count(cased) == 1 and TITLE not in probe:
        # The stand-in title goes through citeproc untouched, so the probe's rendering with the
        # stand-in put back is that of the item: one citeproc render a volume and style, not two.
        return probe.replace(cased, TITLE), modes[0]
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
    generic = generic_of(item)
    found = template(json.dumps(generic, sort_keys=True, ensure_ascii=False), style_name, note, store)
    return finish(found, item, generic, style_name, note, store)


def generic_of(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its title, number and URL as stand-ins where they are plain, and a fixed id."""
    generic = dict(item, id="item")
    title, url = str(item.get("title", "")), item.get("URL")
    if _PLAIN_TITLE.fullmatch(title):
        generic["title"] = TITLE
    for key in ("number", "chapter-number"):
        if key in item and _PLAIN_NUMBER.fullmatch(str(item[key])):
            generic[key] = NUMBER
    if isinstance(url, str) and _PLAIN_URL.fullmatch(url):
        generic["URL"] = URL
    return generic


def finish(found: tuple[str, str | None] | None, item: dict[str, Any], generic: dict[str, Any], style_name: str,
            note: bool, store: Store | None) -> str:
    """The citation from the generic form's rendering (None: the item rendered as it is)."""
    if found is None:
        item_json = json.dumps(item, sort_keys=True, ensure_ascii=False)
        text = _kept(["raw", item_json, style_name, note], store, lambda: render_raw(item, style_name, note))
    else:
        text, mode = found
        for key in ("number", "chapter-number"):
            if generic.get(key) == NUMBER:
                text = text.replace(NUMBER, str(item[key]))
        if generic.get("URL") == URL:
            text = text.replace(URL, str(item["URL"]))
        if generic.get("title") == TITLE:  # last: a title may hold what looks like a stand-in
            text = text.replace(TITLE, shield(case(mode, str(item.get("title", "")))))
    text = " ".join(text.split())
    for shielded, escaped in UNSHIELD.items():
        if shielded in text:  # str.translate with a table walks a text with curly quotes character by character
            text = text.replace(shielded, escaped)
    if quoting(style_name, store):
        # The locale asks for American punctuation ("…,” not "…”,"); citeproc-py reads the
        # option but does not apply it (its Quoted.quote leaves it commented out).
        text = AFTER_QUOTE.sub("\\1\u201d", text)
    return text


def quoting(style_name: str, store: Store | None) -> bool:
    """Whether the style moves a comma or period inside closing quotes, asked once a process and style."""
    return bool(_kept(["quote", style_name], store, lambda: _quote_punctuation(style_name), name=("quote", style_name)))


def _quote_punctuation(style_name: str) -> bool:
    return str(style(style_name).root.get_locale_option("punctuation-in-quote")).lower() == "true"
