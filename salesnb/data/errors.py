"""Errors and findings raised by the data layer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One validation finding: where it is, how many rows, and examples."""

    severity: str  # "error" or "warning"
    table: str
    column: str | None
    kind: str
    message: str
    count: int = 0
    examples: tuple = field(default=())
    source: str = ""

    def __str__(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        src = f"{self.source}: " if self.source else ""
        ex = ""
        if self.examples:
            ex = " (e.g. " + ", ".join(str(e) for e in self.examples) + ")"
        n = f" [{self.count} rows]" if self.count else ""
        return f"{self.severity.upper()} {src}{where}: {self.message}{n}{ex}"

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "table": self.table,
            "column": self.column,
            "kind": self.kind,
            "message": self.message,
            "count": self.count,
            "examples": [str(e) for e in self.examples],
            "source": self.source,
        }


class DataError(Exception):
    """Raised when a source breaks the data contract. ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem] | str, *, source: str = ""):
        if isinstance(problems, str):
            problems = [Problem("error", "?", None, "other", problems, source=source)]
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = f"{len(self.problems)} data problem(s)" + (f" in {source}" if source else "")
        super().__init__(head + ":\n  " + "\n  ".join(lines))
