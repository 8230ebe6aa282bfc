"""An error raised by a template of the project's own, said at its place in that template.

Editors override templates file by file (``templates/``). A slip there (a tag left open, a name the
page is not given) is theirs to fix, and is said as an error in their file, not as an internal error
with a traceback. An error in a shipped template stays an internal error: that is despatch's to fix.
"""

from __future__ import annotations

import re
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

from ..errors import Diagnostic
from .packaged import packaged_templates

# A template's line in a traceback that crossed from a worker process as text.
_FRAME = re.compile(r'File "([^"]+\.html)", line (\d+)')


def template_diagnostic(exc: BaseException, project: Path | None = None) -> Diagnostic | None:
    """The error a template of the project's own raised, at its file and line (None for any other error)."""
    if "jinja2" not in sys.modules:  # nothing was rendered
        return None
    import jinja2

    error = next((e for e in _chain(exc) if isinstance(e, jinja2.TemplateError)), None)
    if error is None:
        return None
    where = _place(error, exc)
    if where is None or Path(where[0]).resolve().is_relative_to(packaged_templates().resolve()):
        return None
    path, line = where
    try:
        source_line: str | None = Path(path).read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        source_line = None
    if project is not None and Path(path).is_relative_to(project):
        path = str(Path(path).relative_to(project))
    syntax = isinstance(error, jinja2.TemplateSyntaxError)
    return Diagnostic(path, line, 1, f"the template {'cannot be read' if syntax else 'failed'}: {error.message or error}",
                      None, "a template Jinja can read" if syntax else "only the names a page is given (the shipped "
                      "template of the same name shows them)", source_line)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


def _place(error: BaseException, raised: BaseException) -> tuple[str, int] | None:
    """The template file and line: a syntax error's own, else the last template frame of the traceback,
    in this process or (from a worker) in the traceback's text."""
    filename, lineno = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename and lineno:
        return str(filename), int(lineno)
    for exc in _chain(raised):
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        if frames and frames[-1].lineno:
            return frames[-1].filename, frames[-1].lineno
        found = _FRAME.findall(str(exc)) if type(exc).__name__ in ("_RemoteTraceback", "RemoteTraceback") else []
        if found:
            return found[-1][0], int(found[-1][1])
    return None
