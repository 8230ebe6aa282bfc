"""Index pages rendered into the staging folder, a window at a time (in a full build, by a copy of the build)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..files import write_page
from ..render.env import make_env, template_cache
from .pages import Page


def render_window(cfg: Any, root: Path, csp: str, nav: list[dict[str, str]], todo: list[tuple[str, Page]],
                  env: list[Any]) -> None:
    """Render some index pages (file, page) into the staging folder (``env``: the environment and its
    templates, made once).

    Here rather than in the workers: pickling a page's context here and unpickling it there (each
    record interns its strings) took 2.2 s at 5,000 documents, rendering the 10,839 pages 0.5 s; a
    full build with search used 2–3 CPU s (of 30) less, and its wall time was no longer.
    """
    if todo and not env:
        env.extend([make_env(cfg.templates_dir, template_cache(cfg)), {}])
    # Each template asked of the environment once, not once a page (its loader's cache is keyed by weak reference).
    templates: dict[str, Any] = env[1] if todo else {}
    folder = os.fspath(root)
    for rel, page in todo:
        template = templates.get(page.template)
        if template is None:
            template = templates[page.template] = env[0].get_template(page.template)
        # A page may give its own ``page_path``: the base its links are made from (the 404 page's is absolute).
        html = template.render({"site": cfg, "page_path": page.path, "csp": csp, "nav_links": nav, **page.context})
        write_page(os.path.join(folder, rel), html)
