"""Customer risk: customers overdue against their own rhythm, P(alive) drops, churn waves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from salesnb import fmt
from salesnb.data.risk_queries import RiskInputs
from salesnb.i18n import Message, Verbatim
from salesnb.performance import two_proportion_test
from salesnb.risk._common import _ts
from salesnb.risk.alerts import Alert, CheckResult, Indicator
from salesnb.risk.thresholds import DEFAULTS


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
        ``high_value``, ``at_risk`` (active — positive ``value`` — and overdue or alive_drop),
        ``revenue_at_risk`` (``value`` of
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
    # at risk: active in the trailing year (positive ``value``) and overdue or P(alive) dropped;
    # the one definition behind "customers at risk" and "revenue at risk" on every page
    df["at_risk"] = flags.to_numpy() & (vals.reindex(df.index).fillna(0.0) > 0).to_numpy()
    df["reason"] = reasons
    df["revenue_at_risk"] = np.where(df["at_risk"], vals.reindex(df.index).fillna(0.0), 0.0)
    df = df.sort_values(["revenue_at_risk", value], ascending=False, ignore_index=True)
    return df


def segment_churn(
    customers: pd.DataFrame,
    *,
    segment: str = "segment",
    flag: str = "overdue",
    active: str = "revenue_12m",
) -> pd.DataFrame:
    """Overdue rate per segment against the other segments pooled (two-proportion z-test and the
    one-sided exact test).

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
        rate), ``z``, ``p_value`` (one-sided Fisher exact test: the chance that a segment of this
        size holds at least this many of the overdue customers when overdue customers fall on the
        segments at random; exact for small segments, where the z-test's normal approximation is
        not: 2 of 2 overdue against 11 % gives z = 3.6 but p = 0.017), ``revenue_at_risk``,
        largest excess first.
    """
    d = customers[customers[active] > 0]
    g = d.groupby(segment).agg(customers=(flag, "size"), overdue=(flag, "sum"),
                               revenue_at_risk=("revenue_at_risk", "sum")).reset_index()
    tot_n, tot_k = g["customers"].sum(), g["overdue"].sum()
    pn, pk = tot_n - g["customers"], tot_k - g["overdue"]
    g["rate"] = g["overdue"] / g["customers"]
    g["peer_rate"] = pk / pn.where(pn > 0)
    g["excess"] = g["rate"] - g["peer_rate"]
    # the same pooled test as a rep's stage conversion against peers (salesnb.performance)
    g["z"] = two_proportion_test(g["overdue"], g["customers"], pk, pn)[0]
    # P(X >= k), X hypergeometric: a draw of the segment's size from all active customers
    p = stats.hypergeom.sf(g["overdue"] - 1, tot_n, tot_k, g["customers"])
    g["p_value"] = np.where(pn > 0, np.clip(p, 0.0, 1.0), np.nan)
    return g.rename(columns={segment: "segment"}).sort_values("excess", ascending=False,
                                                              ignore_index=True)


#: the exact test's p-value a churn wave needs: the one-sided normal tail of z = 3 (warning) and
#: z = 4 (critical), the z the test gated on before; exact, so a segment of 2 customers cannot reach it
CHURN_P_WARNING = float(stats.norm.sf(3.0))
CHURN_P_CRITICAL = float(stats.norm.sf(4.0))


def churn_severity(segments: pd.DataFrame, *, amber: float, red: float) -> pd.Series:
    """The churn-wave status of each segment of :func:`segment_churn`: ``"critical"`` when its overdue
    rate is ``red`` or more above the other segments' and the exact test's p-value is at most
    :data:`CHURN_P_CRITICAL`; ``"warning"`` for ``amber`` and :data:`CHURN_P_WARNING`; else ``""``.

    The one rule behind the churn-wave alert and the register's row (its RAG is this status).
    """
    p = segments["p_value"].astype(float)
    rate, peer = segments["rate"].astype(float), segments["peer_rate"].astype(float)
    # rate >= peer + threshold, the register row's own comparison (rate - peer >= threshold can
    # round the other way at a tie)
    crit = (rate >= peer + red) & (p <= CHURN_P_CRITICAL)
    warn = (rate >= peer + amber) & (p <= CHURN_P_WARNING)
    return pd.Series(np.where(crit, "critical", np.where(warn, "warning", "")), index=segments.index)


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
        ``customer_id``, ``p_alive``, ``p_alive_prev`` (customers present at both dates);
        ``attrs["problems"]``: the fit's reasons not to trust it (empty when none);
        ``attrs["plain"]``: what they mean, in plain words (:func:`salesnb.clv.purchase_fit_words`).
    """
    from salesnb import clv

    fit = clv.fit_bgnbd(now["frequency"], now["recency_days"], now["T_days"])
    a = now[["customer_id"]].assign(
        p_alive=fit.p_alive(now["frequency"], now["recency_days"], now["T_days"]))
    b = prev[["customer_id"]].assign(
        p_alive_prev=fit.p_alive(prev["frequency"], prev["recency_days"], prev["T_days"]))
    out = a.merge(b, on="customer_id", how="inner")
    out.attrs["problems"] = list(fit.problems)  # reasons not to trust the fit (as 04 reads them)
    out.attrs["plain"] = clv.purchase_fit_words(fit) if fit.problems else ""
    return out


