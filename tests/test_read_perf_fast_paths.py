"""Fast paths of the read stage give what the plain code they stand for gives."""

from __future__ import annotations

import itertools
import re

import pytest

from despatch.apparatus import record
from despatch.sources.text.source import Source

_PLAIN_TYPES = (
    ("editorial-note", r"\bEditorial Note\b"), ("telegram", r"\bTelegram\b"),
    ("memorandum-of-conversation", r"\bMemorandum of (a )?Conversation\b"), ("memorandum", r"\bMemorandum\b"),
    ("letter", r"\bLetter\b"), ("despatch", r"\bDespatch\b"), ("note", r"\bNote\b"),
    ("paper", r"\b(Paper|Report|Study|Estimate)\b"),
)


def _plain_doc_type(title: str) -> str:
    return next((name for name, pattern in _PLAIN_TYPES if re.search(pattern, title)), "other")


@pytest.mark.parametrize("title", [
    "Editorial Note", "Telegram From the Embassy in France to the Department of State",
    "Memorandum of Conversation", "Memorandum of a Conversation, Paris", "Memorandum From Rusk",
    "Letter From Eisenhower", "Despatch From the Embassy", "Note From the Soviet Government", "Paper Prepared",
    "National Intelligence Estimate", "Study", "Report", "Editorial Notes", "Telegrams", "Memoranda", "Notebook",
    "Circular Telegram 12", "Conversation Memorandum", "Memorandum of Conversations", "", "EDITORIAL NOTE",
    "Letter, Note and Telegram", "Telegram0", "Note1",
])
def test_doc_type_searches_only_titles_with_its_word(title: str) -> None:
    assert record.doc_type(title) == _plain_doc_type(title)


def test_every_type_pattern_needs_its_word() -> None:
    for name, word, pattern in record._TYPES:
        plain = dict(_PLAIN_TYPES)[name]
        assert pattern.pattern == plain
        assert word in plain.replace("\\b", "").replace("(a )?", "") or not word


@pytest.mark.parametrize("text", ["", "a", "\n", "\n\n", "ab\ncd\n", "x\n\n\ny", "é\nü\n" * 5, "no newline at end"])
def test_line_starts_are_the_offsets_after_each_newline(text: str) -> None:
    src = Source("x.txt", text)
    assert src.starts == [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n")[:-1])]
    assert src.starts == [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def test_fill_makes_what_render_makes_in_a_new_element() -> None:
    from lxml import etree

    from despatch.sources.text.inline import Event, Inline

    text = "one [Page 5] two [3 lines of source text not declassified] three"
    src = Source("x.txt", text)
    events = [Event("pb", 4, 12, "5"), Event("gap", 17, 58, text[17:58])]

    def made(method: str, start: int, end: int) -> bytes:
        inline = Inline(src, events, lambda parent, n: etree.SubElement(parent, "note"), lambda i, o: None)
        el = etree.Element("p")
        getattr(inline, method)(el, start, end)
        return etree.tostring(el)

    for start, end in itertools.combinations(range(0, len(text) + 1, 3), 2):
        assert made("fill", start, end) == made("render", start, end), (start, end)
    assert made("fill", 0, 3) == b"<p>one</p>" and made("fill", 2, 2) == b"<p/>"


@pytest.mark.parametrize("text", ["", "Document 5", "documents", "Page", "pages 3–4", "footnote", "Footnote",
                                  "Foreign Relations", "Rélations", "Dócument", "Pâge", "ocumen", "–“”’ no word",
                                  "ocument\u2013", "\u00e9page\u00e9"])
def test_the_hint_of_utf8_bytes_is_the_hint_of_their_text(text: str) -> None:
    from despatch.apparatus import xrefs

    assert xrefs.has_hint_utf8(text.encode("utf-8")) == xrefs.has_hint(text)


def _plain_notes_start(src: Source, first: int) -> int:
    from despatch.sources.text.notes import NOTE_LINE

    return next((i for i in range(first, src.nlines) if NOTE_LINE.match(src.lines[i])), src.nlines)


def _plain_stray_line(src: Source, first: int, end: int) -> int | None:
    from despatch.sources.text.notes import LOOSE_NOTE_LINE

    for i in range(first, end):
        line = src.line(i)
        if line.startswith(" ") and not line.lstrip().startswith("•") and LOOSE_NOTE_LINE.match(line) and line.strip():
            return i
    return None


_PIECES = ["  1. Source: x", " 1. y", "  12. z", "    3) w", "     4. too deep", "  • 5. item", "  2.", " 7",
           "  x. no", "text 1. mid", "", "   ", "\t1. tab", " 8\t", " 9\u00a0", "  10.  two", "para", " 1.5%"]


def test_note_lines_are_found_where_the_line_by_line_search_finds_them() -> None:
    from despatch.errors import SourceError
    from despatch.sources.text.notes import check_stray_note_lines, notes_start

    checked = 0
    for a, b, c in itertools.product(_PIECES, repeat=3):
        for text in (f"{a}\n{b}\n{c}", f"T\n{a}\n{b}\n{c}\n", f"{a}\n\n{b}\n{c}\n\n"):
            src = Source("x.txt", text)
            for first in range(src.nlines + 1):
                assert notes_start(src, first) == _plain_notes_start(src, first), (text, first)
                for end in range(first, src.nlines + 1):
                    want = _plain_stray_line(src, first, end)
                    try:
                        check_stray_note_lines(src, first, end)
                        got = None
                    except SourceError as exc:
                        got = exc.diagnostics[0].line - 1
                    assert got == want, (text, first, end)
                    checked += 1
    assert checked > 50_000
