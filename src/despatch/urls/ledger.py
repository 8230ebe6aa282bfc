"""The URL ledger: every public path the edition has published, so no build silently drops one."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SourceError
from .scheme import normalize

LEDGER_NAME = "urls.lock"          # in the content folder, committed with the sources
PUBLISHED_NAME = "urls.txt"        # the last build's list: in the site and in the build folder
HEADER = (
    "# URL ledger: every URL path this edition has published, one per line, sorted.\n"
    "# A build that would drop one of them fails unless a redirect is declared for it\n"
    "# (content/redirects.yml or the 'redirects' option in mkdocs.yml).\n"
    "# After a deliberate change, run `despatch accept-urls` and commit this file.\n"
)
# Theme files, dot-folders, derived downloads (citations, a volume's references and ebook, search
# files) and the parts of a large archives collection or busy file (``_2/``: what a part lists moves
# as the edition grows, and a part goes when it shrinks) come and go with the theme, the options and the
# edition's size; nobody cites them. Named here, not left out by
# the order of the build's stages: an edit's build writes the volume's downloads and search changes
# while the URLs are listed.
EXCLUDE = ("assets/*", ".*", "*/.*", "_redirects", "redirects.json", PUBLISHED_NAME,
           "*/cite.bib", "*/cite.ris", "*/cite.json", "*/references.bib", "*/references.ris",
           "*/references.json", "*/*.epub", "pagefind/*", "*/pagefind/*", "pagefind-changes/*",
           "*/pagefind-changes/*", "pagefind-recent/*", "*/pagefind-recent/*", "archives/*/_[0-9]*/")


_SPACE = re.compile(r"\s")
Entries = list[tuple[str, int]]


class Canonical(frozenset):  # type: ignore[type-arg]
    """Public paths in canonical form already: the ledger's functions take them without normalizing each."""

    def ledger_text(self) -> str:
        """The ledger's text of these paths (``render_ledger``)."""
        return HEADER + "".join([f"/{p}\n" for p in sorted(self)])


def canonical(published: Iterable[str]) -> Canonical:
    """The paths in canonical form, each once."""
    return published if isinstance(published, Canonical) else Canonical(map(normalize, published))


def published_urls(site_dir: Path, exclude: Iterable[str] = EXCLUDE, pages: frozenset[str] = frozenset()) -> list[str]:
    """Every public path a built site serves: folders with an index.html, and other files.

    ``pages`` are folders (``vol/d245``) the build wrote with an index.html and nothing else: they
    are listed without being entered, most of a site's folders being documents and note shortcuts.
    """
    return sorted(set(walk_urls(site_dir, exclude, pages)))


def walk_urls(site_dir: str | Path, exclude: Iterable[str] = EXCLUDE, pages: frozenset[str] = frozenset(),
              base: str = "") -> list[str]:
    """``published_urls`` in the order the walk finds them (for a caller that gathers them into a set).

    ``base``: the site path of ``site_dir`` when it is a folder of the site (``vol/``): paths, patterns
    and ``pages`` are the site's, the walk only the folder's.
    """
    exclude = list(exclude)
    # One regular expression for all the patterns: a site has hundreds of thousands of files. A pattern
    # that ends in a plain character other than '/' matches no folder's path: the listed folders (most
    # of a site's paths) are matched against the others only.
    excluded, excluded_folder = _matcher(exclude), _matcher([p for p in exclude if p[-1:] in ("*", "?", "]", "/")])
    out: list[str] = []
    top = os.fspath(site_dir)
    start = len(os.path.join(top, ""))
    for folder, dirs, files in os.walk(top):
        # os.walk's folders are the top joined with names: the relative path is what follows it.
        rel = base + folder[start:].replace(os.sep, "/") + "/" if len(folder) > len(top) else base
        if pages:
            known = [d for d in dirs if rel + d in pages]
            if known:
                out.extend([path for d in known if not excluded_folder(path := rel + d + "/")])
                dirs[:] = [d for d in dirs if rel + d not in pages]
        for name in files:
            path = rel if name == "index.html" else rel + name
            if not excluded(path or "index.html"):
                out.append(path)
    return out


def _matcher(patterns: list[str]) -> Callable[[str], Any]:
    """Whether a path matches one of the shell patterns (a match object, or None)."""
    if not patterns:
        return lambda path: None
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns)).match


