"""A serving process's previews that read only the edited volumes give the site a full reading gives."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from robust import tree_digest

from despatch.config import load_config
from despatch.model import DocRecord
from despatch.site import held, manifest, snapshot
from despatch.site.build import build
from despatch.site.preview import preview
from despatch.site.result import BuildFailed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate

V1, V2 = "frus1958-60v1", "frus1961-63v1"
Edit = Callable[[Path], list[Path]]


def _built(root: Path) -> Path:
    generate(root, 24, seed=7, per_volume=12)
    project = root / "despatch"
    build(load_config(project / "mkdocs.yml", workers=1, search=False))
    return project


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """The same generated edition twice, built once each: one served, one previewed afresh every time."""
    yield _built(tmp_path / "served"), _built(tmp_path / "fresh")
    held.forget()
    manifest._KEPT.clear()


def _replace(path: Path, old: str, new: str) -> list[Path]:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [path]


def body(vol: str, doc: str, word: str) -> Edit:
    # After the title: only the document's own page changes.
    return lambda root: _replace(root / "content" / vol / f"{doc}.txt", ". The ", f". The {word} ")


def title(vol: str, doc: str) -> Edit:
    # Its neighbours' pages show the title: three pages change.
    return lambda root: _replace(root / "content" / vol / f"{doc}.txt", " From ", " Retitled From ")


def broken(vol: str, doc: str) -> Edit:
    # A word after the title's note mark: the mark is no longer the title's last word (an error).
    return lambda root: _replace(root / "content" / vol / f"{doc}.txt", "\n", " broken\n")


def mended(vol: str, doc: str) -> Edit:
    return lambda root: _replace(root / "content" / vol / f"{doc}.txt", " broken\n", "\n")


def renamed_over(vol: str, doc: str, word: str) -> Edit:
    """Saved as many editors save: a temporary file written, then renamed over the source."""
    def edit(root: Path) -> list[Path]:
        src = root / "content" / vol / f"{doc}.txt"
        tmp = src.with_name(f".{doc}.txt.tmp")
        tmp.write_text(src.read_text(encoding="utf-8").replace(". The ", f". The {word} ", 1), encoding="utf-8")
        os.replace(tmp, src)
        return [tmp, src]
    return edit


def with_swap_file(edit: Edit) -> Edit:
    """An edit beside which the editor wrote its swap file, which the build does not read."""
    def both(root: Path) -> list[Path]:
        swap = root / "content" / V1 / ".d2.txt.swp"
        swap.write_bytes(b"\0swap")
        return [swap, *edit(root)]
    return both


def volume_file(vol: str) -> Edit:
    return lambda root: _replace(root / "content" / vol / "volume.yml", "\n", "\n# edited\n")


def _preview(root: Path, touched: list[Path] | None) -> int:
    return preview(load_config(root / "mkdocs.yml", workers=1, search=False),
                   touched=None if touched is None else {str(p) for p in touched}).rendered


def both(*edits: Edit) -> Edit:
    return lambda root: [path for edit in edits for path in edit(root)]


# Each step: the edit, and whether the served preview reads only the edited volumes.
STEPS: list[tuple[Edit, bool]] = [
    (body(V1, "d3", "first"), False),          # nothing held yet: the whole edition is read, then held
    (body(V1, "d5", "second"), True),
    (title(V2, "d7"), True),
    (with_swap_file(body(V2, "d10", "third")), True),
    (renamed_over(V1, "d7", "fourth"), True),
    (both(volume_file(V2), body(V2, "d3", "fifth")), False),  # a volume's own file: a build
    (body(V1, "d10", "sixth"), False),         # a build held nothing: read whole again, then held
    (both(body(V1, "d9", "seventh"), body(V2, "d4", "seventh")), True),
]


def test_served_previews_give_the_site_of_previews_made_afresh(pair: tuple[Path, Path],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    served, fresh = pair
    answers: list[object] = []  # what each reading of only the edited volumes gave
    update = held.update
    monkeypatch.setattr(held, "update", lambda *a, **k: answers.append(update(*a, **k)) or answers[-1])
    seen: list[tuple[int, dict[str, str], dict[str, str]]] = []
    snapshot.retain_snapshots(True)
    try:
        for step, (edit, only_edited) in enumerate(STEPS):
            answers.clear()
            rendered = _preview(served, edit(served))
            assert (len(answers) == 1 and answers[0] is not None) is only_edited, step
            seen.append((rendered, tree_digest(served / "build" / "site"), tree_digest(served / "build" / "tei")))
    finally:
        snapshot.retain_snapshots(False)
    held.forget()
    manifest._KEPT.clear()
    for (edit, _), (rendered, site, tei) in zip(STEPS, seen):
        edit(fresh)
        assert _preview(fresh, None) == rendered > 0
        assert tree_digest(fresh / "build" / "site") == site
        assert tree_digest(fresh / "build" / "tei") == tei


def test_a_failed_preview_holds_nothing_and_the_mended_source_previews(pair: tuple[Path, Path]) -> None:
    served, fresh = pair
    snapshot.retain_snapshots(True)
    try:
        _preview(served, body(V1, "d3", "first")(served))
        with pytest.raises(BuildFailed):
            _preview(served, broken(V1, "d4")(served))
        assert held.take("", None) is None and not held._HELD
        assert _preview(served, mended(V1, "d4")(served)) == 0  # its page never changed
        assert _preview(served, body(V2, "d5", "after")(served)) == 1
    finally:
        snapshot.retain_snapshots(False)
    for edit in (body(V1, "d3", "first"), body(V2, "d5", "after")):
        edit(fresh)
    _preview(fresh, None)
    for part in ("site", "tei"):
        assert tree_digest(served / "build" / part) == tree_digest(fresh / "build" / part), part


def _rec(ident: str, anchors: list[str], pages: list[str]) -> DocRecord:
    return DocRecord(volume="v", id=ident, n=ident[1:], title="t", anchors=anchors, pages=pages)


@pytest.mark.parametrize(("new", "keeps"), [
    ([_rec("d1", ["d1fn1", "d1fn2"], ["5"]), _rec("d2", [], ["6"])], True),             # the same
    ([_rec("d1", ["d1fn1", "d1fn2", "d1fn3"], ["5"]), _rec("d2", [], ["6", "7"])], True),  # more
    ([_rec("d1", ["d1fn1"], ["5"]), _rec("d2", [], ["6"])], False),                       # a note gone
    ([_rec("d1", ["d1fn1", "d1fn2"], []), _rec("d2", [], ["6", "5"])], True),             # a page moved
    ([_rec("d1", ["d1fn1", "d1fn2"], ["5"]), _rec("d2", [], [])], False),                  # a page gone
    ([_rec("d1", ["d1fn1", "d1fn2"], ["5", "6"])], False),                                # a document gone
])
def test_a_volume_keeps_its_targets_while_nothing_another_may_link_to_is_gone(new: list[DocRecord],
                                                                              keeps: bool) -> None:
    old = [_rec("d1", ["d1fn1", "d1fn2"], ["5"]), _rec("d2", [], ["6"])]
    assert held._keeps_targets(old, new) is keeps
