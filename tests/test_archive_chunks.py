"""The archives tree's files in chunks: bounded by files and by the citations they hold."""

from __future__ import annotations

from despatch.indexes import archivetree
from despatch.indexes.archivetree import _chunked


def _cites(counts: list[int]) -> dict[str, list[archivetree.Cite]]:
    return {f"f{n}": [("v", i, []) for i in range(count)] for n, count in enumerate(counts)}


def test_a_busy_file_is_a_chunk_of_its_own() -> None:
    cites = _cites([100, 1, 1, 70, 30, 30, 5])
    assert list(_chunked(list(cites), cites)) == [["f0"], ["f1", "f2"], ["f3"], ["f4", "f5"], ["f6"]]


def test_quiet_files_fill_a_chunk_to_its_count() -> None:
    cites = _cites([1] * 40)
    assert [len(part) for part in _chunked(list(cites), cites)] == [archivetree.CHUNK, 40 - archivetree.CHUNK]
