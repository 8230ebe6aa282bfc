"""What every source reader returns: one TEI document div plus what the text said about itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree


@dataclass
class Converted:
    """A source converted to TEI.

    ``div`` is a ``tei:div[@type='document']`` following the FRUS conventions (xml:id, n, subtype,
    head with the source note, notes in place, pb, dateline, closer). ``meta`` holds front-matter
    keys (volume, id, date, ...). ``lines`` maps xml:ids made from the source to the 1-based source
    line they came from, so later stages (link checking) can name ``file:line``.
    """

    div: etree._Element
    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
