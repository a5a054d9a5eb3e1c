"""Errors and findings raised by the data layer."""

from __future__ import annotations

from dataclasses import dataclass, field

from salesnb.i18n import Message, Verbatim


def row_example(row: int, ids: str = "") -> Message:
    """An example row of a finding, ``row 5 (order_id=O1, amount=-3.5)``: a message (``第 5 行（…）``
    on a Chinese page); the ids and values in it are data, shown as they are."""
    if ids:
        return Message("row {n} ({ids})", n=str(int(row)), ids=Verbatim(ids))
    return Message("row {n}", n=str(int(row)))


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
            # the examples that are messages (``row 5 (...)``), to translate them again
            **({"example_messages": [_message_fields(e) or None for e in self.examples]}
               if any(_message_fields(e) for e in self.examples) else {}),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Problem:
        """The problem :meth:`as_dict` wrote; a translatable message is a message again (the data
        overview shows the runner's validation in the page's language)."""
        message = _message(d) if d.get("message_id") else d["message"]
        as_messages = d.get("example_messages") or [None] * len(d["examples"])
        examples = tuple(_message(m) if m else e
                         for e, m in zip(d["examples"], as_messages, strict=False))
        return cls(d["severity"], d["table"], d["column"], d["kind"], message, count=d["count"],
                   examples=examples, source=d["source"])


def _message_fields(message: str) -> dict:
    """``message_id`` and ``message_params`` of a :class:`salesnb.i18n.Message` with text
    parameters (what :meth:`Problem.from_dict` needs to translate it again); nothing otherwise."""
    from salesnb.i18n import _Join

    if not isinstance(message, Message) or isinstance(message, _Join) or not all(
            isinstance(v, str) and not isinstance(v, Message) for v in message.params.values()):
        return {}
    data = [k for k, v in message.params.items() if isinstance(v, Verbatim)]
    return {"message_id": message.msgid, "message_params": dict(message.params),
            **({"message_data": data} if data else {})}


def _message(fields: dict) -> Message:
    """The message :func:`_message_fields` described; its data parameters (``message_data``: a
    table's name, an id) are data again, never translated as words ("products" is no 产品 there)."""
    data = set(fields.get("message_data") or ())
    params = {k: Verbatim(v) if k in data else v for k, v in (fields.get("message_params") or {}).items()}
    return Message(fields["message_id"], **params)


class DataError(Exception):
    """Raised when a source breaks the data contract. ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem] | str, *, source: str = ""):
        if isinstance(problems, str):
            problems = [Problem("error", "?", None, "other", problems, source=source)]
        self.problems = list(problems)
        lines = [str(p) for p in self.problems]
        head = f"{len(self.problems)} data problem(s)" + (f" in {source}" if source else "")
        super().__init__(head + ":\n  " + "\n  ".join(lines))
