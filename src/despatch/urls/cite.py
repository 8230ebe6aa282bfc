"""Citations of a document, rendered at build time with citeproc-py and the official CSL styles."""

from __future__ import annotations

import re
from typing import Any

from ..model import DocRecord
from ..render.jsontext import dumps_indented
from ..volume import Volume
from .citestore import Store, store_for
from .csl import render
from .cslform import Form
from .cslstyle import CHICAGO, MLA
from .formats import bibtex, ris
from .scheme import is_absolute
from .standins import percent

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


def citation_store(config: Any) -> Store | None:
    """Where renderings are kept for the build's configuration (None without a build folder)."""
    build_dir = getattr(config, "build_dir", None)
    return store_for(str(build_dir), (CHICAGO, MLA)) if build_dir is not None else None


def citations(volume: Volume, rec: DocRecord, url: str, config: Any) -> dict[str, str]:
    """Chicago (full note) and MLA as HTML, plus BibTeX, RIS and CSL-JSON texts for download."""
    item = csl_item(volume, rec, url, config)
    chicago, mla = styled(item, config)
    return {"chicago": chicago, "mla": mla, **references(volume, rec, item)}


def styled(item: dict[str, Any], config: Any, forms: tuple[Form, Form] | None = None) -> tuple[str, str]:
    """A CSL item as Chicago's full note and MLA's works-cited entry, in HTML (``forms``: renderers
    kept for the items of one pattern, see cslform.Form)."""
    chicago_item = {k: v for k, v in item.items() if k != "number"}
    if "number" in item:
        chicago_item["chapter-number"] = item["number"]
    if forms is not None:
        return forms[0](chicago_item), forms[1](item)
    store = citation_store(config)
    return render(chicago_item, CHICAGO, note=True, store=store), render(item, MLA, note=False, store=store)


def forms(config: Any) -> tuple[Form, Form]:
    """The renderers ``styled`` may keep for the items of one pattern: Chicago's note, MLA's entry."""
    store = citation_store(config)
    return Form(CHICAGO, True, store), Form(MLA, False, store)


def references(volume: Volume, rec: DocRecord, item: dict[str, Any]) -> dict[str, str]:
    """The BibTeX, RIS and CSL-JSON texts of a document's CSL item, and its URL."""
    return {
        "bibtex": bibtex(volume, rec, item),
        "ris": ris(volume, item),
        "csl_json": dumps_indented([item], indent=2) + "\n",
        "url": item.get("URL", ""),
    }


def data_url(text: str, media_type: str) -> str:
    """A download carried by the page itself: no file a document, and it works offline and from disk."""
    # quote(text, safe="") byte for byte; the table is read by map, not by quote's per-byte Python loop.
    return f"data:{media_type};charset=utf-8," + percent(text)


def downloads(rec: DocRecord, cites: dict[str, str]) -> list[dict[str, str]]:
    """The page's download links: label, file name, media type and the data URL of each format."""
    return [{"label": label, "filename": f"{rec.id}.{suffix}", "type": media, "href": data_url(cites[key], media)}
            for key, label, suffix, media in DOWNLOADS]
