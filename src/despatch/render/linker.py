"""Resolve TEI link targets (ref, persName, gloss) to site paths or external URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import escape_text

# A letter may end a document id ("d53a") but not start a note's suffix ("d206fn1").
_DOC = re.compile(r"d\d+(?:[a-z](?![a-z]))?")


@dataclass
class Linker:
    """Knows which documents the edition holds; everything else goes to the canonical edition.

    ``pages`` holds (volume, page number) of every printed page in the edition; None means
    unknown, and page targets are then taken to be inside the edition.
    """

    volume: str
    docs: frozenset[tuple[str, str]] = frozenset()
    canonical_base: str = ""
    persons: dict[str, str] = field(default_factory=dict)  # id -> description
    terms: dict[str, str] = field(default_factory=dict)
    pages: frozenset[tuple[str, str]] | None = None
    _tips: int = field(default=0, repr=False)
    _volumes: frozenset[str] | None = field(default=None, repr=False)

    def ref(self, target: str) -> tuple[str | None, bool]:
        """``#d136``, ``#d229fn2``, ``frus1961-63v08#d49``, ``#pg_770`` → (href, external)."""
        vol, _, frag = target.partition("#")
        vol = vol or self.volume
        if not frag:
            return (f"{vol}/", False) if self._holds(vol) else (self._external(vol, ""), True)
        if frag.startswith("pg_"):
            if self.pages is None or (vol, frag[3:]) in self.pages:
                return f"{vol}/{frag}/", False
            return self._external(vol, frag), True
        doc = _DOC.match(frag)
        if doc is None:
            return None, False
        if (vol, doc.group()) in self.docs:
            anchor = "" if frag == doc.group() else "#" + frag
            return f"{vol}/{doc.group()}/{anchor}", False
        return self._external(vol, doc.group(), frag), True

    def _holds(self, vol: str) -> bool:
        if self._volumes is None:
            # Computed once: scanning every document for every link is quadratic at FRUS scale.
            self._volumes = frozenset(v for v, _ in self.docs)
        return vol in self._volumes

    def _external(self, vol: str, doc: str, frag: str = "") -> str:
        """The canonical edition's URL: ``{base}{volume}/{doc}`` (history.state.gov's scheme)."""
        if not self.canonical_base:
            return ""
        url = self.canonical_base.rstrip("/") + "/" + vol + (f"/{doc}" if doc else "")
        return url + (f"#{frag}" if frag and frag != doc else "")

    def person(self, pid: str) -> tuple[str, str]:
        """(site path of the person's index entry, description)."""
        return f"{self.volume}/persons/#{pid}", self.persons.get(pid, "")

    def term(self, tid: str) -> tuple[str, str]:
        """(site path of the term's index entry, description)."""
        return f"{self.volume}/terms/#{tid}", self.terms.get(tid, "")

    def mention(self, kind: str, ident: str, inner_html: str, href: str) -> str:
        """A mention of a person or term: a link to its index entry and its description as a tip.

        ``href`` is the entry's URL as seen from the page (the caller makes it relative). The tip is
        a ``hidden`` span the link names with ``aria-describedby``: screen readers announce it, the
        stylesheet shows it on hover and focus, and the page reads cleanly without CSS.
        """
        _, desc = self.person(ident) if kind == "person" else self.term(ident)
        cls = "person" if kind == "person" else "term"
        if not desc:
            return f'<a class="{cls}" href="{escape_text(href)}">{inner_html}</a>'
        self._tips += 1
        tip = f"tip-{ident}-{self._tips}"
        return (f'<a class="{cls}" href="{escape_text(href)}" title="{escape_text(desc)}" aria-describedby="{escape_text(tip)}">'
                f'{inner_html}</a><span class="mention-tip" role="tooltip" id="{escape_text(tip)}" data-pagefind-ignore hidden>'
                f'{escape_text(desc)}</span>')
