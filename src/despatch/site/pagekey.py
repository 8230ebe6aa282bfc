"""What an index page's bytes depend on, as a key: its template, path, navigation and a fingerprint of its
context, so an incremental build writes again only the pages whose key changed."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import pickle
from typing import Any

from ..model import Citation, DocRecord
from .pages import Page, record_print

Memo = dict[int, tuple[Any, str]]
SHORT = 160  # characters of a value's text up to which it is not hashed
_citation_fields = operator.attrgetter(*(f.name for f in dataclasses.fields(Citation)))


def fingerprint(value: Any, memo: Memo) -> str:
    """A hash of a page's context value, records taken by what index pages see of them (``record_print``).

    Shared objects (a repository's whole tree of files, a volume's record list) are hashed once while
    ``memo`` lives, by identity: the memo holds each object it names, so no other can take its id, with
    its hash.
    """
    kind = type(value)
    if kind is str:
        return value
    key = id(value)
    if key in memo:
        return memo[key][1]
    if kind is DocRecord:
        text = "\2R" + record_print(value)  # short already: no need to hash it
        memo[key] = (value, text)
        return text
    elif kind is Citation:
        # A dataclass of strings (and a flag): its fields say it all, read faster than its repr.
        text = "C\0" + "\0".join([str(v) for v in _citation_fields(value)])
    elif kind in (int, float, bool) or value is None:
        return f"{kind.__name__}:{value}"
    elif kind is list or kind is tuple:
        text = "L\0" + "\0".join([fingerprint(v, memo) for v in value])
    elif kind is dict:
        text = "D\0" + "\0".join([f"{fingerprint(k, memo)}\1{fingerprint(v, memo)}" for k, v in value.items()])
    else:
        # Anything else (a Volume, a Markup string, a set): its pickle, as before.
        text = "P" + pickle.dumps(value, protocol=5).hex()
    # A short text is its own fingerprint, framed by its length (a citation, a row of a few fields):
    # hashing it would cost more than the longer text its container then hashes.
    short = len(text) < SHORT
    digest = f"S{len(text)}:{text}" if short else hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    memo[key] = (value, digest)
    return digest


def page_key(base: str, page: Page, nav: list[dict[str, str]], memo: Memo) -> str:
    """What a page's bytes depend on: template, path, navigation and the fingerprint of its context.

    Where a value cannot be fingerprinted, the page is simply rendered again.
    """
    # The navigation's text once while the memo lives (under its negated id: no value's id is negative).
    navs = memo.get(-id(nav))
    if navs is None:
        navs = memo[-id(nav)] = (nav, repr(nav))
    parts = [base, page.path, page.template, navs[1]]
    if page.keyed:
        parts += ["\1keyed", page.keyed]
    else:
        try:
            for name, value in sorted(page.context.items()):
                parts += [name, fingerprint(value, memo)]
        except (pickle.PicklingError, TypeError, AttributeError):
            return ""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
