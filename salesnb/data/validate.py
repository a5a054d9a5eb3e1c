"""Validate a dataset against the data contract, collecting every problem.

Each :class:`~salesnb.data.errors.Problem` names the file or table, the column, how many rows and
example rows with their ids and the offending value. Errors stop a run before any notebook starts;
warnings (returns, say) are shown in the data-overview notebook.

All checks run in the engine; only counts and at most five example rows per problem come back. Examples
are the first bad rows in key order (the same rows on every engine); rows of files also carry their
position (``row 5`` = the fifth data row, the header not counted), stored when the file was read.

Rules beyond types and references (see docs/engines.md and docs/data-contract.md):

- dates before :data:`MIN_DATE` (``0202-05-01`` for 2020) or more than a year after the data's as-of
  date are errors (``absurd_date``); customer sign-up and rep hire dates may go back to 1900;
- ``period`` columns (targets, market) must read ``YYYY-MM`` (``2026/10`` is an error) in the same range;
- text numbers must be plain decimals: ``1.234,50``, ``1,234.50``, ``12 EUR``, ``NaN``, ``inf`` and
  ``1_000`` are unparseable (errors naming the rows); NaN or infinite values of typed (Parquet/database)
  columns are errors (``non_finite``); money beyond :data:`ABSURD_AMOUNT` is an error
  (``absurd_amount``), an order line above :data:`OUTLIER_FACTOR` times the median line is a warning
  (``outlier_amount``; with a ``currency`` column, the median line of its own currency);
- an order whose lines name different customers, or different dates, is a warning with counts and
  examples (``inconsistent_order``): real exports hold a few (the Superstore sample has 2 orders with 4
  customers each), each line keeps its own customer and date, and stopping the whole pack for them
  would lose more than it protects;
- a targets table that matches no month of the orders, or whose rep targets match no rep-month of the
  orders, is an error (``targets_unmatched``): the pack would silently compute without targets.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import pandas as pd

from salesnb.data.contract import TABLES, Table
from salesnb.data.errors import DataError, Problem, row_example, values
from salesnb.data.sources import ROW, Dataset, cast_column, open_source
from salesnb.i18n import Message, Verbatim, listing

N_EXAMPLES = 5
#: earliest plausible date of a fact (orders, deals, feedback ...); 0202-05-01 is a typo for 2020
MIN_DATE = pd.Timestamp("1990-01-01")
#: earliest plausible date of a dimension's start (a customer's sign-up, a rep's hire)
MIN_DIMENSION_DATE = pd.Timestamp("1900-01-01")
DIMENSION_DATES = {("customers", "signup_date"), ("reps", "hire_date")}
#: dates (and periods) may lie at most this far after the as-of date (expected closes, plans)
MAX_AHEAD = pd.DateOffset(years=1)
#: a money value this large is a unit or parsing mistake, never a sale
ABSURD_AMOUNT = 1e12
#: an order line above this many times the median absolute line is reported (warning)
OUTLIER_FACTOR = 1000
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
#: money columns (float columns that are not rates, counts or scores)
NOT_MONEY = {"discount", "quantity", "nps", "csat"}


def _examples(expr, key: list[str], column: str | None = None) -> tuple[Message, ...]:
    """The first bad rows in key order (file position breaks ties), as ``row N (ids, value)``
    (:func:`row_example`, the value as a leader reads it: ``amount = -17.00``, ``(empty)``);
    ``ids, value`` alone for a table read without row positions."""
    key = [k for k in key if k in expr.columns]
    has_row = ROW in expr.columns
    order = [*key, *([ROW] if has_row else [])]
    if not order:  # a table without key read from a database: order by every column
        order = [c for c in expr.columns if not expr[c].type().is_nested()]
    show = [c for c in [column] if c and c in expr.columns and c not in key]
    cols = list(dict.fromkeys([*([ROW] if has_row else []), *key, *show]))
    df = expr.order_by(order).select(*cols).limit(N_EXAMPLES).execute()
    out = []
    for r in df.to_dict("records"):
        ids = values([*((k, r[k]) for k in key), *((c, r[c]) for c in show)], ids=key)
        if has_row:
            out.append(row_example(r[ROW], ids))
        else:
            out.append(ids)
    return tuple(out)


@dataclass(frozen=True)
class _Pending:
    """A finding not yet counted: ``expr`` holds its bad rows (see :func:`_resolve`)."""

    ds: Dataset
    spec: Table
    severity: str
    column: str | None
    kind: str
    message: str
    expr: object


def _problem(ds, spec: Table, severity, column, kind, message, expr) -> _Pending:
    return _Pending(ds, spec, severity, column, kind, message, expr)


_NOT_ROW_WISE = (ops.Reduction, ops.WindowFunction, ops.Analytic, ops.Subquery)


def _row_wise(value: ops.Value) -> bool:
    """Whether ``value`` is computed from its own row alone (no aggregate, window or subquery)."""
    return not value.find(_NOT_ROW_WISE, filter=ops.Value)


def _unwrap(rel: ops.Relation, preds: list) -> tuple[ops.Relation, list]:
    """The relation under filters and row-wise projections, with ``preds`` rewritten onto it.

    The typed table is the raw one with cast columns (a projection), and a check may filter a
    filtered table; a predicate over either is the same predicate over the raw table with the casts
    written in. So all findings on one table, typed or not, share one counting query.
    """
    while True:
        if isinstance(rel, ops.Filter):
            to = {ops.Field(rel, c): ops.Field(rel.parent, c) for c in rel.schema.names}
        elif isinstance(rel, ops.Project) and all(map(_row_wise, rel.values.values())):
            to = {ops.Field(rel, c): v for c, v in rel.values.items()}
        else:
            return rel, preds
        preds = [p.replace(to, filter=ops.Value) for p in preds]
        if isinstance(rel, ops.Filter):
            preds = [*rel.predicates, *preds]
        rel = rel.parent


def _resolve(items: list) -> list[Problem]:
    """Count every pending finding and keep those with bad rows, as :class:`Problem`.

    The counts of all findings filtering one table are computed in ONE aggregate query per table (a
    ``sum`` per finding), not one query each: a cluster engine (Spark) pays a fixed cost per query, so
    this turns about 150 queries into about 10. Findings on the typed table and on the raw one count
    in the same query (:func:`_unwrap`): one pass over each table, not two. Examples are then
    fetched for the findings that have bad rows only.
    """
    pending = [x for x in items if isinstance(x, _Pending)]
    out = [x for x in items if not isinstance(x, _Pending)]
    groups: dict = {}
    counts: dict[int, int] = {}
    for i, x in enumerate(pending):
        op = x.expr.op()
        if isinstance(op, ops.Filter):
            base, preds = _unwrap(op.parent, list(op.predicates))
            groups.setdefault(base, []).append((i, [p.to_expr() for p in preds]))
        else:
            counts[i] = int(x.expr.count().execute())
    for parent, members in groups.items():
        aggs = {f"c{i}": ibis.ifelse(ibis.and_(*preds), 1, 0).sum() for i, preds in members}
        row = parent.to_expr().aggregate(**aggs).execute().iloc[0]
        counts.update({i: 0 if pd.isna(row[f"c{i}"]) else int(row[f"c{i}"]) for i, _ in members})
    for i, x in enumerate(pending):
        if counts[i]:
            out.append(Problem(
                x.severity, x.spec.name, x.column, x.kind, x.message, count=counts[i],
                examples=_examples(x.expr, list(x.spec.key), x.column),
                source=x.ds.origin.get(x.spec.name, x.ds.spec)))
    return out


def _blank_text(c):
    """Whether the text ``c`` is empty or only whitespace (as ``strip() == ""``, which Ibis writes
    as a trim of ``string.whitespace`` on every engine). Such a text starts with one of those
    characters, and reading the first character is far cheaper than trimming every value (on 10M
    order ids, 0.8 s of DuckDB time for each required text column): the trim is only reached for
    the texts that start with one."""
    return (c == "") | (c.substr(0, 1).isin(list(string.whitespace)) & (c.strip() == ""))


def _key_text(t, key: list[str]):
    """The key columns as one text (empty when a part is). Distinct key values give distinct texts,
    unless a value holds the separator; so fewer distinct texts than rows may be duplicates (the
    exact query then counts them), and as many as rows proves the key unique."""
    if len(key) == 1:
        return t[key[0]]
    parts = [t[k].cast("string") for k in key]
    text = parts[0]
    for p in parts[1:]:
        text = text + "\x1f" + p
    return text


def validate(dataset: Dataset | str, *, today: pd.Timestamp | None = None) -> list[Problem]:
    """Check ``dataset`` against the contract and return every problem found (errors first).

    Parameters
    ----------
    dataset : Dataset or str
        A dataset, or a source spec for :func:`~salesnb.data.sources.open_source`.
    today : Timestamp, optional
        Orders dated after this day are errors (default: today).

    Returns
    -------
    list of Problem
        Errors (``severity == "error"``) then warnings.
    """
    ds = open_source(dataset) if isinstance(dataset, str) else dataset
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    problems: list[Problem] = []
    if "orders" not in ds.raw:
        return [Problem("error", "orders", None, "missing_table", Message("required table is missing"),
                        source=ds.spec)]
    ds_as_of = None
    finite: set[tuple[str, str]] = set()  # (table, column) of numbers known to hold no NaN or inf
    for name in ds.tables:
        spec = TABLES[name]
        raw = ds.raw[name]
        src = ds.origin.get(name, ds.spec)
        # the row count and, when it can tell, whether the key is unique: one query
        key = spec.key_in(raw.columns)
        has_key = bool(key) and all(k in raw.columns for k in key)
        aggs = {"n": raw.count()}
        if has_key:
            aggs["k"] = _key_text(raw, key).nunique()
        floats = [c for c in spec.columns if c.kind == "float" and c.name in raw.columns]
        for i, col in enumerate(floats):  # finite sums prove no NaN or inf (see check_amounts)
            typed_col = cast_column(raw, col)
            aggs[f"s{i}"] = (raw[col.name] if typed_col is None else typed_col).sum()
        row = raw.aggregate(**aggs).execute().iloc[0]
        n_rows = int(row["n"])
        for i, col in enumerate(floats):
            v = row[f"s{i}"]
            if v is not None and not pd.isna(v) and math.isfinite(float(v)):
                finite.add((name, col.name))
        if n_rows == 0:
            problems.append(Problem("error", name, None, "empty_table", Message("table has no rows"),
                                    source=src))
            continue
        missing = [c for c in spec.required_columns if c not in raw.columns]
        for c in missing:
            problems.append(Problem(
                "error", name, c, "missing_column",
                Message("required column is missing (columns found: {columns})",
                        columns=listing(raw.columns)), source=src,
            ))
        t = ds.located(name, typed=False)
        for col in spec.columns:
            if col.name not in raw.columns:
                continue
            rc = t[col.name]
            tc = cast_column(t, col)
            tc = rc if tc is None else tc
            if col.kind in ("date", "float", "int"):
                what = {"date": Message("values that are not a valid date (YYYY-MM-DD)"),
                        "float": Message("values that are not a valid number (plain decimals such as "
                                         "1234.50: no thousands separators, decimal commas, currency, "
                                         "NaN, inf or 1_000)"),
                        "int": Message("values that are not a valid whole number")}[col.kind]
                present = rc.notnull()
                if raw.schema()[col.name].is_string():
                    present = present & ~_blank_text(rc)
                p = _problem(ds, spec, "error", col.name, f"unparseable_{col.kind}",
                             what, t.filter(present & tc.isnull()))
                if p:
                    problems.append(p)
            if not col.nullable and col.required:
                empty = rc.isnull()
                if raw.schema()[col.name].is_string():
                    empty = empty | _blank_text(rc)
                if col.open_may_be_empty and "status" in raw.columns:  # an open deal may lack it
                    empty = empty & (t["status"].isnull() | (t["status"].cast("string").strip() != "open"))
                p = _problem(ds, spec, "error", col.name, "missing_value",
                             Message("missing values in a required column"), t.filter(empty))
                if p:
                    problems.append(p)
            if col.allowed:
                p = _problem(
                    ds, spec, "error", col.name, "invalid_value",
                    Message("values other than {allowed}", allowed=listing(col.allowed)),
                    t.filter(tc.notnull() & ~tc.cast("string").isin(list(col.allowed))),
                )
                if p:
                    problems.append(p)
        if has_key and int(row["k"]) < n_rows:  # duplicates, or empty or ambiguous keys: count
            dup = raw.group_by(key).aggregate(n=raw.count()).filter(lambda x: x.n > 1)
            # the values repeated go in the message; the count is of rows, as every finding's
            # (00's "Rows" column and "[n rows]" had counted the values)
            got = dup.aggregate(values=dup.count(), rows=dup.n.sum()).execute().iloc[0]
            n_dup = int(got["values"])
            if n_dup:
                ex = dup.order_by(key).limit(N_EXAMPLES).execute()
                problems.append(Problem(
                    "error", name, ", ".join(key), "duplicate_id",
                    Message("duplicate {key} ({n} values appear more than once)",
                            key=Verbatim(" + ".join(key)), n=n_dup),
                    count=int(got["rows"]),
                    examples=tuple(Message("{ids} ({n} times)", ids=values([(k, r[k]) for k in key], ids=key),
                                           n=int(r["n"])) for _, r in ex.iterrows()),
                    source=src,
                ))
    filled = [n for n in ds.tables
              if not any(p.kind == "empty_table" and p.table == n for p in problems)]
    # foreign keys and dates after the as-of date
    try:
        ds_as_of = ds.as_of
    except DataError:
        ds_as_of = None
    for name in filled:
        spec = TABLES[name]
        typed = ds.located(name)
        for col in spec.columns:
            if col.references and col.name in typed.columns:
                rt, rc = col.references
                if rt in ds.tables and rc in ds.raw[rt].columns:
                    ref = ds.table(rt).select(rc).distinct()
                    bad = typed.filter(typed[col.name].notnull()).anti_join(
                        ref, typed[col.name] == ref[rc])
                    p = _problem(ds, spec, "warning" if col.soft_reference else "error", col.name,
                                 "unknown_reference", Message("values not found in {table}.{column}",
                                                              table=Verbatim(rt), column=Verbatim(rc)), bad)
                    if p:
                        problems.append(p)
        limit = today if name == "orders" else ds_as_of
        for c in spec.not_after_as_of:
            if c in typed.columns and limit is not None:
                what = (Message("dates after today") if name == "orders" else
                        Message("dates after the data's as-of date {date}", date=str(limit.date())))
                p = _problem(ds, spec, "error", c, "date_after_as_of", what,
                             typed.filter(typed[c] > limit.date()))
                if p:
                    problems.append(p)
    problems += check_dates(ds, as_of=ds_as_of, tables=filled)
    problems += check_periods(ds, as_of=ds_as_of, tables=filled)
    problems += check_amounts(ds, tables=filled, finite=finite)
    problems += check_orders(ds, tables=filled)
    problems += check_targets(ds, tables=filled)
    from salesnb.data.currency import currency_problems  # mixed currencies need rates

    problems += currency_problems(ds)
    # warnings
    if "orders" in filled and "amount" in ds.raw["orders"].columns:
        o = ds.located("orders")
        p = _problem(ds, TABLES["orders"], "warning", "amount", "negative_amount",
                     Message("negative amounts, read as returns"), o.filter(o.amount < 0))
        if p:
            problems.append(p)
    if "opportunities" in filled and {"status", "created_date", "close_date"} <= set(ds.raw["opportunities"].columns):
        op = ds.located("opportunities")
        p = _problem(ds, TABLES["opportunities"], "warning", "close_date", "close_before_created",
                     Message("won or lost deals whose close date is before their created date: no sales "
                             "cycle can be read from them, so the cycle leaves them out"),
                     op.filter(op.status.isin(["won", "lost"]) & (op.close_date < op.created_date)))
        if p:
            problems.append(p)
    problems = _resolve(problems)
    return sorted(problems, key=lambda p: (p.severity != "error", p.table, str(p.column)))


# The check_* functions return findings that validate() counts together, one query per table
# (see _resolve); call validate() rather than them.
def _month_number(year, month):
    return year * 12 + month - 1


def check_dates(ds: Dataset, *, as_of: pd.Timestamp | None, tables) -> list:
    """Dates of absurd years: before :data:`MIN_DATE` or more than a year after ``as_of``.

    Columns already checked against the as-of date (``not_after_as_of``) get only the lower bound.
    """
    out: list[Problem] = []
    hi = None if as_of is None else as_of + MAX_AHEAD
    for name in tables:
        spec = TABLES[name]
        t = ds.located(name)
        for col in spec.columns:
            if col.kind != "date" or col.name not in t.columns:
                continue
            lo = MIN_DIMENSION_DATE if (name, col.name) in DIMENSION_DATES else MIN_DATE
            c = t[col.name]
            bad = c < lo.date()
            msg = Message("dates before {year}: a typo in the year?", year=str(lo.year))
            if hi is not None and col.name not in spec.not_after_as_of:
                bad = bad | (c > hi.date())
                msg = Message("dates before {year} or after {date} (a year after the data's as-of date): "
                              "a typo in the year?", year=str(lo.year), date=str(hi.date()))
            p = _problem(ds, spec, "error", col.name, "absurd_date", msg, t.filter(c.notnull() & bad))
            if p:
                out.append(p)
    return out


def check_periods(ds: Dataset, *, as_of: pd.Timestamp | None, tables) -> list:
    """Every ``period`` column (targets, market) reads ``YYYY-MM`` and lies in the dates' range.

    A period written ``2026/10`` would match no month and silently drop the targets, so it is an error.
    """
    out: list[Problem] = []
    for name in tables:
        spec = TABLES[name]
        t = ds.located(name, typed=False)
        for col in spec.columns:
            if col.name != "period" or col.name not in t.columns:
                continue
            c = t[col.name]
            if not c.type().is_string():
                continue
            s = c.strip()
            ok = s.re_search(PERIOD_PATTERN)
            # an exchange rate may hold for every month: period "*" (docs/data-contract.md)
            every = (s == "*") if name == "fx_rates" else ibis.literal(False)
            p = _problem(ds, spec, "error", col.name, "invalid_period",
                         Message("periods not written YYYY-MM (e.g. 2026-10) or * (every month)")
                         if name == "fx_rates" else Message("periods not written YYYY-MM (e.g. 2026-10)"),
                         t.filter(c.notnull() & (s != "") & ~ok & ~every))
            if p:
                out.append(p)
            n = _month_number(s.substr(0, 4).try_cast("int64"), s.substr(5, 2).try_cast("int64"))
            bad = n < _month_number(MIN_DATE.year, 1)
            msg = Message("periods before {year}: a typo in the year?", year=str(MIN_DATE.year))
            if as_of is not None:
                hi = as_of + MAX_AHEAD
                bad = bad | (n > _month_number(hi.year, hi.month))
                msg = Message("periods before {year} or after {month} (a year after the data's as-of date): "
                              "a typo in the year?", year=str(MIN_DATE.year), month=hi.strftime("%Y-%m"))
            # the pattern test guards the casts: only YYYY-MM values are cast
            p = _problem(ds, spec, "error", col.name, "absurd_date", msg,
                         t.filter(c.notnull() & ok).filter(bad))
            if p:
                out.append(p)
    return out


def _non_finite(c):
    """NaN or ±infinity, tested on the value's text (``nan``/``inf`` on DuckDB, ``NaN``/``Infinity``
    on Spark): DuckDB folds ``isnan()`` to false from Parquet statistics, which leave NaN out."""
    return c.notnull() & c.cast("string").upper().re_search("NAN|INF")


def check_amounts(ds: Dataset, *, tables, finite: set[tuple[str, str]] = frozenset()) -> list:
    """NaN and infinite numbers, absurd money values (errors) and outlier order lines (warning).

    Text numbers reach here as NaN never (the cast refuses them) and as infinity only from a huge
    exponent (``1e999``); Parquet and database columns can hold both. The test for them reads each
    value as text (engines fold ``isnan`` and comparisons from Parquet statistics, which leave NaN
    out), which is slow on millions of rows; ``finite`` names the (table, column) pairs whose sum
    is a finite number, which proves they hold neither, so the test is left out for them.
    """
    out: list[Problem] = []
    for name in tables:
        spec = TABLES[name]
        t = ds.located(name)
        for col in spec.columns:
            if col.kind != "float" or col.name not in t.columns:
                continue
            c = t[col.name]
            if not c.type().is_floating():
                continue
            known = (name, col.name) in finite
            if not known:
                p = _problem(ds, spec, "error", col.name, "non_finite",
                             Message("NaN or infinite values (leave the cell empty when unknown)"),
                             t.filter(_non_finite(c)))
                if p:
                    out.append(p)
            if col.name in NOT_MONEY:
                continue
            finite_c = c.notnull() if known else c.notnull() & ~_non_finite(c)
            p = _problem(ds, spec, "error", col.name, "absurd_amount",
                         Message("amounts of {limit} or more: a unit or parsing mistake?",
                                 limit=f"{ABSURD_AMOUNT:,.0f}"),
                         t.filter(finite_c & (c.abs() >= ABSURD_AMOUNT)))
            if p:
                out.append(p)
    if "orders" in tables and "discount" in ds.raw["orders"].columns:
        d = ds.located("orders")
        p = _problem(ds, TABLES["orders"], "error", "discount", "discount_range",
                     Message("discounts outside 0–1: a discount is a fraction of the list price "
                             "(0.15 = 15 %); percents need dividing by 100 (scale: 0.01 in the "
                             "import profile)"),
                     d.filter(d.discount.notnull() & ((d.discount < 0) | (d.discount > 1))))
        if p:
            out.append(p)
    if "orders" in tables and "amount" in ds.raw["orders"].columns:
        o = ds.located("orders")
        a = o.amount
        known = ("orders", "amount") in finite
        finite = (a.notnull() if known else a.notnull() & ~_non_finite(a)) & (a.abs() < ABSURD_AMOUNT)
        # amounts in several currencies are compared within their own currency: a median of pesos
        # and dollars flagged 67,160,000 COP (about $14,900) as 1,000 times the median line
        cur = o.currency.fill_null("") if "currency" in o.columns else None
        mids = {}
        if cur is not None:
            m = (o.filter(finite & (a != 0)).mutate(_cur=cur).group_by("_cur")
                 .aggregate(mid=lambda x: x.amount.abs().median()).execute())
            mids = {k: float(v) for k, v in zip(m["_cur"], m["mid"], strict=True)
                    if v is not None and not pd.isna(v) and v > 0}
        if len(mids) > 1:
            over = ibis.literal(False)
            for k, v in mids.items():
                over = over | ((cur == k) & (a.abs() > v * OUTLIER_FACTOR))
            each = listing(f"{k or ds.reporting_currency or ''} {v:,.2f}" for k, v in sorted(mids.items()))
            p = _problem(ds, TABLES["orders"], "warning", "amount", "outlier_amount",
                         Message("order lines above {factor} times the median line of their own "
                                 "currency ({medians}): check them", factor=f"{OUTLIER_FACTOR:,}",
                                 medians=each),
                         o.filter(finite & over))
            if p:
                out.append(p)
        else:
            mid = o.filter(finite & (a != 0)).amount.abs().median().execute()
            if mid is not None and not pd.isna(mid) and mid > 0:
                limit = float(mid) * OUTLIER_FACTOR
                p = _problem(ds, TABLES["orders"], "warning", "amount", "outlier_amount",
                             Message("order lines above {limit} ({factor} times the median line of "
                                     "{median}): check them", limit=f"{limit:,.0f}",
                                     factor=f"{OUTLIER_FACTOR:,}", median=f"{float(mid):,.2f}"),
                             o.filter(finite & (a.abs() > limit)))
                if p:
                    out.append(p)
    return out


def check_orders(ds: Dataset, *, tables) -> list:
    """Lines of one order naming different customers or different dates (warnings, with examples)."""
    if "orders" not in tables:
        return []
    o = ds.table("orders")
    spec = TABLES["orders"]
    src = ds.origin.get("orders", ds.spec)
    cols = [c for c in ("customer_id", "order_date") if c in o.columns]
    if "order_id" not in o.columns or not cols:
        return []
    # two values differ when the least and the greatest differ: cheaper than counting distinct
    # values of every order (the distinct counts are computed for the examples only)
    g = o.group_by("order_id").aggregate(
        _lines=o.count(), **{f"lo_{c}": o[c].min() for c in cols}, **{f"hi_{c}": o[c].max() for c in cols})
    # the orders go in the message, their lines (rows) in the count, as every finding's
    counts = g.aggregate(**{c: ibis.ifelse(g[f"lo_{c}"] != g[f"hi_{c}"], 1, 0).sum() for c in cols},
                         **{f"r_{c}": ibis.ifelse(g[f"lo_{c}"] != g[f"hi_{c}"], g._lines, 0).sum()
                            for c in cols}).execute().iloc[0]
    out: list[Problem] = []
    for col in cols:
        n = 0 if pd.isna(counts[col]) else int(counts[col])
        if not n:
            continue
        n_lines = int(counts[f"r_{col}"])
        severity = "warning"
        first = g.filter(g[f"lo_{col}"] != g[f"hi_{col}"]).order_by("order_id").limit(N_EXAMPLES)
        lines = o.semi_join(first.select("order_id"), "order_id")
        ex = lines.group_by("order_id").aggregate(**{col: lines[col].nunique()}).order_by(
            "order_id").execute()
        what = "customers" if col == "customer_id" else "dates"
        # the example names the order and how many different values its lines carry (data words: the column)
        out.append(Problem(
            severity, spec.name, col, "inconsistent_order",
            Message("{n} orders whose lines name different customers", n=f"{n:,}") if what == "customers" else
            Message("{n} orders whose lines name different dates", n=f"{n:,}"), count=n_lines,
            examples=tuple(Message("{ids}: {n} different customer_id" if what == "customers" else
                                   "{ids}: {n} different order_date",
                                   ids=values([("order_id", r["order_id"])], ids=["order_id"]), n=int(r[col]))
                           for r in ex.to_dict("records")),
            source=src))
    return out


def check_targets(ds: Dataset, *, tables) -> list:
    """A targets table that matches no month, or no rep-month, of the orders is an error.

    Otherwise the notebooks join targets to nothing and compute as if no target applied.
    """
    if "targets" not in tables or "orders" not in tables:
        return []
    t = ds.table("targets")
    o = ds.table("orders")
    if "period" not in t.columns or "order_date" not in o.columns:
        return []
    s = t.period.cast("string").strip()
    t = t.filter(s.re_search(PERIOD_PATTERN)).mutate(
        _ym=_month_number(s.substr(0, 4).try_cast("int64"), s.substr(5, 2).try_cast("int64")))
    if int(t.count().execute()) == 0:
        return []  # no valid period: check_periods reports it
    o = o.filter(o.order_date.notnull())
    om = o.mutate(_ym=_month_number(o.order_date.year(), o.order_date.month()))
    spec = TABLES["targets"]
    src = ds.origin.get("targets", ds.spec)
    months = om.select("_ym").distinct()
    if int(t.semi_join(months, "_ym").count().execute()) == 0:
        r = t.aggregate(lo=t._ym.min(), hi=t._ym.max()).execute().iloc[0]
        q = om.aggregate(lo=om._ym.min(), hi=om._ym.max()).execute().iloc[0]

        def ym(n):
            return f"{int(n) // 12:04d}-{int(n) % 12 + 1:02d}"

        return [Problem("error", "targets", "period", "targets_unmatched",
                        Message("no target period matches a month of the orders (targets {t0} to {t1}, "
                                "orders {o0} to {o1})", t0=ym(r.lo), t1=ym(r.hi), o0=ym(q.lo), o1=ym(q.hi)),
                        source=src)]
    if {"level", "key"} <= set(t.columns) and "rep_id" in o.columns:
        rt = t.filter(t.level == "rep")
        if int(rt.count().execute()):
            rep_months = om.filter(om.rep_id.notnull()).select(
                key=om.rep_id.cast("string"), _ym=om._ym).distinct()
            if int(rt.semi_join(rep_months, ["key", "_ym"]).count().execute()) == 0:
                ex = rt.select("key", "period").order_by(["key", "period"]).limit(N_EXAMPLES).execute()
                return [Problem(
                    "error", spec.name, "key", "targets_unmatched",
                    Message("no rep target matches a rep and month of the orders (rep_id and period)"),
                    count=int(rt.count().execute()),
                    examples=tuple(values([("key", r.key), ("period", r.period)], ids=["key", "period"])
                                   for r in ex.itertuples()),
                    source=src)]
    return []


def check(dataset: Dataset | str, **kwargs) -> list[Problem]:
    """Like :func:`validate`, but raise :class:`DataError` listing every error when there is one.

    Returns the warnings otherwise.
    """
    ds = open_source(dataset) if isinstance(dataset, str) else dataset
    problems = validate(ds, **kwargs)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(errors, source=ds.spec)
    return problems


VALIDATION_FILE = "validation.json"


def save(problems: list[Problem], folder, *, fingerprint: str) -> None:
    """Write ``problems`` with the data fingerprint they belong to (the runner does, once per run)."""
    import json
    from pathlib import Path

    doc = {"fingerprint": fingerprint, "problems": [p.as_dict() for p in problems]}
    (Path(folder) / VALIDATION_FILE).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


def load_or_validate(ds: Dataset, folder=None) -> list[Problem]:
    """The run's validation result when ``folder`` holds one for this very data, else validate now.

    The runner validates before any notebook starts; reading its result spares the data overview a
    second pass over every table. A file written for other data (another fingerprint) is ignored.
    """
    import json
    from pathlib import Path

    f = Path(folder) / VALIDATION_FILE if folder else None
    if f is not None and f.exists():
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = {}
        if doc.get("fingerprint") == ds.fingerprint()["sha256"]:
            return [Problem.from_dict(d) for d in doc["problems"]]
    return validate(ds)
