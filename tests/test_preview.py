"""`despatch serve`'s preview rebuilds: the edited page at once, everything else at the next build."""

from __future__ import annotations

import gc
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from robust import corpus_project, tree_digest

from despatch.config import load_config
from despatch.errors import Report
from despatch.site import manifest, snapshot
from despatch.site.build import build
from despatch.site.collect import collect, listings_file
from despatch.site.held import forget as held_forget
from despatch.site.prepare import bases, shared_for
from despatch.site.preview import preview
from despatch.site.result import BuildFailed
from despatch.site.stages import read_edition, render_keys

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.serve_latency import command, fetch, free_port  # noqa: E402


def _built(root: Path) -> Path:
    root = corpus_project(root, tei=False, ebooks=True, limit=8)
    build(load_config(root / "mkdocs.yml", workers=1))
    build(load_config(root / "mkdocs.yml", workers=1))  # the ledger the first build recorded is settled
    return root


@pytest.fixture
def edition(tmp_path: Path) -> Path:
    return _built(tmp_path / "edition")


def _body_source(root: Path, word: str = " the ") -> Path:
    """The first text source with ``word`` in its body (not its title, which its neighbours' pages show)."""
    return next(p for p in sorted((root / "content").rglob("*.txt"))
                if word in p.read_text(encoding="utf-8").split("\n", 1)[1])


def _edit(root: Path, old: str = " the ", new: str = " the previewed ") -> Path:
    """Change a word in the body of a document."""
    src = _body_source(root, old)
    title, body = src.read_text(encoding="utf-8").split("\n", 1)
    src.write_text(title + "\n" + body.replace(old, new, 1), encoding="utf-8")
    return src


def test_a_preview_renders_only_the_edited_page_and_the_next_build_catches_up(edition: Path, tmp_path: Path) -> None:
    site = edition / "build" / "site"
    before = tree_digest(site)
    src = _edit(edition)
    result = preview(load_config(edition / "mkdocs.yml", workers=1))
    assert result.stats.get("preview") and result.rendered == 1
    page = f"{src.parent.name}/{src.stem}/index.html"
    after = tree_digest(site)
    assert "previewed" in (site / page).read_text(encoding="utf-8")
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert changed == sorted([page, f"{src.parent.name}/{src.stem}.xml"])
    # A second preview with nothing new renders nothing.
    assert preview(load_config(edition / "mkdocs.yml", workers=1)).rendered == 0
    # The next build brings index pages, ebook and search up to date: the site equals a full build's.
    build(load_config(edition / "mkdocs.yml", workers=1))
    full = tmp_path / "full"
    shutil.copytree(edition, full, ignore=shutil.ignore_patterns("build"))
    build(load_config(full / "mkdocs.yml", workers=1), incremental=False)
    assert tree_digest(full / "build" / "site") == tree_digest(site)


def test_a_removed_document_is_checked_by_a_full_build(edition: Path) -> None:
    victim = sorted((edition / "content").rglob("*.txt"))[0]
    victim.unlink()
    with pytest.raises(BuildFailed) as failed:
        preview(load_config(edition / "mkdocs.yml", workers=1))
    assert any("would drop the published URL" in d.message for d in failed.value.report.errors)


