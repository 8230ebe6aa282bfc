"""Paths and addresses as editors write them in the configuration and in redirects, checked before a
build joins them to a folder or prints them in a citation. Light: an unchanged edition's build reads
the configuration and loads nothing of the URL stage."""

from __future__ import annotations

from urllib.parse import urlsplit


def unsafe(path: str) -> str | None:
    """Why a site path may not name a page of the site (a ``..`` would write outside it), or None."""
    page = path.partition("#")[0].strip()
    for seg in page.strip("/").split("/") if page.strip("/") else []:
        if seg in (".", ".."):
            return f"its segment '{seg}' is no page's name ('..' would lead out of the site)"
        if not seg:
            return "it has an empty segment (//)"
        if "\\" in seg or "?" in seg or any(ord(c) < 32 or ord(c) == 127 for c in seg):
            return "it holds a backslash, a question mark or a control character"
    return None


def is_web(url: str) -> bool:
    """Whether a URL is a web address with a host (and holds no space, which no URL can)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, say
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)


def is_full(url: str) -> bool:
    """Whether a URL names its scheme and host (a redirect's target elsewhere; only those belong in
    citations) rather than being a path of the site."""
    if ":" not in url and not url.startswith("//"):
        return False  # no scheme at all (a site path, the common case): nothing to parse
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # an unclosed IPv6 bracket, say
        return False
    return bool(parts.scheme and parts.netloc)
