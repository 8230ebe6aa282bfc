"""The record's citations made from what the apparatus placed equal those read back from the tree."""

from __future__ import annotations

from pathlib import Path

from despatch.apparatus.context import ApparatusContext
from despatch.apparatus.enrich import enrich
from despatch.apparatus.record import extract_record
from despatch.errors import SourceError
from despatch.sources.text import convert_text

CORPUS = Path(__file__).resolve().parent / "corpus" / "text"

DOC = """\
12. Telegram From the Embassy in France to the Department of State0

Paris, May 3, 1961.

First paragraph.1 Second paragraph.2

  1. Source: Department of State, Central Files, 711.11/5–361. Secret; Niact.
  2. National Archives, RG 59, Conference Files: Lot 65 D 533, CF 1880. Ibid., Box 12.
  3. Ibid., Whitman File. Department of State, Lot 64 D 199, de Gaulle Letters.
"""


def _both(text: str, path: str = "d.txt") -> tuple[object, object, object]:
    conv = convert_text(text, path, "frus1961-63v01")
    ctx = ApparatusContext(volume="frus1961-63v01")
    enrich(conv.div, ctx)
    return ctx.placed, extract_record(conv, "frus1961-63v01", 0, ctx.placed), extract_record(conv, "frus1961-63v01", 0)


def test_plain_notes_give_their_citations_with_ibid_resolved() -> None:
    placed, fast, slow = _both(DOC)
    assert placed is not None and len(placed) == 5
    assert fast == slow
    assert [c.ibid for c in fast.citations] == [False, False, True, True, False]
    # "Ibid., Box 12." keeps the lot above the box from the citation before it.
    assert fast.citations[2].lot == "Lot 65 D 533" and fast.citations[2].box == "Box 12"
    assert fast.citations[3].note_id.endswith("fn2")


def test_a_note_with_markup_leaves_the_citations_to_the_tree() -> None:
    text = DOC.replace("CF 1880. Ibid., Box 12.", "CF 1880. [Page 7] Ibid., Box 12.")
    placed, fast, slow = _both(text)
    assert placed is None
    assert fast == slow and len(slow.citations) == 5


def test_every_corpus_text_gives_the_same_record_either_way() -> None:
    seen = 0
    for path in sorted(CORPUS.glob("*.txt")):
        try:
            placed, fast, slow = _both(path.read_text(encoding="utf-8"), path.name)
        except SourceError:  # a source the converter rejects: no record either way
            continue
        assert fast == slow, path.name
        seen += placed is not None
    assert seen > 5
