"""What runs beside a build's process and writes into its staging folder: a failed build stops each, or
waits for it, before the folder goes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .aside import Aside
from .pool import Workers

if TYPE_CHECKING:  # a full build's search thread: an incremental build need not import it
    from ..search.volume import VolumeIndexer


def stop_running(indexer: VolumeIndexer | None, workers: Workers | None, beside: Aside | None,
                 searching: Aside | None, ebooks: Aside | None) -> None:
    """End or wait for each that runs: the search thread, the pool, the copies of this process."""
    if indexer is not None:
        _stop(indexer)
    if workers is not None:  # its ebooks write into the staging folder too
        workers.close(failed=True)
    if beside is not None:  # it writes into the staging folder: it ends before the folder goes
        beside.stop()
    for running in (searching, ebooks):  # likewise, let them end before it goes
        if running is not None:
            running.wait()


def _stop(indexer: VolumeIndexer) -> None:
    """End a failed build's search thread: its bundles would be dropped with the staging folder."""
    try:
        indexer.cancel()
    except Exception:  # the build's own error is the one to report
        pass
