"""What a build leaves: the files it made beside the documents' own, and the commit of the staged site."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from ..config import Config
from . import atomic
from .pages import Edition

_NOTE_SUFFIX = re.compile(r"fn\d+$")


def removed_ids(removed: list[str], vol: str) -> list[str]:
    """Ids of the removed documents of one volume ('vol/d12' keys)."""
    return [key.split("/")[1] for key in removed if key.split("/")[0] == vol]


def index_outputs(root: Path, edition: Edition) -> list[str]:
    """Staged files that are not a document's own (pages, TEI, note shortcuts): index pages and extras.

    Recorded so that a later incremental build can delete the ones it no longer makes. A volume's
    document folders are not entered: they are most of the site and none of them is an index file.
    """
    docs = {(r.volume, r.id) for r in edition.all_records()}
    out: list[str] = []
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        rel = "" if rel == "." else rel + "/"
        if rel.count("/") == 1:  # a volume's folder: skip its documents and their shortcuts
            vol = rel[:-1]
            dirs[:] = [d for d in dirs if (vol, _NOTE_SUFFIX.sub("", d)) not in docs]
            files = [n for n in files if (vol, n.removesuffix(".xml")) not in docs or not n.endswith(".xml")]
        out.extend(rel + name for name in files)
    return sorted(out)


def commit(config: Config, site: Path, staging: Path, tei_staging: Path, delta: bool, into: Path | None,
           removed: list[str], replaced: list[str] | None = None, stale: list[str] | None = None) -> None:
    """Publish the staged build: swap whole folders, or move a delta's files into place.

    ``replaced`` names folders of the site (search bundles) that a delta's staged ones replace whole.
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
            for shortcut in (root / vol).glob(f"{doc}fn*"):
                if _NOTE_SUFFIX.sub("", shortcut.name) == doc:
                    shutil.rmtree(shortcut, ignore_errors=True)
            for old in (root / vol / f"{doc}.xml", config.tei_dir / vol / f"{doc}.xml"):
                old.unlink(missing_ok=True)
        for rel in stale or []:
            drop_stale(root, rel)  # an index page or redirect this build no longer makes
        for folder in replaced or []:
            shutil.rmtree(root / folder, ignore_errors=True)  # the staged bundle replaces it whole
        atomic.merge_in(staging, site)
        atomic.merge_in(tei_staging, config.tei_dir)


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
