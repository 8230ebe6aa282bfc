"""A build that fails, at any stage and for any reason, leaves the previous site and TEI as they were."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

import despatch.site.indexpages as indexpages
import despatch.site.volumeextras as volumeextras
import despatch.site.worker as worker
from despatch.config import load_config
from despatch.site.build import build
from despatch.site.result import BuildFailed
from robust import TELEGRAM, run, tree_digest, write_project

BODY = "Paragraph {i} of the telegram, with a reference.1"


def _telegram(i: int) -> str:
    return TELEGRAM.format(n=i, body=BODY.format(i=i)).replace(
        "Confidential.\n", "Confidential.\n  2. A note on paragraph {i}.\n".format(i=i))


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    """Six documents in two volumes, built once: the 'previous site'."""
    vols = {f"v{k}": {f"d{i}.txt": _telegram(i) for i in range(1, 4)} for k in (1, 2)}
    root = write_project(tmp_path / "p", vols)
    build(load_config(root / "mkdocs.yml", workers=1))
    # A second build, so that the next one can be incremental (the first one recorded the URL ledger).
    build(load_config(root / "mkdocs.yml", workers=1))
    return root


def _state(root: Path) -> dict[str, dict[str, str]]:
    build_dir = root / "build"
    return {"site": tree_digest(build_dir / "site"), "tei": tree_digest(build_dir / "tei")}


def _leftovers(root: Path) -> list[str]:
    """Staging folders (or anything else hidden) left in build/, apart from the build cache."""
    return sorted(p.name for p in (root / "build").iterdir() if p.name.startswith(".") and p.name != ".cache")


def _edit(root: Path) -> None:
    """Change a document so that a rebuild would write something new."""
    src = root / "content" / "v1" / "d2.txt"
    src.write_text(src.read_text(encoding="utf-8").replace("Paragraph 2", "Changed paragraph 2"), encoding="utf-8")


def test_the_previous_build_is_complete(edition: Path) -> None:
    state = _state(edition)
    assert "v1/d3/index.html" in state["site"] and "v2/d1.xml" in state["tei"]
    assert _leftovers(edition) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_source_error_leaves_everything_as_it_was(edition: Path, workers: int) -> None:
    before = _state(edition)
    _edit(edition)
    (edition / "content" / "v2" / "d9.txt").write_text("9. Telegram0\n\nText [Page ten].\n\n  1. Source: S.\n",
                                                      encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(load_config(edition / "mkdocs.yml", workers=workers))
    assert [d.path for d in failed.value.report.errors] == ["content/v2/d9.txt"]
    assert _state(edition) == before
    assert _leftovers(edition) == []


def test_a_failure_on_the_first_build_leaves_no_site(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"v": {"d1.txt": _telegram(1), "d2.txt": ""}})
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and "content/v/d2.txt:1:1: error: the file is empty" in err
    assert not (root / "build" / "site").exists() and not (root / "build" / "tei").exists()
    assert _leftovers(root) == []


class Boom(RuntimeError):
    """An unexpected failure planted in the middle of a stage."""


def _fail_on_call(n: int, exc: type[BaseException], real):
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise exc("planted failure")
        return real(*args, **kwargs)
    return wrapper


@pytest.mark.parametrize("exc", [Boom, KeyboardInterrupt])
def test_an_exception_in_the_middle_of_rendering(edition: Path, monkeypatch: pytest.MonkeyPatch,
                                                 exc: type[BaseException]) -> None:
    before = _state(edition)
    _edit(edition)
    # The fifth document's rendering fails after four pages have been written to the staging folder.
    monkeypatch.setattr(worker, "tei_to_html", _fail_on_call(5, exc, worker.tei_to_html))
    with pytest.raises(exc):
        build(load_config(edition / "mkdocs.yml", workers=1), incremental=False)
    assert _state(edition) == before
    assert _leftovers(edition) == []


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the planted failure reaches worker processes only when they are forked")
def test_an_exception_in_a_worker_process(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(edition)
    _edit(edition)
    monkeypatch.setattr(worker, "tei_to_html", _fail_on_call(3, Boom, worker.tei_to_html))
    with pytest.raises(Boom):
        build(load_config(edition / "mkdocs.yml", workers=2), incremental=False)
    assert _state(edition) == before
    assert _leftovers(edition) == []


def test_an_exception_while_writing_index_pages(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(edition)
    _edit(edition)
    real = indexpages.write_all

    def half_then_fail(edition_, staging, *args, **kwargs):
        real(edition_, staging, *args, **kwargs)
        raise Boom("after the index pages were staged")
    monkeypatch.setattr(indexpages, "write_all", half_then_fail)
    with pytest.raises(Boom):
        build(load_config(edition / "mkdocs.yml", workers=1))
    assert _state(edition) == before
    assert _leftovers(edition) == []


def test_an_internal_error_through_the_cli(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(edition)
    _edit(edition)
    monkeypatch.setattr(worker, "tei_to_html", _fail_on_call(1, Boom, worker.tei_to_html))
    code, err = run(["build", "-f", str(edition / "mkdocs.yml"), "-j", "1"])
    assert code == 2
    assert "internal error" in err and "report" in err.lower()
    assert _state(edition) == before
    assert _leftovers(edition) == []


def test_an_incremental_build_that_fails_leaves_the_site(edition: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(edition)
    _edit(edition)
    monkeypatch.setattr(worker, "tei_to_html", _fail_on_call(1, Boom, worker.tei_to_html))
    with pytest.raises(Boom):
        build(load_config(edition / "mkdocs.yml", workers=1), incremental=True)
    assert _state(edition) == before
    assert _leftovers(edition) == []


def test_an_incremental_build_failing_in_its_extras_leaves_the_site(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ebooks and search shards of the touched volumes are staged too, not rewritten in the live site."""
    vols = {"v1": {f"d{i}.txt": _telegram(i) for i in range(1, 4)}}
    root = write_project(tmp_path / "p", vols, ebooks=True)
    build(load_config(root / "mkdocs.yml", workers=1))
    build(load_config(root / "mkdocs.yml", workers=1))
    before = _state(root)
    _edit(root)
    with monkeypatch.context() as m:
        m.setattr(volumeextras, "volume_extras", _fail_on_call(1, Boom, volumeextras.volume_extras))
        with pytest.raises(Boom):
            build(load_config(root / "mkdocs.yml", workers=1), incremental=True)
    assert _state(root) == before
    assert _leftovers(root) == []
    # The failed build was an incremental one: the same build without the planted failure is.
    assert build(load_config(root / "mkdocs.yml", workers=1), incremental=True).incremental


def test_a_good_rebuild_after_a_failure_succeeds_and_changes_the_site(edition: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(edition)
    _edit(edition)
    with monkeypatch.context() as m:
        m.setattr(worker, "tei_to_html", _fail_on_call(1, Boom, worker.tei_to_html))
        with pytest.raises(Boom):
            build(load_config(edition / "mkdocs.yml", workers=1))
    build(load_config(edition / "mkdocs.yml", workers=1))
    after = _state(edition)
    assert after["site"]["v1/d2/index.html"] != before["site"]["v1/d2/index.html"]
    assert "Changed paragraph 2" in (edition / "build" / "site" / "v1" / "d2" / "index.html").read_text("utf-8")
    assert _leftovers(edition) == []


def test_the_published_folders_are_readable_like_any_new_folder(edition: Path, tmp_path: Path) -> None:
    """The staging folder becomes the site: it must not keep a temporary folder's private mode."""
    plain = tmp_path / "plain"
    plain.mkdir()
    for folder in ("site", "tei"):
        assert (edition / "build" / folder).stat().st_mode == plain.stat().st_mode, folder