@contextmanager
def _serving(tool: str, edition: Path, timeout: float, said: list[str] | None = None,
             ready: str | None = None) -> Iterator[str]:
    """Start ``despatch serve`` or ``mkdocs serve`` on a free port; yields its base URL once it answers
    (and, with ``ready``, once it printed that). ``said``: given each line the server prints, as it prints it."""
    port = free_port()
    # Stopped below as a user stops it, by Ctrl-C's signal, which a test run in the background ignores
    # (and so would the server): handled here while it starts, it is the default action there.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(command(tool, edition, port), cwd=edition,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    finally:
        signal.signal(signal.SIGINT, previous)
    lines: list[str] = said if said is not None else []
    reader = threading.Thread(target=lambda: lines.extend(
        line.decode("utf-8", "replace") for line in iter(proc.stdout.readline, b"")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fetch(base + "/")
                if ready is None or ready in "".join(lines):
                    break
            except OSError:
                pass
            assert proc.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, f"{tool} serve did not start: " + "".join(lines)
            time.sleep(0.2)
        yield base
    finally:
        # Ctrl-C, not SIGTERM: `mkdocs serve` then removes the temporary folder it serves from.
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        reader.join(timeout=20)


def _edit_shows(edition: Path, base: str, timeout: float) -> None:
    """Edit a document's body and wait until its served page shows the edit."""
    src = _body_source(edition)
    url = f"{base}/{src.parent.name}/{src.stem}/"
    assert "served edit" not in fetch(url)
    _edit(edition, new=" the served edit ")
    deadline = time.monotonic() + timeout
    while "served edit" not in fetch(url):
        assert time.monotonic() < deadline, "the edit never reached the served page"
        time.sleep(0.1)


def test_despatch_serve_shows_an_edit(edition: Path) -> None:
    said: list[str] = []
    # Edited once the edition is held: an edit made while the server reads it is the hold's to show.
    with _serving("despatch", edition, 60, said, ready="Watching for changes") as base:
        _edit_shows(edition, base, 60)
        _said_soon(said, "reading 1 volume(s) again")  # the edition was held: one volume read


def _said_soon(said: list[str], words: str, timeout: float = 60) -> None:
    """Wait for the server to print ``words`` (a preview says what it read just after its page is in place)."""
    deadline = time.monotonic() + timeout
    while words not in " ".join("".join(said).split()):
        assert time.monotonic() < deadline, "".join(said)
        time.sleep(0.1)


def _pages_apart(root: Path) -> Path:
    """The edition with MkDocs' Markdown pages in pages/ and the sources in content/ (``content_dir``)."""
    yml = root / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8").replace("docs_dir: content", "docs_dir: pages")
    yml.write_text(text.replace("      build_dir: build\n", "      build_dir: build\n      content_dir: content\n"),
                   encoding="utf-8")
    (root / "pages").mkdir()
    return root / "pages"


@pytest.mark.parametrize("apart", [False, True], ids=["pages-in-content", "pages-apart"])
def test_mkdocs_serve_shows_an_edit(edition: Path, apart: bool) -> None:
    pages = _pages_apart(edition) if apart else edition / "content"
    (pages / "index.md").write_text("# Test edition\n", encoding="utf-8")
    said: list[str] = []
    with _serving("mkdocs", edition, 90, said) as base:
        # MkDocs' own home page, despatch's pages and stylesheet, side by side in one served site.
        assert "Test edition" in fetch(base + "/")
        assert fetch(base + "/assets/despatch.css")
        _edit_shows(edition, base, 90)
        # The plugin learned from MkDocs' own observer which source changed, and read its volume only.
        _said_soon(said, "reading 1 volume(s) again")


def test_mkdocs_builds_beside_the_held_edition_without_collecting_it(edition: Path, tmp_path: Path) -> None:
    from watchdog.events import FileModifiedEvent

    from despatch.mkdocs_plugin import DespatchPlugin
    from despatch.watch import Changes

    plugin = DespatchPlugin()
    plugin.on_startup(command="serve", dirty=False)
    plugin.dconfig = load_config(edition / "mkdocs.yml", workers=1)
    mk = type("MkDocsConfig", (), {"site_dir": str(tmp_path / "mkdocs-site")})()
    (tmp_path / "mkdocs-site").mkdir()
    plugin.on_post_build(config=mk)  # the first build: the edition is read and held
    plugin.watching, plugin.changes = True, Changes()
    frozen = gc.get_freeze_count()
    try:
        plugin.on_pre_build(config=mk)
        assert gc.get_freeze_count() > frozen  # MkDocs' own build: its collections leave the held objects out
        src = _edit(edition, new=" the frozen ")
        plugin.changes.handler.dispatch(FileModifiedEvent(str(src)))  # as MkDocs' observer tells it
        plugin.on_post_build(config=mk)
        assert gc.get_freeze_count() == 0  # thawed once the preview is done: what died is collected again
        assert "frozen" in (tmp_path / "mkdocs-site" / src.parent.name / src.stem / "index.html").read_text(
            encoding="utf-8")
        plugin.on_pre_build(config=mk)
        plugin.on_build_error(error=RuntimeError("a page failed"))
        assert gc.get_freeze_count() == 0
    finally:
        snapshot.retain_snapshots(False)
        held_forget()


def _retitle(root: Path, n: int) -> Path:
    """Add a word to the title of the ``n``-th text source (its neighbours' pages show the title)."""
    src = sorted((root / "content").rglob("*.txt"))[n]
    title, body = src.read_text(encoding="utf-8").split("\n", 1)
    src.write_text(title.replace(" ", " Retitled ", 1) + "\n" + body, encoding="utf-8")
    return src


def test_previews_in_a_serving_process_match_previews_made_afresh(edition: Path, tmp_path: Path) -> None:
    # A serving process keeps the snapshot and the manifest between previews; each step's site must be
    # the one a process that read everything from the files makes.
    fresh = _built(tmp_path / "fresh")
    steps = [lambda root: _edit(root), lambda root: _retitle(root, 3),
             lambda root: _edit(root, " the previewed ", " the previewed again ")]
    for step in steps:
        rendered = []
        for root, retain in ((edition, True), (fresh, False)):
            step(root)
            snapshot.retain_snapshots(retain)
            if not retain:
                manifest._KEPT.clear()
            try:
                rendered.append(preview(load_config(root / "mkdocs.yml", workers=1)).rendered)
            finally:
                snapshot.retain_snapshots(False)
        assert rendered[0] == rendered[1] > 0
        assert tree_digest(edition / "build" / "site") == tree_digest(fresh / "build" / "site")
        assert tree_digest(edition / "build" / "tei") == tree_digest(fresh / "build" / "tei")
    manifest._KEPT.clear()


def test_a_preview_takes_the_last_builds_keys_only_where_they_hold(edition: Path) -> None:
    # A title edit changes the keys of its document and of the neighbours that show it.
    _retitle(edition, 2)
    config = load_config(edition / "mkdocs.yml", workers=1)
    read_base, render_base = bases(config)
    volumes = collect(config, Report(), listings_file(config))
    edition_ = read_edition(config, volumes, shared_for(config, volumes), read_base, Report(), lambda *a: None, {})
    last = manifest.Manifest(config.build_dir / ".cache" / "manifest.json").data
    reused, afresh = render_keys(edition_, render_base, last), render_keys(edition_, render_base)
    assert reused == afresh
    assert 1 < sum(last["docs"][k] != v for k, v in afresh.items()) < len(afresh)


def test_a_preview_leaves_garbage_collection_as_it_found_it(edition: Path) -> None:
    was = gc.isenabled()
    try:
        for on in (True, False):
            gc.enable() if on else gc.disable()
            _edit(edition, " the ", f" the {on} ")
            assert preview(load_config(edition / "mkdocs.yml", workers=1)).rendered == 1
            assert gc.isenabled() is on
    finally:
        gc.enable() if was else gc.disable()


def test_serve_says_what_its_hold_previewed(edition: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from despatch import serve

    config = load_config(edition / "mkdocs.yml", workers=1)
    snapshot.retain_snapshots()
    try:
        serve._hold(config)  # nothing changed since the last build: it reads the edition and renders nothing
        quiet = capsys.readouterr().err
        assert "Previewed" not in quiet and "Watching for changes" in quiet
        held_forget()
        _edit(edition)  # saved while the server was starting: the hold shows it, and says so
        serve._hold(config)
        said = " ".join(capsys.readouterr().err.split())
        assert "Previewed 1 changed document page(s)" in said and "reading the whole edition" in said
        assert said.index("Previewed") < said.index("Watching for changes")
    finally:
        snapshot.retain_snapshots(False)
        held_forget()
