"""Runs of an editor's edits (``tests/edit_rules.py``), built incrementally and checked against full builds.

A Hypothesis state machine: between the edits, its ``build`` rule builds the edition incrementally
and checks that the site, the TEI, the URL ledger and the warnings are those that a full build of
the same sources, in a fresh copy, gives. A build that fails must fail as the full build does and
leave the site as it was; the sources then go back to the last ones built, as an editor undoes a
mistake. ``Machine`` builds in this process; ``ServingMachine`` previews each edit as `despatch
serve` does; ``CommandMachine`` builds by the command line with search on, and stops builds part
way. ``tests/test_incremental_sequences.py`` runs them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from edit_rules import Edits
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule
from robust import tree_digest

from despatch.cli import main
from despatch.config import load_config
from despatch.search.changes import CHANGES, LISTING, RECENT
from despatch.search.summary import read_fragment
from despatch.site import held
from despatch.site.build import build
from despatch.site.preview import preview
from despatch.site.result import BuildFailed
from despatch.site.snapshot import retain_snapshots

Outcome = tuple[bool, list[str]]  # (built, the diagnostics it reported, as text)


def inprocess(root: Path, incremental: bool) -> Outcome:
    """Build ``root`` in this process, without search (its incremental files differ by design)."""
    try:
        result = build(load_config(root / "mkdocs.yml", workers=1, search=False), incremental=incremental)
    except BuildFailed as failed:
        return False, _said(root, map(str, failed.report.items))
    return True, _said(root, map(str, result.report.warnings))


def command(root: Path, incremental: bool, search: bool = True) -> Outcome:
    """Build ``root`` as a user does, by the command line in a process of its own."""
    if not incremental:
        shutil.rmtree(root / "build", ignore_errors=True)
    args = [sys.executable, "-m", "despatch", "build", "-f", str(root / "mkdocs.yml")]
    done = subprocess.run(args + ([] if search else ["--no-search"]), capture_output=True, text=True, cwd=root, check=False)
    if done.returncode not in (0, 1):
        raise AssertionError(f"despatch build ended with {done.returncode}:\n{done.stderr}")
    # The summary line names the time taken: only the diagnostics are compared.
    said = [line for line in done.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    return done.returncode == 0, _said(root, said)


def _said(root: Path, lines: Iterable[str]) -> list[str]:
    """Diagnostics in order, the project's folder named alike for the edition and its copy."""
    return sorted(line.replace(str(root), "PROJECT") for line in lines)


def outputs(root: Path, search: bool) -> dict[str, str]:
    """Every output file's digest, and the URL ledger's text (search files left out where ``search``)."""
    out = {f"site/{k}": v for k, v in tree_digest(root / "build" / "site").items()
           if not (search and _searching(k))}
    out.update({f"tei/{k}": v for k, v in tree_digest(root / "build" / "tei").items()})
    out.update({f"ledger/{p.name}": p.read_text(encoding="utf-8") for p in sorted((root / "content").glob("*.lock"))})
    return out


def _searching(path: str) -> bool:
    """A search file: an incremental build adds the edited pages to a bundle of changes instead."""
    return any(part.startswith("pagefind") for part in path.split("/")[:-1])


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


class Machine(Edits):
    """The edits, and incremental builds of a copy of ``template`` (a project's sources) between them."""

    template: Path
    build_edition: Callable[[Path, bool], Outcome] = staticmethod(inprocess)
    search = False

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="despatch-edits-"))
        self.root = self.dir / "despatch"
        shutil.copytree(self.template, self.root)
        self.content = self.root / "content"
        self.versions: dict[str, list[bytes]] = {}  # each source's texts as built before
        self.good: dict[str, bytes] = {}            # the sources of the last build that succeeded
        self.pending = False                        # sources edited since the last build
        self.accepted = False                       # the last check accepted dropped URLs

    @initialize()
    def first_build(self) -> None:
        built, said = self.build_edition(self.root, False)
        assert built, said
        self._built()

    def _changed(self, path: Path) -> None:
        self.pending = True

    # -- the check ---------------------------------------------------------------------------------

    @rule()
    def build(self) -> None:
        self.check()

    def teardown(self) -> None:
        try:
            if self.pending:
                self.check()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def check(self) -> None:
        """Build incrementally; compare with a full build of a copy of the same sources."""
        before = outputs(self.root, self.search)
        built, said = self._build_accepting()
        full = self.dir / "full"
        shutil.rmtree(full, ignore_errors=True)
        shutil.copytree(self.root, full, symlinks=True, ignore=shutil.ignore_patterns("build"))
        full_built, full_said = self.build_edition(full, False)
        assert (built, said) == (full_built, full_said), \
            f"the incremental build reports what a full build does: {built, said} against {full_built, full_said}"
        self.pending = False  # checked now, whatever it finds: the teardown does not check again
        if built:
            differ = differences(outputs(full, self.search), outputs(self.root, self.search))
            assert not differ, f"the incremental build's files that differ from a full build's: {differ[:12]}"
            self.compare(full)
            self._built()
        else:
            # The ledger is the harness's to change when it accepted dropped URLs before building again.
            differ = [k for k in differences(before, outputs(self.root, self.search))
                      if not (self.accepted and k.startswith("ledger/"))]
            assert not differ, f"a failed build changed {differ[:12]}"
            self._undo()
        shutil.rmtree(full, ignore_errors=True)

    def compare(self, full: Path) -> None:
        """What else to compare with the full build ``full`` once the files are alike."""

    def _build_accepting(self) -> Outcome:
        """Build; where the build would drop published URLs (a page gone), accept that and build again."""
        built, said = self.build_edition(self.root, True)
        self.accepted = not built and bool(said) and all("would drop the published URL" in line for line in said)
        if self.accepted:
            assert main(["accept-urls", "-f", str(self.root / "mkdocs.yml")]) == 0
            built, said = self.build_edition(self.root, True)
        return built, said

    def _sources(self) -> dict[str, bytes]:
        """Each file's bytes (a link's, its target's name: one to nothing is an edit too)."""
        return {str(p.relative_to(self.content)): os.readlink(p).encode() if p.is_symlink() else p.read_bytes()
                for p in sorted(self.content.rglob("*")) if (p.is_file() or p.is_symlink()) and p.suffix != ".lock"}

    def _built(self) -> None:
        self.good = self._sources()
        for name, data in self.good.items():
            kept = self.versions.setdefault(name, [])
            if not kept or kept[-1] != data:
                kept.append(data)
        self.pending = False

    def _undo(self) -> None:
        """The sources of the last build that succeeded, each file written only where it differs."""
        now = self._sources()
        for name in set(now) - set(self.good):
            (self.content / name).unlink()
            self._changed(self.content / name)
        for name, data in self.good.items():
            if now.get(name) != data:
                (self.content / name).write_bytes(data)
                self._changed(self.content / name)


