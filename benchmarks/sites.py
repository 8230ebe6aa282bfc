"""The same synthetic documents as Markdown: a plain MkDocs project and a minimal Hugo site."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.corpus import PB, REF, Doc

INLINE = re.compile(f"{REF}(\\d+){REF}|{PB}(\\d+){PB}")
# A paragraph starting "774. " would be an ordered list in Markdown; the telegram number is text.
LIST_START = re.compile(r"^(\d+)\. ")


def inline_md(text: str) -> str:
    """Footnote references as [^k]; page breaks as an anchored span, as despatch marks them."""
    def sub(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return f"[^{m.group(1)}]"
        return f'<span class="pb" id="pg_{m.group(2)}">[Page {m.group(2)}]</span>'
    return INLINE.sub(sub, text)


def to_markdown(doc: Doc) -> str:
    """One document as Markdown with footnotes (python-markdown's extension, Hugo's Goldmark)."""
    out = [f"# {doc.n}. {inline_md(doc.title)}", ""]
    for kind, value in doc.blocks:
        if kind == "p":
            out += [LIST_START.sub(r"\1\\. ", inline_md(str(value))), ""]
        elif kind == "ul":
            out += ["    " * lvl + f"- {t}" for lvl, t in value] + [""]  # type: ignore[union-attr]
        elif kind == "lines":
            out += [f"- {t}" for t in value] + [""]  # type: ignore[union-attr]
        elif kind == "ol":
            out += [f"{i}. {t}" for i, (_, t) in enumerate(value, 1)] + [""]  # type: ignore[arg-type]
        elif kind == "pb":
            out += [f'<p class="pb" id="pg_{value}">[Page {value}]</p>', ""]
        else:
            out += [str(value), ""]
    out += [f"[^{k}]: {note}" for k, note in enumerate(doc.notes)]
    return "\n".join(out) + "\n"


def write(path: Path, text: str) -> None:
    """Write a file, making its folder; identical files stay untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def volume_index(meta: dict[str, str], docs: list[tuple[int, str]], suffix: str) -> str:
    """A volume's page: its title and a list of its documents (number, title)."""
    rows = [f"- [{n}. {title}](d{n}{suffix})" for n, title in docs]
    return f"# {meta['title']}\n\n" + "\n".join(rows) + "\n"


class MkDocsWriter:
    """docs/<vol>/d<n>.md, docs/<vol>/index.md; the navigation is MkDocs' own, built from the files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        write(root / "mkdocs.yml", "site_name: Synthetic benchmark edition\nsite_url: https://example.org/\n"
              "docs_dir: docs\nsite_dir: site\nuse_directory_urls: true\ntheme:\n  name: mkdocs\n"
              "markdown_extensions:\n  - footnotes\n")

    def document(self, meta: dict[str, str], doc: Doc) -> None:
        write(self.root / "docs" / meta["id"] / f"d{doc.n}.md", to_markdown(doc))

    def volume(self, meta: dict[str, str], docs: list[tuple[int, str]]) -> None:
        write(self.root / "docs" / meta["id"] / "index.md", volume_index(meta, docs, ".md"))

    def finish(self, volumes: list[dict[str, str]]) -> None:
        rows = "\n".join(f"- [{m['title']}]({m['id']}/index.md)" for m in volumes)
        write(self.root / "docs" / "index.md", f"# Synthetic benchmark edition\n\n{rows}\n")


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Synthetic benchmark edition"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = true
"""
BASEOF = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
SINGLE = """{{ define "main" }}<nav><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></nav>
<article>{{ .Content }}</article>
<nav>{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages.ByWeight }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""
CSS = "body{max-width:40rem;margin:auto;font-family:serif;line-height:1.5}.pb{color:#666}\n"


class HugoWriter:
    """A minimal Hugo site: generated layouts, one content file per document, a section per volume."""

    def __init__(self, root: Path, config: str = HUGO_CONFIG) -> None:
        self.root = root
        write(root / "config.toml", config)
        write(root / "layouts" / "_default" / "baseof.html", BASEOF)
        write(root / "layouts" / "_default" / "single.html", SINGLE)
        write(root / "layouts" / "_default" / "list.html", LIST)
        write(root / "layouts" / "index.html", LIST)
        write(root / "static" / "style.css", CSS)

    def document(self, meta: dict[str, str], doc: Doc) -> None:
        title = INLINE.sub("", doc.title).replace('"', '\\"')
        front = f'---\ntitle: "{doc.n}. {title}"\nweight: {doc.n}\n---\n'
        write(self.root / "content" / meta["id"] / f"d{doc.n}.md", front + to_markdown(doc))

    def volume(self, meta: dict[str, str], docs: list[tuple[int, str]]) -> None:
        write(self.root / "content" / meta["id"] / "_index.md",
              f'---\ntitle: "{meta["title"]}"\n---\n')

    def finish(self, volumes: list[dict[str, str]]) -> None:
        write(self.root / "content" / "_index.md", '---\ntitle: "Synthetic benchmark edition"\n---\n')
