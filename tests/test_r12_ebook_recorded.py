"""A build's ebook takes each document's ids and link targets from its record, not from a walk of its
tree: the same lists, and the same EPUB, as the tree gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from despatch.apparatus.record import extract_record
from despatch.ebook.epub import write_epub
from despatch.ebook.source import Source
from despatch.sources.base import Converted
from despatch.tei.xmlio import TEI_NS, XML_ID, serialize
from gathered import gathered
from hypothesis_profiles import profile
from test_ebook_chapter import elements

IDS = st.sampled_from(["a", "d1fn", "pg_", "é"])  # the start of an NCName (libxml2 takes no other id)
TARGETS = st.sampled_from(["", "#d1", "#a", "v2#d3", "https://example.org/x"])


def _both(rec: object, path: str) -> tuple[tuple[list[str], list[str]], tuple[list[str], list[str]]]:
    told, walked = Source(rec, path, "v", None, recorded=True), Source(rec, path, "v", None)
    return (told.ids, told.targets), (walked.ids, walked.targets)


@profile()
@given(st.lists(elements(), min_size=1, max_size=4), st.data())
def test_a_record_tells_the_ids_and_targets_its_tree_has(body: list[etree._Element], data: st.DataObject) -> None:
    div = etree.Element(f"{{{TEI_NS}}}div", type="document", n="1")
    div.set(XML_ID, "d1")
    div.extend(body)
    for k, el in enumerate(div.iter(etree.Element)):
        if k and data.draw(st.booleans()):
            el.set(XML_ID, f"{data.draw(IDS)}{k}")  # each its own: libxml2 takes no id twice
        if el.tag == f"{{{TEI_NS}}}ref" and data.draw(st.booleans()):
            el.set("target", data.draw(TARGETS))
    rec = extract_record(Converted(div=div, path="v/d1.txt"), "v", 0)
    with tempfile.TemporaryDirectory() as tmp:  # not tmp_path: one folder for every example
        file = Path(tmp) / "d1.xml"
        file.write_bytes(serialize(div))
        told, walked = _both(rec, str(file))
    assert told == walked


def test_a_built_volume_is_the_same_book_from_its_records(seed_site: Path, tmp_path: Path) -> None:
    edition = gathered(seed_site)
    site = seed_site / "build" / "site"
    seen = 0
    for vol, records in edition.records.items():
        docs = [(rec, str(site / vol / f"{rec.id}.xml")) for rec in records]
        for rec, path in docs:
            told, walked = _both(rec, path)
            assert told == walked, rec.id
            seen += len(told[1])
        made = [write_epub(edition.volumes[vol], docs, tmp_path / f"{vol}-{flag}.epub", recorded=flag)
                for flag in (False, True)]
        assert made[0].read_bytes() == made[1].read_bytes()
    assert seen  # the volume links somewhere, so the targets were compared
