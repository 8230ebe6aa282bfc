"""What an incremental build does again: the documents changed since the last build (or previewed since),
the volumes whose search is indexed whole, and their unchanged pages laid beside the new ones."""

from __future__ import annotations

from pathlib import Path

from . import atomic, searchdelta
from .manifest import Manifest
from .outputs import removed_ids
from .pages import Edition
from .searchdelta import Pending

Changes = tuple[dict[str, str], set[str], set[str], list[str]]  # the last keys, previewed, changed, removed
SearchPlan = tuple[list[str], list[str], Pending, set[str], Pending]  # touched, folded, pending, fresh, old


def changes(keys: dict[str, str], manifest: Manifest, delta: bool) -> Changes:
    """The last build's documents' keys, those previewed since, those to render again and those removed."""
    old = manifest.data.get("docs", {}) if delta else {}
    # A page a preview (or an interrupted build) wrote is rendered again even when its source went
    # back to what was built, and its search is brought up to date.
    previewed = (set(manifest.data.get("previewed", {})) | searchdelta.unsaved(manifest.path.parent)) \
        & set(keys) if delta else set()
    changed = {k for k, v in keys.items() if old.get(k) != v} | previewed
    removed = sorted(set(old) - set(keys))
    return old, previewed, changed, removed


def search_plan(edition: Edition, changed: set[str], previewed: set[str], removed: list[str], root: Path,
                live: Path, manifest: Manifest, delta: bool, search: bool) -> SearchPlan:
    """The volumes touched, and those indexed for search whole; in an incremental build only those whose
    changes outgrew the changes bundle (the others' edited documents are indexed there)."""
    touched = sorted({k.split("/")[0] for k in changed | set(removed)}) if delta else sorted(edition.volumes)
    folded, pending, fresh = touched, {}, set()
    old_pending = manifest.data.get("search", {}).get("pending", {}) if delta else {}
    if delta and search:
        fresh = searchdelta.fresh(changed, previewed, root, live)
        folded, pending = searchdelta.plan(old_pending, fresh, removed, edition, live)
    return touched, folded, pending, fresh, old_pending


def overlay_folded(edition: Edition, folded: list[str], removed: list[str], root: Path, live: Path) -> None:
    """A volume indexed for search whole is read whole: lay its unchanged pages beside the new
    ones. (Ebooks read the TEI files this build did not stage from the live site.)"""
    for vol in sorted(set(folded)):
        atomic.overlay(live / vol, root / vol,
                       skip={f"{rid}" for rid in removed_ids(removed, vol)} | {"pagefind"},
                       only={r.id for r in edition.records.get(vol, [])})

