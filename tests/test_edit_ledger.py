"""The URL ledger's hash, kept while the ledger's time, size and inode stand."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from despatch.config import load_config
from despatch.site.cache import _hash_files as hash_files
from despatch.site.cache import ledger_hash


def _project(tmp_path: Path) -> tuple[object, Path, Path]:
    (tmp_path / "content").mkdir()
    (tmp_path / "build" / ".cache").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    ledger = tmp_path / "content" / "urls.lock"
    return load_config(tmp_path / "mkdocs.yml"), ledger, tmp_path / "build" / ".cache" / "ledger.json"


def _age(path: Path) -> None:
    past = time.time() - 60
    os.utime(path, (past, past))


def test_the_kept_hash_is_the_ledger_s_and_stands_while_the_file_does(tmp_path: Path) -> None:
    config, ledger, kept = _project(tmp_path)
    ledger.write_text("a\n", encoding="utf-8")
    assert ledger_hash(config) == hash_files([ledger])
    assert not kept.exists()  # just written: its time could not tell a change within the same tick
    _age(ledger)
    assert ledger_hash(config) == hash_files([ledger])
    saved = json.loads(kept.read_text(encoding="utf-8"))
    assert saved["hash"] == hash_files([ledger])
    # Taken from the kept file while the ledger stands (a forged hash comes back)...
    kept.write_text(json.dumps({**saved, "hash": "forged"}), encoding="utf-8")
    assert ledger_hash(config) == "forged"
    # ...and not once it changed, even to the same size.
    ledger.write_text("b\n", encoding="utf-8")
    assert ledger_hash(config) == hash_files([ledger]) != saved["hash"]


def test_no_ledger_and_no_cache_folder(tmp_path: Path) -> None:
    config, ledger, kept = _project(tmp_path)
    assert ledger_hash(config) == hash_files([])
    ledger.write_text("a\n", encoding="utf-8")
    _age(ledger)
    kept.parent.rmdir()
    assert ledger_hash(config) == hash_files([ledger])
