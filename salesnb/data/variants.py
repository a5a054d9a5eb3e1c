"""The robustness matrix: source folders derived from the demo company, each shaped like a real one.

Real companies are not the demo: a CRM adopted last year, no targets table, one region, a month the
order system was down. Each *variant* here rewrites a (small) demo company into a canonical source
folder (Parquet, one file per table) that differs in one such way, so the whole pack can be run on it
(``tests/test_robustness.py``, ``benchmarks/robustness_matrix.py``).

``python -m salesnb.data.variants --list`` lists them; ``python -m salesnb.data.variants NAME OUT``
writes one. A variant may also carry report parameters (:func:`variant_params`), e.g. a fiscal year
that starts in April; only parameters that some notebook declares are returned, the others are
reported by :func:`pending_params` until a notebook declares them.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from salesnb.data.contract import TABLES

#: scale of the demo company the variants are derived from (about 50,000 order lines)
DEFAULT_SCALE = 0.05

VARIANTS: dict[str, str] = {
    "months_3": "only the last 3 months of history (a CRM adopted this quarter), in every table",
    "months_6": "only the last 6 months of history, in every table",
    "months_12": "only the last 12 months of history, in every table",
    "months_18": "only the last 18 months of history, in every table",
    "months_23": "only the last 23 months of history (one month short of two seasons)",
    "months_36": "only the last 36 months of history, in every table",
    "orders_only": "the orders table alone, with only order_id, line_no, order_date, customer_id and "
                   "amount: no rep, product, region or currency; no customers, deals, targets, ...",
    "no_opportunities": "no opportunities and no opportunity history (no CRM pipeline)",
    "no_targets": "no targets table",
    "no_customers": "no customers table (orders still name their customer)",
    "one_region": "a single region: orders, customers, reps, deals, targets and market of it",
    "one_rep": "a single rep: their orders, deals, customers, targets and training",
    "one_category": "a single product category: its orders, products and deals; targets scaled",
    "twenty_customers": "twenty customers (the largest by revenue); targets scaled",
    "all_open": "every deal still open (no won or lost deal ever recorded)",
    "no_recent_closed": "no deal won or lost in the last 12 months (open deals remain)",
    "mid_month": "the data ends on the 15th of the last month",
    "fiscal_april": "the demo data unchanged; the fiscal year starts in April (parameters)",
    "fiscal_february": "the demo data unchanged; the fiscal year starts in February, so its "
                       "quarters are not calendar quarters (parameters)",
    "empty_month": "a month without any order inside the history (3 months before the end)",
    "eur": "amounts in euros: currency EUR on the orders (and deals when the contract has it)",
    "one_customer": "anonymous sales: every order and deal under one customer id, no customers table",
    "all_closed": "every deal won or lost: an export without its open deals (dropped at import for "
                  "want of an amount or close date)",
    "customer_per_order": "a customer id per order, as a guest checkout or Olist's customer_id gives: "
                          "nobody buys twice; no customers or feedback table",
}

#: report parameters each variant asks for (filtered by :func:`variant_params` to the declared ones)
_PARAMS: dict[str, dict[str, Any]] = {
    "fiscal_april": {"fiscal_year_start": 4},
    "fiscal_february": {"fiscal_year_start": 2},
    "eur": {"currency_symbol": "€", "reporting_currency": "EUR"},
}

_DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("order_date",),
    "opportunities": ("created_date",),
    "opportunity_history": ("entered_date",),
    "close_date_history": ("changed_date",),
    "feedback": ("date",),
    "training": ("date",),
}
_PERIOD_TABLES = ("targets", "market")
_CLOSED_STAGES = ("Closed Won", "Closed Lost")


def declared_parameters(notebooks_dir: str | os.PathLike[str] | None = None) -> set[str]:
    """Names of the parameters any notebook of the pack declares."""
    from salesnb.context import project_root

    folder = Path(notebooks_dir) if notebooks_dir else project_root() / "notebooks"
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.ipynb")))
    return set(_declared(str(folder), stamp))


@functools.lru_cache(maxsize=8)
def _declared(folder: str, stamp: tuple) -> frozenset[str]:
    from salesnb import config

    names: set[str] = set()
    for name, _ in stamp:
        names |= set(config.notebook_parameters(Path(folder) / name))
    return frozenset(names)


def variant_params(name: str, *, notebooks_dir: str | os.PathLike[str] | None = None
                   ) -> dict[str, Any]:
    """Report parameters the variant runs with: only those some notebook declares.

    Parameters
    ----------
    name : str
        A variant of :data:`VARIANTS`.
    notebooks_dir : path, optional
        Notebook folder whose parameters count (default: the project's ``notebooks/``).

    Returns
    -------
    dict
        ``{parameter: value}``, e.g. ``{"currency_symbol": "€"}`` for ``eur``.
    """
    _check(name)
    wanted = _PARAMS.get(name, {})
    if not wanted:
        return {}
    declared = declared_parameters(notebooks_dir)
    return {k: v for k, v in wanted.items() if k in declared}


def pending_params(name: str, *, notebooks_dir: str | os.PathLike[str] | None = None
                   ) -> dict[str, Any]:
    """Parameters the variant asks for that no notebook declares yet."""
    _check(name)
    wanted = _PARAMS.get(name, {})
    if not wanted:
        return {}
    declared = declared_parameters(notebooks_dir)
    return {k: v for k, v in wanted.items() if k not in declared}


def _check(name: str) -> None:
    if name not in VARIANTS:
        raise KeyError(f"unknown variant {name!r}; one of: {', '.join(VARIANTS)}")


# ----------------------------------------------------------------------------- helpers
def _read(folder: Path) -> tuple[dict[str, pd.DataFrame], dict[str, pa.Schema]]:
    frames, schemas = {}, {}
    for name in TABLES:
        f = folder / f"{name}.parquet"
        if f.exists():
            t = pq.read_table(f)
            schemas[name] = t.schema
            frames[name] = t.to_pandas()
    return frames, schemas


def _ts(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s)


def _as_of(t: dict[str, pd.DataFrame]) -> pd.Timestamp:
    return _ts(t["orders"]["order_date"]).max().normalize()


def _latest(df: pd.DataFrame, date: str, col: str) -> pd.Series:
    """Each deal's ``col`` on its latest ``date`` (indexed by ``opportunity_id``)."""
    return (df.assign(d=_ts(df[date])).sort_values(["opportunity_id", "d"])
            .groupby("opportunity_id")[col].last())


def _keep_referenced(t: dict[str, pd.DataFrame]) -> None:
    """Drop dependent rows whose parent was removed (customers, histories, feedback, training)."""
    for name in ("opportunity_history", "close_date_history"):
        if name in t:
            h = t[name]
            ids = t["opportunities"].opportunity_id if "opportunities" in t else []
            t[name] = h[h.opportunity_id.isin(ids)]
    if "customers" in t:
        ids = set(t["orders"].customer_id)
        if "opportunities" in t:
            ids |= set(t["opportunities"].customer_id)
        c = t["customers"]
        t["customers"] = c[c.customer_id.isin(ids)]
        if "feedback" in t:
            f = t["feedback"]
            t["feedback"] = f[f.customer_id.isin(t["customers"].customer_id)]


def _scale_targets(t: dict[str, pd.DataFrame], share: float) -> None:
    if "targets" in t:
        tg = t["targets"].copy()
        tg["amount"] = (tg["amount"] * share).round(0)
        t["targets"] = tg


def _months(t: dict[str, pd.DataFrame], n: int) -> None:
    end = _as_of(t).to_period("M")
    first = (end - (n - 1)).to_timestamp()
    for name, cols in _DATE_COLUMNS.items():
        if name in t:
            df = t[name]
            t[name] = df[_ts(df[cols[0]]) >= first]
    for name in _PERIOD_TABLES:
        if name in t:
            df = t[name]
            t[name] = df[df["period"] >= first.strftime("%Y-%m")]
    _keep_referenced(t)


def _cut_end(t: dict[str, pd.DataFrame], last: pd.Timestamp) -> None:
    """The data as it stood at the end of day ``last``: later rows gone, later closes reopened."""
    for name, cols in _DATE_COLUMNS.items():
        if name in t:
            df = t[name]
            t[name] = df[_ts(df[cols[0]]) <= last]
    for name in _PERIOD_TABLES:  # plans and market sizes of the current month are known
        if name in t:
            df = t[name]
            t[name] = df[df["period"] <= last.strftime("%Y-%m")]
    if "reps" in t:  # not hired yet; not left yet
        r = t["reps"]
        r = r[_ts(r.hire_date) <= last].copy()
        if "end_date" in r:
            r.loc[_ts(r.end_date) > last, "end_date"] = None
        t["reps"] = r
    if "opportunities" in t:
        o = t["opportunities"].copy()
        closed_later = (o.status != "open") & (_ts(o.close_date) > last)
        if "opportunity_history" in t:
            h = t["opportunity_history"]
            h = h[h.opportunity_id.isin(o.opportunity_id)]
            t["opportunity_history"] = h
            stage = _latest(h, "entered_date", "stage")
            o.loc[closed_later, "stage"] = o.loc[closed_later, "opportunity_id"].map(stage).values
        else:
            o.loc[closed_later, "stage"] = "Negotiation"
        o.loc[closed_later, "status"] = "open"
        if "close_date_history" in t:  # open deals: the close date expected then, as the CRM showed it
            then = _latest(t["close_date_history"], "changed_date", "close_date")
            open_then = o.status == "open"
            expected = o.loc[open_then, "opportunity_id"].map(then)
            o.loc[open_then, "close_date"] = expected.where(
                expected.notna(), o.loc[open_then, "close_date"]).values
        for col in ("lost_reason", "competitor"):
            if col in o:
                o.loc[closed_later, col] = None
        if "forecast_category" in o:
            o.loc[closed_later & (o.forecast_category.isin(["closed", "omitted"])),
                  "forecast_category"] = "commit"
        if "last_activity_date" in o:
            later = _ts(o.last_activity_date) > last
            o.loc[later, "last_activity_date"] = last.date()
        t["opportunities"] = o
    _keep_referenced(t)


def _restrict_orders(t: dict[str, pd.DataFrame], mask: pd.Series) -> float:
    """Keep the masked orders; return their share of the original revenue."""
    o = t["orders"]
    total = float(o.amount.sum())
    t["orders"] = o[mask]
    return float(t["orders"].amount.sum()) / total if total else 1.0


def _one_region(t: dict[str, pd.DataFrame]) -> None:
    o = t["orders"]
    region = o.groupby("region").amount.sum().idxmax()
    _restrict_orders(t, o.region == region)
    own = t["reps"][t["reps"].region == region] if "reps" in t else None
    if "reps" in t:  # reps of the region plus those the kept orders name
        r = t["reps"]
        t["reps"] = r[(r.region == region) | r.rep_id.isin(t["orders"].rep_id.dropna())]
    if "customers" in t:  # customers of the region plus those the kept orders name
        c = t["customers"]
        t["customers"] = c[(c.region == region) | c.customer_id.isin(t["orders"].customer_id)]
    if "opportunities" in t:
        op = t["opportunities"]
        keep = op.customer_id.isin(t["customers"].customer_id) if "customers" in t else True
        if "reps" in t:
            keep = keep & op.rep_id.isin(t["reps"].rep_id)
        t["opportunities"] = op[keep]
    if "training" in t and "reps" in t:
        t["training"] = t["training"][t["training"].rep_id.isin(t["reps"].rep_id)]
    if "market" in t:
        t["market"] = t["market"][t["market"].region == region]
    if "targets" in t:
        tg = t["targets"]
        reps = set(own.rep_id) if own is not None else set()
        teams = set(own.team) if own is not None else set()
        keep = (((tg.level == "region") & (tg.key == region)) | ((tg.level == "team") & tg.key.isin(teams))
                | ((tg.level == "rep") & tg.key.isin(reps)))
        company = tg[(tg.level == "region") & (tg.key == region)].assign(level="company", key="all")
        t["targets"] = pd.concat([company, tg[keep]], ignore_index=True)
    _keep_referenced(t)


def _one_rep(t: dict[str, pd.DataFrame]) -> None:
    o = t["orders"]
    rep = o.groupby("rep_id").amount.sum().idxmax()
    _restrict_orders(t, o.rep_id == rep)
    if "reps" in t:
        r = t["reps"]
        row = r[r.rep_id == rep].copy()
        if "manager_id" in row:
            row["manager_id"] = None
        t["reps"] = row
        region, team = row.region.iloc[0], row.team.iloc[0]
    else:
        region = o.loc[o.rep_id == rep, "region"].mode().iloc[0]
        team = None
    if "opportunities" in t:
        t["opportunities"] = t["opportunities"][t["opportunities"].rep_id == rep]
    if "training" in t:
        t["training"] = t["training"][t["training"].rep_id == rep]
    if "market" in t:
        t["market"] = t["market"][t["market"].region == region]
    if "targets" in t:
        tg = t["targets"]
        mine = tg[(tg.level == "rep") & (tg.key == rep)]
        parts = [mine, mine.assign(level="company", key="all"), mine.assign(level="region", key=region)]
        if team is not None:
            parts.append(mine.assign(level="team", key=team))
        t["targets"] = pd.concat(parts, ignore_index=True)
    _keep_referenced(t)


def _one_category(t: dict[str, pd.DataFrame]) -> None:
    o = t["orders"]
    cat = o.groupby("category").amount.sum().idxmax()
    share = _restrict_orders(t, o.category == cat)
    if "products" in t:
        t["products"] = t["products"][t["products"].category == cat]
    if "opportunities" in t and "category" in t["opportunities"]:
        t["opportunities"] = t["opportunities"][t["opportunities"].category == cat]
    _scale_targets(t, share)
    _keep_referenced(t)


def _twenty_customers(t: dict[str, pd.DataFrame]) -> None:
    o = t["orders"]
    top = o.groupby("customer_id").amount.sum().sort_values(ascending=False, kind="stable")
    keep = set(top.index[:20])
    share = _restrict_orders(t, o.customer_id.isin(keep))
    if "opportunities" in t:
        t["opportunities"] = t["opportunities"][t["opportunities"].customer_id.isin(keep)]
    if "customers" in t:
        t["customers"] = t["customers"][t["customers"].customer_id.isin(keep)]
    _scale_targets(t, share)
    _keep_referenced(t)


def _all_open(t: dict[str, pd.DataFrame]) -> None:
    if "opportunities" not in t:
        return
    o = t["opportunities"].copy()
    closed = o.status != "open"
    if "opportunity_history" in t:
        h = t["opportunity_history"]
        h = h[~h.stage.isin(_CLOSED_STAGES)]
        t["opportunity_history"] = h
        last = _latest(h, "entered_date", "stage")
        o.loc[closed, "stage"] = o.loc[closed, "opportunity_id"].map(last).fillna("Prospecting").values
    else:
        o.loc[closed, "stage"] = "Prospecting"
    o.loc[closed, "status"] = "open"
    for col in ("lost_reason", "competitor"):
        if col in o:
            o.loc[closed, col] = None
    if "forecast_category" in o:
        o.loc[closed & o.forecast_category.isin(["closed", "omitted"]), "forecast_category"] = "pipeline"
    t["opportunities"] = o


def _no_recent_closed(t: dict[str, pd.DataFrame]) -> None:
    if "opportunities" not in t:
        return
    o = t["opportunities"]
    since = (_as_of(t).to_period("M") - 11).to_timestamp()
    recent = (o.status != "open") & (_ts(o.close_date) >= since)
    t["opportunities"] = o[~recent]
    _keep_referenced(t)


def _mid_month(t: dict[str, pd.DataFrame]) -> None:
    end = _as_of(t)
    _cut_end(t, pd.Timestamp(end.year, end.month, 15))


def _empty_month(t: dict[str, pd.DataFrame]) -> None:
    gap = _as_of(t).to_period("M") - 3
    o = t["orders"]
    _restrict_orders(t, _ts(o.order_date).dt.to_period("M") != gap)


def _eur(t: dict[str, pd.DataFrame]) -> None:
    for name in ("orders", "opportunities"):
        cols = {c.name for c in TABLES[name].columns}
        if name in t and "currency" in cols:
            t[name] = t[name].assign(currency="EUR")


def _only(*names: str) -> Callable[[dict[str, pd.DataFrame]], None]:
    def drop(t: dict[str, pd.DataFrame]) -> None:
        for n in list(t):
            if n not in names:
                del t[n]
    return drop


#: the columns an order export must have (plus its line number): what ``orders_only`` keeps
ORDERS_ALONE = ("order_id", "line_no", "order_date", "customer_id", "amount")


def _orders_alone(t: dict[str, pd.DataFrame]) -> None:
    _only("orders")(t)
    t["orders"] = t["orders"][list(ORDERS_ALONE)]


def _without(*names: str) -> Callable[[dict[str, pd.DataFrame]], None]:
    def drop(t: dict[str, pd.DataFrame]) -> None:
        for n in names:
            t.pop(n, None)
    return drop


def _one_customer(t: dict[str, pd.DataFrame]) -> None:
    t["orders"] = t["orders"].assign(customer_id="anonymous")
    if "opportunities" in t:
        t["opportunities"] = t["opportunities"].assign(customer_id="anonymous")
    for name in ("customers", "feedback"):
        t.pop(name, None)


def _customer_per_order(t: dict[str, pd.DataFrame]) -> None:
    o = t["orders"]
    t["orders"] = o.assign(customer_id="order-" + o["order_id"].astype(str))
    if "opportunities" in t:
        op = t["opportunities"]
        t["opportunities"] = op.assign(customer_id="deal-" + op["opportunity_id"].astype(str))
    for name in ("customers", "feedback"):
        t.pop(name, None)


def _all_closed(t: dict[str, pd.DataFrame]) -> None:
    if "opportunities" not in t:
        return
    o = t["opportunities"]
    t["opportunities"] = o[o.status != "open"]
    _keep_referenced(t)


_TRANSFORMS: dict[str, Callable[[dict[str, pd.DataFrame]], None]] = {
    **{f"months_{n}": (lambda t, n=n: _months(t, n)) for n in (3, 6, 12, 18, 23, 36)},
    "orders_only": _orders_alone,
    "no_opportunities": _without("opportunities", "opportunity_history", "close_date_history"),
    "no_targets": _without("targets"),
    "no_customers": _without("customers"),
    "one_region": _one_region,
    "one_rep": _one_rep,
    "one_category": _one_category,
    "twenty_customers": _twenty_customers,
    "all_open": _all_open,
    "no_recent_closed": _no_recent_closed,
    "mid_month": _mid_month,
    "fiscal_april": lambda t: None,
    "fiscal_february": lambda t: None,
    "empty_month": _empty_month,
    "eur": _eur,
    "one_customer": _one_customer,
    "all_closed": _all_closed,
    "customer_per_order": _customer_per_order,
}
assert set(_TRANSFORMS) == set(VARIANTS)


def transform(name: str, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Apply variant ``name`` to a copy of ``tables`` (``{table: DataFrame}``) and return it."""
    _check(name)
    t = {k: v.copy() for k, v in tables.items()}
    _TRANSFORMS[name](t)
    return {k: v.reset_index(drop=True) for k, v in t.items()}


def make_variant(name: str, out_dir: str | os.PathLike[str], *,
                 demo_dir: str | os.PathLike[str] | None = None,
                 scale: float | None = None) -> Path:
    """Write variant ``name`` of the demo company as a canonical source folder.

    Parameters
    ----------
    name : str
        One of :data:`VARIANTS`.
    out_dir : path
        Destination folder (replaced if it exists); it gets one Parquet file per table and
        ``variant.json`` (name, description, parameters, row counts).
    demo_dir : path, optional
        Demo company folder to derive from; default: the demo at ``scale``.
    scale : float, optional
        Demo scale when ``demo_dir`` is not given (default :data:`DEFAULT_SCALE`).

    Returns
    -------
    Path
        ``out_dir``.
    """
    _check(name)
    if demo_dir is None:
        from salesnb.data.demo import ensure_demo

        demo_dir = ensure_demo(scale=DEFAULT_SCALE if scale is None else scale)
    frames, schemas = _read(Path(demo_dir))
    if "orders" not in frames:
        raise FileNotFoundError(f"{demo_dir}: no orders.parquet to derive variant {name!r} from")
    tables = transform(name, frames)
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        for tname, df in tables.items():
            schema = schemas[tname]
            extra = [c for c in df.columns if c not in schema.names]
            for c in extra:
                schema = schema.append(pa.field(c, pa.string()))
            schema = pa.schema([f for f in schema if f.name in df.columns],  # columns it dropped
                               metadata=schema.metadata)
            table = pa.Table.from_pandas(df[list(schema.names)], schema=schema, preserve_index=False)
            pq.write_table(table, tmp / f"{tname}.parquet", compression="zstd")
        meta = {"variant": name, "description": VARIANTS[name], "params": variant_params(name),
                "pending_params": pending_params(name),
                "rows": {k: len(v) for k, v in sorted(tables.items())}}
        (tmp / "variant.json").write_text(json.dumps(meta, indent=1, sort_keys=True,
                                                     ensure_ascii=False) + "\n")
        os.chmod(tmp, 0o755)
        if out.exists():
            shutil.rmtree(out)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m salesnb.data.variants",
                                 description="Write a robustness variant of the demo company.")
    ap.add_argument("name", nargs="?", help="variant name (see --list)")
    ap.add_argument("out", nargs="?", help="output folder")
    ap.add_argument("--list", action="store_true", help="list the variants and exit")
    ap.add_argument("--scale", type=float, default=None, help=f"demo scale (default {DEFAULT_SCALE})")
    ap.add_argument("--demo-dir", default=None, help="derive from this demo folder instead")
    a = ap.parse_args(argv)
    if a.list:
        width = max(map(len, VARIANTS))
        for k, v in VARIANTS.items():
            print(f"{k:<{width}}  {v}")
        return 0
    if not a.name or not a.out:
        ap.error("give NAME and OUT, or --list")
    if a.name not in VARIANTS:
        print(f"unknown variant {a.name!r}; one of: {', '.join(VARIANTS)}", file=sys.stderr)
        return 2
    out = make_variant(a.name, a.out, demo_dir=a.demo_dir, scale=a.scale)
    params = variant_params(a.name)
    print(f"{a.name} written to {out}" + (f" (parameters: {params})" if params else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["DEFAULT_SCALE", "VARIANTS", "make_variant", "transform", "variant_params",
           "pending_params", "declared_parameters"]