def read_ledger(path: Path) -> list[tuple[str, int]]:
    """The ledger's public paths with their line numbers; comments and blank lines skipped."""
    return list(iter_ledger(path))


def iter_ledger(path: Path) -> Iterator[tuple[str, int]]:
    """``read_ledger`` a line at a time (a whole series' ledger holds millions of paths)."""
    if not path.exists():
        return
    number = 0
    with open(path, encoding="utf-8") as lines:
        for physical in lines:
            # The lines str.splitlines gives, as read_ledger gave them when it split the whole text.
            for line in physical.splitlines():
                number += 1
                entry = line.strip()
                if not entry or entry.startswith("#"):
                    continue
                if _SPACE.search(entry):
                    raise SourceError.at(str(path), number, 1, "a ledger line holds one URL path",
                                         found=entry, expected="a path such as frus1961-63v13/d245/",
                                         text=path.read_text(encoding="utf-8"))
                yield normalize(entry), number


def render_ledger(published: Iterable[str]) -> str:
    """The ledger's text: header, then the sorted, de-duplicated paths."""
    # A leading slash on every line keeps the site's root ("/") a visible, non-blank entry.
    return canonical(published).ledger_text()


def write_ledger(published: Iterable[str], path: Path) -> None:
    """Write a ledger (deterministic: sorted, LF line ends); untouched if the text is the same."""
    text = render_ledger(published)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def check_ledger(published: Iterable[str], ledger_path: Path, redirects: Iterable[str],
                 entries: Entries | None = None) -> list[Diagnostic]:
    """One error per ledger URL the build would drop without a redirect for it (``entries``: read already).

    ``redirects``: the old paths of the redirects (a mapping's keys are).
    """
    entries = read_ledger(ledger_path) if entries is None else entries
    if not entries:
        return []  # a first build: nothing recorded, nothing to drop
    served = canonical(published)
    moved = canonical(redirects)
    return [dropped(ledger_path, path, line) for path, line in entries if path not in served and path not in moved]


def dropped(ledger_path: Path, path: str, line: int) -> Diagnostic:
    """The error for a ledger URL (at ``line``) that the build would no longer publish."""
    return Diagnostic(
        str(ledger_path), line, 1,
        f"the build would drop the published URL /{path}",
        found="no page or file at that path, and no redirect for it",
        expected=f"a redirect in content/redirects.yml ('{path.rstrip('/')}: new/path'), "
                 "or `despatch accept-urls` if dropping it is deliberate",
        source_line="/" + path)


def accept_urls(published: Iterable[str], ledger_path: Path) -> tuple[list[str], list[str]]:
    """Make the ledger exactly the published list; returns (added, removed) paths."""
    new = {normalize(p) for p in published}
    old = {p for p, _ in read_ledger(ledger_path)}
    write_ledger(new, ledger_path)
    return sorted(new - old), sorted(old - new)


def grow_ledger(published: Iterable[str], ledger_path: Path, entries: Entries | None = None) -> list[str]:
    """Add newly published paths to the ledger (never removes one); returns the added paths."""
    new = canonical(published)
    old = {p for p, _ in (read_ledger(ledger_path) if entries is None else entries)}
    added = sorted(new - old)
    if added or not ledger_path.exists():
        # Every recorded path published again (a first build's, or a grown edition's): the text is new's.
        write_ledger(new if old <= new else Canonical(old | new), ledger_path)
    return added


def accept_last_build(config: Any) -> tuple[list[str], list[str]]:
    """Accept the URL list of the last build (``build/urls.txt``) as the new ledger."""
    listing = Path(config.build_dir) / PUBLISHED_NAME
    if not listing.exists():
        raise SourceError.at(str(listing), 1, 1, "no URL list from a build to accept",
                             expected="run `despatch build` first; it writes this list even when it fails")
    return accept_urls([p for p, _ in read_ledger(listing)], Path(config.content_dir) / LEDGER_NAME)


def accept(config: Any) -> int:
    """`despatch accept-urls`: make the last build's URL list the ledger, say what changed; exit code."""
    try:
        added, removed = accept_last_build(config)
    except SourceError as exc:
        for diag in exc.diagnostics:
            print(diag)
        return 1
    ledger = Path(config.content_dir) / LEDGER_NAME
    for path in removed:
        print(f"dropped: /{path}")
    print(f"{ledger}: {len(added)} URL(s) added, {len(removed)} dropped; commit it with the change.")
    return 0
