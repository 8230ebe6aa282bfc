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
from benchmarks.run import despatch_cmd, set_aside  # noqa: E402


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


def test_set_aside_moves_and_keeps(tmp_path: Path) -> None:
    """Output set aside between measured builds is moved, not deleted, and never overwritten."""
    trash = tmp_path / "trash"
    for text in ("one", "two"):
        build = tmp_path / "p" / "build"
        build.mkdir(parents=True)
        (build / "f").write_text(text)
        set_aside(build, trash)
        assert not build.exists()
    set_aside(tmp_path / "p" / "missing", trash)
    assert sorted((d / "f").read_text() for d in trash.iterdir()) == ["one", "two"]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    """Digests of the output of 500 synthetic documents built with 1 and with 2 workers."""
    root = tmp_path_factory.mktemp("bench")
    generate(root, 500, seed=1)
    project = root / "despatch"
    trees = []
    for workers in (1, 2):
        # Each build starts from the same sources: no URL ledger left by the one before.
        (project / "content" / "urls.lock").unlink(missing_ok=True)
        run = measure.run(despatch_cmd() + ["build", "--workers", str(workers)], project, timeout=1800)
        assert run.returncode == 0, run.output[-3000:]
        print(f"{workers} worker(s): {run.seconds:.2f} s, peak {run.peak_pss_mb:.0f} MB")
        build = (project / "build").rename(project / f"build-{workers}")
        # The published output; caches the build keeps for itself may legitimately differ.
        trees.append({f"{part}/{k}": v for part in ("site", "tei")
                      for k, v in tree_digest(build / part).items()})
    return trees[0], trees[1]


def split(tree: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(everything but the search bundles, the search bundles)."""
    search = {k: v for k, v in tree.items() if "/pagefind/" in k}
    return {k: v for k, v in tree.items() if k not in search}, search


def assert_same(one: dict[str, str], two: dict[str, str]) -> None:
    """Same files with the same bytes, naming a few that differ."""
    assert sorted(one) == sorted(two), f"different files: {sorted(set(one) ^ set(two))[:10]}"
    differing = [path for path in one if one[path] != two[path]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


@pytest.mark.slow
def test_workers_give_identical_output(two_builds: tuple[dict[str, str], dict[str, str]]) -> None:
    """Pages, TEI, citations, indexes, ebooks: byte-identical with 1 and 2 workers."""
    one, two = (split(tree)[0] for tree in two_builds)
    assert len(one) > 1000
    assert_same(one, two)


@pytest.mark.slow
def test_search_bundles_identical(two_builds: tuple[dict[str, str], dict[str, str]]) -> None:
    """The Pagefind bundles too (their filters and metadata rewritten in one order: search/canon.py)."""
    one, two = (split(tree)[1] for tree in two_builds)
    assert one
    assert_same(one, two)


@pytest.mark.slow
def test_cpu_by_kind_names_every_kind_of_process(tmp_path: Path) -> None:
    import subprocess

    generate(tmp_path, 120, seed=3)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parent.parent / "src"),
                                                        os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve().parent.parent / "benchmarks" / "cpu_by_kind.py"),
                           str(tmp_path / "despatch"), "--workers", "2", "--timeline", "0.5"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    shown = done.stdout
    for name in ("build (main process)", "Pagefind", "search indexing processes", "workers started clean"):
        assert name in shown, shown
    assert (tmp_path / "despatch" / "build" / "site" / "pagefind" / "pagefind-entry.json").is_file()
    # The timeline: a row a half second, whose cores add up to the CPU counted above (up to the sampling).
    table = shown[shown.index("from s"):].splitlines()
    total = float(next(line for line in shown.splitlines() if line.endswith("in all (sampled)")).split()[0])
    assert len(table) > 2 and table[1].split()[0] == "0.00"
    assert abs(sum(float(row.split()[-1]) for row in table[1:]) * 0.5 - total) < 0.05 * total + 0.1
