"""The EPUB's package documents as text: container, package (OPF) and NCX.

They are written as ebooklib 0.20 wrote them (lxml, pretty-printed), so that readers see the book
they saw before; but the generator line names despatch, which writes them now, and a book with
several editors gives each its own id (ebooklib repeated one, which epubcheck rejects). Text is cheaper than a
tree here: a volume's OPF and NCX have a line or five for each of its hundreds of documents.
"""

from __future__ import annotations

import datetime as dt
import re

DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
GENERATOR = "despatch"
XHTML_TYPE = "application/xhtml+xml"
CONTAINER = b"""<?xml version="1.0" encoding="utf-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
  <rootfiles>
    <rootfile media-type="application/oebps-package+xml" full-path="EPUB/content.opf"/>
  </rootfiles>
</container>
"""

# Characters XML 1.0 does not allow (lxml refused them when it made these files). Listed, not as
# the complement of what it allows: that class takes ten times as long to compile and to search.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# What lxml escapes: in text, markup characters and carriage returns; in attributes, quotes and
# every whitespace character but the space as well. Replaced one by one: str.translate goes
# character by character through any text that is not ASCII, which titles often are not.
# Most texts need nothing: four `in` tests cost a fifth of four replacements that find nothing.
def text(value: str) -> str:
    """Escape element text as lxml serialises it."""
    if "&" not in value and "<" not in value and ">" not in value and "\r" not in value:
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def attr(value: str) -> str:
    """Escape an attribute value as lxml serialises it."""
    if '"' in value or "\n" in value or "\t" in value:
        return text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text(value)


def texts(values: list[str]) -> list[str]:
    """Escape many texts at once: one pass over them joined, not a call for each."""
    return _split(text("\0".join(values)), len(values))


def attrs(values: list[str]) -> list[str]:
    """Escape many attribute values at once."""
    return _split(attr("\0".join(values)), len(values))


def _split(joined: str, count: int) -> list[str]:
    out = joined.split("\0") if count else []
    if len(out) != count:  # a value held a NUL, which XML does not allow either
        raise ValueError("U+0000 is not allowed in XML (a title or the volume's metadata)")
    return out


def check(values: list[str]) -> None:
    """ValueError when a value holds a character XML does not allow (searched once, not per document)."""
    bad = _NOT_XML.search("".join(values))
    if bad is not None:
        raise ValueError(f"U+{ord(bad.group(0)):04X} is not allowed in XML (a title or the volume's metadata)")


def opf(uid: str, title: str, modified: dt.datetime, editors: list[str], dc: list[tuple[str, str]],
        chapters: list[tuple[str, str]]) -> bytes:
    """The package document: metadata, the manifest and the spine (title, contents, then ``chapters``:
    (id, file) pairs in reading order); ``dc`` holds further Dublin Core (name, value) pairs."""
    out = [DECLARATION,
           ('<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="id" version="3.0" '
            'prefix="rendition: http://www.idpf.org/vocab/rendition/#">\n'),
           '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">\n',
           f'    <meta property="dcterms:modified">{modified.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>\n',
           f'    <meta name="generator" content="{GENERATOR}"/>\n',
           f'    <dc:identifier id="id">{text(uid)}</dc:identifier>\n',
           f"    <dc:title>{text(title)}</dc:title>\n",
           "    <dc:language>en</dc:language>\n"]
    # ebooklib kept metadata by name: every creator, then the other names, then the creators' roles.
    # It gave every creator the id "creator", which a book with two editors may not have twice.
    ids = ["creator"] + [f"creator-{n}" for n in range(2, len(editors) + 1)]
    out += [f'    <dc:creator id="{ident}">{text(editor)}</dc:creator>\n' for ident, editor in zip(ids, editors)]
    out += [f"    <dc:{name}>{text(value)}</dc:{name}>\n" for name, value in dc]
    out += [f'    <meta refines="#{ident}" property="role" scheme="marc:relators">edt</meta>\n'
            for ident in ids[:len(editors)]]
    out += ["  </metadata>\n  <manifest>\n",
            '    <item href="ebook.css" id="css" media-type="text/css"/>\n',
            f'    <item href="title.xhtml" id="title" media-type="{XHTML_TYPE}"/>\n']
    ids, files = attrs([uid for uid, _ in chapters]), attrs([file for _, file in chapters])
    out += [f'    <item href="{file}" id="{uid}" media-type="{XHTML_TYPE}"/>\n' for uid, file in zip(ids, files)]
    out += [f'    <item href="nav.xhtml" id="nav" media-type="{XHTML_TYPE}" properties="nav"/>\n',
            '    <item href="toc.ncx" id="ncx" media-type="application/x-dtbncx+xml"/>\n',
            "  </manifest>\n",
            '  <spine toc="ncx">\n    <itemref idref="title"/>\n    <itemref idref="nav"/>\n']
    out += [f'    <itemref idref="{uid}"/>\n' for uid in ids]
    out.append("  </spine>\n</package>\n")
    return "".join(out).encode("utf-8")


def ncx(uid: str, title: str, links: list[tuple[str, str, str]]) -> bytes:
    """The EPUB 2 table of contents: one flat navPoint for each (id, file, title) of ``links``."""
    out = [DECLARATION,
           '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n  <head>\n',
           f'    <meta content="{attr(uid)}" name="dtb:uid"/>\n',
           '    <meta content="0" name="dtb:depth"/>\n',
           '    <meta content="0" name="dtb:totalPageCount"/>\n',
           '    <meta content="0" name="dtb:maxPageNumber"/>\n',
           f"  </head>\n  <docTitle>\n    <text>{text(title)}</text>\n  </docTitle>\n  <navMap>\n"]
    idents, files = attrs([ident for ident, _, _ in links]), attrs([file for _, file, _ in links])
    out += [f'    <navPoint id="{ident}">\n      <navLabel>\n        <text>{label}</text>\n'
            f'      </navLabel>\n      <content src="{file}"/>\n    </navPoint>\n'
            for ident, file, label in zip(idents, files, texts([label for _, _, label in links]))]
    out.append("  </navMap>\n</ncx>\n")
    return "".join(out).encode("utf-8")
