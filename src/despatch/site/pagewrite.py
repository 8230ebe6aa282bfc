"""Index pages rendered into the staging folder, in this process; and how they would be batched for workers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..files import write_page
from ..model import DocRecord
from ..render.env import make_env, template_cache
from .pages import Page
from .worker import PageBatch

BATCH = 32
BATCH_WEIGHT = 1024   # records a batch's pages hold (a record pickles to about 1.5 KB)
UNKNOWN = -1          # the weight of a page whose records were not counted yet


def render_window(cfg: Any, root: Path, csp: str, nav: list[dict[str, str]], todo: list[tuple[str, Page, int]],
            pool: Callable[[Callable[[Any], Any], list[Any]], Iterable[Any]] | None, env: list[Any]) -> None:
    """Render some index pages (file, page, weight) into the staging folder, here; ``pool`` is not used.

    Sending a page to a worker cost more CPU than rendering it: pickling its context here and unpickling
    it there (each record interns its strings) took 2.2 s at 5,000 documents, rendering the 10,839
    pages 0.5 s; a full build with search used 2–3 CPU s (of 30) less, and its wall time was no longer.
    """
    if todo and not env:
        env.append(make_env(cfg.templates_dir, template_cache(cfg)))
    for rel, page, _ in todo:
        html = env[0].get_template(page.template).render(
            site=cfg, page_path=page.path, csp=csp, nav_links=nav, **page.context)
        write_page(os.path.join(root, rel), html)


def batches(root: str, csp: str, nav: list[dict[str, str]], todo: list[tuple[str, Page, int]]) -> list[PageBatch]:
    """Pages in batches of at most ``BATCH``, holding at most ``BATCH_WEIGHT`` records but for a single
    page: what many pages share (an archive's tree) is pickled once a batch, and a batch of pages that
    each list a whole volume does not carry the edition's records at once."""
    out: list[PageBatch] = []
    batch: list[tuple[str, Any]] = []
    weight = 0
    for rel, page, cost in todo:
        cost = cost if cost != UNKNOWN else records_in(page.context)
        if batch and (len(batch) >= BATCH or weight + cost > BATCH_WEIGHT):
            out.append(PageBatch(root, csp, nav, batch))
            batch, weight = [], 0
        batch.append((rel, page))
        weight += cost
    if batch:
        out.append(PageBatch(root, csp, nav, batch))
    return out


def records_in(value: Any) -> int:
    """The records a value holds, each time it holds them (what pickling a page's context costs, mostly)."""
    kind = type(value)
    if kind is DocRecord:
        return 1
    if kind is dict:
        value = value.values()
    elif kind is not list and kind is not tuple:
        return 0
    # A walk with a stack of containers, not a call per value: every index page is weighed.
    count, stack = 0, [value]
    while stack:
        for item in stack.pop():
            kind = type(item)
            if kind is DocRecord:
                count += 1
            elif kind is dict:
                stack.append(item.values())
            elif kind is list or kind is tuple:
                stack.append(item)
    return count
