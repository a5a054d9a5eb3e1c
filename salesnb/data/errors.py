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
            **_message_fields(self.message),
            "count": self.count,
            "examples": [str(e) for e in self.examples],
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Problem:
        """The problem :meth:`as_dict` wrote; a translatable message is a message again (the data
        overview shows the runner's validation in the page's language)."""
        message = d["message"]
        if d.get("message_id"):
            from salesnb.i18n import Message

            message = Message(d["message_id"], **d.get("message_params", {}))
        return cls(d["severity"], d["table"], d["column"], d["kind"], message, count=d["count"],
                   examples=tuple(d["examples"]), source=d["source"])


def _message_fields(message: str) -> dict:
    """``message_id`` and ``message_params`` of a :class:`salesnb.i18n.Message` with text
    parameters (what :meth:`Problem.from_dict` needs to translate it again); nothing otherwise."""
    from salesnb.i18n import Message, _Join

    if not isinstance(message, Message) or isinstance(message, _Join) or not all(
            isinstance(v, str) and not isinstance(v, Message) for v in message.params.values()):
        return {}
    return {"message_id": message.msgid, "message_params": dict(message.params)}


class DataError(Exception):
    """Raised when a source breaks the data contract. ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem] | str, *, source: str = ""):
        if isinstance(problems, str):
            problems = [Problem("error", "?", None, "other", problems, source=source)]
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = f"{len(self.problems)} data problem(s)" + (f" in {source}" if source else "")
        super().__init__(head + ":\n  " + "\n  ".join(lines))
