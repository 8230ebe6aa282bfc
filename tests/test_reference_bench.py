"""The benchmark's yardstick (benchmarks/reference.py): every source's words reach its TEI and its page."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import reference
from benchmarks.generate import generate
from benchmarks.run import main as run_main

TEI = "{http://www.tei-c.org/ns/1.0}"


def words(text: str) -> list[str]:
    """The words and numbers of a text, in order (a note's number run into its word counts apart)."""
    return re.findall(r"[^\W\d_]+|\d+", text)


def test_reference_writes_every_word(tmp_path: Path) -> None:
    """Each source's text is all in its TEI (title, paragraphs, notes), and its page shows it, escaped."""
    generate(tmp_path / "g", 30, seed=3, per_volume=12)
    content = tmp_path / "g" / "despatch" / "content"
    (content / "frus1958-60v1" / "d1.txt").write_text(
        "1. Telegram <b>&amp; “quoted”\n\nThe text.1 And [Page 12] more.\n\n  1. A note <script>.\n", encoding="utf-8")
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        docs, written, seconds = reference.run(content, out, workers)
        sources = sorted(content.glob("*/d*.txt"))
        assert docs == len(sources) == 30 and written > 0 and seconds > 0
        for src in sources:
            tei = etree.parse(str(out / src.parent.name / f"{src.stem}.xml")).getroot()
            head = tei.find(f"{TEI}head")
            notes = tei.findall(f"{TEI}note")
            assert head is not None and notes, src
            # Every word of the source, in order, and nothing else: page markers became <pb n>, note numbers <ref>.
            text = re.sub(r"\[Page (\d+)\]", r"\1", src.read_text(encoding="utf-8"))
            got = [w for el in tei.iter() for part in (el.text, el.tail, el.get("n") if el.tag == f"{TEI}pb" else None,
                                                           el.get("n") if el.tag == f"{TEI}note" else None)
                   if part for w in words(part)]
            assert sorted(got) == sorted(words(text)), src
        page = (out / "frus1958-60v1" / "d1" / "index.html").read_text(encoding="utf-8")
        assert "<title>1. Telegram &lt;b&gt;&amp;amp; “quoted”</title>" in page
        assert "&lt;script&gt;" in page and "<script>" not in page
        assert '<span class="pb" id="pg_12">' in page and '<a href="#d1fn1">1</a>' in page


def test_runner_reports_the_reference(tmp_path: Path, capsys) -> None:
    """`run.py --tools reference` measures it on one process and on every core, with despatch's ratio column."""
    assert run_main(["--sizes", "20", "--tools", "reference", "--out", str(tmp_path / "b"), "--per-volume", "10",
                     "--search-query", ""]) == 0
    table = capsys.readouterr().out
    assert re.search(r"^ +20  reference ×1 +\d", table, re.MULTILINE), table
