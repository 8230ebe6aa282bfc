"""The folders a build replaces or writes, checked against those it reads: a build never writes over
its own sources, nor among them.

The site and the TEI folder are built aside and swapped in whole: pointed at the sources' folder,
``site_dir`` would replace every source with the site. Written inside the sources' or templates'
folder, the build would read its own output, and a server watching them would build without end.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostic, SourceError, diagnostic
from .settings import place_of
from .yamlio import read_text

if TYPE_CHECKING:
    from .config import Config

OWN = "a folder of its own, outside the sources, the pages and the templates (build/site, the default)"


def _outputs(config: Config) -> list[tuple[str, Path, list[str]]]:
    """What the build writes: a name, the folder, the settings that chose it (the first given is blamed)."""
    return [("the site", config.site_dir, ["site_dir", "build_dir"]),
            ("the TEI files", config.tei_dir, ["build_dir"]),
            ("the build's cache", config.build_dir / ".cache", ["build_dir"])]


def _inputs(config: Config) -> list[tuple[str, Path, list[str]]]:
    """What the build reads: a name, the folder, the settings that chose it."""
    return [("the sources (content_dir)", config.content_dir, ["content_dir", "docs_dir"]),
            ("the Markdown pages (docs_dir)", config.pages, ["docs_dir"]),
            ("the project's templates (templates_dir)", config.templates_dir, ["templates_dir"]),
            ("the project's folder, with mkdocs.yml", config.project_dir, [])]


def check_places(config: Config) -> None:
    """Raise a SourceError, at the setting that chose the folder, where an output would hold an input
    or lie inside one (the project's folder excepted: the build folder is in it)."""
    for what, out, chose in _outputs(config):
        out = out.resolve()
        for name, folder, named in _inputs(config):
            folder = folder.resolve()
            if out == folder or out in folder.parents:
                problem = f"{what} would be written to {out}, which holds {name}: the build replaces that folder whole"
            elif folder in out.parents and folder != config.project_dir.resolve():
                problem = (f"{what} would be written inside {name}: the build would read its own output, and a"
                           " server watching the sources would build again without end")
            else:
                continue
            _refuse(config, problem, [*chose, *named], out)


def missing_templates(config: Config) -> list[Diagnostic]:
    """A warning where ``templates_dir`` names no folder: the shipped templates alone are used, and a
    misspelt name would otherwise leave the editor's own templates out in silence."""
    given = config.origins.get("templates_dir")
    if given is None or config.config_path is None or config.templates_dir.is_dir():
        return []
    text = read_text(config.config_path)
    line, col = place_of(text, given)
    return [diagnostic(str(config.config_path), line, col,
                       f"{config.config_path.name}: templates_dir names no folder; the shipped templates are used",
                       found=str(config.templates_dir), expected="a folder of the project's own templates",
                       text=text, severity="warning")]


def _refuse(config: Config, problem: str, settings: list[str], out: Path) -> None:
    """Raise the error at the first of ``settings`` the configuration gave (else at its first line)."""
    path = config.config_path
    given = next((config.origins[s] for s in settings if s in config.origins), None)
    if path is None:
        raise SourceError.at("mkdocs.yml", 1, 1, problem, found=str(out), expected=OWN)
    text = read_text(path)
    line, col = place_of(text, given) if given is not None else (1, 1)
    raise SourceError.at(str(path), line, col, f"{path.name}: {problem}", found=str(out), expected=OWN, text=text)
