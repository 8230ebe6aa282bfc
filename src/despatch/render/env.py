"""The Jinja environment: the project's templates first, the packaged ones behind them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Output
from jinja2.runtime import markup_join
from markupsafe import escape

from .bytecode import BytecodeCache
from .packaged import packaged_templates
from .urls import relative

try:
    from markupsafe import _escape_inner
except ImportError:  # a MarkupSafe without it: its public escape, as plain text
    def _escape_inner(value: str) -> str:
        return str(escape(value))


@jinja2.pass_context
def _url(ctx: Any, target: str, page: str | None = None) -> str:
    # Relative URLs keep the site working under any path prefix and when opened from disk.
    if page is None:
        # ctx.get("page_path", "") without its two layers of calls: the filter runs 20 times a page.
        page = ctx.vars.get("page_path", _MISSING)
        if page is _MISSING:
            page = ctx.parent.get("page_path", "")
    if page[:1] == "/" and ":" not in target and target[:1] not in ("/", "#"):
        return page + target  # a page served at any address (404.html): links from the server's root
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


def _archive_keys(citations: Any) -> list[str]:
    """The archives a document cites, each once in order: its repository, then repository and collection."""
    keys: list[str] = []
    for cite in citations:
        if cite.repository:
            for key in (cite.repository, f"{cite.repository}, {cite.collection}" if cite.collection else ""):
                if key and key not in keys:
                    keys.append(key)
    return keys


def escape_printed(value: Any) -> str:
    """What a template prints for ``{{ value }}``: markupsafe.escape's text, as a plain string."""
    # A printed value is joined into the page, or into a macro's or block's buffer that Jinja marks
    # safe as a whole: the Markup that escape made of each (two calls in Python) was never needed.
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()
    return _escape_inner(str(value))


def _markup_join(parts: tuple[Any, ...]) -> str:
    """What ``a ~ b`` makes: Jinja's markup_join, which walks the parts in Python only when one is not text."""
    # A page's links are joined this way ((doc.volume ~ '/' ~ doc.id ~ '/') | url), one per listed row.
    for part in parts:
        if type(part) is not str:
            return markup_join(parts)
    return "".join(parts)


class _Joined:
    """What a compiled template's joined output calls: several parts joined, or the one part as it is."""

    extend = "".join

    @staticmethod
    def append(part: str) -> str:
        return part


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, except that an output of several parts (text, printed values) yields once."""

    def visit_Output(self, node: Output, frame: Frame) -> None:
        """``yield _joined.extend((a, b, c))`` where Jinja writes ``yield a``, ``yield b``, ``yield c``."""
        if frame.buffer is not None or len(node.nodes) < 2:
            super().visit_Output(node, frame)
            return
        # Each value a template yields climbs every generator of the page (include, block, extends):
        # a document page yielded about 270. Written as Jinja writes an output into a buffer (a macro's),
        # with a buffer whose name makes the line a yield of the parts joined, in the same order.
        frame.buffer = "yield _joined"
        try:
            super().visit_Output(node, frame)
        finally:
            frame.buffer = None


class _Template(jinja2.Template):
    """A compiled template that prints with ``escape_printed`` and joins with ``_markup_join``."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any,
                  uptodate: Any = None) -> Any:
        """The template as Jinja makes it, with two functions its module imported from Jinja replaced."""
        made = super().from_code(environment, code, globals, uptodate)
        # Jinja's compiled templates call `escape` for printed values only, `markup_join` for `~` only.
        made.root_render_func.__globals__.update(escape=escape_printed, markup_join=_markup_join, _joined=_Joined)
        return made


class _Environment(jinja2.Environment):
    """Jinja's environment with templates that print through ``escape_printed`` and keep their globals in a dict."""

    template_class = _Template
    code_generator_class = _CodeGenerator

    def make_globals(self, d: Any) -> Any:
        """The environment's globals overlaid by a template's own, copied into one dict."""
        # Jinja's ChainMap is copied key by key in Python for every page rendered (3.5 µs a page);
        # the environment's globals are never changed once templates are loaded (Jinja's own rule).
        return {**self.globals, **(d or {})}


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
    env = _Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A build renders 10^5 pages from templates that do not change while it runs: no stat per
        # extends and include to look for edits.
        auto_reload=False,
        # A plain dict for the compiled templates (they are a few dozen): Jinja's LRU cache takes a lock
        # and reorders its list on each of a page's three or four lookups (extends, include, import).
        cache_size=-1,
        # Named apart from Jinja's own cache files: this environment's compiled code calls ``_joined``.
        bytecode_cache=BytecodeCache(str(_made(cache_dir)), "joined-%s.cache") if cache_dir is not None else None,
    )
    env.filters["url"] = _url
    env.filters["date"] = _date
    env.filters["archive_keys"] = _archive_keys
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
