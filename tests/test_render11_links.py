"""A document page's links worked out once a folder are those the url filter makes for each page."""

from __future__ import annotations

import pytest

from despatch.render.env import make_env
from despatch.render.urls import relative
from despatch.site import pagelinks

TARGETS = {"home": "", "volume": "{v}/", "notes.js": "assets/notes.js", "cite.js": "assets/cite.js",
           "references.bib": "{v}/references.bib", "references.ris": "{v}/references.ris",
           "references.json": "{v}/references.json"}


@pytest.mark.parametrize("volume, ids", [
    ("frus1961-63v13", ["d1", "d245", "d12a"]),
    ("assets", ["notes.js", "cite.js", "d1"]),           # a volume named like the scripts' folder
    ("v", ["references.bib", "x", "a/b", "a/c", "a"]),   # ids like the volume's files, ids holding '/'
])
def test_page_links_are_the_url_filters(volume: str, ids: list[str]) -> None:
    pagelinks.by_folder.clear()
    for doc_id in ids * 2:  # the second time from what was kept
        page = f"{volume}/{doc_id}/"
        tei = f"{volume}/{doc_id}.xml"
        links = pagelinks.page_links(page, volume, tei)
        expected = {name: relative(page, target.format(v=volume)) for name, target in TARGETS.items()}
        assert links == {**expected, "page": relative(page, page), "tei": relative(page, tei)}
    pagelinks.by_folder.clear()


def test_the_citation_partial_makes_the_same_links_without_them() -> None:
    env = make_env(None, None)
    partial = env.get_template("partials/citation.html")
    page = "v/d3/"
    context = {"page_path": page, "doc": {"volume": "v"}, "extra": {
        "citations": {"chicago": "C", "mla": "M", "url": ""},
        "downloads": [{"href": f"data:,{n}", "filename": f"d3.{n}", "type": "t", "label": n} for n in ("a", "b", "a")]}}
    links = {name: relative(page, target.format(v="v")) for name, target in TARGETS.items()}
    with_links = partial.render(**context, links=links)
    assert with_links == partial.render(**context)
    assert 'href="../references.ris"' in with_links and 'src="../../assets/cite.js"' in with_links
    assert ('<a href="data:,a" download="d3.a" type="t">a</a>, <a href="data:,b" download="d3.b" type="t">b</a>, '
            '<a href="data:,a" download="d3.a" type="t">a</a>;\n') in with_links  # a comma between links
