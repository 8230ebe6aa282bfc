"""The build's ebook step: one EPUB per volume, next to the volume's page, from the TEI the build wrote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model import DocRecord
from .epub import write_epub


def release_time(config: Any) -> dt.datetime | None:
    """The edition's release date as the ebooks' modification time (None when absent or malformed)."""
    try:
        return dt.datetime.fromisoformat(str(getattr(config, "release_date", "") or ""))
    except ValueError:
        return None


def volume_docs(root: Path, volume: str, records: list[DocRecord]) -> Iterator[tuple[DocRecord, bytes]]:
    """Each document's record with the TEI file the build published beside its page."""
    for rec in records:
        yield rec, (root / volume / f"{rec.id}.xml").read_bytes()


def write_volume_epubs(edition: Any, root: Path) -> list[Path]:
    """Write ``<volume>/<volume>.epub`` under the site root for every volume with documents."""
    written = []
    for vol_id in sorted(edition.volumes):
        records = edition.records.get(vol_id) or []
        if not records:
            continue
        out = root / vol_id / f"{vol_id}.epub"
        written.append(write_epub(edition.volumes[vol_id], volume_docs(root, vol_id, records), out,
                                  modified=release_time(edition.config),
                                  web_base=str(getattr(edition.config, "canonical_base", "") or "")))
    return written
