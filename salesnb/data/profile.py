"""Data health: tables, row counts, date coverage and completeness, computed in the engine."""

from __future__ import annotations

import pandas as pd

from salesnb.data.contract import TABLES
from salesnb.data.sources import Dataset
from salesnb.i18n import Message, Verbatim, listing


def table_summary(ds: Dataset) -> pd.DataFrame:
    """One row per canonical table: rows, columns, first and last date of its main date column.

    Returns
    -------
    DataFrame
        ``table``, ``rows``, ``columns``, ``date_column``, ``first_date``, ``last_date``, ``origin``.
    """
    rows = []
    for name in ds.tables:
        t = ds.table(name)
        date_cols = [c.name for c in TABLES[name].columns if c.kind == "date" and c.name in t.columns]
        aggs = {"rows": t.count()}
        if date_cols:
            aggs["first_date"] = t[date_cols[0]].min()
            aggs["last_date"] = t[date_cols[0]].max()
        r = t.aggregate(**aggs).execute().iloc[0]
        rows.append({
            "table": name,
            "rows": int(r["rows"]),
            "columns": len(t.columns),
            "date_column": date_cols[0] if date_cols else "",
            "first_date": pd.Timestamp(r["first_date"]) if date_cols else pd.NaT,
            "last_date": pd.Timestamp(r["last_date"]) if date_cols else pd.NaT,
        })
    return pd.DataFrame(rows)


def completeness(ds: Dataset) -> pd.DataFrame:
    """Share of non-missing values per contract column of every table present.

    Returns
    -------
    DataFrame
        ``table``, ``column``, ``required``, ``filled`` (fraction 0–1), ``missing`` (rows).
        ``required`` means "must be complete": a column the contract requires but lets be empty
        (``opportunities.customer_id``, a deal without a customer; an open deal's ``close_date`` and
        ``amount``) is not, since its gaps are no
        validation problem (Maven CRM's 00 called it required, 85.8 % filled, beside "No
        validation problems").
    """
    rows = []
    for name in ds.tables:
        t = ds.table(name)
        spec = TABLES[name]
        cols = [c for c in spec.columns if c.name in t.columns]
        if not cols:
            continue
        aggs = {"_n": t.count()}
        aggs.update({c.name: t[c.name].count() for c in cols})
        r = t.aggregate(**aggs).execute().iloc[0]
        n = int(r["_n"]) or 1
        for c in cols:
            rows.append({"table": name, "column": c.name,
                         "required": c.required and not c.nullable and not c.open_may_be_empty,
                         "filled": int(r[c.name]) / n, "missing": n - int(r[c.name])})
        for c in spec.columns:
            if c.name not in t.columns and not c.required:
                rows.append({"table": name, "column": c.name, "required": False,
                             "filled": 0.0, "missing": n})
    return pd.DataFrame(rows)


def completeness_view(comp: pd.DataFrame) -> tuple[pd.DataFrame, Message | str]:
    """00's completeness table and the sentence beside it.

    The table keeps the incomplete columns that hold some value (and required ones); the optional
    columns that hold no value at all (absent from the source, or empty) are named in one sentence,
    by table: Maven CRM's page listed 24 of them at "0.0 %", row after row.

    Parameters
    ----------
    comp : DataFrame
        :func:`completeness`.

    Returns
    -------
    (DataFrame, Message or str)
        The rows to show (``filled`` < 1), and the sentence ("" when no optional column is empty).
    """
    gaps = comp[comp["filled"] < 1]
    empty = (gaps["filled"] == 0) & ~gaps["required"].astype(bool)
    table = gaps[~empty].reset_index(drop=True)
    none = gaps[empty]
    if none.empty:
        return table, ""
    by_table = Message.join("; ", [
        Message("{table} ({columns})", table=Verbatim(t), columns=listing(g["column"]))
        for t, g in none.groupby("table", sort=False)])
    return table, Message("{n} optional columns hold no value at all, so the sections that need them are "
                          "skipped: {columns}.", n=len(none), columns=by_table)


def _examples(examples) -> Message:
    """Examples of a finding in one cell: the messages (``row 5 (...)``) translated on the page,
    the others data (``order_id=O1 (customer_id ×4)``), shown as they are."""
    return Message.join("; ", [e if isinstance(e, Message) else Verbatim(str(e)) for e in examples])


def problems_frame(problems) -> pd.DataFrame:
    """Validation problems as a table (severity, table, column, rows, message, examples).

    ``rows`` is a number, or for a finding about several tables the rows of each apart (a message:
    "129 order rows, 399 deal rows"); show it with ``int_cols=["rows"]`` and ``"rows"`` in ``values``.

    ``message`` and ``examples`` are messages: show them with ``values=["severity", "message",
    "examples"]``, so that a Chinese page reads 第 5 行 where the CLI prints ``row 5``."""
    cols = ["severity", "table", "column", "rows", "message", "examples"]
    if not problems:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame([{
        "severity": p.severity, "table": p.table, "column": p.column or "", "rows": p.rows,
        "message": p.message, "examples": _examples(p.examples[:3]),
    } for p in problems])[cols]
