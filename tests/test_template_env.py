"""The template environment's fast paths print exactly what Jinja's own environment prints."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis_profiles import profile
from markupsafe import Markup, escape

from despatch.model import Citation
from despatch.render.env import escape_printed, make_env
from despatch.render.urls import _relative, relative

THEME = {
    "base.html": "<title>{% block title %}{{ site }}{% endblock %}</title>\n{% block body %}{% endblock %}\n"
                 "{% include 'foot.html' %}",
    "foot.html": "<p>{{ site }} {{ page }}</p>",
    "lib.html": "{% macro link(href, text) %}<a href=\"{{ href }}\">{{ text }}</a>{% endmacro %}"
                "{% macro box() %}<div>{{ caller() }}</div>{% endmacro %}",
    "page.html": "{% extends 'base.html' %}{% import 'lib.html' as lib %}"
                 "{% block title %}{{ title }} | {{ super() }}{% endblock %}"
                 "{% block body %}{% set saved %}<i>{{ title }}</i>{% endset %}{{ saved }} {{ saved | upper }}\n"
                 "{{ lib.link(href, title) }} {{ lib.link(href, title) | e }}\n"
                 "{% call lib.box() %}{{ title }} {{ n }}{% endcall %}\n"
                 "{% filter lower %}{{ title }} {{ safe }}{% endfilter %}\n"
                 "{% for item in items %}{{ loop.index }}:{{ item }}{{ ', ' if not loop.last }}{% endfor %}\n"
                 "{% autoescape false %}{{ title }}{% endautoescape %} {{ title ~ safe }} {{ none }} {{ 2.5 }}\n"
                 "{{ href ~ '/' ~ title }} {{ href ~ n }} {{ (href ~ safe) | length }}\n"
                 "{{ self.title() }}{% endblock %}",
}
VALUES = {"site": "A & B", "page": "<p>", "title": "x<\"'&>y", "href": "a?b=1&c='2'", "n": 7,
          "safe": Markup("<b>bold</b>"), "items": ["<1>", Markup("<2>"), 3], "none": None}


def _plain_env(folder: Path) -> jinja2.Environment:
    """Jinja's own environment with the options make_env sets."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def test_a_theme_renders_as_jinja_renders_it(tmp_path: Path) -> None:
    for name, text in THEME.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    fast = make_env(tmp_path).get_template("page.html").render(**VALUES)
    assert fast == _plain_env(tmp_path).get_template("page.html").render(**VALUES)
    # Printed values escaped once, blocks and macros' output marked safe (not escaped again).
    assert "x&lt;&#34;&#39;&amp;&gt;y | A &amp; B" in fast and "<i>x&lt;" in fast and "<I>X&LT;" in fast
    assert fast.count('<a href="a?b=1&amp;c=&#39;2&#39;">x&lt;') == 2 and "<div>x&lt;&#34;" in fast
    assert "a?b=1&amp;c=&#39;2&#39;/x&lt;" in fast and "&#39;2&#39;7 " in fast
    assert "1:&lt;1&gt;, 2:<2>, 3:3" in fast and "<p>A &amp; B &lt;p&gt;</p>" in fast


@profile()
@given(st.text() | st.integers() | st.text().map(Markup))
def test_printing_a_value_is_markupsafe_escape(value: object) -> None:
    assert escape_printed(value) == str(escape(value))


def test_an_undefined_value_still_fails_when_printed() -> None:
    env = make_env()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ x.y }}|{{ x['z'] }}").render(x={"y": "<", "z": 1}) == "&lt;|1"


def test_template_globals_overlay_the_environment_and_stay_its_own() -> None:
    env = make_env()
    env.globals["edition"] = "E"
    first = env.from_string("{{ edition }} {{ own }}", globals={"own": "1"})
    second = env.from_string("{{ edition }} {{ own is defined }}")
    first.globals["later"] = "x"
    assert first.render() == "E 1" and second.render() == "E False"
    assert "own" not in env.globals and "later" not in env.globals and "later" not in second.globals


SEGMENTS = ["a", "b", "vol", "d1", "x.xml", "", ".", "pg_3", "mailto:x", "https:", "#f"]
pages = st.lists(st.sampled_from(SEGMENTS), max_size=4).map("/".join).flatmap(
    lambda p: st.sampled_from([p, p + "/", "/" + p + "/"]))
targets = st.lists(st.sampled_from(SEGMENTS), max_size=4).map("/".join).flatmap(
    lambda p: st.sampled_from([p, p + "/", p + "#f", p + "/#f", "/" + p, "#" + p]))


@profile()
@given(pages, targets)
@example("v/d1/", "v/").via("the volume folder above a document")
@example("v/d1/", "").via("the site's root")
@example("v/", "").via("the root from a folder at the top")
@example("v/d1/", "v/d1/#n1").via("a note of the page itself")
@example("v/d1/", "v/#n1").via("a fragment of the folder above")
@example("v/d1/", "v/d1#n1").via("a file named like the page's folder")
@example("a//b/", "a/b/x").via("an empty segment in the page")
@example("/a/b/", "a/b/x").via("a page written from the root")
@example("a/", "./").via("a path that is literally './' below the parent")
@example("v/d1/", "v/./#f").via("the same, deeper, with a fragment")
def test_a_url_from_a_folder_page_is_one_level_above_its_parents(page: str, target: str) -> None:
    assert relative(page, target) == _relative(page, target)


# The loop search-keys.html ran before the archive_keys filter took it over.
_LOOP = ("{% set ns = namespace(seen=[]) %}{% for c in cites if c.repository %}"
         "{% for key in [c.repository, (c.repository ~ ', ' ~ c.collection) if c.collection else '']"
         " if key and key not in ns.seen %}{% set ns.seen = ns.seen + [key] %}{{ key }}|{% endfor %}{% endfor %}")
names = st.sampled_from(["", "Department of State", "Central Files", "A, B", "<&>"])


@profile()
@given(st.lists(st.tuples(names, names), max_size=6))
def test_archive_keys_are_the_template_loop(pairs: list[tuple[str, str]]) -> None:
    cites = [Citation(repository=r, collection=c) for r, c in pairs]
    env = make_env()
    assert env.from_string("{% for key in cites | archive_keys %}{{ key }}|{% endfor %}").render(cites=cites) \
        == _plain_env(Path(".")).from_string(_LOOP).render(cites=cites)
