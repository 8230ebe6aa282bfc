"""Learn of edits from the kernel's file notifications (inotify and its kin), by polling where there are none.

Polling a 5,000-document edition means listing and stat-ing every source a few times a second, and an
edit waits half a poll on average before anything starts. Notifications cost nothing while idle and
arrive at once. Network file systems send none, so editors there set ``watch_polling: true``.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

if TYPE_CHECKING:
    from .config import Config

# Only what changes a file. Reading one (a build reads every source it converts) also makes events,
# "opened" and "closed without writing", that would otherwise start a build again, and again.
CHANGES: list[type[FileSystemEvent]] = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent,
                                        FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
POLL_SECONDS = 0.5

# watchdog warns, with a dump of its internals, when a watched folder moved away is moved back (an
# editor putting a volume back): it watches the folder again, as it should, and tells of its changes.
warnings.filterwarnings("ignore", message=r"Callback with id .* already exists", category=RuntimeWarning)


def watched(config: Config) -> list[Path]:
    """Everything a build reads: the sources, the editors' pages, the templates and the configuration."""
    pages = [config.pages] if config.pages != config.content_dir else []
    return [config.content_dir, *pages, config.templates_dir] + ([config.config_path] if config.config_path else [])


def native() -> bool:
    """Whether this system gives file notifications (watchdog falls back to polling where it does not)."""
    return not issubclass(Observer, PollingObserver)


def observer(polling: bool = False) -> BaseObserver:
    """An observer that reports only changes: the kernel's notifications, or a poll when asked or needed."""
    if polling or not native():
        return PollingObserver(timeout=POLL_SECONDS)
    return _ChangesOnly()


class _ChangesOnly(Observer):  # type: ignore[misc, valid-type]
    """The platform's native observer, scheduling every watch with the CHANGES filter."""

    def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                 event_filter: list[type[FileSystemEvent]] | None = None,
                 follow_symlink: bool = False) -> ObservedWatch:
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or CHANGES,
                                follow_symlink=follow_symlink)


class Changes:
    """The files changed since ``take``, as a handler of an observer's events records them."""

    def __init__(self, then: Callable[[], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._files: set[str] | None = set()  # None: a folder's names changed too
        self._then = then
        self.handler = FileSystemEventHandler()
        self.handler.on_any_event = self._seen  # type: ignore[method-assign]

    def _seen(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):  # a polling observer has no filter
            return
        with self._lock:
            if self._files is not None:
                if event.is_directory:
                    # A folder made, removed or renamed; one whose names changed (a poll says so) is
                    # told of by its files' own events.
                    if event.event_type != "modified":
                        self._files = None
                else:
                    # A file saved by writing another and renaming it over the first: both names.
                    self._files.update(str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p)
        if self._then is not None:
            self._then()

    def take(self) -> set[str] | None:
        """The files changed, made, removed or renamed since the last call (None when a folder was: then
        only a full reading of what is watched tells what changed)."""
        with self._lock:
            files, self._files = self._files, set()
        return files


class Watcher:
    """Files and folders watched for changes; ``wait`` returns once they changed and then stayed quiet."""

    def __init__(self, paths: list[Path], polling: bool = False) -> None:
        self._changed = threading.Event()
        self._changes = Changes(self._changed.set)
        self.polling = polling
        self._observer = observer(polling)
        self.missing = [path for path in paths if not path.exists()]  # to watch once they are made
        for path in paths:
            if path.exists():
                self._observer.schedule(self._changes.handler, str(path), recursive=path.is_dir())
        self._observer.start()

    def appeared(self) -> bool:
        """Whether a path that was not there when the watch began is there now (a new watcher must watch it)."""
        return any(path.exists() for path in self.missing)

    def take(self) -> set[str] | None:
        """The files changed since the last call (``Changes.take``)."""
        return self._changes.take()

    def wait(self, timeout: float | None = None, settle: float = 0.05) -> bool:
        """Block until something changed (False on timeout), then until no change came for ``settle`` s.

        An editor's save is often several events (a temporary file, a rename, a change of time);
        one build after the last of them, not one per event.
        """
        if not self._changed.wait(timeout):
            return False
        while True:
            self._changed.clear()
            if not self._changed.wait(settle):
                return True

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join()


def notify_server(server: Any, polling: bool = False) -> Any:
    """Have MkDocs' development server learn of changes from notifications instead of its half-second poll.

    MkDocs schedules its watches before plugins see the server; they are moved, path by path, through
    the server's own ``unwatch``/``watch`` onto an observer that reports only changes. A server without
    the expected attributes (another MkDocs version) is returned as it is, still polling.
    """
    watched = getattr(server, "_watched_paths", None)
    if polling or not native() or not isinstance(watched, dict) or not hasattr(server, "observer"):
        return server
    paths = list(watched.items())
    for path, count in paths:
        for _ in range(count):
            server.unwatch(path)
    server.observer = observer()
    for path, count in paths:
        for _ in range(count):
            server.watch(path)
    return server


def record_changes(server: Any, paths: list[Path], changes: Changes | None = None) -> Changes | None:
    """Record which of ``paths``' files change, from the same observer as MkDocs' development server.

    Scheduled on the paths MkDocs watches too, the recorder hears each event in the same dispatch as
    MkDocs' own handler, which then waits for a tenth of a second of quiet before it rebuilds: by the
    rebuild, every change that started it is recorded. None for a server without an observer.
    """
    found = getattr(server, "observer", None)
    if found is None or not hasattr(found, "schedule"):
        return None
    changes = changes or Changes()  # ``changes``: a recorder that is to hear of more paths
    for path in paths:
        if path.exists():
            # The path and recursion as MkDocs' ``watch`` gives them, so that an equal watch shares its emitter.
            found.schedule(changes.handler, os.path.abspath(path), recursive=True)
    return changes


def watch_when_made(server: Any, folder: Path, changes: Changes | None) -> None:
    """Have MkDocs' development server watch ``folder`` (not there yet) once it is made, and build what
    was saved in it before the watch began; its parent is watched meanwhile, not recursively (it holds
    the build folder, whose writes are no edits)."""
    found = getattr(server, "observer", None)
    if found is None or not hasattr(found, "schedule"):
        return
    handler = FileSystemEventHandler()
    made: list[bool] = []

    def seen(event: FileSystemEvent) -> None:
        path = getattr(event, "dest_path", "") or event.src_path
        if made or not event.is_directory or os.path.abspath(path) != os.path.abspath(folder) or not folder.is_dir():
            return
        made.append(True)
        server.watch(str(folder))
        record_changes(server, [folder], changes)
        if any(p.is_file() for p in folder.rglob("*")):
            _rebuild_soon(server)

    handler.on_any_event = seen  # type: ignore[method-assign]
    found.schedule(handler, str(folder.parent), recursive=False)


def _rebuild_soon(server: Any) -> None:
    """Have MkDocs' development server build again, as a change it watches would (MkDocs 1.5 and 1.6)."""
    cond = getattr(server, "_rebuild_cond", None)
    if cond is not None:
        with cond:
            server._want_rebuild = True
            cond.notify_all()
