"""Build-time link checking and the Linker: inside the edition, external, dangling."""

from __future__ import annotations

from pathlib import Path

import pytest

from despatch.apparatus.links import EditionIndex, LinkStats, check_links, resolve
from despatch.config import load_config
from despatch.model import DocRecord
from despatch.render.linker import Linker
from despatch.site.build import build
from despatch.site.result import BuildFailed

V = "frus1961-63v13"


def rec(doc_id: str, refs=(), pages=(), anchors=(), **kw) -> DocRecord:
    return DocRecord(volume=V, id=doc_id, n=doc_id[1:], title=doc_id, source=f"content/{V}/{doc_id}.txt",
                     refs=list(refs), pages=list(pages), anchors=[doc_id, *anchors], **kw)


def config(tmp_path: Path, strict: bool = True):
    cfg = load_config(tmp_path / "mkdocs.yml")
    cfg.strict_links = strict
    return cfg


EDITION = [
    rec("d245", refs=[("#d246fn1", 18), ("#d136", 18), ("frus1961-63v08#d49", 19), ("#pg_691", 5)],
        pages=["691"], anchors=["d245fn1", "pg_691"]),
    rec("d246", anchors=["d246fn1"]),
]


def test_targets_resolve_against_the_linked_documents_anchors() -> None:
    index = EditionIndex.of(EDITION)
    first = EDITION[0]
    assert resolve("#d246fn1", first, index, set()) == (None, False)
    assert resolve("#d246fn9", first, index, set())[0] == f"d246 of {V} has no anchor 'd246fn9'"
    assert resolve("#d136", first, index, set()) == (None, True)
    assert resolve("#d136", first, index, {V}) == (f"document d136 is not in volume {V}", False)
    assert resolve("#d246", first, index, set()) == (None, False)
    assert resolve("frus1961-63v08#d49", first, index, {V}) == (None, True)
    assert resolve("#pg_691", first, index, set()) == (None, False) and index.pages(V) == {"pg_691"}


def test_resolving_and_external_targets_are_counted(tmp_path: Path) -> None:
    stats = LinkStats()
    assert check_links(EDITION, config(tmp_path), stats=stats) == []
    assert (stats.internal, stats.external, stats.dangling) == (2, 2, 0)
    assert stats.external_volumes == {V, "frus1961-63v08"}


def test_a_dangling_anchor_names_the_source_file_and_line(tmp_path: Path) -> None:
    records = [rec("d245", refs=[("#d246fn9", 18)]), rec("d246", anchors=["d246fn1"])]
    [diag] = check_links(records, config(tmp_path))
    assert (diag.path, diag.line, diag.severity) == (f"content/{V}/d245.txt", 18, "error")
    assert "d246 of frus1961-63v13 has no anchor 'd246fn9'" in diag.message
    assert diag.found == "#d246fn9"


def test_strict_links_off_gives_warnings(tmp_path: Path) -> None:
    records = [rec("d245", refs=[("#d246fn9", 18)]), rec("d246")]
    [diag] = check_links(records, config(tmp_path, strict=False))
    assert diag.severity == "warning"


def test_a_missing_document_of_a_complete_volume_is_an_error(tmp_path: Path) -> None:
    records = [rec("d245", refs=[("#d136", 18), ("#pg_12", 4)])]
    assert check_links(records, config(tmp_path)) == []
    diags = check_links(records, config(tmp_path), complete=[V])
    assert [d.message.split(": ", 1)[1] for d in diags] == [
        "document d136 is not in volume frus1961-63v13", "page 12 is not in volume frus1961-63v13"]


def test_malformed_targets_are_errors(tmp_path: Path) -> None:
    [diag] = check_links([rec("d245", refs=[("#not a target", 3)])], config(tmp_path))
    assert "not a link target" in diag.message and diag.line == 3


def test_persons_and_terms_must_be_listed(tmp_path: Path) -> None:
    records = [rec("d245", person_refs=[("p_RD1", 1), ("p_XX1", 17)], term_refs=[("t_NATO1", 17)])]
    persons = {V: {"p_RD1": {"name": "Rusk, Dean"}}}
    terms = {V: {"t_NATO1": {"term": "NATO"}}}
    [diag] = check_links(records, config(tmp_path), persons=persons, terms=terms)
    assert (diag.line, diag.found) == (17, "#p_XX1")
    assert "person 'p_XX1' mentioned in d245 is not in the persons list" in diag.message
    # A volume without lists is not checked.
    assert check_links(records, config(tmp_path), persons={}, terms={}) == []


def test_the_build_fails_on_a_dangling_reference(project: Path) -> None:
    seed = project / "content" / V / "d245.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace(
        "see Documents 136 and 137.", "see footnote 7, Document 245."), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(load_config(project / "mkdocs.yml", search=False, ebooks=False))
    [diag] = failed.value.report.errors
    assert diag.path == f"content/{V}/d245.txt" and diag.line == 18
    assert "has no anchor 'd245fn7'" in diag.message


LINKER = Linker(volume=V, docs=frozenset({(V, "d245"), (V, "d246")}),
                canonical_base="https://history.state.gov/historicaldocuments/",
                persons={"p_RD1": "Secretary of State"}, terms={"t_NATO1": "North Atlantic Treaty Organization"},
                pages=frozenset({(V, "691")}))


@pytest.mark.parametrize("target,expected", [
    ("#d246", (f"{V}/d246/", False)),
    ("#d246fn2", (f"{V}/d246/#d246fn2", False)),
    ("#pg_691", (f"{V}/pg_691/", False)),
    ("#d136", (f"https://history.state.gov/historicaldocuments/{V}/d136", True)),
    ("#pg_770", (f"https://history.state.gov/historicaldocuments/{V}/pg_770", True)),
    ("frus1961-63v08#d49", ("https://history.state.gov/historicaldocuments/frus1961-63v08/d49", True)),
    ("frus1961-63v08#d49fn2", ("https://history.state.gov/historicaldocuments/frus1961-63v08/d49#d49fn2", True)),
])
def test_linker_targets(target: str, expected: tuple[str, bool]) -> None:
    assert LINKER.ref(target) == expected


def test_a_mention_links_to_its_entry_and_describes_it() -> None:
    linker = Linker(volume=V, persons={"p_RD1": "Secretary <of> State"})
    html = linker.mention("person", "p_RD1", "Rusk", "../persons/#p_RD1")
    assert html == ('<a class="person" href="../persons/#p_RD1" title="Secretary &lt;of&gt; State" '
                    'aria-describedby="tip-p_RD1-1">Rusk</a><span class="mention-tip" role="tooltip" '
                    'id="tip-p_RD1-1" data-pagefind-ignore hidden>Secretary &lt;of&gt; State</span>')
    assert 'id="tip-p_RD1-2"' in linker.mention("person", "p_RD1", "Rusk", "../persons/#p_RD1")
    assert linker.mention("term", "t_X1", "X", "../terms/#t_X1") == '<a class="term" href="../terms/#t_X1">X</a>'
