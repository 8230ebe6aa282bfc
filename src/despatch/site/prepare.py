"""What a build settles before it reads a document: the hashes its pages depend on, and what every worker
needs of the edition."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from . import cache
from .collect import VolumeSources
from .pages import Edition
from .shared import Shared
from .stages import sha

CSP = ("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'")


def shared_for(config: Config, volumes: list[VolumeSources], csp: str = "") -> Shared:
    """What every worker needs of the edition before any document is read."""
    return Shared(config=config, volumes={v.volume.id: v.volume for v in volumes},
                  persons={v.volume.id: v.persons for v in volumes},
                  terms={v.volume.id: v.terms for v in volumes}, csp=csp)


def know_targets(shared: Shared, edition: Edition) -> None:
    """Tell the workers which documents and printed pages a link may point to."""
    shared.docs = frozenset((r.volume, r.id) for r in edition.all_records())
    shared.pages = frozenset((r.volume, p) for r in edition.all_records() for p in r.pages)


def bases(config: Config, into: Path | None = None, markdown_pages: bool = True) -> tuple[str, str]:
    """The hashes every conversion (read) and every page (render) depends on besides its own source."""
    read_base = sha(cache.code_hash(), cache.edition_hash(config))
    # Turning search or ebooks on or off changes what a build makes beside the pages: a full build.
    return read_base, sha(read_base, cache.templates_hash(config), str(into is not None), str(markdown_pages),
                           f"search={config.search}", f"ebooks={config.ebooks}")
