"""A citation put together from its form's finished pieces is the one ``csl.finish`` makes."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from despatch.urls import cslform
from despatch.urls.csl import finish, generic_of, template
from despatch.urls.cslform import Form, _Finished
from despatch.urls.cslstyle import CHICAGO, MLA

ITEM = {"id": "v-d1", "type": "chapter", "container-title": "Foreign Relations of the United States, 1961–1963",
        "volume-title": "Western Europe", "volume": "13", "author": [{"literal": "United States Department of State"}],
        "editor": [{"family": "Smith", "given": "Charles S."}], "publisher": "GPO", "issued": {"date-parts": [[1994]]},
        "language": "en"}
TITLE_PIECES = ["Telegram", "From", "the", "Embassy", "of", "US", "NATO", " ", "  ", ",", ".", ":", "’", "'", "–",
                "(", ")", "é", "ß", "ÿ", "&", "<", "\u201d", '"', "\u00a0", "\t", "987654321", "\ue020", "X" * 30]
titles = st.lists(st.sampled_from(TITLE_PIECES), min_size=1, max_size=12).map("".join)
numbers = st.sampled_from(["1", "245", "1000000", "12a", "0", "", "987654321"])
urls = st.sampled_from(["https://example.org/v/d1/", "https://e.org/a b/", "https://example.invalid/\ue021/", ""])


def item_of(title: str, number: str, url: str, chicago: bool) -> dict[str, object]:
    item = dict(ITEM, title=title)
    if number:
        item["chapter-number" if chicago else "number"] = number
    if url:
        item["URL"] = url
    return item


@profile()
@given(titles, numbers, urls, st.booleans())
@example("Telegram From the Embassy", "245", "https://example.org/v/d245/", True)
@example("Telegram  From the Embassy ", "245", "https://example.org/v/d245/", False)
def test_a_form_gives_what_finish_gives(title: str, number: str, url: str, chicago: bool) -> None:
    style, note = (CHICAGO, True) if chicago else (MLA, False)
    item = item_of(title, number, url, chicago)
    generic = generic_of(item)
    found = template(json.dumps(generic, sort_keys=True, ensure_ascii=False), style, note)
    assert Form(style, note)(item) == finish(found, item, generic, style, note, None)


PIECES = ["\ue020", "987654321", "https://example.invalid/\ue021/", " ", "  ", "\n", "\u201c", "\u201d", ".", ",",
          "\ue000", "\ue001", "\ue002", "<i>", "doc.", "In", "Foreign Relations", "\ue030"]


@profile()
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join), st.sampled_from([None, "title", "sentence"]),
       titles, numbers, urls, st.booleans())
@example("\u201c\ue020\u201d, doc. 987654321", "title", "Telegram", "245", "", True)
@example("\u201d\ue020 x", "title", ".Telegram", "", "", True)
@example("x \ue020 y", None, "Telegram  From", "", "", True)
def test_finished_pieces_are_finish_on_any_rendering(text: str, mode: str | None, title: str, number: str,
                                                     url: str, chicago: bool) -> None:
    style = CHICAGO if chicago else MLA
    item = item_of(title, number, url, chicago)
    generic = generic_of(item)
    finished = _Finished.of((text, mode), generic, style, None)
    made = finished(item) if finished is not None else None
    if made is not None:
        assert made == finish((text, mode), item, generic, style, chicago, None)


def test_the_common_forms_are_finished() -> None:
    item = item_of("Telegram From the Embassy in Germany", "245", "https://example.org/v/d245/", True)
    form = Form(CHICAGO, True)
    assert form(item) == finish(form.found, item, generic_of(item), CHICAGO, True, None)
    assert form.finished is not None and form.finished.slots  # the finished path, not the fallback
    assert "doc. 245" in form(item)
    assert cslform._cased("title", "the telegram") == "The Telegram"


def test_the_number_put_in_is_finishs_when_both_keys_hold_one() -> None:
    item = dict(item_of("Telegram", "12", "", True), number="34")
    generic = generic_of(item)
    finished = _Finished.of(("doc. 987654321 \ue020", "title"), generic, CHICAGO, None)
    assert finished is not None
    assert finished(item) == finish(("doc. 987654321 \ue020", "title"), item, generic, CHICAGO, True, None) \
        == "doc. 34 Telegram"
