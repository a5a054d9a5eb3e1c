"""Validate a dataset against the data contract, collecting every problem.

Each :class:`~salesnb.data.errors.Problem` names the file or table, the column, how many rows and
example row numbers (1-based data rows, the header not counted) with their ids. Errors stop a run before
any notebook starts; warnings (returns, say) are shown in the data-overview notebook.

All checks run in the engine; only counts and at most five example rows per problem come back.
"""

from __future__ import annotations

import ibis
import pandas as pd

from salesnb.data.contract import TABLES, Table
from salesnb.data.errors import DataError, Problem
from salesnb.data.sources import Dataset, cast_column, open_source

N_EXAMPLES = 5


def _examples(expr, key: list[str]) -> tuple[str, ...]:
    cols = ["_row", *[k for k in key if k in expr.columns]]
    df = expr.order_by("_row").select(*cols).limit(N_EXAMPLES).execute()
    out = []
    for r in df.itertuples(index=False):
        ids = ", ".join(f"{c}={getattr(r, c)}" for c in cols[1:])
        out.append(f"row {r._0}" + (f" ({ids})" if ids else ""))
    return tuple(out)


def _problem(ds, spec: Table, severity, column, kind, message, expr) -> Problem | None:
    n = int(expr.count().execute())
    if n == 0:
        return None
    key = list(spec.key[:1]) if spec.key else []
    return Problem(
        severity, spec.name, column, kind, message, count=n,
        examples=_examples(expr, key), source=ds.origin.get(spec.name, ds.spec),
    )


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
        return [Problem("error", "orders", None, "missing_table", "required table is missing",
                        source=ds.spec)]
    ds_as_of = None
    for name in ds.tables:
        spec = TABLES[name]
        raw = ds.raw[name]
        src = ds.origin.get(name, ds.spec)
        n_rows = int(raw.count().execute())
        if n_rows == 0:
            problems.append(Problem("error", name, None, "empty_table", "table has no rows",
                                    source=src))
            continue
        missing = [c for c in spec.required_columns if c not in raw.columns]
        for c in missing:
            problems.append(Problem(
                "error", name, c, "missing_column",
                f"required column is missing (columns found: {', '.join(raw.columns)})", source=src,
            ))
        t = raw.mutate(_row=ibis.row_number() + 1)
        for col in spec.columns:
            if col.name not in raw.columns:
                continue
            rc = t[col.name]
            tc = cast_column(t, col)
            tc = rc if tc is None else tc
            if col.kind in ("date", "float", "int"):
                what = {"date": "date", "float": "number", "int": "whole number"}[col.kind]
                present = rc.notnull()
                if raw.schema()[col.name].is_string():
                    present = present & (rc.strip() != "")
                p = _problem(ds, spec, "error", col.name, f"unparseable_{col.kind}",
                             f"values that are not a valid {what}", t.filter(present & tc.isnull()))
                if p:
                    problems.append(p)
            if not col.nullable and col.required:
                empty = rc.isnull()
                if raw.schema()[col.name].is_string():
                    empty = empty | (rc.strip() == "")
                p = _problem(ds, spec, "error", col.name, "missing_value",
                             "missing values in a required column", t.filter(empty))
                if p:
                    problems.append(p)
            if col.allowed:
                p = _problem(
                    ds, spec, "error", col.name, "invalid_value",
                    f"values outside {{{', '.join(col.allowed)}}}",
                    t.filter(tc.notnull() & ~tc.cast("string").isin(list(col.allowed))),
                )
                if p:
                    problems.append(p)
        if spec.key and all(k in raw.columns for k in spec.key):
            key = list(spec.key)
            dup = raw.group_by(key).aggregate(n=raw.count()).filter(lambda x: x.n > 1)
            n_dup = int(dup.count().execute())
            if n_dup:
                ex = dup.order_by(key).limit(N_EXAMPLES).execute()
                problems.append(Problem(
                    "error", name, ", ".join(key), "duplicate_id",
                    f"duplicate {' + '.join(key)} ({n_dup} values appear more than once)",
                    count=n_dup,
                    examples=tuple(", ".join(f"{k}={r[k]}" for k in key) + f" ×{r['n']}"
                                   for _, r in ex.iterrows()),
                    source=src,
                ))
    # foreign keys and dates after the as-of date
    try:
        ds_as_of = ds.as_of
    except DataError:
        ds_as_of = None
    for name in ds.tables:
        spec = TABLES[name]
        typed = ds.table(name).mutate(_row=ibis.row_number() + 1)
        for col in spec.columns:
            if col.references and col.name in typed.columns:
                rt, rc = col.references
                if rt in ds.tables and rc in ds.raw[rt].columns:
                    ref = ds.table(rt).select(rc).distinct()
                    bad = typed.filter(typed[col.name].notnull()).anti_join(
                        ref, typed[col.name] == ref[rc])
                    p = _problem(ds, spec, "error", col.name, "unknown_reference",
                                 f"values not found in {rt}.{rc}", bad)
                    if p:
                        problems.append(p)
        limit = today if name == "orders" else ds_as_of
        for c in spec.not_after_as_of:
            if c in typed.columns and limit is not None:
                what = "today" if name == "orders" else f"the data's as-of date {limit.date()}"
                p = _problem(ds, spec, "error", c, "date_after_as_of", f"dates after {what}",
                             typed.filter(typed[c] > limit.date()))
                if p:
                    problems.append(p)
    from salesnb.data.currency import currency_problems  # mixed currencies need rates

    problems += currency_problems(ds)
    # warnings
    if "orders" in ds.tables and "amount" in ds.raw["orders"].columns:
        o = ds.table("orders").mutate(_row=ibis.row_number() + 1)
        p = _problem(ds, TABLES["orders"], "warning", "amount", "negative_amount",
                     "negative amounts, read as returns", o.filter(o.amount < 0))
        if p:
            problems.append(p)
    return sorted(problems, key=lambda p: (p.severity != "error", p.table, str(p.column)))


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
            return [Problem(d["severity"], d["table"], d["column"], d["kind"], d["message"],
                            count=d["count"], examples=tuple(d["examples"]), source=d["source"])
                    for d in doc["problems"]]
    return validate(ds)
