"""Compiled templates kept between processes: used when the template is the same, never when it changed."""

from __future__ import annotations

from pathlib import Path

from despatch.render.env import make_env


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "note.html").write_text("first {{ x }}", encoding="utf-8")
    assert make_env(templates, cache).get_template("note.html").render(x="<b>") == "first &lt;b&gt;"
    assert len(list(cache.iterdir())) == 1
    # A second environment (another process) reads the compiled template back.
    assert make_env(templates, cache).get_template("note.html").render(x=1) == "first 1"
    (templates / "note.html").write_text("second {{ x }}", encoding="utf-8")
    assert make_env(templates, cache).get_template("note.html").render(x=1) == "second 1"

