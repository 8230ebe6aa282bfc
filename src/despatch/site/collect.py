"""Find the edition's volumes and document sources under ``content/``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..config import Config
from ..errors import Report, SourceError
from ..volume import Volume, load_volume
from .readers import is_source


@dataclass
class VolumeSources:
    """One volume folder: its metadata, its document sources and optional lists."""

    volume: Volume
    folder: Path
    sources: list[Path] = field(default_factory=list)
    persons: dict[str, dict[str, Any]] = field(default_factory=dict)
    terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    chapters: list[dict[str, Any]] = field(default_factory=list)


def natural_key(name: str) -> list[Any]:
    """Sort 'd2' before 'd10'."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def _load_yaml_map(path: Path, report: Report) -> dict[str, Any]:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        report.extend(SourceError.at(str(path), line, col, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                     expected="a YAML mapping", text=text))
        return {}
    if not isinstance(data, (dict, list)):
        report.extend(SourceError.at(str(path), 1, 1, "expected a mapping", found=type(data).__name__, text=text))
        return {}
    return data if isinstance(data, dict) else {"chapters": data}


def collect(config: Config, report: Report) -> list[VolumeSources]:
    """Every folder of content/ with a volume.yml, with its sources in file-name order."""
    found: list[VolumeSources] = []
    seen: dict[str, Path] = {}
    if not config.content_dir.is_dir():
        report.extend(SourceError.at(str(config.content_dir), 1, 1, "content folder not found",
                                     expected="a folder with one sub-folder per volume"))
        return found
    for vol_yml in sorted(config.content_dir.glob("*/volume.yml")):
        try:
            volume = load_volume(vol_yml)
        except SourceError as exc:
            report.extend(exc)
            continue
        if volume.id in seen:
            report.extend(SourceError.at(str(vol_yml), 1, 1, f"volume id '{volume.id}' is used twice",
                                         found=str(vol_yml), expected=f"an id other than that of {seen[volume.id]}"))
            continue
        seen[volume.id] = vol_yml
        folder = vol_yml.parent
        sources = sorted((p for p in folder.iterdir() if p.is_file() and is_source(p)),
                         key=lambda p: natural_key(p.name))
        toc = _load_yaml_map(folder / "toc.yml", report)
        found.append(VolumeSources(
            volume=volume, folder=folder, sources=sources,
            persons=_load_yaml_map(folder / "persons.yml", report),
            terms=_load_yaml_map(folder / "terms.yml", report),
            chapters=list(toc.get("chapters") or []),
        ))
    return found
