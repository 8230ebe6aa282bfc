"""Errors and warnings that point at a place in a source: ``path:line:col: message``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Diagnostic:
    """One problem found in a source, with its position (1-based line and column)."""

    path: str
    line: int
    col: int
    message: str
    found: str | None = None
    expected: str | None = None
    source_line: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        head = f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"
        parts = [head]
        if self.found is not None:
            parts.append(f"  found: {self.found}")
        if self.expected is not None:
            parts.append(f"  expected: {self.expected}")
        if self.source_line is not None:
            # Show the offending line with a caret under the column, like Jinja and compilers do.
            parts.append(f"  | {self.source_line}")
            parts.append("  | " + " " * max(self.col - 1, 0) + "^")
        return "\n".join(parts)


class SourceError(Exception):
    """A source cannot be read; carries one or more diagnostics."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in diagnostics))

    @classmethod
    def at(
        cls,
        path: str,
        line: int,
        col: int,
        message: str,
        *,
        found: str | None = None,
        expected: str | None = None,
        text: str | None = None,
    ) -> "SourceError":
        """Build an error at a position; ``text`` (the whole source) supplies the offending line."""
        source_line = None
        if text is not None:
            lines = text.splitlines()
            if 1 <= line <= len(lines):
                source_line = lines[line - 1]
        return cls(Diagnostic(path, line, col, message, found, expected, source_line))


def position(text: str, offset: int) -> tuple[int, int]:
    """Turn a character offset into a 1-based (line, column)."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


@dataclass
class Report:
    """Diagnostics gathered over a whole build or check, so one run reports every problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diag: Diagnostic) -> None:
        self.items.append(diag)

    def extend(self, error: SourceError) -> None:
        self.items.extend(error.diagnostics)

    def warn(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, col, message, severity="warning"))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]
