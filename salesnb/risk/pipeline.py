"""Pipeline risk: stage win rates, P(miss) by Monte Carlo, coverage, stalled/slipped/inactive deals."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from salesnb.data.risk_queries import RiskInputs
from salesnb.i18n import Message, Verbatim, listing
from salesnb.periods import fiscal_quarter, quarter_label, quarter_months, quarter_window  # noqa: F401 - re-exported
from salesnb.risk._common import _ts
from salesnb.risk.alerts import Alert, CheckResult, Indicator
from salesnb.risk.thresholds import DEFAULTS


def stage_win_rates(
    outcomes: pd.DataFrame,
    *,
    stage: str = "stage",
    won: str = "won",
    stages: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
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
    stages : sequence of str, or mapping of pipeline to sequence of str, optional
        Stages to report, in order (default: those present); with a ``pipeline`` column, each
        pipeline's stages (``RiskInputs.stage_pipelines``).
    prior_strength : float
        Pseudo-deals of the prior.

    Returns
    -------
    DataFrame
        ``stage``, ``deals``, ``wins``, ``raw_rate`` and ``win_rate``. When ``outcomes`` has a
        ``pipeline`` column (deals in several pipelines), ``pipeline`` first and one row per stage
        of each pipeline with outcomes (a stage name two pipelines share is two rows), each shrunk
        toward its own pipeline's win rate.
    """
    if "pipeline" in outcomes.columns and len(outcomes):  # each pipeline's stages, shrunk to its own rate
        per = stages if isinstance(stages, Mapping) else {}
        parts = [stage_win_rates(g.drop(columns="pipeline"), stage=stage, won=won, stages=per.get(p),
                                 prior_strength=prior_strength).assign(pipeline=p)
                 for p, g in outcomes.groupby("pipeline", sort=True)]
        order = {s: i for i, s in enumerate([] if per or stages is None else stages)}
        out = pd.concat(parts, ignore_index=True)
        if not per:  # each pipeline's stages in the one list's order, else as the parts came
            out = out.assign(_o=out["stage"].map(order)).sort_values(["pipeline", "_o", "stage"], kind="stable")
        out = out[["pipeline", "stage", "deals", "wins", "raw_rate", "win_rate"]].reset_index(drop=True)
        if outcomes.attrs.get("first_stage_only"):
            deals = outcomes.drop_duplicates("opportunity_id") if "opportunity_id" in outcomes.columns else outcomes
            out.attrs["first_stage_only"] = {"rate": float(deals[won].mean()), "wins": int(deals[won].sum()),
                                             "deals": len(deals)}
        return out
    if outcomes.empty:
        return pd.DataFrame(columns=["stage", "deals", "wins", "raw_rate", "win_rate"])
    deals = outcomes.drop_duplicates("opportunity_id") if "opportunity_id" in outcomes.columns else outcomes
    overall = float(deals[won].mean())
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
    if outcomes.attrs.get("first_stage_only"):  # no stage history: one rate for every stage
        g.attrs["first_stage_only"] = {"rate": overall, "wins": int(deals[won].sum()), "deals": len(deals)}
    return g


