"""Risk monitoring: an early-warning system over tidy pandas frames.

Sections
--------
- Concentration: :func:`hhi`, :func:`top_shares`, :func:`concentration` (per period, bootstrap
  intervals, thresholds), :func:`trend_test`.
- Customer risk: :func:`customer_risk` (recency beyond the customer's own usual interval, P(alive)
  drops), revenue at risk.
- Pipeline risk: :func:`stage_win_rates`, :func:`pipeline_coverage`, :func:`miss_probability`
  (Monte Carlo), :func:`non_pipeline_run_rate`, :func:`stage_duration_thresholds`,
  :func:`stalled_deals`, :func:`slipped_deals`, :func:`inactive_deals`.
- Anomalies: :func:`xmr` (Western Electric rules), :func:`ewma`, :func:`false_alarm_rate`.
- Operational: :func:`discount_creep`, :func:`rep_exposure`, :func:`single_rep_accounts`.
- Outputs: :func:`indicator`, :func:`risk_register`, :func:`make_alert`, :func:`alerts_from_register`,
  :func:`sort_alerts`, :func:`alerts_to_json`, :func:`should_fail`.
- Everything at once: :func:`monitor` → :class:`RiskReport`, on the frames of
  :func:`salesnb.data.risk_queries.risk_inputs`.

Every function is pure: data first, options keyword-only, no I/O and no printing. Money is in the
reporting currency of the orders; shares are fractions (0.15 = 15 %); HHI is on the 0-10,000 scale.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "ALERT_FIELDS",
    "CATEGORIES",
    "DEFAULT_ACTIONS",
    "DEFAULT_OWNERS",
    "SEVERITIES",
    "alert_id",
    "alerts_from_register",
    "alerts_to_json",
    "concentration",
    "customer_risk",
    "discount_creep",
    "ewma",
    "false_alarm_rate",
    "hhi",
    "inactive_deals",
    "indicator",
    "make_alert",
    "miss_probability",
    "monitor",
    "normalized_hhi",
    "p_alive_change",
    "peer_adjusted",
    "RiskReport",
    "seasonal_run_rate",
    "segment_churn",
    "creep_start",
    "non_pipeline_run_rate",
    "pipeline_coverage",
    "rag_status",
    "rep_exposure",
    "risk_register",
    "should_fail",
    "single_rep_accounts",
    "slipped_deals",
    "sort_alerts",
    "stage_duration_thresholds",
    "stage_win_rates",
    "stalled_deals",
    "top_shares",
    "trend_test",
    "validate_alerts",
    "xmr",
]

#: alert severities, from least to most severe
SEVERITIES: tuple[str, ...] = ("info", "warning", "critical")
#: alert / risk categories (the sections of the risk notebook)
CATEGORIES: tuple[str, ...] = ("concentration", "customer", "pipeline", "anomaly", "operational")
#: the fields of one alert, in this order
ALERT_FIELDS: tuple[str, ...] = (
    "id", "severity", "category", "metric", "entity", "value", "threshold", "first_seen", "message",
)
#: suggested action per risk type (category)
DEFAULT_ACTIONS: dict[str, str] = {
    "concentration": "Diversify: grow the next tier of accounts, products and regions; "
    "multi-year terms with the largest accounts",
    "customer": "Win back: account review and outreach to overdue high-value customers",
    "pipeline": "Build pipeline: prospecting push, review stalled and slipped deals with reps",
    "anomaly": "Investigate the flagged region/week: data issue, lost deal, or market shift",
    "operational": "Tighten discount approval; reassign accounts of departed reps; "
    "add a second contact to single-rep key accounts",
}
#: default owner per risk type (override with a parameter)
DEFAULT_OWNERS: dict[str, str] = {
    "concentration": "Head of Sales",
    "customer": "Customer Success",
    "pipeline": "Sales Managers",
    "anomaly": "Sales Operations",
    "operational": "Sales Operations",
}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _ts(x: Any) -> pd.Timestamp:
    return pd.Timestamp(x)


def _iso(x: Any) -> str | None:
    """ISO date (YYYY-MM-DD) of a date-like, a Period's start, or None."""
    if x is None:
        return None
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, pd.Period):
        x = x.start_time
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError):
        return str(x)
    if pd.isna(ts):
        return None
    return ts.strftime("%Y-%m-%d")


