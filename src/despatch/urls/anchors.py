"""Paragraph anchors for passage-level citation, made from the paragraph's own opening words.

``d245-p-us-policy-is-strongly-opposed`` names the paragraph that begins "US policy is strongly
opposed …". An anchor made from a position (``p7``) moves whenever a paragraph is added or removed
above it; one made from a hash of the whole text moves when a typo anywhere in the paragraph is
fixed. The opening words move only when the opening words themselves change. See docs/urls.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

WORDS = 5          # enough to tell paragraphs apart in practice, short enough to read in a URL
MAX_CHARS = 40     # of the slug, cut at a word boundary
_WORD = re.compile(r"[a-z0-9]+")
# Note markers glued to a word by the text format ("memcon.1", "policy.2") are not words of the text.
# Written as an alternation that starts with a character set, which lets the regex engine skip to
# the digits and punctuation instead of testing the look-behind at every character.
_MARKER = re.compile(r"(?<=[^\W\d_])(?:[.,;:)\u201d\u2019\"']\d|\d)\d{0,2}(?=\s|$)")
_PAGE = re.compile(r"\[Page [^\]]*\]")
_APOSTROPHE = re.compile(r"(?<=\w)['\u2019](?=\w)")
_DIGIT = re.compile("[0-9]")


def words(text: str) -> list[str]:
    """The paragraph's words, lower-cased, accents and punctuation dropped, page markers skipped."""
    # Each step is skipped when the text cannot contain what it removes (most paragraphs).
    if "[Page " in text:
        text = _PAGE.sub(" ", text)
    if text.isascii():
        if _DIGIT.search(text):
            text = _MARKER.sub("", text)
        ascii_text = text
    else:
        text = _MARKER.sub("", text)
        # NFKD splits "é" into "e" and a combining accent, which the ASCII filter then drops.
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    # Apostrophes join ("France's" → "frances") rather than split, so a possessive stays one word.
    if "'" in ascii_text:
        ascii_text = _APOSTROPHE.sub("", ascii_text)
    return _WORD.findall(ascii_text.lower())


def slug(text: str, count: int = WORDS) -> str:
    """The first ``count`` words joined by hyphens, at most MAX_CHARS long (whole words)."""
    return _joined(opening_words(text, count))


def _joined(found: list[str]) -> str:
    """Words joined by hyphens while they fit in MAX_CHARS (the first one cut to it)."""
    joined = "-".join(found)
    if len(joined) <= MAX_CHARS:
        return joined  # all of them fit: the common case, without the loop
    out: list[str] = []
    length = 0
    for word in found:
        extra = len(word) + (1 if out else 0)
        if out and length + extra > MAX_CHARS:
            break
        out.append(word[:MAX_CHARS])
        length += extra
    return "-".join(out)


OPENING = 200  # characters read for the first words; the whole text only when they hold too few
FIRST = 64     # most paragraphs' first five words fit in this much: tried before OPENING


def opening_words(text: str, count: int) -> list[str]:
    """``words(text)[:count]``, reading only the text's opening when that is enough (paragraphs run long).

    The opening ends just after a space, so no step of ``words`` sees a different neighbourhood at the
    cut: markers need a space or the end after their digits, and NFKD never combines across a space.
    A page marker cut in two would leave words behind, so an opening with an unclosed one is not used.
    """
    for size in (FIRST, OPENING):
        found = _opening(text, size, count)
        if found is not None:
            return found
    return words(text)[:count]


def _opening(text: str, size: int, count: int) -> list[str] | None:
    """The first ``count`` words from the text's first ``size`` characters cut after a space, if they are there."""
    cut = text.rfind(" ", 0, size) + 1 if len(text) > size else 0
    if cut > 0:
        head = text[:cut]
        if head.rfind("[Page ") <= head.rfind("]"):
            found = words(head)
            if len(found) >= count:
                return found[:count]
    return None


# Most paragraphs open with five words of ASCII letters (the first may be digits, a printed number: no
# letter before it makes a marker of it), each followed by ASCII that is no letter, digit, apostrophe
# or '[' (which no step of words() removes, joins or reads as a marker or a page), then the start of a
# sixth word, which shows the fifth is whole: those five are the text's first words. A short passage
# ("Kohler, EUR") is read to its end instead.
_SEP = r"[\x00-\x26\x28-\x2f\x3a-\x40\x5c-\x60\x7b-\x7f]"
_FIRST = f"{_SEP}*([A-Za-z]+|[0-9]+)"
_FIVE = re.compile(_FIRST + f"{_SEP}+([A-Za-z]+)" * 4 + f"{_SEP}+[A-Za-z0-9]")
_WHOLE = re.compile(_FIRST + f"(?:{_SEP}+([A-Za-z]+))?" * 4 + f"{_SEP}*\\Z")


def quick_anchor(doc_id: str, opening: str, taken: set[str], whole: bool = False) -> str | None:
    """``folded_anchor`` of every text that begins with ``opening`` (``whole``: of ``opening`` itself), when
    that decides it alone (None: it does not, or the anchor is taken); the text need not be read whole."""
    parts = opening.split(" ", 5)
    first = parts[:5]
    plain = "".join(first)
    if len(parts) == 6 and plain.isascii() and plain.isalpha() and "" not in first and parts[5][:1].isalnum() \
            and parts[5][:1].isascii():
        # The common opening, five words of letters and single spaces (what _FIVE matches), without the regex.
        joined = "-".join(first).lower()
    else:
        found = _FIVE.match(opening) or (_WHOLE.match(opening) if whole else None)
        if found is None:
            return None
        joined = "-".join([w for w in found.groups() if w]).lower()
    if len(joined) > MAX_CHARS:
        joined = _joined(joined.split("-"))
    anchor = f"{doc_id}-p-{joined}"
    return anchor if anchor not in taken else None


def folded_anchor(doc_id: str, raw: str, taken: set[str]) -> str:
    """``paragraph_anchor`` of ``" ".join(raw.split())``, folding only the text's opening when that is enough.

    A folded prefix of the text is a prefix of the folded text (a word cut at its end is only shorter),
    so when it is longer than FIRST its first FIRST characters are the folded text's.
    """
    quick = quick_anchor(doc_id, raw, taken, True)
    if quick is not None:
        return quick
    if len(raw) > 2 * FIRST:
        part = " ".join(raw[:2 * FIRST].split())
        if len(part) > FIRST:
            found = _opening(part, FIRST, WORDS)
            if found is not None:
                anchor = f"{doc_id}-p-{_joined(found)}"
                if anchor not in taken:
                    return anchor
    return paragraph_anchor(doc_id, " ".join(raw.split()), taken)


def paragraph_anchor(doc_id: str, text: str, taken: set[str]) -> str:
    """An id for a paragraph of ``doc_id``, not in ``taken`` (which the caller then updates)."""
    base = slug(text)
    if not base:
        # No words (a paragraph of figures or signs): a short hash of the text still ignores position.
        digest = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:6]
        base = f"x{digest}"
    anchor = f"{doc_id}-p-{base}"
    if anchor not in taken:
        return anchor
    # Two paragraphs open alike: the later one takes more of its words until it differs.
    all_words = words(text)
    for count in range(WORDS + 1, min(len(all_words), 3 * WORDS) + 1):
        longer = f"{doc_id}-p-" + "-".join(all_words[:count])
        if longer not in taken:
            return longer
    n = 2
    while f"{anchor}-{n}" in taken:
        n += 1
    return f"{anchor}-{n}"
