"""The build as a whole: atomic swap, template overrides, the CLI's errors, MkDocs integration."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from despatch.cli import main
from despatch.config import load_config
from despatch.site.build import build
from despatch.site.result import BuildFailed

VOL = "frus1961-63v13"


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the hash of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_failed_build_leaves_previous_site(project: Path) -> None:
    cfg = load_config(project / "mkdocs.yml", search=False)
    build(cfg)
    before = tree_digest(cfg.site_dir)
    (project / "content" / VOL / "d999.txt").write_text("no title line here\n", encoding="utf-8")
    try:
        build(cfg)
    except BuildFailed as failed:
        assert any("d999.txt" in d.path for d in failed.report.errors)
    else:
        raise AssertionError("a broken source must fail the build")
    assert tree_digest(cfg.site_dir) == before
    leftovers = [p.name for p in cfg.build_dir.iterdir() if p.name.startswith(".") and p.name != ".cache"]
    assert leftovers == [], "no staging folders are left behind"


def test_project_template_overrides_packaged(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "volume.html").write_text("custom volume {{ volume.id }}", encoding="utf-8")
    cfg = load_config(project / "mkdocs.yml", search=False)
    build(cfg)
    assert (cfg.site_dir / VOL / "index.html").read_text(encoding="utf-8") == f"custom volume {VOL}"
    # Templates the project does not override still come from the package.
    assert "<article" in (cfg.site_dir / VOL / "d245" / "index.html").read_text(encoding="utf-8")


def test_cli_reports_positioned_error_without_traceback(project: Path, capsys) -> None:
    (project / "content" / VOL / "d999.txt").write_bytes(b"")
    code = main(["build", "-f", str(project / "mkdocs.yml"), "--no-search"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "d999.txt:1:1:" in err


def test_cli_convert_to_stdout(capsysbinary) -> None:
    root = Path(__file__).resolve().parent.parent
    code = main(["convert", str(root / "content" / VOL / "d245.txt")])
    out = capsysbinary.readouterr().out
    assert code == 0
    assert b'xml:id="d245"' in out and b'<pb n="691" xml:id="pg_691"' in out


def test_check_passes_on_example_and_fails_on_broken(project: Path) -> None:
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0
    (project / "content" / VOL / "volume.yml").write_text("id: [unclosed\n", encoding="utf-8")
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 1


def test_mkdocs_build_gives_same_document_pages(project: Path) -> None:
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("      version:", "      search: false\n      version:"),
                   encoding="utf-8")
    cfg = load_config(yml)
    assert cfg.search is False
    build(cfg)
    ours = (cfg.site_dir / VOL / "d245" / "index.html").read_bytes()
    out = project / "mk-site"
    env = dict(os.environ)
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
                          "-d", str(out)], check=True, cwd=project, env=env, capture_output=True, text=True)
    assert (out / VOL / "d245" / "index.html").read_bytes() == ours
    assert (out / "index.html").exists(), "MkDocs renders the Markdown home page"
    assert f'href="{VOL}/"' in (out / "index.html").read_text(encoding="utf-8"), "the home page lists the volumes"
    assert "unrecognized relative link" not in run.stderr, run.stderr
    assert not (out / VOL / "d245.txt").exists(), "sources are not copied into the site"
