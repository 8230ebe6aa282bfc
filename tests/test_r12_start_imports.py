"""A build that finds nothing changed loads no renderer; an edit's build, which does, makes the same site."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from robust import copy_tree, corpus_project, tree_digest

from despatch.config import load_config
from despatch.site.build import build
from despatch.site.pool import pmap
from despatch.site.shared import Shared

# Modules of the render, the index pages and the ebooks (not lxml: the
# gather stage's dates load it).
HEAVY = ["jinja2", "despatch.site.worker", "despatch.render.env", "despatch.site.indexpages",
         "despatch.site.volumeextras", "despatch.urls"]

SCRIPT = """
import json, sys
from despatch.config import load_config
from despatch.site.build import build
result = build(load_config(sys.argv[1], workers=1))
print(json.dumps([result.rendered, [m for m in json.loads(sys.argv[2]) if m in sys.modules]]))
"""


def _build_apart(root: Path) -> tuple[int, list[str]]:
    """A build in a fresh interpreter: documents rendered, and which of the heavy modules it loaded."""
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(root / "mkdocs.yml"), json.dumps(HEAVY)],
                         env=env, capture_output=True, text=True, check=True)
    rendered, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    return rendered, loaded


def test_an_unchanged_build_loads_no_renderer_and_an_edit_matches_a_full_build(tmp_path: Path) -> None:
    root = corpus_project(tmp_path / "edition", limit=4)
    build(load_config(root / "mkdocs.yml", workers=1))
    site = root / "build" / "site"
    before = tree_digest(site)
    assert _build_apart(root) == (0, [])
    assert tree_digest(site) == before
    src = next(p for p in sorted((root / "content").rglob("*.txt")) if " the " in p.read_text(encoding="utf-8"))
    src.write_text(src.read_text(encoding="utf-8").replace(" the ", " the other ", 1), encoding="utf-8")
    rendered, loaded = _build_apart(root)  # the edit loads what it renders with
    assert rendered >= 1 and "despatch.site.worker" in loaded and "jinja2" in loaded
    # The same sources built whole, in a copy without the last build's outputs, give the same site.
    fresh = copy_tree(root, tmp_path / "fresh")
    shutil.rmtree(fresh / "build")
    build(load_config(fresh / "mkdocs.yml", workers=1), incremental=False)
    assert tree_digest(fresh / "build" / "site") == tree_digest(site)


def test_a_map_over_nothing_yields_nothing_and_a_map_over_items_sets_the_workers_data(tmp_path: Path) -> None:
    from despatch.site import worker

    root = corpus_project(tmp_path / "edition", limit=1)
    shared = Shared(config=load_config(root / "mkdocs.yml", workers=1), volumes={})
    worker._shared = None
    assert list(pmap(len, [], shared, 1)) == []
    assert worker._shared is None  # nothing mapped: nothing set up
    assert list(pmap(len, ["ab", "c"], shared, 1)) == [2, 1]
    assert worker._shared is shared
