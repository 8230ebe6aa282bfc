"""Extract the small DocRecord that edition-wide indexes need from a converted document."""

from __future__ import annotations

import re

from ..model import DocRecord
from ..render.html import plain_title
from ..sources.base import Converted
from ..tei.xmlio import NS, XML_ID, f

_TYPES = (
    ("editorial-note", re.compile(r"\bEditorial Note\b")),
    ("telegram", re.compile(r"\bTelegram\b")),
    ("memorandum-of-conversation", re.compile(r"\bMemorandum of (a )?Conversation\b")),
    ("memorandum", re.compile(r"\bMemorandum\b")),
    ("letter", re.compile(r"\bLetter\b")),
    ("despatch", re.compile(r"\bDespatch\b")),
    ("note", re.compile(r"\bNote\b")),
    ("paper", re.compile(r"\b(Paper|Report|Study|Estimate)\b")),
)
_CLASSIFICATION = re.compile(r"\b(Top Secret|Secret|Confidential|Limited Official Use|Official Use Only|Unclassified)\b")


def doc_type(title: str) -> str:
    """The document type facet from the title ("Telegram From …" → telegram)."""
    for name, pattern in _TYPES:
        if pattern.search(title):
            return name
    return "other"


def extract_record(conv: Converted, volume: str, order: int) -> DocRecord:
    """Summarise a converted document for the edition's indexes."""
    div = conv.div
    doc_id = div.get(XML_ID) or ""
    title = plain_title(div)
    source_note = div.find("tei:head/tei:note[@type='source']", NS)
    if source_note is None:
        source_note = div.find("tei:head/tei:note[@n='0']", NS)
    classification = ""
    if source_note is not None:
        m = _CLASSIFICATION.search("".join(source_note.itertext()))
        classification = m.group(1) if m else ""
    line = conv.lines.get(doc_id, 1)
    return DocRecord(
        volume=volume,
        id=doc_id,
        n=div.get("n") or "",
        title=title,
        source=conv.path,
        order=order,
        date_min=div.get(f("doc-dateTime-min")),
        date_max=div.get(f("doc-dateTime-max")),
        doc_type=doc_type(title),
        classification=classification,
        pages=[pb.get("n") or "" for pb in div.iterfind(".//tei:pb", NS)],
        anchors=[el.get(XML_ID) for el in div.iter() if isinstance(el.tag, str) and el.get(XML_ID)],
        refs=[(ref.get("target") or "", conv.lines.get(ref.get(XML_ID) or "", line))
              for ref in div.iterfind(".//tei:ref[@target]", NS)],
    )
