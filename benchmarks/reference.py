"""The issue's yardstick: a minimal Python pipeline (regex → lxml TEI → Jinja → write) over the same sources.

    python benchmarks/reference.py CONTENT OUT [--workers N]

CONTENT is a despatch project's ``content/`` folder (the telegram text format: a title line, blank
lines between paragraphs, notes as "  1. …" lines at the end, "[Page N]" markers in the text). Each
source is split with regular expressions, made into a TEI tree with lxml, serialized, rendered
into a page by a Jinja template, and both are written under OUT (``<volume>/<id>.xml`` and
``<volume>/<id>/index.html``). Nothing else: no validation, apparatus, index pages, ebooks or search.

The issue measured this kind of pipeline at 2,150 documents/s on one process and 3,600 on two at
20,000 documents. Run on the same documents as a build, it tells how fast the machine is against
the one the targets were set on (the runner: ``--tools despatch,reference``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from multiprocessing import get_context
from pathlib import Path

from jinja2 import Environment
from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NOTE = re.compile(r"^ {2}(\d+)\. (.*)$", re.MULTILINE)
PAGE = re.compile(r"\[Page (\d+)\]")
# A note's number right after a word or punctuation, as FRUS' printed text runs them in ("course.1 The").
NOTE_REF = re.compile(r"(?<=[A-Za-z.,;:)”’])(\d{1,2})(?=\s|$)")
PAGE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><article id="{{ id }}"><h1>{{ title }}</h1>
{% for p in paragraphs %}<p>{% for kind, text in p %}{% if kind == "page" %}<span class="pb" id="pg_{{ text }}">[{{ text }}]</span>{% elif kind == "ref" %}<a href="#{{ id }}fn{{ text }}">{{ text }}</a>{% else %}{{ text }}{% endif %}{% endfor %}</p>
{% endfor %}<section class="notes">{% for n, text in notes %}<aside id="{{ id }}fn{{ n }}"><p>{{ n }}. {{ text }}</p></aside>
{% endfor %}</section></article></main></body></html>
"""

_template = Environment(autoescape=True).from_string(PAGE_HTML)


def pieces(text: str) -> list[tuple[str, str]]:
    """A paragraph's text, page markers and note numbers, in order."""
    out: list[tuple[str, str]] = []
    for i, part in enumerate(PAGE.split(text)):
        if i % 2:
            out.append(("page", part))
            continue
        for j, bit in enumerate(NOTE_REF.split(part)):
            if bit:
                out.append(("ref" if j % 2 else "text", bit))
    return out


def convert(source: Path, out: Path) -> int:
    """One source to its TEI file and its page; returns the bytes written."""
    raw = source.read_text(encoding="utf-8")
    notes = [(m.group(1), m.group(2)) for m in NOTE.finditer(raw)]
    body = NOTE.sub("", raw).strip()
    title, _, rest = body.partition("\n")
    paragraphs = [pieces(block.strip()) for block in rest.split("\n\n") if block.strip()]
    doc_id = source.stem
    div = etree.Element(f"{{{TEI_NS}}}div", {"type": "document", XML_ID: doc_id}, nsmap={None: TEI_NS})
    etree.SubElement(div, f"{{{TEI_NS}}}head").text = title.strip()
    for para in paragraphs:
        p, last = etree.SubElement(div, f"{{{TEI_NS}}}p"), None
        for kind, text in para:
            if kind == "text":
                if last is None:
                    p.text = (p.text or "") + text
                else:
                    last.tail = (last.tail or "") + text
                continue
            last = etree.SubElement(p, f"{{{TEI_NS}}}pb" if kind == "page" else f"{{{TEI_NS}}}ref")
            if kind == "page":
                last.set("n", text)
                last.set(XML_ID, f"pg_{text}")
            else:
                last.set("target", f"#{doc_id}fn{text}")
                last.text = text
    for n, text in notes:
        etree.SubElement(div, f"{{{TEI_NS}}}note", {"n": n, XML_ID: f"{doc_id}fn{n}"}).text = text
    tei = etree.tostring(div, encoding="utf-8", xml_declaration=True)
    page = _template.render(id=doc_id, title=title.strip(), paragraphs=paragraphs, notes=notes).encode("utf-8")
    folder = out / source.parent.name
    (folder / doc_id).mkdir(parents=True, exist_ok=True)
    (folder / f"{doc_id}.xml").write_bytes(tei)
    (folder / doc_id / "index.html").write_bytes(page)
    return len(tei) + len(page)


def _convert_all(job: tuple[list[str], str]) -> int:
    """A batch of sources (a worker's share)."""
    sources, out = job
    return sum(convert(Path(s), Path(out)) for s in sources)


def run(content: Path, out: Path, workers: int = 1) -> tuple[int, int, float]:
    """Convert every source under ``content``: (documents, bytes written, seconds)."""
    start = time.perf_counter()
    sources = sorted(str(p) for p in content.glob("*/d*.txt"))
    if workers <= 1:
        written = _convert_all((sources, str(out)))
    else:
        batches = [(sources[k:k + 64], str(out)) for k in range(0, len(sources), 64)]
        with get_context("fork" if sys.platform.startswith("linux") else "spawn").Pool(workers) as pool:
            written = sum(pool.imap_unordered(_convert_all, batches))
    return len(sources), written, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Command line: convert, then print the documents per second."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("content", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args(argv)
    docs, written, seconds = run(args.content, args.out, args.workers)
    if not docs:
        raise SystemExit(f"{args.content}: no sources (*/d*.txt)")
    print(f"{docs} documents, {written / 1e6:.1f} MB, {seconds:.2f} s, {docs / seconds:.0f} documents/s "
          f"on {args.workers} process(es)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
