"""Engine-side queries for the performance review (notebooks 02 and rep_scorecard).

The order table is aggregated in the engine (DuckDB, PostgreSQL, ... through Ibis) and only small
results reach pandas. The CRM tables (``opportunities``, ``opportunity_history``, ``reps``,
``targets``, ``training``) are small — one row per deal, stage change, rep, target or session — and
are pulled whole with :func:`small_table`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from salesnb.data import extract
from salesnb.data.extract import SMALL_TABLES, small_table
from salesnb.data.extract import as_date as _d
from salesnb.data.sources import Dataset

__all__ = [
    "SMALL_TABLES",
    "closed_deals_by_month",
    "load_rep_tables",
    "product_aggregates",
    "rep_month_revenue",
    "save_rep_tables",
    "small_table",
]




def rep_month_revenue(
    ds: Dataset,
    *,
    start=None,
    end=None,
    rep_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Revenue per rep and month (aggregated in the engine).

    Parameters
    ----------
    ds : Dataset
    start, end : date-like, optional
        Half-open window on ``order_date``.
    rep_ids : sequence of str, optional
        Only these reps (filtered in the engine, e.g. one rep's scorecard).

    Returns
    -------
    DataFrame
        ``period`` (Timestamp of the month start), ``rep_id`` (missing for orders without a
        rep), ``revenue``, ``orders``, ``customers`` and, when present, ``quantity`` and ``cost``. Without a
        ``rep_id`` column in orders, one row per month with ``rep_id`` missing.
    """
    by = ("rep_id",) if ds.has("orders", "rep_id") else ()
    where = {"rep_id": [str(r) for r in rep_ids]} if rep_ids is not None and by else None
    df = extract.revenue(ds, freq="M", by=by, start=start, end=end, where=where,
                         measures=("revenue", "orders", "customers",
                                   *[m for m in ("quantity", "cost") if ds.has("orders", m)]))
    if "rep_id" not in df:
        df["rep_id"] = pd.NA
    return df[["period", "rep_id", *df.columns.drop(["period", "rep_id"])]].sort_values(
        ["period", "rep_id"], ignore_index=True)


