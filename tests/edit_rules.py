"""The edits an editor makes to an edition's sources, as rules of a Hypothesis state machine.

Each rule edits the sources in place: a sentence, a title, a date, an archive file, a printed page
added, moved or taken out, a note added or taken out, a cross-reference, a document added, removed,
renumbered with a redirect, put back as it was or saved unchanged, a folder of sources without
volume.yml, a link to nothing named as a source, a person, a term, the table of
contents' order, a volume's title or date of update, the front page, the site's name, a setting of
the plugin or the site's address, a template of the project's own.
Copied text and the TEI of an imported volume are both edited. ``tests/edit_machine.py`` builds
between them and checks each build against a full build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from despatch.order import natural_key

PICK = st.integers(min_value=0, max_value=1_000)
TEXT = (".txt",)  # the edits written for the copied-text form
# Settings of the plugin (and the site's address) an editor may change between builds, with values to take.
OPTIONS: dict[str, list[str]] = {
    "note_redirects": ["false", "true"],
    "ebooks": ["false", "true"],
    "strict_links": ["false", "true"],
    "version": ['"0.2.0"', '""'],
    "release_date": ['"2026-12-01"', '""'],
    "canonical_base": ['""', "https://history.state.gov/historicaldocuments/"],
    "site_url": ["https://example.net/edition/", "https://example.org/"],
}


class Edits(RuleBasedStateMachine):
    """The edits, on the project at ``root`` (its sources in ``content``); ``_changed`` hears of each file."""

    root: Path
    content: Path
    versions: dict[str, list[bytes]]  # each source's texts as built before (``put_back`` takes one)

    def _docs(self, kinds: tuple[str, ...] = (".txt", ".xml")) -> list[Path]:
        """The documents' sources: copied text, and the TEI of an imported volume."""
        return sorted((p for p in self.content.glob("*/d*.*")
                       if p.suffix in kinds and p.is_file() and (p.parent / "volume.yml").is_file()),
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

    @rule(k=PICK)
    def add_unlisted_folder(self, k: int) -> None:
        """A folder of sources with no volume.yml (an error, whatever else is as built); undone when it fails."""
        folder = self.content / f"frus-unlisted-{k % 3}"
        folder.mkdir(exist_ok=True)
        (folder / "d1.txt").write_bytes(self._doc(k, TEXT).read_bytes())
        self._changed(folder / "d1.txt")

    @rule(k=PICK)
    def link_to_nothing(self, k: int) -> None:
        """A source's name on a link to no file (git-annex's file not fetched): an error, undone when it fails."""
        path = self._doc(k).with_name(f"d{900 + k % 7}.txt")
        if not path.exists() and not path.is_symlink():
            path.symlink_to(f"../../.git/annex/objects/{k}.txt")
            self._changed(path)

    @rule(v=PICK, word=st.sampled_from(["Revised", "Second Edition", "Reprint"]))
    def retitle_volume(self, v: int, word: str) -> None:
        volumes = sorted(self.content.glob("*/volume.yml"))
        self._sub(volumes[v % len(volumes)], r'(?m)^(subtitle: .*?)"?$', rf"\1 {word}")

    @rule(v=PICK, day=st.integers(1, 28))
    def update_volume(self, v: int, day: int) -> None:
        """A volume's date of update (the sitemap's last change of its pages)."""
        volumes = sorted(self.content.glob("*/volume.yml"))
        path = volumes[v % len(volumes)]
        text = re.sub(r"(?m)^updated: .*\n", "", path.read_text(encoding="utf-8"))
        path.write_text(text.rstrip("\n") + f"\nupdated: \"2026-12-{day:02}\"\n", encoding="utf-8")
        self._changed(path)

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

    @rule(option=st.sampled_from(sorted(OPTIONS)), pick=PICK)
    def reconfigure(self, option: str, pick: int) -> None:
        """One of the edition's settings changed (or back): which pages there are, what they say."""
        values = OPTIONS[option]
        path = self.root / "mkdocs.yml"
        text = path.read_text(encoding="utf-8")
        if option == "site_url":
            text = re.sub(r"(?m)^site_url: .*$", f"site_url: {values[pick % len(values)]}", text)
        else:
            text = re.sub(rf"(?m)^      {option}: .*\n", "", text)
            text = text.replace("  - despatch:\n", f"  - despatch:\n      {option}: {values[pick % len(values)]}\n", 1)
        path.write_text(text, encoding="utf-8")
        self._changed(path)

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
        """A source written or removed since the last build (the machine that builds keeps count)."""
