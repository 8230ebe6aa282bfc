"""A build that finds every source as the last build read it says what that build said, without a record."""

from __future__ import annotations

from pathlib import Path

import pytest
from robust import TEI_DOC, tree_digest, write_project

from despatch.config import load_config
from despatch.site import asbuilt, gather
from despatch.site import build as build_module
from despatch.site.build import build
from despatch.site.result import BuildResult

VOL = "frus1961-63v13"


def _sources(extra: str = "") -> dict[str, dict[str, str]]:
    # d2 points at a note d1 does not have: with strict_links off, a warning of the gather stage.
    return {VOL: {"d1.xml": TEI_DOC.format(n=1, body="<p>First.</p>"),
                  "d2.xml": TEI_DOC.format(n=2, body=f'<p>See <ref target="#d1fn9">a note</ref>.{extra}</p>')}}


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return write_project(tmp_path / "ed", _sources())


def _build(root: Path, **overrides: object) -> BuildResult:
    return build(load_config(root / "mkdocs.yml", workers=1, **overrides))


def _gathers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the gather stages run from now on."""
    runs: list[int] = []
    real = gather.gather

    def counted(*args: object, **kw: object):  # type: ignore[no-untyped-def]
        runs.append(1)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gather, "gather", counted)
    return runs


def _said(result: BuildResult) -> tuple:
    return (result.documents, result.volumes, result.pages, result.rendered, result.incremental,
            [(d.path, d.line, d.col, d.message, d.severity) for d in result.report.items],
            {k: v for k, v in result.stats.items() if isinstance(v, (int, str))})


def test_an_unchanged_build_says_again_what_the_last_one_said(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _build(edition)
    assert [d.severity for d in first.report.items] == ["warning"] and "d1fn9" in first.report.items[0].message
    site = tree_digest(edition / "build" / "site")
    # The build before this change of code: the records made, gathered and keyed, and found unchanged.
    monkeypatch.setattr(asbuilt, "stands", lambda *a: False)
    made = _build(edition)
    monkeypatch.undo()
    runs = _gathers(monkeypatch)
    told = _build(edition)
    assert runs == [], "no record is gathered"
    assert _said(told) == _said(made)
    assert told.documents == 2 and told.incremental and told.report.warnings
    assert tree_digest(edition / "build" / "site") == site


def test_an_edit_or_another_setting_reads_as_before(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(edition)
    runs = _gathers(monkeypatch)
    (edition / "content" / VOL / "d2.xml").write_text(_sources(" Edited.")[VOL]["d2.xml"], encoding="utf-8")
    assert _build(edition).rendered >= 1 and len(runs) == 1
    assert "Edited." in (edition / "build" / "site" / VOL / "d2" / "index.html").read_text(encoding="utf-8")
    _build(edition)
    assert len(runs) == 1, "unchanged since: not gathered"
    # Links checked strictly now: the dangling note is an error, which only the gather stage can say.
    with pytest.raises(build_module.BuildFailed):
        _build(edition, strict_links=True)
    assert len(runs) == 2


def test_a_read_no_build_finished_is_not_taken_for_the_last_build(edition: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _build(edition)
    (edition / "content" / VOL / "d2.xml").write_text(_sources(" Edited.")[VOL]["d2.xml"], encoding="utf-8")

    def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("stopped after its read")

    # The snapshot now holds the edited source's record; the manifest is the last finished build's.
    monkeypatch.setattr(build_module, "render_stage", broken)
    with pytest.raises(RuntimeError):
        _build(edition)
    monkeypatch.undo()
    runs = _gathers(monkeypatch)
    assert _build(edition).rendered >= 1 and runs == [1]
    assert "Edited." in (edition / "build" / "site" / VOL / "d2" / "index.html").read_text(encoding="utf-8")


def test_a_preview_since_is_built(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.site.manifest import Manifest

    _build(edition)
    manifest = Manifest(edition / "build" / ".cache" / "manifest.json")
    manifest.data["previewed"] = {f"{VOL}/d2": "a key"}
    manifest.write()
    runs = _gathers(monkeypatch)
    _build(edition)
    assert runs == [1]


def test_a_source_gone_is_looked_at(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _build(edition)
    (edition / "content" / VOL / "d2.xml").unlink()
    runs = _gathers(monkeypatch)
    with pytest.raises(build_module.BuildFailed):  # its published URL would be withdrawn: said, not passed over
        _build(edition)
    assert runs == [1]


def test_an_unchanged_build_reads_no_part_of_the_manifest(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.site.manifest import Manifest

    _build(edition)
    read: list[int] = []
    real = Manifest.read_parts
    monkeypatch.setattr(Manifest, "read_parts", lambda self: (read.append(1), real(self))[1])
    assert _build(edition).incremental and read == []
    (edition / "content" / VOL / "d2.xml").write_text(TEI_DOC.format(n=2, body="<p>Changed.</p>"), encoding="utf-8")
    assert _build(edition).incremental and read == [1]       # an edit reads them, once


def test_a_part_of_the_manifest_gone_since_makes_a_full_build(edition: Path) -> None:
    _build(edition)
    (edition / "content" / VOL / "d2.xml").write_text(TEI_DOC.format(n=2, body="<p>Changed.</p>"), encoding="utf-8")
    next((edition / "build" / ".cache").glob("manifest-pages-*")).unlink()
    result = _build(edition)
    assert not result.incremental and result.documents == 2
    assert "Changed." in (edition / "build" / "site" / VOL / "d2" / "index.html").read_text(encoding="utf-8")
    assert _build(edition).incremental    # and the manifest it saved is whole again
