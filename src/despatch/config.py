"""The edition's configuration, read from ``mkdocs.yml`` without importing MkDocs."""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Diagnostic
from .places import check_places, missing_templates
from .settings import check_settings, unknown_options
from .site.listing import plain, settled
from .yamlio import load_mapping

if TYPE_CHECKING:
    import yaml

# What a build last read mkdocs.yml as, beside the default build folder.
KEPT = Path("build") / ".cache" / "config.json"


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """A safe YAML loader that tolerates MkDocs' custom tags (``!ENV``, ``!!python/name``)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        # MkDocs configs may carry tags for its own loader; the core only needs plain values.
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)  # type: ignore[arg-type]

    Loader.add_multi_constructor("!", unknown_tag)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", unknown_tag)
    return Loader


@dataclass
class Config:
    """Settings of one edition; paths are absolute."""

    project_dir: Path
    content_dir: Path
    build_dir: Path
    site_dir: Path
    tei_dir: Path
    templates_dir: Path
    site_name: str = "despatch"
    site_url: str = ""
    url_prefix: str = ""
    canonical_base: str = ""
    version: str = ""
    release_date: str = ""
    strict_links: bool = True
    workers: int = 0
    search: bool = True
    ebooks: bool = True
    redirects: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    # MkDocs' docs_dir, whose top-level Markdown files are the editors' pages: the content's own folder
    # unless the sources are kept apart (``content_dir``), so that MkDocs need not list them.
    pages_dir: Path | None = None
    # Where in mkdocs.yml each folder's setting was given (keys and list indices), for errors at its place.
    origins: dict[str, list[str | int]] = field(default_factory=dict)
    # Warnings about the configuration itself (an option despatch does not know), said by every build.
    notices: list[Diagnostic] = field(default_factory=list)

    @property
    def pages(self) -> Path:
        """The folder of the editors' Markdown pages."""
        return self.pages_dir or self.content_dir


def plugin_options(data: dict[str, Any]) -> dict[str, Any]:
    """The options given to the ``despatch`` entry of ``plugins`` (a name or a one-key mapping)."""
    return _plugin_entry(data)[1]


def _plugin_entry(data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The ``despatch`` entry's index in ``plugins`` (-1: none) and its options."""
    for i, entry in enumerate(data.get("plugins") or []):
        if entry == "despatch":
            return i, {}
        if isinstance(entry, dict) and "despatch" in entry:
            return i, dict(entry["despatch"] or {})
    return -1, {}


def _origins(data: dict[str, Any], index: int, opts: dict[str, Any]) -> dict[str, list[str | int]]:
    """Where each folder's setting was given: the plugin's option first, else the site's own setting."""
    found: dict[str, list[str | int]] = {}
    for name in ("site_dir", "build_dir", "content_dir", "templates_dir"):
        if opts.get(name):
            found[name] = ["plugins", index, "despatch", name]
    for name in ("site_dir", "docs_dir"):
        if data.get(name) and name not in found:
            found[name] = [name]
    return found


def load_config(path: Path | str = "mkdocs.yml", remember: bool = False, unknown: bool = True,
                **overrides: Any) -> Config:
    """Read ``mkdocs.yml`` (or defaults when it is absent) into a Config.

    ``remember``: keep what the file was read as in the default build folder, and take it from there
    while the file's time, size and inode stand (a build's command: the YAML parser's import and
    parse are a thirtieth of an edit's build). ``unknown``: warn of options despatch does not know
    (MkDocs, which reads them too, warns of them itself).
    """
    cfg_path = Path(path).resolve()
    data: dict[str, Any] = {}
    root = cfg_path.parent
    notices: list[Diagnostic] = []
    if cfg_path.exists():
        data = _read(cfg_path, root / KEPT if remember else None)
        check_settings(data, cfg_path)
        notices = unknown_options(data, cfg_path) if unknown else []
    index, opts = _plugin_entry(data)
    origins = _origins(data, index, opts)
    opts.update({k: v for k, v in overrides.items() if v is not None})
    build_dir = (root / str(opts.get("build_dir", "build"))).resolve()
    prefix = str(opts.get("url_prefix") or "").strip("/")
    redirects = {str(k).strip("/"): str(v).strip("/") for k, v in (opts.get("redirects") or {}).items()}
    pages = (root / str(data.get("docs_dir", "content"))).resolve()
    # The site where the plugin's option says, else where MkDocs' own setting does (``mkdocs build``
    # writes there too), else in the build folder.
    site = opts.get("site_dir") or data.get("site_dir")
    config = Config(
        project_dir=root,
        content_dir=(root / str(opts["content_dir"])).resolve() if opts.get("content_dir") else pages,
        build_dir=build_dir,
        site_dir=(root / str(site)).resolve() if site else build_dir / "site",
        tei_dir=build_dir / "tei",
        templates_dir=root / str(opts.get("templates_dir", "templates")),
        site_name=str(data.get("site_name") or "despatch"),
        site_url=str(data.get("site_url") or ""),
        url_prefix=prefix + "/" if prefix else "",
        canonical_base=str(opts.get("canonical_base") or ""),
        version=str(opts.get("version") or ""),
        release_date=str(opts.get("release_date") or ""),
        strict_links=bool(opts.get("strict_links", True)),
        workers=int(opts.get("workers") or os.environ.get("DESPATCH_WORKERS") or 0),
        search=bool(opts.get("search", True)),
        ebooks=bool(opts.get("ebooks", True)),
        redirects=redirects,
        raw=opts,
        config_path=cfg_path if cfg_path.exists() else None,
        pages_dir=pages,
        origins=origins,
        notices=notices,
    )
    check_places(config)
    config.notices.extend(missing_templates(config))
    return config


def _read(path: Path, kept: Path | None) -> dict[str, Any]:
    """The configuration file's mapping: as kept while the file stands, else parsed (and kept)."""
    st = os.stat(path)
    sig = [str(path), st.st_mtime_ns, st.st_size, st.st_ino]
    if kept is not None:
        try:
            saved = json.loads(kept.read_text(encoding="utf-8"))
            if saved.get("file") == sig and isinstance(saved.get("data"), dict):
                return saved["data"]
        except (OSError, ValueError, AttributeError):
            pass
    data = load_mapping(path, "a YAML mapping (see mkdocs.yml in the example edition)", _loader())
    if kept is None or not settled(st) or plain(data) is None:
        return data  # read again next time: just changed, or values JSON would not give back
    build_dir = str(plugin_options(data).get("build_dir", "build"))
    if (path.parent / build_dir).resolve() == kept.parent.parent.resolve():
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            tmp = kept.with_name(kept.name + ".tmp")
            tmp.write_text(json.dumps({"file": sig, "data": data}, sort_keys=True), encoding="utf-8")
            tmp.replace(kept)
        except OSError:
            pass  # not kept: read again next time
    return data
