"""A build on a full file system: a clear error that says what may have run out, no traceback, no site."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from despatch.errors import os_error_text
from despatch.search.command import SearchError, pagefind

ROOT = Path(__file__).resolve().parent.parent


def test_a_full_file_system_is_named_as_such() -> None:
    full = os_error_text(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "build/site/v/d1/index.html"))
    assert full.startswith(f"build/site/v/d1/index.html: error: {os.strerror(errno.ENOSPC)}\n")
    assert "`df -h` and `df -i`" in full and "inodes" in full
    missing = os_error_text(FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "content"))
    assert missing == f"content: error: {os.strerror(errno.ENOENT)}"  # nothing about space


@contextmanager
def small_fs(where: Path, inodes: int) -> Iterator[Path]:
    """A real file system of its own (tmpfs) that holds at most ``inodes`` files and folders."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a file system needs root (CI runs as root)")
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=64m,nr_inodes={inodes}", "tmpfs", str(where)],
                          check=False, capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"this machine does not let a test mount a file system: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_build_that_fills_the_file_system_says_so_and_publishes_nothing(tmp_path: Path) -> None:
    files = sum(len(dirs) + len(names) for _, dirs, names in os.walk(ROOT / "content")) + 2
    with small_fs(tmp_path / "fs", files + 42) as mount:
        project = mount / "edition"
        project.mkdir()
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "content", project / "content")
        done = subprocess.run([sys.executable, "-m", "despatch", "build", "--no-search"], check=False, cwd=project,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 1, done.stderr
        assert os.strerror(errno.ENOSPC) in done.stderr and "`df -i`" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert not (project / "build" / "site").exists(), "a failed build publishes nothing"


INDEX = """
import sys
from pathlib import Path
from despatch.search.command import SearchError, pagefind
try:
    pagefind(Path(sys.argv[1]), Path(sys.argv[1]) / "pagefind", "the test pages")
except SearchError as exc:
    print(exc.diagnostics[0])
"""


def test_pagefind_on_a_full_file_system_is_stopped_with_a_clear_error(tmp_path: Path) -> None:
    """Pagefind 1.5.2 waits forever once a write of its failed for want of inodes: it is stopped."""
    with small_fs(tmp_path / "fs", 60) as mount:
        site = mount / "site"
        for n in range(20):
            (site / f"p{n}").mkdir(parents=True)
            (site / f"p{n}" / "index.html").write_text(
                f"<html lang='en'><body><main data-pagefind-body><h1>Page {n}</h1><p>word{n} here</p></main>"
                "</body></html>", encoding="utf-8")
        done = subprocess.run([sys.executable, "-c", INDEX, str(site)], check=False, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert f"Pagefind could not index the test pages: {os.strerror(errno.ENOSPC)}" in done.stdout, done.stdout
        assert "`df -i`" in done.stdout


def test_a_pagefind_panic_is_told_by_its_message(tmp_path: Path) -> None:
    """Pagefind that cannot make its output folder panics; the error gives the panic's message, not the
    note on backtraces that ends its output."""
    site = tmp_path / "site"
    (site / "p1").mkdir(parents=True)
    (site / "p1" / "index.html").write_text("<html lang='en'><body><main data-pagefind-body><p>hello</p></main>"
                                            "</body></html>", encoding="utf-8")
    (site / "pagefind").write_text("a file where the bundle's folder goes", encoding="utf-8")
    with pytest.raises(SearchError) as caught:
        pagefind(site, site / "pagefind", "the test pages")
    message = caught.value.diagnostics[0].message
    assert message.startswith("Pagefind could not index the test pages: "), message
    # Which of its threads meets the file first varies: either error is the panic's own message.
    assert "File exists" in message or "Not a directory" in message, message
    assert "RUST_BACKTRACE" not in message and "backtrace" not in message, message
