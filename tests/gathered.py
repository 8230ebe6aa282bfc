"""An edition read and gathered as a build does, without writing pages: for tests of the index pages."""

from __future__ import annotations

from pathlib import Path

from despatch.config import load_config
from despatch.errors import Report
from despatch.site.collect import collect
from despatch.site.gather import gather
from despatch.site.pages import Edition
from despatch.site.prepare import shared_for
from despatch.site.stages import docs_dir, read_stage


def gathered(root: Path, search: bool = False) -> Edition:
    """The project at ``root`` read by one process and gathered into its edition."""
    config = load_config(root / "mkdocs.yml", workers=1, search=search)
    report = Report()
    volumes = collect(config, report)
    shared = shared_for(config, volumes)
    records = read_stage(config, volumes, shared, docs_dir(config), "base", report, lambda *a: None)
    return gather(config, volumes, records, report)
