"""Runs of random edits, each built incrementally, equal full builds of the same sources (tests/edit_machine.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from edit_machine import CommandMachine, Machine, ServingMachine
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from serve_machine import ServerMachine

from despatch.sources.frus_import import import_volume

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty generated documents in two volumes: archive files, dates, printed pages, cross-references."""
    out = tmp_path_factory.mktemp("edits")
    generate(out, 40, seed=5, per_volume=20)
    return out / "despatch"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example edition: real FRUS documents, chapters, persons and terms (its URL ledger, which
    names the search page, left out: the builds in this process have no search)."""
    out = tmp_path_factory.mktemp("example") / "despatch"
    shutil.copytree(ROOT / "content", out / "content", ignore=shutil.ignore_patterns("*.lock"))
    shutil.copy(ROOT / "mkdocs.yml", out)
    return out


@pytest.fixture(scope="module")
def imported(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated edition with an imported FRUS volume beside it: TEI sources, its table of
    contents, persons and terms, front and back matter."""
    out = tmp_path_factory.mktemp("imported") / "despatch"
    shutil.copytree(template, out)
    import_volume(Path(__file__).parent / "fixtures" / "tei" / "frus-test-volume.xml", out / "content")
    return out


def _run(template: Path, examples: int, steps: int, base: type[Machine] = Machine, hunt: bool = False,
         **kind: object) -> None:
    """Run the machine: the same runs every time, or (``hunt``) new ones, each failure printed with
    the blob that reproduces it."""
    machine = type("Edits", (base,), {"template": template, **kind})
    run_state_machine_as_test(machine, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=not hunt,
        database=None, suppress_health_check=list(HealthCheck), print_blob=True))


def test_edits_built_incrementally_equal_full_builds(template: Path) -> None:
    _run(template, examples=5, steps=12)


def test_edits_of_the_example_edition(example: Path) -> None:
    _run(example, examples=3, steps=12)


def test_edits_beside_an_imported_volume(imported: Path) -> None:
    _run(imported, examples=3, steps=12)


def test_edits_previewed_as_served(template: Path) -> None:
    """Previews as `despatch serve` makes them, then builds: the documents' pages at once, the rest at the build."""
    _run(template, examples=3, steps=12, base=ServingMachine)


def test_edits_built_by_the_command_line(template: Path) -> None:
    """Two short runs as a user builds (search on, builds stopped part way); the slow run below has more."""
    _run(template, examples=2, steps=8, base=CommandMachine)


@pytest.mark.parametrize("tool", ["despatch", "mkdocs"])
def test_edits_seen_by_a_running_server(template: Path, tool: str) -> None:
    """A short run with a real server watching (its previews told of each file by the kernel), and
    `despatch build` run beside it; the slow run below has more."""
    _run(template, examples=1, steps=6, base=ServerMachine, tool=tool)


@pytest.mark.slow
def test_many_runs_of_edits(template: Path, example: Path, imported: Path) -> None:
    """New runs each time (a search for faults, not a fixed list): twenty minutes or more on two cores."""
    _run(template, examples=100, steps=25, hunt=True)
    _run(example, examples=50, steps=25, hunt=True)
    _run(imported, examples=50, steps=25, hunt=True)
    _run(template, examples=50, steps=25, base=ServingMachine, hunt=True)


@pytest.mark.slow
def test_runs_of_edits_built_by_the_command_line(template: Path) -> None:
    """As a user builds: a process per build, its pool sized to the machine, search on (the search
    files left out of the comparison: an edit's build adds the edited pages to a bundle of changes),
    and builds stopped part way."""
    _run(template, examples=20, steps=15, base=CommandMachine, hunt=True)


@pytest.mark.slow
@pytest.mark.parametrize("tool", ["despatch", "mkdocs"])
def test_runs_of_edits_seen_by_a_running_server(imported: Path, tool: str) -> None:
    """As an editor works: a server running all along, `despatch build` now and then beside it."""
    _run(imported, examples=15, steps=15, base=ServerMachine, hunt=True, tool=tool)
