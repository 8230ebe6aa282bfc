"""A thin adapter from MkDocs events to despatch's build: MkDocs renders the Markdown pages, despatch the rest."""

from __future__ import annotations

import gc
import logging
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from .config import Config, load_config
from .errors import SourceError
from .places import check_places
from .site.build import build
from .site.collect import volume_list
from .site.preview import preview, preview_summary
from .site.result import BuildFailed, BuildResult
from .site.snapshot import retain_snapshots
from .watch import Changes, notify_server, record_changes, watch_when_made, watched

log = logging.getLogger("mkdocs.plugins.despatch")


def link_tree(source: Path, target: Path) -> None:
    """Link each of ``source``'s entries into ``target`` where MkDocs has none; merge folders both have."""
    for entry in sorted(source.iterdir()):
        there = target / entry.name
        if not there.exists() and not there.is_symlink():
            there.symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
        elif there.is_dir() and not there.is_symlink() and entry.is_dir():
            link_tree(entry, there)


class DespatchOptions(MkConfig):
    """The options of ``plugins: - despatch:``; read again by despatch's own loader."""

    build_dir = config_options.Type(str, default="build")
    content_dir = config_options.Type(str, default="")
    canonical_base = config_options.Type(str, default="")
    url_prefix = config_options.Type(str, default="")
    version = config_options.Type(str, default="")
    release_date = config_options.Type(str, default="")
    strict_links = config_options.Type(bool, default=True)
    workers = config_options.Type(int, default=0)
    search = config_options.Type(bool, default=True)
    ebooks = config_options.Type(bool, default=True)
    redirects = config_options.Type(dict, default={})
    templates_dir = config_options.Type(str, default="templates")
    note_redirects = config_options.Type(bool, default=True)
    watch_polling = config_options.Type(bool, default=False)
    ledger_grow = config_options.Type(bool, default=True)
    # `despatch build` and `despatch serve` write the site here; `mkdocs build` writes to MkDocs' own site_dir.
    site_dir = config_options.Type(str, default="")


class DespatchPlugin(BasePlugin[DespatchOptions]):
    """Keeps document sources out of MkDocs' files and builds the edition after MkDocs' pages."""

    def __init__(self) -> None:
        self.dconfig: Config | None = None
        self.volume_dirs: list[Path] = []
        self.serving = False
        self.watching = False  # the server watches: the site's first build is done
        self.changes: Changes | None = None  # the files changed between two previews, when the server tells
        self.frozen = False  # collections leave out what was alive when MkDocs' build began

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        retain_snapshots(self.serving)

    def on_config(self, config: Any) -> Any:
        try:
            self.dconfig = load_config(config.config_file_path, unknown=False)
            if not self.serving:
                # `mkdocs build`: one site, MkDocs' pages and despatch's together in MkDocs' folder, which
                # must not hold the sources either (MkDocs looks at its own pages' folder only).
                self.dconfig.site_dir = Path(config.site_dir)
                self.dconfig.origins["site_dir"] = ["site_dir"]  # MkDocs' own setting chose it
                check_places(self.dconfig)
        except SourceError as exc:
            raise PluginError(f"despatch: {exc}") from None
        return config

    def on_pre_build(self, *, config: Any) -> None:
        if self.serving and self.watching:
            # The edition held between previews is millions of objects at the scale of FRUS: a full
            # collection during MkDocs' own build would walk them all (1.5 s, every few edits). They
            # are left out of collections until the preview ends; what dies meanwhile is collected after.
            gc.freeze()
            self.frozen = True

    def on_files(self, files: Files, config: Any) -> Files:
        # Volume folders hold document sources, not MkDocs pages: despatch reads them itself.
        assert self.dconfig is not None
        self.volume_dirs = [p.parent.resolve() for p in self.dconfig.content_dir.glob("*/volume.yml")]
        # By the first folder of each file's path: a volume holds thousands of files, and resolving
        # each one's path took longer than MkDocs' own rebuild of its pages.
        names = {d.name for d in self.volume_dirs}
        return Files([f for f in files if f.src_uri.split("/", 1)[0] not in names or "/" not in f.src_uri])

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        # The home page lists the volumes, as despatch's own home page does.
        if page.file.src_uri != "index.md" or self.dconfig is None:
            return markdown
        # As HTML: MkDocs checks Markdown links against its own pages and would log one line per volume
        # on every rebuild, because a volume's pages are despatch's.
        items = "".join(f'<li><a href="{escape(v.id)}/">{escape(v.title)}</a></li>' for v in volume_list(self.dconfig))
        return markdown + f"\n\n## Volumes\n\n<ul>{items}</ul>\n"

    def on_build_error(self, *, error: Exception) -> None:
        self._thaw()

    def on_post_build(self, *, config: Any) -> None:
        try:
            self._post_build(config)
        finally:
            self._thaw()

    def _thaw(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def _post_build(self, config: Any) -> None:
        assert self.dconfig is not None
        try:
            if self.serving:
                # `mkdocs serve` rebuilds its own pages on every change; despatch previews the changed
                # documents in its own site and lends it to MkDocs' folder by links, not copies. The
                # edition stays in memory between previews, and an edit reads its own volume only.
                if not self.watching:
                    _hold(self.dconfig)
                else:
                    result = preview(self.dconfig, touched=self.changes.take() if self.changes is not None else None)
                    _warn(result)
                    if result.stats.get("preview"):
                        log.info("despatch: %s.", preview_summary(result))
                link_tree(self.dconfig.site_dir, Path(config.site_dir))
            else:
                _warn(build(self.dconfig, into=Path(config.site_dir), markdown_pages=False))
        except BuildFailed as failed:
            raise PluginError("despatch: " + "\n".join(str(d) for d in failed.report.items)) from None
        except SourceError as exc:
            raise PluginError(f"despatch: {exc}") from None

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        assert self.dconfig is not None
        if self.dconfig.templates_dir.is_dir():
            server.watch(str(self.dconfig.templates_dir))
        if not self.dconfig.content_dir.is_relative_to(self.dconfig.pages):
            server.watch(str(self.dconfig.content_dir))  # sources kept apart from MkDocs' pages
        server = notify_server(server, polling=self.config.watch_polling)
        # Content, templates and configuration: what a preview reads, and all MkDocs must watch for it.
        self.changes = record_changes(server, watched(self.dconfig))
        self.watching = True
        if not self.dconfig.templates_dir.is_dir():  # the editor's first templates, begun while serving
            watch_when_made(server, self.dconfig.templates_dir, self.changes)
        return server


def _warn(result: BuildResult) -> None:
    """Log what a build or preview warned of, as MkDocs logs its own warnings (``--strict`` counts them)."""
    for diag in result.report.warnings:
        log.warning("despatch: %s", diag)


def _hold(config: Config) -> None:
    """Bring the site up to date, then hold the edition in memory as ``despatch serve`` does (a full
    build, when one was needed, holds nothing)."""
    if not preview(config, touched=set()).stats.get("preview"):
        preview(config, touched=set())
