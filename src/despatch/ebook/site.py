"""The build's ebook step: one EPUB per volume, next to the volume's page, from the TEI the build wrote."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model import DocRecord
from .epub import write_epub
from .reuse import Chapters


def release_time(config: Any) -> dt.datetime | None:
    """The edition's release date as the ebooks' modification time (None when absent or malformed)."""
    try:
        return dt.datetime.fromisoformat(str(getattr(config, "release_date", "") or ""))
    except ValueError:
        return None


def volume_docs(root: Path, volume: str, records: list[DocRecord],
                previous: Path | None = None) -> Iterator[tuple[DocRecord, str]]:
    """Each document's record with where its TEI file is: staged by this build beside its page, else
    (an incremental build's unchanged documents) in ``previous``, the live site.

    Paths, not bytes: a file the last EPUB was made from is not read again (see ``epub.Source``). The
    staged folder is listed once, so that an unchanged document's file is not first looked for there.
    """
    folder = os.path.join(root, volume, "")  # strings: a volume has hundreds of documents
    live = os.path.join(previous, volume, "") if previous is not None else None
    staged = _names(folder) if live is not None else None
    for rec in records:
        name = rec.id + ".xml"
        yield rec, (folder if staged is None or live is None or name in staged else live) + name


def _names(folder: str) -> set[str]:
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()


def chapter_record(config: Any, volume: str) -> Path | None:
    """Where the keys of a volume's last EPUB are kept (None for a configuration without a build folder)."""
    build_dir = getattr(config, "build_dir", None)
    return Path(build_dir) / ".cache" / "epub" / f"{volume}.json" if build_dir is not None else None


def reused(config: Any, volume: str, previous: Path | None) -> Chapters | None:
    """The chapters of the volume's EPUB in ``previous`` (the live site), for the one written now."""
    record = chapter_record(config, volume)
    if record is None:
        return None
    return Chapters(record, previous / volume / f"{volume}.epub" if previous is not None else None)


def write_volume_epubs(edition: Any, root: Path, previous: Path | None = None) -> list[Path]:
    """Write ``<volume>/<volume>.epub`` under the site root for every volume with documents.

    ``previous`` is the live site of an incremental build: unchanged chapters come from its EPUBs.
    """
    written = []
    for vol_id in sorted(edition.volumes):
        records = edition.records.get(vol_id) or []
        if not records:
            continue
        out = root / vol_id / f"{vol_id}.epub"
        written.append(write_epub(edition.volumes[vol_id], volume_docs(root, vol_id, records, previous), out,
                                  modified=release_time(edition.config),
                                  web_base=str(getattr(edition.config, "canonical_base", "") or ""),
                                  chapters=reused(edition.config, vol_id, previous), recorded=True))
    return written
