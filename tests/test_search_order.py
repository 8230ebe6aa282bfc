"""Pagefind meets a bundle's pages in their URLs' order on every file system, so every machine writes
the same bundle: tested with real Pagefind on folders that list the same pages in other orders."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from robust import tree_digest
from test_search import write_doc

from despatch.search import staging
from despatch.search.canon import SIGNATURE, read
from despatch.search.command import bundle

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["d2", "d10", "d1", "d11", "d3", "d20", "d100", "d9"]
IN_ORDER = ["d1", "d2", "d3", "d9", "d10", "d11", "d20", "d100"]


def _memory_folder() -> Path:
    """A folder on a file system that lists entries in the order they were made, or the reverse (tmpfs)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or staging.listing_order(str(shm)) is None:
        pytest.skip("no file system here lists entries in the order they were made")
    return shm


def _site(root: Path, names: list[str]) -> Path:
    """A volume's pages, their folders made in the order of ``names``; two share a date (a tie)."""
    for name in names:
        number = int(name[1:])
        date = "1962-05-04" if name in ("d3", "d20") else f"1962-{1 + number % 12:02d}-{1 + number % 28:02d}"
        write_doc(root, "v", name, title=f"{name[1:]}. Telegram", year="1962", kind="telegram", date=date,
                  first=f"Words of {name} alone.", second="Words every page shares.")
    return root / "v"


def _urls(out: Path) -> list[str]:
    """The bundle's pages' URLs, by page number."""
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read(out / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    return [json.loads(gzip.decompress((out / "fragment" / f"{page}.pf_fragment").read_bytes())
                       .removeprefix(SIGNATURE))["url"] for page, _ in meta[1]]


def test_urls_are_ordered_folder_by_folder_with_numbers_as_numbers() -> None:
    pages = [f"{n}/index.html" for n in NAMES] + ["d2fn1/index.html", "a/d10/index.html", "a/d9/index.html"]
    assert sorted(pages, key=staging.url_key) == [
        "a/d9/index.html", "a/d10/index.html", *[f"{n}/index.html" for n in IN_ORDER[:2]], "d2fn1/index.html",
        *[f"{n}/index.html" for n in IN_ORDER[2:]]]


def test_the_links_list_the_pages_in_order_and_go(tmp_path: Path) -> None:
    _memory_folder()
    site = _site(tmp_path, NAMES)
    pages = [f"{n}/index.html" for n in NAMES] + ["sub/d10/index.html", "sub/d9/index.html"]
    for page in pages[-2:]:
        (site / page).parent.mkdir(parents=True)
        (site / page).write_text("<html></html>", encoding="utf-8")
    with staging.staged(site, [*pages, "d404/index.html"]) as (walked, glob):  # a page not there is left out
        assert glob is None and walked != site
        walk = [os.path.relpath(os.path.join(top, f), walked)
                for top, dirs, files in os.walk(walked) for f in files]  # in the order the folders list them
        assert walk == [*[f"{n}/index.html" for n in IN_ORDER], "sub/d9/index.html", "sub/d10/index.html"]
        assert (walked / "d10" / "index.html").read_bytes() == (site / "d10" / "index.html").read_bytes()
    assert not walked.exists()


def test_without_a_folder_listed_in_order_the_pages_are_walked_where_they_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, NAMES)
    monkeypatch.setattr(staging, "ordered_root", lambda: None)
    with staging.staged(site, ["d2/index.html", "d10/index.html"]) as found:
        assert found == (site, "{d10,d2}/index.html")
    with staging.staged(site, None) as found:
        assert found == (site, None)


def test_a_file_system_listing_in_an_order_of_its_own_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.listdir
    monkeypatch.setattr(staging.os, "listdir", lambda path: sorted(real(path), key=hash))
    staging.listing_order.cache_clear()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            assert staging.listing_order(tmp) is None
    finally:
        staging.listing_order.cache_clear()


