"""Engine-side queries for customer segmentation and lifetime value.

Every function builds an Ibis expression over the ``orders`` table and returns a small pandas frame
(one row per customer, per cohort × month or per item pair): the order lines never cross into pandas.
The expressions use only portable operations (group-by, windows, joins, ``delta``), so they run on
DuckDB and PostgreSQL alike.

Each function takes either a :class:`~salesnb.data.sources.Dataset` or an Ibis table of order lines.
The per-customer RFM / BG-NBD summary itself is :func:`salesnb.data.extract.customer_summary`;
:func:`customer_summaries` gives it at several dates in one pass over the order lines, and
:func:`bgnbd_summary` converts it to model inputs and adds a holdout period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from salesnb.data import extract
from salesnb.data.extract import as_date as _d

__all__ = [
    "orders_table",
    "customer_summaries",
    "customer_revenue",
    "purchase_days",
    "bgnbd_summary",
    "category_mix",
    "customer_items",
    "Cooccurrence",
    "cooccurrence",
    "cohort_activity",
    "feedback",
]

_UNIT_DAYS = {"D": 1.0, "W": 7.0}


def orders_table(src) -> ir.Table:
    """The orders table of a Dataset, or ``src`` itself when it is already an Ibis table."""
    if isinstance(src, ir.Table):
        return src
    return src.table("orders")


#: the columns :func:`customer_summaries` aggregates per date (the rest follow from them in pandas)
_SUMMARY_AGGS = ("first_date", "last_date", "n_days", "n_orders", "revenue", "repeat_revenue")


def customer_summaries(src, *, as_of: Sequence) -> list[pd.DataFrame]:
    """:func:`salesnb.data.extract.customer_summary` at several dates, in one pass over the orders.

    Each date's summary is a function of the customer's purchase days up to that date, so the
    order lines are grouped into customer-days once (up to the latest date) and every date's
    aggregates are taken from those days with a filter. The result for each date equals
    ``extract.customer_summary(ds, as_of=date)`` value for value and dtype for dtype
    (``tests/test_segments.py`` checks it on the demo).

    Parameters
    ----------
    src : Dataset or Ibis table of order lines
    as_of : sequence of date-like
        The dates: only orders on or before a date count for its summary.

    Returns
    -------
    list of DataFrame
        One summary per date, in the order given: ``customer_id``, ``first_date``, ``last_date``,
        ``n_days``, ``n_orders``, ``revenue``, ``frequency``, ``recency_days``, ``T_days``,
        ``days_since_last``, ``monetary_value`` (see :func:`~salesnb.data.extract.customer_summary`),
        sorted by ``customer_id``.
    """
    dates = [pd.Timestamp(a) for a in as_of]
    if not dates:
        return []
    t = orders_table(src)
    t = t.filter(t.order_date <= max(dates).date())
    # customer-days through customer-day-orders: a plain count of orders per day instead of a
    # distinct count (twice as fast at 10M lines), the money summed exactly and rounded once
    o = t.group_by(["customer_id", "order_date", "order_id"]).aggregate(
        amount=t.amount.cast(extract.MONEY).sum()
    )
    daily = o.group_by(["customer_id", "order_date"]).aggregate(
        day_rev=extract.cents(o.amount.sum()), day_orders=o.order_id.count()
    )
    # a purchase day is a day with positive net revenue; a customer's first one up to a date is
    # her first one overall when it falls on or before that date (and she has none before it else).
    # Joined back by customer (half the engine's work of a window over the customer-days at 10M);
    # orders without a customer (an error of validation) are left out.
    daily = daily.mutate(buy=daily.day_rev > 0)
    first = daily.group_by("customer_id").aggregate(first_date=daily.order_date.min(where=daily.buy))
    daily = daily.join(first, "customer_id")
    aggs = {}
    for i, a in enumerate(dates):
        upto = daily.order_date <= a.date()
        b = daily.buy & upto
        repeat = ibis.cases((b & (daily.order_date > daily.first_date), daily.day_rev), else_=0.0)
        # customers without a purchase day by this date are dropped below; the fills only keep
        # NULLs out of the result (a column with NULLs crosses into pandas value by value)
        aggs.update({
            f"first_date_{i}": daily.order_date.min(where=b).fill_null(a.date()),
            f"last_date_{i}": daily.order_date.max(where=b).fill_null(a.date()),
            f"n_days_{i}": daily.count(where=b),
            f"n_orders_{i}": daily.day_orders.sum(where=b).fill_null(0),
            f"revenue_{i}": extract.cents(daily.day_rev.sum(where=upto)).fill_null(0.0),
            f"repeat_revenue_{i}": extract.cents(repeat.sum()),
        })
    wide = daily.group_by("customer_id").aggregate(**aggs).execute()
    out = []
    for i, a in enumerate(dates):
        df = wide[["customer_id", *(f"{c}_{i}" for c in _SUMMARY_AGGS)]]
        df = df.set_axis(["customer_id", *_SUMMARY_AGGS], axis=1)
        df = df[df["n_days"] > 0].reset_index(drop=True)
        df = df.astype({"n_days": "int64", "n_orders": "int64"})
        out.append(extract.summary_columns(df, as_of=a))
    return out



def _window(t: ir.Table, start=None, end=None) -> ir.Table:
    """Rows with ``start <= order_date < end`` (either bound optional)."""
    if start is not None:
        t = t.filter(t.order_date >= _d(start))
    if end is not None:
        t = t.filter(t.order_date < _d(end))
    return t


def customer_revenue(src, *, start=None, end=None) -> pd.DataFrame:
    """Revenue (and gross margin when ``cost`` exists) per customer in ``[start, end)``.

    Returns
    -------
    DataFrame
        ``customer_id``, ``revenue``, ``orders`` and, with a ``cost`` column, ``margin``
        (revenue − cost).
    """
    t = _window(orders_table(src), start, end)
    aggs = {"revenue": extract.cents(t.amount.sum()), "orders": t.order_id.nunique()}
    if "cost" in t.columns:
        aggs["margin"] = extract.cents((t.amount - t.cost.fill_null(0.0)).sum())
    df = t.group_by("customer_id").aggregate(**aggs).execute()
    df["customer_id"] = df["customer_id"].astype(str)
    return df.sort_values("customer_id", ignore_index=True)


def purchase_days(src, *, start=None, end=None) -> pd.DataFrame:
    """Distinct purchase days and revenue per customer in ``[start, end)`` (holdout counts).

    Returns
    -------
    DataFrame
        ``customer_id``, ``purchase_days``, ``revenue``.
    """
    t = _window(orders_table(src), start, end)
    daily = t.group_by(["customer_id", "order_date"]).aggregate(rev=extract.cents(t.amount.sum()))
    df = (
        daily.group_by("customer_id")
        .aggregate(purchase_days=daily.count(), revenue=extract.cents(daily.rev.sum()))
        .execute()
    )
    df["customer_id"] = df["customer_id"].astype(str)
    return df


def bgnbd_summary(
    summary: pd.DataFrame,
    *,
    unit: str = "W",
    holdout: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """BG/NBD / Gamma-Gamma inputs from :func:`salesnb.data.extract.customer_summary`.

    Parameters
    ----------
    summary : DataFrame
        Per-customer summary with ``frequency`` (repeat purchase days), ``recency_days``, ``T_days``
        and ``monetary_value`` (mean revenue of the repeat purchase days).
    unit : {"D", "W"}
        Time unit of ``recency`` and ``T`` (days or weeks).
    holdout : DataFrame, optional
        :func:`purchase_days` of the period after the summary's as-of date; adds
        ``holdout_purchases`` (0 for customers without purchases in it).

    Returns
    -------
    DataFrame
        ``customer_id``, ``frequency``, ``recency``, ``T``, ``monetary`` (and ``holdout_purchases``).
    """
    if unit not in _UNIT_DAYS:
        raise ValueError(f"unit must be 'D' or 'W', got {unit!r}")
    k = _UNIT_DAYS[unit]
    out = pd.DataFrame(
        {
            "customer_id": summary["customer_id"].astype(str).to_numpy(),
            "frequency": summary["frequency"].to_numpy(dtype=float),
            "recency": summary["recency_days"].to_numpy(dtype=float) / k,
            "T": summary["T_days"].to_numpy(dtype=float) / k,
            "monetary": summary["monetary_value"].to_numpy(dtype=float),
        }
    )
    if holdout is not None:
        h = holdout.set_index(holdout["customer_id"].astype(str))["purchase_days"]
        out["holdout_purchases"] = out["customer_id"].map(h).fillna(0).to_numpy(dtype=float)
    return out


def category_mix(src, *, start=None, end=None, level: str = "category") -> pd.DataFrame:
    """Share of each customer's (positive) revenue per category, aggregated in the engine.

    Returns
    -------
    DataFrame
        Wide: ``customer_id`` and one column per category, shares summing to 1 per customer
        (customers without positive category revenue are left out).
    """
    t = _window(orders_table(src), start, end)
    if level not in t.columns:
        raise KeyError(f"orders has no column {level!r}")
    t = t.filter(t[level].notnull())
    g = t.group_by(["customer_id", level]).aggregate(revenue=extract.cents(t.amount.sum()))
    g = g.filter(g.revenue > 0)
    df = g.execute()
    if df.empty:
        return pd.DataFrame(columns=["customer_id"])
    df["customer_id"] = df["customer_id"].astype(str)
    # one row per (customer, category) from the engine: a plain unstack, not pivot_table's groupby
    wide = (df.set_index(["customer_id", level])["revenue"].astype(float)
            .unstack(level, fill_value=0.0).sort_index().sort_index(axis=1))
    wide = wide.div(wide.sum(axis=1), axis=0)
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


def customer_items(
    src,
    *,
    customers: Sequence[str] | None = None,
    level: str = "category",
    start=None,
    end=None,
) -> pd.DataFrame:
    """Distinct items (categories or products) each customer has bought.

    Parameters
    ----------
    customers : sequence of str, optional
        Restrict to these customers (the filter runs in the engine).

    Returns
    -------
    DataFrame
        ``customer_id``, ``item``.
    """
    t = _window(orders_table(src), start, end)
    t = t.filter(t[level].notnull() & (t.amount > 0))
    if customers is not None:
        t = t.filter(t.customer_id.isin([str(c) for c in customers]))
    df = t.select(customer_id=t.customer_id, item=t[level].cast("string")).distinct().execute()
    df["customer_id"] = df["customer_id"].astype(str)
    return df.sort_values(["customer_id", "item"], ignore_index=True)


@dataclass
class Cooccurrence:
    """Item and pair counts for affinity analysis (see :func:`salesnb.segments.affinity_rules`).

    Attributes
    ----------
    pairs : DataFrame
        ``item_a``, ``item_b`` (``item_a < item_b``), ``n_both``.
    items : DataFrame
        ``item``, ``n``.
    n_baskets : int
    """

    pairs: pd.DataFrame
    items: pd.DataFrame
    n_baskets: int


def cooccurrence(
    src,
    *,
    level: str = "category",
    basket: str = "customer_id",
    start=None,
    end=None,
) -> Cooccurrence:
    """Count baskets holding each item and each pair of items, in the engine.

    Parameters
    ----------
    src : Dataset or Ibis table
    level : str
        Item column: ``"category"`` or ``"product_id"``.
    basket : str
        What a basket is: ``"order_id"`` (bought in the same order) or ``"customer_id"`` (bought by
        the same customer in the window; better for B2B accounts with one category per order).
    start, end : date-like, optional
        Window ``[start, end)``.

    Returns
    -------
    Cooccurrence
    """
    t = _window(orders_table(src), start, end)
    t = t.filter(t[level].notnull() & (t.amount > 0))
    bi = t.select(b=t[basket].cast("string"), item=t[level].cast("string")).distinct()
    items = bi.group_by("item").aggregate(n=bi.count()).execute()
    n_baskets = int(bi.b.nunique().execute())
    left = bi.rename(item_a="item")
    right = bi.rename(item_b="item", b2="b")
    j = left.join(right, left.b == right.b2)
    j = j.filter(j.item_a < j.item_b)
    pairs = j.group_by(["item_a", "item_b"]).aggregate(n_both=j.count()).execute()
    return Cooccurrence(
        pairs=pairs.sort_values(["item_a", "item_b"], ignore_index=True),
        items=items.sort_values("item", ignore_index=True),
        n_baskets=n_baskets,
    )


def cohort_activity(src, *, end=None) -> pd.DataFrame:
    """Active customers and revenue per first-purchase month (cohort) and calendar month.

    Parameters
    ----------
    end : date-like, optional
        Exclusive end; only orders before it count (cohorts included).

    Returns
    -------
    DataFrame
        ``cohort`` and ``period`` (month starts), ``customers`` (distinct buyers), ``revenue``.
    """
    t = _window(orders_table(src), None, end)
    # one row per customer and month first (exact decimal sums, rounded only at the end); each
    # customer's first month is then found over customer-months, not order lines, and joined back
    # (a window over them costs the engine half as much again at 10M lines). Orders without a
    # customer (an error of validation) are left out.
    m = t.group_by([t.customer_id, t.order_date.truncate("M").name("period")]).aggregate(
        amount=t.amount.cast(extract.MONEY).sum()
    )
    m = m.join(m.group_by("customer_id").aggregate(cohort=m.period.min()), "customer_id")
    g = m.group_by(["cohort", "period"]).aggregate(
        customers=m.customer_id.count(), revenue=extract.cents(m.amount.sum())
    )
    df = g.execute()
    for c in ("cohort", "period"):
        df[c] = pd.to_datetime(df[c])
    df["customers"] = df["customers"].astype(np.int64)
    return df.sort_values(["cohort", "period"], ignore_index=True)


def feedback(ds, *, end=None) -> pd.DataFrame:
    """The (small) feedback table before ``end``: ``customer_id`` as text, ``date`` as Timestamps."""
    t = ds.table("feedback")
    if end is not None:
        t = t.filter(t.date < _d(end))
    fb = t.execute()
    fb["customer_id"] = fb["customer_id"].astype(str)
    fb["date"] = pd.to_datetime(fb["date"])
    return fb
