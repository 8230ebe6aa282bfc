"""A volume's metadata, read from ``volume.yml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceError
from .yamlio import load_mapping, read_text
from .yamlshapes import check_fields

# A volume's id names its folder in the site and begins every URL of its pages.
VOLUME_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ID_RULE = "a letter or digit, then letters, digits, '.', '-', '_' (frus1961-63v16)"
FIELDS = ("id", "title", "series", "volume", "editors", "general_editor", "publisher",
          "pub_place", "year", "subtitle", "canonical_url")


@dataclass
class Volume:
    """Bibliographic data of one volume; unknown fields stay empty rather than invented."""

    id: str
    title: str
    series: str = ""
    volume: str = ""
    subtitle: str = ""
    editors: list[str] = field(default_factory=list)
    general_editor: str = ""
    publisher: str = ""
    pub_place: str = ""
    year: str = ""
    canonical_url: str = ""
    path: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The title without the series' name: "1961–1963, Volume XIII, Western Europe and Canada"."""
        if self.series and self.title.startswith(self.series + ", "):
            return self.title[len(self.series) + 2:]
        return self.title


def load_volume(path: Path) -> Volume:
    """Read and check a ``volume.yml``; errors carry the file's position."""
    data = load_mapping(path, "a YAML mapping of volume fields (id: …, title: …)")
    text = read_text(path)
    for key in ("id", "title"):
        if not data.get(key):
            raise SourceError.at(str(path), 1, 1, f"volume.yml has no '{key}'",
                                 expected=f"a line '{key}: …'", text=text)
    check_fields(data, path, FIELDS, lists=("editors",))
    vid = str(data["id"])
    if not VOLUME_ID.fullmatch(vid):
        from .settings import place_of

        line, col = place_of(text, ["id"])
        raise SourceError.at(str(path), line, col, f"volume id '{vid}' cannot name the volume's folder and URLs",
                             found=vid, expected=ID_RULE, text=text)
    editors = data.get("editors") or []
    if isinstance(editors, str):
        editors = [editors]
    known = {k: data[k] for k in FIELDS if k in data and k != "editors"}
    extra = {k: v for k, v in data.items() if k not in FIELDS}
    return Volume(
        id=str(known.pop("id")), title=str(known.pop("title")),
        editors=[str(e) for e in editors], path=str(path), extra=extra,
        **{k: ("" if v is None else str(v)) for k, v in known.items()},
    )
