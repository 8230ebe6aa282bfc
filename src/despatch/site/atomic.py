"""Write the site into a temporary folder beside the target, then swap it in whole."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def make_staging(target: Path) -> Path:
    """A fresh temporary folder next to ``target`` (same file system, so the swap is a rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    # mkdtemp makes the folder private (0700); once swapped in it is the published site, which a
    # web server running as another user must read: give it the mode any new folder gets.
    umask = os.umask(0o022)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def swap_in(staging: Path, target: Path, trash: Path | None = None) -> None:
    """Replace ``target`` with ``staging``; the old tree is removed only after the rename.

    With ``trash`` (a folder on the same file system), the old tree is moved there and removed by a
    detached process: unlinking a large site costs as much as writing it, and nobody waits for it.
    """
    old = None
    if target.exists():
        if trash is not None:
            trash.mkdir(parents=True, exist_ok=True)
            old = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=trash)) / target.name
        else:
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            if old.exists():
                shutil.rmtree(old)
        os.replace(target, old)
    os.replace(staging, target)
    if old is None:
        return
    if trash is not None:
        empty_trash(trash)
    else:
        shutil.rmtree(old, ignore_errors=True)


def empty_trash(trash: Path) -> None:
    """Remove everything in ``trash`` in a detached process (in place where one cannot be started)."""
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                          str(trash)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def discard(staging: Path, trash: Path | None = None) -> None:
    """Remove a staging folder after a failed build; the previous site stays as it was.

    With ``trash`` (an interrupted build, which should end now), the folder is moved there and removed
    by a detached process: a full build's staging at the scale of FRUS takes minutes to unlink.
    """
    if trash is not None and staging.exists():
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.replace(staging, Path(tempfile.mkdtemp(prefix="discarded-", dir=trash)) / staging.name)
        except OSError:
            pass  # removed in place below
        else:
            empty_trash(trash)
            return
    shutil.rmtree(staging, ignore_errors=True)


def merge_in(staging: Path, target: Path) -> None:
    """Move every staged file into ``target`` by rename (each file replaced whole), then drop staging."""
    for root, _dirs, files in os.walk(staging):
        here = Path(root)
        dest = target / here.relative_to(staging)
        dest.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.replace(here / name, dest / name)
    shutil.rmtree(staging, ignore_errors=True)


_SHORTCUT = re.compile(r"fn\d+$")


def overlay(live: Path, staging: Path, skip: set[str], suffixes: tuple[str, ...] = (".html", ".xml"),
            pages: bool = True, only: set[str] | None = None) -> None:
    """Hard-link the live folder's pages into staging where staging has none (names in ``skip`` left out).

    Links, not copies: cheap, and the later move of such a file onto itself changes nothing. Only
    files that later stages read (pages, TEI) are linked: a stage writing into a linked file would
    change the live site before the commit.
    """
    if not live.is_dir():
        return
    for root, dirs, files in os.walk(live):
        here = Path(root)
        rel = here.relative_to(live)
        if rel.parts and rel.parts[0] in skip:
            dirs[:] = []
            continue
        # Note shortcuts (d245fn1/) are redirects: nothing later reads them. Without ``pages`` only the
        # volume's own files are needed (the ebook reads the TEI files), not a folder per document.
        # ``only`` names the folders worth linking (the documents'): search reads no other page.
        dirs[:] = [] if not pages else [d for d in dirs if not (not rel.parts and (
            d in skip or _SHORTCUT.search(d) or (only is not None and d not in only)))]
        dest = staging / rel
        dest.mkdir(parents=True, exist_ok=True)
        for name in files:
            if not name.endswith(suffixes) or (not rel.parts and (name in skip or name.removesuffix(".xml") in skip)):
                continue
            target = dest / name
            if not target.exists():
                os.link(here / name, target)