def product_aggregates(
    ds: Dataset,
    *,
    start,
    end,
    prev_start,
    prev_end,
    by: str = "product_id",
) -> pd.DataFrame:
    """Revenue, units and cost per product (or category) in a window and a comparison window.

    One engine query with conditional sums (over each order's lines of the product, then over
    orders: ``order_id`` is a required column of orders); the product catalogue (name, category) is
    joined in when present.

    Parameters
    ----------
    ds : Dataset
    start, end : date-like
        Current window ``[start, end)``.
    prev_start, prev_end : date-like
        Comparison window (e.g. the same months one year earlier).
    by : {"product_id", "category"}
        Order column to group by.

    Returns
    -------
    DataFrame
        ``by``, ``category`` (for products, when known), ``name`` (with a catalogue),
        ``revenue``, ``revenue_prev``, ``units``, ``units_prev`` (with ``quantity``), ``cost``
        (with ``cost``, else from the catalogue's ``unit_cost`` × units), ``orders`` and
        ``orders_prev`` (orders holding the ``by`` in each window) and ``amount_sq`` and ``amount_sq_prev``: the sums over orders of the squared amount
        of the ``by`` in each order (an order's lines of one product added first), for the chance
        range of a change in share (:func:`salesnb.performance.share_change_p`). Empty when orders
        have no ``by`` column. Only the ``by`` sold in either window. ``attrs``: ``data_start`` (the
        first order date of the data), ``prev_start`` and ``prev_end``, from which
        :func:`salesnb.performance.product_table` tells whether the comparison window is in the data.
    """
    if not ds.has("orders", by):
        return pd.DataFrame(columns=[by, "revenue", "revenue_prev"])
    t = ds.table("orders")
    lo = min(_d(start), _d(prev_start))
    hi = max(_d(end), _d(prev_end))
    cur = (t.order_date >= _d(start)) & (t.order_date < _d(end))
    prev = (t.order_date >= _d(prev_start)) & (t.order_date < _d(prev_end))
    # lines of the two windows only: a product sold only in the months between them (a window of
    # 3 months leaves 9) is in neither, and would swell "of n products" (Superstore: 1,639)
    t = t.filter((t.order_date >= lo) & (t.order_date < hi) & (cur | prev) & t[by].notnull())
    cur = (t.order_date >= _d(start)) & (t.order_date < _d(end))
    prev = (t.order_date >= _d(prev_start)) & (t.order_date < _d(prev_end))
    keys = [by]
    if by == "product_id" and "category" in t.columns and not ds.has("products", "category"):
        keys.append("category")
    # one row per order and product first: the lines of one order (a customer's order of a product
    # split into lines) move together, so the chance range of a change in share (pf.share_change_z)
    # is that of a sum of orders, not of independent lines. Exact decimals inside, rounded once outside.
    amount = t.amount.cast(extract.MONEY)
    inner = {"a": amount.sum(where=cur), "a_prev": amount.sum(where=prev)}
    if "cost" in t.columns:
        inner["c"] = t.cost.cast(extract.MONEY).sum(where=cur)
    if "quantity" in t.columns:
        inner.update(u=t.quantity.sum(where=cur), u_prev=t.quantity.sum(where=prev))
    o = t.group_by([*keys, "order_id"]).aggregate(**inner)
    aggs = {
        "revenue": extract.cents(o.a.sum()),
        "revenue_prev": extract.cents(o.a_prev.sum()),
        # orders with the product in each window (a is NULL for an order of the other window): the
        # exact test of a product that sold nothing in one window (pf.share_change_p)
        "orders": o.a.count(),
        "orders_prev": o.a_prev.count(),
        # the orders' sums of squares: the chance range of a change in share (pf.share_change_z)
        "amount_sq": (o.a.cast("float64") * o.a.cast("float64")).sum(),
        "amount_sq_prev": (o.a_prev.cast("float64") * o.a_prev.cast("float64")).sum(),
    }
    if "quantity" in t.columns:
        aggs["units"] = o.u.sum()
        aggs["units_prev"] = o.u_prev.sum()
    if "cost" in t.columns:
        aggs["cost"] = extract.cents(o.c.sum())
    df = o.group_by(keys).aggregate(**aggs).execute()
    if by == "product_id" and ds.has("products"):
        cat = small_table(ds, "products")
        cols = [c for c in ("product_id", "name", "category", "unit_cost") if c in cat]
        df = df.merge(cat[cols], on="product_id", how="left")
        if "cost" not in df and "unit_cost" in df and "units" in df:
            df["cost"] = df["unit_cost"] * df["units"]
        df = df.drop(columns=[c for c in ("unit_cost",) if c in df])
    for c in ("revenue", "revenue_prev", "units", "units_prev", "cost", "amount_sq", "amount_sq_prev"):
        if c in df:
            df[c] = df[c].astype(float)
    df[["revenue", "revenue_prev"]] = df[["revenue", "revenue_prev"]].fillna(0.0)
    df = df.sort_values(["revenue", by], ascending=[False, True], ignore_index=True)
    # whether the data reaches back to the comparison window (pf.product_table says so when not)
    df.attrs.update(data_start=ds.first_order_date, prev_start=pd.Timestamp(_d(prev_start)),
                    prev_end=pd.Timestamp(_d(prev_end)))
    return df


def closed_deals_by_month(ds: Dataset, *, start=None, end=None) -> pd.DataFrame:
    """Won and lost deals per rep and close month, counted in the engine.

    Returns
    -------
    DataFrame
        ``period`` (Timestamp of the month start), ``rep_id``, ``won``, ``lost``, ``won_amount``.
    """
    o = extract.closed_deals(ds, start=start, end=end)
    won = o.status == "won"
    df = (
        o.group_by([o.close_date.truncate("M").name("period"), "rep_id"])
        .aggregate(won=won.sum(), lost=(~won).sum(), won_amount=extract.cents(o.amount.sum(where=won)))
        .execute()
    )
    df["period"] = pd.to_datetime(df["period"])
    df["won_amount"] = df["won_amount"].fillna(0.0)
    return df.sort_values(["period", "rep_id"], ignore_index=True)


