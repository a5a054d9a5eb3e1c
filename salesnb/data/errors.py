"""Errors and findings raised by the data layer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from salesnb.i18n import Message, Verbatim


def row_example(row: int, ids: str | Message = "") -> Message:
    """An example row of a finding, ``row 5 (order_id = O1, amount = -3.50)``: a message (``第 5 行（…）``
    on a Chinese page); ``ids`` is :func:`values` (or plain text: data, shown as it is)."""
    if ids:
        return Message("row {n} ({ids})", n=str(int(row)),
                       ids=ids if isinstance(ids, Message) else Verbatim(ids))
    return Message("row {n}", n=str(int(row)))


def shown(value: Any, *, number: bool = True) -> Message | Verbatim:
    """A cell's value as a leader reads it in an example: an empty cell (or blank text) is "(empty)"
    / "（空）", a date ``2024-03-01``, a number formatted as on the pages (``-17.00``, ``1,234.50``;
    ``number=False`` for ids, written as they are), text as it is (the first 40 characters)."""
    import math

    import pandas as pd

    from salesnb import fmt

    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return Message("(empty)")
    if isinstance(value, str):
        if not value.strip():
            return Message("(empty)")
        return Verbatim(value if len(value) <= 40 else value[:40] + "…")
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        ts = pd.Timestamp(value)
        return Verbatim(str(ts.date()) if ts == ts.normalize() else str(ts))
    if number and not isinstance(value, bool):
        try:
            v = float(value)
        except (TypeError, ValueError):
            return Verbatim(str(value))
        if not math.isfinite(v):
            return Verbatim(str(v))
        whole = isinstance(value, int) or type(value).__name__.startswith(("int", "uint"))
        return Verbatim(fmt.number(v, decimals=0 if whole else 2))
    return Verbatim(str(value))


def values(pairs: Iterable[tuple[str, Any]], *, ids: Iterable[str] = ()) -> Message:
    """Column-value pairs of an example, ``order_id = O1, amount = -17.00`` (``、`` between them on a
    Chinese page); the columns in ``ids`` are written as they are, the others through :func:`shown`."""
    ids = set(ids)
    return Message.join(", ", [Message("{column} = {value}", column=Verbatim(c),
                                       value=shown(v, number=c not in ids)) for c, v in pairs])


#: how a page names the rows of a table in a finding about several tables
_ROWS_OF = {"orders": "{n:,} order rows", "opportunities": "{n:,} deal rows"}


def rows_apart(counts: Iterable[tuple[str, int]]) -> Message:
    """The rows of each table of a finding, apart: ``"129 order rows, 399 deal rows"`` ("129 行订单、
    399 行商机" on a Chinese page); a table without a word of its own is ``"5 rows of fx_rates"``."""
    return Message.join(", ", [Message(_ROWS_OF[t], n=int(n)) if t in _ROWS_OF
                               else Message("{n:,} rows of {table}", n=int(n), table=Verbatim(t))
                               for t, n in counts])


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
    #: the rows of a finding about several tables, table by table (``(("orders", 129),
    #: ("opportunities", 399))``): said apart, never summed into one "rows"; ``count`` is their sum
    counts: tuple = field(default=())

    @property
    def rows(self) -> int | Message:
        """The finding's rows as a page shows them: ``count``, or the rows of each table apart
        (:func:`rows_apart`: "129 order rows, 399 deal rows")."""
        return rows_apart(self.counts) if self.counts else self.count

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        """The finding on one line, in ``lang`` (``salesnb import --lang zh-CN`` prints it so):
        ``ERROR file: orders.amount: message [3 rows] (e.g. row 5 (...))``."""
        from salesnb.i18n import t

        where = f"{self.table}.{self.column}" if self.column else self.table
        src = f"{self.source}: " if self.source else ""
        ex = ""
        if self.examples:
            ex = t(" (e.g. {examples})", lang, examples=Message.join("; ", [
                e if isinstance(e, Message) else Verbatim(str(e)) for e in self.examples]))
        n = (" [" + t(self.rows, lang) + "]" if self.counts else
             t(" [{n} rows]", lang, n=self.count) if self.count else "")
        severity = self.severity.upper() if lang == "en" else t(self.severity, lang)
        return f"{severity} {src}{where}: {t(self.message, lang)}{n}{ex}"

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
            **({"counts": [[t, int(n)] for t, n in self.counts]} if self.counts else {}),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Problem:
        """The problem :meth:`as_dict` wrote; a translatable message is a message again (the data
        overview shows the runner's validation in the page's language)."""
        message = _message(d) if d.get("message_id") or d.get("message_join") else d["message"]
        as_messages = d.get("example_messages") or [None] * len(d["examples"])
        examples = tuple(_message(m) if m else e
                         for e, m in zip(d["examples"], as_messages, strict=False))
        return cls(d["severity"], d["table"], d["column"], d["kind"], message, count=d["count"],
                   examples=examples, source=d["source"],
                   counts=tuple((str(t), int(n)) for t, n in d.get("counts") or ()))


def _encode(x: Any, *, part: bool = False) -> Any:
    """A message as JSON, nested messages and joins kept (so a page in another process translates
    every part again); data (:class:`Verbatim`) is ``{"data": text}`` inside a join."""
    from salesnb.i18n import _Join

    if isinstance(x, _Join):
        return {"join": x.sep, "parts": [_encode(p, part=True) for p in x.parts]}
    if isinstance(x, Message):
        data = [k for k, v in x.params.items() if isinstance(v, Verbatim)]
        return {"message_id": x.msgid, "message_params": {k: _encode(v) for k, v in x.params.items()},
                **({"message_data": data} if data else {})}
    if isinstance(x, Verbatim):
        return {"data": str(x)} if part else str(x)
    return x if isinstance(x, (str, int, float, bool)) or x is None else str(x)


def _decode(x: Any) -> Any:
    """What :func:`_encode` wrote, as messages and data again."""
    if not isinstance(x, dict):
        return x
    if "join" in x:
        return Message.join(x["join"], [_decode(p) for p in x.get("parts") or ()])
    if "data" in x:
        return Verbatim(x["data"])
    return _message(x)


def _message_fields(message: Any) -> dict:
    """``message_id``, ``message_params`` (``message_data``: the parameters that are data) of a
    :class:`salesnb.i18n.Message`, or ``message_join`` for parts joined (what :meth:`Problem.from_dict`
    needs to translate it again); nothing for plain text."""
    from salesnb.i18n import _Join

    if isinstance(message, _Join):
        return {"message_join": _encode(message)}
    return _encode(message) if isinstance(message, Message) else {}


def _message(fields: dict) -> Message:
    """The message :func:`_message_fields` described; its data parameters (``message_data``: a
    table's name, an id) are data again, never translated as words ("products" is no 产品 there)."""
    if fields.get("message_join"):
        return _decode(fields["message_join"])
    data = set(fields.get("message_data") or ())
    params = {k: Verbatim(v) if k in data and isinstance(v, str) else _decode(v)
              for k, v in (fields.get("message_params") or {}).items()}
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
