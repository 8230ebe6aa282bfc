"""A build's search beside its pages: a full build indexes each volume while the next ones render, in page
folders made in one order, and lists the bundles once they are written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import files
from ..config import Config
from .collect import VolumeSources
from .outputs import files_under, index_outputs
from .pages import Edition
from .pool import thread_safe_context, worker_count

if TYPE_CHECKING:  # a full build's search thread: an incremental build need not import it
    from ..search.volume import VolumeIndexer


def start_server(config: Config, volumes: list[VolumeSources]) -> None:
    """Start the server of clean workers now, for a full build with search that will render in them: it
    imports the renderer on another core while the sources are read, instead of after."""
    if worker_count(config, sum(len(v.sources) for v in volumes)) > 1 and thread_safe_context() is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


def make_folders(root: Path, keys: set[str]) -> None:
    """Make the documents' page folders in one order before the workers write into them.

    Pagefind numbers a volume's pages in the order its walk meets them. It walks a folder of links made
    in the pages' order (``search.staging``) where a file system that keeps the order things were made
    is at hand; where none is, it walks the volume's folder, which on many file systems (tmpfs, btrfs,
    small XFS folders) lists the folders as they were made: made by parallel workers, the search bundles
    would then differ from one build to the next.
    """
    files.make_folders(root, sorted(keys))


def start_indexer(root: Path, edition: Edition) -> VolumeIndexer:
    """The search thread of a full build, given each volume as its pages are all written."""
    from ..search.volume import VolumeIndexer

    return VolumeIndexer(root, sorted(edition.volumes))


def finish_indexer(indexer: VolumeIndexer, root: Path, edition: Edition, stats: dict[str, Any],
                   pages: list[str]) -> list[str]:
    """Wait for the last volumes' search bundles and the router; returns every output file under ``root``
    (``pages``: the index pages staged, as for ``index_outputs``)."""
    from ..search.indexer import BUNDLE, ROUTER

    for vol in sorted(set(edition.volumes) - set(indexer.given)):
        indexer.finish_volume(vol)  # volumes without documents
    # Listed while the last volumes are indexed (this process only waits on them): all but the
    # search bundles, whose files are listed once they are written.
    outputs = index_outputs(root, edition, skip=(ROUTER, BUNDLE), pages=pages)
    stats["search"] = indexer.finish()
    bundles = [ROUTER] + [f"{vol}/{BUNDLE}" for vol in sorted(edition.volumes)]
    return sorted(outputs + files_under(root, bundles))

