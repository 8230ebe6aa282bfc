"""Pagefind's filters and metadata rewritten in one order: the same pages give the same bytes."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from robust import corpus_project, tree_digest

from despatch.config import load_config
from despatch.search.canon import SIGNATURE, Map, decode, encode, read, stabilize
from despatch.site.build import build

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=5) | st.lists(st.tuples(st.text(), inner), max_size=5).map(Map),
    max_leaves=30)


@given(values)
def test_cbor_reads_back_what_it_wrote(value: object) -> None:
    assert decode(encode(value)) == value


def test_cbor_lengths_are_the_shortest() -> None:
    assert encode(23) == b"\x17" and encode(24) == b"\x18\x18" and encode(256) == b"\x19\x01\x00"
    assert encode("a") == b"\x61a" and encode([1, -1]) == b"\x82\x01\x20"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A volume's search bundle, as a build writes it."""
    root = corpus_project(tmp_path_factory.mktemp("stable") / "edition", tei=False, search=True, limit=12)
    build(load_config(root / "mkdocs.yml", workers=1))
    return next((root / "build" / "site").glob("*/pagefind"))


def _meta(folder: Path) -> Path:
    return next(folder.glob("pagefind.*.pf_meta"))


def _shuffle(folder: Path) -> None:
    """Reverse the order of every filter's values and of the metadata's filters and sorts, as another run may."""
    meta = read(_meta(folder))
    for i, field in enumerate(meta):
        if isinstance(field, list) and field and all(isinstance(p, list) and len(p) == 2 for p in field) \
                and isinstance(field[0][1], (str, list)) and not isinstance(field[0][1], int):
            for pair in field:
                path = folder / "filter" / f"{pair[1]}.pf_filter"
                if isinstance(pair[1], str) and path.is_file():
                    name, vals = read(path)
                    raw = SIGNATURE + encode([name, list(reversed(vals))])
                    path.unlink()
                    pair[1] = pair[1][:-1] + ("x" if pair[1][-1] != "x" else "y")
                    (folder / "filter" / f"{pair[1]}.pf_filter").write_bytes(gzip.compress(raw))
            meta[i] = list(reversed(field))
    old = _meta(folder)
    old.unlink()
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    entry["languages"]["en"]["hash"] = "en_shuffled00"
    (folder / "pagefind.en_shuffled00.pf_meta").write_bytes(gzip.compress(SIGNATURE + encode(meta)))
    (folder / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")


def test_another_order_gives_the_same_files(bundle: Path, tmp_path: Path) -> None:
    shuffled = shutil.copytree(bundle, tmp_path / "shuffled")
    _shuffle(shuffled)
    assert tree_digest(shuffled) != tree_digest(bundle)
    assert len(read(_meta(bundle))[3]) >= 3, "the bundle has filters to order"
    assert stabilize(shuffled)
    assert tree_digest(shuffled) == tree_digest(bundle)
    assert stabilize(shuffled) and tree_digest(shuffled) == tree_digest(bundle)  # a second pass changes nothing


def test_values_are_sorted_and_the_entry_names_the_metadata(bundle: Path) -> None:
    meta = read(_meta(bundle))
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert _meta(bundle).name == f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    filters = meta[3]
    assert filters == sorted(filters)
    for _, file_hash in filters:
        _, vals = read(bundle / "filter" / f"{file_hash}.pf_filter")
        assert [v[0] for v in vals] == sorted(v[0] for v in vals)


def test_a_layout_not_known_is_left_as_it_was(bundle: Path, tmp_path: Path) -> None:
    other = shutil.copytree(bundle, tmp_path / "other")
    _meta(other).write_bytes(gzip.compress(b"another format"))
    before = tree_digest(other)
    assert not stabilize(other)
    assert tree_digest(other) == before


def _memory_folder() -> Path:
    """A folder on a file system that lists a folder's entries in the order they were made (tmpfs)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        pytest.skip("no memory file system here")
    return shm


def test_bundles_do_not_follow_the_order_the_workers_wrote_pages_in(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from despatch.site import renderstage, stages
    from despatch.site.worker import init

    def backwards(fn, items, shared, *args, **kwargs):  # type: ignore[no-untyped-def]
        # The last pages written first, as a busy worker may; the answers given back in order.
        init(shared)
        done = [fn(item) for item in reversed(list(items))]
        return iter(reversed(done))

    with tempfile.TemporaryDirectory(dir=_memory_folder()) as tmp:
        digests = []
        for name in ("forward", "backward"):
            root = corpus_project(Path(tmp) / name, tei=False, search=True, limit=12)
            if name == "backward":
                monkeypatch.setattr(stages, "pmap", backwards)
                monkeypatch.setattr(renderstage, "pmap", backwards)
            build(load_config(root / "mkdocs.yml", workers=1))
            digests.append([tree_digest(b) for b in sorted((root / "build" / "site").glob("*/pagefind"))])
        assert digests[0] == digests[1]
