"""The benchmark's Hugo site of despatch's shape: the terms it asks for, and the pages Hugo writes of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate
from benchmarks.hugosite import archive_terms
from benchmarks.report import hugo_lines


def test_archive_terms_name_each_archive_collection_and_unit() -> None:
    """A decimal file without its date code; an "Ibid." files under the citation before it; a lot."""
    notes = ["Source: Department of State, Central Files, 762A.00/1–158. Secret.",
             "Telegram 123, May 2, reported the talks. (Ibid., 762A.5611/5–262)",
             "Ball sent a memorandum. (Department of State, Conference Files: Lot 62 D 199, CF 2718)"]
    assert archive_terms(notes) == [
        "Department of State", "Department of State/Central Files", "Department of State/Central Files/762A.00",
        "Department of State/Central Files/762A.5611", "Department of State/Conference Files",
        "Department of State/Conference Files/Lot 62 D 199"]
    assert archive_terms(["Source: Kennedy Library, National Security Files, Countries Series, France. Secret."]) == [
        "Kennedy Library", "Kennedy Library/National Security Files",
        "Kennedy Library/National Security Files/Countries Series"]
    assert archive_terms(["Not printed.", "(Ibid., 711.00/5–462)"]) == []  # an Ibid. with nothing before it


def front(text: str) -> dict[str, list[str]]:
    """The lists of a generated document's front matter (``key: ["a", "b"]``)."""
    head = text.split("\n---\n", 1)[0]
    return {m.group(1): re.findall(r'"([^"]*)"', m.group(2)) for m in re.finditer(r"^(\w+): (\[.*\])$", head, re.MULTILINE)}


@pytest.mark.skipif(shutil.which("hugo") is None, reason="Hugo is not installed (CI installs it)")
def test_hugo_writes_the_pages_despatch_writes(tmp_path: Path) -> None:
    """Each note's address redirects to its document; each printed page, archive term and month has a
    page listing the documents that name it; each document is written as XML too."""
    generate(tmp_path, 30, seed=3, formats=("hugo-site",))
    site = tmp_path / "hugo-site"
    subprocess.run(["hugo", "--quiet", "-d", "public"], cwd=site, check=True, timeout=120)
    public = site / "public"
    docs = sorted(site.glob("content/*/d*.md"))
    assert len(docs) == 30
    terms: set[str] = set()
    for doc in docs:
        vol, name = doc.parent.name, doc.stem
        meta = front(doc.read_text(encoding="utf-8"))
        link = f'href="/{vol}/{name}/"'
        assert (public / vol / name / "index.html").is_file()
        assert "<TEI" in (public / vol / name / "tei.xml").read_text(encoding="utf-8")
        assert len(meta["aliases"]) == 3
        for alias in meta["aliases"]:
            page = (public / alias.strip("/") / "index.html").read_text(encoding="utf-8")
            assert f"url=https://example.org/{vol}/{name}/" in page
        assert meta["archives"] and meta["printed"] and meta["months"]
        for folder in [f"archives/{t}" for t in meta["archives"]] + [f"printed/{meta['printed'][0]}",
                                                                    f"months/{meta['months'][0]}"]:
            slug = re.sub(r"[^\w./-]+", "-", folder.lower().replace("’", "")).strip("-")
            assert link in (public / slug / "index.html").read_text(encoding="utf-8"), slug
        terms.update(meta["archives"])
    written = {p.parent.relative_to(public / "archives").as_posix() for p in (public / "archives").rglob("index.html")}
    assert len(written) == len(terms) + 1  # and the taxonomy's own page


def test_the_report_gives_despatch_without_search_against_each_hugo_site() -> None:
    rows = [{"size": 5000, "tool": "despatch-nosearch", "docs_per_s": 1000.0},
            {"size": 5000, "tool": "hugo", "docs_per_s": 4000.0},
            {"size": 5000, "tool": "hugo-site", "docs_per_s": 800.0},
            {"size": 500, "tool": "hugo", "docs_per_s": 2500.0},  # no despatch row at that size: no line
            {"size": 20000, "tool": "despatch-nosearch", "docs_per_s": 900.0},
            {"size": 20000, "tool": "hugo-site", "docs_per_s": 10.0, "returncode": 1}]  # a failed build: no ratio
    assert hugo_lines(rows) == ["", "without search at 5000 documents, despatch ÷ hugo 0.25, ÷ hugo-site 1.25"]
