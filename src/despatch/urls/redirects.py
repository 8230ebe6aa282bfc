"""Redirects: declared ones (renumbered documents), note shortcuts, and their three outputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2

from ..errors import Diagnostic, SourceError
from ..files import write_page
from ..model import DocRecord
from ..sitepath import unsafe
from .scheme import (
    absolute_url,
    is_absolute,
    normalize,
    note_path,
    note_target,
    output_file,
    public_path,
    relative_url,
    server_path,
    site_root,
)

REDIRECTS_FILE = "redirects.yml"
JSON_NAME = "redirects.json"
NETLIFY_NAME = "_redirects"
PATHS = "paths of the site's pages, e.g. 'frus1961-63v13/d12: frus1961-63v13/d13' (a new one may be a full URL)"


def target(value: str) -> str:
    """A redirect's target: a site path, or an absolute URL (a document now kept elsewhere)."""
    value = value.strip()
    return value if is_absolute(value) else normalize(value)


def redirect_entries(path: Path) -> list[tuple[str, str, int, int]]:
    """The redirects of ``redirects.yml`` as (old, new, line, column); errors name the file and line."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    import yaml  # only where there is YAML to read: most sources and editions have none

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SourceError.at(str(path), line, col, f"redirects file is not valid YAML: {getattr(exc, 'problem', exc)}",
                             expected="lines 'old/path: new/path'", text=text) from None
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise SourceError.at(str(path), node.start_mark.line + 1, node.start_mark.column + 1,
                             "redirects file must be a mapping", found=node.id,
                             expected="lines 'frus1961-63v13/d12: frus1961-63v13/d13'", text=text)
    out: list[tuple[str, str, int, int]] = []
    seen: set[str] = set()
    for key, value in node.value:
        for part in (key, value):
            if not isinstance(part, yaml.ScalarNode) or not str(part.value).strip():
                raise SourceError.at(str(path), part.start_mark.line + 1, part.start_mark.column + 1,
                                     "a redirect maps one path to one path", found=part.id,
                                     expected="'old/path: new/path'", text=text)
        for part in (key, value):
            why = None if part is value and is_absolute(str(part.value).strip()) else unsafe(str(part.value))
            if why is not None:
                raise SourceError.at(str(path), part.start_mark.line + 1, part.start_mark.column + 1,
                                     f"'{part.value}' is not a path of the site: {why}", found=str(part.value),
                                     expected=PATHS, text=text)
        old, new = normalize(str(key.value)), target(str(value.value))
        if old in seen:
            raise SourceError.at(str(path), key.start_mark.line + 1, key.start_mark.column + 1,
                                 f"redirect for '{old}' declared twice", found=new,
                                 expected="one target per old path", text=text)
        seen.add(old)
        out.append((old, new, key.start_mark.line + 1, key.start_mark.column + 1))
    return out


def load_redirects_file(path: Path) -> dict[str, str]:
    """Read ``redirects.yml`` (old: new site paths)."""
    return {old: new for old, new, _, _ in redirect_entries(path)}


def declared_redirects(config: Any) -> dict[str, str]:
    """Redirects from mkdocs.yml's ``redirects`` option and ``content/redirects.yml``, in site paths."""
    out = {normalize(k): target(v) for k, v in (getattr(config, "redirects", None) or {}).items()}
    out.update(load_redirects_file(Path(config.content_dir) / REDIRECTS_FILE))
    return out


Origin = tuple[str, int, int]


def redirect_origins(config: Any, display: Callable[[Path], str] = str) -> dict[str, Origin]:
    """Where each declared redirect was written (file, line, column), for messages about it."""
    out: dict[str, Origin] = {}
    cfg_path = getattr(config, "config_path", None)
    lines = Path(cfg_path).read_text(encoding="utf-8").splitlines() if cfg_path and Path(cfg_path).exists() else []
    for key in getattr(config, "redirects", None) or {}:
        # The configuration is read elsewhere without positions: find the key's line in the text.
        found = next(((n, line.find(key) + 1) for n, line in enumerate(lines, 1) if key in line), (1, 1))
        out[normalize(key)] = (display(Path(cfg_path)) if cfg_path else "mkdocs.yml", *found)
    path = Path(config.content_dir) / REDIRECTS_FILE
    for old, _, line, col in redirect_entries(path):
        out[old] = (display(path), line, col)
    return out


