"""The URL scheme: site-relative paths, public paths under the optional prefix, absolute URLs.

Three spaces of address, kept apart on purpose:

- a *site path* is relative to the edition's URL space, without the prefix: ``frus1961-63v13/d245/``
  (templates, page paths and declared redirects use it);
- a *public path* adds the configured ``url_prefix``: ``historicaldocuments/frus1961-63v13/d245/``
  (the ledger records it, because it is what readers cite);
- an *absolute URL* puts ``site_url`` in front of the public path.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..sitepath import is_full

# Whether a URL names its scheme and host: one definition, with the configuration's checks.
is_absolute = is_full

# A footnote's xml:id in FRUS TEI is the document id, "fn" and the note's number: d245fn1.
_NOTE_ID = re.compile(r"^(?P<doc>d[0-9A-Za-z]+?)fn[0-9A-Za-z]+$")


def normalize(path: str) -> str:
    """A site or public path in canonical form: no leading slash, folder paths end in '/'."""
    # Most paths arrive in canonical form already (a build's lists hold more of them than the cache):
    # a few substring tests say so without a cache entry for each.
    if ("#" not in path and not path.startswith("/") and "//" not in path and path.strip() == path
            and (path.endswith("/") or ("." in path[path.rfind("/") + 1:] and not path.endswith("index.html")))):
        return path
    if path[:1] == "/" and path[1:2] != "/" and path[1:2].strip():
        # A ledger's line ('/vol/d245/'): the canonical path after one slash is the path without it.
        rest = path[1:]
        if ("#" not in rest and "//" not in rest and rest.strip() == rest and (
                rest.endswith("/") or ("." in rest[rest.rfind("/") + 1:] and not rest.endswith("index.html")))):
            return rest
    return _normalize(path)


@lru_cache(maxsize=16384)
def _normalize(path: str) -> str:
    """``normalize`` in full."""
    # Cached: writing one redirect page normalises the same few paths nine times over.
    path, hashmark, fragment = path.strip().partition("#")
    path = path.lstrip("/")
    if "//" in path:
        path = re.sub(r"/{2,}", "/", path)
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    # A last segment without a dot names a folder page; files (d245.xml, sitemap.xml) keep their name.
    if path and not path.endswith("/") and "." not in path.rpartition("/")[2]:
        path += "/"
    return path + (hashmark + fragment if fragment else "")


def volume_path(volume_id: str) -> str:
    """The site path of a volume's contents page: ``frus1961-63v13/``."""
    return f"{volume_id}/"


def document_path(volume_id: str, doc_id: str) -> str:
    """The site path of a document page: ``frus1961-63v13/d245/``."""
    return f"{volume_id}/{doc_id}/"


def tei_path(volume_id: str, doc_id: str) -> str:
    """The site path of a document's TEI file: ``frus1961-63v13/d245.xml``."""
    return f"{volume_id}/{doc_id}.xml"


def page_anchor(page: str) -> str:
    """The anchor of a printed page, as FRUS TEI names it: ``pg_691``."""
    return f"pg_{page}"


def note_path(volume_id: str, note_id: str) -> str:
    """The site path that redirects to a note: ``frus1961-63v13/d245fn1/``."""
    return f"{volume_id}/{note_id}/"


def note_target(volume_id: str, note_id: str) -> str | None:
    """Where a note lives: ``frus1961-63v13/d245/#d245fn1``; None if the id is not a FRUS note id."""
    match = _NOTE_ID.match(note_id)
    if match is None:
        return None
    return f"{document_path(volume_id, match['doc'])}#{note_id}"


def public_path(config: Any, path: str) -> str:
    """The public path of a site path: the configured prefix in front."""
    return normalize(str(getattr(config, "url_prefix", "") or "") + normalize(path))


def base_path(config: Any) -> str:
    """The path part of ``site_url`` ('/' when the site is served at the host's root)."""
    site_url = str(getattr(config, "site_url", "") or "")
    path = urlsplit(site_url).path if site_url else "/"
    return path if path.endswith("/") else path + "/"


def server_path(config: Any, path: str) -> str:
    """The path a web server sees for a site path: ``/historicaldocuments/frus1961-63v13/d245/``."""
    return base_path(config) + public_path(config, path)


def absolute_url(config: Any, path: str) -> str:
    """The absolute URL of a site path; the server path when no ``site_url`` is configured."""
    site_url = str(getattr(config, "site_url", "") or "")
    if not site_url:
        return server_path(config, path)
    return site_url.rstrip("/") + "/" + public_path(config, path)


def site_root(root: Path, config: Any) -> Path:
    """The folder served at ``site_url``, given the folder of the prefixed edition inside it."""
    prefix = str(getattr(config, "url_prefix", "") or "").strip("/")
    for _ in [p for p in prefix.split("/") if p]:
        root = root.parent
    return root


def output_file(root: Path, path: str) -> Path:
    """The file that serves a site path below ``root``: folder paths are ``index.html``."""
    path = normalize(path).partition("#")[0]
    if path == "" or path.endswith("/"):
        return root / (path + "index.html")  # one join: the same path, parsed once
    return root / path


def relative_url(from_path: str, to_path: str) -> str:
    """A URL for ``to_path`` as seen from the page at ``from_path`` (both site or both public)."""
    target, hashmark, fragment = normalize(to_path).partition("#")
    base = normalize(from_path)
    base = base if base.endswith("/") or base == "" else posixpath.dirname(base) + "/"
    rel = _relpath(target, base)
    if (target.endswith("/") or target == "") and not rel.endswith("/"):
        rel += "/"
    if rel == "./" and not fragment:
        rel = "./"
    return rel + (hashmark + fragment if fragment else "")


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath('/' + target, '/' + base)``, by plain string work when no segment starts with a dot."""
    if "/." in "/" + target or "/." in "/" + base:
        return posixpath.relpath("/" + target, "/" + base)  # '.' and '..' segments need normpath
    to = [p for p in target.split("/") if p]
    start = [p for p in base.split("/") if p]
    common = 0
    limit = min(len(to), len(start))
    while common < limit and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
