"""Import an official FRUS volume file (HistoryAtState/frus) as a volume folder the edition builds.

Layout written to ``content/<volume-id>/`` (docs/import.md): ``volume.yml``, ``persons.yml``,
``terms.yml``, ``toc.yml`` (chapters and the whole structure in reading order), one ``<docid>.xml``
per document (its div, verbatim), and ``front/`` and ``back/`` with the other parts of the volume.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...errors import SourceError
from ...tei.xmlio import parse_bytes, t
from ...volume import ID_RULE, VOLUME_ID
from .header import volume_data, volume_id
from .lists import read_list
from .structure import Layout, lay_out, reading_order

__all__ = ["ImportSummary", "import_volume", "reading_order"]


TOC_HEADER = """\
# Structure of the volume, imported from {source}.
# chapters: each division that holds documents, in reading order: its id, type (compilation,
#   chapter, subchapter), title, path (titles of the divisions around it) and its documents' ids.
# contents: the whole text in reading order: front, body and back; divisions with their items;
#   documents (file <id>.xml); page breaks between parts (kind: pb); front and back matter
#   sections (kind: section, file under front/ or back/); any other element verbatim (kind: block).
"""


@dataclass
class ImportSummary:
    """What an import wrote."""

    volume: str
    folder: Path
    documents: int = 0
    chapters: int = 0
    sections: int = 0
    persons: int = 0
    terms: int = 0
    pages: int = 0
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (f"Imported {self.volume} into {self.folder}: {self.documents} documents in "
                f"{self.chapters} chapters, {self.sections} front/back sections, {self.persons} persons, "
                f"{self.terms} terms, {self.pages} page breaks")
        return text + "".join(f"\n  warning: {w}" for w in self.warnings)


def _dump(data: Any, header: str = "") -> bytes:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return (header + text).encode("utf-8")


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in sorted(files.items()):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _swap_in(staging: Path, target: Path) -> None:
    """Put the staged folder in place; a previous import goes only once the new one is whole."""
    old = target.with_name(f".{target.name}.previous")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old)


def import_volume(volume_xml: Path, content_dir: Path, replace: bool = False) -> ImportSummary:
    """Read a FRUS volume file and write it as ``content_dir/<volume-id>/``.

    An existing folder of that name is replaced only with ``replace=True``; the new folder is
    written beside it first, so a failed import leaves the old one as it was.
    """
    path = str(volume_xml)
    data = volume_xml.read_bytes()
    root = parse_bytes(data, path).getroot()
    if root.tag != t("TEI") or root.find(t("text")) is None:
        raise SourceError.at(path, root.sourceline or 1, 1, "not a FRUS volume file",
                             found=f"<{root.tag}>", expected="<TEI> with a teiHeader and a <text>")
    ident = volume_id(root, volume_xml.stem)
    if not VOLUME_ID.fullmatch(ident):
        raise SourceError.at(path, root.sourceline or 1, 1, "the volume id cannot name a folder",
                             found=ident, expected=ID_RULE)
    target = content_dir / ident
    if target.exists() and any(target.iterdir()) and not replace:
        raise SourceError.at(str(target), 1, 1, "the volume folder already exists",
                             found=str(target), expected="a new volume, or replace=True (--replace) to overwrite it")
    warnings: list[str] = []
    layout: Layout = lay_out(root.find(t("text")), path)
    persons = read_list(root, "persons", warnings)
    terms = read_list(root, "terms", warnings)
    files = dict(layout.files)
    files["volume.yml"] = _dump(volume_data(root, ident, volume_xml.name),
                                f"# Bibliographic data of {ident}, from the teiHeader of {volume_xml.name}.\n")
    files["persons.yml"] = _dump(persons, "# List of Persons: xml:id → name and description.\n")
    files["terms.yml"] = _dump(terms, "# List of Abbreviations: xml:id → term and description.\n")
    files["toc.yml"] = _dump({"volume": ident, "chapters": layout.chapters, "contents": layout.contents},
                             TOC_HEADER.format(source=volume_xml.name))
    content_dir.mkdir(parents=True, exist_ok=True)
    staging = content_dir / f".{ident}.importing"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        _write(staging, files)
        _swap_in(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    pages = sum(1 for _ in root.iter(t("pb")))
    return ImportSummary(volume=ident, folder=target, documents=len(layout.documents),
                         chapters=len(layout.chapters), sections=len(layout.sections),
                         persons=len(persons), terms=len(terms), pages=pages, warnings=warnings)
