"""Who is on the team when: the roster questions every report and the runner ask.

Kept apart from :mod:`salesnb.performance` (which imports SciPy) so that the runner can list the
active reps for the scorecards without importing the analysis stack (about 0.9 CPU-s).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["active_reps", "idle_reps"]


def active_reps(reps: pd.DataFrame, *, as_of) -> list[str]:
    """Reps employed on ``as_of``: hired on or before it and not yet left.

    Parameters
    ----------
    reps : DataFrame
        The ``reps`` table (``rep_id``, ``hire_date``, optional ``end_date``).
    as_of : date-like
        Reference date, usually ``ctx.as_of`` or the last day of the report month.

    Returns
    -------
    list of str
        Sorted rep ids; the runner runs ``rep_scorecard.ipynb`` once for each.
    """
    as_of = pd.Timestamp(as_of)
    r = reps.copy()
    for c in ("hire_date", "end_date"):
        if c in r:
            r[c] = pd.to_datetime(r[c])
    ok = pd.Series(True, index=r.index)  # no dates: everyone in the table is on the team
    if "hire_date" in r:
        ok = r["hire_date"].isna() | (r["hire_date"] <= as_of)
    if "end_date" in r:
        ok = ok & (r["end_date"].isna() | (r["end_date"] >= as_of))
    return sorted(r.loc[ok, "rep_id"].astype(str).tolist())


def idle_reps(
    ids: Sequence[str],
    *,
    orders: pd.DataFrame | None,
    opportunities: pd.DataFrame | None,
    start,
    end,
) -> list[str]:
    """The reps of ``ids`` with no order and no live deal between ``start`` and ``end``.

    A rep on the roster who never sells (a store manager in BikeStores' staffs) would get a
    scorecard of empty sections; the runner skips them and says so.

    Parameters
    ----------
    ids : sequence of str
        Reps to check (e.g. :func:`active_reps`).
    orders : DataFrame or None
        ``rep_id``, ``order_date``; None when the source has no orders with a rep.
    opportunities : DataFrame or None
        ``rep_id``, ``created_date``, ``close_date``, ``status``; None without opportunities. A
        deal is live in the window when created by ``end`` (or open without a created date) and
        closed (or expected to close) on or after ``start``, or still open.
    start, end : date-like
        The window, both days included.

    Returns
    -------
    list of str
        The idle reps, in the order of ``ids``.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    busy: set[str] = set()
    if orders is not None and len(orders):
        d = pd.to_datetime(orders["order_date"])
        busy |= set(orders.loc[(d >= start) & (d <= end), "rep_id"].dropna().astype(str))
    if opportunities is not None and len(opportunities):
        o = opportunities
        created, close = pd.to_datetime(o["created_date"]), pd.to_datetime(o["close_date"])
        is_open = o["status"].astype(str) == "open"
        # an open deal without a created date (the contract allows it) is live: it is open now
        live = ((created <= end) | (created.isna() & is_open)) & ((close >= start) | close.isna() | is_open)
        busy |= set(o.loc[live, "rep_id"].dropna().astype(str))
    return [r for r in ids if str(r) not in busy]
