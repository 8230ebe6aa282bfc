"""Enriched official FRUS TEI stays valid TEI P5 (tei_all) and valid against the shipped schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from despatch.apparatus.context import ApparatusContext
from despatch.apparatus.enrich import enrich
from despatch.sources.tei_reader import read_tei
from despatch.tei.document import build_tei
from despatch.validate.schema import validate_tei
from despatch.volume import Volume

from test_tei_all import assert_tei_all, tei_all  # noqa: F401  (the session fixture)

CORPUS_TEI = sorted((Path(__file__).parent / "corpus" / "tei").glob("*.xml"))
VOLUME = Volume(id="v", title="T", series="S", volume="1", publisher="P", year="1994")


@pytest.mark.parametrize("path", CORPUS_TEI, ids=[p.stem for p in CORPUS_TEI])
def test_enriched_official_tei_is_valid(tei_all: etree.RelaxNG, path: Path) -> None:  # noqa: F811
    conv = read_tei(path.read_bytes(), str(path))
    persons = {"p_RD1": {"name": "Rusk, Dean"}, "p_KFD1": {"name": "Kohler, Foy D."}}
    enrich(conv.div, ApparatusContext("v", persons, {"t_NATO1": {"term": "NATO"}}))
    tree = build_tei(conv, VOLUME, path.name)
    assert validate_tei(tree, str(path)) == []
    assert_tei_all(tei_all, tree, path.name)
