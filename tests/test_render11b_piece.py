"""A partial rendered once with stand-ins and filled per document prints what the partial prints in full."""

import jinja2

from despatch.render.env import make_env
from despatch.render.piece import Piece
from despatch.urls.standins import ID, STANDINS, TITLE


def _env(tmp_path, text: str) -> jinja2.Environment:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "p.html").write_text(text, encoding="utf-8")
    return make_env(tmp_path)


def _slots(doc_id: str, title: str) -> list[str]:
    return [doc_id, "1", title, "1961-01-02", doc_id, "1", title.replace(" ", "%20"), "1961-01-02"]


def test_fill_equals_full_render(tmp_path) -> None:
    env = _env(tmp_path, '<meta name="t" content="{{ extra["t"] }}">{{ "v/x.epub" | url }}|{{ page_path }}\n')
    piece = Piece(env, "partials/p.html", lambda raw: {"extra": {"t": TITLE}, "page_path": f"v/{ID}/"})
    for doc_id, title in [("d1", "Telegram From Embassy"), ("d22", "Memorandum")]:
        context = {"extra": {"t": title}, "page_path": f"v/{doc_id}/"}
        made = piece(_slots(doc_id, title), context)
        assert made == env.get_template("partials/p.html").render(**context)
        assert made == f'<meta name="t" content="{title}">../x.epub|v/{doc_id}/\n'


def test_escaped_value_goes_the_full_way(tmp_path) -> None:
    env = _env(tmp_path, "{{ extra['t'] }}")
    piece = Piece(env, "partials/p.html", lambda raw: {"extra": {"t": TITLE}})
    assert piece(_slots("d1", "Rusk's Telegram"), {"extra": {"t": "Rusk's Telegram"}}) is None
    assert piece(_slots("d1", "Telegram"), {"extra": {"t": "Telegram"}}) == "Telegram"


def test_partial_that_reshapes_a_value_is_never_filled(tmp_path) -> None:
    env = _env(tmp_path, "{{ extra['t'] | length }}")
    piece = Piece(env, "partials/p.html", lambda raw: {"extra": {"t": TITLE}})
    assert piece(_slots("d1", "Telegram"), {"extra": {"t": "Telegram"}}) is None
    assert piece.parts is None
    assert piece(_slots("d2", "Memo"), {"extra": {"t": "Memo"}}) is None


def test_partial_reading_the_document_or_missing_is_not_filled(tmp_path) -> None:
    env = _env(tmp_path, "{{ doc.title }}")
    assert Piece(env, "partials/p.html", lambda raw: {"extra": {}}).parts is None
    assert Piece(env, "partials/none.html", lambda raw: {}).parts is None
    assert len(STANDINS) == 8 and STANDINS[0] == ID and STANDINS[2] == TITLE


def test_raw_values_go_in_as_they_are(tmp_path) -> None:

    env = _env(tmp_path, "<p>{{ c | safe }}</p><a download=\"{{ extra['f'] }}.bib\">")
    piece = Piece(env, "partials/p.html", lambda raw: {"c": raw[0], "extra": {"f": ID}})
    context = {"c": "<i>FRUS</i>, doc. 1", "extra": {"f": "d1"}}
    assert piece(_slots("d1", "Memo"), context, ("<i>FRUS</i>, doc. 1",)) == '<p><i>FRUS</i>, doc. 1</p><a download="d1.bib">'
    # A fill short of a raw value the partial prints is no fill.
    assert piece(_slots("d1", "Memo"), context) is None


def test_raw_value_escaped_by_the_partial_is_not_filled(tmp_path) -> None:

    env = _env(tmp_path, "<p>{{ c }}</p>")
    piece = Piece(env, "partials/p.html", lambda raw: {"c": raw[0]})
    assert piece.parts is None  # the stand-in's probe found it escaped, before any document
    assert piece(_slots("d1", "Memo"), {"c": "FRUS"}, ("FRUS",)) is None
