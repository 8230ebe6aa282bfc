"""Random runs of an editor's edits, each run built incrementally and checked against a full build.

A Hypothesis state machine: its rules edit the sources of a small generated edition as an editor
would (a sentence, a title, a date, a file number, a printed page, a cross-reference, a document
added, removed or put back as it was, a volume's title, the front page); its ``build`` rule builds
the edition incrementally and checks that the site, the TEI, the URL ledger and the warnings are
those that a full build of the same sources, in a fresh copy, gives. A build that fails must fail
as the full build does and leave the site as it was; the sources then go back to the last ones
built, as an editor undoes a mistake.

``Machine.build_edition`` builds in this process; ``tests/test_incremental_sequences.py`` runs the
machine, and also runs it with builds by the command line (separate processes, search on).
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
from robust import tree_digest

from despatch.cli import main
from despatch.config import load_config
from despatch.order import natural_key
from despatch.site import held
from despatch.site.build import build
from despatch.site.preview import preview
from despatch.site.result import BuildFailed
from despatch.site.snapshot import retain_snapshots

PICK = st.integers(min_value=0, max_value=1_000)
TEXT = (".txt",)  # the edits written for the copied-text form
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


class Machine(RuleBasedStateMachine):
    """Edits and incremental builds of a copy of ``template`` (a generated project, sources only)."""

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

    @initialize()
    def first_build(self) -> None:
        built, said = self.build_edition(self.root, False)
        assert built, said
        self._built()

    # -- the edits ---------------------------------------------------------------------------------

    def _docs(self, kinds: tuple[str, ...] = (".txt", ".xml")) -> list[Path]:
        """The documents' sources: copied text, and the TEI of an imported volume."""
        return sorted((p for p in self.content.glob("*/d*.*") if p.suffix in kinds),
                      key=lambda p: (p.parent.name, natural_key(p.stem)))

    def _doc(self, k: int, kinds: tuple[str, ...] = (".txt", ".xml")) -> Path:
        docs = self._docs(kinds) or self._docs()
        return docs[k % len(docs)]

    def _sub(self, path: Path, pattern: str, repl: str | Callable[[re.Match[str]], str], flags: int = 0) -> None:
        text = path.read_text(encoding="utf-8")
        new = re.sub(pattern, repl, text, count=1, flags=flags)
        if new != text:
            path.write_text(new, encoding="utf-8")
            self._changed(path)

    @rule(k=PICK, n=PICK)
    def add_sentence(self, k: int, n: int) -> None:
        """Text alone: no index page shows it."""
        doc = self._doc(k)
        if doc.suffix == ".xml":
            self._sub(doc, r"<p>", f"<p>A sentence added, {n}. ")
        else:
            self._sub(doc, r"(?m)^([A-Z][^\n]{200,})$", rf"\1 A sentence added, {n}.")

    @rule(k=PICK)
    def retitle(self, k: int) -> None:
        self._sub(self._doc(k), r"^(\d+)\. |(<head>\d+)\. ", lambda m: f"{m[1] or m[2]}. Revised: ")

    @rule(k=PICK, month=st.integers(1, 12), day=st.integers(1, 28), year=st.integers(58, 63))
    def redate(self, k: int, month: int, day: int, year: int) -> None:
        """A decimal file's date code dates its document (the chronology's months); in TEI, its date."""
        doc = self._doc(k)
        if doc.suffix != ".xml":
            self._sub(doc, r"(Files, [0-9.]+/)\d+–\d+", rf"\g<1>{month}–{day}{year}")
            return
        found = re.search(r'doc-dateTime-min="(\d{4}-\d\d-\d\d)', doc.read_text(encoding="utf-8"))
        if found:  # every mention of the day (the document's range, its dateline's date) alike
            text = doc.read_text(encoding="utf-8").replace(found[1], f"19{year}-{month:02}-{day:02}")
            doc.write_text(text, encoding="utf-8")
            self._changed(doc)

    @rule(k=PICK, number=st.integers(100, 999))
    def refile(self, k: int, number: int) -> None:
        """Another file of the Central Files: the document leaves one archives page for another."""
        self._sub(self._doc(k), r"Central Files, \d{3}\.\d+", f"Central Files, {number}.{number % 7 + 1}")

    @rule(k=PICK, page=st.integers(1, 40))
    def repage(self, k: int, page: int) -> None:
        """A printed page renumbered (pages shared by several documents come and go)."""
        self._sub(self._doc(k), r'\[Page \d+\]|<pb n="\d+" xml:id="pg_\d+"',
                  lambda m: f'<pb n="{page}" xml:id="pg_{page}"' if m[0][0] == "<" else f"[Page {page}]")

    @rule(k=PICK, page=st.integers(1, 40))
    def add_page(self, k: int, page: int) -> None:
        self._sub(self._doc(k, TEXT), r"(?m)^\n(?=[A-Z][^\n]{200,}$)", f"\n[Page {page}]\n\n")

    @rule(k=PICK)
    def drop_page(self, k: int) -> None:
        self._sub(self._doc(k, TEXT), r"\n\[Page \d+\]\n", "")

    @rule(k=PICK, j=PICK)
    def cross_reference(self, k: int, j: int) -> None:
        """A note that points to another document of the volume (a broken link once that one goes)."""
        doc = self._doc(k, TEXT)
        others = sorted(doc.parent.glob("d*.*"), key=lambda p: natural_key(p.stem))
        target = others[j % len(others)].stem[1:]
        self._sub(doc, r"(?m)^(  \d+\. [^\n]*?)\s*$(?![\s\S]*^  \d+\. )", rf"\1 See Document {target}.")

    @rule(k=PICK, n=PICK)
    def add_note(self, k: int, n: int) -> None:
        """A footnote at the end of the last paragraph (a new note address), listed after the others."""
        doc = self._doc(k, TEXT)
        text = doc.read_text(encoding="utf-8")
        listed = re.findall(r"(?m)^  (\d+)\. ", text)
        paragraphs = list(re.finditer(r"(?m)^[A-Z][^\n]{200,}[a-z]\.$", text))
        if not listed or not paragraphs:
            return
        # The copied text numbers the source note 1 and marks it 0: a note listed as N is marked N - 1.
        last, end = int(listed[-1]), paragraphs[-1].end()
        text = f"{text[:end - 1]}{last}{text[end - 1:].rstrip()}\n  {last + 1}. A note added, {n}.\n"
        doc.write_text(text, encoding="utf-8")
        self._changed(doc)

    @rule(k=PICK)
    def drop_note(self, k: int) -> None:
        """The last footnote and its mark removed (its note address goes)."""
        doc = self._doc(k, TEXT)
        text = doc.read_text(encoding="utf-8")
        listed = re.findall(r"(?m)^  (\d+)\. ", text)
        if len(listed) < 2:
            return
        mark = int(listed[-1]) - 1
        marks = list(re.finditer(rf"(?<=[a-z.,;”’]){mark}(?=[\s.,;:])", text))
        if len(marks) != 1:
            return
        text = text[:marks[0].start()] + text[marks[0].end():]
        doc.write_text(re.sub(r"(?m)\n  \d+\. [^\n]*\s*\Z", "\n", text), encoding="utf-8")
        self._changed(doc)

    @rule(k=PICK)
    def renumber(self, k: int) -> None:
        """A document renumbered as the volume's next, with a redirect from its old address."""
        doc = self._doc(k, TEXT)
        volume = doc.parent
        n = 1 + max(int(p.stem[1:]) for p in volume.glob("d*.*") if p.stem[1:].isdigit())
        new = volume / f"d{n}.txt"
        new.write_text(re.sub(r"^\d+\. ", f"{n}. ", doc.read_text(encoding="utf-8"), count=1), encoding="utf-8")
        doc.unlink()
        redirects = self.content / "redirects.yml"
        old = redirects.read_text(encoding="utf-8") if redirects.is_file() else ""
        redirects.write_text(old + f"{volume.name}/{doc.stem}: {volume.name}/{new.stem}\n", encoding="utf-8")
        for path in (doc, new, redirects):
            self._changed(path)

    @precondition(lambda self: len(self._docs()) > 24)
    @rule(k=PICK)
    def remove(self, k: int) -> None:
        path = self._doc(k)
        path.unlink()
        self._changed(path)

    @rule(k=PICK, into=PICK)
    def add(self, k: int, into: int) -> None:
        """A copy of a document as the next one of a volume (its number and title's number)."""
        source = self._doc(k, TEXT)
        volumes = sorted(p for p in self.content.iterdir() if (p / "volume.yml").is_file())
        volume = volumes[into % len(volumes)]
        n = 1 + max((int(p.stem[1:]) for p in volume.glob("d*.*") if p.stem[1:].isdigit()), default=0)
        text = re.sub(r"^\d+\. ", f"{n}. ", source.read_text(encoding="utf-8"), count=1)
        (volume / f"d{n}.txt").write_text(text, encoding="utf-8")
        self._changed(volume / f"d{n}.txt")

    @precondition(lambda self: any(len(v) > 1 for v in self.versions.values()))
    @rule(k=PICK, back=PICK)
    def put_back(self, k: int, back: int) -> None:
        """A document as it was at an earlier build (an edit undone), or brought back if removed since."""
        names = sorted(n for n, v in self.versions.items() if len(v) > 1)
        name = names[k % len(names)]
        old = self.versions[name][back % len(self.versions[name])]
        path = self.content / name
        if not path.is_file() or path.read_bytes() != old:
            path.write_bytes(old)
            self._changed(path)

    @rule(k=PICK)
    def touch(self, k: int) -> None:
        """The same bytes saved again (an editor's save without a change)."""
        path = self._doc(k)
        path.write_bytes(path.read_bytes())
        self._changed(path)

    @rule(v=PICK, word=st.sampled_from(["Revised", "Second Edition", "Reprint"]))
    def retitle_volume(self, v: int, word: str) -> None:
        volumes = sorted(self.content.glob("*/volume.yml"))
        self._sub(volumes[v % len(volumes)], r'(?m)^(subtitle: .*?)"?$', rf"\1 {word}")

    def _nth(self, pattern: str, k: int, repl: str) -> None:
        """Replace the ``k``-th match (modulo their count) of ``pattern`` in the volumes' files."""
        matches = [(path, m) for path in sorted(self.content.glob("*/*.yml"))
                   for m in re.finditer(pattern, path.read_text(encoding="utf-8"), flags=re.MULTILINE)]
        if not matches:
            return
        path, m = matches[k % len(matches)]
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:m.start()] + m.expand(repl) + text[m.end():], encoding="utf-8")
        self._changed(path)

    @rule(k=PICK)
    def rename_person(self, k: int) -> None:
        """A name in a volume's list of persons (its persons page, the documents that mention them)."""
        self._nth(r"^(  name: .+)$", k, r"\1 Jr.")

    @rule(k=PICK)
    def redefine_term(self, k: int) -> None:
        self._nth(r"^(  description: .+)$", k, r"\1, as revised")

    @rule(k=PICK)
    def reorder_chapter(self, k: int) -> None:
        """Two documents of a chapter's list swapped: the reading order, neighbours and contents change."""
        self._nth(r"^(  - d\d+)\n(  - d\d+)$", k, r"\2\n\1")

    @rule(n=PICK)
    def rename_site(self, n: int) -> None:
        """The configuration changed (every page shows the site's name): the build starts again whole."""
        self._sub(self.root / "mkdocs.yml", r"(?m)^site_name: .*$", f"site_name: An edition renamed {n}")

    @rule(n=PICK)
    def override_template(self, n: int) -> None:
        """A template of the project's own in place of the shipped one (every page's release line)."""
        path = self.root / "templates" / "partials" / "release.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<p class=\"release\">Release {n}</p>\n", encoding="utf-8")
        self._changed(path)

    @rule(n=PICK)
    def edit_front_page(self, n: int) -> None:
        page = self.content / "index.md"
        page.write_text(page.read_text(encoding="utf-8") + f"\nA line added, {n}.\n", encoding="utf-8")
        self._changed(page)

    def _changed(self, path: Path) -> None:
        """A source written or removed since the last build."""
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
        shutil.copytree(self.root, full, ignore=shutil.ignore_patterns("build"))
        full_built, full_said = self.build_edition(full, False)
        assert (built, said) == (full_built, full_said), \
            f"the incremental build reports what a full build does: {built, said} against {full_built, full_said}"
        self.pending = False  # checked now, whatever it finds: the teardown does not check again
        if built:
            differ = differences(outputs(full, self.search), outputs(self.root, self.search))
            assert not differ, f"the incremental build's files that differ from a full build's: {differ[:12]}"
            self._built()
        else:
            differ = differences(before, outputs(self.root, self.search))
            assert not differ, f"a failed build changed {differ[:12]}"
            self._undo()
        shutil.rmtree(full, ignore_errors=True)

    def _build_accepting(self) -> Outcome:
        """Build; where the build would drop published URLs (a page gone), accept that and build again."""
        built, said = self.build_edition(self.root, True)
        if not built and said and all("would drop the published URL" in line for line in said):
            assert main(["accept-urls", "-f", str(self.root / "mkdocs.yml")]) == 0
            built, said = self.build_edition(self.root, True)
        return built, said

    def _sources(self) -> dict[str, bytes]:
        return {str(p.relative_to(self.content)): p.read_bytes() for p in sorted(self.content.rglob("*"))
                if p.is_file() and p.suffix != ".lock"}

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
        shutil.copytree(self.root, full, ignore=shutil.ignore_patterns("build"))
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


class CommandMachine(Machine):
    """The same edits, each build by the command line as a user runs it (search on), and now and then
    a build stopped part way: by Ctrl-C (it cleans up) or killed outright (it cannot). Either way the
    site stays whole, and the next build makes what a full build makes."""

    build_edition = staticmethod(command)
    search = True

    @rule(twentieths=st.integers(0, 40), kill=st.booleans())
    def stopped_build(self, twentieths: int, kill: bool) -> None:
        args = [sys.executable, "-m", "despatch", "build", "-f", str(self.root / "mkdocs.yml")]
        with subprocess.Popen(args, cwd=self.root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as running:
            try:
                running.wait(twentieths / 20)
            except subprocess.TimeoutExpired:
                running.send_signal(signal.SIGKILL if kill else signal.SIGINT)
            _, err = running.communicate()
        # Done before the signal, stopped (130), or killed (-9); never an internal error.
        assert running.returncode in (0, 1, 130, -signal.SIGKILL), err.decode("utf-8", "replace")
        self.pending = True  # what it did is not known: the next check builds again
