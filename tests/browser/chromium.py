"""Launch the system's Chromium (Debian package) headless through Playwright; never a downloaded browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


def executable() -> str | None:
    """Chromium's path: $DESPATCH_CHROMIUM, else the Debian package's, else one on PATH."""
    for candidate in (os.environ.get("DESPATCH_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_reason() -> str | None:
    """Why browser tests cannot run here (None when they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed (pip install -e '.[test]')"
    if executable() is None:
        return "Chromium is not installed (Debian: apt-get install -y chromium)"
    return None
