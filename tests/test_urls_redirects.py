"""Redirects: declared in YAML, derived for notes and renumbered documents, emitted three ways."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pytest

from despatch.errors import SourceError
from despatch.model import DocRecord
from despatch.urls.publish import derived_redirects
from despatch.urls.redirects import declared_redirects, emit_redirects, load_redirects_file, note_redirects, \
    redirect_origins, resolve

ROOT = Path(__file__).resolve().parent.parent


def config(tmp_path: Path, **kw: object) -> SimpleNamespace:
    base = dict(site_url="https://example.org/", url_prefix="", content_dir=tmp_path, redirects={},
                templates_dir=ROOT / "templates", version="1.2", release_date="2026-11-28")
    base.update(kw)
    return SimpleNamespace(**base)


def test_redirects_file_and_plugin_option_merge(tmp_path: Path) -> None:
    (tmp_path / "redirects.yml").write_text("# renumbered\nfrus1961-63v13/d12: frus1961-63v13/d13\n", "utf-8")
    cfg = config(tmp_path, redirects={"frus1961-63v13/d7": "frus1961-63v13/d8/"})
    assert declared_redirects(cfg) == {"frus1961-63v13/d7/": "frus1961-63v13/d8/",
                                       "frus1961-63v13/d12/": "frus1961-63v13/d13/"}


@pytest.mark.parametrize("text,line,col,message", [
    ("a: [b\n", 2, 1, "not valid YAML"),
    ("- a\n- b\n", 1, 1, "must be a mapping"),
    ("a: b\nc:\n  - d\n", 3, 3, "maps one path to one path"),
    ("a: b\nc: d\na: e\n", 3, 1, "declared twice"),
])
def test_bad_redirects_file_names_the_place(tmp_path: Path, text: str, line: int, col: int, message: str) -> None:
    path = tmp_path / "redirects.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load_redirects_file(path)
    diag = err.value.diagnostics[0]
    assert (diag.line, diag.col) == (line, col) and message in diag.message and diag.path == str(path)


def test_note_redirects_cover_every_note_and_only_notes() -> None:
    rec = DocRecord(volume="v1", id="d245", n="245", title="t", anchors=["d245fn0", "d245fn1", "pg_691", "d245"])
    assert note_redirects([rec]) == {"v1/d245fn0/": "v1/d245/#d245fn0", "v1/d245fn1/": "v1/d245/#d245fn1"}


def test_renumbered_document_takes_its_tei_and_note_urls_along() -> None:
    declared = {"v1/d12/": "v1/d13/"}
    notes = {"v1/d13fn1/": "v1/d13/#d13fn1"}
    assert derived_redirects(["v1/d12fn1/", "v1/d12fn2/", "v1/d5fn1/"], declared, notes) == {
        "v1/d12.xml": "v1/d13.xml", "v1/d12fn1/": "v1/d13/#d13fn1", "v1/d12fn2/": "v1/d13/"}


def test_resolve_follows_chains_and_reports_loops_and_dead_targets() -> None:
    published = {"v1/d14/", "v1/d1/"}
    out, diags = resolve({"v1/d12/": "v1/d13/", "v1/d13/": "v1/d14/", "v1/a/": "v1/b/", "v1/b/": "v1/a/",
                          "v1/x/": "v1/gone/", "v1/d1/": "v1/d14/"}, published,
                         {"v1/x/": ("content/redirects.yml", 4, 1)})
    assert out == {"v1/d12/": "v1/d14/", "v1/d13/": "v1/d14/"}
    messages = sorted(d.message for d in diags)
    assert messages == ["redirect from /v1/d1/ would hide a page that the build publishes",
                        "redirect from /v1/x/ points to /v1/gone/, which the build does not publish",
                        "redirect loop: v1/a/ → v1/b/ → v1/a/",
                        "redirect loop: v1/b/ → v1/a/ → v1/b/"]
    gone = next(d for d in diags if "/v1/x/" in d.message)
    assert (gone.path, gone.line, gone.col) == ("content/redirects.yml", 4, 1)


def test_origins_name_the_file_and_line_of_each_declaration(tmp_path: Path) -> None:
    (tmp_path / "redirects.yml").write_text("# moves\nv1/d12: v1/d13\n  \nv1/d20: v1/d21\n", "utf-8")
    mkdocs = tmp_path / "mkdocs.yml"
    mkdocs.write_text("plugins:\n  - despatch:\n      redirects:\n        v1/d7: v1/d8\n", "utf-8")
    cfg = config(tmp_path, redirects={"v1/d7": "v1/d8"}, config_path=mkdocs)
    assert redirect_origins(cfg, lambda p: p.name) == {
        "v1/d7/": ("mkdocs.yml", 4, 9), "v1/d12/": ("redirects.yml", 2, 1), "v1/d20/": ("redirects.yml", 4, 1)}


def test_emit_writes_static_pages_server_rules_and_a_map(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    cfg = config(tmp_path, url_prefix="historicaldocuments/")
    emit_redirects(site, {"v1/d12/": "v1/d13/", "v1/d12.xml": "v1/d13.xml",
                          "v1/d13fn1/": "v1/d13/#d13fn1"}, cfg)
    page = lxml.html.parse(str(site / "historicaldocuments/v1/d12/index.html")).getroot()
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=../d13/"]
    assert page.xpath("//link[@rel='canonical']/@href") == ["https://example.org/historicaldocuments/v1/d13/"]
    assert page.xpath("//a/@href") == ["../d13/"]
    assert not page.xpath("//script"), "no script on a redirect page"
    assert "Release 1.2" in page.text_content()
    note = lxml.html.parse(str(site / "historicaldocuments/v1/d13fn1/index.html")).getroot()
    assert note.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=../d13/#d13fn1"]
    # A canonical URL names a page, never a place in it.
    assert note.xpath("//link[@rel='canonical']/@href") == ["https://example.org/historicaldocuments/v1/d13/"]
    assert not (site / "historicaldocuments/v1/d12.xml").exists()
    # Note shortcuts follow one rule and get no server rule: hosts cap the number of those.
    assert (site / "_redirects").read_text() == (
        "/historicaldocuments/v1/d12.xml /historicaldocuments/v1/d13.xml 301\n"
        "/historicaldocuments/v1/d12/ /historicaldocuments/v1/d13/ 301\n")
    assert json.loads((site / "redirects.json").read_text()) == {
        "/historicaldocuments/v1/d12.xml": "/historicaldocuments/v1/d13.xml",
        "/historicaldocuments/v1/d12/": "/historicaldocuments/v1/d13/"}


def test_a_document_now_kept_elsewhere_redirects_to_its_absolute_url(tmp_path: Path) -> None:
    (tmp_path / "redirects.yml").write_text("v1/d12: https://history.state.gov/historicaldocuments/v1/d12\n",
                                            encoding="utf-8")
    cfg = config(tmp_path)
    declared = declared_redirects(cfg)
    assert declared == {"v1/d12/": "https://history.state.gov/historicaldocuments/v1/d12"}
    out, diags = resolve(declared, {"v1/"})
    assert out == declared and diags == []
    site = tmp_path / "site"
    site.mkdir()
    emit_redirects(site, out, cfg)
    page = lxml.html.parse(str(site / "v1/d12/index.html")).getroot()
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=https://history.state.gov/historicaldocuments/v1/d12"]
    assert (site / "_redirects").read_text() == "/v1/d12/ https://history.state.gov/historicaldocuments/v1/d12 301\n"