def note_redirects(records: Iterable[DocRecord]) -> dict[str, str]:
    """``vol/d245fn1/`` → ``vol/d245/#d245fn1`` for every FRUS note id of every document."""
    out: dict[str, str] = {}
    for rec in records:
        prefix = rec.id + "fn"
        for anchor in rec.anchors:
            if not anchor.startswith(prefix):
                continue
            target = note_target(rec.volume, anchor)
            if target is not None:
                out[note_path(rec.volume, anchor)] = target
    return out


def resolve(redirects: dict[str, str], published: set[str],
            origins: dict[str, Origin] | None = None) -> tuple[dict[str, str], list[Diagnostic]]:
    """Follow chains (d12 → d13 → d14 gives d12 → d14); report loops and targets that do not exist."""
    out: dict[str, str] = {}
    diags: list[Diagnostic] = []
    for old in sorted(redirects):
        where, line, col = (origins or {}).get(old, ("redirects", 1, 1))
        seen = [old]
        new = redirects[old]
        page = new.partition("#")[0]
        while page in redirects and page not in seen:
            seen.append(page)
            new = redirects[page]
            page = new.partition("#")[0]
        if is_absolute(new) and old not in published:
            out[old] = new
        elif page in seen:
            diags.append(Diagnostic(where, line, col, f"redirect loop: {' → '.join(seen + [page])}",
                                    expected="a chain of redirects that ends at a published page"))
        elif page not in published:
            diags.append(Diagnostic(where, line, col, f"redirect from /{old} points to /{page}, which the build does not publish",
                                    found=f"{old}: {redirects[old]}", expected="a target that is a page of the edition"))
        elif old in published:
            diags.append(Diagnostic(where, line, col, f"redirect from /{old} would hide a page that the build publishes",
                                    found=f"{old}: {redirects[old]}", expected="redirects only for URLs that no longer exist"))
        else:
            out[old] = new
    return out, diags


def is_shortcut(old: str, new: str) -> bool:
    """Whether a redirect is a note shortcut (``vol/d245fn1/`` → ``vol/d245/#d245fn1``), a rule, not a move."""
    volume, _, rest = old.partition("/")
    return rest.endswith("/") and note_target(volume, rest.rstrip("/")) == new


def write_redirect_page(site_dir: Path, old: str, new: str, config: Any, template: jinja2.Template) -> None:
    """The static page at ``old`` that sends readers (and search engines) to ``new``."""
    external = is_absolute(new)
    old_public = public_path(config, old)
    page = output_file(site_dir, old_public)
    href = new if external else relative_url(old_public, public_path(config, new))
    canonical = new.partition("#")[0] if external else absolute_url(config, new.partition("#")[0])
    write_page(page, template.render(site=config, page_path=old, target=href, canonical=canonical))


def emit_redirects(site_dir: Path, redirects: dict[str, str], config: Any,
                   env: jinja2.Environment | None = None) -> None:
    """Write a static page per redirect, ``_redirects`` (Netlify, Cloudflare Pages) and a JSON map.

    ``site_dir`` is the folder served at ``site_url``; keys and values are site paths. Note
    shortcuts get their static page only: they follow one rule, and hosts cap the number of
    server redirects (Cloudflare Pages at 2,000), which only real moves should spend.
    """
    env = env or _env(config)
    template = env.get_template("redirect.html")
    lines: list[str] = []
    mapping: dict[str, str] = {}
    for old in sorted(redirects):
        new = redirects[old]
        external = is_absolute(new)
        new_server = new if external else server_path(config, new)
        if not is_shortcut(old, new):
            lines.append(f"{server_path(config, old)} {new_server} 301")
            mapping[server_path(config, old)] = new_server
        if not (old.endswith("/") or old.endswith(".html")):
            continue  # a moved data file (d12.xml) is redirected by the server rules only
        write_redirect_page(site_dir, old, new, config, template)
    (site_dir / NETLIFY_NAME).write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    (site_dir / JSON_NAME).write_text(json.dumps(mapping, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                                      encoding="utf-8")


def _env(config: Any) -> jinja2.Environment:
    """The site's template environment (the project's templates override the packaged ones)."""
    from ..render.env import make_env, template_cache
    return make_env(Path(config.templates_dir) if getattr(config, "templates_dir", None) else None,
                    template_cache(config))


__all__ = ["declared_redirects", "emit_redirects", "load_redirects_file", "note_redirects", "resolve", "site_root"]
