"""Volumes indexed while the build goes on: the same bundles and router as indexing the whole site after."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from test_search import fragments, make_site

from despatch.search import SearchError, VolumeIndexer, index_site
from despatch.search.router import ROUTER, VOLUMES
from despatch.search.summary import SUMMARY


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


@pytest.fixture(params=["process", "thread"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Volumes indexed by processes of their own (POSIX), or in the build's process (elsewhere)."""
    from despatch.search import volume as volume_module

    if request.param == "thread":
        monkeypatch.setattr(volume_module, "available", lambda: False)
    return str(request.param)

def by_url(bundle: Path) -> dict[str, dict]:
    return {f["url"]: f for f in fragments(bundle)}


def test_volumes_given_one_by_one_make_the_bundles_index_site_makes(site: Path, tmp_path: Path, mode: str) -> None:
    other = tmp_path / "other"
    shutil.copytree(site, other)
    index_site(site, ["v13", "v16"])
    indexer = VolumeIndexer(other, edition=["v13", "v16"])
    indexer.finish_volume("v16")
    indexer.finish_volume("v13")
    stats = indexer.finish()
    assert stats.pages == {"v16": 1, "v13": 2} and stats.routed == 2 and stats.peak_rss_kib > 0
    for vol in ("v13", "v16"):
        assert by_url(other / vol / "pagefind") == by_url(site / vol / "pagefind")
        assert (other / vol / "pagefind" / SUMMARY).read_bytes() == (site / vol / "pagefind" / SUMMARY).read_bytes()
    assert (other / ROUTER / VOLUMES).read_bytes() == (site / ROUTER / VOLUMES).read_bytes()


def test_a_volume_given_twice_is_an_error(site: Path) -> None:
    indexer = VolumeIndexer(site)
    indexer.finish_volume("v13")
    with pytest.raises(SearchError, match=r"v13:1:1: error: this volume was already given"):
        indexer.finish_volume("v13")
    assert indexer.finish().pages == {"v13": 2}


def test_a_missing_volume_fails_at_the_end_with_its_name(site: Path) -> None:
    indexer = VolumeIndexer(site)
    indexer.finish_volume("v99")
    indexer.finish_volume("v13")
    with pytest.raises(SearchError, match=r"v99:1:1: error: no such volume folder"):
        indexer.finish()


def test_the_volumes_left_at_the_end_are_indexed_several_at_a_time(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                              mode: str) -> None:
    import threading
    import time

    from despatch.search import volume as volume_module

    for n in range(4):
        shutil.copytree(site / "v13", site / f"w{n}")
    threads: dict[str, str] = {}
    index_one = volume_module.Job.index if mode == "process" else volume_module._index_volume

    def slow(*args: object) -> tuple[int, int]:
        volume_dir = [a for a in args if isinstance(a, Path)][0]
        threads[volume_dir.name] = threading.current_thread().name
        time.sleep(0.3)  # long enough for the volumes still waiting to reach the other threads
        return index_one(*args)  # type: ignore[arg-type]

    if mode == "process":
        monkeypatch.setattr(volume_module.Job, "index", slow)
    else:
        monkeypatch.setattr(volume_module, "_index_volume", slow)
    indexer = VolumeIndexer(site, edition=["w0", "w1", "w2", "w3"])
    for n in range(4):
        indexer.finish_volume(f"w{n}")
    stats = indexer.finish()
    assert list(stats.pages) == ["w0", "w1", "w2", "w3"] and set(stats.pages.values()) == {2}
    assert len(set(threads.values())) == volume_module.AT_ONCE == 3


def test_of_two_failing_volumes_the_first_given_is_reported(site: Path) -> None:
    indexer = VolumeIndexer(site)
    for vol in ("v98", "v13", "v99", "v16"):
        indexer.finish_volume(vol)
    with pytest.raises(SearchError, match=r"v98:1:1: error: no such volume folder"):
        indexer.finish()


def test_a_failed_build_stops_the_running_command_and_writes_no_router(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    import stat
    import threading

    # A Pagefind that does not finish for ten minutes: it notes its process id, then waits.
    slow = tmp_path / "slow-pagefind"
    pid_file = tmp_path / "pid"
    slow.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n", encoding="utf-8")
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow))
    before = _children()
    links_before = _links_folders()
    indexer = VolumeIndexer(site, edition=["v13", "v16"])
    indexer.finish_volume("v13")
    indexer.finish_volume("v16")
    while not pid_file.is_file() or not pid_file.read_text().strip():
        pass  # the first command has started
    cancelling = threading.Thread(target=indexer.cancel)
    cancelling.start()
    cancelling.join(120)
    assert not cancelling.is_alive(), "cancel() waited for the command instead of stopping it"
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)   # stopped (and reaped), not left running
    assert not [p for p in _children() if p not in before], "an indexing process was left running"
    assert not (site / ROUTER).exists() and not (site / "v16" / "pagefind").exists()
    assert _links_folders() <= links_before, "the folder of links the stopped command walked was left"


def _links_folders() -> set[str]:
    """The folders of links Pagefind walks, now in the folder where they are made."""
    from despatch.search import staging

    found = staging.ordered_root()
    if found is None:
        return set()
    return {n for n in os.listdir(found[0]) if n.startswith(staging.PREFIXES[0])}


