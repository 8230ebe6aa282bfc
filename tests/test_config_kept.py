"""A build keeps what mkdocs.yml was read as, and reads the file again as soon as it changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from despatch.config import KEPT, load_config

YML = """site_name: Kept
plugins:
  - despatch:
      version: "1.0"
      release_date: {date}
      {extra}
"""


def _project(tmp_path: Path, date: str = '"2026-01-02"', extra: str = "", age: float = 60) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "mkdocs.yml"
    path.write_text(YML.format(date=date, extra=extra), encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def test_kept_then_taken_from_the_build_folder(tmp_path: Path) -> None:
    path = _project(tmp_path)
    first = load_config(path, remember=True)
    kept = tmp_path / KEPT
    saved = json.loads(kept.read_text(encoding="utf-8"))
    assert saved["data"]["site_name"] == "Kept"
    # What is kept is what a build reads while the file stands (here: changed behind its back).
    saved["data"]["site_name"] = "From the cache"
    kept.write_text(json.dumps(saved), encoding="utf-8")
    assert load_config(path, remember=True).site_name == "From the cache"
    assert load_config(path).site_name == "Kept"  # not asked to remember: the file itself
    assert first.version == "1.0" and first.release_date == "2026-01-02"


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = _project(tmp_path)
    load_config(path, remember=True)
    path.write_text(path.read_text(encoding="utf-8").replace("Kept", "Edited"), encoding="utf-8")
    assert load_config(path, remember=True).site_name == "Edited"


def test_not_kept_when_just_changed_or_elsewhere_or_not_plain(tmp_path: Path) -> None:
    path = _project(tmp_path / "racy", age=0)  # may change again within its clock's tick
    load_config(path, remember=True)
    assert not (path.parent / KEPT).exists()
    path = _project(tmp_path / "elsewhere", extra="build_dir: out")
    config = load_config(path, remember=True)
    assert not (path.parent / KEPT).exists() and config.build_dir == path.parent / "out"
    path = _project(tmp_path / "dated", date="2026-01-02")  # YAML's date: JSON would give back a string
    assert load_config(path, remember=True).release_date == "2026-01-02"
    assert not (path.parent / KEPT).exists()


EDIT = """
import sys
from despatch.cli import main
code = main(["build", "-f", sys.argv[1]])
print(sorted(m for m in ("yaml", "multiprocessing", "despatch.ebook") if m in sys.modules))
sys.exit(code)
"""


def test_an_edit_build_imports_no_yaml_pool_or_ebook(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    from benchmarks.generate import generate

    generate(tmp_path / "gen", 12, seed=3, per_volume=6)
    project = tmp_path / "gen" / "despatch"
    past = time.time() - 60
    for path in [project / "mkdocs.yml", *project.rglob("*.yml")]:
        os.utime(path, (past, past))
    for folder in [project / "content", *(p for p in (project / "content").iterdir() if p.is_dir())]:
        os.utime(folder, (past, past))
    run = lambda: subprocess.run([sys.executable, "-c", EDIT, str(project / "mkdocs.yml")], check=True,
                                 capture_output=True, text=True, cwd=project).stdout.strip()
    assert "'yaml'" in run()  # the first build parses every YAML file (and starts a pool, makes ebooks)
    doc = next((project / "content").glob("*/d2.txt"))
    doc.write_text(doc.read_text(encoding="utf-8").replace(" the ", " the edited ", 1), encoding="utf-8")
    # An edit: its configuration and lists kept, no pool, its ebook made by a copy of the build (or here,
    # in order, where it cannot fork: then the ebook modules are loaded, but never YAML or a pool).
    left = run()
    assert "yaml" not in left and "multiprocessing" not in left
    if sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1:
        assert left == "[]"
