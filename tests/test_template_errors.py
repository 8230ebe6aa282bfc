"""A slip in a template of the project's own is an error at its place in that template, never an
internal error with a traceback; the site stays as it was, and a server serves on."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from robust import built_project, run, tree_digest
from test_preview import _said_soon, _serving, fetch

OPEN_TAG = '<p class="release">{% if version %}Version\n</p>\n'
UNKNOWN_NAME = '<p class="release">\n{{ editor.name }}</p>\n'


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return built_project(tmp_path / "edition")


def _override(root: Path, name: str, text: str) -> None:
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("name", "text", "said"), [
    ("partials/release.html", OPEN_TAG,
     "templates/partials/release.html:1:1: error: the template cannot be read: Unexpected end of template"),
    ("partials/release.html", UNKNOWN_NAME,
     "templates/partials/release.html:2:1: error: the template failed: 'editor' is undefined"),
    ("chronology.html", "{% extends 'base.html' %}{% block content %}\n\n{{ months.first }}{% endblock %}\n",
     "templates/chronology.html:3:1: error: the template failed: 'months' is undefined"),
])
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_template_of_the_projects_own_that_fails_is_an_error_at_its_line(edition: Path, name: str, text: str,
                                                                          said: str, workers: str) -> None:
    site = tree_digest(edition / "build" / "site")
    _override(edition, name, text)
    code, err = run(["build", "-f", str(edition / "mkdocs.yml"), "-j", workers])
    assert code == 1 and "Traceback" not in err and "internal error" not in err, err
    assert said in err, err
    assert tree_digest(edition / "build" / "site") == site  # nothing of the failed build reached the site
    (edition / "templates" / name).unlink()
    assert run(["build", "-f", str(edition / "mkdocs.yml"), "-j", workers])[0] == 0


def test_mkdocs_says_which_template_failed(edition: Path) -> None:
    (edition / "content" / "index.md").write_text("# An edition\n", encoding="utf-8")
    _override(edition, "partials/release.html", UNKNOWN_NAME)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(edition / "mkdocs.yml")],
                          capture_output=True, text=True, cwd=edition, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "templates/partials/release.html:2:1: error: the template failed: 'editor' is undefined" in done.stderr


def test_despatch_serve_says_where_a_template_failed_and_serves_on(edition: Path) -> None:
    said: list[str] = []
    with _serving("despatch", edition, 90, said, ready="Watching for changes"):
        _override(edition, "partials/release.html", UNKNOWN_NAME)
        _said_soon(said, "Build failed; still serving the previous site.")
        assert "templates/partials/release.html:2:1:" in "".join("".join(said).split())
        builds = "".join(said).count("Built ")
        (edition / "templates" / "partials" / "release.html").write_text('<p class="release">Fixed</p>\n',
                                                                         encoding="utf-8")
        deadline = time.monotonic() + 60
        while "".join(said).count("Built ") == builds:  # a template changed: every page again
            assert time.monotonic() < deadline, "".join(said)
            time.sleep(0.1)
        assert "Fixed" in (edition / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert "Traceback" not in "".join(said)


@pytest.mark.parametrize("tool", ["despatch", "mkdocs"])
def test_a_templates_folder_begun_while_serving_is_watched(edition: Path, tool: str) -> None:
    """The editor's first template of their own, made while a server runs: the pages show it, and so
    they do the template's next edit."""
    (edition / "content" / "index.md").write_text("# An edition\n", encoding="utf-8")
    source = min((edition / "content").rglob("d*.txt"))
    page = f"/{source.parent.name}/{source.stem}/"
    ready = "Watching for changes" if tool == "despatch" else "Serving on"
    with _serving(tool, edition, 90, ready=ready) as base:
        assert not (edition / "templates").exists()
        for text in ("A release of our own", "Our release, revised"):
            _override(edition, "partials/release.html", f'<p class="release">{text}</p>\n')
            deadline = time.monotonic() + 60
            while text not in fetch(base + page):
                assert time.monotonic() < deadline, f"{text!r} never reached the served page"
                time.sleep(0.2)
