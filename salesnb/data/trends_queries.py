"""Engine-side queries for the market-trends notebook (Ibis expressions executed where the data lives).

The big ``orders`` table is never loaded into pandas: every function here aggregates in the engine
and returns a small frame. The standard revenue aggregate is :func:`salesnb.data.extract.revenue`;
these are the few extra shapes notebook 03 needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import pandas as pd

from salesnb.data import extract
from salesnb.data.sources import Dataset

_TRUNC = {"W": "W", "M": "M", "Q": "Q", "Y": "Y"}


def _window(t, col: str, start=None, end=None):
    if start is not None:
        t = t.filter(t[col] >= pd.Timestamp(start).to_pydatetime())
    if end is not None:
        t = t.filter(t[col] < pd.Timestamp(end).to_pydatetime())
    return t


def _check_freq(freq: str) -> str:
    if freq not in _TRUNC:
        raise ValueError(f"freq must be one of {', '.join(_TRUNC)}, got {freq!r}")
    return _TRUNC[freq]


def new_vs_returning_revenue(ds: Dataset, *, freq: str = "M", start=None, end=None
                             ) -> pd.DataFrame:
    """Revenue and customers per period, split by new versus returning customers.

    A customer is *new* in the period of its first order ever (over the whole history, not only
    the window) and *returning* afterwards.

    Parameters
    ----------
    ds : Dataset
    freq : {"W", "M", "Q", "Y"}
    start, end : date-like, optional
        Half-open window ``[start, end)`` on ``order_date`` for the reported periods.

    Returns
    -------
    pandas.DataFrame
        ``period`` (Timestamp of the period start), ``kind`` (``new``/``returning``), ``revenue``,
        ``customers``; sorted by period and kind.
    """
    unit = _check_freq(freq)
    o = ds.table("orders")
    first = o.group_by("customer_id").aggregate(first_date=o.order_date.min())
    first = first.mutate(first_period=first.first_date.truncate(unit))
    w = _window(o, "order_date", start, end)
    # one row per customer and period before the join (exact decimal sums, rounded once at the
    # end): a customer is one row of her period's group, so a plain count replaces a distinct one
    w = w.group_by([w.customer_id, w.order_date.truncate(unit).name("period")]).aggregate(
        amount=w.amount.cast(extract.MONEY).sum())
    j = w.join(first, "customer_id")
    kind = ibis.cases((j.period == j.first_period, "new"), else_="returning")
    j = j.mutate(kind=kind)
    expr = j.group_by(["period", "kind"]).aggregate(revenue=extract.cents(j.amount.sum()),
                                                    customers=j.customer_id.count())
    df = expr.execute()
    df["period"] = pd.to_datetime(df["period"])
    return df.sort_values(["period", "kind"], ignore_index=True)


def returning_gaps(ds: Dataset, *, end=None) -> tuple[pd.Timestamp | None, pd.DataFrame]:
    """The data's first month and how long customers wait between purchase months.

    What :func:`salesnb.trends.returning_warmup` needs to tell how many of the data's first months
    cannot tell new customers from returning ones.

    Parameters
    ----------
    ds : Dataset
    end : date-like, optional
        Only orders before ``end`` count.

    Returns
    -------
    (Timestamp or None, pandas.DataFrame)
        The first month with an order (None without orders), and ``gap_months`` (months from one
        of a customer's purchase months to her next, 1 or more), ``gaps`` (how many such gaps).
    """
    o = _window(ds.table("orders"), "order_date", None, end)
    m = o.group_by([o.customer_id, o.order_date.truncate("M").name("month")]).aggregate()
    w = ibis.window(group_by=m.customer_id, order_by=m.month)
    m = m.mutate(prev=m.month.lag().over(w))
    m = m.filter(m.prev.notnull())
    g = m.mutate(gap_months=(m.month.year() - m.prev.year()) * 12 + m.month.month() - m.prev.month())
    gaps = g.group_by("gap_months").aggregate(gaps=g.count()).execute()
    first = o.order_date.min().execute()
    first = None if pd.isna(first) else pd.Timestamp(first).to_period("M").to_timestamp()
    gaps = gaps.astype({"gap_months": "int64", "gaps": "int64"})
    return first, gaps.sort_values("gap_months", ignore_index=True)


def closed_deal_counts(ds: Dataset, *, freq: str = "Q", by: Sequence[str] = ("competitor",),
                       start=None, end=None) -> pd.DataFrame:
    """Won and lost opportunities per close period and dimension (e.g. competitor, lost_reason).

    Parameters
    ----------
    ds : Dataset
        Needs the ``opportunities`` table.
    freq : {"W", "M", "Q", "Y"}
    by : sequence of str
        Opportunity columns to group by; columns the source lacks are skipped.
    start, end : date-like, optional
        Half-open window on ``close_date``.

    Returns
    -------
    pandas.DataFrame
        ``period`` (Timestamp), the ``by`` columns, ``status`` (won/lost), ``n``, ``amount``.
    """
    unit = _check_freq(freq)
    t = ds.table("opportunities")
    by = [c for c in by if c in t.columns]
    t = t.filter(t.status.isin(["won", "lost"]))
    t = _window(t, "close_date", start, end)
    t = t.mutate(period=t.close_date.truncate(unit))
    expr = t.group_by(["period", *by, "status"]).aggregate(n=t.count(), amount=extract.cents(t.amount.sum()))
    df = expr.execute()
    df["period"] = pd.to_datetime(df["period"])
    return df.sort_values(["period", *by, "status"], ignore_index=True)


def market_sizes(ds: Dataset) -> pd.DataFrame:
    """The (small) market table: ``period`` (``YYYY-MM`` strings), ``region``, ``market_size``."""
    df = ds.table("market").execute()
    df["period"] = df["period"].astype(str).str.slice(0, 7)
    return df.sort_values(["region", "period"], ignore_index=True)
