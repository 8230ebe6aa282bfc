"""Change notifications for `despatch serve` and `mkdocs serve` (real observers on real files)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from despatch.watch import Watcher, native, notify_server, record_changes


@pytest.mark.parametrize("polling", [False, True])
def test_a_write_is_seen_and_a_read_is_not(tmp_path: Path, polling: bool) -> None:
    source = tmp_path / "d1.txt"
    source.write_text("Telegram\n", encoding="utf-8")
    watcher = Watcher([tmp_path], polling=polling)
    try:
        time.sleep(0.6)  # a polling observer takes its first snapshot
        source.read_text(encoding="utf-8")  # a build reads every source: that is no change
        assert not watcher.wait(timeout=1.2)
        source.write_text("Telegram, edited\n", encoding="utf-8")
        started = time.monotonic()
        assert watcher.wait(timeout=5)
        assert time.monotonic() - started < 5
        assert not watcher.wait(timeout=0.8)  # one save, one wake-up
    finally:
        watcher.stop()


def test_a_file_made_in_a_new_folder_is_seen(tmp_path: Path) -> None:
    watcher = Watcher([tmp_path])
    try:
        folder = tmp_path / "frus1961-63v13"
        folder.mkdir()
        assert watcher.wait(timeout=5)
        time.sleep(0.1)
        (folder / "d2.txt").write_text("Memorandum\n", encoding="utf-8")
        assert watcher.wait(timeout=5)
    finally:
        watcher.stop()


@pytest.mark.skipif(not native(), reason="this system gives no file notifications")
def test_the_mkdocs_server_is_moved_to_notifications_with_every_watch(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path / "content"))
    server.watch(str(tmp_path / "mkdocs.yml"))
    server.watch(str(tmp_path / "content"))  # counted twice: unwatched once, it must stay watched
    assert isinstance(server.observer, PollingObserver)
    same = notify_server(server)
    assert same is server and not isinstance(server.observer, PollingObserver)
    watched = [e.watch.path for e in server.observer.emitters]
    assert len(watched) == 2 and str(tmp_path / "content") in watched  # a file is watched through its folder
    server.unwatch(str(tmp_path / "content"))
    assert str(tmp_path / "content") in [e.watch.path for e in server.observer.emitters]


def test_polling_is_kept_when_asked(tmp_path: Path) -> None:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path))
    notify_server(server, polling=True)
    assert isinstance(server.observer, PollingObserver)


@pytest.mark.parametrize("polling", [False, True])
def test_the_files_changed_are_told_and_a_folder_made_tells_none(tmp_path: Path, polling: bool) -> None:
    source, other = tmp_path / "d1.txt", tmp_path / "d2.txt"
    source.write_text("Telegram\n", encoding="utf-8")
    other.write_text("Memorandum\n", encoding="utf-8")
    watcher = Watcher([tmp_path], polling=polling)
    try:
        time.sleep(0.6)  # a polling observer takes its first snapshot
        source.write_text("Telegram, edited\n", encoding="utf-8")
        assert watcher.wait(timeout=5)
        assert watcher.take() == {str(source)}
        assert watcher.take() == set()  # told once
        tmp = tmp_path / ".d2.txt.tmp"  # saved as many editors save: another file renamed over it
        tmp.write_text("Memorandum, edited\n", encoding="utf-8")
        tmp.replace(other)
        assert watcher.wait(timeout=5)
        time.sleep(0.6)
        assert str(other) in (watcher.take() or set())
        (tmp_path / "frus1961-63v13").mkdir()
        assert watcher.wait(timeout=5)
        time.sleep(0.6)
        assert watcher.take() is None
    finally:
        watcher.stop()


@pytest.mark.parametrize("polling", [False, True])
def test_the_mkdocs_server_tells_which_files_changed(tmp_path: Path, polling: bool) -> None:
    content = tmp_path / "content"
    (content / "frus1961-63v13").mkdir(parents=True)
    source = content / "frus1961-63v13" / "d1.txt"
    source.write_text("Telegram\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(content))
    server = notify_server(server, polling=polling)
    changes = record_changes(server, [content])
    assert changes is not None
    # Heard from MkDocs' own watch of the folder: each event reaches both handlers in one dispatch.
    assert len(server.observer.emitters) == 1
    server.observer.start()
    try:
        time.sleep(0.6)  # a polling observer takes its first snapshot
        source.read_text(encoding="utf-8")
        source.write_text("Telegram, edited\n", encoding="utf-8")
        deadline = time.monotonic() + 5
        seen: set[str] = set()
        while str(source) not in seen:
            assert time.monotonic() < deadline, seen
            time.sleep(0.05)
            seen |= changes.take() or set()
        assert seen == {str(source)}
        (content / "frus1961-63v14").mkdir()  # a folder made: only a full reading tells what changed
        deadline = time.monotonic() + 5
        while (taken := changes.take()) is not None:
            assert time.monotonic() < deadline and not taken
            time.sleep(0.05)
    finally:
        server.observer.stop()
        server.observer.join()


def test_a_server_without_an_observer_tells_nothing(tmp_path: Path) -> None:
    assert record_changes(object(), [tmp_path]) is None


def test_a_folder_moved_away_and_back_is_watched_again_without_a_word(tmp_path: Path) -> None:
    """An editor moves a volume's folder out of the edition and back: its later edits are seen, and the
    terminal shows no warning from the library that watches (run apart: warnings come once a process)."""
    volume = tmp_path / "content" / "frus1961-63v13"
    volume.mkdir(parents=True)
    (volume / "d1.txt").write_text("Telegram\n", encoding="utf-8")
    script = f"""
import os, time
from pathlib import Path
from despatch.watch import Watcher
watcher = Watcher([Path({str(tmp_path / "content")!r})])
for src, dst in (({str(volume)!r}, {str(tmp_path / "away")!r}), ({str(tmp_path / "away")!r}, {str(volume)!r})):
    os.rename(src, dst)
    assert watcher.wait(timeout=5)
    watcher.take()
Path({str(volume / "d1.txt")!r}).write_text("Telegram, edited\\n", encoding="utf-8")
assert watcher.wait(timeout=5)
time.sleep(0.2)
print(sorted(watcher.take() or []))
watcher.stop()
"""
    done = subprocess.run([sys.executable, "-W", "default", "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == repr([str(volume / "d1.txt")]) and not done.stderr, done.stderr
