"""``sitemap.xml`` (canonical pages only, lastmod from the content) and ``robots.txt``."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any, Iterable

from .scheme import is_absolute, normalize

SITEMAP_NAME = "sitemap.xml"
LIMIT = 50_000          # URLs per file, as the sitemap protocol allows
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def lastmod(*candidates: str) -> str:
    """The first candidate that is a W3C date (YYYY, YYYY-MM or YYYY-MM-DD); never the clock."""
    for value in candidates:
        value = (value or "").strip()[:10]
        if _DATE.match(value):
            return value
    return ""


def _urlset(entries: list[tuple[str, str]], config: Any) -> str:
    # absolute_url's text for a site_url that is set (write_sitemap's rule), its head made once: a row a page.
    head = str(config.site_url).rstrip("/") + "/"
    prefix = str(getattr(config, "url_prefix", "") or "")
    rows = []
    for path, mod in entries:
        loc = head + normalize(prefix + normalize(path))
        row = f"<url><loc>{escape(loc, quote=False)}</loc>"
        rows.append(row + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</url>\n")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}">\n{"".join(rows)}</urlset>\n'


def write_sitemap(site_dir: Path, urls_with_lastmod: Iterable[tuple[str, str]], config: Any) -> list[str]:
    """Write the sitemap (an index of numbered parts past LIMIT URLs); returns the files written.

    ``site_dir`` is the folder served at ``site_url``; paths are site paths. Without an absolute
    ``site_url`` no sitemap can be written (the protocol wants absolute URLs): returns [].
    """
    if not is_absolute(str(getattr(config, "site_url", "") or "")):
        return []
    entries = sorted(set(urls_with_lastmod))
    if len(entries) <= LIMIT:
        (site_dir / SITEMAP_NAME).write_text(_urlset(entries, config), encoding="utf-8")
        return [SITEMAP_NAME]
    written, parts = [], []
    site = str(config.site_url).rstrip("/") + "/"
    for start in range(0, len(entries), LIMIT):
        chunk = entries[start:start + LIMIT]
        name = f"sitemap-{start // LIMIT + 1}.xml"
        (site_dir / name).write_text(_urlset(chunk, config), encoding="utf-8")
        newest = max((m for _, m in chunk if m), default="")
        parts.append(f"<sitemap><loc>{escape(site + name, quote=False)}</loc>" +
                     (f"<lastmod>{newest}</lastmod>" if newest else "") + "</sitemap>\n")
        written.append(name)
    index = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n{"".join(parts)}</sitemapindex>\n'
    (site_dir / SITEMAP_NAME).write_text(index, encoding="utf-8")
    return [SITEMAP_NAME] + written


def write_robots(site_dir: Path, config: Any) -> None:
    """Allow everything; point crawlers at the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    site_url = str(getattr(config, "site_url", "") or "")
    if is_absolute(site_url):
        lines.append(f"Sitemap: {site_url.rstrip('/')}/{SITEMAP_NAME}")
    (site_dir / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
