"""Operational risk: discount creep, departed reps, single-rep key accounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from salesnb import fmt
from salesnb.data.risk_queries import RiskInputs
from salesnb.i18n import Message, Verbatim
from salesnb.periods import labelled
from salesnb.risk._common import _ts
from salesnb.risk.alerts import Alert, CheckResult, Indicator
from salesnb.risk.concentration import lag1_autocorrelation, trend_test
from salesnb.risk.thresholds import DEFAULTS


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
    (in discount points, 0.01 = 1 pp) over the window. Monthly discounts are autocorrelated, so the
    test's variance is corrected (Hamed-Rao) with the lag-1 autocorrelation of the detrended history
    before the window (the median over categories; the window's own when there is no earlier
    history): without it, the family-wise false-alarm rate at AR(1) 0.8 is about 25 % for a stated
    1 %.

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
    series = {c: monthly[monthly[by] == c].sort_values(time) for c in cats}
    # lag-1 autocorrelation of each category's months before the window (a rise inside the window
    # would inflate it; so would a rise that began shortly before, hence the median over categories:
    # a company's discounts share their month-to-month persistence)
    r1s = {c: lag1_autocorrelation(g[value].astype(float).to_numpy()[:-window])
           for c, g in series.items()}
    finite = [r for r in r1s.values() if np.isfinite(r)]
    pooled = float(np.median(finite)) if finite else float("nan")
    for cat in cats:
        g = series[cat].tail(window)
        y = g[value].astype(float).to_numpy()
        r1 = pooled if np.isfinite(pooled) else lag1_autocorrelation(y)
        t = trend_test(y, alternative="greater", alpha=alpha / k,
                       lag1=r1 if np.isfinite(r1) else None)
        rise = t["slope"] * (len(y) - 1) if np.isfinite(t["slope"]) else float("nan")
        start = None
        if len(y) >= 3:
            cs = np.cumsum(y - y.mean())
            start = g[time].iloc[int(np.argmin(cs)) + 1] if np.argmin(cs) + 1 < len(y) else None
        rows.append({
            by: cat, "n": t["n"],
            "first": t["intercept"], "last": t["intercept"] + rise,
            "slope": t["slope"], "rise": rise, "pvalue": t["pvalue"], "lag1": r1,
            "creep": bool(t["direction"] == "rising" and rise >= min_rise),
            "start": start,
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.sort_values("pvalue", ignore_index=True)


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


#: key accounts that bought on more than one day (or from several reps) needed to tell whether
#: they depend on one rep (BikeStores: every customer bought once, and the indicator read 100 %)
MIN_TOLD_ACCOUNTS = 5


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
        ``n_reps``, ``single_rep``, ``rep_left`` and, when ``customer_rep`` has ``multi_day``,
        ``one_day`` (one rep and one purchase day: no dependency can be told), largest first.
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
    if "multi_day" in sub:  # an account that bought on one day has one rep by construction
        out["one_day"] = (out["n_reps"] == 1) & ~out["customer_id"].map(
            sub.groupby("customer_id")["multi_day"].max().astype(bool)).fillna(False)
    return out.drop(columns="main_revenue").sort_values("revenue", ascending=False,
                                                        ignore_index=True)


# --------------------------------------------------------------------------------------------
# the checks
# --------------------------------------------------------------------------------------------

@dataclass
class DiscountCreepCheck:
    """A significant rise of the average discount per category over the last ``creep_window`` months.

    Alerts ``discount_creep`` per category; register row ``discount_rise`` (not alerted); table
    ``discount``.
    """

    creep_amber: float = DEFAULTS["creep_amber"]
    creep_red: float = DEFAULTS["creep_red"]
    creep_alpha: float = DEFAULTS["creep_alpha"]
    creep_window: int = 12

    name = "discount_creep"

    def __call__(self, inputs: RiskInputs) -> CheckResult:
        res = CheckResult(tables={"discount": pd.DataFrame()})
        disc = labelled(inputs.frame("discount"), "M")
        if disc.empty:
            res.notes.append("Discount creep needs orders with a category and a discount (or list_amount): skipped.")
            return res
        creep = discount_creep(disc, by="category", time="period", window=self.creep_window,
                               alpha=self.creep_alpha, min_rise=self.creep_amber)
        starts = {}
        for cat, g in disc.groupby("category"):
            g = g.sort_values("period")
            starts[cat] = creep_start(g["discount"].to_numpy(), g["period"].tolist())
        creep["start"] = creep["category"].map(starts)
        res.tables["discount"] = creep
        for r in creep.itertuples(index=False):
            if not r.creep:
                continue
            sev = "critical" if r.rise >= self.creep_red else "warning"
            res.alerts.append(Alert.new(
                severity=sev, category="operational", metric="discount_creep",
                entity=f"category:{r.category}", value=r.rise,
                threshold=self.creep_red if sev == "critical" else self.creep_amber,
                first_seen=(r.start + "-01") if isinstance(r.start, str) else inputs.as_of,
                message=Message("Discount on {category} rose {points} points over {n} months (to "
                                "{last}; trend p = {p}), rising since about {start}",
                                category=Verbatim(r.category), points=f"{r.rise * 100:.1f}",
                                n=r.n, last=fmt.pct(r.last, decimals=1), p=f"{r.pvalue:.1g}",
                                start=r.start or "n/a")))
        if len(creep):
            # the register row agrees with the table: the largest rise among creeping categories;
            # a rise that is not significant (creep "no") is green whatever its size
            creeping = creep[creep["creep"]]
            top = (creeping if len(creeping) else creep).sort_values("rise", ascending=False).iloc[0]
            res.indicators.append(Indicator(
                "operational", "discount_rise", float(top["rise"]), amber=self.creep_amber,
                red=self.creep_red, entity=f"category:{top['category']}", unit="pp",
                trend="rising" if top["creep"] else "flat", first_seen=inputs.as_of,
                # a rise above the minimum that the test does not find is green: the name says why
                description=Message("Largest {n}-month discount rise (creep if significant)"
                                    if top["creep"] else
                                    "Largest {n}-month discount rise (within chance: not creep)",
                                    n=self.creep_window), alert=False,
                max_rag=None if top["creep"] else "green"))
        return res


@dataclass
class RepExposureCheck:
    """Revenue and pipeline of reps who left (or might), and key accounts that depend on one rep.

    Register rows ``departed_rep_revenue_share``, ``departed_rep_pipeline_share`` (capped),
    ``watch_rep_revenue_share`` (capped, with ``watch_reps``), ``single_rep_key_account_share``
    (capped); alerts ``single_rep_account`` per key account whose rep left; tables ``exposure`` and
    ``key_accounts``.
    """

    departed_amber: float = DEFAULTS["departed_amber"]
    departed_red: float = DEFAULTS["departed_red"]
    single_rep_share: float = DEFAULTS["single_rep_share"]
    key_accounts: int = 50
    watch_reps: tuple[str, ...] = ()

    name = "rep_exposure"

    def __call__(self, inputs: RiskInputs) -> CheckResult:
        res = CheckResult(tables={"exposure": pd.DataFrame(), "key_accounts": pd.DataFrame()})
        reps, revenue = inputs.frame("reps"), inputs.frame("rep_revenue")
        if reps.empty or revenue.empty:
            res.notes.append("No reps table or orders.rep_id: rep exposure skipped.")
            return res
        deals = inputs.frame("open_deals")
        pipe = deals[["rep_id", "amount"]] if len(deals) and "rep_id" in deals else None
        exposure = rep_exposure(revenue, reps, as_of=inputs.as_of, pipeline=pipe,
                                watch=list(self.watch_reps))
        res.tables["exposure"] = exposure
        as_of = inputs.as_of
        if len(self.watch_reps):
            wshare = float(exposure.loc[exposure["status"] == "watch", "revenue_share"].sum())
            res.indicators.append(Indicator(
                "operational", "watch_rep_revenue_share", wshare, amber=self.departed_amber,
                red=self.departed_red, unit="pct", first_seen=as_of,
                description="Trailing revenue booked by reps who might leave", cap="warning"))
        gone = exposure["status"] == "left"
        left = exposure.loc[gone, "rep_id"].tolist()
        dated = "end_date" in reps and reps["end_date"].notna().any()
        if not dated:  # 0 % would read as "nobody left", which the data cannot say
            res.notes.append(Message("The reps table records no end date: who left cannot be told, so the "
                                     "revenue and pipeline of departed reps are not measured."))
        else:
            res.indicators.append(Indicator(
                "operational", "departed_rep_revenue_share",
                float(exposure.loc[gone, "revenue_share"].sum()), amber=self.departed_amber,
                red=self.departed_red, unit="pct", first_seen=as_of,
                description="Trailing revenue booked by reps who left"))
        if dated and pipe is not None:
            res.indicators.append(Indicator(
                "operational", "departed_rep_pipeline_share",
                float(exposure.loc[gone, "pipeline_share"].sum()), amber=0.01, red=0.05, unit="pct",
                first_seen=as_of, description="Open pipeline still owned by reps who left",
                cap="warning"))
        cr = inputs.frame("customer_rep")
        if len(cr):
            keyacc = single_rep_accounts(cr, top_n=self.key_accounts,
                                         min_share=self.single_rep_share, left=left)
            res.tables["key_accounts"] = keyacc
            single = keyacc[keyacc["single_rep"]]
            told = keyacc[~keyacc["one_day"]] if "one_day" in keyacc else keyacc
            share = float(told.loc[told["single_rep"], "revenue"].sum() / told["revenue"].sum()) if len(
                told) else 0.0
            if len(told) < MIN_TOLD_ACCOUNTS:
                keyacc.attrs["untold"] = Message(
                    "{n} of the top {k} accounts bought on one day only, from one rep: whether key "
                    "accounts depend on a single rep cannot be told, and the indicator is left out.",
                    n=len(keyacc) - len(told), k=len(keyacc))
                res.notes.append(keyacc.attrs["untold"])
            else:
                res.indicators.append(Indicator(
                    "operational", "single_rep_key_account_share", share, amber=0.5, red=0.8,
                    unit="pct", first_seen=as_of,
                    description=Message("Revenue of the top {n} accounts held by one rep",
                                        n=self.key_accounts),
                    cap="warning"))
            for r in single[single["rep_left"]].itertuples(index=False):
                res.alerts.append(Alert.new(
                    severity="warning", category="operational", metric="single_rep_account",
                    entity=f"customer:{r.customer_id}", value=r.main_share,
                    threshold=self.single_rep_share, first_seen=as_of,
                    message=Message("Key account {id} ({amount}) depended on rep {rep}, who left",
                                    id=Verbatim(r.customer_id), amount=f"{r.revenue:,.0f}",
                                    rep=Verbatim(r.main_rep))))
        return res
