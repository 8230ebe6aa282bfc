"""The score command: targets met on the corpus, and each measure catches what it should."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from despatch.score import run_score

CORPUS = Path(__file__).parent / "corpus"
DOC = "frus1961-63v16_d206"     # notes, pages, a labelled list, a signature, a date code


def _corpus(tmp_path: Path, names: list[str]) -> Path:
    for sub, ext in (("text", "txt"), ("tei", "xml")):
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy(CORPUS / sub / f"{name}.{ext}", tmp_path / sub / f"{name}.{ext}")
    return tmp_path


def _score(path: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = run_score(path, out)
    return code, out.getvalue()


def test_targets_met_on_the_corpus() -> None:
    code, report = _score(CORPUS)
    assert code == 0, report
    for measure in ("converted", "text", "page breaks", "source notes", "titles"):
        line = next(ln for ln in report.splitlines() if ln.strip().startswith(measure))
        assert "100.0%" in line, line
    assert "date ranges" in report
    # The misprinted file number of v07p2 d74 is reported, not used to date the document.
    assert "frus1958-60v07p2_d74: file number 740.5/11–2953 gives 1953-11-29" in report


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "text" / f"{DOC}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_text_difference_is_caught(tmp_path: Path) -> None:
    root = _corpus(tmp_path, [DOC])
    _edit(root, "Favorite Soviet tactic", "Favourite Soviet tactic")
    code, report = _score(root)
    assert code == 1 and f"text: {DOC}" in report


def test_moved_note_is_caught(tmp_path: Path) -> None:
    root = _corpus(tmp_path, [DOC])
    _edit(root, "Polto Circular 64.1", "Polto Circular 64. Paris1")
    code, report = _score(root)
    assert f"notes placed: {DOC}: note 1 at" in report


def test_moved_page_break_is_caught(tmp_path: Path) -> None:
    root = _corpus(tmp_path, [DOC])
    _edit(root, "will take [Page 434] lead.", "will take lead. [Page 434]")
    code, report = _score(root)
    assert f"page breaks: {DOC}: page 434" in report


def test_lost_signature_is_caught(tmp_path: Path) -> None:
    root = _corpus(tmp_path, [DOC])
    _edit(root, "\nRusk\n  1. Source", "\nRusk\n\n  1. Source")
    code, report = _score(root)
    assert f"signatures: {DOC}: None vs official 'Rusk'" in report


def test_conversion_error_is_listed(tmp_path: Path) -> None:
    root = _corpus(tmp_path, [DOC])
    _edit(root, "[Page 433]", "[Page 43x]")
    code, report = _score(root)
    assert code == 1 and f"converted: {DOC}:" in report and "malformed page marker" in report


def test_empty_corpus(tmp_path: Path) -> None:
    code, report = _score(tmp_path)
    assert code == 1 and "no text/*.txt" in report


def test_real_complete_captures_score_fully(tmp_path: Path) -> None:
    """Real captures of history.state.gov pages (not generated ones), where complete, convert exactly."""
    import json
    entries = json.loads((CORPUS / "real" / "index.json").read_text(encoding="utf-8"))
    # Variant A1 hides the lines above lists, and with them text and note references
    # (d46 loses "SECRETARY’S TRIP TO NEW YORK1"): such a capture cannot score fully.
    names = [e["file"][:-4] for e in entries
             if e.get("complete") and e.get("in_corpus") and e.get("style") != "A1"]
    assert len(names) >= 5
    (tmp_path / "text").mkdir()
    (tmp_path / "tei").mkdir()
    for name in names:
        shutil.copy(CORPUS / "real" / f"{name}.txt", tmp_path / "text" / f"{name}.txt")
        shutil.copy(CORPUS / "tei" / f"{name}.xml", tmp_path / "tei" / f"{name}.xml")
    code, report = _score(tmp_path)
    assert code == 0, report
    assert "Failures:" not in report.split("dates, all")[0]
