"""The Jinja environment: the project's templates first, the packaged ones behind them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from .urls import relative


def packaged_templates() -> Path:
    """Where despatch's own templates are: inside the wheel, or the source tree when editable."""
    inside = Path(__file__).resolve().parent.parent / "templates"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[3] / "templates"


@jinja2.pass_context
def _url(ctx: Any, target: str, page: str | None = None) -> str:
    # Relative URLs keep the site working under any path prefix and when opened from disk.
    if page is None:
        # ctx.get("page_path", "") without its two layers of calls: the filter runs 20 times a page.
        page = ctx.vars.get("page_path", _MISSING)
        if page is _MISSING:
            page = ctx.parent.get("page_path", "")
    return relative(page, target)


_MISSING = object()


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _date(value: str | None) -> str:
    """ISO date-time → a reader's date ("May 4, 1962"); empty for unknown."""
    if not value:
        return ""
    months = _MONTHS
    try:
        y, m, d = value[:4], int(value[5:7]), int(value[8:10])
    except (ValueError, IndexError):
        return value
    return f"{months[m - 1]} {d}, {y}"


def make_env(project_templates: Path | None = None, cache_dir: Path | None = None) -> jinja2.Environment:
    """An autoescaping environment whose loader lets a project override templates file by file.

    ``cache_dir`` keeps the compiled templates between processes (each build and each of its workers
    compiled every template again, about 75 ms); Jinja checks each entry against its template's source.
    """
    loaders: list[jinja2.BaseLoader] = []
    packaged = packaged_templates()
    if project_templates is not None and project_templates.is_dir() and project_templates.resolve() != packaged.resolve():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.FileSystemLoader(str(packaged)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build renders 10^5 pages from templates that do not change while it runs: no stat per
        # extends and include to look for edits.
        auto_reload=False,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(_made(cache_dir))) if cache_dir is not None else None,
    )
    env.filters["url"] = _url
    env.filters["date"] = _date
    return env


def _made(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def template_cache(config: object) -> Path | None:
    """Where a build keeps its compiled templates: beside its other caches (None without a build folder)."""
    build_dir = getattr(config, "build_dir", None)
    return Path(build_dir) / ".cache" / "templates" if build_dir is not None else None


def asset_paths(project_templates: Path | None) -> list[Path]:
    """Folders whose ``assets/`` are copied to the site, packaged first so a project's files win."""
    out = [packaged_templates() / "assets"]
    if project_templates is not None and (project_templates / "assets").is_dir():
        out.append(project_templates / "assets")
    return out
