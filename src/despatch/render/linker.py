"""Resolve TEI link targets (ref, persName, gloss) to site paths or external URLs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Linker:
    """Knows which documents the edition holds; everything else goes to the canonical edition."""

    volume: str
    docs: frozenset[tuple[str, str]] = frozenset()
    canonical_base: str = ""
    persons: dict[str, str] = field(default_factory=dict)  # id -> description
    terms: dict[str, str] = field(default_factory=dict)

    def ref(self, target: str) -> tuple[str | None, bool]:
        """``#d136``, ``#d229fn2``, ``frus1961-63v08#d49``, ``#pg_770`` → (href, external)."""
        vol, _, frag = target.partition("#")
        vol = vol or self.volume
        if not frag:
            return (f"{vol}/", False) if any(v == vol for v, _ in self.docs) else (self._external(vol, ""), True)
        doc = frag.split("fn")[0] if frag.startswith("d") else ""
        if frag.startswith("pg_"):
            return f"{vol}/{frag}/", False
        if doc and (vol, doc) in self.docs:
            anchor = "" if frag == doc else "#" + frag
            return f"{vol}/{doc}/{anchor}", False
        if doc:
            return self._external(vol, doc, frag), True
        return None, False

    def _external(self, vol: str, doc: str, frag: str = "") -> str:
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
