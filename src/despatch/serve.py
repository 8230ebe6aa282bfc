"""``despatch serve``: build, serve the site on localhost and rebuild when a source changes."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

from rich.console import Console

from .config import Config, load_config
from .site.build import BuildFailed, build
from .site.cache import retain_snapshots
from .site.preview import preview

console = Console(stderr=True, highlight=False)


def snapshot(config: Config) -> dict[str, float]:
    """Modification times of everything a build reads."""
    roots = [config.content_dir, config.templates_dir]
    stamps = {str(config.config_path): config.config_path.stat().st_mtime} if config.config_path else {}
    for root in roots:
        if root.is_dir():
            for p in root.rglob("*"):
                if p.is_file():
                    stamps[str(p)] = p.stat().st_mtime
    return stamps


def _rebuild(config: Config, first: bool = False) -> None:
    """The first build is a full one; later ones preview the changed documents (site/preview.py)."""
    try:
        result = build(config) if first else preview(config)
        if result.stats.get("preview"):
            console.print(f"Previewed {result.rendered} changed document page(s) in {result.seconds:.2f} s; "
                          "index pages, search and ebooks follow at the next `despatch build`.", style="green")
        else:
            console.print(f"Built {result.documents} documents in {result.seconds:.2f} s.", style="green")
    except BuildFailed as failed:
        for d in failed.report.errors:
            console.print(str(d), style="red", markup=False)
        console.print("Build failed; still serving the previous site.", style="bold red")


def serve(config_path: str, port: int, interval: float = 0.3) -> int:
    """Serve until interrupted; a failed rebuild keeps the previous site online."""
    config = load_config(config_path)
    retain_snapshots()
    _rebuild(config, first=True)
    handler = functools.partial(_Handler, directory=str(config.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    console.print(f"Serving {config.site_dir} at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    seen = snapshot(config)
    try:
        while True:
            time.sleep(interval)
            now = snapshot(config)
            if now != seen:
                seen = now
                config = load_config(config_path)
                _rebuild(config)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve files quietly, resolving against the current site folder (it is swapped on rebuilds)."""

    def translate_path(self, path: str) -> str:
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


__all__ = ["serve", "Path"]
