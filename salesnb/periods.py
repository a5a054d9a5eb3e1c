"""The period convention of the engine queries, and the one rule for "the last complete month".

Every per-period query in :mod:`salesnb.data` returns its period in a column ``period`` holding the
**Timestamp of the period's first day** (``2026-10-01`` for October 2026, ``2026-07-01`` for
2026Q3, the Monday of a week), dtype ``datetime64[ns]``. Analytics that need a label (``2026-10``,
``2026Q3``) or a pandas Period convert with :func:`period_label` / :func:`to_period`; nobody
parses strings of another module's making.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesnb.constants import NOW_DAYS
from salesnb.i18n import Message

__all__ = ["FREQS", "MONTH_COMPLETE", "closed_ahead", "fiscal_quarter", "is_now", "labelled", "last_complete_month", "month_is_complete",
           "months_shown_caption", "period_label", "period_start", "quarter_freq", "quarter_label", "quarter_months", "quarter_window",
           "to_period"]

#: period lengths the queries accept: day, week (Monday start), month, quarter, year
FREQS: tuple[str, ...] = ("D", "W", "M", "Q", "Y")

_PANDAS_FREQ = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q", "Y": "Y"}

#: the rules for a complete month (parameter ``month_complete``)
MONTH_COMPLETE = ("last_day", "last_working_day")


def _check(freq: str) -> str:
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, got {freq!r}")
    return _PANDAS_FREQ[freq]


def to_period(values: Any, freq: str = "M") -> pd.PeriodIndex:
    """Periods of ``freq`` from period starts (Timestamps), Periods or labels (``"2026-10"``)."""
    pf = _check(freq)
    s = pd.Series(values)
    if isinstance(s.dtype, pd.PeriodDtype):
        return pd.PeriodIndex(s.dt.asfreq(pf))
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        if len(s) and all(isinstance(v, str) for v in s):  # labels: "2026-10", "2026Q3"
            return pd.PeriodIndex([pd.Period(v, freq=pf) for v in s], freq=pf)
        s = s.map(lambda v: v.start_time if isinstance(v, pd.Period) else v)
    return pd.PeriodIndex(pd.to_datetime(s), freq=pf)


def period_start(values: Any, freq: str = "M") -> pd.Series:
    """The convention itself: the first day of each value's period, as ``datetime64[ns]``."""
    return pd.Series(to_period(values, freq).to_timestamp(how="start"), name="period")


def period_label(values: Any, freq: str = "M") -> pd.Series:
    """Labels of the periods: ``2026-10`` (M), ``2026Q3`` (Q), ``2026`` (Y), ISO dates (D, W)."""
    p = to_period(values, freq)
    if freq in ("D", "W"):
        return pd.Series(p.to_timestamp(how="start").strftime("%Y-%m-%d"))
    return pd.Series(p.astype(str))


def month_is_complete(as_of, *, complete: str = "last_day", country: str | None = None) -> bool:
    """Whether data reaching ``as_of`` covers the month of ``as_of`` completely.

    Parameters
    ----------
    as_of : date-like
        The data's last date.
    complete : {"last_day", "last_working_day"}
        A month is complete when the data reaches its last day, or its last working day (Monday to
        Friday, less the public holidays of ``country`` when given, e.g. ``"CN"``, ``"US"``).
    country : str, optional
        Holiday calendar (ISO country code, from the ``holidays`` package) for working days.
    """
    if complete not in MONTH_COMPLETE:
        raise ValueError(f"month_complete must be one of {', '.join(MONTH_COMPLETE)}, got {complete!r}")
    day = pd.Timestamp(as_of).normalize()
    last = day.to_period("M").to_timestamp(how="end").normalize()
    if complete == "last_working_day":
        off: set = set()
        if country:
            import holidays

            off = set(holidays.country_holidays(country, years=last.year))
        while last.weekday() >= 5 or last.date() in off:
            last -= pd.Timedelta(days=1)
    return day >= last


def last_complete_month(as_of, *, complete: str = "last_day",
                        country: str | None = None) -> pd.Period:
    """The last complete month of data reaching ``as_of``: its month when complete, else the one before."""
    p = pd.Timestamp(as_of).to_period("M")
    return p if month_is_complete(as_of, complete=complete, country=country) else p - 1


def labelled(frame: pd.DataFrame, freq: str = "M", *, column: str = "period") -> pd.DataFrame:
    """A copy of ``frame`` whose ``column`` holds :func:`period_label` labels (tables, alert text)."""
    if column not in frame.columns:
        return frame
    return frame.assign(**{column: period_label(frame[column], freq).to_numpy(dtype=object)})


# ------------------------------------------------------------------------------- fiscal quarters
def _start(fiscal_year_start: int) -> int:
    if isinstance(fiscal_year_start, bool) or not 1 <= int(fiscal_year_start) <= 12:
        raise ValueError(f"fiscal_year_start must be a month 1-12, got {fiscal_year_start!r}")
    return int(fiscal_year_start)


def quarter_freq(fiscal_year_start: int = 1) -> str:
    """pandas' quarterly frequency whose quarters start in ``fiscal_year_start``, +3, +6 and +9.

    ``"Q-DEC"`` (calendar quarters) for a January, April, July or October start; ``"Q-JAN"`` for
    February, May, August, November; ``"Q-FEB"`` for March, June, September, December. Only the
    quarters' boundaries come from it: their names come from :func:`quarter_label`.
    """
    start = _start(fiscal_year_start)
    return "Q-" + ("DEC", "JAN", "FEB")[(start - 1) % 3]


def fiscal_quarter(when: Any, fiscal_year_start: int = 1) -> pd.Period:
    """The fiscal quarter holding ``when`` (a date, a Timestamp or a monthly Period)."""
    if isinstance(when, pd.Period):
        when = when.start_time
    return pd.Timestamp(when).to_period(quarter_freq(fiscal_year_start))


