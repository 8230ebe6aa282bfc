"""The build's index pages stage: the pages written (by a copy of the process, or now), then the URL
products over the staged site unless the edition publishes the very URLs of the last build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Report
from . import indexpages
from .aside import Aside
from .indexplan import Plan
from .pages import Edition
from .urlstate import url_body, url_state

Published = tuple[dict[str, str], str, dict[str, list[str]], bool]  # page keys, URL body and parts, same URLs


def write_index_pages(edition: Edition, pages: Plan, beside: Aside | None, staging: Path, site: Path, csp: str,
                      base: str, previous: dict[str, Any] | None, ledger: str, report: Report,
                      stats: dict[str, Any]) -> Published:
    """Write the index pages the plan makes and publish the URLs; ``previous``: the last build's manifest
    (an incremental build). Returns what to record of every index page, and of the URLs."""
    written = beside.result() if beside is not None else None
    if written is None and pages.walked:
        written = indexpages.write_pages(edition, pages, staging, csp, base)
    if written is not None:
        pages.learn(written[0])  # the files of the pages made as they were written
    # The same paths, notes and ledger as the last build: its ledger check, redirects and sitemap stand.
    urls, url_docs = url_body(edition, pages.files(), previous.get("url_docs") if previous is not None else {})
    same_urls = previous is not None and previous.get("urls") == url_state(urls, ledger)
    if written is not None:  # the URL products walk the staged site: the document pages are all there now
        page_keys = indexpages.publish_pages(edition, pages, staging, report, stats, written)
    else:
        page_keys = indexpages.write_all(edition, pages, staging, csp, report, stats, base,
                                         previous.get("pages") if previous is not None else None, site,
                                         publish_urls=not same_urls)
    return page_keys, urls, url_docs, same_urls
