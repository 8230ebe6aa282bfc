"""Volume folders' source names kept from one build to the next while the folder stands."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from despatch.config import load_config
from despatch.errors import Report
from despatch.site import collect as collect_module
from despatch.site.collect import collect, volume_list
from despatch.site.listing import Listings
from despatch.site.readers import READERS


def _age(folder: Path, seconds: float = 60) -> None:
    past = time.time() - seconds
    os.utime(folder, (past, past))


def _never() -> tuple[list[str], bool]:
    raise AssertionError("the folder was listed again")


def _listed_once(tmp_path: Path, names: list[str]) -> tuple[Path, Path]:
    """A folder changed a minute ago, listed as ``names`` and recorded; (the folder, the record)."""
    folder = tmp_path / "v"
    folder.mkdir()
    record = tmp_path / "listing.json"
    _age(folder)
    first = Listings(record, READERS)
    assert first.names(str(folder), lambda: (names, True)) == names
    first.save()
    return folder, record


def test_a_standing_folder_is_not_listed_again(tmp_path: Path) -> None:
    folder, record = _listed_once(tmp_path, ["d1.txt", "d2.txt"])
    assert Listings(record, READERS).names(str(folder), _never) == ["d1.txt", "d2.txt"]
    # Other readers, other names: the record is not trusted.
    assert Listings(record, [".txt"]).names(str(folder), lambda: (["d1.txt"], True)) == ["d1.txt"]


def test_a_changed_or_fresh_folder_is_listed_and_a_fresh_one_not_kept(tmp_path: Path) -> None:
    folder, record = _listed_once(tmp_path, ["d1.txt"])
    (folder / "d2.txt").write_text("new", encoding="utf-8")  # the folder's time moves: now
    second = Listings(record, READERS)
    assert second.names(str(folder), lambda: (["d1.txt", "d2.txt"], True)) == ["d1.txt", "d2.txt"]
    assert second.new == {}  # changed within the clock's tick a later change could share: not kept
    second.save()
    assert Listings(record, READERS).names(str(folder), lambda: (["again"], True)) == ["again"]


def test_collect_sees_added_and_removed_sources(tmp_path: Path) -> None:
    vol = tmp_path / "content" / "v1"
    vol.mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins: [despatch]\n", encoding="utf-8")
    (vol / "volume.yml").write_text("id: v1\ntitle: One\n", encoding="utf-8")
    for name in ("d10.txt", "d2.txt", "notes.yml", "_draft.txt"):
        (vol / name).write_text("x", encoding="utf-8")
    config = load_config(tmp_path / "mkdocs.yml")
    record = tmp_path / "listing.json"
    names = lambda: [Path(s).name for s in collect(config, Report(), record)[0].sources]
    _age(vol)
    assert names() == ["d2.txt", "d10.txt"]
    assert names() == ["d2.txt", "d10.txt"]  # from the record
    (vol / "d1.txt").write_text("x", encoding="utf-8")
    assert names() == ["d1.txt", "d2.txt", "d10.txt"]
    (vol / "d10.txt").unlink()
    _age(vol, 30)  # an older time than recorded still differs from it
    assert names() == ["d1.txt", "d2.txt"]
    assert names() == ["d1.txt", "d2.txt"]


def test_a_standing_files_reading_is_kept_and_a_changed_ones_is_not(tmp_path: Path) -> None:
    record, yml = tmp_path / "listing.json", tmp_path / "volume.yml"
    yml.write_text("id: v1\n", encoding="utf-8")
    _age(yml)
    first = Listings(record, READERS, "code")
    assert first.parsed(yml, lambda: {"id": "v1", "editors": ["A"]}) == {"id": "v1", "editors": ["A"]}
    first.save()
    kept = Listings(record, READERS, "code").parsed(yml, _never)
    assert kept == {"id": "v1", "editors": ["A"]}
    assert Listings(record, READERS, "other code").parsed(yml, lambda: {"id": "read"}) == {"id": "read"}
    yml.write_text("id: v2\n", encoding="utf-8")
    assert Listings(record, READERS, "code").parsed(yml, lambda: {"id": "v2"}) == {"id": "v2"}


def test_a_reading_that_json_cannot_hold_is_not_kept(tmp_path: Path) -> None:
    import datetime as dt

    record, yml = tmp_path / "listing.json", tmp_path / "toc.yml"
    yml.write_text("x", encoding="utf-8")
    _age(yml)
    first = Listings(record, READERS)
    value = {"released": dt.date(2020, 1, 2), "pair": (1, 2)}
    assert first.parsed(yml, lambda: value) is value
    assert first.files == {}
    assert Listings(record, READERS).parsed(yml, lambda: {"again": 1}) == {"again": 1}


def test_collect_sees_an_edited_volume_yml(tmp_path: Path) -> None:
    vol = tmp_path / "content" / "v1"
    vol.mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins: [despatch]\n", encoding="utf-8")
    (vol / "volume.yml").write_text("id: v1\ntitle: One\neditors: [A, B]\n", encoding="utf-8")
    (vol / "d1.txt").write_text("x", encoding="utf-8")
    _age(vol / "volume.yml")
    config = load_config(tmp_path / "mkdocs.yml")
    record = tmp_path / "listing.json"
    first = collect(config, Report(), record)[0].volume
    again = collect(config, Report(), record)[0].volume  # from the record
    assert again == first and again.title == "One" and again.editors == ["A", "B"] and again.path == first.path
    (vol / "volume.yml").write_text("id: v1\ntitle: Uno\n", encoding="utf-8")
    assert collect(config, Report(), record)[0].volume.title == "Uno"


def test_the_volumes_listed_again_are_read_again_only_when_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\n", encoding="utf-8")
    vol = tmp_path / "content" / "frus1961-63v13"
    vol.mkdir(parents=True)
    yml = vol / "volume.yml"
    yml.write_text("id: frus1961-63v13\ntitle: Western Europe\n", encoding="utf-8")
    _age(yml)
    config = load_config(tmp_path / "mkdocs.yml")
    assert [v.title for v in volume_list(config)] == ["Western Europe"]
    read = collect_module.load_volume
    calls: list[Path] = []
    monkeypatch.setattr(collect_module, "load_volume", lambda p: calls.append(p) or read(p))
    assert [v.title for v in volume_list(config)] == ["Western Europe"] and calls == []
    yml.write_text("id: frus1961-63v13\ntitle: Eastern Europe\n", encoding="utf-8")  # the same size
    assert [v.title for v in volume_list(config)] == ["Eastern Europe"] and calls == [yml]
    # Changed just now: read again each time, since a change within the clock's step would keep its time.
    assert [v.title for v in volume_list(config)] == ["Eastern Europe"] and calls == [yml, yml]
