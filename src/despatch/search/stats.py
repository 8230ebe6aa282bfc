"""What indexing did, apart from the indexer: an edit's build reports it without importing the indexer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SearchStats:
    """What indexing did: pages per volume, time, and the largest memory one volume needed."""

    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_kib: int = 0      # high-water mark of one Pagefind run, largest over volumes
    routed: int = 0            # volumes the edition's router covers
    changes: int = 0           # pages in the changes bundle (an incremental build's edited documents)

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())

    @property
    def pages_per_second(self) -> float:
        return self.total_pages / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        if self.changes and not self.pages:   # an incremental build that indexed no volume whole
            return f"search: {self.changes} changed page(s) in the changes index, {self.seconds:.2f} s"
        return (f"search: {self.total_pages} pages in {len(self.pages)} volume index(es), "
                f"{self.seconds:.2f} s ({self.pages_per_second:.0f} pages/s), "
                f"peak {self.peak_rss_kib / 1024:.0f} MiB" + (f", router over {self.routed}" if self.routed else "")
                + (f", {self.changes} changed page(s) in the changes index" if self.changes else ""))
