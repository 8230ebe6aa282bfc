"""The same documents as a Hugo site of despatch's shape: Hugo asked to write the pages despatch writes.

The plain Hugo site (``sites.HugoWriter``) writes one page a document and a list a volume. A despatch
build also writes, for each document, its TEI file, a page at each note's address that sends the
reader to the note, a page for each printed page, and, across the edition, an index page for every
archive, collection and file cited and a chronology. This site asks Hugo for pages of those kinds,
with its own means:

- each note's address is an alias of its document (Hugo writes a page that redirects there);
- each printed page is a term of a ``printed`` taxonomy (a list page of its documents);
- every archive, collection and file its notes cite is a term of an ``archives`` taxonomy;
- each document's month is a term of a ``months`` taxonomy (the chronology);
- each document is also written as XML (an output format of its own, as despatch writes its TEI).

What Hugo is not asked for: the ebooks, reference files and citations, and any check of the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.corpus import Doc
from benchmarks.sites import INLINE, LIST, HugoWriter, to_markdown, write

CONFIG = """baseURL = "https://example.org/"
title = "Synthetic benchmark edition"
disableKinds = ["RSS"]
[taxonomies]
archive = "archives"
printed = "printed"
month = "months"
[outputFormats.tei]
mediaType = "application/xml"
baseName = "tei"
[outputs]
page = ["html", "tei"]
[markup.goldmark.renderer]
unsafe = true
"""
TEI = """<?xml version="1.0" encoding="utf-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{{ .Title }}</title></titleStmt></fileDesc></teiHeader>
<text><body><div type="document">{{ .Content }}</div></body></text></TEI>
"""
# A citation in a note: its repository, its collection, and the unit filed (up to the next comma or
# the citation's end). "Ibid., 762A.00/1–158" cites another unit of the citation before it.
# A unit ends at a comma, or at a full stop or parenthesis before a space or the note's end.
CITATION = re.compile(r"(Department of State|[A-Z][a-z]+ Library|National Archives), ([^,:.()]+)[,:] "
                      r"([^,()]+?)(?=,|[.)](?:\s|$)|$)")
IBID = re.compile(r"\bIbid\., ([^,()]+?)(?=,|[.)](?:\s|$)|$)")
PAGE = re.compile(r'id="pg_(\d+)"')


def unit(text: str) -> str:
    """A file's unit without its date code: "762A.00/1–158" is filed under 762A.00."""
    return text.split("/", 1)[0].strip()


def archive_terms(notes: list[str]) -> list[str]:
    """Every archive, collection and unit the notes cite, each as the path of its index page."""
    terms: set[str] = set()
    last: tuple[str, str] | None = None
    for note in notes:
        for m in CITATION.finditer(note):
            last = (m.group(1), m.group(2).strip())
            terms.update({last[0], "/".join(last), "/".join((*last, unit(m.group(3))))})
        for m in IBID.finditer(note):
            if last is not None:
                terms.add("/".join((*last, unit(m.group(1)))))
    return sorted(terms)


def front_matter(vol: str, doc: Doc, body: str) -> str:
    """The document's title, order and the terms and aliases that make Hugo write despatch's pages."""
    title = INLINE.sub("", doc.title).replace('"', '\\"')
    y, m, _ = doc.date
    aliases = [f"/{vol}/d{doc.n}fn{k}/" for k in range(len(doc.notes))]
    printed = [f"{vol} page {p}" for p in PAGE.findall(body)]
    quoted = lambda items: "[" + ", ".join(f'"{i}"' for i in items) + "]"
    return (f'---\ntitle: "{doc.n}. {title}"\nweight: {doc.n}\naliases: {quoted(aliases)}\n'
            f"archives: {quoted(archive_terms(doc.notes))}\nprinted: {quoted(printed)}\n"
            f'months: ["{y}-{m:02d}"]\n---\n')


class HugoSiteWriter(HugoWriter):
    """A Hugo site of despatch's shape (see the module's docstring): the plain site's layouts, volumes
    and home page, with the taxonomies' layouts, the XML output's, and each document's terms."""

    def __init__(self, root: Path) -> None:
        super().__init__(root, CONFIG)
        layouts = root / "layouts" / "_default"
        write(layouts / "single.tei.xml", TEI)
        for name in ("terms.html", "taxonomy.html", "term.html"):
            write(layouts / name, LIST)

    def document(self, meta: dict[str, str], doc: Doc) -> None:
        body = to_markdown(doc)
        write(self.root / "content" / meta["id"] / f"d{doc.n}.md", front_matter(meta["id"], doc, body) + body)
