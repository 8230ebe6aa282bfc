"""Reading and writing the many small files of a build with as few system calls as a file allows."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def read_file(path: str | Path) -> bytes:
    """A file's bytes in four system calls (a file object also asks whether it is a terminal and where
    it stands): a build reads a cached conversion, a source and a TEI file a document."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        chunks = [os.read(fd, size)]
        got = len(chunks[0])
        while chunks[-1] and got < size:  # a read stops short of 2 GB
            chunks.append(os.read(fd, size - got))
            got += len(chunks[-1])
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def write_file(path: str | Path, data: bytes, new_folder: bool | None = None) -> None:
    """Write a file, making its folder only when it is missing (one system call, not a walk up).

    Plain descriptors: a Python file object asks whether it is a terminal and where it stands
    before writing, three system calls more a file, and a build writes several files a document.
    Paths may be strings: the hot callers join them as text rather than make a Path for each file.
    ``new_folder``: whether the folder is most likely new (made first) or there (None: a page's is new).
    """
    path = os.fspath(path)
    folder = os.path.dirname(path) or "."
    if new_folder is None:
        new_folder = path.endswith("index.html") and os.path.basename(path) == "index.html"
    if new_folder:
        # A page is the only file of its own folder, which is nearly always new: make it first.
        _make_folder(folder)
    try:
        fd = os.open(path, _CREATE, 0o666)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(path, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a file beside ``path``, then rename it over ``path``: never a file cut short."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def stamp(path: str | Path) -> tuple[int, int, int] | None:
    """A file's modification time, size and inode (a file renamed over it has another), or None when it is not there."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def make_folders(root: str | Path, names: Iterable[str]) -> None:
    """Make the folder ``root``/name of each name, in the order given, and any missing above it.

    One system call a folder whose parent is there: ``os.makedirs`` looks at the parent first, and
    a build with search makes every document's folder this way before the pages are written.
    """
    base = os.path.join(root, "")
    for name in names:
        path = base + name
        if not _make_folder(path) and not os.path.isdir(path):
            raise FileExistsError(errno.EEXIST, "a file is where a folder is to be made", path)


def _make_folder(path: str) -> bool:
    """Make a folder, and any missing above it, in one system call when its parent is there; False
    when something of that name was there already."""
    try:
        os.mkdir(path)
    except FileExistsError:
        return False
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)
    return True


def write_page(path: str | Path, html: str, new_folder: bool | None = None) -> None:
    """Write a page as UTF-8, LF line ends whatever the platform (``new_folder`` as for write_file)."""
    write_file(path, html.encode("utf-8"), new_folder)


def packaged(package: str, name: str) -> bytes:
    """A data file shipped in one of despatch's packages (``despatch.tei.schema``), read beside the code.

    importlib's resource readers, which cost an edit's build more than reading the file, are asked only
    for a package that is not files (a zip).
    """
    try:
        return Path(__file__).resolve().parent.joinpath(*package.split(".")[1:], name).read_bytes()
    except OSError:
        from importlib import resources

        return resources.files(package).joinpath(name).read_bytes()
