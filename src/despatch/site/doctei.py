"""A document's TEI file as the render writes it: its cached div in its volume's shell, checked, linked."""

from __future__ import annotations

import os

from lxml import etree

from ..apparatus.dates import set_range
from ..errors import Diagnostic
from ..files import write_file
from ..model import DocRecord
from ..sources.base import Converted
from ..tei.assemble import assembled_tei, header_valid, header_validated
from ..tei.document import build_tei, head_text
from ..tei.xmlio import f, parse_own, serialize
from ..validate.schema import validate_tei
from ..volume import Volume


def document_tei(stashed: bytes, rec: DocRecord, volume: Volume) -> tuple[etree._Element, bytes, list[Diagnostic]]:
    """The document's div inside its TEI file, the file's bytes, and what the schema says of it."""
    div = parse_own(stashed, rec.source)
    if head_text(div) == rec.title:
        # The file joined from the volume's shell and the div's bytes (serialised again only when the
        # date below changed the div): no header built, nor parsed, for the document.
        bound = _bound(rec, div)
        data = assembled_tei(etree.tostring(div, encoding="UTF-8") if bound else stashed, volume, rec.source,
                             rec.title)
        if data is not None:
            if header_valid(volume, rec.source):
                diags = validate_tei(div, rec.source)  # the header is valid: the div alone decides
            else:
                diags = validate_tei(parse_own(data, rec.source), rec.source)
                if not diags:
                    header_validated(volume, rec.source)
            if not diags:
                return div, data, []
    # An invalid document too: its messages give the lines of the div as cached, as they always did.
    div = parse_own(stashed, rec.source)
    _bound(rec, div)
    tree = build_tei(Converted(div=div, path=rec.source), volume, rec.source)
    return div, serialize(tree), list(validate_tei(tree, rec.source))


def _bound(rec: DocRecord, div: etree._Element) -> bool:
    """Whether the div took the dates of its neighbours (an undated document the edition bounded by them)."""
    if rec.date_min and not div.get(f("doc-dateTime-min")) and rec.date_basis.startswith("neighbours"):
        # The edition-wide stage bounded this undated document by its neighbours: say so in the TEI.
        _, before, after = rec.date_basis.split(" ")
        set_range(div, rec.date_min, rec.date_max or rec.date_min,
                  f"bounded by the dates of the neighbouring documents {before} and {after}")
        return True
    return False


def link_in(source: str, target: str) -> None:
    """Give ``source`` a second name; copy where the file system cannot link (another device)."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link_in(source, target)
    except FileExistsError:
        os.unlink(target)
        link_in(source, target)
    except OSError:
        with open(source, "rb") as src:
            write_file(target, src.read())
