"""The URL stage a part of the site at a time: the same lists, ledger and sitemap as the whole sets gave."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import profile

from despatch.config import load_config
from despatch.site.build import build
from despatch.urls.chunks import key_of
from despatch.urls.ledger import (
    HEADER,
    check_ledger,
    grow_ledger,
    iter_ledger,
    published_urls,
    read_ledger,
)
from despatch.urls.lists import LedgerCheck, ListWriter, sorted_entries
from despatch.urls.scheme import normalize

VOL = "frus1961-63v13"
SEGMENTS = st.sampled_from(["a", "b", "a-b", "a.b", "d1", "d1.xml", "d10", "pg_3", "_2", "ab", "A", "é"])
paths = st.lists(SEGMENTS, min_size=0, max_size=4).map("/".join).map(normalize)


@profile()
@given(st.lists(paths, max_size=40), st.sampled_from(["", "historicaldocuments/", "a/b/"]))
def test_parts_in_the_order_of_their_keys_give_every_path_in_order(found: list[str], prefix: str) -> None:
    """The stage writes each part's paths sorted, the parts by their keys: that is the order of all."""
    public = [normalize(prefix + p) for p in found]
    by_part = sorted(public, key=lambda p: (normalize(key_of(p, prefix)), p))
    assert by_part == sorted(public)


ledgers = st.lists(st.tuples(paths, st.integers(1, 500)), max_size=30)


@profile()
@given(ledgers, st.sets(paths, max_size=30), st.sets(paths, max_size=5), st.integers(1, 4))
def test_the_merged_check_and_growth_are_the_whole_sets(tmp_path_factory: pytest.TempPathFactory,
                                                         entries: list[tuple[str, int]], published: set[str],
                                                         moved: set[str], size: int) -> None:
    """Dropped paths (with their lines) and the grown ledger are those of check_ledger and grow_ledger."""
    folder = tmp_path_factory.mktemp("ledger")
    lines = [""] * max([n for _, n in entries] + [0])
    for path, n in entries:
        lines[n - 1] = "/" + path
    ledger = folder / "urls.lock"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_ledger(ledger)
    expected = check_ledger(published, ledger, moved, read)
    grown = folder / "grown.lock"
    ledger_copy = folder / "copy.lock"
    ledger_copy.write_bytes(ledger.read_bytes())
    grow_ledger(published, ledger_copy, read)

    check = LedgerCheck(ledger, sorted_entries(ledger), moved, ListWriter(grown))
    ordered = sorted(published)
    for start in range(0, len(ordered), size):
        check.add(ordered[start:start + size])
    lost = check.finish()
    assert check.grow is not None
    check.grow.close()
    assert [(d.line, d.message) for d in lost] == [(d.line, d.message) for d in expected]
    assert check.added == len(published - {p for p, _ in read})
    assert grown.read_text(encoding="utf-8") == HEADER + "".join(f"/{p}\n" for p in sorted(published | {p for p, _ in read}))
    if published - {p for p, _ in read}:
        assert grown.read_bytes() == ledger_copy.read_bytes()


@profile()
@given(st.lists(st.sampled_from(["/v1/d1/", "# note", "", "  /v1/d2/ ", "\r", "\u2028", "\x0c", "/v1/d3.xml"]),
                max_size=12).map("\n".join))
def test_the_ledger_read_a_line_at_a_time_numbers_lines_as_the_whole_text_did(tmp_path_factory: pytest.TempPathFactory,
                                                                              text: str) -> None:
    path = tmp_path_factory.mktemp("lines") / "urls.lock"
    path.write_bytes(text.encode("utf-8"))
    whole = [(normalize(line.strip()), n) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if line.strip() and not line.strip().startswith("#")]
    assert list(iter_ledger(path)) == whole


def _set(project: Path, **options: object) -> None:
    path = project / "mkdocs.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in data["plugins"]:
        if isinstance(entry, dict) and "despatch" in entry:
            entry["despatch"].update(options)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize("prefix", ["", "historicaldocuments/", "a/b/"])
def test_the_list_is_every_path_the_site_serves(tmp_path: Path, prefix: str) -> None:
    """A full build's list is the walk of its finished site (but for the files the stage writes after
    it), with a renumbered document's redirects; an incremental build's list is the full build's."""
    project = copy_project(tmp_path / "project")
    (project / "content" / "urls.lock").unlink()
    _set(project, url_prefix=prefix)
    config = load_config(project / "mkdocs.yml", search=False, ebooks=False)
    build(config)
    source = project / "content" / VOL / "d245.txt"
    source.write_text("246. " + source.read_text(encoding="utf-8").removeprefix("245. "), encoding="utf-8")
    (project / "content" / "redirects.yml").write_text(f"{VOL}/d245: {VOL}/d246\n", encoding="utf-8")
    build(load_config(project / "mkdocs.yml", search=False, ebooks=False))
    site = project / "build" / "site"
    listed = [p for p, _ in read_ledger(site / "urls.txt")]
    after = {"robots.txt", "sitemap.xml"}
    assert listed == [p for p in published_urls(site) if p not in after]
    assert f"{prefix}{VOL}/d245/" in listed and f"{prefix}{VOL}/d246fn1/" in listed
    assert f"{prefix}{VOL}/d245.xml" not in listed   # a moved data file is the server's rule only
    # A document added: the URLs change, and the build that stages only it lists the whole site again.
    added = source.with_name("d300.txt")
    added.write_text("300. " + source.read_text(encoding="utf-8").removeprefix("246. "), encoding="utf-8")
    result = build(load_config(project / "mkdocs.yml", search=False, ebooks=False))
    assert result.incremental and result.rendered < result.documents
    relisted = [p for p, _ in read_ledger(site / "urls.txt")]
    assert relisted == [p for p in published_urls(site) if p not in after]
    assert set(relisted) - set(listed) == {f"{prefix}{VOL}/d300/", f"{prefix}{VOL}/d300.xml",
                                           *(f"{prefix}{VOL}/d300fn{n}/" for n in range(3))}
    assert (project / "build" / "urls.txt").read_bytes() == (site / "urls.txt").read_bytes()
    assert {p for p, _ in read_ledger(project / "content" / "urls.lock")} >= set(relisted)


def test_a_bad_ledger_line_stops_the_stage_before_any_list_is_written(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", [VOL])
    config = load_config(project / "mkdocs.yml", search=False, ebooks=False)
    build(config)
    listing = project / "build" / "urls.txt"
    before = listing.read_bytes()
    ledger = project / "content" / "urls.lock"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "/a b/\n", encoding="utf-8")
    with pytest.raises(Exception, match="1 error"):
        build(load_config(project / "mkdocs.yml", search=False, ebooks=False))
    assert listing.read_bytes() == before
    assert not list((project / "build").glob("*.tmp")) and not list((project / "content").glob("*.tmp"))
