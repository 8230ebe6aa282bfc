"""What a build leaves: the files it made beside the documents' own, and the commit of the staged site."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Collection
from pathlib import Path

from ..config import Config
from . import atomic
from .pages import Edition

_NOTE_SUFFIX = re.compile(r"fn\d+$")


def removed_ids(removed: list[str], vol: str) -> list[str]:
    """Ids of the removed documents of one volume ('vol/d12' keys)."""
    return [key.split("/")[1] for key in removed if key.split("/")[0] == vol]


def index_outputs(root: Path, edition: Edition, skip: Collection[str] = (), pages: Collection[str] = ()) -> list[str]:
    """Staged files that are not a document's own (pages, TEI, note shortcuts): index pages and extras.

    Recorded so that a later incremental build can delete the ones it no longer makes. A volume's
    document folders are not entered: they are most of the site and none of them is an index file.
    Folders named in ``skip`` are not entered either, at the top or in a volume's folder (the search
    bundles, listed by ``files_under`` once they are written). ``pages``: the files of the index pages
    the build staged ('chronology/1961/index.html'); the folders of those no other lies below are not
    entered (``leaf_folders``).
    """
    ids: dict[str, set[str]] = {}
    for vol, recs in edition.records.items():
        ids.setdefault(vol, set()).update(r.id for r in recs)
    out: list[str] = []
    leaves = leaf_folders(pages)
    top = os.fspath(root)
    dirs, files = _entries(top)
    skipped = set(skip)
    out.extend(files)
    for vol in dirs:
        if vol in skipped:
            continue
        docs = ids.get(vol, set())
        folder = os.path.join(top, vol)
        inner, names = _entries(folder)
        # A volume's folder: its documents, their note shortcuts and TEI files are not index files.
        out.extend(f"{vol}/{n}" for n in names if not (n.endswith(".xml") and n[:-4] in docs))
        for name in inner:
            if name not in skipped and _NOTE_SUFFIX.sub("", name) not in docs:
                rel = f"{vol}/{name}/"
                if rel in leaves:
                    out.append(rel + _INDEX)
                else:
                    _walk(f"{folder}/{name}", rel, out, leaves)
    return sorted(out)


_INDEX = "index.html"


def leaf_folders(pages: Collection[str]) -> set[str]:
    """The folders ('archives/r/') of the index pages among ``pages`` (their files) that hold no other of them.

    The build writes nothing into an index page's folder but its index.html and the pages below it
    (the URL ledger's walk lists such folders without entering them too): a folder no other page lies
    below holds its index.html only: listing it (four system calls) would tell nothing more.
    """
    folders = {page[:-len(_INDEX)] for page in pages if page.endswith("/" + _INDEX)}
    above: set[str] = set()
    for folder in folders:
        parent = folder[:-1]
        while "/" in parent:
            parent = parent[:parent.rfind("/")]
            if parent + "/" in above:
                break  # its own parents are there already
            above.add(parent + "/")
    return folders - above


def _entries(folder: str) -> tuple[list[str], list[str]]:
    """A folder's subfolders to enter and its other names, as ``os.walk`` tells them (none if unreadable)."""
    dirs: list[str] = []
    files: list[str] = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                # os.walk's split: a link to a folder is a folder it does not enter; any other name a file.
                if entry.is_dir():
                    if not entry.is_symlink():
                        dirs.append(entry.name)
                else:
                    files.append(entry.name)
    except OSError:
        pass
    return dirs, files


def _walk(folder: str, rel: str, out: list[str], leaves: Collection[str] = ()) -> None:
    """Every file below ``folder``, as ``rel`` + its path; by scandir, without os.walk's joins and
    relpath (a site has a folder per index page: 10^4 at 5,000 documents). A folder below it in
    ``leaves`` holds its index.html only: it is not listed."""
    dirs, files = _entries(folder)
    out.extend([rel + name for name in files])
    for name in dirs:
        below = rel + name + "/"
        if below in leaves:
            out.append(below + _INDEX)
        else:
            _walk(folder + "/" + name, below, out, leaves)


def files_under(root: Path, folders: list[str]) -> list[str]:
    """Every file under ``root/<folder>`` for each of ``folders`` that exists, relative to ``root`` (sorted)."""
    out: list[str] = []
    for top in folders:
        for folder, _, files in os.walk(root / top):
            rel = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
            out.extend(rel + name for name in files)
    return sorted(out)


def commit(config: Config, site: Path, staging: Path, tei_staging: Path, delta: bool, into: Path | None,
           removed: list[str], replaced: list[str] | None = None, stale: list[str] | None = None,
           rendered: Collection[str] = ()) -> None:
    """Publish the staged build: swap whole folders, or move a delta's files into place.

    ``replaced`` names folders of the site (search bundles) that a delta's staged ones replace whole;
    ``rendered``, the documents ('vol/doc') a delta rendered again: their note shortcuts that it did
    not stage are those of notes gone.
    """
    if into is not None:
        shutil.copytree(staging, into, dirs_exist_ok=True)
        atomic.discard(staging)
        atomic.swap_in(tei_staging, config.tei_dir)
    elif not delta:
        trash = config.build_dir / ".cache" / "trash"
        atomic.swap_in(staging, site, trash)
        atomic.swap_in(tei_staging, config.tei_dir, trash)
    else:
        root = site / config.url_prefix
        for key in removed:
            vol, doc = key.split("/")
            shutil.rmtree(root / vol / doc, ignore_errors=True)
            for old in (root / vol / f"{doc}.xml", config.tei_dir / vol / f"{doc}.xml"):
                old.unlink(missing_ok=True)
        # A removed document's shortcuts are none of those staged: they go with those of notes gone.
        drop_gone_notes(root, staging / config.url_prefix, [*rendered, *removed])
        for rel in stale or []:
            drop_stale(root, rel)  # an index page or redirect this build no longer makes
        for folder in replaced or []:
            shutil.rmtree(root / folder, ignore_errors=True)  # the staged bundle replaces it whole
        atomic.merge_in(staging, site)
        atomic.merge_in(tei_staging, config.tei_dir)


def drop_gone_notes(root: Path, staged: Path, rendered: Collection[str]) -> None:
    """Delete the note shortcuts of documents rendered again or removed (``rendered``) that the staging
    does not hold: a note taken out, or its document, takes its address along (one listing a volume)."""
    by_volume: dict[str, set[str]] = {}
    for key in rendered:
        vol, _, doc = key.partition("/")
        by_volume.setdefault(vol, set()).add(doc)
    for vol, docs in sorted(by_volume.items()):
        try:
            names = os.listdir(root / vol)
        except OSError:
            continue  # a new volume: nothing of it is live yet
        try:
            made = set(os.listdir(staged / vol))
        except OSError:
            made = set()
        for name in sorted(names):
            # 'd7fn3' is a shortcut of d7 (a volume's folder holds thousands of names: no pattern for each).
            doc, fn, n = name.rpartition("fn")
            if fn and n.isdecimal() and doc in docs and name not in made:
                shutil.rmtree(root / vol / name, ignore_errors=True)


def drop_stale(root: Path, rel: str) -> None:
    """Delete a file the build no longer makes, and the folders it leaves empty (a full build has none)."""
    path = root / rel
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()  # only when empty: a folder that holds anything else stays
        except OSError:
            break
        folder = folder.parent


def collect_garbage(docs_cache: Path, live: set[str], only: list[str] | None = None) -> None:
    """Drop cached conversions that no current source has (``only``: of these digests, without
    listing the whole cache: the conversions an edit replaced)."""
    if only is not None:
        for digest in only:
            if digest not in live:
                (docs_cache / f"{digest}.doc").unlink(missing_ok=True)
        return
    for name in os.listdir(docs_cache):  # names, not paths: one per document of the edition
        if "." in name and not (name.endswith(".doc") and name[:-4] in live):
            (docs_cache / name).unlink(missing_ok=True)
