"""Benchmark (slow): importing a volume of 2,000 documents, built by repeating the test volume's."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest

from despatch.sources.frus_import import import_volume
from despatch.tei.xmlio import NS, XML_ID, parse_file, serialize

FIXTURE = Path(__file__).parent / "fixtures" / "tei" / "frus-test-volume.xml"


def big_volume(copies: int) -> bytes:
    """The test volume with its chapters repeated, every id given a suffix per copy."""
    root = parse_file(FIXTURE).getroot()
    [comp] = root.xpath("//tei:div[@type='compilation']", namespaces=NS)
    chapters = comp.xpath("tei:div[@type='chapter']", namespaces=NS)
    for k in range(1, copies):
        for chapter in chapters:
            twin = copy.deepcopy(chapter)
            for el in twin.iter():
                if el.get(XML_ID):
                    el.set(XML_ID, f"{el.get(XML_ID)}x{k}")
            comp.append(twin)
    return serialize(root)


@pytest.mark.slow
def test_import_of_a_large_volume(tmp_path: Path) -> None:
    source = tmp_path / "big.xml"
    source.write_bytes(big_volume(250))
    start = time.perf_counter()
    summary = import_volume(source, tmp_path / "content")
    elapsed = time.perf_counter() - start
    print(f"\nimported {summary.documents} documents ({source.stat().st_size / 1e6:.1f} MB) in {elapsed:.2f} s")
    assert summary.documents == 2000 and summary.chapters == 500
    assert parse_file(summary.folder / "d176x249.xml").getroot().get(XML_ID) == "d176x249"