# --------------------------------------------------------------------------------------------
# the check
# --------------------------------------------------------------------------------------------

#: high-value customers with a buying rhythm (two purchase days or more) needed to count those at
#: risk: BikeStores' customers all bought once, and the summary showed "0 at risk, $0"
MIN_RHYTHM_SHARE = 0.5
#: purchase days a customer needs for a buying rhythm (a median interval)
MIN_PURCHASE_DAYS = 3


@dataclass
class CustomerCheck:
    """Customers overdue against their own rhythm (or whose P(alive) dropped) and churn waves.

    Register rows ``high_value_revenue_at_risk_share`` and ``segment_overdue_rate`` (alerted per
    segment as ``churn_wave``, by :func:`churn_severity`); alerts ``overdue`` / ``p_alive_drop`` per high-value customer;
    tables ``customers`` and ``segments``.
    """

    overdue_margin: float = DEFAULTS["overdue_margin"]
    at_risk_amber: float = DEFAULTS["at_risk_amber"]
    at_risk_red: float = DEFAULTS["at_risk_red"]
    churn_excess_amber: float = DEFAULTS["churn_excess_amber"]
    churn_excess_red: float = DEFAULTS["churn_excess_red"]
    max_customer_alerts: int = 25

    name = "customers"

    def __call__(self, inputs: RiskInputs) -> CheckResult:
        res = CheckResult(tables={"customers": pd.DataFrame(), "segments": pd.DataFrame()})
        iv = inputs.frame("intervals")
        as_of = inputs.as_of
        if iv.empty:
            res.notes.append("No orders per customer: customer risk skipped.")
            return res
        cust = customer_risk(iv, as_of=as_of, margin=self.overdue_margin, p_alive=inputs.p_alive,
                             min_orders=MIN_PURCHASE_DAYS)
        segs = pd.DataFrame()
        seg_cols = [c for c in ("customer_type", "industry", "region") if c in cust.columns]
        seg_cols = seg_cols[:2] if seg_cols[:1] == ["customer_type"] else seg_cols[:1]
        if seg_cols:
            parts = [cust[c].astype(object).where(cust[c].notna(), "").astype(str)
                     for c in seg_cols]
            cust["segment"] = parts[0].str.cat(parts[1:], sep=" ").str.strip() if len(
                parts) > 1 else parts[0].str.strip()
            segs = segment_churn(cust)
        res.tables.update(customers=cust, segments=segs)
        active_hv = cust[cust["high_value"]]
        rhythm = int(active_hv["median_interval"].notna().sum())
        if len(active_hv) and rhythm < MIN_RHYTHM_SHARE * len(active_hv):
            # one purchase day has no rhythm to be overdue against: a count of 0 would be no figure
            cust.attrs["unmeasurable"] = Message(
                "Only {k} of {n} high-value customers bought on {m} days or more: the others have no "
                "buying rhythm to be overdue against, so the customers and revenue at risk are not "
                "published.", k=rhythm, n=len(active_hv), m=MIN_PURCHASE_DAYS) if rhythm else Message(
                "None of the {n} high-value customers bought on {m} days or more: none has a buying "
                "rhythm to be overdue against, so the customers and revenue at risk are not published.",
                n=len(active_hv), m=MIN_PURCHASE_DAYS)
            res.notes.append(cust.attrs["unmeasurable"])
            return res
        total = cust["revenue_12m"].clip(lower=0).sum()
        hv = cust[cust["high_value"] & cust["at_risk"]]
        share = float(hv["revenue_12m"].sum() / total) if total > 0 else float("nan")
        res.indicators.append(Indicator(
            "customer", "high_value_revenue_at_risk_share", share, amber=self.at_risk_amber,
            red=self.at_risk_red, unit="pct", first_seen=as_of,
            description="Revenue share of high-value customers at risk"))
        for r in hv.head(self.max_customer_alerts).itertuples(index=False):
            metric = "p_alive_drop" if r.reason == "P(alive) dropped" else "overdue"
            res.alerts.append(Alert.new(
                severity="warning", category="customer", metric=metric,
                entity=f"customer:{r.customer_id}", value=r.revenue_12m,
                threshold=None if not np.isfinite(r.median_interval) else
                round(self.overdue_margin * r.median_interval),
                first_seen=r.first_seen if pd.notna(r.first_seen) else as_of,
                message=Message("High-value customer {id} ({amount} in 12 months) {reason}: {days} "
                                "days since the last purchase, usually {usual}",
                                id=Verbatim(r.customer_id), amount=fmt.money(r.revenue_12m),
                                reason=r.reason, days=fmt.number(r.days_since_last),
                                # as the table shows it: 16.5 is 17 in both (f"{16.5:.0f}" gave 16)
                                usual=fmt.number(r.median_interval))))
        if len(segs) and segs["peer_rate"].notna().any():
            segs = segs.assign(severity=churn_severity(segs, amber=self.churn_excess_amber,
                                                       red=self.churn_excess_red))
            res.tables["segments"] = segs
            for r in segs[segs["severity"] != ""].itertuples(index=False):
                fs = cust.loc[(cust["segment"] == r.segment) & cust["overdue"], "first_seen"]
                res.alerts.append(Alert.new(
                    severity=r.severity, category="customer", metric="churn_wave",
                    entity=f"segment:{r.segment}", value=r.rate, threshold=r.peer_rate,
                    first_seen=fs.median() if fs.notna().any() else as_of,
                    message=Message("{k} of {n} active {segment} customers ({rate}) are overdue against "
                                    "{peer} in other segments (exact test, {p}); {amount} revenue "
                                    "at risk", k=fmt.number(r.overdue), n=fmt.number(r.customers),
                                    rate=fmt.pct(r.rate, decimals=0), segment=Verbatim(r.segment),
                                    peer=fmt.pct(r.peer_rate, decimals=0), p=fmt.p_value(r.p_value),
                                    amount=fmt.money(r.revenue_at_risk))))
            # the register's row: the segment with the most severe status, then the strongest
            # evidence; its value is the segment's overdue rate, the other segments' beside it in the
            # name, thresholds on the same scale (their rate + the excess), and its RAG the alert's
            rank = segs["severity"].map({"critical": 0, "warning": 1, "": 2})
            worst = segs.assign(_r=rank).dropna(subset=["peer_rate"]).sort_values(
                ["_r", "p_value", "excess"], ascending=[True, True, False]).iloc[0]
            peer = float(worst["peer_rate"])
            chance = worst["severity"] == "" and worst["rate"] >= peer + self.churn_excess_amber
            res.indicators.append(Indicator(
                "customer", "segment_overdue_rate", float(worst["rate"]),
                amber=peer + self.churn_excess_amber, red=peer + self.churn_excess_red,
                entity=f"segment:{worst['segment']}", unit="pct", first_seen=as_of,
                description=Message(
                    "Overdue rate of a segment, {peer} in the others (churn wave)" if not chance else
                    "Overdue rate of a segment, {peer} in the others ({n} customers: within chance, "
                    "not a churn wave)", peer=fmt.pct(peer), n=int(worst["customers"])),
                alert=False,
                max_rag={"critical": None, "warning": "amber"}.get(worst["severity"], "green")))
        return res


def customers_at_risk(customers: pd.DataFrame) -> dict[str, float]:
    """The published customer-risk figures, from :func:`customer_risk` output (one definition).

    ``customers_at_risk``: active customers (revenue in the trailing year) overdue against their own
    rhythm or whose P(alive) dropped; ``revenue_at_risk``: their trailing-12-month revenue;
    ``high_value`` / ``high_value_revenue``: the part of both from high-value customers. All
    ``None`` when :class:`CustomerCheck` found too few customers with a buying rhythm
    (``attrs["unmeasurable"]``).
    """
    if customers.attrs.get("unmeasurable"):  # no buying rhythm to be overdue against: no figure
        return {"customers_at_risk": None, "revenue_at_risk": None, "high_value": None,
                "high_value_revenue": None}
    if customers.empty:
        return {"customers_at_risk": 0, "revenue_at_risk": 0.0, "high_value": 0,
                "high_value_revenue": 0.0}
    r = customers[customers["at_risk"]]
    hv = r[r["high_value"]]
    return {"customers_at_risk": int(len(r)), "revenue_at_risk": float(r["revenue_at_risk"].sum()),
            "high_value": int(len(hv)), "high_value_revenue": float(hv["revenue_at_risk"].sum())}
