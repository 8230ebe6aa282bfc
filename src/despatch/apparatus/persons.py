"""Persons and terms of a volume: read their lists and find their mentions in text."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..yamlio import key_line, load_mapping, read_text
from ..yamlshapes import TEXT, is_text, wrong

Entries = dict[str, dict[str, Any]]
_PARTICLE = re.compile(r"^(de|da|di|du|van|von|der|la|le|del|dos|ten|ter) ", re.I)
_MONTHS = frozenset("January February March April May June July August September October November "
                    "December".split())


def load_entries(path: Path, key: str) -> Entries:
    """Read ``persons.yml`` (key "name") or ``terms.yml`` (key "term"): ``id: {name:, description:}``."""
    data = load_mapping(path, f"a mapping id: {{{key}: …, description: …}}")
    text = read_text(path)
    entries: Entries = {}
    for ident, entry in data.items():
        if isinstance(entry, str):
            entry = {key: entry}
        if not isinstance(entry, dict) or not entry.get(key):
            line = key_line(text, str(ident))
            raise SourceError.at(str(path), line, 1, f"entry {ident!r} has no '{key}'",
                                 found=repr(entry), expected=f"{ident}: {{{key}: …, description: …}}", text=text)
        for field in (key, "description"):
            if entry.get(field) is not None and not is_text(entry[field]):
                raise wrong(path, [ident, field], entry[field], TEXT)
        entries[str(ident)] = {k: ("" if v is None else v) for k, v in entry.items()}
    return entries


def surname(name: str) -> str:
    """The surname of a listed name: "Rusk, Dean" → "Rusk"; "Dean Rusk" → "Rusk"."""
    if "," in name:
        return name.split(",", 1)[0].strip()
    words = name.split()
    return words[-1] if words else ""


_REGNAL = re.compile(r"^[IVXL]+$")


def name_forms(name: str) -> tuple[list[str], str]:
    """(full forms, surname) of a listed name: "de Gaulle, Charles" → (["Charles de Gaulle"], "de Gaulle")."""
    words = name.split()
    if "," not in name and len(words) > 1 and _REGNAL.match(words[-1]):
        # A sovereign ("Paul I") is named whole; the numeral is no surname (it would match "I").
        return [name.strip()], ""
    last = surname(name)
    if len(last) < 2:
        last = ""  # a one-letter "surname" would link every initial and pronoun
    full: list[str] = []
    if "," in name:
        given = name.split(",", 1)[1].split(",")[0].strip()
        if given:
            full.append(f"{given} {last}")
    return full, last


def surname_variants(last: str) -> list[str]:
    """Spellings of a surname in running text: "de Gaulle" also as "De Gaulle" and "deGaulle"."""
    forms = [last]
    if _PARTICLE.match(last):
        forms.append(last[0].upper() + last[1:])
        forms.append(last.replace(" ", "", 1))
    return forms


def person_forms(persons: Entries) -> dict[str, str]:
    """Every text form that names exactly one listed person → its id."""
    forms: dict[str, str] = {}
    owners: dict[str, set[str]] = {}
    for pid, entry in persons.items():
        full, last = name_forms(str(entry.get("name", "")))
        for form in full:
            forms[form] = pid
        if last and last not in _MONTHS:
            for form in surname_variants(last):
                owners.setdefault(form, set()).add(pid)
    for form, ids in owners.items():
        # A surname shared by two listed persons ("Kennedy") links only through a full name.
        if len(ids) == 1 and form not in forms:
            forms[form] = next(iter(ids))
    return forms


def term_forms(terms: Entries) -> dict[str, str]:
    """Every listed term → its id (the first id wins when a term is listed twice)."""
    forms: dict[str, str] = {}
    for tid, entry in terms.items():
        term = str(entry.get("term", "")).strip()
        if term and term not in forms:
            forms[term] = tid
    return forms


# A word: letters and digits, hyphenated parts included ("Bielka-Karltreu" is one word).
_WORD = re.compile(r"\w+(?:-\w+)*")
_WORD_SPLIT = re.compile(r"(\w+(?:-\w+)*)")
Words = tuple[list[str], list[int]]


def split_words(text: str) -> Words:
    """The text cut into [between, word, between, word, …, between] (the words ``_WORD.finditer``
    finds, in one C call) and the running offsets: word ``parts[k]`` starts at ``offsets[k - 1]``."""
    parts = _WORD_SPLIT.split(text)
    return parts, list(itertools.accumulate(map(len, parts)))


class Matcher:
    """Finds whole-word, case-sensitive mentions of known forms; the longest form wins.

    Forms are indexed by their first word, so a text is scanned once word by word whatever the
    size of the list (one big alternation would try every form at every position).
    """

    def __init__(self, forms: dict[str, str]) -> None:
        self.forms = forms
        by_first: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        for form in forms:
            first = _WORD.match(form)
            if first is None:
                continue
            # Official TEI breaks lines anywhere, so a space in a form matches any run of whitespace.
            body = re.escape(form).replace(r"\ ", r"\s+")
            by_first.setdefault(first.group(), []).append((len(form), re.compile(rf"{body}(?![\w-])")))
        self.by_first = {k: [p for _, p in sorted(v, key=lambda x: -x[0])] for k, v in by_first.items()}

    def find(self, text: str, words: Words | None = None) -> list[tuple[int, int, str]]:
        """(start, end, id) of every mention in ``text``; ``words`` is ``words(text)`` if known."""
        out: list[tuple[int, int, str]] = []
        if not self.by_first:
            return out
        parts, offsets = words if words is not None else split_words(text)
        by_first = self.by_first
        pos = 0
        for k in [k for k in range(1, len(parts), 2) if parts[k] in by_first]:
            start = offsets[k - 1]
            if start < pos:
                continue
            for pattern in by_first[parts[k]]:
                m = pattern.match(text, start)
                if m:
                    out.append((m.start(), m.end(), self.forms[" ".join(m.group().split())]))
                    pos = m.end()
                    break
        return out
