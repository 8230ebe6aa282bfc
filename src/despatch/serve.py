"""``despatch serve``: build, serve the site on localhost and rebuild when a source changes."""

from __future__ import annotations

import errno
import functools
import http.server
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console

from .config import Config, load_config
from .errors import Diagnostic, SourceError
from .site.build import build
from .site.preview import preview, preview_summary
from .site.result import BuildFailed, BuildResult
from .site.snapshot import retain_snapshots
from .watch import Watcher, watched

console = Console(stderr=True, highlight=False)


def _rebuild(config: Config, first: bool = False, touched: set[str] | None = None) -> None:
    """The first build is a full one; later ones preview the changed documents (site/preview.py), reading
    only the volumes of the ``touched`` files when those are all that changed."""
    try:
        _said(build(config) if first else preview(config, touched=touched))
    except BuildFailed as failed:
        _failed(failed.report.items)


def _failed(said: Iterable[Diagnostic]) -> None:
    """Tell the editor why a build failed (the site served is the last one built)."""
    for diag in said:
        console.print(str(diag), style="red" if diag.severity == "error" else "yellow", markup=False)
    console.print("Build failed; still serving the previous site.", style="bold red")


def _said(result: BuildResult) -> None:
    """Tell the editor what a build or preview did, and what it warned of."""
    for diag in result.report.warnings:
        console.print(str(diag), style="yellow", markup=False)
    if result.stats.get("preview"):
        console.print(f"{preview_summary(result)}; index pages, search and ebooks follow at the next "
                      "`despatch build`.", style="green")
    else:
        console.print(f"Built {result.documents} documents in {result.seconds:.2f} s.", style="green")


def _hold(config: Config) -> None:
    """Read the edition once into memory, as a preview does, so that the first edit reads only its volume too."""
    try:
        result = preview(config, touched=set())
    except BuildFailed:
        pass  # the first edit's preview reads the whole edition and says what is wrong
    else:
        # A source saved since the first build read it (the server was starting) is shown now: say so.
        if result.rendered or not result.stats.get("preview"):
            _said(result)
    console.print("Watching for changes: a saved source is previewed at once.")


def serve(config_path: str, port: int, polling: bool | None = None) -> int:
    """Serve until interrupted; a failed rebuild keeps the previous site online."""
    config = load_config(config_path)
    # The port first: one in use is said at once, not after a first build (minutes, for a whole series).
    handler = functools.partial(_Handler, directory=str(config.site_dir), not_found=config.url_prefix + "404.html")
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        console.print(f"despatch serve: cannot serve on 127.0.0.1 port {port}: {exc.strerror or exc}"
                      + (" (another server runs there: stop it, or choose another port with -p)"
                         if exc.errno == errno.EADDRINUSE else ""), style="bold red", markup=False)
        return 1
    retain_snapshots()
    try:
        _rebuild(config, first=True)
    except BaseException:
        server.server_close()
        raise
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]  # the one the system chose, for port 0
    console.print(f"Serving {config.site_dir} at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    watcher = Watcher(watched(config), bool(config.raw.get("watch_polling")) if polling is None else polling)
    _hold(config)
    try:
        while True:
            changed = watcher.wait(timeout=1.0)
            # A folder watched once it is there (the project's templates, begun while serving): looked for each second.
            appeared = watcher.appeared()
            if not (changed or appeared):
                continue
            touched = watcher.take() if changed else None
            if appeared:
                watcher = _rewatch(watcher, config)
                touched = None
            before = watched(config)
            try:
                config = load_config(config_path)
            except SourceError as exc:  # a slip in mkdocs.yml: say where, serve on, wait for the fix
                _failed(exc.diagnostics)
                continue
            if watched(config) != before:  # the configuration moved the content or the templates
                watcher = _rewatch(watcher, config)
                touched = None
            _rebuild(config, touched=touched)
    except KeyboardInterrupt:
        server.shutdown()
    finally:
        watcher.stop()
    return 0


def _rewatch(watcher: Watcher, config: Config) -> Watcher:
    """A new watcher of what the configuration names, in place of ``watcher``."""
    watcher.stop()
    return Watcher(watched(config), watcher.polling)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve files quietly, resolving against the current site folder (it is swapped on rebuilds)."""

    def __init__(self, *args: Any, not_found: str = "404.html", **kwargs: Any) -> None:
        self.not_found = not_found  # in the site folder: the edition's page for addresses that are none
        super().__init__(*args, **kwargs)  # which handles the request

    def translate_path(self, path: str) -> str:
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """An address that is no page gets the edition's own page for it, as the hosts serve it."""
        page = Path(self.directory, self.not_found)
        if code != 404 or self.command != "GET" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


__all__ = ["serve", "Path"]
