"""The benchmark edition at 500 documents: the build's output does not depend on the number of workers."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import measure  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.run import despatch_cmd  # noqa: E402


def tree_digest(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under a folder."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_generator_is_seeded(tmp_path: Path) -> None:
    """Same seed → same files; another seed → other files."""
    generate(tmp_path / "a", 40, seed=7, formats=("text", "mkdocs", "hugo"))
    generate(tmp_path / "b", 40, seed=7, formats=("text", "mkdocs", "hugo"))
    generate(tmp_path / "c", 40, seed=8)
    a, b = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    assert a == b and len(a) > 120
    c = tree_digest(tmp_path / "c" / "despatch")
    assert c.keys() == {k[len("despatch/"):] for k in a if k.startswith("despatch/")}
    assert c != {k[len("despatch/"):]: v for k, v in a.items() if k.startswith("despatch/")}


@pytest.mark.slow
def test_workers_give_identical_output(tmp_path: Path) -> None:
    """Build 500 synthetic documents with 1 and with 2 workers; every output file is the same."""
    generate(tmp_path, 500, seed=1)
    project = tmp_path / "despatch"
    trees = []
    for workers in (1, 2):
        run = measure.run(despatch_cmd() + ["build", "--workers", str(workers)], project, timeout=1800)
        assert run.returncode == 0, run.output[-3000:]
        print(f"{workers} worker(s): {run.seconds:.2f} s, peak {run.peak_pss_mb:.0f} MB")
        build = (project / "build").rename(project / f"build-{workers}")
        # The published output; caches the build keeps for itself may legitimately differ.
        trees.append({f"{part}/{k}": v for part in ("site", "tei")
                      for k, v in tree_digest(build / part).items()})
    one, two = trees
    assert len(one) > 1000
    assert sorted(one) == sorted(two), "the two builds made different files"
    differing = [path for path in one if one[path] != two[path]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