def stage_rates(deals: pd.DataFrame, win_rates: pd.DataFrame, *, stage: str = "stage") -> pd.Series:
    """Each deal's stage win rate from :func:`stage_win_rates` output (NaN for a stage without
    one): by pipeline and stage when both have a ``pipeline`` column, so a Renewals deal in
    Negotiation gets Renewals' Negotiation rate; by stage otherwise."""
    if "pipeline" in win_rates.columns and "pipeline" in deals.columns:
        rates = win_rates.set_index(["pipeline", "stage"])["win_rate"]
        keys = pd.MultiIndex.from_arrays([deals["pipeline"].astype(str), deals[stage]])
        return pd.Series(rates.reindex(keys).to_numpy(dtype=float), index=deals.index)
    rates = dict(zip(win_rates["stage"], win_rates["win_rate"], strict=True)) if len(win_rates) else {}
    return deals[stage].map(lambda s: rates.get(s, np.nan)).astype(float)


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
    prob: str | None = None,
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
        The period's target; NaN without one: the forecast of the period's total alone, ``p_miss``,
        ``target`` and ``gap`` None (they measure the total against a target).
    booked : float
        Revenue already booked in the period.
    win_rates : mapping or DataFrame
        Stage → win rate, or :func:`stage_win_rates` output.
    run_rate, run_rate_sd : float
        Monthly non-pipeline revenue and its standard deviation (:func:`non_pipeline_run_rate`).
    remaining_months : float
        Months left in the period (fractions allowed).
    prob : str, optional
        Column of ``open_deals`` with each deal's own win probability (e.g. P(won within the
        quarter | stage, age)); missing values fall back to the stage rate.
    n_sims : int
        Simulations.
    seed : int
        Random seed.

    Returns
    -------
    dict
        ``p_miss``, ``expected`` (expected period total), ``p10``/``p50``/``p90`` of the total,
        ``target``, ``booked``, ``gap`` (target − booked), ``pipeline`` (open amount),
        ``expected_pipeline``, ``expected_run_rate`` and ``largest_deals``: the fewest open deals
        that hold half the expected pipeline wins, largest first (``deals``: ``opportunity_id``,
        ``amount``, ``p`` each; ``share`` of the expected wins they hold; ``open_deals`` with an
        amount), None without any.
    """
    if isinstance(win_rates, pd.DataFrame):
        p = stage_rates(open_deals, win_rates, stage=stage)
        win_rates = dict(zip(win_rates["stage"], win_rates["win_rate"], strict=True))
    else:
        p = open_deals[stage].map(lambda s: win_rates.get(s, np.nan)).astype(float)
    amounts = open_deals[amount].astype(float).fillna(0.0).to_numpy()
    fallback = float(np.nanmean(list(win_rates.values()))) if win_rates else 0.0
    if prob is not None:
        p = open_deals[prob].astype(float).fillna(p)
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
    priced = bool(np.isfinite(target))
    contrib = amounts * p
    largest = None
    if len(contrib) and contrib.sum() > 0:  # the fewest deals that hold half the expected wins
        order = np.argsort(-contrib, kind="stable")
        cum = np.cumsum(contrib[order]) / contrib.sum()
        k = int(np.searchsorted(cum, 0.5 - 1e-12)) + 1
        ids = (open_deals["opportunity_id"].astype(str).to_numpy() if "opportunity_id" in open_deals
               else np.full(len(contrib), None))
        largest = {"deals": [{"opportunity_id": ids[i], "amount": float(amounts[i]), "p": float(p[i])}
                             for i in order[:k]],
                   "share": float(cum[k - 1]), "open_deals": int((amounts > 0).sum())}
    return {
        "p_miss": float(np.mean(totals < target)) if priced else None,
        "expected": float(totals.mean()),
        "p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2]),
        "target": float(target) if priced else None, "booked": float(booked),
        "gap": float(target - booked) if priced else None,
        "pipeline": float(amounts.sum()),
        "expected_pipeline": float((amounts * p).sum()),
        "expected_run_rate": float(max(run_rate, 0.0) * remaining_months),
        "largest_deals": largest,
    }


def _starts(values: Any) -> pd.Series:
    """First days of periods given as Timestamps, Periods or calendar labels ("2026Q3", "2026-10")."""
    def one(v):
        if isinstance(v, pd.Period):
            return v.start_time
        if isinstance(v, str):
            return pd.Period(v, freq="Q" if "Q" in v else "M").start_time
        return pd.Timestamp(v)
    return pd.Series([one(v) for v in values], dtype="datetime64[ns]")


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
    fiscal_year_start: int = 1,
) -> pd.DataFrame:
    """Coverage: open pipeline due in the period ÷ the target still to book, per group.

    Parameters
    ----------
    open_deals : DataFrame
        Open opportunities with ``close_date``, ``amount`` and the ``by`` column. Past-due deals
        count in the current period.
    targets : DataFrame
        ``period`` (the quarter's first day, a Period or a calendar label "2026Q3"), ``by``
        column, ``target``.
    booked : DataFrame
        ``period``, ``by`` column, ``booked`` (revenue booked so far in the period).
    by : str
        Group column (``team``).
    periods : sequence of Period or str
        Quarters to report (this and next quarter): Periods of the fiscal quarters, or calendar
        labels.
    as_of : date-like
        Evaluation date.
    fiscal_year_start : int
        First calendar month of the fiscal year: deals, targets and booked revenue fall in fiscal
        quarters, named by :func:`salesnb.periods.quarter_label`.

    Returns
    -------
    DataFrame
        ``period`` (the quarter's label), ``by``, ``target``, ``booked``, ``remaining``
        (max(target − booked, 0)), ``pipeline`` and ``coverage`` (NaN when nothing remains to book).
    """
    as_of = _ts(as_of)

    def label(values) -> np.ndarray:
        return np.array([quarter_label(fiscal_quarter(v, fiscal_year_start), fiscal_year_start)
                         for v in _starts(values)], dtype=object)

    per = label(periods)
    deals = open_deals.copy()
    deals[close_date] = pd.to_datetime(deals[close_date])
    due = deals[close_date].where(deals[close_date] >= as_of.normalize(), as_of.normalize())
    deals["period"] = label(due)
    tg = targets.copy()
    tg["period"] = label(tg["period"])
    bk = booked.copy()
    bk["period"] = label(bk["period"])
    keys = sorted(set(tg[by].dropna()) | set(deals[by].dropna()))
    base = pd.DataFrame([(p, k) for p in per for k in keys], columns=["period", by])
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
        Stages with fewer completed deals get the quantile over all stages. With a ``pipeline``
        column, a pipeline's stage with fewer gets the quantile of that stage over every
        pipeline (the pooled stage), itself when it has ``min_deals``, else over all stages.

    Returns
    -------
    Series
        Days per stage; with a ``pipeline`` column (deals in several pipelines), days per
        (pipeline, stage), each pipeline's stage judged by its own deals, and
        ``attrs["pooled"]`` the (pipeline, stage) pairs that had fewer than ``min_deals``
        completed deals and got the pooled threshold (``attrs["min_deals"]``: the minimum;
        ``attrs["by_stage"]``: the pooled threshold of every stage, for a pipeline's stage no deal
        left).
    """
    if "pipeline" in durations.columns:
        pooled = stage_duration_thresholds(durations.drop(columns="pipeline"), stage=stage, days=days,
                                           q=q, min_deals=min_deals)
        d = durations[["pipeline", stage, days]].dropna()
        g = d.groupby(["pipeline", stage])[days]
        own, n = g.quantile(q), g.size()
        keys = own.index.get_level_values(stage)
        fallback = pd.Series(pooled.reindex(keys).to_numpy(dtype=float), index=own.index)
        thr = own.where(n >= min_deals, fallback).astype(float)
        thr.index = thr.index.set_names(["pipeline", "stage"])
        thr.name = "threshold_days"
        thr.attrs["pooled"] = [(str(p), str(s)) for p, s in own.index[(n < min_deals).to_numpy()]]
        thr.attrs["min_deals"] = int(min_deals)
        thr.attrs["by_stage"] = {str(k): float(v) for k, v in pooled.items()}
        return thr
    d = durations[[stage, days]].dropna()
    overall = float(d[days].quantile(q)) if len(d) else float("nan")
    g = d.groupby(stage)[days]
    thr = g.quantile(q).where(g.size() >= min_deals, overall)
    thr.name = "threshold_days"
    return thr


def stalled_pipeline_note(thresholds: pd.Series, open_deals: pd.DataFrame, *, q: float) -> Message:
    """The sentence under the stalled deals when the deals are in several pipelines: each deal is
    judged by its own pipeline's time in its stage, and the stages of a pipeline with open deals
    whose limit came from every pipeline's deals of that stage (too few of its own left it).

    Parameters
    ----------
    thresholds : Series
        :func:`stage_duration_thresholds` by (pipeline, stage).
    open_deals : DataFrame
        The open deals with ``pipeline`` and ``stage``.
    q : float
        The quantile of the thresholds.
    """
    names = sorted({str(p) for p in thresholds.index.get_level_values(0)}
                   | {str(p) for p in open_deals["pipeline"].dropna()})
    known = open_deals.dropna(subset=["pipeline"])
    held = list(dict.fromkeys(zip(known["pipeline"].astype(str), known["stage"], strict=True)))
    own = {k for k in thresholds.index if k not in set(thresholds.attrs.get("pooled", []))}
    pooled = [f"{s} ({p})" for p, s in held if (p, s) not in own]
    text = Message("The deals are in {n} pipelines ({names}): a deal is stalled when it has been in its stage "
                   "longer than {pct} of its own pipeline's deals that left that stage.",
                   n=len(names), names=listing(names), pct=f"{q * 100:.0f} %")
    if not pooled:
        return text
    return Message.join(" ", [text, Message(
        "Where fewer than {min} deals of a pipeline have left a stage, the limit is that of the stage's deals in "
        "every pipeline: {stages}.", min=int(thresholds.attrs.get("min_deals", 10)),
        stages=listing(pooled))])


def _unchecked(why: Any) -> pd.DataFrame:
    """An empty deal list that could not be checked, with why in ``attrs["unmeasurable"]``
    (:func:`salesnb.risk.deal_view` says it instead of "none")."""
    out = pd.DataFrame()
    out.attrs["unmeasurable"] = why
    return out


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
        Stage → days (:func:`stage_duration_thresholds`); a Series indexed by (pipeline, stage)
        judges each deal by its own ``pipeline``'s stage, and a deal whose pipeline's stage has
        none by the stage's threshold over every pipeline (else it is not judged).
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
    if isinstance(thresholds, pd.Series) and thresholds.index.nlevels == 2 and "pipeline" in d.columns:
        keys = pd.MultiIndex.from_arrays([d["pipeline"].astype(str), d[stage]])
        own = pd.Series(thresholds.reindex(keys).to_numpy(dtype=float), index=d.index)
        pooled = pd.Series(thresholds.attrs.get("by_stage", {}), dtype=float)  # no deal of its pipeline left it
        d["threshold_days"] = own.fillna(d[stage].map(pooled)).astype(float)
    else:
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


# --------------------------------------------------------------------------------------------
# the check
# --------------------------------------------------------------------------------------------

@dataclass
class PipelineCheck:
    """P(miss) of the running quarter, team coverage, stalled, slipped and inactive deals.

    Register rows ``p_miss_quarter``, ``coverage_needed`` (per team, capped at warning) and
    ``stalled_share``; alerts ``stalled_deal`` per deal; tables ``coverage``, ``miss``,
    ``win_rates``, ``stalled``, ``slipped`` and ``inactive``.
    """

    p_miss_amber: float = DEFAULTS["p_miss_amber"]
    p_miss_red: float = DEFAULTS["p_miss_red"]
    coverage_amber: float = DEFAULTS["coverage_amber"]
    coverage_red: float = DEFAULTS["coverage_red"]
    stalled_quantile: float = DEFAULTS["stalled_quantile"]
    stalled_amber: float = DEFAULTS["stalled_amber"]
    stalled_red: float = DEFAULTS["stalled_red"]
    inactive_days: int = DEFAULTS["inactive_days"]
    max_deal_alerts: int = 50
    n_sims: int = 20_000
    seed: int = 0

    name = "pipeline"

    def __call__(self, inputs: RiskInputs) -> CheckResult:
        empty = pd.DataFrame()
        res = CheckResult(tables={"coverage": empty, "miss": {}, "win_rates": empty,
                                  "stalled": empty, "slipped": empty, "inactive": empty})
        if not inputs.has("open_deals"):
            res.notes.append("No opportunities table: pipeline risk skipped.")
            return res
        as_of = inputs.as_of
        deals = inputs.frame("open_deals")
        fys = inputs.fiscal_year_start
        quarter, q_end, remaining = quarter_window(as_of, fiscal_year_start=fys)
        qname = quarter_label(quarter, fys)
        wr = stage_win_rates(inputs.frame("stage_outcomes"), stages=inputs.stage_pipelines or inputs.stages)
        res.tables["win_rates"] = wr
        run_rate = inputs.run_rate
        if run_rate is None:
            mon = inputs.frame("monthly")
            y = (mon["revenue"] - mon["won_amount"]).clip(lower=0) if len(mon) else pd.Series(
                dtype=float)
            run_rate = seasonal_run_rate(y, horizon=remaining)
        k0 = len(res.notes)
        due = self._due(inputs, deals, wr, q_end, res)
        k1 = len(res.notes)  # the notes before say how the forecast counts the deals, the next why P(miss) is skipped
        why: dict[str, Any] = {}  # figure -> the one sentence why it is not published
        res.tables["pipeline_why"] = why
        targets, booked = inputs.frame("targets"), inputs.frame("booked")
        in_quarter = lambda f: _starts(f["period"]).between(  # noqa: E731
            quarter.start_time, quarter.end_time).to_numpy()
        partial = False
        if len(targets) and "months" in targets.columns and (targets["months"] < 3).any():
            # a target for part of a quarter (a fiscal quarter across the targets' last month)
            part = targets[targets["months"] < 3]
            partial = bool(in_quarter(part).any())
            if partial:
                res.notes.append(Message(
                    "The targets for {quarter} cover {n} of its 3 months: P(miss) and coverage "
                    "skipped for it (a part of a quarter's target is not its target).",
                    quarter=Verbatim(qname), n=int(part.loc[in_quarter(part), "months"].max())))
            targets = targets[targets["months"] >= 3]
        tq = targets[in_quarter(targets)] if len(targets) else targets
        target = float(tq["target"].sum()) if len(tq) else float("nan")
        bk = float(booked.loc[in_quarter(booked), "booked"].sum()) if len(
            booked) else 0.0
        if due is not None and wr.empty:
            res.notes.append(
                # a source whose deals are all won or lost (an export without its open deals)
                # has closed deals but no open stage to estimate a win rate for
                "No deal is in an open stage or has passed through one (every deal is won or lost): "
                "there is no pipeline to weigh, so P(miss) is skipped."
                if inputs.stages is not None and not inputs.stages else
                "No won or lost deals before the as-of date: stage win rates cannot be estimated, "
                "so P(miss) is skipped (it needs closed deals with their stage history).")
            due = None
        priced = bool(np.isfinite(target) and target > 0)
        unvalued = due is not None and len(due) and "amount" in due.columns and due["amount"].isna().all()
        if unvalued:
            # Maven's open deals: no amount at all, so the pipeline's forecast would be what is booked
            # and the run-rate alone (a $0 quarter), not a forecast
            why["p_miss"] = Message("None of the {n} open deals carries an amount: the quarter's forecast from "
                                    "the pipeline and P(miss) cannot be made.", n=f"{len(due):,}")
            del res.notes[k0:k1]  # how a forecast not made would have counted the deals
            res.notes.append(why["p_miss"])
            due = None
        if due is not None:
            # the quarter's forecast needs no target (open deals x their win rates, what is already
            # won, the run-rate): shown without one; P(miss) and coverage need one
            miss = miss_probability(due, target=target if priced else float("nan"), booked=bk,
                                    win_rates=wr, run_rate=run_rate[0], run_rate_sd=run_rate[1],
                                    remaining_months=1.0, prob="p_win", n_sims=self.n_sims,
                                    seed=self.seed)
            miss["quarter"] = qname
            miss["first_month"], miss["last_month"] = quarter_months(quarter)
            miss["remaining_months"] = remaining
            miss["deals"] = int(len(due))
            miss["past_due_deals"] = int(due["past_due"].sum())
            miss["close_dates_known"] = bool(inputs.close_dates_known)
            res.tables["miss"] = miss
        if due is None:
            pass
        elif priced:
            res.indicators.append(Indicator(
                "pipeline", "p_miss_quarter", miss["p_miss"], amber=self.p_miss_amber,
                red=self.p_miss_red, entity=f"quarter:{qname}", unit="pct", first_seen=as_of,
                description=Message("Probability of missing the {quarter} target",
                                    quarter=Verbatim(qname))))
        elif not len(targets) and not partial:
            why["coverage"] = Message("No targets in the data: P(miss) and pipeline coverage are skipped, "
                                      "as both measure the pipeline against the quarter's target.")
            res.notes.append(why["coverage"])
        elif not partial:
            res.notes.append(Message("No targets for {quarter}: P(miss) skipped.",
                                     quarter=Verbatim(qname)))
        if not len(targets) and not partial and "coverage" not in why:  # P(miss) skipped first
            why["coverage"] = Message("No targets in the data: pipeline coverage is skipped, as it "
                                      "measures the pipeline against the quarter's target.")
            res.notes.append(why["coverage"])
        if res.tables["miss"].get("p_miss") is None and "p_miss" not in why:
            # why P(miss) is missing, not how it would have been counted (the summary quotes it)
            said = res.notes[k1:] or res.notes[k0:k1]
            if said:
                why["p_miss"] = said[0]
        if len(targets) and "team" not in deals.columns:
            why["coverage"] = Message("The open deals carry no team (neither the opportunities nor the "
                                      "reps table give one): pipeline coverage by team skipped.")
            res.notes.append(why["coverage"])
        if len(targets) and "team" in deals.columns:
            # without the close dates expected then, every open deal counts in this quarter
            periods = [quarter, quarter + 1] if inputs.close_dates_known else [quarter]
            cov_deals = deals if inputs.close_dates_known else deals.assign(
                close_date=as_of.normalize() + pd.Timedelta(days=1))
            cov = pipeline_coverage(cov_deals, targets, booked if len(booked) else pd.DataFrame(
                columns=["period", "team", "booked"]), periods=periods, as_of=as_of, fiscal_year_start=fys)
            # the run-rate covers part of what remains (allocated by target share)
            cov["expected_run_rate"] = 0.0
            cur = cov["period"] == qname
            tsum = cov.loc[cur, "target"].sum()
            if tsum > 0:
                cov.loc[cur, "expected_run_rate"] = run_rate[0] * cov.loc[cur, "target"] / tsum
            cov["needed"] = (cov["remaining"] - cov["expected_run_rate"]).clip(lower=0.0)
            cov["coverage_needed"] = cov["pipeline"] / cov["needed"].where(cov["needed"] > 0)
            res.tables["coverage"] = cov
            for r in cov[cur & cov["needed"].gt(0)].itertuples(index=False):
                res.indicators.append(Indicator(
                    "pipeline", "coverage_needed", r.coverage_needed,
                    amber=self.coverage_amber, red=self.coverage_red, higher_is_worse=False,
                    entity=f"team:{r.team}", unit="ratio", first_seen=as_of,
                    description=Message("Pipeline coverage of the gap ({quarter})",
                                        quarter=Verbatim(qname)), cap="warning"))
        sd = inputs.frame("stage_durations")
        if len(sd) and "stage_entered" in deals.columns:
            thr = stage_duration_thresholds(sd, q=self.stalled_quantile)
            stalled = stalled_deals(deals, thr, as_of=as_of)
            stalled["ratio"] = stalled["days_in_stage"] / stalled["threshold_days"]
            stalled = stalled.sort_values(["ratio", "amount"], ascending=False, ignore_index=True)
            res.tables["stalled"] = stalled
            if thr.index.nlevels == 2:  # deals in several pipelines: say each is judged by its own
                res.notes.append(stalled_pipeline_note(thr, deals, q=self.stalled_quantile))
            tot = float(deals["amount"].sum())
            share = float(stalled["amount"].sum() / tot) if tot > 0 else 0.0
            res.indicators.append(Indicator(
                "pipeline", "stalled_share", share, amber=self.stalled_amber,
                red=self.stalled_red, unit="pct", first_seen=as_of,
                description="Share of open pipeline stalled in its stage"))
            pct = f"{self.stalled_quantile * 100:.0f} %"
            for r in stalled.head(self.max_deal_alerts).itertuples(index=False):
                res.alerts.append(Alert.new(
                    severity="warning", category="pipeline", metric="stalled_deal",
                    entity=f"opportunity:{r.opportunity_id}", value=r.days_in_stage,
                    threshold=r.threshold_days, first_seen=r.first_seen,
                    message=Message("Deal {id} ({amount}) has been in {stage} for {days} days; "
                                    "{pct} of deals leave it within {limit}",
                                    id=Verbatim(r.opportunity_id), amount=f"{r.amount:,.0f}",
                                    stage=Verbatim(r.stage if thr.index.nlevels == 1 or pd.isna(r.pipeline)
                                                   else f"{r.stage} ({r.pipeline})"),
                                    days=r.days_in_stage, pct=pct,
                                    limit=f"{r.threshold_days:.0f}")))
        elif len(deals):
            res.tables["stalled"] = _unchecked(Message(
                "it needs the deals' stage history (opportunity_history) to know how long deals stay "
                "in each stage"))
        dates = "close_date" in deals.columns and deals["close_date"].notna().any()
        if len(deals) and inputs.close_dates_known and (dates or "close_date_changes" in deals.columns):
            res.tables["slipped"] = slipped_deals(deals, as_of=as_of)
        elif len(deals):
            res.tables["slipped"] = _unchecked(
                Message("the open deals carry no close date") if inputs.close_dates_known else
                Message("the data holds the close dates as finally recorded, not those expected on {date}",
                        date=f"{as_of:%Y-%m-%d}"))
        if len(deals) and "last_activity_date" in deals.columns:
            res.tables["inactive"] = inactive_deals(deals, as_of=as_of, days=self.inactive_days)
        elif len(deals):
            res.tables["inactive"] = _unchecked(Message(
                "it needs the deals' last activity date (opportunities.last_activity_date)"))
        if len(deals) and inputs.stage_pipelines and "pipeline" in deals.columns:  # the deal lists name each deal's pipeline
            for kind in ("stalled", "slipped", "inactive"):
                res.tables[kind].attrs["pipelines"] = True
        return res

    @staticmethod
    def _due(inputs: RiskInputs, deals: pd.DataFrame, wr: pd.DataFrame, q_end: pd.Timestamp,
             res: CheckResult) -> pd.DataFrame | None:
        """The deals that may close in the quarter with ``p_win`` and ``past_due``; None: refuse.

        With the close dates expected on the as-of date and earlier ones to learn from (a
        ``close_date_history``): every open deal, each with P(won within the quarter | stage,
        whether its close date is past, in the quarter or later, age), learned from deals open at
        earlier dates with the close dates expected then (close dates slip). Otherwise every open
        deal, each with P(won within the quarter | stage, age): today's close dates without their
        history cannot be checked (on the demo's backtest, counting the deals due by them at their
        stage's rates stated a mean P(miss) of 0.28 for quarters half of which were missed), and a
        past month of a source that keeps only final close dates does not know them. With no
        earlier deals to learn from: the deals due by today's close dates at their stage's rates,
        with a note; None (refused) for a past month without its close dates.
        """
        as_of = inputs.as_of.normalize()
        snaps = inputs.frame("deal_snapshots")
        within = win_within_rates(snaps) if len(snaps) else pd.DataFrame()
        res.tables["win_within"] = within
        if not len(deals):
            return deals.assign(p_win=pd.Series(dtype=float), past_due=pd.Series(dtype=bool))
        if inputs.close_dates_known and "due" in within.columns:
            out = deals.assign(due=due_class(deals["close_date"], as_of=as_of, end=q_end))
            out["past_due"] = out["due"].eq("past_due")
            out["p_win"] = win_within_probability(out, within).to_numpy()
            res.notes.append(Message(
                "The quarter's forecast counts every open deal, each with P(won within the quarter | "
                "stage, whether its close date is past, in the quarter or later, age), learned from deals "
                "open in earlier months with the close dates expected then: {n} of the {total} "
                "deals are due by the quarter's end by their close dates.",
                n=int(out["due"].isin(["due", "past_due"]).sum()), total=len(out)))
            if "pipeline" in within.columns:
                res.notes.append(win_within_pipeline_note(within))
            return out
        ageless = within.empty or "age_days" not in deals.columns
        if inputs.close_dates_known and ageless:
            # nothing to learn from: the deals due by their close dates, at their stage's rate
            cd = pd.to_datetime(deals["close_date"])
            due = deals[cd <= q_end].copy()
            due["past_due"] = pd.to_datetime(due["close_date"]) < as_of
            due["p_win"] = stage_rates(due, wr) if len(wr) else np.nan
            res.notes.append(Message(
                "The quarter's forecast counts the {n} deals due by the quarter's end by their close "
                "dates, each with its stage's win rate: there are no deals open in earlier months to "
                "learn how often deals due in a quarter are won in it (close dates slip), so it may be "
                "too high and P(miss) too low.", n=len(due)))
            return due
        if ageless:
            res.notes.append(Message(
                "P(miss) skipped for {date}: the source keeps only final close dates (no "
                "close_date_history table), so which deals were due is not known as of "
                "then, and there are no earlier open deals to estimate P(won within the quarter | "
                "stage, age). A close_date_history table (Salesforce's OpportunityHistory) would "
                "enable it.",
                date=str(inputs.as_of.date())))
            return None
        if inputs.close_dates_known:
            res.notes.append(Message(
                "The data does not show how the close dates of earlier deals slipped (no "
                "close_date_history table), so today's close dates cannot be checked: the quarter's "
                "forecast counts every open deal, each with P(won within the quarter | stage, age) "
                "learned from deals open in earlier months."))
            past = pd.to_datetime(deals["close_date"]) < as_of
        else:
            res.notes.append(Message(
                "Close dates as expected on {date} are not in the data (only final ones): the "
                "quarter's forecast counts every deal open then, each with P(won within the quarter | "
                "stage, age) learned from deals open in earlier months.", date=str(inputs.as_of.date())))
            past = False
        if "pipeline" in within.columns:
            res.notes.append(win_within_pipeline_note(within))
        return deals.assign(p_win=win_within_probability(deals, within).to_numpy(),
                            past_due=past)


#: age bands (days since the deal was created) of :func:`win_within_rates`
AGE_BINS: tuple[float, ...] = (0, 30, 60, 90, 180, 365, float("inf"))


def _age_band(age: pd.Series, bins: Sequence[float]) -> pd.Series:
    return pd.cut(age.astype(float), bins=list(bins), right=False, labels=False).fillna(
        len(bins) - 2).astype(int)


def win_within_rates(
    snapshots: pd.DataFrame,
    *,
    age_bins: Sequence[float] = AGE_BINS,
    prior_strength: float = 20.0,
    min_deals: int = 30,
) -> pd.DataFrame:
    """P(won within the horizon | stage, age band), from deals open at past reference dates.

    Rates are shrunk twice: a stage's toward the overall rate, a (stage, age band) toward its
    stage's (Beta priors worth ``prior_strength`` deals). Old deals and deals past their close date
    win less often within a quarter than fresh ones of the same stage, which a stage's eventual win
    rate ignores.

    With a ``due`` column (where the close date expected then fell: ``past_due``, ``due``,
    ``later``), also P(won within the horizon | stage, due) shrunk toward the stage's, and
    P(won within | stage, due, age band) toward that: deals due by their reps' dates slip, and
    deals expected later are sometimes pulled in.

    Parameters
    ----------
    snapshots : DataFrame
        ``stage``, ``age_days``, ``won_within`` and optionally ``due``
        (:func:`salesnb.data.risk_queries.deal_snapshots`).
    age_bins : sequence of float
        Age band edges in days.
    prior_strength : float
        Pseudo-deals of each prior.
    min_deals : int
        With a ``pipeline`` column: the fewest deals (distinct ``opportunity_id``, else rows) a
        pipeline's snapshots must hold for rates of its own.

    Returns
    -------
    DataFrame
        ``stage``, ``age_band`` (index into the bins), ``deals``, ``wins``, ``rate`` (and ``due``,
        missing on the rows that do not split by it, when the snapshots have one); a row with
        ``stage`` NaN and ``age_band`` −1 holds the overall rate, rows with ``age_band`` −1 the
        stage (or stage and due) rates. With a ``pipeline`` column (deals in several pipelines),
        ``pipeline`` first: the rows of every pipeline together (the pooled rates, ``pipeline``
        missing), then those of each pipeline with ``min_deals`` deals or more, learned from its
        own deals alone (a stage name two pipelines share is two stages); ``attrs["pooled"]``
        lists the pipelines with fewer, whose deals get the pooled rates, and
        ``attrs["min_deals"]`` the minimum.
    """
    if "pipeline" in snapshots.columns:
        kw = {"age_bins": age_bins, "prior_strength": prior_strength}
        pooled = win_within_rates(snapshots.drop(columns="pipeline"), **kw)
        known = snapshots.dropna(subset=["pipeline"])
        ids = "opportunity_id" if "opportunity_id" in known.columns else None
        counts = (known.groupby("pipeline")[ids].nunique() if ids else known.groupby("pipeline").size())
        parts = [pooled.assign(pipeline=np.nan)] + [
            win_within_rates(g.drop(columns="pipeline"), **kw).assign(pipeline=p)
            for p, g in known.groupby("pipeline", sort=True) if counts[p] >= min_deals]
        out = pd.concat([x for x in parts if len(x)], ignore_index=True) if len(pooled) else pooled.assign(
            pipeline=pd.Series(dtype=object))
        out = out[["pipeline", *[c for c in out.columns if c != "pipeline"]]]
        out.attrs["pooled"] = [str(p) for p in counts.index if counts[p] < min_deals]
        out.attrs["min_deals"] = int(min_deals)
        return out
    by_due = "due" in snapshots.columns and snapshots["due"].notna().any()
    cols = ["stage", "age_band", "deals", "wins", "rate"] + (["due"] if by_due else [])
    if snapshots.empty:
        return pd.DataFrame(columns=cols)
    d = snapshots.assign(age_band=_age_band(snapshots["age_days"], age_bins),
                         won=snapshots["won_within"].astype(float))
    overall = float(d["won"].mean())
    rows = [{"stage": np.nan, "age_band": -1, "deals": len(d), "wins": d["won"].sum(),
             "rate": overall}]
    stage_rate = {}
    for s, g in d.dropna(subset=["stage"]).groupby("stage"):
        r = (g["won"].sum() + prior_strength * overall) / (len(g) + prior_strength)
        stage_rate[s] = r
        rows.append({"stage": s, "age_band": -1, "deals": len(g), "wins": g["won"].sum(),
                     "rate": r})
    for (s, b), g in d.dropna(subset=["stage"]).groupby(["stage", "age_band"]):
        r = (g["won"].sum() + prior_strength * stage_rate[s]) / (len(g) + prior_strength)
        rows.append({"stage": s, "age_band": int(b), "deals": len(g), "wins": g["won"].sum(),
                     "rate": r})
    if by_due:
        known = d.dropna(subset=["stage", "due"])
        due_rate = {}
        for (s, u), g in known.groupby(["stage", "due"]):
            r = (g["won"].sum() + prior_strength * stage_rate[s]) / (len(g) + prior_strength)
            due_rate[s, u] = r
            rows.append({"stage": s, "due": u, "age_band": -1, "deals": len(g),
                         "wins": g["won"].sum(), "rate": r})
        for (s, u, b), g in known.groupby(["stage", "due", "age_band"]):
            r = (g["won"].sum() + prior_strength * due_rate[s, u]) / (len(g) + prior_strength)
            rows.append({"stage": s, "due": u, "age_band": int(b), "deals": len(g),
                         "wins": g["won"].sum(), "rate": r})
    return pd.DataFrame(rows, columns=cols)


def win_within_pipeline_note(rates: pd.DataFrame) -> Message:
    """The sentence after P(miss)'s method when :func:`win_within_rates` are per pipeline: each open
    deal's P(won within the quarter) is learned from its own pipeline's deals, and which pipelines
    had too few deals and got the rates of every pipeline's deals together."""
    names = sorted({str(p) for p in rates["pipeline"].dropna()} | set(rates.attrs.get("pooled", [])))
    text = Message("The deals are in {n} pipelines ({names}): P(won within the quarter) is learned from each "
                   "pipeline's own deals, and each open deal gets its own pipeline's rate.",
                   n=len(names), names=listing(names))
    pooled = rates.attrs.get("pooled") or []
    if not pooled:
        return text
    few = Message("{names}: fewer than {min} deals open in earlier months, so their deals get the rate learned "
                  "from every pipeline's deals together.", names=listing(pooled),
                  min=int(rates.attrs.get("min_deals", 30)))
    return Message.join(" ", [text, few]) if rates["pipeline"].notna().any() else few


def due_class(close_date: pd.Series, *, as_of: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Where each expected close date falls: ``past_due`` (before ``as_of``), ``due`` (by ``end``),
    ``later``; missing for a missing date (the classes of :func:`win_within_rates`)."""
    cd = pd.to_datetime(close_date)
    out = np.select([cd < as_of, cd <= end, cd > end], ["past_due", "due", "later"], default="")
    return pd.Series(out, index=close_date.index).replace("", None)


def win_within_probability(
    deals: pd.DataFrame,
    rates: pd.DataFrame,
    *,
    age_bins: Sequence[float] = AGE_BINS,
    stage: str = "stage",
    age: str = "age_days",
) -> pd.Series:
    """Each open deal's P(won within the horizon) from :func:`win_within_rates`.

    With a ``due`` column in both (:func:`due_class`): the (stage, due, age band) rate, else the
    (stage, due) one. Then (and for a deal without a due class) the (stage, age band) rate, else
    the stage's, else the overall rate. A deal without an age (an open deal without a created
    date) takes the rates not split by age. With a ``pipeline`` column in ``rates`` (deals in
    several pipelines), a deal whose pipeline has rates of its own gets those, every other deal the
    pooled ones.
    """
    if rates.empty:
        return pd.Series(np.nan, index=deals.index)
    if "pipeline" in rates.columns:
        kw = {"age_bins": age_bins, "stage": stage, "age": age}
        own = rates["pipeline"].notna()
        p = win_within_probability(deals, rates[~own].drop(columns="pipeline"), **kw)
        if "pipeline" in deals.columns:
            for name, r in rates[own].groupby("pipeline", sort=True):
                mine = deals["pipeline"].astype(str) == str(name)
                if mine.any():
                    p[mine] = win_within_probability(deals[mine], r.drop(columns="pipeline"), **kw)
        return p
    split = rates["due"].notna() if "due" in rates.columns else pd.Series(False, index=rates.index)
    plain = rates[~split]
    overall = float(plain.loc[plain["age_band"] == -1].loc[plain["stage"].isna(), "rate"].iloc[0])
    by_stage = plain[(plain["age_band"] == -1) & plain["stage"].notna()].set_index("stage")["rate"]
    cell = plain[plain["age_band"] >= 0].set_index(["stage", "age_band"])["rate"]
    # a deal without an age (no created date) has no band: its stage's rate, not the oldest band's
    band = _age_band(deals[age], age_bins).where(deals[age].notna(), -2)
    keys = pd.MultiIndex.from_arrays([deals[stage], band])
    p = pd.Series(cell.reindex(keys).to_numpy(), index=deals.index)
    if split.any() and "due" in deals.columns:
        r = rates[split]
        fine = r[r["age_band"] >= 0].set_index(["stage", "due", "age_band"])["rate"]
        coarse = r[r["age_band"] == -1].set_index(["stage", "due"])["rate"]
        k3 = pd.MultiIndex.from_arrays([deals[stage], deals["due"], band])
        k2 = pd.MultiIndex.from_arrays([deals[stage], deals["due"]])
        q = pd.Series(fine.reindex(k3).to_numpy(), index=deals.index)
        q = q.fillna(pd.Series(coarse.reindex(k2).to_numpy(), index=deals.index))
        p = q.fillna(p)
    p = p.fillna(deals[stage].map(by_stage)).fillna(overall)
    return p.astype(float)
