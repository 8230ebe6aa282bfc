"""The benchmark's table: one row per build, speed ratios against despatch of the same size."""

from __future__ import annotations

from typing import Any

COLUMNS = ("docs", "tool", "seconds", "CPU s", "docs/s", "despatch÷tool", "peak MB", "max proc MB",
           "output MB", "KB/page", "page+CSS gz KB")
WIDTHS = (7, 18, 9, 8, 9, 13, 9, 11, 10, 8, 14)
HEADER = "  ".join(c.rjust(w) if i != 1 else c.ljust(w) for i, (c, w) in enumerate(zip(COLUMNS, WIDTHS)))


def cells(row: dict[str, Any], ratio: str = "") -> list[str]:
    """A row's values, formatted."""
    weight = row.get("page_weight") or {}
    kb = lambda v: f"{v / 1024:.1f}" if v else "–"  # noqa: E731
    values = [str(row["size"]), row["tool"], f"{row['seconds']:.2f}", f"{row.get('cpu_seconds', 0):.1f}",
              f"{row['docs_per_s']:.0f}" if row.get("docs_per_s") else "–", ratio,
              f"{row['peak_pss_mb']:.0f}", f"{row['max_process_mb']:.0f}",
              f"{row['output_bytes'] / 1e6:.1f}", kb(row.get("bytes_per_page")),
              kb(weight.get("total_gzip"))]
    if row.get("returncode"):
        values[4] = "FAILED"
    return values


def line(values: list[str]) -> str:
    """Align one row under the header."""
    return "  ".join(v.rjust(w) if i != 1 else v.ljust(w) for i, (v, w) in enumerate(zip(values, WIDTHS)))


def row_line(row: dict[str, Any]) -> str:
    """A row printed as soon as its build ends (no ratio yet)."""
    return line(cells(row))


def incremental_line(inc: dict[str, Any]) -> str:
    """The incremental builds: medians and ranges (a single edit, as earlier results hold, as it was)."""
    runs = inc.get("edit_runs")
    if not runs:
        return (f"unchanged rebuild {inc['unchanged_seconds']:.2f} s, one edited document "
                f"{inc['one_edit_seconds']:.2f} s ({inc['edited']})")
    same = inc.get("unchanged_runs") or [inc["unchanged_seconds"]]
    return (f"unchanged rebuild {inc['unchanged_seconds']:.2f} s (median of {len(same)}, {min(same):.2f}–"
            f"{max(same):.2f}), one edited document {inc['one_edit_seconds']:.2f} s (median of {len(runs)} "
            f"documents, {min(runs):.2f}–{max(runs):.2f})")


def hugo_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's target, without search: how fast despatch is against each Hugo site, size by size."""
    ok = {(r["size"], r["tool"]): r["docs_per_s"] for r in rows if r.get("docs_per_s") and not r.get("returncode")}
    out = []
    for size in sorted({size for size, _ in ok}):
        ours = ok.get((size, "despatch-nosearch"))
        pairs = [f"÷ {tool} {ours / ok[(size, tool)]:.2f}" for tool in ("hugo", "hugo-site")
                 if ours and (size, tool) in ok]
        if pairs:
            out.append(f"without search at {size} documents, despatch " + ", ".join(pairs))
    return ["", *out] if out else []


def table(results: dict[str, Any]) -> str:
    """All rows with ratios, then the incremental build, then the notes on the columns."""
    rows = results["runs"]
    out = [HEADER]
    for row in rows:
        base = next((r for r in rows if r["size"] == row["size"] and r["tool"] == "despatch"
                     and not r.get("returncode")), None)
        ratio = ""
        if base and row.get("docs_per_s") and not row.get("returncode") and row is not base:
            ratio = f"{base['docs_per_s'] / row['docs_per_s']:.2f}"
        out.append(line(cells(row, ratio)))
    out.extend(hugo_lines(rows))
    inc = results.get("incremental")
    if inc:
        out.append(f"\nincremental, {inc['size']} documents: " + incremental_line(inc))
    for size, s in (results.get("search") or {}).items():
        if "bytes" in s:
            out.append(f"first search at {size} documents ('{s['query']}', {s['bundles']} volume bundles): "
                       f"{s['requests']} requests, {s['bytes'] / 1024:.0f} KB as stored, "
                       f"{s['wire_bytes_gzip'] / 1024:.0f} KB with gzip for uncompressed files")
    out.append("\npeak MB: sampled sum of proportional set sizes over the build's process tree; "
               "max proc MB: the largest single process.\ndespatch÷tool: how many times faster "
               "despatch (full build with search) is than the row's tool on the same documents.")
    return "\n".join(out)
