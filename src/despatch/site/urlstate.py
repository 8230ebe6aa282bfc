"""What the URL products (ledger, redirects, sitemap) depend on of the edition, so a build whose documents
publish the very URLs of the last one leaves them as they were."""

from __future__ import annotations

import hashlib

from .pages import Edition


def url_body(edition: Edition, files: list[str], known: dict[str, list[str]] | None = None
             ) -> tuple[str, dict[str, list[str]]]:
    """What the URL products depend on of the edition: every index page's file, every document and note,
    the printed pages that redirect.

    Also returned, by volume: the hash of its records' fields and of its note anchors. Given the last
    build's (``known``), a volume whose records' fields are the same is not walked again: the fields
    hash covers each record's volume, id and anchors, and an edit of a document's text changes none.
    """
    # The index pages' module, loaded by the time the URLs are published; not at the build's start,
    # which an unchanged edition ends without rendering anything.
    from ..indexes.apparatus import volume_redirect_pages

    known = known or {}
    parts: dict[str, list[str]] = {}
    for vol in sorted(edition.records):
        recs = edition.records[vol]
        fields = [r.fields for r in recs]
        key = hashlib.sha256("\0".join(fields).encode()).hexdigest() if all(fields) else ""
        last = known.get(vol)
        if key and isinstance(last, list) and len(last) == 2 and last[0] == key:
            parts[vol] = last
            continue
        # Every anchor that may be a note's ("d12fn3"), with a few others: a string, not JSON.
        docs = "\n".join([f"{r.volume}/{r.id}:" + ",".join([a for a in r.anchors if "fn" in a]) for r in recs])
        # The printed pages that redirect to their one document, which the sitemap leaves out: a page that
        # gains a second document (or keeps only one) changes no file, but the sitemap.
        docs += "\0" + ",".join(volume_redirect_pages(vol, recs))
        parts[vol] = [key, hashlib.sha256(docs.encode("utf-8", "surrogatepass")).hexdigest()]
    text = "\n".join(sorted(files)) + "\0" + "\n".join(f"{vol}:{part[1]}" for vol, part in parts.items())
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), {k: v for k, v in parts.items() if v[0]}


def url_state(body: str, ledger: str) -> str:
    """What the URL products depend on beyond the configuration: the edition's ``url_body`` and the ledger."""
    return hashlib.sha256(f"{body}\0{ledger}".encode()).hexdigest()
