"""The runner's incremental builds: several edits, each of another document, reported by their median."""

from __future__ import annotations

import json
import re
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import report
from benchmarks.generate import generate
from benchmarks.run import EDIT, edit_one, wait_gone
from benchmarks.run import main as run_main


def test_each_edit_appends_the_sentence_to_another_document(tmp_path: Path) -> None:
    generate(tmp_path, 30, seed=3, per_volume=10, formats=("text",))
    content = tmp_path / "despatch" / "content"
    before = {p: p.read_text(encoding="utf-8") for p in content.rglob("d*.txt")}
    edited = [edit_one(content, n) for n in range(7)]
    assert len(set(edited)) == 7
    assert len({p.parent for p in edited}) == 3, "the edits go from volume to volume"
    for path in edited:
        after = path.read_text(encoding="utf-8")
        assert after.count(EDIT) == 1 and after.replace(EDIT, "") == before[path]
    assert all(p.read_text(encoding="utf-8") == text for p, text in before.items() if p not in edited)


def test_the_report_gives_medians_and_ranges() -> None:
    inc = {"size": 5000, "edited": ["a", "b", "c"], "unchanged_seconds": 0.15, "unchanged_runs": [0.16, 0.15, 0.14],
           "one_edit_seconds": 0.29, "edit_runs": [0.31, 0.29, 0.27]}
    assert report.incremental_line(inc) == ("unchanged rebuild 0.15 s (median of 3, 0.14–0.16), one edited "
                                            "document 0.29 s (median of 3 documents, 0.27–0.31)")
    # Results written before, with one edit, read as they were.
    old = {"size": 5000, "edited": "content/v/d1.txt", "unchanged_seconds": 0.2, "one_edit_seconds": 0.39}
    assert report.incremental_line(old) == "unchanged rebuild 0.20 s, one edited document 0.39 s (content/v/d1.txt)"


def test_the_runner_times_each_edit(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bench"
    assert run_main(["--sizes", "20", "--tools", "despatch", "--incremental-size", "20", "--edits", "3",
                     "--per-volume", "10", "--search-query", "", "--out", str(out), "--keep"]) == 0
    inc = json.loads((out / "results.json").read_text(encoding="utf-8"))["incremental"]
    assert len(inc["edit_runs"]) == 3 and len(set(inc["edited"])) == 3 and inc["returncode"] == 0
    assert len(inc["unchanged_runs"]) == 3 and sorted(inc["edit_runs"])[1] == inc["one_edit_seconds"]
    project = out / "work" / "default" / "n20" / "despatch"
    for name in inc["edited"]:
        assert EDIT in (project / name).read_text(encoding="utf-8")
        # Each edit reached its page: the builds timed were the edits' own.
        page = project / "build" / "site" / Path(name).parent.name / Path(name).stem / "index.html"
        assert EDIT.strip() in page.read_text(encoding="utf-8")
    assert re.search(r"one edited document \d\.\d\d s \(median of 3 documents", capsys.readouterr().out)


def test_the_edits_wait_for_the_last_site_to_be_deleted(tmp_path: Path) -> None:
    """A full build's replaced site is deleted by a detached process: the incremental builds are timed after it."""
    trash = tmp_path / "build" / ".cache" / "trash"
    (trash / "site").mkdir(parents=True)
    timer = threading.Timer(0.3, shutil.rmtree, (trash,))
    timer.start()
    start = time.monotonic()
    wait_gone(trash, timeout=30)
    assert not trash.exists() and time.monotonic() - start >= 0.25
    timer.join()
    trash.mkdir(parents=True)
    start = time.monotonic()
    wait_gone(trash, timeout=0.2)  # never deleted: the wait ends all the same
    assert trash.exists() and time.monotonic() - start < 5


def test_the_edits_are_timed_after_every_size_is_built(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Each incremental build deletes what it replaced: the larger edition's full builds come first."""
    out = tmp_path / "bench"
    assert run_main(["--sizes", "20,30", "--tools", "despatch", "--incremental-size", "20", "--edits", "1",
                     "--per-volume", "10", "--search-query", "", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    # Each row is printed as its build ends (and the whole table again at the end).
    larger = re.search(r"^ +30  despatch", said, re.MULTILINE)
    assert larger is not None and said.index("incremental at 20:") > larger.start(), said
    inc = json.loads((out / "results.json").read_text(encoding="utf-8"))["incremental"]
    assert inc["size"] == 20 and len(inc["edit_runs"]) == 1 and inc["returncode"] == 0
    assert not (out / "work" / "default").exists() or not any((out / "work" / "default").iterdir())
