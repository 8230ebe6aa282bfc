"""``despatch check``: read and validate the whole edition, writing nothing, reporting every problem."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .config import Config
from .errors import Report
from .site import gather
from .site.cacheentry import load_entry
from .site.stages import read_stage
from .site.collect import collect
from .site.prepare import shared_for
from .sources.base import Converted
from .tei.document import build_tei
from .tei.xmlio import parse_bytes
from .validate.schema import validate_tei


def check_edition(config: Config) -> Report:
    """Every source read, every document's TEI validated, ids and links checked."""
    report = Report(list(config.notices))
    volumes = collect(config, report)
    shared = shared_for(config, volumes)
    stash = Path(tempfile.mkdtemp(prefix="despatch-check-"))
    try:
        # A private cache: checking must not write into the build folder.
        records = read_stage(config, volumes, shared, stash, "check", report, lambda *a: None, snapshot=None)
        gather.gather(config, volumes, records, report)
        for rec in records:
            entry = load_entry(stash / f"{rec.digest}.doc")
            assert entry is not None  # read_stage just wrote it
            div = parse_bytes(entry[1], rec.source).getroot()
            tree = build_tei(Converted(div, rec.source), shared.volumes[rec.volume], rec.source)
            for diag in validate_tei(tree, rec.source):
                report.add(diag)
    finally:
        shutil.rmtree(stash, ignore_errors=True)
    return report
