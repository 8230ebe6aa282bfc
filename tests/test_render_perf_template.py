"""Compiled templates yield each output's parts joined: the same page, far fewer values through the generators."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
from markupsafe import Markup

from despatch.render.env import make_env

PAGE = ("{% extends 'base.html' %}{% block body %}<h1>{{ title }}</h1>{% for x in items %}<li>{{ x }} {{ loop.index }}"
        "</li>{% endfor %}{% if title %}<p>{{ title | upper }}{{ safe }}</p>{% endif %}{% include 'inc.html' %}"
        "{% macro m(a) %}<b>{{ a }}</b>{{ a }}{% endmacro %}{{ m(title) }}{% filter lower %}{{ safe }}X{% endfilter %}"
        "{% endblock %}")
BASE = "<html>{{ title }}-{% block body %}{% endblock %}-{{ safe }}</html>\n"
INC = "<i>{{ title }}</i>{{ title ~ '!' }}\n"
VALUES = {"title": "a<&>'\"b", "items": ["<1>", Markup("<2>"), 3], "safe": Markup("<s>")}


def _theme(folder: Path) -> Path:
    for name, text in (("page.html", PAGE), ("base.html", BASE), ("inc.html", INC)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _plain(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True, trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def test_joined_outputs_render_the_same_page_with_fewer_values(tmp_path: Path) -> None:
    folder = _theme(tmp_path)
    fast, plain = make_env(folder).get_template("page.html"), _plain(folder).get_template("page.html")
    assert fast.render(**VALUES) == plain.render(**VALUES)
    assert "".join(fast.generate(**VALUES)) == plain.render(**VALUES)
    assert len(list(fast.generate(**VALUES))) < len(list(plain.generate(**VALUES))) // 2


def test_compiled_code_is_cached_apart_from_jinjas_own(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    folder, cache = _theme(tmp_path / "t"), tmp_path / "cache"
    first = make_env(folder, cache).get_template("page.html").render(**VALUES)
    names = sorted(p.name for p in cache.iterdir())
    assert names and all(name.startswith("joined-") for name in names)
    # A plain Jinja environment on the same folder neither reads these files nor is read by make_env.
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True, trim_blocks=True,
                               lstrip_blocks=True, keep_trailing_newline=True,
                               bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache)))
    assert plain.get_template("page.html").render(**VALUES) == first
    assert make_env(folder, cache).get_template("page.html").render(**VALUES) == first


def test_a_cache_folder_removed_while_the_process_lives_is_made_again(tmp_path: Path) -> None:
    """An editor removes the build folder while `despatch serve` runs: the next template compiled is kept
    in a folder made again, not an error; where none can be made, the page is rendered all the same."""
    (tmp_path / "t").mkdir()
    folder, cache = _theme(tmp_path / "t"), tmp_path / "build" / "cache"
    env = make_env(folder, cache)
    env.get_template("inc.html")
    shutil.rmtree(tmp_path / "build")
    first = env.get_template("page.html").render(**VALUES)
    assert any(p.name.startswith("joined-") for p in cache.iterdir())
    shutil.rmtree(tmp_path / "build")
    (tmp_path / "build").write_text("a file where the folder was\n", encoding="utf-8")
    again = make_env(folder, tmp_path / "elsewhere")
    shutil.rmtree(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").write_text("a file where the folder was\n", encoding="utf-8")
    assert again.get_template("page.html").render(**VALUES) == first
