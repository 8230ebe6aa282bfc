"""Writing the many small files of a site with as few system calls as a file allows."""

from __future__ import annotations

import os
from pathlib import Path

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(path: Path, data: bytes) -> None:
    """Write a file, making its folder only when it is missing (one system call, not a walk up).

    Plain descriptors: a Python file object asks whether it is a terminal and where it stands
    before writing, three system calls more a file, and a build writes several files a document.
    """
    if path.name == "index.html":
        # A page is the only file of its own folder, which is nearly always new: make it first.
        try:
            os.mkdir(path.parent)
        except FileExistsError:
            pass
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, _CREATE, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write_page(path: Path, html: str) -> None:
    """Write a page as UTF-8, LF line ends whatever the platform."""
    write_file(path, html.encode("utf-8"))
