"""Write the site into a temporary folder beside the target, then swap it in whole."""

from __future__ import annotations

import os
import shutil
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


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``; the old tree is removed only after the rename."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build; the previous site stays as it was."""
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
