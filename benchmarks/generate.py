"""Write a seeded synthetic edition: telegram text for despatch, the same documents as Markdown for
MkDocs and Hugo. Same seed and size → byte-identical files.

    python benchmarks/generate.py OUT --docs 5000 [--seed 1] [--per-volume 500] [--formats text,mkdocs,hugo,hugo-site] [--pages-apart]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import sites  # noqa: E402
from benchmarks.corpus import ERAS, PB, REF, Doc, make_doc  # noqa: E402
from benchmarks.hugosite import HugoSiteWriter  # noqa: E402

ROMAN = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
INLINE = re.compile(f"{REF}(\\d+){REF}|{PB}(\\d+){PB}")
# Newlines a block wants (before, after); between two blocks the larger requirement wins.
SPACING = {"p": (2, 2), "ul": (2, 1), "lines": (2, 1), "ol": (2, 1), "pb": (1, 1), "sig": (2, 1)}


def roman(n: int) -> str:
    """Volume numbers are printed in Roman numerals."""
    out = ""
    for value, sym in ROMAN:
        while n >= value:
            out, n = out + sym, n - value
    return out


def volume_sizes(n: int, per_volume: int) -> list[int]:
    """Spread n documents evenly over at least two volumes of about per_volume documents."""
    count = max(2, -(-n // per_volume)) if n > 1 else 1
    return [n // count + (i < n % count) for i in range(count)]


def volume_meta(i: int) -> dict[str, str]:
    """Id and bibliographic data of synthetic volume i (eras in turn, numbered within the era)."""
    era = list(ERAS)[i % len(ERAS)]
    num = i // len(ERAS) + 1
    y0, y1 = ERAS[era][0], ERAS[era][1]
    return {"id": f"frus{era}v{num}", "era": era, "volume": roman(num),
            "title": f"Foreign Relations of the United States, {y0}–{y1}, Volume {roman(num)}, "
                     f"Synthetic Benchmark Volume {i + 1}",
            "subtitle": f"Synthetic Benchmark Volume {i + 1}"}


def documents(meta: dict[str, str], size: int, seed: int) -> Iterator[Doc]:
    """The volume's documents in order, dates and printed pages increasing through it."""
    y0, y1 = ERAS[meta["era"]][0], ERAS[meta["era"]][1]
    first, last = dt.date(y0, 1, 1).toordinal(), dt.date(y1, 12, 31).toordinal()
    pages = random.Random(f"{seed}/{meta['id']}/pages")
    page = 1
    for k in range(1, size + 1):
        day = dt.date.fromordinal(first + (k - 1) * (last - first) // max(1, size))
        page += pages.randint(1, 3)
        rng = random.Random(f"{seed}/{meta['id']}/{k}")
        yield make_doc(rng, meta["era"], k, (day.year, day.month, day.day), page)


def inline_text(text: str) -> str:
    """Telegram text: references glued as digits, page breaks as [Page N]."""
    return INLINE.sub(lambda m: m.group(1) if m.group(1) is not None else f"[Page {m.group(2)}]", text)


def to_text(doc: Doc) -> str:
    """The document in the telegram text format (no newline at the end, like a copied page)."""
    parts = [f"{doc.n}. {inline_text(doc.title)}"]
    prev = "p"
    for kind, value in doc.blocks:
        parts.append("\n" * max(SPACING[prev][1], SPACING[kind][0]))
        if kind == "p":
            parts.append(inline_text(str(value)))
        elif kind == "ul":
            parts.append("\n".join("  " * (lvl + 1) + "• " + t for lvl, t in value))  # type: ignore[union-attr]
        elif kind == "lines":
            parts.append("\n".join(value))  # type: ignore[arg-type]
        elif kind == "ol":
            parts.append("\n".join(f"{label}\n{t}" for label, t in value))  # type: ignore[union-attr]
        elif kind == "pb":
            parts.append(f"[Page {value}]")
        else:
            parts.append(str(value))
        prev = kind
    parts.append("\n" * max(SPACING[prev][1], 1))
    parts.append("\n".join(f"  {i}. {note}" for i, note in enumerate(doc.notes, 1)))
    return "".join(parts)


def volume_yml(meta: dict[str, str]) -> str:
    """volume.yml of a synthetic volume; what a real volume would know but this one does not stays empty."""
    return (f"id: {meta['id']}\ntitle: \"{meta['title']}\"\nseries: Foreign Relations of the United States\n"
            f"volume: {meta['volume']}\nsubtitle: {meta['subtitle']}\neditors: []\npublisher: \"\"\nyear: \"\"\n")


DESPATCH_YML = """site_name: Synthetic benchmark edition
site_url: https://example.org/
docs_dir: content
site_dir: build/site
use_directory_urls: true
plugins:
  - despatch:
      build_dir: build
      strict_links: true
"""


def generate(out: Path, n: int, seed: int = 1, per_volume: int = 500,
             formats: tuple[str, ...] = ("text",), options: dict[str, str] | None = None,
             pages_apart: bool = False) -> dict[str, int]:
    """Write the edition under out/despatch (text), out/mkdocs, out/hugo and out/hugo-site (Markdown).

    ``options`` are extra despatch plugin options for mkdocs.yml (YAML values as text). ``pages_apart``:
    the Markdown pages in pages/ (MkDocs' docs_dir), the sources in content/ (``content_dir``).
    """
    writers = []
    if "text" in formats:
        root = out / "despatch"
        (root / "content").mkdir(parents=True, exist_ok=True)
        options = {**(options or {}), **({"content_dir": "content"} if pages_apart else {})}
        extra = "".join(f"      {k}: {v}\n" for k, v in sorted(options.items()))
        yml = DESPATCH_YML.replace("docs_dir: content", "docs_dir: pages") if pages_apart else DESPATCH_YML
        write_if_changed(root / "mkdocs.yml", yml + extra)
        pages = root / ("pages" if pages_apart else "content")
        pages.mkdir(exist_ok=True)
        (pages / "index.md").write_text(
            "# Synthetic benchmark edition\n\nSeeded synthetic documents for measuring builds.\n",
            encoding="utf-8")
        writers.append(TextWriter(root / "content"))
    if "mkdocs" in formats:
        writers.append(sites.MkDocsWriter(out / "mkdocs"))
    if "hugo" in formats:
        writers.append(sites.HugoWriter(out / "hugo"))
    if "hugo-site" in formats:
        writers.append(HugoSiteWriter(out / "hugo-site"))
    sizes = volume_sizes(n, per_volume)
    for i, size in enumerate(sizes):
        meta = volume_meta(i)
        docs = []
        for doc in documents(meta, size, seed):
            for w in writers:
                w.document(meta, doc)
            docs.append((doc.n, INLINE.sub("", doc.title)))
        for w in writers:
            w.volume(meta, docs)
    for w in writers:
        w.finish([volume_meta(i) for i in range(len(sizes))])
    return {"documents": n, "volumes": len(sizes)}


class TextWriter:
    """content/<vol>/volume.yml and content/<vol>/d<n>.txt."""

    def __init__(self, content: Path) -> None:
        self.content = content

    def document(self, meta: dict[str, str], doc: Doc) -> None:
        folder = self.content / meta["id"]
        folder.mkdir(parents=True, exist_ok=True)
        write_if_changed(folder / f"d{doc.n}.txt", to_text(doc))

    def volume(self, meta: dict[str, str], docs: list[tuple[int, str]]) -> None:
        write_if_changed(self.content / meta["id"] / "volume.yml", volume_yml(meta))

    def finish(self, volumes: list[dict[str, str]]) -> None:
        pass


def write_if_changed(path: Path, text: str) -> None:
    """Leave identical files untouched so a regenerated edition does not look edited to a build."""
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    """Command line: write one synthetic edition."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-volume", type=int, default=500)
    ap.add_argument("--formats", default="text", help="comma-separated: text, mkdocs, hugo, hugo-site")
    ap.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                    help="a despatch plugin option for mkdocs.yml, e.g. note_redirects=false")
    ap.add_argument("--pages-apart", action="store_true",
                    help="MkDocs' Markdown pages in pages/, the sources in content/ (content_dir): "
                         "`mkdocs serve` then lists no source at each rebuild")
    args = ap.parse_args(argv)
    info = generate(args.out, args.docs, args.seed, args.per_volume, tuple(args.formats.split(",")),
                    dict(o.split("=", 1) for o in args.option), args.pages_apart)
    print(f"{info['documents']} documents in {info['volumes']} volumes under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
