"""Where despatch's own templates are (apart from the Jinja environment: a build's hashes need only the path)."""

from __future__ import annotations

from pathlib import Path


def packaged_templates() -> Path:
    """Where despatch's own templates are: inside the wheel, or the source tree when editable."""
    inside = Path(__file__).resolve().parent.parent / "templates"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[3] / "templates"
