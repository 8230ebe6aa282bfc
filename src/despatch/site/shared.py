"""What every worker needs of the edition (apart from the workers: a build that renders nothing needs this alone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..volume import Volume


@dataclass
class Shared:
    """What every worker needs, sent once per process rather than with every task."""

    config: Config
    volumes: dict[str, Volume]
    persons: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    terms: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    docs: frozenset[tuple[str, str]] = frozenset()
    pages: frozenset[tuple[str, str]] | None = None
    csp: str = ""
    nav_links: list[dict[str, str]] = field(default_factory=list)
