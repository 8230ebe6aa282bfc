"""Telegram text → TEI document div: the stages in order (front matter, title, notes, markers,
references, blocks, TEI, date)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ...apparatus.dates import set_date, source_file_date, volume_years
from ...errors import Diagnostic, SourceError
from ...tei.xmlio import NSMAP, XML_ID, t, title_text
from ..base import Converted
from . import refs as refmod
from .blocks import Context
from .decode import decode
from .frontmatter import read_front_matter
from .groups import groups_of, parse_blocks
from .inline import Event, Inline
from .markers import Marker, check_page_order, find_markers
from .notes import check_stray_note_lines, notes_start, split_compact_notes, split_notes
from .source import Source, shorten
from .tei import build_body

TITLE = re.compile(r"(\d+[A-Za-z]?)\. (\S.*)")
_DATELINE, _DATE, _NOTE = t("dateline"), t("date"), t("note")


def convert_bytes(data: bytes, path: str, volume: str | None = None) -> Converted:
    """Decode a text source (UTF-8, BOM and CRLF handled) and convert it."""
    return convert_text(decode(data, path), path, volume)


def convert_text(text: str, path: str, volume: str | None = None, *,
                 known_refs: list[refmod.Ref] | None = None) -> Converted:
    """Convert a telegram text to a FRUS TEI document div.

    ``known_refs`` is for readers that already know where each note is referenced (the Markdown
    reader, whose footnote references are explicit): they replace the search by sequence.
    """
    src = Source(path, text)
    if not text.strip():
        raise src.error(0, "the file is empty", found="no text",
                        expected="a first line '<n>. <title>' such as '245. Telegram …'")
    meta, first = read_front_matter(src)
    if volume and meta.get("volume") and meta["volume"] != volume:
        raise src.error(0, "front matter names another volume", found=str(meta["volume"]),
                        expected=f"'{volume}', the volume this file belongs to")
    meta.setdefault("volume", volume)
    if first >= src.nlines or not TITLE.fullmatch(src.line(first).rstrip(" \t")):
        line = src.line(first) if first < src.nlines else ""
        raise src.error(src.starts[min(first, src.nlines - 1)], "no '<n>. <title>' line",
                        found=shorten(line) if line else "end of file",
                        expected="the document's number, a period, a space and its title, "
                                 "as in '245. Telegram From …'")
    title_span = (src.starts[first], src.starts[first] + len(src.line(first).rstrip(" \t")))
    # The copy format puts a blank line after the title; compact copies put one newline
    # between all blocks, write list items as '- text' and notes as '- text↩'.
    compact = first + 1 < src.nlines and bool(src.line(first + 1).strip())
    # Problems of the notes list and of the page markers are independent: report them together.
    problems: list[Diagnostic] = []
    try:
        if compact:
            notes, notes_begin, tight = split_compact_notes(src, first + 1)
        else:
            notes, notes_begin, tight = split_notes(src, first + 1)
            check_stray_note_lines(src, first + 1, notes_begin)
    except SourceError as exc:
        problems.extend(exc.diagnostics)
        notes, notes_begin, tight = [], notes_start(src, first + 1), False
    body = (title_span[1], src.starts[notes_begin] if notes_begin < src.nlines else len(text))
    markers: list[Marker] = []
    try:
        markers = find_markers(src, title_span[0], body[1])
        check_page_order(src, markers)
    except SourceError as exc:
        problems.extend(exc.diagnostics)
    note_markers = [m for nt in notes for m in find_markers(src, nt.start, nt.end)]
    if problems:
        raise SourceError(*problems)
    if known_refs is None:
        refs, first_note = _references(src, title_span, body, markers, notes)
    else:
        refs, first_note = known_refs, (0 if known_refs and known_refs[0].n == 0 else 1)

    m = TITLE.fullmatch(src.line(first).rstrip(" \t"))
    assert m is not None
    n = str(meta.get("n") or m.group(1))
    ident = str(meta.get("id") or f"d{n}")
    subtype = "historical-document" if first_note == 0 else "editorial-note"
    div = etree.Element(t("div"), nsmap=NSMAP)
    for key, value in (("type", "document"), (XML_ID, ident), ("n", n), ("subtype", subtype)):
        div.set(key, value)
    lines: dict[str, int] = {ident: first + 1}

    def record(xml_id: str, offset: int) -> None:
        lines[xml_id] = src.lineno(offset)

    def make_note(parent: etree._Element, number: str) -> etree._Element:
        item = notes[int(number) - first_note]
        note = etree.SubElement(parent, _NOTE)
        note.set("n", number)  # one at a time: lxml takes an attribute dict at creation more slowly
        note.set(XML_ID, f"{ident}fn{number}")
        if number == "0":
            note.set("type", "source")
        record(f"{ident}fn{number}", item.start)
        inline.fill(note, item.start, item.end)
        return note

    events = [Event("note", r.start, r.end, str(r.n)) for r in refs]
    events += [Event(mk.kind, mk.start, mk.end, mk.value) for mk in markers + note_markers]
    inline = Inline(src, events, make_note, record)
    head = etree.SubElement(div, t("head"))
    inline.fill(head, *title_span)

    ctx = Context(src, groups_of(src, first + 1, notes_begin, compact), tight, bool(notes), compact,
                  inline.busy)
    build_body(div, parse_blocks(ctx), inline)
    # make_note refers to inline, which holds make_note: parted, the pair goes when this call returns
    # instead of waiting, with the source's text and events, for the cycle collector (off while reading).
    inline.close()
    _date(div, meta, notes[0] if first_note == 0 and notes else None, src)
    meta.update(n=n, id=ident, title=title_text(head))
    return Converted(div=div, path=path, meta=meta, lines=lines)


def _references(src: Source, title: tuple[int, int], body: tuple[int, int], markers: list,
                notes: list) -> tuple[list[refmod.Ref], int]:
    """Place every note's reference; the source note (0) is the one glued to the title's end."""
    text = src.text
    k = len(notes)
    title_end = title[1]
    glued_zero = text[title_end - 1] == "0" and refmod.glue_score(text, title_end - 1, title_end, title_end) > 0
    if not glued_zero and k and text[title_end - 2:title_end] == " 0":
        # "…Dulles 0": the source note's marker kept its space; only a source note makes it one.
        note = text[notes[0].start:notes[0].end]
        glued_zero = note.startswith(("Source:", "[Source:"))
    if k == 0:
        if glued_zero and not text[title_end - 2].isdigit():
            raise src.error(title_end - 1, "the title refers to note 0 but there is no notes list",
                            found="'…" + text[max(title_end - 12, 0):title_end] + "'",
                            expected="a notes list '  1. Source: …' at the end of the file")
        refmod.check_unlisted(src, [body], markers, 1, body[0])
        return [], 1
    if glued_zero:
        zero = refmod.Ref(0, title_end - 1, title_end)
        rest = refmod.resolve(src, list(range(1, k)), [body], markers, notes, 0)
        found, first_note = [zero, *rest], 0
    else:
        found = refmod.resolve(src, list(range(1, k + 1)), [(title[0], body[1])], markers, notes, 1)
        first_note = 1
    refmod.check_unlisted(src, [body], markers, first_note + k, found[-1].end)
    return found, first_note


def _date(div: etree._Element, meta: dict[str, Any], source_note: Any, src: Source) -> None:
    """The document's date: front matter, else the dateline, else the source note's file code."""
    # div.find("tei:dateline/tei:date[@when]"), without compiling a path for every document.
    dateline = next((d for line in div.iterchildren(_DATELINE) for d in line.iterchildren(_DATE)
                     if d.get("when") is not None), None)
    if meta.get("date"):
        set_date(div, str(meta["date"]))
        meta["date_basis"] = "front matter"
    elif dateline is not None:
        set_date(div, dateline.get("when", ""))
        meta["date_basis"] = "dateline"
    elif source_note is not None:
        c = source_file_date(src.text[source_note.start:source_note.end])
        years = volume_years(meta.get("volume"))
        if c is not None and years and not years[0] <= int(c.iso[:4]) <= years[1]:
            # A misprinted code (740.5/11–2953 in a 1958–60 volume) must not date the document.
            meta["date_rejected"] = f"file number {c.file} gives {c.iso}, outside the volume's " \
                                    f"years {years[0]}–{years[1]}"
        elif c is not None:
            set_date(div, c.iso, f"inferred from the date code {c.code} of the file number "
                                 f"{c.file} in the source note")
            meta["date_basis"] = f"file-number {c.file}"


