"""What a serving process keeps of the edition between previews, so that an edit reads its own volume only.

A preview otherwise makes every record of the edition again, orders every volume, checks every link
and keys every document: seconds, at the scale of FRUS, for one edited page. `despatch serve` learns
from the file notifications which sources changed. When nothing but sources of the volumes held
changed (no file added, removed or renamed; no volume file, list, template or configuration), the
preview reads those volumes again and checks what they could have changed: their own links, and
that no document, anchor or page another volume may link to is gone. Otherwise it reads the whole
edition, as a preview always did, and holds that.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from ..apparatus.links import EditionIndex, check_links
from ..config import Config
from ..errors import Report
from ..model import DocRecord
from .collect import VolumeSources
from .gather import arrange, complete_volumes
from .pages import Edition
from .readers import is_source_name
from .shared import Shared
from .stages import Progress, docs_dir, read_stage, snapshot_file, volume_keys


@dataclass
class Held:
    """The edition as the last preview left it, with its render keys, targets and link index."""

    base: str                              # the render base of its keys
    manifest: tuple[int, int, int] | None  # the manifest file that preview wrote (a build writes another)
    volumes: list[VolumeSources]
    edition: Edition
    keys: dict[str, str]
    shared: Shared
    index: EditionIndex
    docs_hash: str


_HELD: list[Held] = []  # one edition at a time


def keep(held: Held) -> None:
    """Hold an edition for the next preview."""
    _HELD[:] = [held]


def forget() -> None:
    """Hold nothing: the next preview reads the whole edition (after a failure, or anything unforeseen)."""
    _HELD.clear()


def take(base: str, stamp: tuple[int, int, int] | None) -> Held | None:
    """The edition held, if it was keyed with ``base`` against the manifest file now in place."""
    held = _HELD[0] if _HELD else None
    return held if held is not None and held.base == base and held.manifest == stamp else None


def touched_volumes(held: Held, config: Config, volumes: list[VolumeSources],
                    touched: Collection[str]) -> list[VolumeSources] | None:
    """The held volumes whose sources ``touched`` names; None when the volumes' sources are not those
    held, or a path is a file the build may read other than a source (a volume's YAML, a page, a
    template, the configuration). An editor's temporary, swap and backup files in the content are
    passed over: the build reads none of them."""
    if [(v.volume.id, v.sources) for v in volumes] != [(v.volume.id, v.sources) for v in held.volumes]:
        return None
    by_folder = {os.path.join(v.folder, ""): v for v in volumes}
    content = os.path.join(os.path.abspath(config.content_dir), "")
    found: dict[str, VolumeSources] = {}
    for path in map(os.path.abspath, touched):
        vol = by_folder.get(os.path.join(os.path.dirname(path), ""))
        if vol is not None and path in vol.sources:
            found[vol.volume.id] = vol
        elif not path.startswith(content) or is_source_name(os.path.basename(path)) or path.endswith(_READ):
            return None
    return [found[k] for k in sorted(found)]


_READ = (".yml", ".yaml", ".json")  # what else a build reads in the content folder: volumes' files and lists


def update(held: Held, config: Config, again: list[VolumeSources], read_base: str, last: dict[str, Any],
           report: Report, tick: Progress) -> list[str] | None:
    """Read ``again`` these volumes into the held edition, check their links and key their documents;
    their documents' names, or None when a link target may be gone (the whole edition must be read)."""
    edition, shared = held.edition, held.shared
    cached = docs_dir(config)
    names: list[str] = []
    for sources in again:
        vol = sources.volume.id
        docs = read_stage(config, [sources], shared, cached, read_base, report, tick,
                          snapshot=snapshot_file(config), whole=False)
        if report.errors:
            return names
        arrange(docs, edition.chapters.get(vol) or [], report)
        old = edition.records.get(vol, [])
        if not _keeps_targets(old, docs):
            return None
        added = {(vol, p) for rec in docs for p in rec.pages} - {(vol, p) for rec in old for p in rec.pages}
        if added:
            shared.pages = shared.pages | added
        edition.renew(vol, docs)
        held.index.replace(vol, docs)
        names += _rekey(held, vol, docs, last)
    for diag in check_links([r for s in again for r in edition.records[s.volume.id]], config,
                            persons=edition.persons, terms=edition.terms, complete=complete_volumes(edition),
                            index=held.index):
        report.add(diag)
    return names


def _keeps_targets(old: list[DocRecord], new: list[DocRecord]) -> bool:
    """Whether every document, anchor and printed page of ``old`` is still there (others may link to them)."""
    now = {rec.id: rec for rec in new}
    if set(now) != {rec.id for rec in old}:
        return False
    pages = {p for rec in new for p in rec.pages}
    for rec in old:
        if not set(rec.anchors) <= set(now[rec.id].anchors) or not set(rec.pages) <= pages:
            return False
    return True


def _rekey(held: Held, vol: str, docs: list[DocRecord], last: dict[str, Any]) -> list[str]:
    """The volume's render keys made again (the last build's, where its records show what they showed then)."""
    names = [f"{vol}/{rec.id}" for rec in docs]
    held.keys.update(zip(names, volume_keys(held.edition, vol, names, held.base, held.docs_hash, last)[1]))
    return names
