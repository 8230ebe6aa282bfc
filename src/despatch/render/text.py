"""HTML escaping of plain text, as markupsafe does it, without a Markup object per call."""

from __future__ import annotations


def escape_text(text: str) -> str:
    """``str(markupsafe.escape(text))`` for a plain string: the same five entities, byte for byte.

    Most text nodes hold none of the five characters; five substring tests cost far less than
    building a Markup object, and pages are made of thousands of text nodes.
    """
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
    return text
