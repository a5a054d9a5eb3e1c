"""Engine-side queries for risk monitoring (notebook 05 and :mod:`salesnb.risk`).

The order table is aggregated in the engine (DuckDB, PostgreSQL, ... through Ibis): only per-period,
per-entity or per-customer results reach pandas. The CRM tables (opportunities, their history, reps,
targets) are one row per deal, stage change, rep or target and are small.

Every query takes an exclusive ``end`` (or an ``at`` date) so that a past month can be evaluated with
only the data known then. :func:`risk_inputs` gathers them all in a :class:`RiskInputs`. The alerts
file is written and read by :mod:`salesnb.report.alerts` (``write_alerts``/``read_alerts`` here are
aliases of those, kept for existing callers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import ibis
import numpy as np
import pandas as pd

from salesnb.data import extract
from salesnb.data.extract import as_date as _d
from salesnb.data.sources import Dataset
from salesnb.periods import fiscal_quarter, quarter_freq

__all__ = [
    "ALERTS_SUFFIX",
    "RiskInputs",
    "revenue_windows",
    "risk_inputs",
    "closed_outcomes",
    "deal_snapshots",
    "customer_rep_revenue",
    "discount_by_month",
    "monthly_revenue_and_won",
    "open_deals",
    "purchase_intervals",
    "rep_revenue",
    "revenue_by_entity",
    "stage_durations",
    "stage_outcomes",
    "team_revenue",
    "team_targets",
    "weekly_revenue",
]

#: file name suffix of the alerts file: ``<notebook>.alerts.json``
ALERTS_SUFFIX = ".alerts.json"


def __getattr__(name: str) -> Any:
    # aliases of the file side of the alerts, which lives in the report layer
    if name in ("write_alerts", "read_alerts"):
        from salesnb.report import alerts

        return getattr(alerts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class RiskInputs:
    """Everything :func:`salesnb.risk.monitor` reads, for data known on ``as_of``.

    A frame that is ``None`` means its table (or column) is missing from the source, so its check
    is skipped with a note; an empty frame means the table exists but has no rows in the window.
    ``p_alive`` and ``run_rate`` come from other models (:mod:`salesnb.clv`, :mod:`salesnb.trends`)
    and are set by the caller.

    Attributes
    ----------
    as_of : Timestamp
        Evaluation date (the report month's last day).
    rev_customer_id, rev_product_id, rev_region : DataFrame or None
        :func:`revenue_windows` per entity.
    weekly_region, discount, intervals, customer_rep, rep_revenue, reps, monthly, win_rate : DataFrame
        See :func:`risk_inputs`.
    open_deals, stage_durations, stage_outcomes, targets, booked : DataFrame or None
        Pipeline frames (``None`` without an opportunities table).
    deal_snapshots : DataFrame or None
        Deals open at past dates with what happened next (:func:`deal_snapshots`), for
        P(won within the quarter | stage, age).
    stages : list of str or None
        Open stages in order (:func:`salesnb.data.extract.stage_order`).
    stage_pipelines : dict or None
        Each pipeline's open stages in order, when the deals are in several pipelines.
    close_dates_known : bool
        Whether the open deals' ``close_date`` is the one expected on ``as_of`` (the data's own
        as-of, or close dates from history snapshots); False when evaluating a past month whose
        close dates the source only holds as finally recorded.
    fiscal_year_start : int
        First calendar month of the fiscal year: the quarters (P(miss), coverage, booked, targets)
        start in it, +3, +6 and +9 (:func:`salesnb.periods.fiscal_quarter`).
    p_alive : DataFrame or None
        ``customer_id``, ``p_alive``, ``p_alive_prev``.
    run_rate : (float, float) or None
        Expected non-pipeline revenue for the rest of the quarter and its standard deviation.
    """

    as_of: pd.Timestamp
    rev_customer_id: pd.DataFrame | None = None
    rev_product_id: pd.DataFrame | None = None
    rev_region: pd.DataFrame | None = None
    weekly_region: pd.DataFrame | None = None
    discount: pd.DataFrame | None = None
    intervals: pd.DataFrame | None = None
    customer_rep: pd.DataFrame | None = None
    rep_revenue: pd.DataFrame | None = None
    reps: pd.DataFrame | None = None
    monthly: pd.DataFrame | None = None
    win_rate: pd.DataFrame | None = None
    open_deals: pd.DataFrame | None = None
    stage_durations: pd.DataFrame | None = None
    stage_outcomes: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    booked: pd.DataFrame | None = None
    deal_snapshots: pd.DataFrame | None = None
    stages: list[str] | None = None
    stage_pipelines: dict[str, list[str]] | None = None
    close_dates_known: bool = True
    fiscal_year_start: int = 1
    p_alive: pd.DataFrame | None = None
    run_rate: tuple[float, float] | None = None

    @classmethod
    def from_mapping(cls, frames: Mapping[str, Any], *, as_of: Any) -> RiskInputs:
        """From a dict of frames (the older form of :func:`risk_inputs`); unknown keys are errors."""
        names = {f.name for f in fields(cls)}
        bad = sorted(set(frames) - names)
        if bad:
            raise ValueError(f"unknown risk input(s) {bad}; known: {sorted(names)}")
        return cls(**{**dict(frames), "as_of": pd.Timestamp(as_of).normalize()})

    def frame(self, name: str) -> pd.DataFrame:
        """The frame ``name``, an empty frame when it is missing."""
        v = getattr(self, name)
        return v if v is not None else pd.DataFrame()

    def has(self, name: str) -> bool:
        """True when the frame exists (possibly empty)."""
        return getattr(self, name) is not None

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frame(name)



def _orders(ds: Dataset, start=None, end=None):
    t = ds.table("orders")
    if start is not None:
        t = t.filter(t.order_date >= _d(start))
    if end is not None:
        t = t.filter(t.order_date < _d(end))
    return t


def _period(col, freq: str):
    return col.truncate({"M": "M", "Q": "Q", "W": "W", "Y": "Y"}[freq])


def revenue_by_entity(
    ds: Dataset, *, entity: str, freq: str = "Q", start=None, end=None
) -> pd.DataFrame:
    """Revenue per period and entity, with the sum of squared line amounts (bootstrap variance).

    Parameters
    ----------
    ds : Dataset
    entity : str
        Order column (``customer_id``, ``product_id``, ``region``, ``category``...).
    freq : {"M", "Q", "W", "Y"}
        Period length.
    start, end : date-like, optional
        Half-open window on ``order_date``.

    Returns
    -------
    DataFrame
        ``period`` (Timestamp of the period start), ``entity`` column, ``revenue``, ``revenue_sq``,
        ``lines`` (:func:`salesnb.data.extract.revenue`). Empty when orders lack the column.
    """
    if not ds.has("orders", entity):
        return pd.DataFrame(columns=["period", entity, "revenue", "revenue_sq", "lines"])
    df = extract.revenue(ds, freq=freq, by=[entity], start=start, end=end, dropna=True,
                         measures=("revenue", "revenue_sq", "lines"))
    return df.sort_values(["period", entity], ignore_index=True)


def revenue_windows(
    ds: Dataset, *, entity: str, end, months: int = 3, n: int = 8
) -> pd.DataFrame:
    """Revenue per entity in ``n`` consecutive windows of ``months`` months ending at ``end``.

    The windows are aligned on the report month (not on calendar quarters), so each one is
    complete: with ``end`` = 2026-11-01 and 3 months, the last window is Aug-Oct 2026.

    Returns
    -------
    DataFrame
        ``period`` (first day of the window's last month), ``entity`` column, ``revenue``,
        ``revenue_sq`` (sum of squared line amounts), ``lines``.
    """
    end_p = pd.Timestamp(end).to_period("M")
    start = (end_p - months * n).to_timestamp()
    if not ds.has("orders", entity):
        return pd.DataFrame(columns=["period", entity, "revenue", "revenue_sq", "lines"])
    t = _orders(ds, start, pd.Timestamp(end))
    t = t.filter(t[entity].notnull())
    m0 = start.year * 12 + start.month - 1
    k = ((t.order_date.year() * 12 + t.order_date.month() - 1 - m0) // months).name("k")
    df = (t.group_by([k, entity])
          .aggregate(revenue=extract.cents(t.amount.sum()), revenue_sq=extract.cents((t.amount * t.amount).sum()),
                     lines=t.count())
          .execute())
    # one Timestamp per window, not per row (a row per customer and window: 1.6M rows at 10M lines)
    first = {i: (end_p - months * (n - 1 - int(i)) - 1).start_time for i in df["k"].unique()}
    df["period"] = pd.to_datetime(df["k"].map(first))
    df[["revenue", "revenue_sq"]] = df[["revenue", "revenue_sq"]].astype(float)
    return df[["period", entity, "revenue", "revenue_sq", "lines"]].sort_values(
        ["period", entity], ignore_index=True)


def weekly_revenue(ds: Dataset, *, by: str = "region", start=None, end=None) -> pd.DataFrame:
    """Revenue per week (Monday start) and ``by`` value; weeks without sales are filled with 0.

    Returns
    -------
    DataFrame
        ``period`` (Timestamp of the Monday), ``by``, ``revenue``; only complete weeks before
        ``end``.
    """
    cols = [by] if by and ds.has("orders", by) else []
    df = extract.revenue(ds, freq="W", by=cols, start=start, end=end)
    if df.empty:
        return pd.DataFrame(columns=["period", *cols, "revenue"])
    df = df[["period", *cols, "revenue"]]
    if end is not None:
        df = df[df["period"] + pd.Timedelta(days=7) <= pd.Timestamp(end)]
    if start is not None:
        df = df[df["period"] >= pd.Timestamp(start)]
    if cols:
        wide = df.pivot_table(index="period", columns=by, values="revenue", aggfunc="sum")
        full = pd.date_range(wide.index.min(), wide.index.max(), freq="W-MON")
        wide = wide.reindex(full).fillna(0.0)
        wide.index.name = "period"
        df = wide.reset_index().melt(id_vars="period", var_name=by, value_name="revenue")
    return df.sort_values([*cols, "period"], ignore_index=True)


def discount_by_month(ds: Dataset, *, by: str = "category", start=None, end=None) -> pd.DataFrame:
    """Average discount per month and ``by`` value, weighted by list amount.

    With ``list_amount`` the discount is ``1 − Σ amount / Σ list_amount``; otherwise the
    list-weighted mean of ``discount`` (weights ``amount / (1 − discount)``).

    Returns
    -------
    DataFrame
        ``period`` (month start), ``by``, ``discount``, ``revenue``, ``lines``; empty when orders have
        neither ``list_amount`` nor ``discount`` (or no ``by`` column).
    """
    has_list = ds.has("orders", "list_amount")
    if not (ds.has("orders", by) and (has_list or ds.has("orders", "discount"))):
        return pd.DataFrame(columns=["period", by, "discount", "revenue", "lines"])
    t = _orders(ds, start, end)
    t = t.filter(t[by].notnull() & (t.amount > 0))
    if has_list:
        t = t.filter(t.list_amount.notnull() & (t.list_amount > 0))
        aggs = {"list": extract.cents(t.list_amount.sum()), "revenue": extract.cents(t.amount.sum()), "lines": t.count()}
    else:
        t = t.filter(t.discount.notnull() & (t.discount < 1))
        w = t.amount / (1 - t.discount)
        aggs = {"list": extract.cents(w.sum()), "wd": extract.cents((w * t.discount).sum()), "revenue": extract.cents(t.amount.sum()),
                "lines": t.count()}
    df = t.group_by([_period(t.order_date, "M").name("period"), by]).aggregate(**aggs).execute()
    df["period"] = pd.to_datetime(df["period"])
    if has_list:
        df["discount"] = 1 - df["revenue"].astype(float) / df["list"].astype(float)
    else:
        df["discount"] = df["wd"].astype(float) / df["list"].astype(float)
    return df[["period", by, "discount", "revenue", "lines"]].sort_values(
        [by, "period"], ignore_index=True)


def purchase_intervals(
    ds: Dataset, *, as_of, window_days: int = 365, segment_by: Sequence[str] = ()
) -> pd.DataFrame:
    """Per customer: purchase days, last purchase and usual interval, computed in the engine.

    Parameters
    ----------
    ds : Dataset
    as_of : date-like
        Only orders on or before this date count.
    window_days : int
        Trailing window for ``revenue_12m`` (and ``revenue_prev`` for the window before it).

    Returns
    -------
    DataFrame
        ``customer_id``, ``n_days`` (distinct purchase days), ``first_date``, ``last_date``,
        ``median_interval`` and ``mean_interval`` (days between consecutive purchase days; NaN with
        one purchase day), ``revenue`` (all time), ``revenue_12m`` and ``revenue_prev``, plus the
        ``segment_by`` columns of ``customers`` that exist (joined in the engine).
    """
    as_of = pd.Timestamp(as_of)
    t = _orders(ds, None, as_of + pd.Timedelta(days=1))
    lo = _d(as_of - pd.Timedelta(days=window_days - 1))
    lo2 = _d(as_of - pd.Timedelta(days=2 * window_days - 1))
    daily = t.group_by(["customer_id", "order_date"]).aggregate(rev=extract.cents(t.amount.sum()))
    w = ibis.window(group_by="customer_id", order_by="order_date")
    daily = daily.mutate(prev=daily.order_date.lag().over(w))
    gap = daily.order_date.delta(daily.prev, unit="day")
    daily = daily.mutate(gap=gap)
    agg = (
        daily.group_by("customer_id")
        .aggregate(
            n_days=daily.count(),
            first_date=daily.order_date.min(),
            last_date=daily.order_date.max(),
            median_interval=daily.gap.median(),
            mean_interval=daily.gap.mean(),
            revenue=extract.cents(daily.rev.sum()),
            revenue_12m=extract.cents(daily.rev.sum(where=daily.order_date >= lo)),
            revenue_prev=extract.cents(daily.rev.sum(where=(daily.order_date >= lo2) & (daily.order_date < lo))),
        )
    )
    seg = [c for c in segment_by if ds.has("customers", c)]
    if seg:
        c = ds.table("customers").select("customer_id", *seg)
        agg = agg.left_join(c, "customer_id").drop("customer_id_right")
    df = agg.execute()
    for c in ("first_date", "last_date"):
        df[c] = pd.to_datetime(df[c])
    for c in ("median_interval", "mean_interval", "revenue", "revenue_12m", "revenue_prev"):
        df[c] = df[c].astype(float)
    df[["revenue_12m", "revenue_prev"]] = df[["revenue_12m", "revenue_prev"]].fillna(0.0)
    return df.sort_values("customer_id", ignore_index=True)


def customer_rep_revenue(ds: Dataset, *, start=None, end=None) -> pd.DataFrame:
    """Revenue per customer and rep in ``[start, end)`` (``customer_id``, ``rep_id``, ``revenue``,
    ``multi_day``: 1 when the pair's orders fall on more than one day)."""
    if not ds.has("orders", "rep_id"):
        return pd.DataFrame(columns=["customer_id", "rep_id", "revenue", "multi_day"])
    t = _orders(ds, start, end)
    t = t.filter(t.rep_id.notnull())
    df = t.group_by(["customer_id", "rep_id"]).aggregate(
        revenue=extract.cents(t.amount.sum()),
        multi_day=ibis.ifelse(t.order_date.max() > t.order_date.min(), 1, 0)).execute()
    df["revenue"] = df["revenue"].astype(float)
    df["multi_day"] = df["multi_day"].astype(int)
    return df.sort_values(["customer_id", "rep_id"], ignore_index=True)


def rep_revenue(ds: Dataset, *, start=None, end=None) -> pd.DataFrame:
    """Revenue per rep in ``[start, end)`` (``rep_id``, ``revenue``)."""
    if not ds.has("orders", "rep_id"):
        return pd.DataFrame(columns=["rep_id", "revenue"])
    t = _orders(ds, start, end)
    df = t.group_by("rep_id").aggregate(revenue=extract.cents(t.amount.sum())).execute()
    df["revenue"] = df["revenue"].astype(float)
    return df.sort_values("revenue", ascending=False, ignore_index=True)


def team_revenue(ds: Dataset, *, freq: str = "Q", start=None, end=None) -> pd.DataFrame:
    """Revenue per period and team (orders joined to reps in the engine).

    Returns
    -------
    DataFrame
        ``period`` (period start: 2026-07-01 for 2026Q3), ``team``, ``revenue``; empty without reps or
        ``orders.rep_id``.
    """
    if not (ds.has("orders", "rep_id") and ds.has("reps", "team")):
        return pd.DataFrame(columns=["period", "team", "revenue"])
    t = _orders(ds, start, end)
    r = ds.table("reps").select("rep_id", "team")
    j = t.join(r, "rep_id")
    df = (j.group_by([_period(j.order_date, freq).name("period"), "team"])
          .aggregate(revenue=extract.cents(j.amount.sum())).execute())
    df["period"] = pd.to_datetime(df["period"])
    df["revenue"] = df["revenue"].astype(float)
    return df.sort_values(["period", "team"], ignore_index=True)


def team_targets(ds: Dataset, *, quarters: Sequence[str | pd.Period]) -> pd.DataFrame:
    """Quarterly targets per team: team-level targets if any, else the sum of rep-level ones.

    ``quarters`` are Periods (fiscal quarters keep their own boundaries) or calendar labels
    ("2026Q3").

    Returns
    -------
    DataFrame
        ``period`` (quarter start: 2026-07-01 for 2026Q3), ``team``, ``target`` and ``months``
        (how many of the quarter's three months have a team or rep target at all: a quarter's
        target that misses a month is not the quarter's target).
    """
    cols = ["period", "team", "target", "months"]
    if not ds.has("targets"):
        return pd.DataFrame(columns=cols)
    qs = [q if isinstance(q, pd.Period) else pd.Period(q, freq="Q") for q in quarters]
    start_of = {str(m): q.start_time for q in qs for m in pd.period_range(q.start_time, q.end_time, freq="M")}
    tg = ds.table("targets")
    df = tg.filter(tg.period.isin(list(start_of)) & tg.level.isin(["team", "rep"])).execute()
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["quarter"] = df["period"].astype(str).map(start_of)
    team = df[df["level"] == "team"]
    if team.empty and ds.has("reps", "team"):
        reps = ds.table("reps").select("rep_id", "team").execute()
        team = df[df["level"] == "rep"].merge(reps, left_on="key", right_on="rep_id")
        team = team.assign(key=team["team"])
    out = team.groupby(["quarter", "key"])["amount"].sum().reset_index()
    out.columns = cols[:3]
    out["months"] = out["period"].map(df.groupby("quarter")["period"].nunique()).astype(int)
    out["period"] = pd.to_datetime(out["period"]).astype("datetime64[ns]")
    out["target"] = out["target"].astype(float)
    return out


def monthly_revenue_and_won(ds: Dataset, *, start=None, end=None) -> pd.DataFrame:
    """Booked revenue and won opportunity amount per month (for the non-pipeline run-rate).

    Returns
    -------
    DataFrame
        ``period`` (month start), ``revenue``, ``won_amount`` (0 without opportunities).
    """
    rev = extract.revenue(ds, freq="M", start=start, end=end, measures=("revenue",))
    if ds.has("opportunities"):
        o = ds.table("opportunities")
        o = o.filter(o.status == "won")
        if start is not None:
            o = o.filter(o.close_date >= _d(start))
        if end is not None:
            o = o.filter(o.close_date < _d(end))
        won = (o.group_by(o.close_date.truncate("M").name("period"))
               .aggregate(won_amount=extract.cents(o.amount.sum())).execute())
        won["period"] = pd.to_datetime(won["period"])
        rev = rev.merge(won, on="period", how="left")
    else:
        rev["won_amount"] = 0.0
    rev["won_amount"] = rev["won_amount"].astype(float).fillna(0.0)
    rev["revenue"] = rev["revenue"].astype(float)
    return rev.sort_values("period", ignore_index=True)


def closed_outcomes(ds: Dataset, *, by: str | None = None, start=None, end=None) -> pd.DataFrame:
    """Won and lost deals per close month (and ``by``, e.g. ``team``), with the win rate.

    Returns
    -------
    DataFrame
        ``period`` (month start), ``by`` (when given), ``won``, ``lost``, ``win_rate``.
    """
    o = extract.closed_deals(ds, start=start, end=end)
    keys = [o.close_date.truncate("M").name("period")]
    if by == "team" and "team" not in o.columns and ds.has("reps", "team"):
        o = o.join(ds.table("reps").select("rep_id", "team"), "rep_id")
    if by:
        keys.append(by)
    won = o.status == "won"
    df = o.group_by(keys).aggregate(won=won.sum(), lost=(~won).sum()).execute()
    df["period"] = pd.to_datetime(df["period"])
    df["win_rate"] = df["won"] / (df["won"] + df["lost"])
    return df.sort_values([*([by] if by else []), "period"], ignore_index=True)


def stage_durations(ds: Dataset, *, end=None) -> pd.DataFrame:
    """Completed stays in a stage: days from entering a stage to entering the next one.

    Only stays that ended before ``end`` count (no look-ahead when evaluating a past month).

    Returns
    -------
    DataFrame
        ``opportunity_id``, ``stage``, ``entered_date``, ``left_date``, ``days``; ``pipeline``
        after the id when the deals are in several pipelines
        (:attr:`salesnb.data.extract.StageOrder.pipelines`): a stay in Negotiation of a Renewals
        deal is a stay in Renewals' Negotiation.
    """
    cols = ["opportunity_id", "stage", "entered_date", "left_date", "days"]
    if not ds.has("opportunity_history"):
        return pd.DataFrame(columns=cols)
    h = ds.table("opportunity_history")
    w = ibis.window(group_by="opportunity_id", order_by="entered_date")
    h = h.mutate(left_date=h.entered_date.lead().over(w))
    so = extract.stage_order(ds)
    h = h.filter(h.left_date.notnull() & ~h.stage.isin([*so.won, *so.lost]))
    if end is not None:
        h = h.filter(h.left_date < _d(end))
    h = h.mutate(days=h.left_date.delta(h.entered_date, unit="day"))
    if so.pipelines and ds.has("opportunities", "pipeline"):  # each stay in its deal's pipeline
        o = ds.table("opportunities")
        h = h.left_join(o.select("opportunity_id", "pipeline"), "opportunity_id")
        cols = ["opportunity_id", "pipeline", *cols[1:]]
    df = h.select(*cols).execute()
    for c in ("entered_date", "left_date"):
        df[c] = pd.to_datetime(df[c])
    return df


def stage_outcomes(ds: Dataset, *, start=None, end=None) -> pd.DataFrame:
    """Closed deals (won or lost, closed in ``[start, end)``) and every open stage they reached.

    Returns
    -------
    DataFrame
        ``opportunity_id``, ``stage``, ``won`` (bool); ``pipeline`` after the id when the deals
        are in several pipelines (:attr:`salesnb.data.extract.StageOrder.pipelines`). Without a
        history table, one row per closed deal at the first stage (of its pipeline), and
        ``attrs["first_stage_only"]`` is True.
    """
    so = extract.stage_order(ds)  # the source's own stages (issue 11)
    pipe = ["pipeline"] if so.pipelines and ds.has("opportunities", "pipeline") else []
    o = extract.closed_deals(ds, start=start, end=end)
    o = o.select("opportunity_id", *pipe, won=o.status == "won")
    if ds.has("opportunity_history"):
        h = ds.table("opportunity_history")
        h = h.filter(~h.stage.isin([*so.won, *so.lost]))
        j = o.join(h.select("opportunity_id", "stage"), "opportunity_id")
        df = j.select("opportunity_id", *pipe, "stage", "won").distinct().execute()
    else:
        df = o.execute()
        df["stage"] = so.open[0] if so.open else "open"  # every deal reached the first stage
        if pipe:  # ... of its own pipeline
            first = {p: (x.open[0] if x.open else "open") for p, x in so.pipelines.items()}
            df["stage"] = df["pipeline"].map(first).fillna(df["stage"])
    df["won"] = df["won"].astype(bool)
    out = df[["opportunity_id", *pipe, "stage", "won"]]
    # without a history, how far a lost deal got is unknown: the later stages have no outcomes
    out.attrs["first_stage_only"] = not ds.has("opportunity_history")
    return out


def _close_date_then(table, date_col: str, at: pd.Timestamp) -> pd.DataFrame:
    """``opportunity_id`` and ``close_then``: each deal's last non-empty ``close_date`` in ``table``
    dated (``date_col``) on or before ``at``, chosen in the engine."""
    t = table.filter(table[date_col] <= at.date()).filter(table.close_date.notnull())
    w = ibis.window(group_by="opportunity_id", order_by=ibis.desc(date_col))
    t = t.mutate(rn=ibis.row_number().over(w)).filter(lambda x: x.rn == 0)
    return t.select("opportunity_id", close_then=t.close_date).execute()


def open_deals(ds: Dataset, *, at, past_days: int = 31) -> pd.DataFrame:
    """Opportunities open at ``at`` with their stage then, the stage entry date and the rep's team.

    Wraps :func:`salesnb.data.extract.pipeline_snapshot`; ``stage`` is replaced by the stage at
    ``at``. When ``at`` lies more than ``past_days`` before the data's as-of date,
    ``last_activity_date`` and ``close_date_changes`` (only known as of today) are dropped.

    ``close_date`` is the one expected on ``at``: from the last ``close_date_history`` row on or
    before ``at`` (a deal without any row keeps its recorded date: it never changed), else from
    the last ``opportunity_history`` row entered on or before ``at`` when the history carries a
    ``close_date`` column (snapshots); otherwise the
    opportunities table's own, which is the expected date only for deals still open today. When any
    deal of the snapshot closed after ``at`` and there are no snapshots, the final close dates would
    be look-ahead: ``close_date`` is then NaT for every deal and ``df.attrs["close_dates_known"]``
    is False (True otherwise).

    Returns
    -------
    DataFrame
        Opportunity columns with ``stage`` (at ``at``), ``stage_entered``, ``days_in_stage``,
        ``age_days``, ``team`` and ``rep_end_date`` (when reps are known).
    """
    at = pd.Timestamp(at)
    df = extract.pipeline_snapshot(ds, at=at, past_days=past_days)
    df["stage"] = df["stage_at"]
    df = df.drop(columns=["stage_at"])
    closed_later = bool((df["status"] != "open").any()) if len(df) else False
    df["status"] = "open"  # they were open at ``at``, whatever happened later
    known = True
    if ds.has("close_date_history"):  # the close date of every deal as it changed
        c = ds.table("close_date_history")
        ever = set(c.select("opportunity_id").distinct().execute()["opportunity_id"])
        df = df.merge(_close_date_then(c, "changed_date", at), on="opportunity_id", how="left")
        then = pd.to_datetime(df.pop("close_then"))
        # a deal without any row never had its close date changed: the recorded one held then too
        unchanged = then.isna() & ~df["opportunity_id"].isin(ever)
        df["close_date"] = then.where(~unchanged, pd.to_datetime(df["close_date"]))
        # rows only after ``at``: not known then (an open deal that never had a close date, which
        # the contract allows, has no row at all and is no such deal)
        if (then.isna() & ~unchanged).any() and closed_later:
            df["close_date"] = pd.NaT
            known = False
    elif ds.has("opportunity_history", "close_date"):
        snap = _close_date_then(ds.table("opportunity_history"), "entered_date", at)
        df = df.merge(snap, on="opportunity_id", how="left")
        df["close_date"] = pd.to_datetime(df.pop("close_then"))
    elif closed_later:
        df["close_date"] = pd.NaT  # only the final close dates are recorded: not known at ``at``
        known = False
    if at < ds.as_of.normalize() - pd.Timedelta(days=past_days):
        # evaluating the past: facts recorded later are not known at ``at``
        df = df.drop(columns=[c for c in ("last_activity_date", "close_date_changes",
                                          "lost_reason") if c in df])
    if ds.has("reps", "team"):
        r = ds.table("reps")
        cols = ["rep_id", "team"] + (["end_date"] if "end_date" in r.columns else [])
        reps = r.select(*cols).execute()
        if "end_date" in reps:
            reps = reps.rename(columns={"end_date": "rep_end_date"})
            reps["rep_end_date"] = pd.to_datetime(reps["rep_end_date"])
        df = df.merge(reps, on="rep_id", how="left")
    df.attrs["close_dates_known"] = known
    return df


def deal_snapshots(
    ds: Dataset,
    *,
    as_of,
    horizon_days: int,
    n_refs: int = 24,
    step_days: int = 30,
) -> pd.DataFrame:
    """Deals open at past reference dates, with whether each was won within ``horizon_days``.

    The reference dates are ``as_of − horizon_days − k·step_days`` (k = 0 … n_refs − 1), so every
    outcome is known on ``as_of``: nothing after it is used. A deal counts as won when it closed won
    in ``(t, t + horizon_days]``. This is the evidence for P(won within the quarter | stage, age)
    (:func:`salesnb.risk.win_within_rates`).

    When the source keeps the close dates expected then (``close_date_history``, or ``close_date``
    snapshots in ``opportunity_history``), ``due`` says where each deal's close date expected on
    the reference date fell: ``"past_due"`` (before it), ``"due"`` (within the horizon) or
    ``"later"``; missing when not known then. Deals due by their reps' dates are not all won in
    time (close dates slip), and that is learned here, not assumed.

    Returns
    -------
    DataFrame
        ``ref_date``, ``opportunity_id``, ``stage`` (at the reference date; missing without a
        stage history), ``age_days``, ``amount``, ``won_within`` (bool) and, with the close dates
        expected then, ``due``; ``pipeline`` after the id when the deals are in several pipelines
        (:attr:`salesnb.data.extract.StageOrder.pipelines`).
    """
    cols = ["ref_date", "opportunity_id", "stage", "age_days", "amount", "won_within"]
    pipe = ["pipeline"] if ds.has("opportunities", "pipeline") and extract.stage_order(ds).pipelines else []
    cols = [*cols[:2], *pipe, *cols[2:]]
    as_of = pd.Timestamp(as_of).normalize()
    o = ds.table("opportunities").select(
        "opportunity_id", *pipe, "created_date", "close_date", "stage", "status", "amount").execute()
    if o.empty:
        return pd.DataFrame(columns=cols)
    for c in ("created_date", "close_date"):
        o[c] = pd.to_datetime(o[c])
    hist = None
    if ds.has("opportunity_history"):
        hist = ds.table("opportunity_history").select("opportunity_id", "stage",
                                                      "entered_date").execute()
        hist["entered_date"] = pd.to_datetime(hist["entered_date"])
        hist = hist.sort_values("entered_date")
    expected, ever = _expected_close_dates(ds)
    if expected is not None:
        cols = [*cols, "due"]
    out = []
    for k in range(n_refs):
        t = as_of - pd.Timedelta(days=horizon_days + k * step_days)
        d = o[(o["created_date"] <= t) & ((o["status"] == "open") | (o["close_date"] > t))]
        if d.empty:
            continue
        d = d.assign(ref_date=t, age_days=(t - d["created_date"]).dt.days)
        d = d.drop(columns="stage")  # today's stage is look-ahead: the stage then, or unknown
        if hist is not None:
            h = hist[hist["entered_date"] <= t].drop_duplicates("opportunity_id", keep="last")
            d = d.merge(h[["opportunity_id", "stage"]], on="opportunity_id", how="left")
        else:
            d["stage"] = pd.NA
        end = t + pd.Timedelta(days=horizon_days)
        d["won_within"] = (d["status"] == "won") & (d["close_date"] <= end)
        out.append(d)
    if not out:
        return pd.DataFrame(columns=cols)
    snap = pd.concat(out, ignore_index=True)
    if expected is not None:  # the close date each deal was expected on at each reference date
        left = snap[["ref_date", "opportunity_id"]].reset_index().sort_values("ref_date", kind="stable")
        left["ref_date"] = left["ref_date"].astype("datetime64[ns]")  # merge_asof: one resolution
        expected = expected.assign(day=expected["day"].astype("datetime64[ns]"))
        then = pd.merge_asof(left, expected, left_on="ref_date", right_on="day", by="opportunity_id")
        then = then.set_index("index")["close_date_y" if "close_date_y" in then else "close_date"]
        then = then.reindex(snap.index)
        if ever is not None:  # never changed: the recorded date held then too
            then = then.where(then.notna() | snap["opportunity_id"].isin(ever), snap["close_date"])
        t, end = snap["ref_date"], snap["ref_date"] + pd.Timedelta(days=horizon_days)
        snap["due"] = np.select([then < t, then <= end, then > end], ["past_due", "due", "later"],
                                default=None)
    return snap[cols]


def _expected_close_dates(ds: Dataset) -> tuple[pd.DataFrame | None, set | None]:
    """Every close date a deal was expected on: ``opportunity_id``, ``day`` (from when),
    ``close_date``, sorted by day; and, from ``close_date_history``, the deals it has any row for
    (a deal without one never changed). (None, None) when the source keeps final dates only."""
    if ds.has("close_date_history"):
        c = ds.table("close_date_history")
        c = c.select("opportunity_id", day=c.changed_date, close_date=c.close_date).execute()
        ever = set(c["opportunity_id"])
        c = c[c["close_date"].notna()]
    elif ds.has("opportunity_history", "close_date"):
        h = ds.table("opportunity_history")
        c = h.filter(h.close_date.notnull()).select(
            "opportunity_id", day=h.entered_date, close_date=h.close_date).execute()
        ever = None
    else:
        return None, None
    for col in ("day", "close_date"):
        c[col] = pd.to_datetime(c[col])
    return c.sort_values("day", kind="stable"), pd.Index(sorted(ever)) if ever is not None else None


def risk_inputs(
    ds: Dataset,
    *,
    as_of,
    windows: int = 8,
    history_months: int = 36,
    segment_by: Sequence[str] = ("customer_type", "industry"),
    fiscal_year_start: int = 1,
) -> RiskInputs:
    """Every frame :func:`salesnb.risk.monitor` needs, for data known on ``as_of``.

    Parameters
    ----------
    ds : Dataset
    as_of : date-like
        Evaluation date (the report month's last day); nothing after it is read.
    windows : int
        Number of 3-month windows for the concentration trend.
    history_months : int
        Months of history for weekly charts, win rates, discounts and the run-rate.
    segment_by : sequence of str
        Customer columns defining segments for the churn-wave check (those that exist).
    fiscal_year_start : int
        First calendar month of the fiscal year (1: calendar quarters): the quarter of P(miss),
        coverage, targets and booked revenue is the fiscal quarter.

    Returns
    -------
    RiskInputs
        ``rev_customer_id``, ``rev_product_id``, ``rev_region`` (:func:`revenue_windows`),
        ``weekly_region``, ``discount``, ``intervals``, ``customer_rep``, ``rep_revenue``,
        ``reps``, ``monthly``, ``win_rate`` and, with opportunities, ``open_deals``,
        ``stage_durations``, ``stage_outcomes``, ``targets`` (this and next quarter),
        ``booked`` (this quarter to date, per team) and ``stages``. Frames of missing tables are
        ``None``.
    """
    quarter_freq(fiscal_year_start)  # a month 1-12, else a clear error before any query
    as_of = pd.Timestamp(as_of).normalize()
    end = as_of + pd.Timedelta(days=1)
    hist = (end.to_period("M") - history_months).to_timestamp()
    year = as_of - pd.Timedelta(days=364)
    out: dict[str, Any] = {}
    for ent in ("customer_id", "product_id", "region"):
        if ds.has("orders", ent):
            out[f"rev_{ent}"] = revenue_windows(ds, entity=ent, end=end, n=windows)
    if ds.has("orders", "region"):
        out["weekly_region"] = weekly_revenue(ds, by="region", start=hist, end=end)
    out["discount"] = discount_by_month(ds, by="category", start=hist, end=end)
    out["intervals"] = purchase_intervals(ds, as_of=as_of, segment_by=segment_by)
    out["customer_rep"] = customer_rep_revenue(ds, start=year, end=end)
    out["rep_revenue"] = rep_revenue(ds, start=year, end=end)
    out["reps"] = extract.small_table(ds, "reps")
    out["monthly"] = monthly_revenue_and_won(ds, start=hist, end=end)
    if ds.has("opportunities"):
        quarter = fiscal_quarter(end, fiscal_year_start)  # the quarter still running after as_of
        out["win_rate"] = closed_outcomes(ds, start=hist, end=end)
        out["open_deals"] = open_deals(ds, at=as_of)
        out["close_dates_known"] = bool(out["open_deals"].attrs.get("close_dates_known", True))
        q_end = quarter.end_time.normalize()
        out["deal_snapshots"] = deal_snapshots(ds, as_of=as_of,
                                               horizon_days=max((q_end - as_of).days, 1))
        so = extract.stage_order(ds)
        out["stages"] = list(so.open)
        out["stage_pipelines"] = {p: list(x.open) for p, x in so.pipelines.items()} or None
        out["stage_durations"] = stage_durations(ds, end=end)
        out["stage_outcomes"] = stage_outcomes(ds, end=end)
        out["targets"] = team_targets(ds, quarters=[quarter, quarter + 1])
        booked = team_revenue(ds, start=quarter.start_time, end=end)
        out["booked"] = booked.rename(columns={"revenue": "booked"})
    out["fiscal_year_start"] = int(fiscal_year_start)
    return RiskInputs.from_mapping(out, as_of=as_of)
