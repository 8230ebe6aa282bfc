"""Markdown sources give the same TEI as the equivalent telegram text; their errors name Markdown lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.errors import SourceError
from despatch.sources.markdown import convert_markdown
from despatch.sources.text import convert_bytes, convert_text
from despatch.tei.xmlio import serialize
from test_text_fixtures import read_cases

FIXTURES = Path(__file__).parent / "fixtures" / "text"
PAIRS = read_cases(FIXTURES / "markdown-pairs.md")


def test_seed_in_markdown_gives_the_seed_tei() -> None:
    md = convert_markdown((FIXTURES / "seed_d245.md").read_text(encoding="utf-8"), "d245.md",
                          "frus1961-63v13")
    txt = convert_bytes((FIXTURES / "seed_d245.txt").read_bytes(), "d245.txt", "frus1961-63v13")
    assert serialize(md.div) == serialize(txt.div)
    assert md.meta == txt.meta
    # Lines point into the Markdown: the heading, the footnote definitions, the page marker's line.
    assert md.lines == {"d245": 4, "d245fn0": 20, "d245fn1": 21, "pg_691": 13, "d245fn2": 22}


@pytest.mark.parametrize("case", PAIRS, ids=[f"{c.file}:{c.line}" for c in PAIRS])
def test_markdown_equals_text(case) -> None:
    md = convert_markdown(case.input, "x.md", None)
    txt = convert_text(case.expected, "x.txt", None)
    assert serialize(md.div) == serialize(txt.div), case.title


@pytest.mark.parametrize("source, line, words", [
    ("# 1. Telegram[^0]\n\nText.\n\n[^0]: Source.\n[^1]: Orphan.\n", 6, "footnote [^1] is never referenced"),
    ("# 1. Telegram[^0]\n\nText.[^9]\n\n[^0]: Source.\n", 3, "footnote reference [^9] has no footnote"),
    ("Intro.\n\n# 1. Telegram\n", 1, "no '# <n>. <title>' heading first"),
    ("# 1. Telegram[^0] of May\n\nText.\n\n[^0]: Source.\n", 1, "the title's footnote is not at its end"),
    ("# 1. Telegram[^0]\n\nText.[^1] Again.[^1]\n\n[^0]: Source.\n[^1]: Note.\n", 3, "referenced twice"),
    ("# 1. Telegram[^0]\n\nText [page 2] more.\n\n[^0]: Source.\n", 3, "malformed page marker"),
    ("# 1. Telegram[^0]\n\nText [Page 5].\n\n[Page 4]\n\n[^0]: Source.\n", 5, "page 4 comes after page 5"),
])
def test_errors_name_the_markdown_line(source: str, line: int, words: str) -> None:
    with pytest.raises(SourceError) as info:
        convert_markdown(source, "doc.md", None)
    diag = info.value.diagnostics[0]
    assert diag.path == "doc.md" and diag.line == line and words in diag.message, str(info.value)


def test_raw_blocks_and_inline_markup_keep_their_text() -> None:
    md = "# 1. T\n\n<div>raw *x*</div>\n\n    code  here\n\nText ![alt](x.png) [link](http://a) and `code`.\n"
    div = convert_markdown(md, "x.md", None).div
    texts = ["".join(p.itertext()) for p in div if p.tag.endswith("}p")]
    assert texts == ["<div>raw *x*</div>", "code here", "Text alt link and code."]


def test_bytes_reader_decodes_like_the_text_reader() -> None:
    from despatch.sources.markdown import convert_markdown_bytes
    data = (FIXTURES / "seed_d245.md").read_bytes()
    plain = serialize(convert_markdown_bytes(data, "d245.md", None).div)
    assert serialize(convert_markdown_bytes(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), "d245.md", None).div) == plain
    with pytest.raises(SourceError, match="not UTF-8"):
        convert_markdown_bytes(b"# 1. T\xff\n", "bad.md", None)