def test_pages_listed_in_other_orders_give_the_same_bundle(tmp_path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=_memory_folder()) as tmp:
        sites = [_site(Path(tmp) / "one", NAMES), _site(Path(tmp) / "two", NAMES[::-1])]
        # The file system lists the two folders' pages in other orders: what Pagefind would have numbered them by.
        assert os.listdir(sites[0]) != os.listdir(sites[1])
        outs = [tmp_path / "one", tmp_path / "two"]
        for site, out in zip(sites, outs):
            bundle(site, out, "this volume", [f"{n}/index.html" for n in NAMES])
        assert tree_digest(outs[0]) == tree_digest(outs[1])
        assert _urls(outs[0]) == [f"/{n}/" for n in IN_ORDER]
        # Every page of the tie on 1962-05-04 is sorted, d3 before d20, whatever order the folders were in.
        entry = json.loads((outs[0] / "pagefind-entry.json").read_text(encoding="utf-8"))
        sorts = dict(read(outs[0] / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")[4])
        tie = [IN_ORDER[p] for p in sorts["date"] if IN_ORDER[p] in ("d3", "d20")]
        assert tie == ["d3", "d20"]


def _ext4(image: Path, where: Path) -> Path:
    """A new ext4 file system (its own seed for the order of a folder's entries) mounted at ``where``."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mkfs.ext4") is None:
        pytest.skip("making and mounting an ext4 file system needs root and mkfs.ext4 (CI has both)")
    with open(image, "wb") as f:
        f.truncate(64 << 20)
    subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], check=True, capture_output=True)
    where.mkdir()
    done = subprocess.run(["mount", "-o", "loop", str(image), str(where)], check=False, capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"this machine does not let a test mount a file system: {done.stderr.strip()}")
    return where


def test_the_example_edition_gives_the_same_site_on_two_ext4_file_systems(tmp_path: Path) -> None:
    mounts: list[Path] = []
    try:
        for name in ("one", "two"):
            mounts.append(_ext4(tmp_path / f"{name}.img", tmp_path / name))
            shutil.copy(ROOT / "mkdocs.yml", mounts[-1] / "mkdocs.yml")
            shutil.copytree(ROOT / "content", mounts[-1] / "content")
            done = subprocess.run([sys.executable, "-m", "despatch", "build"], check=False, cwd=mounts[-1],
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr
        # Each file system lists a volume's page folders in an order of its own: Pagefind's, were it to walk them.
        listed = [os.listdir(m / "build" / "site" / "frus1961-63v16") for m in mounts]
        assert listed[0] != listed[1]
        assert tree_digest(mounts[0] / "build" / "site") == tree_digest(mounts[1] / "build" / "site")
    finally:
        for mount in mounts:
            subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_file_system_where_links_do_not_lead_to_their_files_is_not_used(tmp_path: Path) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a file system needs root (CI runs as root)")
    where = tmp_path / "nosymfollow"
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,nosymfollow", "tmpfs", str(where)],
                          check=False, capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"this machine does not mount a tmpfs that follows no links: {done.stderr.strip()}")
    try:
        assert staging.listing_order(str(where)) is None
        # The same file system mounted as usual lists its entries as they were made (or the reverse).
        subprocess.run(["mount", "-o", "remount,symfollow", str(where)], check=True, capture_output=True)
        staging.listing_order.cache_clear()
        assert staging.listing_order(str(where)) in ("made", "reversed")
    finally:
        staging.listing_order.cache_clear()
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_folders_of_links_left_behind_are_swept_and_others_kept(tmp_path: Path) -> None:
    # A build that fails kills its indexing processes, whose folders of links then stay where they were made.
    left = tmp_path / "despatch-pages-left"
    running = tmp_path / "despatch-pages-running"
    other = tmp_path / "someone-elses"
    for folder in (left, running, other):
        (folder / "d1").mkdir(parents=True)
        os.symlink(tmp_path, folder / "d1" / "index.html")
    hours_ago = time.time() - 7200
    for folder in (left, other):
        os.utime(folder, (hours_ago, hours_ago))
    assert staging.sweep.__wrapped__(str(tmp_path)) == 1
    assert not left.exists() and running.is_dir() and other.is_dir()
    assert tmp_path.is_dir()  # a link's target is not followed
