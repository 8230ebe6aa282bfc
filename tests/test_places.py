"""Where a build writes, as mkdocs.yml says: never over the sources, never among them, never outside the
site; options despatch does not know, and a templates folder that is not there, are warned of."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from robust import TELEGRAM, run, tree_digest, write_project
from test_preview import _said_soon, _serving

from despatch.config import load_config
from despatch.mkdocs_plugin import DespatchOptions
from despatch.settings import OPTIONS

SOURCES = {"frus1969-76v01": {"d1.txt": TELEGRAM.format(n=1, body="The Ambassador called."),
                              "d2.txt": TELEGRAM.format(n=2, body="The Secretary replied.")}}
OPTION = "      ebooks: false\n"  # the last option MKDOCS writes: others are put after it


def _project(tmp_path: Path, extra: str = "", top: str = "") -> Path:
    """A small edition; ``extra``: lines among the plugin's options; ``top``: site settings."""
    root = write_project(tmp_path / "p", SOURCES)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(top + text.replace(OPTION, OPTION + extra), encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "extra.css").write_text("/* the project's own */\n", encoding="utf-8")
    return root


def _sources(root: Path) -> dict[str, str]:
    """Every file of the project but the build's: what no build may change."""
    return {k: v for k, v in tree_digest(root).items() if not k.startswith("build/")}


@pytest.mark.parametrize(("extra", "top", "where", "what"), [
    ("      site_dir: content\n", "", "11:17", "the site would be written to {root}/content, which holds the sources"),
    ("      site_dir: .\n", "", "11:17", "the site would be written to {root}, which holds the sources"),
    ("      site_dir: ..\n", "", "11:17", "the site would be written to {parent}, which holds the sources"),
    ("      site_dir: templates\n", "", "11:17",
     "the site would be written to {root}/templates, which holds the project's templates"),
    ("      site_dir: content/site\n", "", "11:17", "the site would be written inside the sources"),
    ("", "site_dir: content\n", "1:11", "the site would be written to {root}/content, which holds the sources"),
    ("      build_dir: content\n", "", "11:18", "the site would be written inside the sources"),
    ("      content_dir: build/site\n", "", "6:18",
     "the site would be written to {root}/build/site, which holds the sources"),
])
def test_a_build_never_writes_over_or_among_its_sources(tmp_path: Path, extra: str, top: str, where: str,
                                                         what: str) -> None:
    root = _project(tmp_path, extra, top)
    before = _sources(root)
    for command in ("build", "check", "serve"):
        code, err = run([command, "-f", str(root / "mkdocs.yml")])
        message = what.format(root=root, parent=root.parent)
        assert code == 1 and "Traceback" not in err, err
        assert f"mkdocs.yml:{where}: error: mkdocs.yml: {message}" in " ".join(err.split()), err
    assert _sources(root) == before
    assert not (root / "build" / "site").exists()


def test_mkdocs_build_never_cleans_a_site_folder_that_holds_the_sources(tmp_path: Path) -> None:
    """MkDocs refuses a site folder around its own pages' folder only: here the sources are kept apart,
    and despatch's own builds would write elsewhere (``site_dir`` of the plugin)."""
    root = _project(tmp_path, "      content_dir: content\n      site_dir: public\n", "site_dir: content\n")
    (root / "pages").mkdir()
    (root / "pages" / "index.md").write_text("# Test edition\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: content", "docs_dir: pages"),
                      encoding="utf-8")
    before = _sources(root)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], check=False, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    # At MkDocs' own setting, which chose the folder (despatch's would have written elsewhere).
    assert "mkdocs.yml:1:11: error: mkdocs.yml: the site would be written to" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert _sources(root) == before


@pytest.mark.parametrize("prefix", ["'../..'", "'..'", "'a/../../b'", "'a b'", "'a//b'", "'<x>'", "'./'"])
def test_a_url_prefix_is_a_path_of_url_segments(tmp_path: Path, prefix: str) -> None:
    """Joined to the site's folder, a ".." would have written the site's files outside it."""
    root = _project(tmp_path, f"      url_prefix: {prefix}\n")
    before = _sources(root)
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and "Traceback" not in err, err
    assert "mkdocs.yml:11:19: error: mkdocs.yml: plugins → despatch → url_prefix is not a path of URL segments" \
        in " ".join(err.split()), err
    assert _sources(root) == before and not (root / "build").exists()


