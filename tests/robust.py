"""Small editions written into temporary folders, for the tests of broken and hostile input."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from rich.console import Console

import despatch.cli as cli
from despatch import terminal

TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"

MKDOCS = """\
site_name: Test edition
site_url: https://example.org/
docs_dir: content
plugins:
  - despatch:
      build_dir: build
      canonical_base: https://history.state.gov/historicaldocuments/
      strict_links: false
      search: {search}
      ebooks: {ebooks}
"""

# A minimal well-formed telegram: title with the source note, one paragraph, one note.
TELEGRAM = """\
{n}. Telegram From the Embassy in France to the Department of State0

{body}

  1. Source: Department of State, Central Files, 711.11/7–858. Confidential.
"""

TEI_DOC = """\
<div xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0" \
type="document" xml:id="d{n}" n="{n}" subtype="historical-document">
<head>{n}. Telegram From the Embassy in France to the Department of State<note n="0" \
xml:id="d{n}fn0" type="source">Source: Department of State, Central Files.</note></head>
{body}
</div>
"""

Sources = Mapping[str, Mapping[str, "str | bytes"]]


def volume_yml(vol: str) -> str:
    """A valid volume.yml for a test volume."""
    return f"id: {vol}\ntitle: Test volume {vol}\nseries: Foreign Relations of the United States\n"


def write_project(root: Path, volumes: Sources, *, search: bool = False, ebooks: bool = False,
                  with_volume_yml: bool = True) -> Path:
    """An edition at ``root``: mkdocs.yml plus content/<vol>/<file> for each given source."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS.format(search=str(search).lower(), ebooks=str(ebooks).lower()),
                                     encoding="utf-8")
    for vol, files in volumes.items():
        folder = root / "content" / vol
        folder.mkdir(parents=True, exist_ok=True)
        if with_volume_yml and "volume.yml" not in files:
            (folder / "volume.yml").write_text(volume_yml(vol), encoding="utf-8")
        for name, data in files.items():
            if isinstance(data, str):
                data = data.encode("utf-8")
            (folder / name).write_bytes(data)
    return root


def corpus_project(root: Path, *, text: bool = True, tei: bool = True, search: bool = False,
                   ebooks: bool = False, limit: int | None = None) -> Path:
    """The test corpus as an edition: text copies in their volumes, the TEI divs in '<vol>-tei' volumes
    (the first ``limit`` documents of each kind when given)."""
    volumes: dict[str, dict[str, str | bytes]] = {}
    kinds = [("text", ".txt", "")] * text + [("tei", ".xml", "-tei")] * tei
    for kind, suffix, tag in kinds:
        for path in sorted((CORPUS / kind).glob(f"*{suffix}"))[:limit]:
            vol, _, doc = path.stem.rpartition("_")
            volumes.setdefault(vol + tag, {})[doc + suffix] = path.read_bytes()
    return write_project(root, volumes, search=search, ebooks=ebooks)


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the hash of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def copy_tree(src: Path, dest: Path) -> Path:
    """A copy of a project folder (to build the same sources twice from scratch)."""
    shutil.copytree(src, dest)
    return dest


@contextmanager
def captured_stderr() -> Iterator[io.StringIO]:
    """Capture what the CLI prints, wide enough that no message is wrapped."""
    buf = io.StringIO()
    saved = terminal.err
    terminal.err = Console(file=buf, highlight=False, width=400, color_system=None)
    try:
        yield buf
    finally:
        terminal.err = saved


def run(argv: Sequence[str]) -> tuple[int, str]:
    """Run ``despatch.cli.main`` and return its exit code and what it printed on stderr."""
    with captured_stderr() as buf:
        code = cli.main(list(argv))
    return code, buf.getvalue()


POSITION = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<msg>.*)$",
                      re.M)


def positions(output: str) -> list[tuple[str, int, int, str]]:
    """Every ``path:line:col: error: message`` head line in the CLI's output."""
    return [(m["path"], int(m["line"]), int(m["col"]), m["msg"]) for m in POSITION.finditer(output)
            if m["severity"] == "error"]


def built_project(root: Path, limit: int = 4) -> Path:
    """The first ``limit`` copied texts of the test corpus as an edition, built once by the command line."""
    root = corpus_project(root, tei=False, limit=limit)
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0, err
    return root

