"""BibTeX and RIS records of a document, written from its CSL item (fixed field order: deterministic)."""

from __future__ import annotations

import re
from typing import Any

from ..model import DocRecord
from ..volume import Volume

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(k) for k in _BIBTEX_SPECIAL))


def tex(text: str) -> str:
    """Escape LaTeX's special characters; other Unicode stays as it is (biber and bibtexu read it)."""
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(text.split()))


def name_text(name: dict[str, str], comma: bool = True) -> str:
    """A CSL name as "Family, Given" (or "Family, Suffix, Given" when there is a suffix)."""
    if "literal" in name:
        return name["literal"]
    parts = [name.get("family", "")] + ([name["suffix"]] if name.get("suffix") else []) + [name.get("given", "")]
    return ", ".join(p for p in parts if p) if comma else " ".join(p for p in parts if p)


def bibtex(volume: Volume, rec: DocRecord, item: dict[str, Any]) -> str:
    """An ``@incollection`` entry; ``type = {Document}`` makes BibTeX styles print "Document 245"."""
    fields: list[tuple[str, str]] = []
    if item.get("author"):
        # Double braces keep a corporate author from being split into given and family names.
        fields.append(("author", " and ".join("{" + tex(name_text(a)) + "}" if "literal" in a else tex(name_text(a))
                                                for a in item["author"])))
    fields.append(("title", "{" + tex(item["title"]) + "}"))
    fields.append(("booktitle", "{" + tex(volume.title) + "}"))
    if item.get("editor"):
        fields.append(("editor", " and ".join(tex(name_text(e)) for e in item["editor"])))
    if volume.series:
        fields.append(("series", tex(volume.series)))
    if volume.volume:
        fields.append(("volume", tex(volume.volume)))
    if rec.n:
        fields.extend([("type", "Document"), ("chapter", tex(rec.n))])
    for key, value in (("publisher", volume.publisher), ("address", volume.pub_place)):
        if value:
            fields.append((key, tex(value)))
    if item.get("issued"):
        fields.append(("year", str(item["issued"]["date-parts"][0][0])))
    if item.get("URL"):
        # The url package reads the field verbatim; only braces would break the entry.
        fields.append(("url", item["URL"].replace("{", "%7B").replace("}", "%7D")))
    fields.append(("language", "english"))
    body = "".join(f"  {key} = {{{value}}},\n" for key, value in fields)
    return f"@incollection{{{item['id']},\n{body}}}\n"


def ris(volume: Volume, item: dict[str, Any]) -> str:
    """A RIS record (type CHAP), with CRLF line ends as the RIS specification has them."""
    lines: list[tuple[str, str]] = [("TY", "CHAP")]
    lines += [("AU", name_text(a)) for a in item.get("author", [])]
    lines.append(("TI", item["title"]))
    lines.append(("T2", volume.title))
    lines += [("ED", name_text(e)) for e in item.get("editor", [])]
    if volume.series:
        lines.append(("T3", volume.series))
    if volume.volume:
        lines.append(("VL", volume.volume))
    if item.get("number"):
        lines.append(("SE", f"Document {item['number']}"))
    for tag, value in (("PB", volume.publisher), ("CY", volume.pub_place)):
        if value:
            lines.append((tag, value))
    if item.get("issued"):
        lines.append(("PY", str(item["issued"]["date-parts"][0][0])))
    if item.get("URL"):
        lines.append(("UR", item["URL"]))
    lines.append(("LA", "en"))
    lines.append(("ER", ""))
    # "ER  - " keeps its trailing space: the tag, two spaces, a hyphen and a space, as on every line.
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines)
