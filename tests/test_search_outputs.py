"""A full build with search lists its outputs while the last volumes are indexed, then the bundles' files:
the same list as a walk of the whole staged site."""

from __future__ import annotations

from pathlib import Path

from despatch.config import load_config
from despatch.site import manifest
from despatch.site.build import build
from despatch.site.outputs import files_under, index_outputs
from despatch.site.stages import docs_dir


def test_outputs_listed_around_the_search_are_those_of_the_whole_site(project: Path) -> None:
    config = load_config(project / "mkdocs.yml")
    hold: list[object] = []
    build(config, hold=hold)
    edition = hold[0]
    root = config.site_dir / config.url_prefix
    volumes = sorted(edition.volumes)  # type: ignore[attr-defined]
    whole = index_outputs(root, edition)  # type: ignore[arg-type]
    bundles = ["pagefind"] + [f"{vol}/pagefind" for vol in volumes]
    split = sorted(index_outputs(root, edition, skip=("pagefind",)) + files_under(root, bundles))  # type: ignore[arg-type]
    assert split == whole
    assert "pagefind/pagefind-entry.json" in whole and f"{volumes[0]}/pagefind/pagefind-entry.json" in whole
    # What the build recorded for the next one to compare with.
    saved = manifest.Manifest(docs_dir(config).parent / "manifest.json").data.get("outputs")
    assert list(saved) == whole


def test_files_under_leaves_out_what_is_not_there(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.json").write_text("{}")
    (tmp_path / "a" / "y").write_text("")
    assert files_under(tmp_path, ["a", "missing"]) == ["a/b/x.json", "a/y"]
