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

__all__ = ["FREQS", "MONTH_COMPLETE", "labelled", "last_complete_month", "month_is_complete", "period_label",
           "period_start", "to_period"]

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