def category_history(ds: Dataset, *, history: pd.DataFrame | None = None
                     ) -> pd.DataFrame | None:
    """Every forecast category each deal carried, dated: ``opportunity_id``, ``entered_date``,
    ``forecast_category`` (what :func:`salesnb.performance.category_before_close` reads).

    From ``forecast_category_history`` when the source has it (every change, within a stage too),
    else from ``opportunity_history`` (the category each stage was entered with; ``history`` when
    the caller has already read it), else ``None``. ``attrs["table"]`` names the table read.
    """
    if ds.has("forecast_category_history"):
        h = small_table(ds, "forecast_category_history").rename(
            columns={"changed_date": "entered_date"})
        h.attrs["table"] = "forecast_category_history"
        return h
    if history is None and ds.has("opportunity_history"):
        history = small_table(ds, "opportunity_history")
    if history is not None:
        history = history.copy(deep=False)  # the caller's frame keeps its attrs
        history.attrs["table"] = "opportunity_history"
    return history


def rep_months_for_tables(ds: Dataset, *, year_start, end) -> pd.DataFrame | None:
    """Revenue per rep and month as :func:`salesnb.performance.team_tables` needs it: from the
    earlier of the fiscal year's start (attainment) and the start of the scorecards' trend window
    (:data:`salesnb.performance.REP_TREND_MONTHS` before ``end``), one engine query for every rep.
    None when the orders carry no rep."""
    from salesnb.performance import REP_TREND_MONTHS

    if not ds.has("orders", "rep_id"):
        return None
    start = min(pd.Timestamp(year_start), pd.Timestamp(end) - pd.DateOffset(months=REP_TREND_MONTHS))
    return rep_month_revenue(ds, start=start, end=end)


def save_rep_tables(ctx, tables: dict, *, month: str, funnel_months: int,
                    prefix: str = "02_performance_review", **settings) -> list:
    """Write the per-rep tables of :func:`salesnb.performance.team_tables` into the run's folder.

    Each table becomes ``<prefix>.<name>.parquet`` (tables the data could not support are not
    written); ``<prefix>.rep_tables.json`` records the month, the funnel window, the other
    ``settings`` the tables were computed with (``correction``, ``shrinkage``,
    ``fiscal_year_start``) and which tables exist, so a scorecard never reads tables of another
    month, window or setting.
    """
    from salesnb.performance import REP_TABLES

    written = [n for n in REP_TABLES if tables.get(n) is not None]
    paths = []
    for n in written:
        paths += ctx.save_table(tables[n], f"{prefix}.{n}", formats=("parquet",))
    meta = pd.DataFrame([{"month": month, "funnel_months": int(funnel_months), **settings,
                          "tables": ",".join(written)}])
    paths += ctx.save_table(meta, f"{prefix}.rep_tables", formats=("json",))
    return paths


def load_rep_tables(output_dir, *, month: str, funnel_months: int,
                    prefix: str = "02_performance_review", **settings) -> dict | None:
    """The per-rep tables 02 wrote for this month, window and ``settings``, or None when they are
    absent or were computed otherwise (a setting 02 recorded with another value).

    Looks in ``output_dir`` and its parent (scorecards run in ``<run>/reps/``). A table that 02
    could not compute comes back as None.
    """
    import json
    from pathlib import Path

    from salesnb.performance import REP_TABLES
    from salesnb.report.kernels import read_parquet  # a runner's warm kernel reads each file once

    if not output_dir:
        return None
    for folder in (Path(output_dir), Path(output_dir).parent):
        meta = folder / f"{prefix}.rep_tables.json"
        if not meta.exists():
            continue
        m = json.loads(meta.read_text())
        m = m[0] if isinstance(m, list) else m
        if m.get("month") != month or int(m.get("funnel_months", -1)) != int(funnel_months):
            return None
        if any(k in m and m[k] != v for k, v in settings.items()):
            return None
        names = [n for n in str(m.get("tables", "")).split(",") if n]
        return {n: (read_parquet(folder / f"{prefix}.{n}.parquet") if n in names else None)
                for n in REP_TABLES}
    return None
