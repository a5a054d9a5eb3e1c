"""Engine-side queries for goal decomposition (notebook 01).

The order table is aggregated in the engine (DuckDB, PostgreSQL, ... through Ibis): one ``SUM``
per month and dimension, no distinct counts, so the cost stays one scan even at 10M lines. Only the
small results reach pandas. ``reps`` and ``market`` are small and pulled whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from salesnb.data import extract
from salesnb.data.sources import Dataset
from salesnb.periods import last_complete_month

__all__ = ["GoalInputs", "goal_inputs", "holiday_country", "monthly_revenue", "small_frame"]



def monthly_revenue(
    ds: Dataset,
    *,
    by: Sequence[str] = (),
    start=None,
    end=None,
) -> pd.DataFrame:
    """Revenue per month (and dimensions), summed in the engine (:func:`extract.revenue`).

    Parameters
    ----------
    ds : Dataset
    by : sequence of str
        Order columns to group by; those missing from the source are skipped.
    start, end : date-like, optional
        Half-open window ``[start, end)`` on ``order_date``.

    Returns
    -------
    DataFrame
        ``period`` (Timestamp of the month start), the ``by`` columns found, ``revenue``.
    """
    by = [c for c in by if ds.has("orders", c)]
    df = extract.revenue(ds, freq="M", by=by, start=start, end=end, measures=("revenue",))
    return df[["period", *by, "revenue"]].sort_values(["period", *by], ignore_index=True)


def small_frame(ds: Dataset, name: str) -> pd.DataFrame | None:
    """A small table (``reps``, ``market``) in pandas with dates parsed; None when absent."""
    return extract.small_table(ds, name) if ds.has(name) else None


@dataclass(frozen=True)
class GoalInputs:
    """Everything notebook 01 needs from the source, as small pandas frames.

    Attributes
    ----------
    company : DataFrame
        ``period``, ``revenue``: complete months only (the as-of month is dropped unless the data
        runs to its last day).
    by_unit : DataFrame
        ``period``, ``rep_id`` (may be missing), ``region`` (if the orders carry it), ``revenue``.
    reps, market : DataFrame or None
        The small tables, when the source has them.
    last_complete : pandas.Period
        Last complete month of the data.
    attributed_share : float
        Share of revenue over the last twelve complete months that carries a ``rep_id``.
    """

    company: pd.DataFrame
    by_unit: pd.DataFrame
    reps: pd.DataFrame | None
    market: pd.DataFrame | None
    last_complete: pd.Period
    attributed_share: float

    def with_reps(self, reps: pd.DataFrame | None) -> GoalInputs:
        """The same inputs with another reps table (e.g. without the people who never sold)."""
        return replace(self, reps=reps)


def goal_inputs(ds: Dataset, *, years: int = 6) -> GoalInputs:
    """Pull the monthly aggregates and small tables for goal setting.

    Parameters
    ----------
    ds : Dataset
    years : int
        Years of history to aggregate (ending at the last complete month).

    Returns
    -------
    GoalInputs
    """
    last = last_complete_month(ds.as_of)
    end = (last + 1).start_time
    start = (last + 1 - 12 * years).start_time
    by = monthly_revenue(ds, by=("rep_id", "region"), start=start, end=end)
    company = by.groupby("period", as_index=False)["revenue"].sum()
    recent = by[by["period"] > (last - 12).start_time]
    total = recent["revenue"].sum()
    share = (recent.loc[recent["rep_id"].notna(), "revenue"].sum() / total
             if "rep_id" in recent and total else 0.0)
    return GoalInputs(company=company, by_unit=by, reps=small_frame(ds, "reps"),
                      market=small_frame(ds, "market"), last_complete=last,
                      attributed_share=float(share))


#: the holiday calendar each built-in source declares (the demo company sells in China)
SOURCE_COUNTRY = {"demo": "CN"}


def holiday_country(ds: Dataset, setting: str = "auto") -> str | None:
    """The holiday calendar (``holidays`` country code) to use for ``ds``.

    Parameters
    ----------
    ds : Dataset
    setting : str
        A country code (``"US"``, ``"DE"``, ``"CN"``...); ``"none"`` or empty for Monday to Friday
        without holidays; ``"auto"`` for the calendar the source declares (China for the demo
        company) and otherwise Monday to Friday. No source gets China's lunar New Year unless
        it is China's (or asked for).

    Returns
    -------
    str or None
    """
    s = (setting or "").strip()
    if s.lower() in ("", "none"):
        return None
    if s.lower() == "auto":
        return SOURCE_COUNTRY.get(str(ds.spec).split(":")[0].strip().lower())
    return s.upper()
