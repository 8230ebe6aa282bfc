"""A build that fails while a server watches: it says so once, and writes nothing the server watches."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest
from test_preview import _built, _said_soon, _serving, fetch

from despatch.cli import main
from despatch.config import load_config
from despatch.site.build import build
from despatch.site.result import BuildFailed
from despatch.watch import Watcher, watched

# What each server prints when a build after an edit fails.
FAILED = {"despatch": "Build failed; still serving the previous site.",
          "mkdocs": "An error happened during the rebuild."}


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return _built(tmp_path / "edition")


def _quiet(watcher: Watcher) -> set[str] | None:
    """The files changed in what is watched, once nothing more comes for a second (an empty set: none)."""
    if not watcher.wait(timeout=1.0, settle=0.3):
        return set()
    return watcher.take()


def test_a_build_writes_in_the_sources_folder_only_the_ledger_it_grows(edition: Path) -> None:
    config = load_config(edition / "mkdocs.yml", workers=1)
    victim = min((edition / "content").rglob("d*.txt"))
    kept = victim.read_bytes()
    watcher = Watcher(watched(config))
    try:
        victim.unlink()
        assert _quiet(watcher) == {str(victim)}
        with pytest.raises(BuildFailed):  # it would drop the document's published URLs
            build(load_config(edition / "mkdocs.yml", workers=1))
        # Not even a temporary file made and removed: a serving process would take it for an edit, build
        # again, fail again, and so on without end.
        assert _quiet(watcher) == set()
        assert main(["accept-urls", "-f", str(edition / "mkdocs.yml")]) == 0
        _quiet(watcher)
        build(load_config(edition / "mkdocs.yml", workers=1))
        assert _quiet(watcher) == set()  # nothing to add to the ledger
        victim.write_bytes(kept)
        _quiet(watcher)
        build(load_config(edition / "mkdocs.yml", workers=1))
        assert _quiet(watcher) == {str(edition / "content" / "urls.lock")}  # its URLs recorded again
    finally:
        watcher.stop()


@pytest.mark.parametrize("tool", ["despatch", "mkdocs"])
def test_a_server_says_once_that_a_build_failed(edition: Path, tool: str) -> None:
    said: list[str] = []
    if tool == "mkdocs":
        (edition / "content" / "index.md").write_text("# Test edition\n", encoding="utf-8")
    ready = "Watching for changes" if tool == "despatch" else "Serving on"
    victim = min((edition / "content").rglob("d*.txt"))
    kept = victim.read_bytes()
    with _serving(tool, edition, 90, said, ready=ready):
        victim.unlink()
        _said_soon(said, FAILED[tool])
        time.sleep(4)  # what a failed build wrote would have started another by now
        assert "".join(said).count(FAILED[tool]) == 1, "".join(said)
        victim.write_bytes(kept)
        _said_soon(said, "Previewed")  # put back: the server builds again, and succeeds
        assert "".join(said).count(FAILED[tool]) == 1, "".join(said)


def test_despatch_serve_outlives_a_slip_in_its_configuration(edition: Path) -> None:
    """A setting saved wrong says where, and the server serves on; saved right, it builds again."""
    said: list[str] = []
    config = edition / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    with _serving("despatch", edition, 90, said, ready="Watching for changes") as base:
        config.write_text(good.replace("  - despatch:\n", "  - despatch:\n      workers: many\n", 1), encoding="utf-8")
        _said_soon(said, FAILED["despatch"])
        # The terminal's width breaks the server's lines where it may.
        assert "mkdocs.yml:6:16:error:mkdocs.yml:plugins→despatch→workersisnot" in "".join("".join(said).split())
        config.write_text(good.replace("site_name:", "site_name: [", 1), encoding="utf-8")  # not YAML at all
        _said_soon(said, "is not valid YAML")
        builds = "".join(said).count("Built ")
        config.write_text(good.replace("site_name: ", "site_name: Renamed ", 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while "".join(said).count("Built ") == builds:  # another site name: every page again
            assert time.monotonic() < deadline, "".join(said)
            time.sleep(0.1)
        assert "Renamed" in fetch(base + "/")
    assert "Traceback" not in "".join(said)


def test_a_build_folder_on_another_file_system_still_grows_the_ledger(tmp_path: Path) -> None:
    """The ledger's next text is written in the build folder, then moved beside the sources: from another
    file system (the build in memory, say), by a copy there renamed over the ledger."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system here")
    root = _built(tmp_path / "edition")
    build_dir = Path(tempfile.mkdtemp(dir=shm, prefix="despatch-build-"))
    try:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("build_dir: build", f"build_dir: {build_dir}"),
                          encoding="utf-8")
        ledger = root / "content" / "urls.lock"
        ledger.write_text("\n".join(ledger.read_text(encoding="utf-8").splitlines()[:-3]) + "\n", encoding="utf-8")
        build(load_config(config, workers=1))  # the three URLs taken out are recorded again
        assert ledger.read_text(encoding="utf-8") == (build_dir / "urls.txt").read_text(encoding="utf-8")
        assert not list(root.rglob("*.tmp")) and not list(build_dir.rglob("*.tmp"))
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
