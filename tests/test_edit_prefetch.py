"""The sources' signatures taken by a copy of the build's process: the same as the read stage's own stats."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from despatch.config import load_config
from despatch.errors import Report
from despatch.site import prefetch
from despatch.site import stages as stages_module
from despatch.site.build import build
from despatch.site.collect import collect
from robust import corpus_project

SRC = str(Path(prefetch.__file__).parents[2])
forks = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                           reason="the copy is forked on Linux with two cores or more")


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    root = corpus_project(tmp_path / "edition", limit=6)
    # Files and folders made a while ago: the listing keeps only folders that changed long enough ago.
    past = time.time() - 60
    for path in sorted((root / "content").rglob("*"), key=lambda p: -len(p.parts)):
        os.utime(path, (past, past))
    build(load_config(root / "mkdocs.yml", workers=1))
    return root


def _listing(root: Path) -> Path:
    return root / "build" / ".cache" / "listing.json"


def _sources(root: Path) -> list[Path]:
    """Every document source of the edition, as the build finds them."""
    volumes = collect(load_config(root / "mkdocs.yml"), Report())
    return [Path(text) for v in volumes for text in v.sources]


def _reads(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = stages_module.read_one

    def counting(task):  # noqa: ANN001, ANN202
        seen.append(Path(task.path).name)
        return real(task)

    monkeypatch.setattr(stages_module, "read_one", counting)
    build(load_config(root / "mkdocs.yml", workers=1))
    return seen


def _fresh(root: Path, code: str) -> Any:
    """Run ``code`` in a new interpreter (no thread of this test run's to refuse the fork), its last
    line's value printed as JSON."""
    script = "import json, sys\nfrom pathlib import Path\nfrom despatch.site import prefetch\n" \
             f"root = Path({str(root)!r})\nlisting = root / 'build' / '.cache' / 'listing.json'\n" + code
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _edit(root: Path) -> Path:
    src = next(p for p in _sources(root) if p.suffix == ".txt" and " the " in p.read_text(encoding="utf-8"))
    src.write_text(src.read_text(encoding="utf-8").replace(" the ", " THE ", 1), encoding="utf-8")
    return src


def test_what_the_copy_takes_is_what_stat_gives(edition: Path) -> None:
    gone = _sources(edition)[0]
    gone.rename(gone.with_name("moved.txt.bak"))
    taken = prefetch.take(_listing(edition))
    assert taken
    for prefix, (names, sigs) in taken.items():
        for name, sig in zip(names, sigs):
            path = Path(prefix) / name
            if path == gone:
                assert sig is None
            else:
                st = os.stat(path)
                assert sig == (st.st_mtime_ns, st.st_size, st.st_ino)
    assert str(gone.name) in taken[os.path.join(gone.parent, "")][0]


@forks
def test_the_copy_hands_its_signatures_over_once(edition: Path) -> None:
    started, got, again = _fresh(edition, "print(json.dumps([prefetch.start(listing), prefetch.taken(), "
                                          "prefetch.taken()]))")
    expected = {prefix: {name: list(sig) for name, sig in zip(names, sigs)}
                for prefix, (names, sigs) in prefetch.take(_listing(edition)).items()}
    assert started and got == expected and sum(map(len, got.values())) == len(_sources(edition))
    assert again == {}


READS = """
from despatch.config import load_config
from despatch.site import stages
from despatch.site.build import build
seen, real = [], stages.read_one
stages.read_one = lambda task: (seen.append(Path(task.path).name), real(task))[1]
started = prefetch.start(listing)
build(load_config(root / "mkdocs.yml"))
print(json.dumps([started, seen]))
"""


@forks
def test_an_edit_is_read_with_the_copy_s_signatures(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _fresh(edition, READS) == [True, []]
    src = _edit(edition)
    assert _fresh(edition, READS) == [True, [src.name]]
    page = edition / "build" / "site" / src.parent.name
    assert any("THE" in p.read_text(encoding="utf-8") for p in page.glob("*/index.html"))
    # A build without a copy stats for itself, and finds nothing changed since.
    assert _reads(edition, monkeypatch) == []


@forks
def test_a_damaged_listing_leaves_the_read_stage_its_own_stats(edition: Path) -> None:
    src = _edit(edition)
    _listing(edition).write_text("{not json", encoding="utf-8")
    assert _fresh(edition, READS) == [True, [src.name]]


def test_no_listing_no_copy(tmp_path: Path) -> None:
    assert not prefetch.start(tmp_path / "listing.json")
    assert prefetch.taken() == {}


@forks
def test_the_program_s_build_of_an_edit_shows_it(edition: Path) -> None:
    src = _edit(edition)
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-m", "despatch", "build", "--no-search"], cwd=edition, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "incremental" in done.stderr
    page = edition / "build" / "site" / src.parent.name
    assert any("THE" in p.read_text(encoding="utf-8") for p in page.glob("*/index.html"))


@forks
def test_the_copy_hashes_the_code_as_the_build_would(edition: Path) -> None:
    started, code, again, sigs = _fresh(edition, "print(json.dumps([prefetch.start(listing), prefetch.code(), "
                                                 "prefetch.code(), bool(prefetch.taken())]))")
    assert started and code == prefetch.code_files_hash()
    assert again is None  # handed over once
    assert sigs  # the signatures are still there to take
