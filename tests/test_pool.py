"""The build's process pool: workers collect their own garbage whatever the build's state."""

from __future__ import annotations

import gc
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from despatch.config import load_config
from despatch.site.pool import pmap
from despatch.site.worker import Shared


def collecting(_: int) -> bool:
    return gc.isenabled()


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_workers_collect_though_the_build_does_not(method: str, tmp_path: Path) -> None:
    """The read stage turns collection off in the build's process; its forked workers must not keep
    that state, or every cycle their documents leave stays (20,000 documents: 285 MB a worker)."""
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    (tmp_path / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    shared = Shared(config=load_config(tmp_path / "mkdocs.yml"), volumes={})
    was = gc.isenabled()
    gc.disable()
    try:
        seen = list(pmap(collecting, list(range(8)), shared, 2, multiprocessing.get_context(method)))
    finally:
        if was:
            gc.enable()
    assert seen == [True] * 8


FROZEN_CHECK = """
import gc, multiprocessing, sys
from pathlib import Path
from despatch.config import load_config
from despatch.site.pool import pmap
from despatch.site.worker import Shared

def collecting(_):
    return gc.isenabled()

if __name__ == "__main__":
    folder = Path(sys.argv[1])
    (folder / "mkdocs.yml").write_text("site_name: Test\\n", encoding="utf-8")
    shared = Shared(config=load_config(folder / "mkdocs.yml"), volumes={})
    fork = multiprocessing.get_context("fork")
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        list(pmap(collecting, list(range(8)), shared, 2, fork))
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
    list(pmap(collecting, list(range(8)), shared, 2, fork))
    assert gc.get_freeze_count() == 0   # nothing frozen before: the pool's own freeze is undone
"""


def test_pool_keeps_what_the_build_froze(tmp_path: Path) -> None:
    """The build freezes its records after reading; a pool started later must not unfreeze them.

    In a process of its own: freezing is the interpreter's, and threads other tests leave running
    (servers, builds) may freeze and unfreeze meanwhile.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    script = tmp_path / "check.py"
    script.write_text(FROZEN_CHECK, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
