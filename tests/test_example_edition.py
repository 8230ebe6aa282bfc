"""The example edition in content/: every volume builds, and the corpus volumes show as real volumes.

The corpus volumes (frus1958-60v07p2, frus1961-63v16) hold the corpus documents as text sources,
with volume.yml, persons.yml, terms.yml and toc.yml taken from the official volume files.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import yaml

from conftest import CORPUS, ROOT, copy_project
from despatch.config import load_config
from despatch.site.build import build
from despatch.site.result import BuildFailed, BuildResult
from despatch.volume import load_volume

CONTENT = ROOT / "content"
CORPUS_VOLUMES = ("frus1958-60v07p2", "frus1961-63v16")
# Corpus documents left out of the example (none: every corpus text converts and links).
LEFT_OUT: set[tuple[str, str]] = set()


def _corpus_docs(vol: str) -> list[str]:
    """Ids of the corpus's documents of one volume, in number order."""
    ids = [p.stem.split("_", 1)[1] for p in (CORPUS / "text").glob(f"{vol}_d*.txt")]
    return sorted(ids, key=lambda d: int(d[1:]))


def _html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def _build(root: Path) -> BuildResult:
    """Build a copied project; the errors of a failed build come back in the result's report."""
    # The URL ledger is the working tree's record of past builds (with search pages); these tests
    # build without search and ebooks, which are other products, and look at the pages only.
    (root / "content" / "urls.lock").unlink(missing_ok=True)
    try:
        return build(load_config(root / "mkdocs.yml", search=False, ebooks=False))
    except BuildFailed as failed:
        return BuildResult(report=failed.report)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The whole example edition, copied and built once for this module."""
    root = copy_project(tmp_path_factory.mktemp("example") / "p")
    return root, _build(root)


@pytest.fixture(scope="module")
def site(example: tuple[Path, BuildResult]) -> Path:
    return example[0] / "build" / "site"


def test_every_volume_builds(example: tuple[Path, BuildResult], site: Path) -> None:
    _, result = example
    assert [str(d) for d in result.report.errors] == []
    volumes = sorted(p.parent.name for p in CONTENT.glob("*/volume.yml"))
    assert set(CORPUS_VOLUMES) <= set(volumes)
    assert result.volumes == len(volumes)
    for vol in volumes:
        assert (site / vol / "index.html").is_file(), vol
        sources = [p for p in (CONTENT / vol).iterdir() if p.suffix in (".txt", ".md", ".xml")]
        for source in sources:
            assert (site / vol / source.stem / "index.html").is_file(), f"{vol}/{source.name}"


@pytest.mark.parametrize("vol", CORPUS_VOLUMES)
def test_text_sources_are_the_corpus_unchanged(vol: str) -> None:
    # The sources are the corpus's text copies byte for byte: nothing was edited to make them pass.
    present = sorted(p.stem for p in (CONTENT / vol).glob("d*.txt"))
    expected = [d for d in _corpus_docs(vol) if (vol, d) not in LEFT_OUT]
    assert sorted(present) == sorted(expected)
    for doc in present:
        assert (CONTENT / vol / f"{doc}.txt").read_bytes() == (CORPUS / "text" / f"{vol}_{doc}.txt").read_bytes()


@pytest.mark.parametrize("vol", CORPUS_VOLUMES)
def test_corpus_document_pages(site: Path, vol: str) -> None:
    for doc in sorted(p.stem for p in (CONTENT / vol).glob("d*.txt")):
        page = _html(site / vol / doc / "index.html")
        first_line = (CONTENT / vol / f"{doc}.txt").read_text(encoding="utf-8").split("\n", 1)[0]
        # The text's first line is the heading with the source note's marker (0) glued on.
        assert page.cssselect("h1")[0].text_content() == first_line, doc
        assert (site / vol / f"{doc}.xml").is_file()


@pytest.mark.parametrize("vol", CORPUS_VOLUMES)
def test_volume_metadata(site: Path, vol: str) -> None:
    volume = load_volume(CONTENT / vol / "volume.yml")
    assert volume.id == vol
    assert volume.series == "Foreign Relations of the United States"
    assert volume.editors and volume.general_editor and volume.year
    assert volume.title in {"Foreign Relations of the United States, 1958–1960, Western Europe, Volume VII, Part 2",
                            "Foreign Relations of the United States, 1961–1963, Volume XVI, "
                            "Eastern Europe; Cyprus; Greece; Turkey"}
    page = _html(site / vol / "index.html")
    assert page.cssselect("h1")[0].text_content() == volume.title
    assert ", ".join(volume.editors) in page.cssselect("p.editors")[0].text_content()


@pytest.mark.parametrize("vol", CORPUS_VOLUMES)
def test_volume_page_lists_documents_in_number_order(site: Path, vol: str) -> None:
    page = _html(site / vol / "index.html")
    toc = yaml.safe_load((CONTENT / vol / "toc.yml").read_text(encoding="utf-8"))
    sections = page.cssselect("section.chapter")
    assert [s.cssselect("h2")[0].text_content() for s in sections] == [c["title"] for c in toc["chapters"]]
    numbers, links = [], []
    for section in sections:
        for row in section.cssselect("tbody tr"):
            numbers.append(int(row.cssselect("td")[0].text_content()))
            links.append(row.cssselect("a")[0].get("href"))
    present = sorted(int(p.stem[1:]) for p in (CONTENT / vol).glob("d*.txt"))
    assert numbers == present
    assert links == [f"d{n}/" for n in present]


@pytest.mark.parametrize("vol", CORPUS_VOLUMES)
def test_lists_hold_every_person_and_term_the_corpus_references(vol: str) -> None:
    persons = yaml.safe_load((CONTENT / vol / "persons.yml").read_text(encoding="utf-8"))
    terms = yaml.safe_load((CONTENT / vol / "terms.yml").read_text(encoding="utf-8"))
    assert all(set(e) == {"name", "description"} for e in persons.values())
    assert all(set(e) == {"term", "description"} for e in terms.values())
    for tei in (CORPUS / "tei").glob(f"{vol}_d*.xml"):
        text = tei.read_text(encoding="utf-8")
        assert set(re.findall(r'corresp="#(p_[^"]+)"', text)) <= set(persons), tei.name
        assert set(re.findall(r'target="#(t_[^"]+)"', text)) <= set(terms), tei.name


@pytest.mark.parametrize("vol", CORPUS_VOLUMES)
def test_person_mentions_link_to_the_persons_page_and_back(site: Path, vol: str) -> None:
    listing = _html(site / vol / "persons" / "index.html")
    linked = 0
    for doc in sorted(p.stem for p in (CONTENT / vol).glob("d*.txt")):
        page = _html(site / vol / doc / "index.html")
        for a in page.cssselect("a.person"):
            path, _, ident = a.get("href").partition("#")
            assert path == "../persons/", (doc, a.get("href"))
            entry = listing.get_element_by_id(ident)
            assert entry.tag == "dt"
            back = [x.get("href") for x in entry.getnext().cssselect("a")]
            assert f"../{doc}/" in back, (doc, ident)
            linked += 1
    assert linked > 20


@pytest.mark.parametrize(("vol", "doc"), [("frus1961-63v16", "d186"), ("frus1961-63v16", "d206"),
                                          ("frus1958-60v07p2", "d60")])
def test_persons_the_official_tei_marks_are_linked(site: Path, vol: str, doc: str) -> None:
    official = set(re.findall(r'corresp="#(p_[^"]+)"', (CORPUS / "tei" / f"{vol}_{doc}.xml").read_text("utf-8")))
    page = _html(site / vol / doc / "index.html")
    linked = {a.get("href").partition("#")[2] for a in page.cssselect("a.person")}
    assert official and official <= linked


def test_pronoun_i_is_not_a_person(site: Path) -> None:
    page = _html(site / "frus1961-63v16" / "d192" / "index.html")
    assert [a.get("href") for a in page.cssselect("a.person") if a.text_content() == "I"] == []


def test_other_part_of_a_volume_links_to_it(site: Path) -> None:
    """d70 cites "Part 1, Document 40, footnote 1": the other part of the same volume."""
    hrefs = [a.get("href") for a in _html(site / "frus1958-60v07p2" / "d70" / "index.html").cssselect("a")]
    assert any(h.endswith("frus1958-60v07p1/d40#d40fn1") for h in hrefs)
