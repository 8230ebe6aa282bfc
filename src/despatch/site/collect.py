"""Find the edition's volumes and document sources under ``content/``."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..apparatus.persons import load_entries
from ..config import Config
from ..errors import Report, SourceError
from ..order import natural_key
from ..volume import Volume, load_volume
from ..yamlio import load_mapping
from ..yamlshapes import check_toc
from .listing import Listings, settled
from .readers import READERS, is_source, is_source_name


@dataclass
class VolumeSources:
    """One volume folder: its metadata, its document sources and optional lists."""

    volume: Volume
    folder: Path
    sources: list[str] = field(default_factory=list)   # paths (strings: a volume has hundreds)
    persons: dict[str, dict[str, Any]] = field(default_factory=dict)
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    chapters: list[dict[str, Any]] = field(default_factory=list)


def _load(loader: Callable[[], dict[str, Any]], report: Report) -> dict[str, Any]:
    """Run a loader; its error joins the report so one run shows every broken file."""
    try:
        return loader()
    except SourceError as exc:
        report.extend(exc)
        return {}


def listings_file(config: Config) -> Path:
    """Where a build (and a preview) keeps the folders' listings from one to the next."""
    return config.build_dir / ".cache" / "listing.json"


def collect(config: Config, report: Report, listings: Path | None = None) -> list[VolumeSources]:
    """Every folder of content/ with a volume.yml, with its sources in file-name order.

    ``listings`` keeps each folder's source names, and what its YAML files were read as, from one
    build to the next (see ``listing``).
    """
    found: list[VolumeSources] = []
    seen: dict[str, Path] = {}
    if not config.content_dir.is_dir():
        report.extend(SourceError.at(str(config.content_dir), 1, 1, "content folder not found",
                                     expected="a folder with one sub-folder per volume"))
        return found
    listed = Listings(listings, READERS, _code() if listings is not None else "")
    for vol_yml in sorted(config.content_dir.glob("*/volume.yml")):
        try:
            volume = Volume(**listed.parsed(vol_yml, partial(_volume_fields, vol_yml)))
        except SourceError as exc:
            report.extend(exc)
            continue
        if volume.id in seen:
            report.extend(SourceError.at(str(vol_yml), 1, 1, f"volume id '{volume.id}' is used twice",
                                         found=str(vol_yml), expected=f"an id other than that of {seen[volume.id]}"))
            continue
        seen[volume.id] = vol_yml
        folder = vol_yml.parent
        prefix = os.path.join(folder, "")
        names = listed.names(prefix, partial(_source_names, folder, report))
        sources = [prefix + name for name in names]
        toc_file, persons, terms = folder / "toc.yml", folder / "persons.yml", folder / "terms.yml"
        toc = _load(lambda: listed.parsed(toc_file, lambda: check_toc(load_mapping(
            toc_file, "chapters: [{title: …, documents: [d1, …]}]"), toc_file)) if toc_file.exists() else {}, report)
        found.append(VolumeSources(
            volume=volume, folder=folder, sources=sources,
            persons=_load(lambda: listed.parsed(persons, lambda: load_entries(persons, "name"))
                          if persons.exists() else {}, report),
            terms=_load(lambda: listed.parsed(terms, lambda: load_entries(terms, "term"))
                        if terms.exists() else {}, report),
            chapters=list(toc.get("chapters") or []),
        ))
    listed.save()
    _orphans(config, report)
    for d in report.items:
        # Name files as users see them, relative to the project, like the sources' errors do.
        if Path(d.path).is_absolute() and Path(d.path).is_relative_to(config.project_dir):
            d.path = str(Path(d.path).relative_to(config.project_dir))
    return found


def _volume_fields(path: Path) -> dict[str, Any]:
    """A volume.yml read and checked, as the fields of its ``Volume``."""
    return asdict(load_volume(path))


def _code() -> str:
    """The code that reads the files: listings kept by another version are not trusted (the hash is
    computed once a process, and the build's keys need it all the same)."""
    from .cache import code_hash

    return code_hash()


def volume_list(config: Config) -> list[Volume]:
    """The edition's volumes alone, without listing their sources; a volume.yml in error is left to the build.

    `mkdocs serve` lists them at every rebuild (its home page names them): a file read before is
    taken as it was read while its time, size and inode stand.
    """
    out: list[Volume] = []
    for vol_yml in sorted(config.content_dir.glob("*/volume.yml")):
        try:
            st = os.stat(vol_yml)
            sig = (st.st_mtime_ns, st.st_size, st.st_ino)
            hit = _LISTED.get(str(vol_yml))
            volume = hit[1] if hit is not None and hit[0] == sig else load_volume(vol_yml)
        except (OSError, SourceError):
            continue
        if settled(st):  # not changed just now: a change within the clock's step would keep its time
            _LISTED[str(vol_yml)] = (sig, volume)
        out.append(volume)
    return out


_LISTED: dict[str, tuple[tuple[int, int, int], Volume]] = {}  # each volume.yml read, with its stamp then


def _source_names(folder: Path, report: Report) -> tuple[list[str], bool]:
    """A folder's source names in order, and whether they may be kept (no symbolic link, whose target
    can go without the folder changing); the listing says which entries are files, without a stat each.

    A source's name on what is not a file to read is an error (``report``), not a document left out in
    silence: a link to nothing is what a repository of links (git-annex) gives for a file not fetched."""
    with os.scandir(folder) as entries:
        named = [e for e in entries if is_source_name(e.name)]
    found = [e for e in named if e.is_file()]
    odd = sorted((e for e in named if not e.is_file()), key=lambda e: natural_key(e.name))
    for entry in odd:
        report.extend(_not_a_file(entry))
    # Not kept where in error: the next build must find it again, though the folder did not change.
    return sorted((e.name for e in found), key=natural_key), not odd and not any(e.is_symlink() for e in named)


def _not_a_file(entry: os.DirEntry[str]) -> SourceError:
    if entry.is_symlink():
        found = f"a link to {os.readlink(entry.path)}, where there is no file"
    else:
        found = "a folder" if entry.is_dir() else "neither a file nor a folder"
    return SourceError.at(entry.path, 1, 1, f"{entry.name} is not a file to read", found=found,
                          expected="a document source: a text or TEI file, or a link to one that is there")


def _orphans(config: Config, report: Report) -> None:
    """A folder of document sources without a volume.yml would be skipped silently: name it."""
    for folder in sorted(p for p in config.content_dir.iterdir() if p.is_dir()):
        if (folder / "volume.yml").exists():
            continue
        # Markdown alone is an editor's pages folder (MkDocs renders it); text and TEI are documents.
        docs = sorted(p for p in folder.iterdir() if p.is_file() and is_source(p) and p.suffix.lower() != ".md")
        if docs:
            report.extend(SourceError.at(
                str(docs[0]), 1, 1, f"the folder {folder.name}/ holds document sources but no volume.yml",
                found=f"{len(docs)} source file(s) and no {folder.name}/volume.yml",
                expected=f"a file {folder.name}/volume.yml with at least 'id: {folder.name}' and 'title: …'"))