def _jsonable(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return None if not math.isfinite(f) else round(f, 6)
    if isinstance(v, (pd.Timestamp, pd.Period)):
        return _iso(v)
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if v is pd.NaT:
        return None
    return v if isinstance(v, str) else str(v)


# --------------------------------------------------------------------------------------------
# concentration
# --------------------------------------------------------------------------------------------

def hhi(values: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of a set of revenues, on the 0-10,000 scale.

    Parameters
    ----------
    values : iterable of float
        Revenue per entity (customer, product, region). Negative values (net returns) count as 0;
        missing values are ignored.

    Returns
    -------
    float
        ``10,000 × Σ sᵢ²`` with ``sᵢ`` the share of entity *i*; NaN when the total is not positive.
        10,000 means one entity holds everything; ``10,000 / n`` is the floor for *n* equal entities.
    """
    v = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    v = np.clip(v[np.isfinite(v)], 0.0, None)
    total = v.sum()
    if total <= 0:
        return float("nan")
    s = v / total
    return float(10_000.0 * np.sum(s * s))


def top_shares(values: Iterable[float], *, n: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    """Share of the total held by the largest 1, 5, 10... entities.

    Parameters
    ----------
    values : iterable of float
        Revenue per entity; negatives count as 0, missing values are ignored.
    n : sequence of int
        The top-N sizes.

    Returns
    -------
    dict
        ``{"top1": s1, "top5": s5, ...}`` as fractions (NaN when the total is not positive).
        With fewer than N entities, ``topN`` is 1.
    """
    v = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float)
    v = np.sort(np.clip(v[np.isfinite(v)], 0.0, None))[::-1]
    total = v.sum()
    out = {}
    for k in n:
        out[f"top{k}"] = float(v[:k].sum() / total) if total > 0 else float("nan")
    return out


def _concentration_status(value: float, thresholds: Sequence[float]) -> str:
    lo, hi = thresholds
    if not np.isfinite(value):
        return "n/a"
    return "high" if value > hi else "moderate" if value >= lo else "low"


def concentration(
    data: pd.DataFrame,
    *,
    entity: str,
    value: str = "revenue",
    period: str | None = "period",
    top: Sequence[int] = (1, 5, 10),
    thresholds: Sequence[float] = (1500.0, 2500.0),
    n_boot: int = 400,
    ci: float = 0.9,
    sq: str | None = "revenue_sq",
    seed: int = 0,
) -> pd.DataFrame:
    """HHI and top-N shares per period, with bootstrap intervals for the HHI.

    Parameters
    ----------
    data : DataFrame
        Tidy revenue: one row per period and entity (e.g. from
        :func:`salesnb.data.risk_queries.revenue_by_entity`).
    entity : str
        Column identifying the entity (``customer_id``, ``product_id``, ``region``...).
    value : str
        Revenue column.
    period : str or None
        Period column; None treats the whole frame as one period.
    top : sequence of int
        Top-N shares to report.
    thresholds : (float, float)
        HHI below the first is ``low`` (unconcentrated), up to the second ``moderate``, above it
        ``high`` (the US merger-guideline bands 1,500 / 2,500 by default).
    n_boot : int
        Bootstrap replicates (0 disables the intervals).
    ci : float
        Coverage of the percentile interval.
    sq : str or None
        Column with the sum of squared line amounts per entity. When present, the bootstrap is
        parametric at line level (each entity total drawn from a normal with the compound-Poisson
        variance Σx², truncated at 0), which works for few entities (regions) as well as many.
        Otherwise entities are resampled with replacement.
    seed : int
        Random seed (results are reproducible).

    Returns
    -------
    DataFrame
        One row per period: ``period`` (when given), ``n_entities``, ``total``, ``hhi``, ``hhi_low``,
        ``hhi_high``, ``top1``, ``top5``... and ``status`` (low / moderate / high).
    """
    rng = np.random.default_rng(seed)
    alpha = (1 - ci) / 2
    groups = data.groupby(period, sort=True) if period else [(None, data)]
    rows = []
    for key, g in groups:
        v = g.groupby(entity)[value].sum().to_numpy(dtype=float)
        v = np.clip(np.nan_to_num(v), 0.0, None)
        row: dict[str, Any] = {} if period is None else {period: key}
        row["n_entities"] = int((v > 0).sum())
        row["total"] = float(v.sum())
        h = hhi(v)
        row["hhi"] = h
        lo = hi = float("nan")
        if n_boot and v.sum() > 0 and len(v) > 1:
            if sq is not None and sq in g.columns:
                var = np.clip(g.groupby(entity)[sq].sum().to_numpy(dtype=float), 0.0, None)
                draws = rng.normal(v, np.sqrt(var), size=(n_boot, len(v)))
                draws = np.clip(draws, 0.0, None)
                tot = draws.sum(axis=1)
                ok = tot > 0
                b = 10_000.0 * (draws[ok] ** 2).sum(axis=1) / tot[ok] ** 2
            else:
                w = rng.multinomial(len(v), np.full(len(v), 1 / len(v)), size=n_boot)
                tot = w @ v
                ok = tot > 0
                b = 10_000.0 * (w[ok] @ (v * v)) / tot[ok] ** 2
            if len(b):
                lo, hi = (float(x) for x in np.quantile(b, [alpha, 1 - alpha]))
        row["hhi_low"], row["hhi_high"] = lo, hi
        row.update(top_shares(v, n=top))
        row["status"] = _concentration_status(h, thresholds)
        rows.append(row)
    return pd.DataFrame(rows)


def trend_test(
    y: Sequence[float] | pd.Series,
    *,
    x: Sequence[float] | None = None,
    alpha: float = 0.1,
    alternative: str = "two-sided",
) -> dict[str, Any]:
    """Mann-Kendall trend test with the Theil-Sen slope.

    Parameters
    ----------
    y : sequence of float
        The series, in time order (missing values dropped).
    x : sequence of float, optional
        Time positions (default 0, 1, 2...).
    alpha : float
        Significance level for ``direction``.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis of the Kendall test ("greater" = rising).

    Returns
    -------
    dict
        ``n``, ``slope`` (per unit of x), ``intercept``, ``tau``, ``pvalue`` and ``direction``
        (``rising``, ``falling`` or ``flat``).
    """
    yy = np.asarray(y, dtype=float)
    xx = np.arange(len(yy), dtype=float) if x is None else np.asarray(x, dtype=float)
    ok = np.isfinite(yy) & np.isfinite(xx)
    yy, xx = yy[ok], xx[ok]
    out: dict[str, Any] = {"n": int(len(yy)), "slope": float("nan"), "intercept": float("nan"),
                           "tau": float("nan"), "pvalue": float("nan"), "direction": "flat"}
    if len(yy) < 3 or np.ptp(yy) == 0:
        if len(yy) >= 3:
            out.update(slope=0.0, intercept=float(yy[0]), tau=0.0, pvalue=1.0)
        return out
    res = stats.theilslopes(yy, xx)
    tau = stats.kendalltau(xx, yy, alternative=alternative)
    out.update(slope=float(res.slope), intercept=float(res.intercept), tau=float(tau.statistic),
               pvalue=float(tau.pvalue))
    if out["pvalue"] < alpha:
        out["direction"] = "rising" if out["tau"] > 0 else "falling"
    return out


# --------------------------------------------------------------------------------------------
# customer risk
# --------------------------------------------------------------------------------------------

def customer_risk(
    summary: pd.DataFrame,
    *,
    as_of: Any,
    margin: float = 2.0,
    min_gap_days: int = 30,
    min_orders: int = 3,
    high_value_quantile: float = 0.8,
    p_alive: pd.DataFrame | None = None,
    p_alive_drop: float = 0.3,
    value: str = "revenue_12m",
) -> pd.DataFrame:
    """Customers at risk: overdue against their own rhythm, or whose P(alive) dropped.

    A customer is *overdue* when the days since the last purchase exceed ``margin`` times their
    usual (median) interval between purchase days, and by at least ``min_gap_days``. Only customers
    with ``min_orders`` purchase days or more have a usual interval.

    Parameters
    ----------
    summary : DataFrame
        One row per customer with ``customer_id``, ``n_days`` (purchase days), ``last_date``,
        ``median_interval`` (days) and the revenue column ``value`` (e.g. trailing-12-month revenue)
        — :func:`salesnb.data.risk_queries.purchase_intervals` returns this.
    as_of : date-like
        Evaluation date.
    margin : float
        Overdue when ``days_since_last > margin × median_interval``.
    min_gap_days : int
        ... and ``days_since_last - median_interval >= min_gap_days``.
    min_orders : int
        Minimum purchase days for a usual interval.
    high_value_quantile : float
        Customers at or above this quantile of ``value`` (among customers with revenue) are
        ``high_value``.
    p_alive : DataFrame, optional
        ``customer_id``, ``p_alive`` (now) and ``p_alive_prev`` (e.g. three months earlier), e.g. from
        :mod:`salesnb.clv`. A drop of ``p_alive_drop`` or more flags the customer.
    p_alive_drop : float
        Minimum drop of P(alive) that flags a customer.
    value : str
        Revenue column used for value and revenue at risk.

    Returns
    -------
    DataFrame
        ``customer_id``, ``days_since_last``, ``median_interval``, ``overdue_ratio``, ``overdue``,
        (``p_alive``, ``p_alive_prev``, ``p_alive_change``, ``alive_drop`` when given),
        ``high_value``, ``at_risk`` (overdue or alive_drop), ``revenue_at_risk`` (``value`` of
        at-risk customers, else 0), ``reason`` and ``first_seen`` (date the customer became overdue),
        sorted by revenue at risk.
    """
    as_of = _ts(as_of)
    df = summary.copy()
    df["last_date"] = pd.to_datetime(df["last_date"])
    df["days_since_last"] = (as_of - df["last_date"]).dt.days
    interval = df["median_interval"].astype(float).where(df["n_days"] >= min_orders)
    df["median_interval"] = interval
    df["overdue_ratio"] = df["days_since_last"] / interval
    limit = np.maximum(margin * interval, interval + min_gap_days)
    df["overdue"] = (df["days_since_last"] > limit).fillna(False).astype(bool)
    df["first_seen"] = df["last_date"] + pd.to_timedelta(np.ceil(limit.fillna(0)), unit="D")
    df.loc[~df["overdue"], "first_seen"] = pd.NaT
    vals = df[value].astype(float).fillna(0.0)
    pos = vals[vals > 0]
    cut = pos.quantile(high_value_quantile) if len(pos) else np.inf
    df["high_value"] = (vals >= cut) & (vals > 0)
    flags = df["overdue"].copy()
    reasons = np.where(df["overdue"], "overdue", "")
    if p_alive is not None and len(p_alive):
        pa = p_alive[["customer_id", "p_alive", "p_alive_prev"]]
        df = df.merge(pa, on="customer_id", how="left")
        df["p_alive_change"] = df["p_alive"] - df["p_alive_prev"]
        df["alive_drop"] = (df["p_alive_change"] <= -p_alive_drop).fillna(False).astype(bool)
        flags = df["overdue"] | df["alive_drop"]
        reasons = np.where(
            df["overdue"] & df["alive_drop"], "overdue, P(alive) dropped",
            np.where(df["alive_drop"], "P(alive) dropped", reasons),
        )
        first_alive = df["first_seen"].where(df["overdue"], as_of)
        df["first_seen"] = df["first_seen"].where(~flags, first_alive)
    df["at_risk"] = flags.to_numpy()
    df["reason"] = reasons
    df["revenue_at_risk"] = np.where(df["at_risk"], vals.reindex(df.index).fillna(0.0), 0.0)
    df = df.sort_values(["revenue_at_risk", value], ascending=False, ignore_index=True)
    return df


# --------------------------------------------------------------------------------------------
# pipeline risk
# --------------------------------------------------------------------------------------------

def stage_win_rates(
    outcomes: pd.DataFrame,
    *,
    stage: str = "stage",
    won: str = "won",
    stages: Sequence[str] | None = None,
    prior_strength: float = 20.0,
) -> pd.DataFrame:
    """Calibrated win rate per stage: P(won | the deal reached the stage), from closed deals.

    Rates are shrunk toward the overall win rate (a Beta prior worth ``prior_strength`` deals), so a
    stage seen on few deals does not get an extreme rate.

    Parameters
    ----------
    outcomes : DataFrame
        One row per closed opportunity and stage it reached, with a boolean ``won`` column
        (:func:`salesnb.data.risk_queries.stage_outcomes`).
    stage, won : str
        Column names.
    stages : sequence of str, optional
        Stages to report, in order (default: those present).
    prior_strength : float
        Pseudo-deals of the prior.

    Returns
    -------
    DataFrame
        ``stage``, ``deals``, ``wins``, ``raw_rate`` and ``win_rate``.
    """
    if outcomes.empty:
        return pd.DataFrame(columns=["stage", "deals", "wins", "raw_rate", "win_rate"])
    if "opportunity_id" in outcomes.columns:
        overall = float(outcomes.drop_duplicates("opportunity_id")[won].mean())
    else:
        overall = float(outcomes[won].mean())
    g = outcomes.groupby(stage)[won].agg(deals="count", wins="sum").reset_index()
    g = g.rename(columns={stage: "stage"})
    g["wins"] = g["wins"].astype(float)
    g["raw_rate"] = g["wins"] / g["deals"]
    g["win_rate"] = (g["wins"] + prior_strength * overall) / (g["deals"] + prior_strength)
    if stages is not None:
        g = g.set_index("stage").reindex(list(stages)).reset_index()
        g["deals"] = g["deals"].fillna(0).astype(int)
        g["wins"] = g["wins"].fillna(0.0)
        g["win_rate"] = g["win_rate"].fillna(overall)
    return g


def non_pipeline_run_rate(
    monthly: pd.DataFrame,
    *,
    revenue: str = "revenue",
    won: str = "won_amount",
    months: int = 12,
) -> dict[str, float]:
    """Monthly run-rate of business that never appears in the pipeline.

    Parameters
    ----------
    monthly : DataFrame
        One row per complete month (in time order) with booked ``revenue`` and the ``won`` amount of
        opportunities closed that month.
    months : int
        Trailing months to average.

    Returns
    -------
    dict
        ``mean`` and ``sd`` of ``max(revenue − won, 0)`` over the last ``months`` months, and
        ``months`` used.
    """
    tail = monthly.tail(months)
    x = np.clip(tail[revenue].astype(float) - tail[won].fillna(0).astype(float), 0.0, None)
    return {"mean": float(x.mean()) if len(x) else 0.0,
            "sd": float(x.std(ddof=1)) if len(x) > 1 else 0.0,
            "months": int(len(x))}


def miss_probability(
    open_deals: pd.DataFrame,
    *,
    target: float,
    booked: float,
    win_rates: Mapping[str, float] | pd.DataFrame,
    run_rate: float = 0.0,
    run_rate_sd: float = 0.0,
    remaining_months: float = 0.0,
    stage: str = "stage",
    amount: str = "amount",
    n_sims: int = 20_000,
    seed: int = 0,
) -> dict[str, float]:
    """Probability of missing the period's target, by Monte Carlo over the open deals.

    Each open deal due in the period is won independently with its stage's calibrated win rate;
    business that never appears in the pipeline adds ``run_rate`` per remaining month (normal noise
    with ``run_rate_sd`` per month, independent months, truncated at 0).

    Parameters
    ----------
    open_deals : DataFrame
        Open opportunities with expected close in the remaining part of the period.
    target : float
        The period's target.
    booked : float
        Revenue already booked in the period.
    win_rates : mapping or DataFrame
        Stage → win rate, or :func:`stage_win_rates` output.
    run_rate, run_rate_sd : float
        Monthly non-pipeline revenue and its standard deviation (:func:`non_pipeline_run_rate`).
    remaining_months : float
        Months left in the period (fractions allowed).
    n_sims : int
        Simulations.
    seed : int
        Random seed.

    Returns
    -------
    dict
        ``p_miss``, ``expected`` (expected period total), ``p10``/``p50``/``p90`` of the total,
        ``target``, ``booked``, ``gap`` (target − booked), ``pipeline`` (open amount),
        ``expected_pipeline`` and ``expected_run_rate``.
    """
    if isinstance(win_rates, pd.DataFrame):
        win_rates = dict(zip(win_rates["stage"], win_rates["win_rate"], strict=True))
    amounts = open_deals[amount].astype(float).fillna(0.0).to_numpy()
    p = open_deals[stage].map(lambda s: win_rates.get(s, np.nan)).astype(float)
    fallback = float(np.nanmean(list(win_rates.values()))) if win_rates else 0.0
    p = p.fillna(fallback).clip(0, 1).to_numpy()
    rng = np.random.default_rng(seed)
    totals = np.empty(n_sims)
    chunk = max(1, min(n_sims, 2_000_000 // max(len(amounts), 1)))
    for i in range(0, n_sims, chunk):
        k = min(chunk, n_sims - i)
        wins = rng.random((k, len(amounts))) < p
        totals[i:i + k] = wins @ amounts if len(amounts) else 0.0
    sd = run_rate_sd * math.sqrt(max(remaining_months, 0.0))
    extra = rng.normal(run_rate * remaining_months, sd, size=n_sims) if sd > 0 else np.full(
        n_sims, run_rate * remaining_months)
    totals = booked + totals + np.clip(extra, 0.0, None)
    q = np.quantile(totals, [0.1, 0.5, 0.9])
    return {
        "p_miss": float(np.mean(totals < target)),
        "expected": float(totals.mean()),
        "p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2]),
        "target": float(target), "booked": float(booked), "gap": float(target - booked),
        "pipeline": float(amounts.sum()),
        "expected_pipeline": float((amounts * p).sum()),
        "expected_run_rate": float(max(run_rate, 0.0) * remaining_months),
    }


def pipeline_coverage(
    open_deals: pd.DataFrame,
    targets: pd.DataFrame,
    booked: pd.DataFrame,
    *,
    by: str = "team",
    periods: Sequence[pd.Period | str],
    as_of: Any,
    close_date: str = "close_date",
    amount: str = "amount",
) -> pd.DataFrame:
    """Coverage: open pipeline due in the period ÷ the target still to book, per group.

    Parameters
    ----------
    open_deals : DataFrame
        Open opportunities with ``close_date``, ``amount`` and the ``by`` column. Past-due deals
        count in the current period.
    targets : DataFrame
        ``period`` (quarter: Period or "2026Q3"), ``by`` column, ``target``.
    booked : DataFrame
        ``period``, ``by`` column, ``booked`` (revenue booked so far in the period).
    by : str
        Group column (``team``).
    periods : sequence of Period or str
        Quarters to report (this and next quarter).
    as_of : date-like
        Evaluation date.

    Returns
    -------
    DataFrame
        ``period`` (str), ``by``, ``target``, ``booked``, ``remaining`` (max(target − booked, 0)),
        ``pipeline`` and ``coverage`` (NaN when nothing remains to book).
    """
    as_of = _ts(as_of)
    per = [pd.Period(p, freq="Q") for p in periods]
    deals = open_deals.copy()
    deals[close_date] = pd.to_datetime(deals[close_date])
    due = deals[close_date].where(deals[close_date] >= as_of.normalize(), as_of.normalize())
    deals["period"] = due.dt.to_period("Q").astype(str)
    tg = targets.copy()
    tg["period"] = tg["period"].astype(str)
    bk = booked.copy()
    bk["period"] = bk["period"].astype(str)
    keys = sorted(set(tg[by].dropna()) | set(deals[by].dropna()))
    base = pd.DataFrame([(str(p), k) for p in per for k in keys], columns=["period", by])
    pipe = deals.groupby(["period", by])[amount].sum().rename("pipeline").reset_index()
    out = base.merge(tg[["period", by, "target"]], on=["period", by], how="left")
    out = out.merge(bk[["period", by, "booked"]], on=["period", by], how="left")
    out = out.merge(pipe, on=["period", by], how="left")
    out[["target", "booked", "pipeline"]] = out[["target", "booked", "pipeline"]].fillna(0.0)
    out["remaining"] = (out["target"] - out["booked"]).clip(lower=0.0)
    out["coverage"] = out["pipeline"] / out["remaining"].where(out["remaining"] > 0)
    return out[["period", by, "target", "booked", "remaining", "pipeline", "coverage"]]


def stage_duration_thresholds(
    durations: pd.DataFrame,
    *,
    stage: str = "stage",
    days: str = "days",
    q: float = 0.9,
    min_deals: int = 10,
) -> pd.Series:
    """Historical ``q``-quantile of days spent in each stage (deals that left the stage).

    Parameters
    ----------
    durations : DataFrame
        One row per opportunity and completed stage with its ``days``
        (:func:`salesnb.data.risk_queries.stage_durations`).
    q : float
        Quantile (0.9 = 90th percentile).
    min_deals : int
        Stages with fewer completed deals get the quantile over all stages.

    Returns
    -------
    Series
        Days per stage.
    """
    d = durations[[stage, days]].dropna()
    overall = float(d[days].quantile(q)) if len(d) else float("nan")
    g = d.groupby(stage)[days]
    thr = g.quantile(q).where(g.size() >= min_deals, overall)
    thr.name = "threshold_days"
    return thr


def stalled_deals(
    open_deals: pd.DataFrame,
    thresholds: pd.Series | Mapping[str, float],
    *,
    as_of: Any,
    stage: str = "stage",
    entered: str = "stage_entered",
) -> pd.DataFrame:
    """Open deals whose days in the current stage exceed that stage's historical threshold.

    Parameters
    ----------
    open_deals : DataFrame
        Open opportunities with the current ``stage`` and the date it was ``entered``.
    thresholds : Series or mapping
        Stage → days (:func:`stage_duration_thresholds`).
    as_of : date-like
        Evaluation date.

    Returns
    -------
    DataFrame
        The stalled deals with ``days_in_stage``, ``threshold_days``, ``excess_days`` and
        ``first_seen`` (date they crossed the threshold), longest excess first.
    """
    as_of = _ts(as_of)
    d = open_deals.copy()
    d["days_in_stage"] = (as_of - pd.to_datetime(d[entered])).dt.days
    thr = pd.Series(dict(thresholds), dtype=float)
    d["threshold_days"] = d[stage].map(thr).astype(float)
    d["excess_days"] = d["days_in_stage"] - d["threshold_days"]
    d = d[d["excess_days"] > 0].copy()
    d["first_seen"] = pd.to_datetime(d[entered]) + pd.to_timedelta(
        np.floor(d["threshold_days"]) + 1, unit="D")
    return d.sort_values("excess_days", ascending=False, ignore_index=True)


def slipped_deals(
    open_deals: pd.DataFrame,
    *,
    as_of: Any,
    max_changes: int = 2,
    close_date: str = "close_date",
    changes: str = "close_date_changes",
) -> pd.DataFrame:
    """Open deals whose close date was pushed ``max_changes`` times or more, or is past due.

    Returns
    -------
    DataFrame
        The slipped deals with ``pushed``, ``past_due``, ``days_past_due`` and ``first_seen``
        (the missed close date for past-due deals, else NaT), largest amount first.
    """
    as_of = _ts(as_of)
    d = open_deals.copy()
    cd = pd.to_datetime(d[close_date])
    d["past_due"] = (cd < as_of.normalize()).fillna(False).astype(bool)
    d["days_past_due"] = (as_of.normalize() - cd).dt.days.clip(lower=0)
    if changes in d.columns:
        d["pushed"] = (d[changes].fillna(0) >= max_changes).astype(bool)
    else:
        d["pushed"] = False
    d["first_seen"] = cd.where(d["past_due"])
    d = d[d["past_due"] | d["pushed"]]
    sort = "amount" if "amount" in d.columns else "days_past_due"
    return d.sort_values(sort, ascending=False, ignore_index=True)


def inactive_deals(
    open_deals: pd.DataFrame,
    *,
    as_of: Any,
    days: int = 30,
    activity: str = "last_activity_date",
) -> pd.DataFrame:
    """Open deals without activity for more than ``days`` days.

    Returns
    -------
    DataFrame
        The deals with ``days_inactive`` and ``first_seen`` (last activity + ``days``), most
        inactive first. Empty when the activity column is missing.
    """
    as_of = _ts(as_of)
    if activity not in open_deals.columns:
        return open_deals.iloc[0:0].assign(days_inactive=pd.Series(dtype=float))
    d = open_deals.copy()
    last = pd.to_datetime(d[activity])
    d["days_inactive"] = (as_of - last).dt.days
    d = d[d["days_inactive"] > days].copy()
    d["first_seen"] = pd.to_datetime(d[activity]) + pd.Timedelta(days=days + 1)
    return d.sort_values("days_inactive", ascending=False, ignore_index=True)


# --------------------------------------------------------------------------------------------
# control charts
# --------------------------------------------------------------------------------------------

#: Western Electric rules (numbering as in the Western Electric handbook, 1956)
WE_RULES: dict[int, str] = {
    1: "one point beyond 3σ",
    2: "2 of 3 consecutive points beyond 2σ on the same side",
    3: "4 of 5 consecutive points beyond 1σ on the same side",
    4: "8 consecutive points on the same side of the centre line",
}
_D2 = 1.128  # E[|X1 - X2|] / σ for normal data


def _baseline(values: pd.Series, baseline: Any) -> pd.Series:
    if baseline is None:
        return values
    if isinstance(baseline, slice):
        return values.loc[baseline]
    mask = np.asarray(baseline, dtype=bool)
    return values[mask]


def xmr(
    values: pd.Series | Sequence[float],
    *,
    baseline: slice | Sequence[bool] | None = None,
    center: float | None = None,
    sigma: float | None = None,
    rules: Sequence[int] = (1, 2, 3, 4),
) -> pd.DataFrame:
    """Individuals (XmR) control chart with Western Electric rules.

    The centre line is the baseline mean and σ = mean moving range / 1.128. A point signals when
    it completes a rule's pattern: (1) it lies beyond 3σ; (2) it lies beyond 2σ and so does another of
    the last 3 points, same side; (3) it lies beyond 1σ and so do 3 others of the last 5, same side;
    (4) it and the 7 points before lie on the same side of the centre line.

    Parameters
    ----------
    values : Series or sequence of float
        The series in time order (index kept).
    baseline : slice or boolean mask, optional
        Points that estimate the limits (default: all; use the history before the monitored
        window for a phase-II chart).
    center, sigma : float, optional
        Known parameters, overriding the estimates.
    rules : sequence of int
        Rules to apply (1-4).

    Returns
    -------
    DataFrame
        ``value``, ``center``, ``sigma``, ``lcl``, ``ucl``, ``z``, ``mr`` (moving range), one
        boolean column per rule (``rule1``...), ``signal`` (any rule) and ``rules_hit`` (e.g. "1,4").
        The expected share of signalling points on an in-control series is
        :func:`false_alarm_rate` ``("xmr", rules=rules)``.
    """
    s = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    b = _baseline(s, baseline).dropna()
    c = float(b.mean()) if center is None else float(center)
    if sigma is None:
        mr = b.diff().abs().dropna()
        sg = float(mr.mean() / _D2) if len(mr) else float("nan")
    else:
        sg = float(sigma)
    out = pd.DataFrame({"value": s})
    out["center"], out["sigma"] = c, sg
    out["lcl"], out["ucl"] = c - 3 * sg, c + 3 * sg
    out["mr"] = s.diff().abs()
    z = ((s - c) / sg).to_numpy() if sg and np.isfinite(sg) and sg > 0 else np.zeros(len(s))
    out["z"] = z
    sign = np.sign(z)
    level = (np.abs(z) > 1).astype(int) + (np.abs(z) > 2) + (np.abs(z) > 3)
    n = len(z)
    finite = np.isfinite(z)
    up, dn = finite & (sign > 0), finite & (sign < 0)

    def roll(mask: np.ndarray, w: int) -> np.ndarray:
        c = np.convolve(mask.astype(int), np.ones(w, dtype=int))[:n]
        c[: w - 1] = -1  # not enough points yet
        return c

    flags: dict[int, np.ndarray] = {}
    for r in rules:
        if r == 1:
            f = finite & (level >= 3)
        elif r == 2:
            f = (level >= 2) & ((up & (roll(up & (level >= 2), 3) >= 2))
                                | (dn & (roll(dn & (level >= 2), 3) >= 2)))
        elif r == 3:
            f = (level >= 1) & ((up & (roll(up & (level >= 1), 5) >= 4))
                                | (dn & (roll(dn & (level >= 1), 5) >= 4)))
        elif r == 4:
            f = (roll(up, 8) == 8) | (roll(dn, 8) == 8)
        else:
            raise ValueError(f"unknown Western Electric rule {r}; use 1-4")
        flags[r] = np.asarray(f, dtype=bool)
        out[f"rule{r}"] = flags[r]
    any_ = np.zeros(n, dtype=bool)
    for f in flags.values():
        any_ |= f
    out["signal"] = any_
    out["rules_hit"] = [",".join(str(r) for r in rules if flags[r][i]) for i in range(n)]
    return out


def ewma(
    values: pd.Series | Sequence[float],
    *,
    lam: float = 0.2,
    L: float = 3.0,
    baseline: slice | Sequence[bool] | None = None,
    center: float | None = None,
    sigma: float | None = None,
) -> pd.DataFrame:
    """EWMA control chart with exact (time-varying) limits.

    ``zₜ = λ xₜ + (1 − λ) zₜ₋₁`` starting at the centre; limits ``c ± L σ √(λ/(2−λ) (1 − (1−λ)²ᵗ))``.
    σ is estimated from the baseline's moving range (/1.128) unless given.

    Returns
    -------
    DataFrame
        ``value``, ``ewma``, ``center``, ``lcl``, ``ucl`` and ``signal``. On an in-control series each
        point signals with probability ``2 (1 − Φ(L))`` (:func:`false_alarm_rate`).
    """
    s = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values.astype(float)
    b = _baseline(s, baseline).dropna()
    c = float(b.mean()) if center is None else float(center)
    sg = float(b.diff().abs().mean() / _D2) if sigma is None else float(sigma)
    x = s.to_numpy()
    zt = np.empty(len(x))
    prev = c
    for i, v in enumerate(x):
        prev = prev if not np.isfinite(v) else lam * v + (1 - lam) * prev
        zt[i] = prev
    t = np.arange(1, len(x) + 1)
    half = L * sg * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    out = pd.DataFrame({"value": s, "ewma": zt}, index=s.index)
    out["center"] = c
    out["lcl"], out["ucl"] = c - half, c + half
    out["signal"] = (zt > out["ucl"].to_numpy()) | (zt < out["lcl"].to_numpy())
    return out


@lru_cache(maxsize=32)
def _xmr_rate(rules: tuple[int, ...]) -> float:
    cdf = stats.norm.cdf
    q = [cdf(1) - 0.5, cdf(2) - cdf(1), cdf(3) - cdf(2), 1 - cdf(3)]  # one side, by level
    # point i: side × level 0..3; points i-1, i-2: levels {0, 1, ≥2}; i-3, i-4: {0, ≥1};
    # i-5..i-7: side only. That is all the rules can see.
    p_i = [(s, lv, q[lv] / 1) for s in (1, -1) for lv in range(4)]
    p12 = [(s, lv, p) for s in (1, -1) for lv, p in ((0, q[0]), (1, q[1]), (2, q[2] + q[3]))]
    p34 = [(s, lv, p) for s in (1, -1) for lv, p in ((0, q[0]), (1, q[1] + q[2] + q[3]))]
    p57 = [(s, 0, 0.5) for s in (1, -1)]
    total = 0.0
    for a, b1, b2, c3, c4, d5, d6, d7 in itertools.product(p_i, p12, p12, p34, p34, p57, p57, p57):
        s = a[0]
        hit = False
        if 1 in rules and a[1] >= 3:
            hit = True
        if not hit and 2 in rules and a[1] >= 2:
            hit = any(p[0] == s and p[1] >= 2 for p in (b1, b2))
        if not hit and 3 in rules and a[1] >= 1:
            hit = sum(p[0] == s and p[1] >= 1 for p in (b1, b2, c3, c4)) >= 3
        if not hit and 4 in rules:
            hit = all(p[0] == s for p in (b1, b2, c3, c4, d5, d6, d7))
        if hit:
            total += a[2] * b1[2] * b2[2] * c3[2] * c4[2] * d5[2] * d6[2] * d7[2]
    return float(total)


def false_alarm_rate(
    method: str = "xmr",
    *,
    rules: Sequence[int] = (1, 2, 3, 4),
    L: float = 3.0,
) -> float:
    """Expected share of points that signal on an in-control series (known parameters).

    For XmR it is the exact probability that a point (with at least 7 before it) completes a
    pattern of any of the given Western Electric rules, for independent normal data — 0.0027 for
    rule 1 alone, about 0.0157 for rules 1-4. For EWMA it is ``2 (1 − Φ(L))`` per point
    (0.0027 for L = 3). Divide 1 by it for the number of points between false alarms on average.

    Parameters
    ----------
    method : {"xmr", "ewma"}
    rules : sequence of int
        Western Electric rules (XmR).
    L : float
        Width of the EWMA limits in σ of the EWMA statistic.
    """
    if method == "xmr":
        return _xmr_rate(tuple(sorted(set(rules))))
    if method == "ewma":
        return float(2 * stats.norm.sf(L))
    raise ValueError(f"method must be 'xmr' or 'ewma', got {method!r}")


# --------------------------------------------------------------------------------------------
# operational risk
# --------------------------------------------------------------------------------------------

def discount_creep(
    monthly: pd.DataFrame,
    *,
    by: str = "category",
    time: str = "period",
    value: str = "discount",
    window: int = 12,
    alpha: float = 0.01,
    min_rise: float = 0.01,
) -> pd.DataFrame:
    """Trend test on the average discount per category over the last ``window`` months.

    A category *creeps* when the one-sided Mann-Kendall test finds a rising trend (p < ``alpha``,
    Bonferroni-corrected over the categories) and the Theil-Sen slope adds at least ``min_rise``
    (in discount points, 0.01 = 1 pp) over the window.

    Parameters
    ----------
    monthly : DataFrame
        One row per period and category with the average ``discount`` (fraction of list price).
    by, time, value : str
        Column names.
    window : int
        Trailing periods tested.
    alpha : float
        Family-wise significance level.
    min_rise : float
        Minimal rise over the window to call it creep.

    Returns
    -------
    DataFrame
        ``by``, ``n``, ``first``, ``last`` (discount at the window's ends, from the Theil-Sen line),
        ``slope`` (per period), ``rise`` (over the window), ``pvalue``, ``creep`` (bool) and
        ``start`` (estimated start of the rise: the period after which the cumulative deviation
        from the window mean is lowest), most significant first.
    """
    rows = []
    cats = monthly[by].dropna().unique()
    k = max(len(cats), 1)
    for cat in cats:
        g = monthly[monthly[by] == cat].sort_values(time).tail(window)
        y = g[value].astype(float).to_numpy()
        t = trend_test(y, alternative="greater", alpha=alpha / k)
        rise = t["slope"] * (len(y) - 1) if np.isfinite(t["slope"]) else float("nan")
        start = None
        if len(y) >= 3:
            cs = np.cumsum(y - y.mean())
            start = g[time].iloc[int(np.argmin(cs)) + 1] if np.argmin(cs) + 1 < len(y) else None
        rows.append({
            by: cat, "n": t["n"],
            "first": t["intercept"], "last": t["intercept"] + rise,
            "slope": t["slope"], "rise": rise, "pvalue": t["pvalue"],
            "creep": bool(t["direction"] == "rising" and rise >= min_rise),
            "start": start,
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.sort_values("pvalue", ignore_index=True)


def rep_exposure(
    revenue: pd.DataFrame,
    reps: pd.DataFrame,
    *,
    as_of: Any,
    pipeline: pd.DataFrame | None = None,
    watch: Sequence[str] = (),
    value: str = "revenue",
    amount: str = "amount",
) -> pd.DataFrame:
    """Share of revenue and open pipeline held by reps who left, or who might.

    Parameters
    ----------
    revenue : DataFrame
        ``rep_id`` and ``value`` (e.g. trailing-12-month revenue per rep).
    reps : DataFrame
        The reps table (``rep_id``, ``name``, ``team``, optional ``end_date``).
    as_of : date-like
        Reps whose ``end_date`` is on or before it have *left*.
    pipeline : DataFrame, optional
        Open opportunities (``rep_id``, ``amount``).
    watch : sequence of str
        rep_ids flagged as flight risks (*might leave*).

    Returns
    -------
    DataFrame
        One row per rep with ``status`` (active / left / watch), ``revenue``, ``revenue_share``,
        ``pipeline``, ``pipeline_share``; reps who left or are watched first.
    """
    as_of = _ts(as_of)
    r = reps.copy()
    end = pd.to_datetime(r["end_date"]) if "end_date" in r.columns else pd.Series(pd.NaT,
                                                                                    index=r.index)
    r["status"] = np.where(end.notna() & (end <= as_of), "left",
                           np.where(r["rep_id"].isin(list(watch)), "watch", "active"))
    rev = revenue.groupby("rep_id")[value].sum().rename("revenue")
    out = r.merge(rev, left_on="rep_id", right_index=True, how="outer")
    out["status"] = out["status"].fillna("unknown")
    if pipeline is not None and len(pipeline):
        pipe = pipeline.groupby("rep_id")[amount].sum().rename("pipeline")
        out = out.merge(pipe, left_on="rep_id", right_index=True, how="left")
    else:
        out["pipeline"] = 0.0
    out[["revenue", "pipeline"]] = out[["revenue", "pipeline"]].fillna(0.0)
    out["revenue_share"] = out["revenue"] / out["revenue"].sum() if out["revenue"].sum() else 0.0
    ptot = out["pipeline"].sum()
    out["pipeline_share"] = out["pipeline"] / ptot if ptot else 0.0
    order = out["status"].map({"left": 0, "watch": 1, "unknown": 2, "active": 3})
    out = out.assign(_o=order).sort_values(["_o", "revenue"], ascending=[True, False])
    return out.drop(columns="_o").reset_index(drop=True)


def single_rep_accounts(
    customer_rep: pd.DataFrame,
    *,
    top_n: int = 50,
    min_share: float = 0.9,
    left: Sequence[str] = (),
    value: str = "revenue",
) -> pd.DataFrame:
    """Key accounts whose revenue depends on a single rep.

    Parameters
    ----------
    customer_rep : DataFrame
        ``customer_id``, ``rep_id``, ``value`` (e.g. trailing-12-month revenue per pair).
    top_n : int
        Key accounts = the ``top_n`` customers by revenue.
    min_share : float
        Single-rep when the main rep books at least this share of the account.
    left : sequence of str
        rep_ids who left (their single-rep accounts are the most exposed).

    Returns
    -------
    DataFrame
        One row per key account: ``customer_id``, ``revenue``, ``main_rep``, ``main_share``,
        ``n_reps``, ``single_rep`` and ``rep_left``, largest first.
    """
    cr = customer_rep[customer_rep[value] > 0]
    tot = cr.groupby("customer_id")[value].sum().rename("revenue")
    key = tot.nlargest(top_n)
    sub = cr[cr["customer_id"].isin(key.index)]
    main = sub.sort_values(value, ascending=False).drop_duplicates("customer_id")
    out = key.reset_index().merge(
        main[["customer_id", "rep_id", value]].rename(columns={"rep_id": "main_rep",
                                                               value: "main_revenue"}),
        on="customer_id", how="left")
    out["main_share"] = out["main_revenue"] / out["revenue"]
    out["n_reps"] = out["customer_id"].map(sub.groupby("customer_id")["rep_id"].nunique())
    out["single_rep"] = out["main_share"] >= min_share
    out["rep_left"] = out["main_rep"].isin(list(left))
    return out.drop(columns="main_revenue").sort_values("revenue", ascending=False,
                                                        ignore_index=True)


# --------------------------------------------------------------------------------------------
# register and alerts
# --------------------------------------------------------------------------------------------

def rag_status(value: float, *, amber: float, red: float, higher_is_worse: bool = True) -> str:
    """RAG status of a value against amber and red thresholds ("grey" when the value is missing)."""
    if value is None or not np.isfinite(value):
        return "grey"
    if higher_is_worse:
        return "red" if value >= red else "amber" if value >= amber else "green"
    return "red" if value <= red else "amber" if value <= amber else "green"


def indicator(
    category: str,
    metric: str,
    value: float,
    *,
    amber: float,
    red: float,
    entity: str = "company",
    higher_is_worse: bool = True,
    trend: str = "",
    first_seen: Any = None,
    unit: str = "",
    description: str = "",
) -> dict[str, Any]:
    """One risk indicator for :func:`risk_register` (a plain dict).

    Parameters
    ----------
    category : str
        Risk type, one of :data:`CATEGORIES`.
    metric : str
        Short machine name (``hhi_customers``).
    value : float
        Current value.
    amber, red : float
        Thresholds; with ``higher_is_worse=False`` values at or below them are amber/red.
    entity : str
        What it is measured on (``company``, ``region:North``...).
    trend : str
        ``rising`` / ``falling`` / ``flat`` or free text.
    first_seen : date-like, optional
        When the current breach started.
    unit : str
        ``money``, ``pct``, ``hhi``, ``ratio``, ``count`` or ``days`` (for display).
    description : str
        Human label of the indicator.
    """
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {CATEGORIES}, got {category!r}")
    return {
        "category": category, "metric": metric, "entity": entity,
        "indicator": description or metric, "value": float(value) if value is not None else None,
        "amber": float(amber), "red": float(red), "higher_is_worse": bool(higher_is_worse),
        "trend": trend, "first_seen": first_seen, "unit": unit,
        "rag": rag_status(value, amber=amber, red=red, higher_is_worse=higher_is_worse),
    }


_RAG_RANK = {"red": 0, "amber": 1, "green": 2, "grey": 3}


def risk_register(
    indicators: Sequence[Mapping[str, Any]] | pd.DataFrame,
    *,
    owners: Mapping[str, str] | None = None,
    actions: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The risk register: indicator, value, threshold, trend, RAG, action and owner, by severity.

    Parameters
    ----------
    indicators : sequence of dict or DataFrame
        Rows built with :func:`indicator`.
    owners : mapping, optional
        Risk type (category) → owner; default :data:`DEFAULT_OWNERS`.
    actions : mapping, optional
        Risk type → suggested action; default :data:`DEFAULT_ACTIONS`. Green rows get "Monitor".

    Returns
    -------
    DataFrame
        ``category``, ``indicator``, ``entity``, ``metric``, ``value``, ``threshold`` (the red
        threshold when red, else the amber one), ``amber``, ``red``, ``trend``, ``rag``,
        ``severity`` (critical / warning / info), ``action``, ``owner``, ``first_seen``, ``unit``;
        red first, then amber, green; within a status, the furthest beyond its threshold first.
    """
    owners = {**DEFAULT_OWNERS, **(owners or {})}
    actions = {**DEFAULT_ACTIONS, **(actions or {})}
    df = pd.DataFrame(list(indicators) if not isinstance(indicators, pd.DataFrame) else indicators)
    cols = ["category", "indicator", "entity", "metric", "value", "threshold", "amber", "red",
            "trend", "rag", "severity", "action", "owner", "first_seen", "unit"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    sign = np.where(df["higher_is_worse"], 1.0, -1.0)
    df["threshold"] = np.where(df["rag"] == "red", df["red"], df["amber"])
    scale = np.abs(df["threshold"].astype(float)).replace(0, 1.0)
    df["_excess"] = sign * (df["value"].astype(float) - df["threshold"]) / scale
    df["severity"] = df["rag"].map({"red": "critical", "amber": "warning"}).fillna("info")
    df["action"] = np.where(df["rag"].isin(["red", "amber"]),
                            df["category"].map(actions).fillna("Review"), "Monitor")
    df["owner"] = df["category"].map(owners).fillna("Unassigned")
    df["first_seen"] = df["first_seen"].map(_iso) if "first_seen" in df else None
    df = df.assign(_r=df["rag"].map(_RAG_RANK)).sort_values(
        ["_r", "_excess"], ascending=[True, False], na_position="last")
    return df[cols].reset_index(drop=True)


def alert_id(category: str, metric: str, entity: str) -> str:
    """Stable alert id ``category.metric.entity`` (lower case, ``[a-z0-9_-]`` and ``:``).

    The same condition on the same entity gets the same id month after month, so a scheduler can
    de-duplicate pages and track an alert's history.
    """
    def slug(x: str) -> str:
        return re.sub(r"[^a-z0-9_:\-]+", "-", str(x).strip().lower()).strip("-") or "na"
    return ".".join(slug(p) for p in (category, metric, entity))


def make_alert(
    *,
    severity: str,
    category: str,
    metric: str,
    entity: str,
    value: Any,
    threshold: Any,
    first_seen: Any,
    message: str,
) -> dict[str, Any]:
    """One alert (a JSON-able dict with the fields of :data:`ALERT_FIELDS`)."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {CATEGORIES}, got {category!r}")
    return {
        "id": alert_id(category, metric, entity),
        "severity": severity,
        "category": category,
        "metric": metric,
        "entity": str(entity),
        "value": _jsonable(value),
        "threshold": _jsonable(threshold),
        "first_seen": _iso(first_seen),
        "message": str(message),
    }


def alerts_from_register(register: pd.DataFrame, *, as_of: Any = None) -> list[dict[str, Any]]:
    """Alerts for the register's red (critical) and amber (warning) rows.

    ``first_seen`` is the row's ``first_seen`` or, when unknown, ``as_of``.
    """
    out = []
    for r in register.itertuples(index=False):
        if r.rag not in ("red", "amber"):
            continue
        word = "above" if r.value is not None and r.value >= r.threshold else "below"
        out.append(make_alert(
            severity="critical" if r.rag == "red" else "warning",
            category=r.category, metric=r.metric, entity=r.entity, value=r.value,
            threshold=r.threshold, first_seen=r.first_seen or as_of,
            message=f"{r.indicator} ({r.entity}) is {_fmt(r.value, r.unit)}, {word} the "
                    f"{'red' if r.rag == 'red' else 'amber'} threshold {_fmt(r.threshold, r.unit)}",
        ))
    return out


def _fmt(v: Any, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    if unit == "pct":
        return f"{v * 100:.1f} %"
    if unit == "money":
        return f"{v:,.0f}"
    if unit in ("hhi", "count", "days"):
        return f"{v:,.0f}"
    return f"{v:,.2f}"


def sort_alerts(alerts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """De-duplicate by id (keeping the most severe) and sort: critical first, then category, id."""
    best: dict[str, dict[str, Any]] = {}
    for a in alerts:
        cur = best.get(a["id"])
        if cur is None or SEVERITIES.index(a["severity"]) > SEVERITIES.index(cur["severity"]):
            best[a["id"]] = dict(a)
    return sorted(best.values(), key=lambda a: (-SEVERITIES.index(a["severity"]),
                                                CATEGORIES.index(a["category"]), a["id"]))


def validate_alerts(alerts: Sequence[Mapping[str, Any]]) -> None:
    """Raise ValueError when an alert misses a field, has an unknown severity/category, or ids repeat."""
    seen = set()
    for i, a in enumerate(alerts):
        missing = [f for f in ALERT_FIELDS if f not in a]
        if missing:
            raise ValueError(f"alert {i} misses field(s) {missing}")
        if a["severity"] not in SEVERITIES:
            raise ValueError(f"alert {a['id']}: unknown severity {a['severity']!r}")
        if a["category"] not in CATEGORIES:
            raise ValueError(f"alert {a['id']}: unknown category {a['category']!r}")
        if a["id"] in seen:
            raise ValueError(f"duplicate alert id {a['id']!r}")
        seen.add(a["id"])


def alerts_to_json(alerts: Sequence[Mapping[str, Any]]) -> str:
    """Serialise alerts (validated, sorted) as the JSON text of ``<notebook>.alerts.json``."""
    items = sort_alerts(alerts)
    validate_alerts(items)
    clean = [{f: _jsonable(a[f]) for f in ALERT_FIELDS} for a in items]
    return json.dumps(clean, indent=2, ensure_ascii=False) + "\n"


def should_fail(alerts: Iterable[Mapping[str, Any]], level: str = "critical") -> bool:
    """True when any alert is at least as severe as ``level`` (the rule behind ``--fail-on``)."""
    if level not in SEVERITIES:
        raise ValueError(f"level must be one of {SEVERITIES}, got {level!r}")
    k = SEVERITIES.index(level)
    return any(SEVERITIES.index(a["severity"]) >= k for a in alerts)


# --------------------------------------------------------------------------------------------
# derived helpers used by the monitor
# --------------------------------------------------------------------------------------------

def normalized_hhi(value: float, n: int) -> float:
    """HHI rescaled so that ``n`` equal entities give 0 and one entity 10,000.

    ``(H − 10,000/n) / (1 − 1/n)``: for dimensions with few members (regions), where the raw HHI
    cannot fall below ``10,000/n``.
    """
    if n <= 1 or not np.isfinite(value):
        return float("nan") if n < 1 else 10_000.0
    floor = 10_000.0 / n
    return float((value - floor) / (1 - 1 / n))


def creep_start(y: Sequence[float], periods: Sequence[Any]) -> Any:
    """Start of a rise: the hinge ``t0`` of the best fit ``a + b·max(0, t − t0)`` (least squares)."""
    yy = np.asarray(y, dtype=float)
    n = len(yy)
    if n < 6:
        return None
    t = np.arange(n, dtype=float)
    best, arg = np.inf, None
    for t0 in range(1, n - 2):
        x = np.column_stack([np.ones(n), np.clip(t - t0, 0, None)])
        coef, *_ = np.linalg.lstsq(x, yy, rcond=None)
        sse = float(((x @ coef - yy) ** 2).sum())
        if coef[1] > 0 and sse < best:
            best, arg = sse, t0
    return None if arg is None else list(periods)[arg]


def peer_adjusted(wide: pd.DataFrame, *, baseline: Sequence[bool]) -> pd.DataFrame:
    """Log revenue per column relative to its peers (e.g. regions), for control charts.

    Each column is centred on its own baseline mean of log revenue; the cross-sectional median of
    these deviations (the common movement: season, holidays, trend) is then removed. One region's
    anomaly barely moves the median, so it shows only in its own series.

    Parameters
    ----------
    wide : DataFrame
        Periods × entities, revenue (non-positive values are floored at 1).
    baseline : boolean sequence
        Rows that define each entity's level.
    """
    lg = np.log(wide.astype(float).clip(lower=1.0))
    base = np.asarray(baseline, dtype=bool)
    dev = lg - lg[base].mean()
    return dev.sub(dev.median(axis=1), axis=0)


def seasonal_run_rate(monthly: pd.Series, *, horizon: int) -> tuple[float, float]:
    """Sum and standard deviation of the next ``horizon`` months: same months last year × growth.

    Growth is the ratio of the last 12 months to the 12 before; the standard deviation comes from the
    same rule's one-step errors over the last 12 months (independent months).
    """
    y = monthly.astype(float).to_numpy()
    if horizon <= 0:
        return 0.0, 0.0
    if len(y) < 24:
        m = float(np.mean(y[-12:])) if len(y) else 0.0
        sd = float(np.std(y[-12:], ddof=1)) if len(y) > 2 else 0.0
        return m * horizon, sd * math.sqrt(horizon)
    g = y[-12:].sum() / y[-24:-12].sum() if y[-24:-12].sum() > 0 else 1.0
    fc = [y[len(y) - 12 + k] * g for k in range(horizon)]
    errs = []
    for i in range(max(24, len(y) - 12), len(y)):
        gi = y[i - 12:i].sum() / y[i - 24:i - 12].sum() if y[i - 24:i - 12].sum() > 0 else 1.0
        errs.append(y[i] - y[i - 12] * gi)
    sd = float(np.std(errs, ddof=1)) if len(errs) > 2 else 0.0
    return float(np.sum(fc)), sd * math.sqrt(horizon)


def segment_churn(
    customers: pd.DataFrame,
    *,
    segment: str = "segment",
    flag: str = "overdue",
    active: str = "revenue_12m",
) -> pd.DataFrame:
    """Overdue rate per segment against the other segments pooled (two-proportion z-test).

    Parameters
    ----------
    customers : DataFrame
        :func:`customer_risk` output with a ``segment`` column.
    active : str
        Customers with a positive value here count (active in the trailing year).

    Returns
    -------
    DataFrame
        ``segment``, ``customers``, ``overdue``, ``rate``, ``peer_rate``, ``excess`` (rate − peer
        rate), ``z``, ``revenue_at_risk``, largest excess first.
    """
    d = customers[customers[active] > 0]
    g = d.groupby(segment).agg(customers=(flag, "size"), overdue=(flag, "sum"),
                               revenue_at_risk=("revenue_at_risk", "sum")).reset_index()
    tot_n, tot_k = g["customers"].sum(), g["overdue"].sum()
    pn, pk = tot_n - g["customers"], tot_k - g["overdue"]
    g["rate"] = g["overdue"] / g["customers"]
    g["peer_rate"] = pk / pn.where(pn > 0)
    pooled = tot_k / tot_n if tot_n else np.nan
    se = np.sqrt(pooled * (1 - pooled) * (1 / g["customers"] + 1 / pn.where(pn > 0)))
    g["excess"] = g["rate"] - g["peer_rate"]
    g["z"] = g["excess"] / se
    return g.rename(columns={segment: "segment"}).sort_values("excess", ascending=False,
                                                              ignore_index=True)


def p_alive_change(now: pd.DataFrame, prev: pd.DataFrame) -> pd.DataFrame:
    """P(alive) now and at an earlier date from one BG/NBD fit (:mod:`salesnb.clv`).

    Parameters
    ----------
    now, prev : DataFrame
        :func:`salesnb.data.extract.customer_summary` at the two dates (``frequency``,
        ``recency_days``, ``T_days``).

    Returns
    -------
    DataFrame
        ``customer_id``, ``p_alive``, ``p_alive_prev`` (customers present at both dates).
    """
    from salesnb import clv

    fit = clv.fit_bgnbd(now["frequency"], now["recency_days"], now["T_days"])
    a = now[["customer_id"]].assign(
        p_alive=fit.p_alive(now["frequency"], now["recency_days"], now["T_days"]))
    b = prev[["customer_id"]].assign(
        p_alive_prev=fit.p_alive(prev["frequency"], prev["recency_days"], prev["T_days"]))
    return a.merge(b, on="customer_id", how="inner")


# --------------------------------------------------------------------------------------------
# the monitor: every section on one evaluation date
# --------------------------------------------------------------------------------------------

@dataclass
class RiskReport:
    """Results of :func:`monitor`: one attribute per section, the register and the alerts."""

    as_of: pd.Timestamp
    month: str
    concentration: dict[str, pd.DataFrame]
    concentration_trend: pd.DataFrame
    customers: pd.DataFrame
    segments: pd.DataFrame
    coverage: pd.DataFrame
    miss: dict[str, Any]
    win_rates: pd.DataFrame
    stalled: pd.DataFrame
    slipped: pd.DataFrame
    inactive: pd.DataFrame
    charts: dict[str, pd.DataFrame]
    anomalies: pd.DataFrame
    win_rate_chart: pd.DataFrame
    discount: pd.DataFrame
    exposure: pd.DataFrame
    key_accounts: pd.DataFrame
    false_alarm: dict[str, float]
    register: pd.DataFrame
    alerts: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Key figures (JSON-able) for results.json."""
        sev = {s: sum(a["severity"] == s for a in self.alerts) for s in SEVERITIES}
        return _jsonable({
            "as_of": self.as_of, "month": self.month, "alerts": sev,
            "register_red": int((self.register["rag"] == "red").sum()),
            "register_amber": int((self.register["rag"] == "amber").sum()),
            "p_miss": self.miss.get("p_miss"),
            "revenue_at_risk": float(self.customers["revenue_at_risk"].sum())
            if len(self.customers) else 0.0,
            "false_alarm_rate": self.false_alarm,
        })


def _first_run_start(flags: Sequence[bool], labels: Sequence[Any]) -> Any:
    """Label where the trailing run of True values starts (None when the last value is False)."""
    f = list(flags)
    if not f or not f[-1]:
        return None
    i = len(f) - 1
    while i > 0 and f[i - 1]:
        i -= 1
    return list(labels)[i]


def monitor(
    inputs: Mapping[str, pd.DataFrame],
    *,
    as_of: Any,
    hhi_thresholds: Sequence[float] = (1500.0, 2500.0),
    top5_thresholds: Sequence[float] = (0.15, 0.30),
    overdue_margin: float = 2.0,
    at_risk_share_thresholds: Sequence[float] = (0.10, 0.20),
    churn_excess_thresholds: Sequence[float] = (0.05, 0.15),
    p_miss_thresholds: Sequence[float] = (0.5, 0.8),
    coverage_thresholds: Sequence[float] = (1.5, 1.0),
    stalled_quantile: float = 0.9,
    stalled_share_thresholds: Sequence[float] = (0.15, 0.30),
    inactive_days: int = 30,
    anomaly_critical: float = 0.25,
    baseline_weeks: int = 52,
    ewma_lambda: float = 0.2,
    ewma_L: float = 3.0,
    rules: Sequence[int] = (1, 2, 3, 4),
    creep_window: int = 12,
    creep_alpha: float = 0.01,
    creep_thresholds: Sequence[float] = (0.01, 0.05),
    departed_share_thresholds: Sequence[float] = (0.05, 0.15),
    single_rep_share: float = 0.9,
    key_accounts: int = 50,
    watch_reps: Sequence[str] = (),
    owners: Mapping[str, str] | None = None,
    p_alive: pd.DataFrame | None = None,
    run_rate: tuple[float, float] | None = None,
    max_customer_alerts: int = 25,
    max_deal_alerts: int = 50,
    n_boot: int = 400,
    n_sims: int = 20_000,
    seed: int = 0,
) -> RiskReport:
    """Run every risk check on the frames of :func:`salesnb.data.risk_queries.risk_inputs`.

    Thresholds are ``(amber, red)`` pairs; for coverage (lower is worse) amber > red.

    Parameters
    ----------
    inputs : mapping of DataFrame
        From :func:`salesnb.data.risk_queries.risk_inputs` (missing keys skip their section with a
        note in ``notes``).
    as_of : date-like
        Evaluation date.
    hhi_thresholds, top5_thresholds : (float, float)
        Concentration: HHI of customers/products (regions: normalised HHI) and top-5 customer share.
    overdue_margin : float
        A customer is overdue after ``margin ×`` their usual interval.
    at_risk_share_thresholds : (float, float)
        Share of trailing-12-month revenue held by high-value customers at risk.
    churn_excess_thresholds : (float, float)
        A segment's overdue rate above its peers' (with z ≥ 3 / z ≥ 4): the churn-wave check.
    p_miss_thresholds : (float, float)
        Probability of missing the running quarter's target.
    coverage_thresholds : (float, float)
        Team coverage of the target still to book after the expected non-pipeline run-rate
        (capped at warning).
    stalled_quantile : float
        Stalled = days in stage above this historical quantile of the stage.
    stalled_share_thresholds : (float, float)
        Share of open pipeline amount that is stalled.
    inactive_days : int
        Deals without activity for longer are listed.
    anomaly_critical : float
        A region's weekly signal becomes critical when its month deviates by this share or more.
    baseline_weeks : int
        Weeks before the month that set the control limits.
    ewma_lambda, ewma_L : float
        EWMA weight and limit width.
    rules : sequence of int
        Western Electric rules for the XmR charts.
    creep_window, creep_alpha : int, float
        Discount creep: months tested and family-wise level.
    creep_thresholds : (float, float)
        Rise of the discount over the window (0.01 = 1 point) for warning / critical.
    departed_share_thresholds : (float, float)
        Share of trailing revenue booked by reps who left.
    single_rep_share : float
        A key account is single-rep when its main rep books this share of it.
    key_accounts : int
        Number of largest accounts checked for single-rep dependence.
    watch_reps : sequence of str
        rep_ids who might leave (flight risks); their revenue and pipeline share is reported
        (``watch_rep_revenue_share``, capped at warning).
    owners : mapping, optional
        Risk type → owner for the register.
    p_alive : DataFrame, optional
        ``customer_id``, ``p_alive``, ``p_alive_prev`` (:func:`p_alive_change`).
    run_rate : (float, float), optional
        Expected non-pipeline revenue for the rest of the quarter and its standard deviation
        (e.g. from :func:`salesnb.trends.auto_forecast`); default :func:`seasonal_run_rate`.
    max_customer_alerts, max_deal_alerts : int
        Cap on per-customer alerts (largest revenue first) and per-deal alerts (longest stalled
        relative to the stage's threshold first); the tables keep every row.
    n_boot, n_sims, seed : int
        Bootstrap replicates, Monte Carlo simulations and the random seed.

    Returns
    -------
    RiskReport
    """
    as_of = _ts(as_of).normalize()
    end = as_of + pd.Timedelta(days=1)
    month = str(as_of.to_period("M"))
    notes: list[str] = []
    ind: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []

    def empty() -> pd.DataFrame:
        return pd.DataFrame()

    def get(key: str) -> pd.DataFrame:
        v = inputs.get(key)
        return v if v is not None else empty()

    # ---------------------------------------------------------------- concentration
    conc: dict[str, pd.DataFrame] = {}
    trend_rows = []
    for ent, label in (("customer_id", "customers"), ("product_id", "products"),
                       ("region", "regions")):
        df = get(f"rev_{ent}")
        if df.empty:
            notes.append(f"No {ent} in orders: {label} concentration skipped.")
            continue
        c = concentration(df, entity=ent, thresholds=hhi_thresholds, n_boot=n_boot, seed=seed)
        conc[label] = c
        last = c.iloc[-1]
        value, metric = last["hhi"], f"hhi_{label}"
        series = c["hhi"]
        if label == "regions":
            value = normalized_hhi(last["hhi"], int(last["n_entities"]))
            series = pd.Series([normalized_hhi(h, int(n)) for h, n in
                                zip(c["hhi"], c["n_entities"], strict=True)])
            metric = "hhi_normalized_regions"
        t = trend_test(series.to_numpy(), alpha=0.1)
        trend_rows.append({"dimension": label, "metric": metric, "value": value,
                           "slope_per_window": t["slope"], "pvalue": t["pvalue"],
                           "direction": t["direction"]})
        above = [v >= hhi_thresholds[0] for v in series]
        ind.append(indicator("concentration", metric, value, amber=hhi_thresholds[0],
                             red=hhi_thresholds[1], entity=label, trend=t["direction"],
                             first_seen=_first_run_start(above, c["period"]), unit="hhi",
                             description=f"HHI of {label}"
                             + (" (normalised for their number)" if label == "regions" else "")))
        if label == "customers":
            t5 = trend_test(c["top5"].to_numpy(), alpha=0.1)
            above = [v >= top5_thresholds[0] for v in c["top5"]]
            ind.append(indicator("concentration", "top5_share_customers", last["top5"],
                                 amber=top5_thresholds[0], red=top5_thresholds[1],
                                 entity="customers", trend=t5["direction"],
                                 first_seen=_first_run_start(above, c["period"]), unit="pct",
                                 description="Revenue share of the 5 largest customers"))
    conc_trend = pd.DataFrame(trend_rows)

    # ---------------------------------------------------------------- customers
    cust = empty()
    segs = empty()
    iv = get("intervals")
    if iv.empty:
        notes.append("No orders per customer: customer risk skipped.")
    else:
        cust = customer_risk(iv, as_of=as_of, margin=overdue_margin, p_alive=p_alive)
        seg_cols = [c for c in ("customer_type", "industry", "region") if c in cust.columns]
        seg_cols = seg_cols[:2] if seg_cols[:1] == ["customer_type"] else seg_cols[:1]
        if seg_cols:
            parts = [cust[c].astype(object).where(cust[c].notna(), "").astype(str)
                     for c in seg_cols]
            seg = parts[0]
            for p in parts[1:]:
                seg = seg + " " + p
            cust["segment"] = seg.str.strip()
            segs = segment_churn(cust)
        total = cust["revenue_12m"].clip(lower=0).sum()
        hv = cust[cust["high_value"] & cust["at_risk"]]
        share = float(hv["revenue_12m"].sum() / total) if total > 0 else float("nan")
        ind.append(indicator("customer", "high_value_revenue_at_risk_share", share,
                             amber=at_risk_share_thresholds[0], red=at_risk_share_thresholds[1],
                             unit="pct", first_seen=as_of,
                             description="Revenue share of high-value customers at risk"))
        for r in hv.head(max_customer_alerts).itertuples(index=False):
            metric = "p_alive_drop" if r.reason == "P(alive) dropped" else "overdue"
            alerts.append(make_alert(
                severity="warning", category="customer", metric=metric,
                entity=f"customer:{r.customer_id}", value=r.revenue_12m,
                threshold=None if not np.isfinite(r.median_interval) else
                round(overdue_margin * r.median_interval),
                first_seen=r.first_seen if pd.notna(r.first_seen) else as_of,
                message=f"High-value customer {r.customer_id} ({r.revenue_12m:,.0f} in 12 months) "
                        f"{r.reason}: {r.days_since_last} days since the last purchase, usually "
                        f"{r.median_interval:.0f}"))
        if len(segs):
            worst = segs.iloc[0]
            for r in segs.itertuples(index=False):
                sev = None
                if r.excess >= churn_excess_thresholds[1] and r.z >= 4:
                    sev = "critical"
                elif r.excess >= churn_excess_thresholds[0] and r.z >= 3:
                    sev = "warning"
                if sev:
                    fs = cust.loc[(cust["segment"] == r.segment) & cust["overdue"], "first_seen"]
                    alerts.append(make_alert(
                        severity=sev, category="customer", metric="churn_wave",
                        entity=f"segment:{r.segment}", value=r.rate, threshold=r.peer_rate,
                        first_seen=fs.median() if fs.notna().any() else as_of,
                        message=f"{r.rate:.0%} of active {r.segment} customers are overdue "
                                f"against {r.peer_rate:.0%} in other segments (z = {r.z:.1f}); "
                                f"{r.revenue_at_risk:,.0f} revenue at risk"))
            ind.append({**indicator(
                "customer", "segment_overdue_excess", float(worst["excess"]),
                amber=churn_excess_thresholds[0], red=churn_excess_thresholds[1],
                entity=f"segment:{worst['segment']}", unit="pct", first_seen=as_of,
                description="Overdue rate above other segments (churn wave)"), "alert": False})

    # ---------------------------------------------------------------- pipeline
    deals = get("open_deals")
    cov = empty()
    miss: dict[str, Any] = {}
    wr = empty()
    stalled = slipped = inactive = empty()
    if deals.empty and "open_deals" not in inputs:
        notes.append("No opportunities table: pipeline risk skipped.")
    else:
        quarter = end.to_period("Q")
        q_end = quarter.end_time.normalize()
        remaining = len(pd.period_range(end, q_end, freq="M")) if end <= q_end else 0
        wr = stage_win_rates(get("stage_outcomes"))
        if run_rate is None:
            mon = get("monthly")
            y = (mon["revenue"] - mon["won_amount"]).clip(lower=0) if len(mon) else pd.Series(
                dtype=float)
            run_rate = seasonal_run_rate(y, horizon=remaining)
        due = deals[pd.to_datetime(deals["close_date"]) <= q_end] if len(deals) else deals
        targets = get("targets")
        booked = get("booked")
        tq = targets[targets["period"] == str(quarter)] if len(targets) else targets
        target = float(tq["target"].sum()) if len(tq) else float("nan")
        bk = float(booked.loc[booked["period"] == str(quarter), "booked"].sum()) if len(
            booked) else 0.0
        if np.isfinite(target) and target > 0:
            miss = miss_probability(due, target=target, booked=bk, win_rates=wr,
                                    run_rate=run_rate[0], run_rate_sd=run_rate[1],
                                    remaining_months=1.0, n_sims=n_sims, seed=seed)
            miss["quarter"] = str(quarter)
            miss["remaining_months"] = remaining
            ind.append(indicator("pipeline", "p_miss_quarter", miss["p_miss"],
                                 amber=p_miss_thresholds[0], red=p_miss_thresholds[1],
                                 entity=f"quarter:{quarter}", unit="pct", first_seen=as_of,
                                 description=f"Probability of missing the {quarter} target"))
        else:
            notes.append(f"No targets for {quarter}: P(miss) skipped.")
        if len(targets) and "team" in deals.columns:
            cov = pipeline_coverage(deals, targets, booked if len(booked) else pd.DataFrame(
                columns=["period", "team", "booked"]), periods=[quarter, quarter + 1],
                as_of=as_of)
            # the run-rate covers part of what remains (allocated by target share)
            cov["expected_run_rate"] = 0.0
            cur = cov["period"] == str(quarter)
            tsum = cov.loc[cur, "target"].sum()
            if tsum > 0:
                cov.loc[cur, "expected_run_rate"] = run_rate[0] * cov.loc[cur, "target"] / tsum
            cov["needed"] = (cov["remaining"] - cov["expected_run_rate"]).clip(lower=0.0)
            cov["coverage_needed"] = cov["pipeline"] / cov["needed"].where(cov["needed"] > 0)
            for r in cov[cur & cov["needed"].gt(0)].itertuples(index=False):
                ind.append({**indicator(
                    "pipeline", "coverage_needed", r.coverage_needed,
                    amber=coverage_thresholds[0], red=coverage_thresholds[1],
                    higher_is_worse=False, entity=f"team:{r.team}", unit="ratio",
                    first_seen=as_of, description=f"Pipeline coverage of the gap ({quarter})"),
                    "cap": "warning"})
        sd = get("stage_durations")
        if len(sd) and "stage_entered" in deals.columns:
            thr = stage_duration_thresholds(sd, q=stalled_quantile)
            stalled = stalled_deals(deals, thr, as_of=as_of)
            stalled["ratio"] = stalled["days_in_stage"] / stalled["threshold_days"]
            stalled = stalled.sort_values(["ratio", "amount"], ascending=False, ignore_index=True)
            tot = float(deals["amount"].sum())
            share = float(stalled["amount"].sum() / tot) if tot > 0 else 0.0
            ind.append(indicator("pipeline", "stalled_share", share,
                                 amber=stalled_share_thresholds[0],
                                 red=stalled_share_thresholds[1], unit="pct", first_seen=as_of,
                                 description="Share of open pipeline stalled in its stage"))
            for r in stalled.head(max_deal_alerts).itertuples(index=False):
                alerts.append(make_alert(
                    severity="warning", category="pipeline", metric="stalled_deal",
                    entity=f"opportunity:{r.opportunity_id}", value=r.days_in_stage,
                    threshold=r.threshold_days, first_seen=r.first_seen,
                    message=f"Deal {r.opportunity_id} ({r.amount:,.0f}) has been in {r.stage} for "
                            f"{r.days_in_stage} days; 90 % of deals leave it within "
                            f"{r.threshold_days:.0f}"))
        slipped = slipped_deals(deals, as_of=as_of) if len(deals) else deals
        inactive = inactive_deals(deals, as_of=as_of, days=inactive_days) if len(deals) else deals

    # ---------------------------------------------------------------- anomalies
    charts: dict[str, pd.DataFrame] = {}
    anomalies = empty()
    weekly = get("weekly_region")
    m_start = as_of.to_period("M").to_timestamp()
    if weekly.empty or "region" not in weekly.columns:
        notes.append("No region in orders: regional control charts skipped.")
    else:
        wide = weekly.pivot_table(index="period", columns="region", values="revenue",
                                  aggfunc="sum").sort_index()
        idx = wide.index
        mon = (idx >= m_start) & (idx + pd.Timedelta(days=7) <= end)
        base = (idx < m_start) & (idx >= m_start - pd.Timedelta(weeks=baseline_weeks))
        keep = mon | base
        if base.sum() >= 12 and mon.any():
            y = peer_adjusted(wide[keep], baseline=base[keep])
            rows = []
            for region in y.columns:
                x = xmr(y[region], baseline=base[keep], rules=rules)
                e = ewma(y[region], baseline=base[keep], lam=ewma_lambda, L=ewma_L)
                x["ewma"], x["ewma_lcl"], x["ewma_ucl"] = e["ewma"], e["lcl"], e["ucl"]
                x["ewma_signal"] = e["signal"]
                x["in_month"] = mon[keep]
                charts[region] = x
                m = x[x["in_month"]]
                dev = float(np.exp(m["value"].mean() - x.loc[~x["in_month"], "value"].mean()) - 1)
                sig = bool(m["signal"].any() or m["ewma_signal"].any())
                flags = (x["signal"] | x["ewma_signal"]).tolist()
                first = _first_run_start(flags, list(x.index)) if flags[-1] else (
                    m.index[(m["signal"] | m["ewma_signal"]).to_numpy()][0] if sig else None)
                rows.append({"region": region, "weeks": int(len(m)),
                             "xmr_signals": int(m["signal"].sum()),
                             "beyond_3sigma": int(m["rule1"].sum()) if "rule1" in m else 0,
                             "ewma_signals": int(m["ewma_signal"].sum()),
                             "deviation": dev, "signal": sig, "first_seen": first})
                if sig:
                    sev = "critical" if abs(dev) >= anomaly_critical else "warning"
                    word = "above" if dev >= 0 else "below"
                    hits = sorted({h for s in m["rules_hit"] for h in s.split(",") if h})
                    alerts.append(make_alert(
                        severity=sev, category="anomaly", metric="weekly_revenue",
                        entity=f"region:{region}", value=dev,
                        threshold=anomaly_critical if sev == "critical" else
                        float(np.exp(3 * x["sigma"].iloc[0]) - 1),
                        first_seen=first or as_of,
                        message=f"{region}: weekly revenue {abs(dev):.0%} {word} its usual level "
                                f"relative to other regions in {month} (Western Electric rules "
                                f"{', '.join(hits) or '-'}; EWMA signals {int(m['ewma_signal'].sum())})"))
            anomalies = pd.DataFrame(rows).sort_values("deviation", key=np.abs, ascending=False,
                                                       ignore_index=True)
            flagged = anomalies[anomalies["signal"]]
            if len(anomalies):
                top = flagged.iloc[0] if len(flagged) else anomalies.iloc[0].copy()
                if not len(flagged):
                    top["deviation"] = 0.0
                ind.append({**indicator(
                    "anomaly", "regional_deviation", abs(float(top["deviation"])),
                    amber=0.10, red=anomaly_critical, entity=f"region:{top['region']}",
                    unit="pct", first_seen=top["first_seen"] or as_of,
                    description="Largest deviation of a region with a control-chart signal"),
                    "alert": False})
        else:
            notes.append("Too little weekly history for control charts.")
    wr_chart = empty()
    wrm = get("win_rate")
    if len(wrm) >= 13:
        wrm = wrm.sort_values("period")
        mask = (wrm["period"] < month).to_numpy()
        wr_chart = xmr(wrm.set_index("period")["win_rate"], baseline=mask, rules=rules)
        last = wr_chart.iloc[-1]
        if wrm["period"].iloc[-1] == month and bool(last["signal"]):
            word = "above" if last["z"] > 0 else "below"
            side = "upper" if last["z"] > 0 else "lower"
            how = (f"beyond its {side} control limit" if last.get("rule1", False) else
                   f"{word} its centre line {last['center']:.0%} in a non-random pattern")
            alerts.append(make_alert(
                severity="warning", category="anomaly", metric="win_rate", entity="company",
                value=float(last["value"]), threshold=float(last["lcl"] if last["z"] < 0
                                                            else last["ucl"]),
                first_seen=as_of,
                message=f"Win rate {last['value']:.0%} in {month} is {how} "
                        f"(Western Electric rules {last['rules_hit']})"))

    # ---------------------------------------------------------------- operational
    disc = get("discount")
    creep = empty()
    if disc.empty:
        notes.append("No discount or list_amount in orders: discount creep skipped.")
    else:
        creep = discount_creep(disc, by="category", time="period", window=creep_window,
                               alpha=creep_alpha, min_rise=creep_thresholds[0])
        starts = {}
        for cat, g in disc.groupby("category"):
            g = g.sort_values("period")
            starts[cat] = creep_start(g["discount"].to_numpy(), g["period"].tolist())
        creep["start"] = creep["category"].map(starts)
        for r in creep.itertuples(index=False):
            if not r.creep:
                continue
            sev = "critical" if r.rise >= creep_thresholds[1] else "warning"
            alerts.append(make_alert(
                severity=sev, category="operational", metric="discount_creep",
                entity=f"category:{r.category}", value=r.rise,
                threshold=creep_thresholds[1] if sev == "critical" else creep_thresholds[0],
                first_seen=(r.start + "-01") if isinstance(r.start, str) else as_of,
                message=f"Discount on {r.category} rose {r.rise * 100:.1f} points over "
                        f"{r.n} months (to {r.last:.1%}; trend p = {r.pvalue:.1g}), rising since "
                        f"about {r.start or 'n/a'}"))
        if len(creep):
            top = creep.sort_values("rise", ascending=False).iloc[0]
            ind.append({**indicator(
                "operational", "discount_rise", float(top["rise"]), amber=creep_thresholds[0],
                red=creep_thresholds[1], entity=f"category:{top['category']}", unit="pct",
                trend="rising" if top["creep"] else "flat", first_seen=as_of,
                description=f"Largest {creep_window}-month discount rise (creep if significant)"),
                "alert": False})
    reps = get("reps")
    exposure = keyacc = empty()
    if reps.empty or get("rep_revenue").empty:
        notes.append("No reps table or orders.rep_id: rep exposure skipped.")
    else:
        pipe = deals[["rep_id", "amount"]] if len(deals) and "rep_id" in deals else None
        exposure = rep_exposure(get("rep_revenue"), reps, as_of=as_of, pipeline=pipe,
                                watch=watch_reps)
        if len(watch_reps):
            wshare = float(exposure.loc[exposure["status"] == "watch", "revenue_share"].sum())
            ind.append({**indicator(
                "operational", "watch_rep_revenue_share", wshare,
                amber=departed_share_thresholds[0], red=departed_share_thresholds[1],
                unit="pct", first_seen=as_of,
                description="Trailing revenue booked by reps who might leave"), "cap": "warning"})
        left = exposure.loc[exposure["status"] == "left", "rep_id"].tolist()
        share = float(exposure.loc[exposure["status"] == "left", "revenue_share"].sum())
        ind.append(indicator("operational", "departed_rep_revenue_share", share,
                             amber=departed_share_thresholds[0], red=departed_share_thresholds[1],
                             unit="pct", first_seen=as_of,
                             description="Trailing revenue booked by reps who left"))
        pshare = float(exposure.loc[exposure["status"] == "left", "pipeline_share"].sum())
        ind.append({**indicator("operational", "departed_rep_pipeline_share", pshare,
                                amber=0.01, red=0.05, unit="pct", first_seen=as_of,
                                description="Open pipeline still owned by reps who left"),
                    "cap": "warning"})
        cr = get("customer_rep")
        if len(cr):
            keyacc = single_rep_accounts(cr, top_n=key_accounts, min_share=single_rep_share,
                                         left=left)
            single = keyacc[keyacc["single_rep"]]
            share = float(single["revenue"].sum() / keyacc["revenue"].sum()) if len(
                keyacc) else 0.0
            ind.append({**indicator(
                "operational", "single_rep_key_account_share", share, amber=0.5, red=0.8,
                unit="pct", first_seen=as_of,
                description=f"Revenue of the top {key_accounts} accounts held by one rep"),
                "cap": "warning"})
            for r in single[single["rep_left"]].itertuples(index=False):
                alerts.append(make_alert(
                    severity="warning", category="operational", metric="single_rep_account",
                    entity=f"customer:{r.customer_id}", value=r.main_share, threshold=single_rep_share,
                    first_seen=as_of,
                    message=f"Key account {r.customer_id} ({r.revenue:,.0f}) depended on rep "
                            f"{r.main_rep}, who left"))

    # ---------------------------------------------------------------- register and alerts
    register = risk_register(ind, owners=owners)
    flags = {(i["category"], i["metric"], i["entity"]): i for i in ind}
    from_reg = []
    for a, r in zip(alerts_from_register(register, as_of=as_of),
                    register[register["rag"].isin(["red", "amber"])].itertuples(index=False),
                    strict=True):
        spec = flags.get((r.category, r.metric, r.entity), {})
        if spec.get("alert", True) is False:
            continue
        if spec.get("cap") == "warning" and a["severity"] == "critical":
            a = {**a, "severity": "warning"}
        from_reg.append(a)
    all_alerts = sort_alerts(from_reg + alerts)
    fa = {"xmr": false_alarm_rate("xmr", rules=rules), "ewma": false_alarm_rate("ewma", L=ewma_L)}
    return RiskReport(
        as_of=as_of, month=month, concentration=conc, concentration_trend=conc_trend,
        customers=cust, segments=segs, coverage=cov, miss=miss, win_rates=wr, stalled=stalled,
        slipped=slipped, inactive=inactive, charts=charts, anomalies=anomalies,
        win_rate_chart=wr_chart, discount=creep, exposure=exposure, key_accounts=keyacc,
        false_alarm=fa, register=register, alerts=all_alerts, notes=notes,
    )