def quarter_label(quarter: pd.Period, fiscal_year_start: int = 1) -> str:
    """The name of a quarter: ``"2026Q4"`` for calendar years (a January start), else
    ``"FY2026 Q3"``, the fiscal year named by the calendar year it starts in (as 01's ``FY{fy}``):
    with an April start, October to December 2026 is FY2026 Q3."""
    start = _start(fiscal_year_start)
    first = quarter.start_time
    if start == 1:
        return f"{first.year}Q{(first.month - 1) // 3 + 1}"
    fy = first.year - (first.month < start)
    return f"FY{fy} Q{(first.month - start) % 12 // 3 + 1}"


def quarter_months(quarter: pd.Period) -> tuple[str, str]:
    """The first and last month of a quarter, ``("2026-11", "2027-01")``."""
    return quarter.start_time.strftime("%Y-%m"), quarter.end_time.strftime("%Y-%m")


def quarter_window(as_of: Any, *, fiscal_year_start: int = 1) -> tuple[pd.Period, pd.Timestamp, int]:
    """The quarter still running after ``as_of``, its last day and the whole months left in it.

    On a quarter's last day it is the next quarter, with all three months left. Quarters are
    fiscal: they start in ``fiscal_year_start``, +3, +6 and +9 (calendar quarters for 1, 4, 7, 10).
    Risk monitoring's P(miss) (as of the data) and market trends' quarter forecast (as of the
    report month's last day) both price this quarter.
    """
    end = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    quarter = fiscal_quarter(end, fiscal_year_start)
    q_end = quarter.end_time.normalize()
    remaining = len(pd.period_range(end, q_end, freq="M")) if end <= q_end else 0
    return quarter, q_end, remaining


def months_shown_caption(periods: Any, *, wanted: int | None = None) -> Message | str:
    """The caption of a monthly table: how many months it shows, and which.

    Parameters
    ----------
    periods : array-like of date-like or ``"YYYY-MM"``
        The months of the rows shown (e.g. :func:`salesnb.trends.new_vs_returning` after the
        warm-up is left out).
    wanted : int, optional
        The months the table asks for (the tail of a series that starts with the data): fewer rows
        are all the data has, and the caption says so (Maven's CRM deals: 10 rows under "Last 13
        months").

    Returns
    -------
    Message or str
        "Last 9 months (2017-04 to 2017-12)"; "Last month (2017-12)" for one; "8 months with sales (...)"
        when a month between the first and the last has no row; "The 10 months of data (2017-03 to
        2017-12)" (or "The only month of data (2017-12)") when there are fewer than ``wanted``; ""
        for none.
    """
    months = pd.Series(pd.to_datetime(pd.Series(periods).astype(str))).dt.to_period("M").drop_duplicates()
    if months.empty:
        return ""
    lo, hi = months.min(), months.max()
    first, last = f"{lo:%Y-%m}", f"{hi:%Y-%m}"
    if wanted is not None and len(months) < wanted and (hi - lo).n + 1 == len(months):
        return (Message("The only month of data ({first})", first=first) if len(months) == 1 else
                Message("The {n} months of data ({first} to {last})", n=len(months), first=first, last=last))
    if len(months) == 1:
        return Message("Last month ({first})", first=first)
    if (hi - lo).n + 1 == len(months):
        return Message("Last {n} months ({first} to {last})", n=len(months), first=first, last=last)
    return Message("{n} months with sales ({first} to {last})", n=len(months), first=first, last=last)


def is_now(at: Any, as_of: Any, *, days: int = NOW_DAYS) -> bool:
    """Whether ``at`` lies at most ``days`` (:data:`salesnb.constants.NOW_DAYS`) before the data's
    as-of date, or after it: "now", when a deal the data records as won or lost with a close date
    after the as-of date is not open (the date is a plan typed on a deal already closed). Earlier,
    the close dates decide. The one rule of :func:`salesnb.data.extract.pipeline_snapshot` (in the
    engine) and :func:`salesnb.performance.funnel_metrics` (on the deals in memory).

    >>> is_now("2023-08-31", "2023-09-01"), is_now("2023-06-30", "2023-09-01")
    (True, False)
    """
    return pd.Timestamp(at).normalize() >= pd.Timestamp(as_of).normalize() - pd.Timedelta(days=days)


def closed_ahead(status: Any, close_date: Any, as_of: Any) -> pd.Series:
    """Which deals the data records as won or lost with a close date after its as-of date.

    Such a deal is closed: the recorded status holds (:func:`is_now`), and its close date is a plan
    the rep typed ahead (a Salesforce export of 2023-09-01 held Closed Lost deals dated up to
    2023-12-15). It closed on or before the as-of date, but when is not known: it is in no
    pipeline near the as-of date (:func:`salesnb.data.extract.pipeline_snapshot`,
    :func:`salesnb.performance.funnel_metrics`), it counts as closed in a window that ends then,
    and it has no known cycle length (:func:`salesnb.performance.cycle_length` leaves it out and
    says how many). The one rule of those functions on deals in memory.

    Parameters
    ----------
    status, close_date : array-like
        The deals' ``status`` (open, won, lost) and ``close_date``.
    as_of : date-like
        The data's as-of date.

    Returns
    -------
    Series of bool
        Aligned with ``status`` (its index when it is a Series).
    """
    status = pd.Series(status)
    close = pd.to_datetime(close_date if isinstance(close_date, pd.Series)
                           else pd.Series(close_date, index=status.index))
    return status.isin(["won", "lost"]) & (close > pd.Timestamp(as_of).normalize())