class ServingMachine(Machine):
    """The same edits, each previewed as ``despatch serve`` previews a saved source (the documents'
    pages at once, told which files changed), and built now and then as the editor runs a build."""

    def __init__(self) -> None:
        super().__init__()
        self.touched: set[str] = set()  # the files written since the last preview, as the watcher tells them
        retain_snapshots()

    def _changed(self, path: Path) -> None:
        super()._changed(path)
        self.touched.add(str(path))

    @rule()
    def preview(self) -> None:
        """A preview: every document's page and TEI are those a full build makes, or it failed as a build would."""
        touched, self.touched = self.touched, set()
        try:
            preview(load_config(self.root / "mkdocs.yml", workers=1, search=False), touched=touched)
        except BuildFailed:
            return  # the serving process says why and keeps the last site; the next build must fail alike
        full = self.dir / "full"
        shutil.rmtree(full, ignore_errors=True)
        shutil.copytree(self.root, full, symlinks=True, ignore=shutil.ignore_patterns("build"))
        built, _ = inprocess(full, False)
        if built:
            documents = re.compile(r"(site/[^/]+/d\d+/index\.html|tei/[^/]+/d\d+\.xml)$")
            now, whole = outputs(self.root, True), outputs(full, True)
            differ = [k for k in differences(now, whole) if documents.match(k)]
            assert not differ, f"pages a preview left unlike a full build's: {differ[:12]}"
        shutil.rmtree(full, ignore_errors=True)

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            retain_snapshots(False)
            held.forget()


def search_view(site: Path) -> dict[str, dict[str, object]]:
    """What the search page finds of each page: the fragment of its volume's bundle, unless the changes
    bundle (or its recent layer, over it) supersedes the document, whose page there it finds instead."""
    found: dict[str, dict[str, object]] = {}
    for bundle in sorted(site.glob("*/pagefind")):  # the volumes' bundles (the router's is the site's own)
        for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
            fragment = read_fragment(path)
            # A volume's bundle names its pages from the volume's folder, the changes bundle from the site's.
            fragment["url"] = f"/{bundle.parent.name}{fragment['url']}"
            found[fragment["url"]] = fragment
    for layer in (CHANGES, RECENT):
        try:
            listed = json.loads((site / layer / LISTING).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        for doc in listed["documents"]:
            found.pop(f"/{doc}", None)
        for path in sorted((site / layer / "fragment").glob("*.pf_fragment")):
            fragment = read_fragment(path)
            found[str(fragment["url"])] = fragment
    return found


class CommandMachine(Machine):
    """The same edits, each build by the command line as a user runs it (search on), and now and then
    a build stopped part way: by Ctrl-C (it cleans up) or killed outright (it cannot). Either way the
    site stays whole, and the next build makes what a full build makes."""

    build_edition = staticmethod(command)
    search = True

    def compare(self, full: Path) -> None:
        """The search finds each page as the full build's index has it: text, filters, metadata, anchors."""
        view, whole = search_view(self.root / "build" / "site"), search_view(full / "build" / "site")
        differ = differences({k: repr(v) for k, v in view.items()}, {k: repr(v) for k, v in whole.items()})
        assert not differ, f"pages the search finds unlike a full build's index: {differ[:12]}"

    @rule(twentieths=st.integers(0, 40), kill=st.booleans())
    def stopped_build(self, twentieths: int, kill: bool) -> None:
        args = [sys.executable, "-m", "despatch", "build", "-f", str(self.root / "mkdocs.yml")]
        # Ctrl-C's signal as a terminal sends it (a run in the background ignores it, and its builds would).
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            with subprocess.Popen(args, cwd=self.root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as running:
                try:
                    running.wait(twentieths / 20)
                except subprocess.TimeoutExpired:
                    running.send_signal(signal.SIGKILL if kill else signal.SIGINT)
                _, err = running.communicate()
        finally:
            signal.signal(signal.SIGINT, previous)
        said = err.decode("utf-8", "replace")
        # Done before the signal, stopped (130; by the signal itself before Python handled it), or killed.
        assert running.returncode in (0, 1, 130, -signal.SIGINT, -signal.SIGKILL), said
        assert "Traceback" not in said and "internal error" not in said, said
        self.pending = True  # what it did is not known: the next check builds again