def test_an_unexpected_failure_in_the_thread_is_the_builds_error(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.search import volume as volume_module

    monkeypatch.setattr(volume_module, "available", lambda: False)
    def broken(volume_dir: Path, running: object = None, documents: object = None) -> tuple[int, int]:
        raise OSError("disk full")

    monkeypatch.setattr(volume_module, "_index_volume", broken)
    indexer = VolumeIndexer(site)
    indexer.finish_volume("v13")
    with pytest.raises(SearchError, match=r"v13:1:1: error: the search index of this volume failed: OSError"):
        indexer.finish()


def _children() -> set[int]:
    """This process's children (the indexing processes), from /proc."""

    me = os.getpid()
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == me and fields[0] != "Z":
                found.add(int(entry))
    return found


def test_pagefinds_failure_in_the_indexing_process_is_the_builds_error(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = tmp_path / "failing-pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: could not read the pages' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))
    indexer = VolumeIndexer(site)
    indexer.finish_volume("v13")
    with pytest.raises(SearchError) as caught:
        indexer.finish()
    # The diagnostic made in the indexing process, position and all.
    assert str(caught.value).startswith(str(site / "v13" / "pagefind") + ":1:1: error: Pagefind could not index "
                                        "this volume: Error: could not read the pages")


def test_an_indexing_process_that_dies_is_the_builds_error(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    from despatch.search import volume as volume_module

    index_one = volume_module.Job.index

    def killed(job: object, volume_dir: Path, documents: object = None) -> tuple[int, int]:
        os.kill(job.proc.pid, signal.SIGKILL)  # type: ignore[attr-defined]
        job.proc.wait()  # type: ignore[attr-defined]
        return index_one(job, volume_dir, documents)  # type: ignore[arg-type]

    monkeypatch.setattr(volume_module.Job, "index", killed)
    indexer = VolumeIndexer(site)
    indexer.finish_volume("v13")
    with pytest.raises(SearchError, match=r"v13:1:1: error: the search indexing process ended before its "
                                          r"answer \(exit status -9\)"):
        indexer.finish()


def test_an_unexpected_failure_in_the_indexing_process_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.search import indexer as indexer_module
    from despatch.search import job

    def broken(volume_dir: Path, running: object = None, documents: object = None) -> tuple[int, int]:
        raise OSError("disk full")

    monkeypatch.setattr(indexer_module, "_index_summarized", broken)
    assert job._answer(str(tmp_path)) == (False, "OSError('disk full')")


def test_the_pages_the_build_names_are_the_pages_indexed(site: Path, tmp_path: Path, mode: str) -> None:
    other = tmp_path / "other"
    shutil.copytree(site, other)
    index_site(site, ["v13"])
    indexer = VolumeIndexer(other, edition=["v13"])
    indexer.finish_volume("v13", ["d245", "d246"])   # as the render found them: no page is read
    assert indexer.finish().pages == {"v13": 2}
    assert by_url(other / "v13" / "pagefind") == by_url(site / "v13" / "pagefind")
    assert (other / "v13" / "pagefind" / SUMMARY).read_bytes() == (site / "v13" / "pagefind" / SUMMARY).read_bytes()
    third = tmp_path / "third"
    shutil.copytree(site, third)
    indexer = VolumeIndexer(third, edition=["v13"])
    indexer.finish_volume("v13", ["d246"])
    assert indexer.finish().pages == {"v13": 1}


def test_an_indexing_process_that_fails_to_start_says_why(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An interpreter that stops at once with a complaint of its own (as one could, missing a module).
    monkeypatch.setenv("PYTHONHOME", "/nonexistent-python-home")
    indexer = VolumeIndexer(site)
    indexer.finish_volume("v13")
    with pytest.raises(SearchError) as caught:
        indexer.finish()
    message = str(caught.value)
    # Its exit status and the error it wrote: what the interpreter found wrong.
    assert re.fullmatch(re.escape(f"{site / 'v13'}:1:1: error: the search indexing process ended before its "
                                  "answer (exit status ") + r"\d+\): ModuleNotFoundError: .*'encodings'", message)


def test_each_volume_is_counted_for_the_router_where_it_is_indexed(site: Path, tmp_path: Path, mode: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.search import shards
    from despatch.search import volume as volume_module
    from despatch.search.summary import read_summary

    other = tmp_path / "other"
    shutil.copytree(site, other)
    index_site(site, ["v13", "v16"])
    given: list[object] = []
    real = volume_module.route

    def spy(*args: object) -> int:
        given.append(args[3])
        # The router's end counts nothing: every volume was counted as it was indexed.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shards.Loads, "add", lambda self, words: pytest.fail("counted at the end"))
            return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(volume_module, "route", spy)
    indexer = VolumeIndexer(other, edition=["v13", "v16"])
    indexer.finish_volume("v16")
    indexer.finish_volume("v13")
    indexer.finish()
    monkeypatch.undo()
    loads, counted = given[0].loads, given[0].done  # type: ignore[attr-defined]
    assert counted == {"v13", "v16"}
    alone = shards.Loads()
    for vol in ("v13", "v16"):
        alone.merge(shards.volume_load((read_summary(vol, [site]) or pytest.fail("no summary"))["words"]))
    assert loads.load == alone.load
    assert sorted((other / ROUTER).rglob("*")) and \
        {p.relative_to(other): p.read_bytes() for p in sorted((other / ROUTER).rglob("*")) if p.is_file()} == \
        {p.relative_to(site): p.read_bytes() for p in sorted((site / ROUTER).rglob("*")) if p.is_file()}
