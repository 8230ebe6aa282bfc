"""An incremental build's outputs: the files that stand after it, and the last build's that it leaves stale."""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Collection


def standing_outputs(new: list[str], old: list[str], page_keys: Collection[str], old_pages: Collection[str],
                     keep: list[str], folded: list[str], touched: list[str], same_urls: bool,
                     is_extra: Callable[[str], bool]) -> tuple[list[str], list[str]]:
    """An incremental build's outputs, and the last build's outputs that are stale (both sorted).

    What stands: the files staged now (``new``), every index page (kept or not), the search files
    kept, a volume's extras (ebook, references, search shard) unless this build made them again,
    and, when the URL products stand (``same_urls``), the last build's files that are none of
    those, index pages and assets. ``old`` is sorted (as saved): only the parts of it under the
    assets and the volumes made again, and the index pages no longer made, are looked at.
    """
    if not same_urls or not is_sorted(old):
        return _standing_all(new, old, page_keys, old_pages, keep, set(folded), set(touched), same_urls, is_extra)
    given, folded_set, touched_set = {*new, *keep}, set(folded), set(touched)

    def stale(o: str) -> bool:  # the rule of _standing_all for one old file
        if o in given or o in page_keys:
            return False
        if is_extra(o):
            return _made_again(o, folded_set, touched_set)
        return o.startswith("assets/") or o in old_pages

    known = set(old)
    candidates = {o for o in old_pages if o not in page_keys and o in known}
    for prefix in ["assets/", *(f"{vol}/" for vol in sorted(folded_set | touched_set))]:
        candidates.update(old[bisect.bisect_left(old, prefix):bisect.bisect_left(old, prefix[:-1] + "0")])
    gone = sorted(o for o in candidates if stale(o))
    dropped = set(gone)
    # The old list without its stale files, then what is new: nearly sorted, which sorts in one pass.
    outputs = [o for o in old if o not in dropped] if dropped else list(old)
    outputs.extend(sorted({o for o in given if o not in known} | {o for o in page_keys if o not in known}))
    outputs.sort()
    return outputs, gone


def _made_again(extra: str, folded: set[str], touched: set[str]) -> bool:
    """Whether this build made a volume's extra again: its search shard if the volume was indexed whole
    (``folded``), its ebook and references if the volume was touched. The others stand."""
    vol, _, rest = extra.partition("/")
    return vol in (folded if rest.partition("/")[0] == "pagefind" else touched)


def is_sorted(items: list[str]) -> bool:
    """Strictly ascending (sorted, no repeats), compared in C."""
    return all(map(operator.lt, items, itertools.islice(items, 1, None)))


def _standing_all(new: list[str], old: list[str], page_keys: Collection[str], old_pages: Collection[str],
                  keep: list[str], folded: set[str], touched: set[str], same_urls: bool,
                  is_extra: Callable[[str], bool]) -> tuple[list[str], list[str]]:
    """``standing_outputs`` by looking at every old file (the URL products made again, or an unsorted list)."""
    standing = set(new)
    standing.update(page_keys)
    standing.update(o for o in old if is_extra(o) and not _made_again(o, folded, touched))
    standing.update(keep)
    if same_urls:  # the URL products' files: not index pages, assets or a volume's extras
        standing.update(o for o in old if o not in old_pages and not is_extra(o) and not o.startswith("assets/"))
    return sorted(standing), sorted({o for o in old if o not in standing})
