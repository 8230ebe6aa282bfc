"""A document's file checked by its div alone once its volume's header was valid: the same answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import profile
from lxml import etree

from despatch.model import DocRecord
from despatch.site import doctei
from despatch.sources.base import Converted
from despatch.tei import assemble
from despatch.tei.assemble import header_valid
from despatch.tei.document import build_tei, volume_key
from despatch.tei.xmlio import parse_own, serialize
from despatch.validate.schema import validate_tei
from despatch.volume import Volume

VOLUME = Volume(id="v", title="Foreign Relations, 1961–1963, Volume XVI", series="Foreign Relations of the United States",
                volume="XVI", editors=["James E. Miller"], publisher="GPO", pub_place="Washington", year="1994")
DIV = ('<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" xml:id="{id}" '
       'n="1" type="document"><head>{title}</head>\n<p>Text.</p>{extra}</div>')


@pytest.fixture(autouse=True)
def _fresh_shells() -> None:
    assemble._SHELLS.clear()


def _doc(doc_id: str, title: str = "1. Telegram", extra: str = "", source: str = "") -> tuple[bytes, DocRecord]:
    data = DIV.format(id=doc_id, title=title, extra=extra).encode()
    return data, DocRecord(volume="v", id=doc_id, n="1", title=title, source=source or f"content/v/{doc_id}.txt")


plain_sources = st.from_regex(assemble._PLAIN_SOURCE, fullmatch=True)
titles = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda s: "\ufffe" not in s and "\uffff" not in s)


@profile()
@given(plain_sources, titles)
def test_a_header_with_a_plain_source_name_and_any_title_is_valid(source: str, title: str) -> None:
    div = parse_own(DIV.format(id="d1", title="x", extra="").encode(), "x")
    div[0].text = title
    assert validate_tei(build_tei(Converted(div=div, path=source), VOLUME, source), source) == []


def test_the_next_documents_are_checked_by_their_div_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    real = doctei.validate_tei
    monkeypatch.setattr(doctei, "validate_tei", lambda tree, path: checked.append(etree.QName(
        tree if isinstance(tree, etree._Element) else tree.getroot()).localname) or real(tree, path))
    for doc_id in ("d1", "d2", "d3"):
        data, rec = _doc(doc_id)
        _, out, diags = doctei.document_tei(data, rec, VOLUME)
        assert diags == [] and out == serialize(build_tei(Converted(parse_own(data, "x"), rec.source), VOLUME,
                                                          rec.source))
    assert checked == ["TEI", "div", "div"]
    assert header_valid(VOLUME, "content/v/d9.txt")
    assert not header_valid(VOLUME, "content/my volume/d9.txt") and not header_valid(VOLUME, "//host/d9.txt")


def test_an_invalid_div_reports_what_the_whole_file_says() -> None:
    doctei.document_tei(*_doc("d1"), VOLUME)
    assert header_valid(VOLUME, "content/v/d2.txt")
    data, rec = _doc("d2", extra="<frus:bogus/>")
    _, out, diags = doctei.document_tei(data, rec, VOLUME)
    tree = build_tei(Converted(parse_own(data, rec.source), rec.source), VOLUME, rec.source)
    assert out == serialize(tree)
    assert diags and [str(d) for d in diags] == [str(d) for d in validate_tei(tree, rec.source)]


@pytest.mark.parametrize("source", ["content/v/d1 copy.txt", ":d1.txt", "content/v/d%1.txt", "//h/d1.txt", "a:b"])
def test_a_source_name_that_is_not_plain_keeps_the_whole_files_check(source: str) -> None:
    doctei.document_tei(*_doc("d1", source=source), VOLUME)
    assert not header_valid(VOLUME, "content/v/d2.txt")  # it does not vouch for the volume's header
    doctei.document_tei(*_doc("d2"), VOLUME)
    assert header_valid(VOLUME, "content/v/d3.txt") and not header_valid(VOLUME, source)
    data, rec = _doc("d4", source=source)
    _, out, diags = doctei.document_tei(data, rec, VOLUME)
    tree = build_tei(Converted(parse_own(data, rec.source), rec.source), VOLUME, rec.source)
    assert out == serialize(tree) and [str(d) for d in diags] == [str(d) for d in validate_tei(tree, source)]


def test_a_header_holding_ids_is_checked_with_every_file() -> None:
    data, rec = _doc("d1")
    doctei.document_tei(data, rec, VOLUME)
    shell = assemble._SHELLS[volume_key(VOLUME)]
    assert shell is not None and shell.valid and not shell.ids
    shell.valid, shell.ids = False, True
    doctei.document_tei(*_doc("d2"), VOLUME)
    assert not header_valid(VOLUME, "content/v/d3.txt")
