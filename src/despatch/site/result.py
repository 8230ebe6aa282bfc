"""What a build reports: its summary when it succeeds, the errors it found when it fails."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..errors import Report
from .pages import Edition


class BuildFailed(Exception):
    """The build found errors; the previous site was left untouched."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"{len(report.errors)} error(s)")


@dataclass
class BuildResult:
    """What a build did, for the summary line."""

    documents: int = 0
    volumes: int = 0
    pages: int = 0
    rendered: int = 0
    incremental: bool = False
    seconds: float = 0.0
    report: Report = field(default_factory=Report)
    stats: dict[str, Any] = field(default_factory=dict)


def finished(result: BuildResult, edition: Edition, start: float, delta: bool) -> BuildResult:
    """Fill in the summary of a build that succeeded."""
    result.documents = sum(len(v) for v in edition.records.values())
    result.volumes = len(edition.volumes)
    result.incremental = delta
    result.seconds = time.perf_counter() - start
    return result
