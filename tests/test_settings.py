"""Settings of the wrong kind in mkdocs.yml: an error at the value's place, never a traceback or a guess."""

from __future__ import annotations

from pathlib import Path

import pytest
from robust import run, write_project

from despatch.config import load_config

PLUGIN = "plugins:\n  - despatch:\n      build_dir: build\n"


def _project(tmp_path: Path, config: str) -> Path:
    root = write_project(tmp_path / "p", {})
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


@pytest.mark.parametrize(("line", "where", "found", "expected"), [
    ("      workers: many", "9:16", "found: text: 'many'", "a whole number of worker processes"),
    ("      workers: -2", "9:16", "found: a number: -2", "a whole number of worker processes"),
    ("      workers: true", "9:16", "found: true or false: True", "a whole number of worker processes"),
    ("      search: maybe", "9:15", "found: text: 'maybe'", "true or false"),
    ("      ebooks: 0", "9:15", "found: a number: 0", "true or false"),
    ("      version: 1.10", "9:16", "found: a number: 1.1", "text (quoted"),
    ("      redirects: [d1, d2]", "9:18", "found: a list: ['d1', 'd2']", "a mapping of old paths to new ones"),
    ("      redirects:\n        d1: [d2]", "10:13", "found: a list: ['d2']", "a redirect's new path"),
    ("      canonical_base: {a: b}", "9:23", "found: a mapping", "a full URL"),
    ("      canonical_base: history.state.gov/historicaldocuments/", "9:23", "found: text: 'history.state.gov/",
     "a full URL, http:// or https:// and a host"),
])
def test_a_plugin_option_of_the_wrong_kind(tmp_path: Path, line: str, where: str, found: str, expected: str) -> None:
    config = "site_name: An edition\nsite_url: https://example.org/\ndocs_dir: content\n" \
             "site_dir: build/site\nuse_directory_urls: true\n" + PLUGIN + line + "\n"
    root = _project(tmp_path, config)
    for command in ("build", "check"):
        code, err = run([command, "-f", str(root / "mkdocs.yml")])
        assert code == 1 and "Traceback" not in err and "internal error" not in err, err
        option = line.split(":")[0].strip()
        assert f"mkdocs.yml:{where}: error: mkdocs.yml: plugins → despatch → {option}" in err, err
        assert found in err and f"expected: {expected}" in err, err
    assert not (root / "build" / "site").exists()


@pytest.mark.parametrize(("config", "where", "what"), [
    ("site_name: [An, edition]\n" + PLUGIN, "1:12", "site_name is not text"),
    ("site_name: An edition\nsite_url: 5\n" + PLUGIN, "2:11", "site_url is not a full URL"),
    # A citation's URL for decades: "example.org/frus1961-63v13/d245/" is a relative path, not an address.
    ("site_name: An edition\nsite_url: example.org/\n" + PLUGIN, "2:11", "site_url is not a full URL"),
    ("site_name: An edition\nsite_url: ftp://example.org/\n" + PLUGIN, "2:11", "site_url is not a full URL"),
    ("site_name: An edition\nsite_url: 'https:///edition/'\n" + PLUGIN, "2:11", "site_url is not a full URL"),
    ("site_name: An edition\nplugins: despatch\n", "2:10", "plugins is not a list of plugins"),
    ("site_name: An edition\nplugins:\n  - despatch: [workers]\n", "3:15", "plugins → despatch is not the plugin's options"),
])
def test_a_site_setting_of_the_wrong_kind(tmp_path: Path, config: str, where: str, what: str) -> None:
    root = _project(tmp_path, config)
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and "Traceback" not in err and "internal error" not in err, err
    assert f"mkdocs.yml:{where}: error: mkdocs.yml: {what}" in err, err


def test_settings_of_their_kinds_are_read_as_given(tmp_path: Path) -> None:
    root = _project(tmp_path, "site_name: An edition\n" + PLUGIN + "      workers: 2\n      search: no\n"
                    "      release_date: 2026-11-28\n      version: \"1.10\"\n      redirects:\n        d1: d2\n"
                    "      canonical_base:\n")
    config = load_config(root / "mkdocs.yml")
    assert (config.workers, config.search, config.release_date, config.version) == (2, False, "2026-11-28", "1.10")
    assert config.redirects == {"d1": "d2"} and config.canonical_base == ""
