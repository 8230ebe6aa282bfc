"""Each volume's products made from its written pages: its references, its ebook and its search shard, and
the search router over them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..urls.cite import VOLUME_FILES
from ..urls.scheme import absolute_url
from ..urls.volumerefs import volume_references
from .epubtask import EpubTask, write_volume_epub
from .pages import Edition

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .pool import Workers

FEW_EBOOKS = 8  # volumes whose ebooks an incremental build makes in this process


def is_volume_extra(path: str) -> bool:
    """Whether a site path belongs to a volume's ebook or search shard (made by volume_extras)."""
    first, sep, rest = path.partition("/")
    if not sep:
        return False
    second, deeper, _ = rest.partition("/")
    return second == "pagefind" or second == first + ".epub" or (not deeper and second in _REFERENCE_FILES)


_REFERENCE_FILES = frozenset(VOLUME_FILES.values())


def write_volume_references(edition: Edition, root: Path, vol: str) -> None:
    """A volume's references (BibTeX, RIS, CSL-JSON) beside its contents page, every document in order."""
    base = absolute_url(edition.config, f"{vol}/")
    refs = volume_references(edition.volumes[vol], edition.records.get(vol, []), base, edition.config)
    folder = root / vol
    folder.mkdir(parents=True, exist_ok=True)
    for key, name in VOLUME_FILES.items():
        (folder / name).write_text(refs[key], encoding="utf-8", newline="\n")


def volume_extras(edition: Edition, root: Path, volumes: list[str], stats: dict[str, Any],
                  previous: Path | None = None,
                  pool: Callable[[Callable[[Any], Any], list[Any]], Iterable[Any]] | None = None,
                  search: bool = True, epubs: list[Future[str]] | None = None) -> None:
    """Per-volume products made from the written pages: ebooks and search shards, and the search router.

    ``previous`` is the live site of an incremental build: the router reads the volumes not indexed
    now from their summaries there. ``search=False``: the caller indexes the volumes itself. ``epubs``:
    the ebooks, queued already in the caller's workers, to wait for.
    """
    cfg = edition.config
    if not volumes:
        if cfg.search and search:  # the router is staged again all the same, or it would count as stale
            stats["search"] = _index_site(root, [], sorted(edition.volumes), previous)
        return
    part = Edition(config=cfg, volumes={v: edition.volumes[v] for v in volumes if v in edition.volumes},
                   records={v: edition.records.get(v, []) for v in volumes if v in edition.volumes},
                   persons=edition.persons, terms=edition.terms, chapters=edition.chapters)
    for vol in sorted(part.volumes):
        write_volume_references(part, root, vol)
    # Starting the pool costs a tenth of a second, while an incremental build's ebook reuses all but
    # its changed chapters (≈ 15 ms a volume): a few of those are made here.
    if epubs is not None:
        for made in epubs:
            made.result()
    elif cfg.ebooks and pool is not None and len(part.volumes) > (1 if previous is None else FEW_EBOOKS):
        # One volume a task: an ebook reads and transforms every document of its volume.
        tasks = [EpubTask(str(root), vol, part.records[vol], str(previous) if previous is not None else None)
                 for vol in sorted(part.volumes) if part.records[vol]]
        for _ in pool(write_volume_epub, tasks):
            pass
    elif cfg.ebooks:
        from ..ebook import write_volume_epubs  # here: an edit's build makes its ebooks in a copy of itself

        write_volume_epubs(part, root, previous)
    if cfg.search and search:
        stats["search"] = _index_site(root, sorted(part.volumes), sorted(edition.volumes), previous)


def _index_site(root: Path, volumes: list[str], edition: list[str], previous: Path | None) -> Any:
    """``index_site``, imported here: the copy of an edit's build that calls ``volume_extras`` searches not."""
    from ..search.indexer import index_site

    return index_site(root, volumes, edition=edition, previous=previous)


def start_ebooks(edition: Edition, root: Path, workers: Workers) -> list[Future[str]] | None:
    """Queue every volume's ebook (its TEI files all staged now) in the workers that rendered its pages."""
    if not edition.config.ebooks:
        return None
    return [workers.submit(write_volume_epub, EpubTask(str(root), vol, edition.records[vol]))
            for vol in sorted(edition.volumes) if edition.records.get(vol)]
