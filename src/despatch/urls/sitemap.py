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


def write_sitemap(site_dir: Path, urls_with_lastmod: Iterable[tuple[str, str]], config: Any) -> list[str]:
    """Write the sitemap (an index of numbered parts past LIMIT URLs); returns the files written.

    ``site_dir`` is the folder served at ``site_url``; paths are site paths. Without an absolute
    ``site_url`` no sitemap can be written (the protocol wants absolute URLs): returns [].
    """
    writer = SitemapWriter(site_dir, config)
    writer.add(sorted(set(urls_with_lastmod)))
    return writer.close()


class SitemapWriter:
    """``write_sitemap`` given its pages in order, a few at a time: it holds one file's rows at most."""

    def __init__(self, site_dir: Path, config: Any) -> None:
        self.site_dir = site_dir
        self.on = is_absolute(str(getattr(config, "site_url", "") or ""))
        # absolute_url's text for a site_url that is set, its head made once: a row a page.
        self.head = str(getattr(config, "site_url", "") or "").rstrip("/") + "/"
        self.prefix = str(getattr(config, "url_prefix", "") or "")
        self.rows: list[str] = []
        self.newest = ""
        self.parts: list[str] = []   # the index's rows, one a file written

    def add(self, entries: Iterable[tuple[str, str]]) -> None:
        """The next pages (site path, lastmod), in order after those given before."""
        if not self.on:
            return
        for path, mod in entries:
            if len(self.rows) == LIMIT:
                self._part()  # only now is the sitemap known to need more than one file
            loc = self.head + normalize(self.prefix + normalize(path))
            self.rows.append(f"<url><loc>{escape(loc, quote=False)}</loc>"
                             + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</url>\n")
            self.newest = max(self.newest, mod)

    def close(self) -> list[str]:
        """Write what is left (and the index, past one file); returns the files written."""
        if not self.on:
            return []
        if not self.parts:
            (self.site_dir / SITEMAP_NAME).write_text(_urlset(self.rows), encoding="utf-8")
            return [SITEMAP_NAME]
        if self.rows:
            self._part()
        index = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NS}">\n{"".join(self.parts)}</sitemapindex>\n'
        (self.site_dir / SITEMAP_NAME).write_text(index, encoding="utf-8")
        return [SITEMAP_NAME] + [f"sitemap-{n}.xml" for n in range(1, len(self.parts) + 1)]

    def _part(self) -> None:
        name = f"sitemap-{len(self.parts) + 1}.xml"
        (self.site_dir / name).write_text(_urlset(self.rows), encoding="utf-8")
        self.parts.append(f"<sitemap><loc>{escape(self.head + name, quote=False)}</loc>"
                          + (f"<lastmod>{self.newest}</lastmod>" if self.newest else "") + "</sitemap>\n")
        self.rows, self.newest = [], ""


def _urlset(rows: list[str]) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NS}">\n{"".join(rows)}</urlset>\n'


def write_robots(site_dir: Path, config: Any) -> None:
    """Allow everything; point crawlers at the sitemap when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    site_url = str(getattr(config, "site_url", "") or "")
    if is_absolute(site_url):
        lines.append(f"Sitemap: {site_url.rstrip('/')}/{SITEMAP_NAME}")
    (site_dir / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
