"""The URL ledger and redirects in real builds of a copy of the example edition."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml
from conftest import copy_project

from despatch.cli import main
from despatch.config import load_config
from despatch.site.build import build
from despatch.site.result import BuildFailed
from despatch.urls.ledger import read_ledger

VOL = "frus1961-63v13"


def run(project: Path) -> None:
    build(load_config(project / "mkdocs.yml", search=False, ebooks=False))


def set_option(project: Path, key: str, value: object) -> None:
    """Change one despatch option in the copy's mkdocs.yml."""
    path = project / "mkdocs.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["plugins"]:
        if isinstance(entry, dict) and "despatch" in entry:
            entry["despatch"][key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def renumber_seed(project: Path, new: str) -> None:
    """Make the seed document number ``new`` (its heading gives the number), as a renumbering does."""
    source = project / "content" / VOL / "d245.txt"
    text = source.read_text(encoding="utf-8")
    assert text.startswith("245. ")
    source.write_text(f"{new}. " + text[len("245. "):], encoding="utf-8")


def errors(exc: pytest.ExceptionInfo[BuildFailed]) -> str:
    return "\n".join(str(d) for d in exc.value.report.errors)


def refresh_target(page: Path) -> str:
    root = lxml.html.parse(str(page)).getroot()
    return root.xpath("//meta[@http-equiv='refresh']/@content")[0].split("url=", 1)[1]


def test_first_build_records_the_ledger(project: Path) -> None:
    run(project)
    ledger = [p for p, _ in read_ledger(project / "content" / "urls.lock")]
    for path in ("", f"{VOL}/", f"{VOL}/d245/", f"{VOL}/d245.xml", f"{VOL}/d245fn1/"):
        assert path in ledger
    assert (project / "build" / "urls.txt").read_text() == (project / "build" / "site" / "urls.txt").read_text()


def test_search_files_an_earlier_version_recorded_are_not_urls_to_keep(project: Path) -> None:
    """Earlier builds could record the recent search layer's files (``pagefind-recent/``, named by
    their contents) in the ledger; a build without them drops no URL, and the ledger loses them."""
    run(project)
    ledger = project / "content" / "urls.lock"
    stale = ["pagefind-recent/pagefind-entry.json", "pagefind-recent/fragment/en_516f5f2.pf_fragment"]
    ledger.write_text(ledger.read_text(encoding="utf-8") + "".join(f"/{p}\n" for p in stale), encoding="utf-8")
    (project / "content" / VOL / "d246.txt").write_text(
        (project / "content" / VOL / "d245.txt").read_text(encoding="utf-8").replace("245. ", "246. ", 1),
        encoding="utf-8")   # a new document: the ledger is written again
    run(project)
    kept = [p for p, _ in read_ledger(ledger)]
    assert f"{VOL}/d246/" in kept and not [p for p in kept if "pagefind" in p]


def test_removing_a_document_fails_naming_its_url(project: Path) -> None:
    run(project)
    (project / "content" / VOL / "d245.txt").unlink()
    with pytest.raises(BuildFailed) as exc:
        run(project)
    text = errors(exc)
    assert "content/urls.lock:" in text
    for url in (f"/{VOL}/d245/", f"/{VOL}/d245.xml", f"/{VOL}/d245fn1/"):
        assert f"the build would drop the published URL {url}\n" in text
    # The site of the last good build stays in place.
    assert (project / "build" / "site" / VOL / "d245" / "index.html").is_file()


def test_a_declared_redirect_makes_a_renumbering_pass_and_the_old_urls_redirect(project: Path) -> None:
    run(project)
    renumber_seed(project, "246")
    with pytest.raises(BuildFailed) as exc:
        run(project)
    assert f"/{VOL}/d245/" in errors(exc)
    (project / "content" / "redirects.yml").write_text(f"{VOL}/d245: {VOL}/d246\n", encoding="utf-8")
    run(project)
    site = project / "build" / "site"
    assert (site / VOL / "d246" / "index.html").is_file()
    assert refresh_target(site / VOL / "d245" / "index.html") == "../d246/"
    assert refresh_target(site / VOL / "d245fn1" / "index.html") == "../d246/#d246fn1"
    assert refresh_target(site / VOL / "d246fn1" / "index.html") == "../d246/#d246fn1"
    rules = (site / "_redirects").read_text().splitlines()
    assert f"/{VOL}/d245/ /{VOL}/d246/ 301" in rules and f"/{VOL}/d245.xml /{VOL}/d246.xml 301" in rules
    sitemap = (site / "sitemap.xml").read_text()
    assert f"/{VOL}/d246/</loc>" in sitemap and f"/{VOL}/d245/</loc>" not in sitemap
    ledger = [p for p, _ in read_ledger(project / "content" / "urls.lock")]
    assert f"{VOL}/d245/" in ledger and f"{VOL}/d246/" in ledger


def test_a_redirect_in_mkdocs_yml_counts_too(project: Path) -> None:
    run(project)
    renumber_seed(project, "300")
    set_option(project, "redirects", {f"{VOL}/d245": f"{VOL}/d300"})
    run(project)
    assert refresh_target(project / "build" / "site" / VOL / "d245" / "index.html") == "../d300/"


def test_a_redirect_to_nowhere_fails(project: Path) -> None:
    run(project)
    (project / "content" / "redirects.yml").write_text(f"{VOL}/d1: {VOL}/d2\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as exc:
        run(project)
    text = errors(exc)
    assert f"content/redirects.yml:1:1: error: redirect from /{VOL}/d1/ points to /{VOL}/d2/, " \
           "which the build does not publish" in text


def test_accept_urls_after_a_deliberate_removal(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(project)
    (project / "content" / VOL / "d245.txt").unlink()
    with pytest.raises(BuildFailed):
        run(project)
    assert main(["accept-urls", "-f", str(project / "mkdocs.yml")]) == 0
    assert f"dropped: /{VOL}/d245/" in capsys.readouterr().out
    run(project)
    assert f"{VOL}/d245/" not in [p for p, _ in read_ledger(project / "content" / "urls.lock")]


def test_a_url_prefix_moves_every_url_under_it(project: Path) -> None:
    set_option(project, "url_prefix", "historicaldocuments/")
    run(project)
    site = project / "build" / "site"
    assert (site / "historicaldocuments" / VOL / "d245" / "index.html").is_file()
    assert refresh_target(site / "historicaldocuments" / VOL / "d245fn1" / "index.html") == "../d245/#d245fn1"
    ledger = [p for p, _ in read_ledger(project / "content" / "urls.lock")]
    assert f"historicaldocuments/{VOL}/d245/" in ledger and f"{VOL}/d245/" not in ledger
    assert f"https://example.org/historicaldocuments/{VOL}/d245/</loc>" in (site / "sitemap.xml").read_text()
    assert (site / "robots.txt").is_file()


def test_url_outputs_are_byte_identical_across_builds(project: Path) -> None:
    (project / "content" / "redirects.yml").write_text("", encoding="utf-8")
    run(project)
    site = project / "build" / "site"
    names = ["_redirects", "redirects.json", "sitemap.xml", "robots.txt", "urls.txt",
             f"{VOL}/d245fn1/index.html", f"{VOL}/references.bib", f"{VOL}/references.ris", f"{VOL}/references.json"]
    first = {n: (site / n).read_bytes() for n in names}
    run(project)
    assert {n: (site / n).read_bytes() for n in names} == first


def test_too_many_server_rules_for_cloudflare_is_a_warning(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.urls import publish

    monkeypatch.setattr(publish, "CLOUDFLARE_RULES", 1)
    run(project)
    renumber_seed(project, "246")
    (project / "content" / "redirects.yml").write_text(f"{VOL}/d245: {VOL}/d246\n", encoding="utf-8")
    result = build(load_config(project / "mkdocs.yml", search=False, ebooks=False))
    warnings = [d.message for d in result.report.warnings]
    assert any("server redirect rules; Cloudflare Pages reads at most 1" in w for w in warnings), warnings


def test_note_shortcuts_can_be_turned_off(project: Path) -> None:
    set_option(project, "note_redirects", False)
    run(project)
    site = project / "build" / "site"
    assert (site / VOL / "d245" / "index.html").is_file() and not (site / VOL / "d245fn1").exists()
    assert f"{VOL}/d245fn1/" not in [p for p, _ in read_ledger(project / "content" / "urls.lock")]


def test_incremental_builds_still_publish_every_document(project: Path) -> None:
    """A build that re-renders nothing stages no document page; the ledger and sitemap keep them all."""
    run(project)
    config = load_config(project / "mkdocs.yml", search=False, ebooks=False)
    build(config)
    result = build(config)
    assert result.incremental and result.rendered == 0 and result.report.errors == []
    site = project / "build" / "site"
    assert f"https://example.org/{VOL}/d245/</loc>" in (site / "sitemap.xml").read_text()
    assert f"/{VOL}/d245/\n" in (site / "urls.txt").read_text()


def _sitemap_paths(site: Path) -> set[str]:
    root = lxml.etree.parse(str(site / "sitemap.xml")).getroot()
    return {loc.text.removeprefix("https://example.org/")
            for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}


def _indexable_pages(site: Path) -> tuple[set[str], set[str]]:
    """The published folder pages (urls.txt) split by their robots meta: (indexable, noindex)."""
    indexable, hidden = set(), set()
    for line in (site / "urls.txt").read_text(encoding="utf-8").splitlines():
        path = line.removeprefix("/")
        if line.startswith("#") or not (path.endswith("/") or path == ""):
            continue
        page = lxml.html.parse(str(site / path / "index.html")).getroot()
        noindex = any("noindex" in (m.get("content") or "") for m in page.iter("meta") if m.get("name") == "robots")
        (hidden if noindex else indexable).add(path)
    return indexable, hidden


def test_sitemap_lists_every_indexable_page_and_no_redirect(tmp_path: Path) -> None:
    """Printed pages holding one document redirect to it (noindex): published, never in the sitemap."""
    project = copy_project(tmp_path / "project")
    (project / "content" / "urls.lock").unlink()  # the ledger's /search/: built here without search
    config = load_config(project / "mkdocs.yml", search=False, ebooks=False)
    build(config)
    site = project / "build" / "site"
    indexable, hidden = _indexable_pages(site)
    assert {p for p in hidden if "/pg_" in p} and {p for p in indexable if "/pg_" in p}
    assert _sitemap_paths(site) == indexable
    redirect = lxml.html.parse(str(site / VOL / "pg_691" / "index.html")).getroot()
    assert redirect.xpath("//link[@rel='canonical']/@href") == [f"https://example.org/{VOL}/d245/"]
    assert refresh_target(site / VOL / "pg_691" / "index.html") == "../d245/#pg_691"
    # An incremental build that makes the volume's pages again lists the same.
    source = project / "content" / VOL / "d245.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Secto 24.", "Secto 24 .", 1), encoding="utf-8")
    assert build(config).incremental
    assert _sitemap_paths(site) == _indexable_pages(site)[0] == indexable