@pytest.mark.parametrize(("prefix", "folder"), [("historicaldocuments/", "historicaldocuments/"),
                                                ("/a/b-c_d.e~f/", "a/b-c_d.e~f/"), ("''", ""), ("/", "")])
def test_url_prefixes_of_url_segments_are_taken(tmp_path: Path, prefix: str, folder: str) -> None:
    root = _project(tmp_path, f"      url_prefix: {prefix}\n")
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0, err
    assert (root / "build" / "site" / folder / "frus1969-76v01" / "d1" / "index.html").is_file()


def test_an_option_despatch_does_not_know_is_warned_of_where_it_is(tmp_path: Path) -> None:
    root = _project(tmp_path, "      ebook: false\n      qwxz: 1\n")
    for _ in range(2):  # the second build finds the edition as built, and says it again
        code, err = run(["build", "-f", str(root / "mkdocs.yml")])
        flat = " ".join(err.split())
        assert code == 0, err
        assert "mkdocs.yml:11:7: warning: mkdocs.yml: plugins → despatch → ebook is not an option of despatch;" \
               " it is ignored" in flat and "expected: ebooks?" in flat, err
        assert "mkdocs.yml:12:7: warning:" in flat and "expected: one of build_dir," in flat, err
        assert "2 warning(s)" in flat, err
    code, err = run(["check", "-f", str(root / "mkdocs.yml")])
    assert code == 0 and "ebook is not an option of despatch" in err and "0 error(s), 2 warning(s)" in err, err
    # MkDocs reads the plugin's options too, and says so itself: once, not twice.
    (root / "content" / "index.md").write_text("# Test edition\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("option 'ebook'") == 1 and "Unrecognised configuration name: ebook" in done.stderr, done.stderr


def test_the_plugin_knows_the_options_despatch_reads() -> None:
    """MkDocs warned of `ledger_grow`, an option despatch reads; the two lists are one now."""
    assert {key for key, _ in DespatchOptions._schema} == set(OPTIONS)


def test_a_templates_folder_that_is_not_there_is_warned_of(tmp_path: Path) -> None:
    root = _project(tmp_path, "      templates_dir: theme\n")
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    flat = " ".join(err.split())
    assert code == 0 and "1 warning(s)" in flat, err
    assert "mkdocs.yml:11:22: warning: mkdocs.yml: templates_dir names no folder; the shipped templates are" \
           f" used found: {root}/theme" in flat, err
    (root / "theme").mkdir()
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0 and "0 warning(s)" in " ".join(err.split()), err
    # `mkdocs build` logged none of despatch's warnings (last: its pages join the URL ledger).
    (root / "theme").rmdir()
    (root / "content" / "index.md").write_text("# Test edition\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr.count("templates_dir names no folder") == 1, done.stderr
    assert "WARNING -  despatch: " in done.stderr, done.stderr


def test_site_folders_are_the_projects_wherever_the_command_runs(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin's site_dir was taken from the folder the command ran in; MkDocs' own was not read."""
    root = _project(tmp_path, "      site_dir: public\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert load_config(root / "mkdocs.yml").site_dir == root / "public"
    config = root / "mkdocs.yml"
    config.write_text("site_dir: out/site\n" + config.read_text(encoding="utf-8").replace("      site_dir: public\n", ""),
                      encoding="utf-8")
    code, err = run(["build", "-f", str(config)])
    assert code == 0, err
    assert (root / "out" / "site" / "frus1969-76v01" / "d1" / "index.html").is_file()
    assert not (elsewhere / "out").exists() and not (root / "build" / "site").exists()


def test_despatch_serve_says_what_a_build_warns_of(tmp_path: Path) -> None:
    """A server's builds and previews said nothing of their warnings."""
    root = _project(tmp_path, "      ebook: false\n")
    doc = root / "content" / "frus1969-76v01" / "d1.txt"
    said: list[str] = []
    with _serving("despatch", root, 90, said, ready="Watching for changes"):
        _said_soon(said, "ebook is not an option of despatch")
        doc.write_text(doc.read_text(encoding="utf-8").replace("called.", "called. See Document 7."),
                       encoding="utf-8")
        _said_soon(said, "Previewed")
        time.sleep(0.5)
    flat = " ".join("".join(said).split())
    assert "Traceback" not in flat
    assert flat.count("ebook is not an option of despatch") >= 2, flat  # at the first build, and at the edit's


@pytest.mark.parametrize(("entry", "where", "bad"), [
    ('        "../../evil": frus1969-76v01/d1/', "12:9", "../../evil"),
    ('        "x/..": frus1969-76v01/d1/', "12:9", "x/.."),
    ('        old/d9/: "frus1969-76v01/./d1/"', "12:18", "frus1969-76v01/./d1/"),
    ('        "old//d9/": frus1969-76v01/d1/', "12:9", "old//d9/"),
])
def test_a_redirect_names_paths_of_the_site(tmp_path: Path, entry: str, where: str, bad: str) -> None:
    """A redirect's page was written where its path led: out of the site, over the project, or over
    the home page (``x/..``)."""
    root = _project(tmp_path, "      redirects:\n" + entry + "\n")
    before = _sources(root)
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 1 and "Traceback" not in err, err
    assert f"mkdocs.yml:{where}: error: mkdocs.yml: '{bad}' is not a path of the site" in " ".join(err.split()), err
    assert _sources(root) == before and not (tmp_path / "evil").exists()
    # The same in the sources' own file of redirects.
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      redirects:\n" + entry + "\n", ""),
                      encoding="utf-8")
    (root / "content" / "redirects.yml").write_text("old/d8/: frus1969-76v01/d2/\n" + entry.strip() + "\n",
                                                   encoding="utf-8")
    code, err = run(["build", "-f", str(config)])
    assert code == 1 and "Traceback" not in err, err
    col = int(where.split(":")[1]) - 8
    flat = " ".join(err.split())
    assert f"\ncontent/redirects.yml:2:{col}: error: '{bad}' is not a path of the site" in "\n" + flat, err
    assert not (tmp_path / "evil").exists() and not (root / "evil").exists()


def test_a_redirect_may_lead_to_a_full_url(tmp_path: Path) -> None:
    root = _project(tmp_path, "      redirects:\n        old/d9/: https://example.org/a/../b\n")
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0, err
    assert "https://example.org/a/../b" in (root / "build" / "site" / "old" / "d9" / "index.html").read_text("utf-8")


@pytest.mark.parametrize("vid", ["../evil", "a/b", ".", "..", "frus 1961", "-x", "frus1961\u200b"])
def test_a_volume_id_names_one_folder(tmp_path: Path, vid: str) -> None:
    """A volume's id is its folder in the site: "../evil" ended the build in a RecursionError."""
    root = _project(tmp_path)
    yml = root / "content" / "frus1969-76v01" / "volume.yml"
    yml.write_text(f'title: A volume\nid: "{vid}"\n', encoding="utf-8")
    for command in ("build", "check"):
        code, err = run([command, "-f", str(root / "mkdocs.yml")])
        assert code == 1 and "Traceback" not in err, err
        assert "volume.yml:2:5: error: volume id" in err and "cannot name the volume's folder" in err, err
    assert not (tmp_path / "evil").exists() and not (root / "build" / "site").exists()


@pytest.mark.parametrize("how", ["same", "hard link", "symbolic link"])
def test_convert_never_writes_a_source_over_with_its_tei(tmp_path: Path, how: str) -> None:
    """`despatch convert d1.txt -o d1.txt` replaced the source with its TEI."""
    root = _project(tmp_path)
    src = root / "content" / "frus1969-76v01" / "d1.txt"
    kept = src.read_bytes()
    out = src if how == "same" else tmp_path / "d1.xml"
    if how == "hard link":
        out.hardlink_to(src)
    elif how == "symbolic link":
        out.symlink_to(src)
    code, err = run(["convert", str(src), "-o", str(out)])
    assert code == 1 and "Traceback" not in err, err
    assert f"{out}:1:1: error: the TEI would replace the source it is made from" in err, err
    assert src.read_bytes() == kept
    code, err = run(["convert", str(src), "-o", str(tmp_path / "new.xml")])
    assert code == 0 and (tmp_path / "new.xml").read_bytes().startswith(b"<?xml"), err


def test_checking_the_paths_loads_nothing_of_the_url_stage(tmp_path: Path) -> None:
    """The configuration's check runs in every build: an unchanged edition's still loads no renderer."""
    from test_r12_start_imports import _build_apart

    root = _project(tmp_path, "      site_dir: public\n      redirects:\n        old/d9/: frus1969-76v01/d1/\n")
    code, err = run(["build", "-f", str(root / "mkdocs.yml")])
    assert code == 0, err
    assert _build_apart(root) == (0, [])
