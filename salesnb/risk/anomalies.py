"""Anomalies: XmR (Western Electric rules) and EWMA control charts, false-alarm rates."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from salesnb import fmt
from salesnb.data.risk_queries import RiskInputs
from salesnb.i18n import Message, Verbatim, listing
from salesnb.periods import labelled
from salesnb.risk._common import _first_run_start
from salesnb.risk.alerts import Alert, CheckResult, Indicator
from salesnb.risk.thresholds import DEFAULTS

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
        With a constant baseline (zero moving range) any value off the centre line signals; with
        fewer than two baseline points nothing can signal; ``attrs["limits"]`` says which.
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
    dev = (s - c).to_numpy()
    if np.isfinite(sg) and sg > 0:
        z = dev / sg
    elif np.isfinite(sg):
        # a constant baseline (zero moving range): any departure from it is beyond every limit
        z = np.full(len(dev), np.nan)
        ok = ~np.isnan(dev)
        z[ok] = np.where(dev[ok] == 0, 0.0, np.copysign(np.inf, dev[ok]))
        out.attrs["limits"] = ("the baseline is constant (zero moving range): any value off the "
                               "centre line signals")
    else:
        z = np.full(len(s), np.nan)
        out.attrs["limits"] = "fewer than two baseline points: no limits, the chart cannot signal"
    out["z"] = z
    sign = np.sign(z)
    level = (np.abs(z) > 1).astype(int) + (np.abs(z) > 2) + (np.abs(z) > 3)
    n = len(z)
    finite = ~np.isnan(z)
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


# --------------------------------------------------------------------------------------------
# the checks
# --------------------------------------------------------------------------------------------

@dataclass
class RegionalAnomalyCheck:
    """Weekly revenue per region relative to the other regions, on XmR and EWMA charts.

    Alerts ``weekly_revenue`` per region with a signal in the month. A signal is critical only
    when it is also material: the month deviates by ``anomaly_critical`` or more *and* its revenue
    impact (the month's revenue minus what the region's usual level implies) is at least
    ``material_share`` of the company's revenue in the month and at least ``material_floor`` in
    money; otherwise it is a warning. The register row ``regional_deviation`` (not alerted) is
    amber at most for an immaterial region. Tables ``charts`` (region → chart frame) and
    ``anomalies`` (with ``revenue``, ``impact`` and ``impact_share``).
    """

    anomaly_amber: float = DEFAULTS["anomaly_amber"]
    anomaly_critical: float = DEFAULTS["anomaly_critical"]
    material_share: float = DEFAULTS["material_share"]
    material_floor: float = DEFAULTS["material_floor"]
    baseline_weeks: int = DEFAULTS["baseline_weeks"]
    ewma_lambda: float = DEFAULTS["ewma_lambda"]
    ewma_L: float = DEFAULTS["ewma_L"]
    rules: tuple[int, ...] = (1, 2, 3, 4)
    min_regions: int = 3
    #: share of the baseline weeks a region must have sold in to be charted: on the log scale a
    #: region that sells now and then swings from nothing to everything (a country with an order
    #: every few weeks read as +3,206 %), which no control limit describes
    min_active_weeks: float = 0.8

    name = "anomalies"

    def _too_few(self, n: int, *, steady: bool) -> Message:
        """Why the charts are skipped: fewer than ``min_regions`` regions (steady ones)."""
        if steady and not n:
            return Message("No region sells every week or nearly: regional control charts compare each "
                           "region with the others and need at least {min} such regions; skipped.",
                           min=self.min_regions)
        return Message(
            "Only {n} region(s) sell every week or nearly: regional control charts compare each region "
            "with the others and need at least {min}; skipped." if steady else
            "{n} region(s) in the orders: regional control charts compare each region with the "
            "others and need at least {min}; skipped.", n=n, min=self.min_regions)

    def __call__(self, inputs: RiskInputs) -> CheckResult:
        res = CheckResult(tables={"charts": {}, "anomalies": pd.DataFrame()})
        as_of = inputs.as_of
        end = as_of + pd.Timedelta(days=1)
        month = str(as_of.to_period("M"))
        weekly = inputs.frame("weekly_region")
        if weekly.empty or "region" not in weekly.columns:
            res.notes.append("No region in orders: regional control charts skipped.")
            return res
        m_start = as_of.to_period("M").to_timestamp()
        wide = weekly.pivot_table(index="period", columns="region", values="revenue",
                                  aggfunc="sum").sort_index()
        if wide.shape[1] < self.min_regions:
            res.notes.append(self._too_few(wide.shape[1], steady=False))
            return res
        idx = wide.index
        mon = (idx >= m_start) & (idx + pd.Timedelta(days=7) <= end)
        base = (idx < m_start) & (idx >= m_start - pd.Timedelta(weeks=self.baseline_weeks))
        keep = mon | base
        if base.sum() < 12 or not mon.any():
            res.notes.append("Too little weekly history for control charts.")
            return res
        active = (wide[base] > 0).mean()
        sparse = active[active < self.min_active_weeks].sort_values()
        if len(sparse):
            res.notes.append(Message(
                "{n} region(s) sold in fewer than {share} of the {weeks} baseline weeks ({examples}): "
                "weekly control charts need regular sales, so they are left out.", n=len(sparse),
                share=fmt.pct(self.min_active_weeks, decimals=0), weeks=int(base.sum()),
                examples=listing([f"{r} {fmt.pct(v, decimals=0)}" for r, v in sparse.items()], limit=5)))
            wide = wide.drop(columns=sparse.index)
            if wide.shape[1] < self.min_regions:
                res.notes.append(self._too_few(wide.shape[1], steady=True))
                return res
        y = peer_adjusted(wide[keep], baseline=base[keep])
        month_rev = wide[mon].sum()
        company = float(month_rev.clip(lower=0).sum())
        rows = []
        for region in y.columns:
            x = xmr(y[region], baseline=base[keep], rules=self.rules)
            e = ewma(y[region], baseline=base[keep], lam=self.ewma_lambda, L=self.ewma_L)
            x["ewma"], x["ewma_lcl"], x["ewma_ucl"] = e["ewma"], e["lcl"], e["ucl"]
            x["ewma_signal"] = e["signal"]
            x["in_month"] = mon[keep]
            res.tables["charts"][region] = x
            m = x[x["in_month"]]
            dev = float(np.exp(m["value"].mean() - x.loc[~x["in_month"], "value"].mean()) - 1)
            sig = bool(m["signal"].any() or m["ewma_signal"].any())
            flags = (x["signal"] | x["ewma_signal"]).tolist()
            first = _first_run_start(flags, list(x.index)) if flags[-1] else (
                m.index[(m["signal"] | m["ewma_signal"]).to_numpy()][0] if sig else None)
            rev = float(month_rev[region])
            impact = rev - rev / (1 + dev) if dev > -1 else rev
            share = abs(impact) / company if company > 0 else float("nan")
            material = bool(share >= self.material_share and abs(impact) >= self.material_floor)
            rows.append({"region": region, "weeks": int(len(m)),
                         "xmr_signals": int(m["signal"].sum()),
                         "beyond_3sigma": int(m["rule1"].sum()) if "rule1" in m else 0,
                         "ewma_signals": int(m["ewma_signal"].sum()),
                         "deviation": dev, "revenue": rev, "impact": impact,
                         "impact_share": share, "material": material, "signal": sig,
                         "first_seen": first})
            if sig:
                sev = "critical" if abs(dev) >= self.anomaly_critical and material else "warning"
                why = "" if material or abs(dev) < self.anomaly_critical else Message(
                    "; below materiality ({impact}, {share} of company revenue)",
                    impact=f"{abs(impact):,.0f}", share=fmt.pct(share, decimals=1))
                word = "above" if dev >= 0 else "below"
                res.alerts.append(Alert.new(
                    severity=sev, category="anomaly", metric="weekly_revenue",
                    entity=f"region:{region}", value=dev,
                    threshold=self.anomaly_critical if sev == "critical" else
                    float(np.exp(3 * x["sigma"].iloc[0]) - 1),
                    first_seen=first or as_of,
                    message=Message.join("", [Message(
                        "{region}: weekly revenue {dev} above its usual level relative to other "
                        "regions in {month} ({what})"
                        if word == "above" else
                        "{region}: weekly revenue {dev} below its usual level relative to other "
                        "regions in {month} ({what})",
                        region=Verbatim(region), dev=fmt.pct(abs(dev), decimals=0), month=month,
                        what=signal_words(x, x["in_month"].to_numpy(), unit="week")), why])))
        anomalies = pd.DataFrame(rows).sort_values("deviation", key=np.abs, ascending=False,
                                                   ignore_index=True)
        res.tables["anomalies"] = anomalies
        flagged = anomalies[anomalies["signal"]]
        if len(anomalies):
            # no region signalled: the row is about the regions as a whole (0), not the region with
            # the largest unsignalled deviation (Online Retail read "region: EIRE, 0.0 %")
            top = flagged.iloc[0] if len(flagged) else None
            res.indicators.append(Indicator(
                "anomaly", "regional_deviation", abs(float(top["deviation"])) if top is not None else 0.0,
                amber=self.anomaly_amber, red=self.anomaly_critical,
                entity=f"region:{top['region']}" if top is not None else "regions", unit="pct",
                first_seen=(top["first_seen"] if top is not None else None) or as_of,
                description="Largest deviation of a region with a control-chart signal",
                alert=False, max_rag=None if top is not None and top["material"] else "amber"))
        return res


@dataclass
class WinRateCheck:
    """The company's monthly win rate on an XmR chart (alert ``win_rate`` on a signal this month).

    Table ``win_rate_chart``.
    """

    rules: tuple[int, ...] = (1, 2, 3, 4)
    min_months: int = 13

    name = "win_rate"

    def __call__(self, inputs: RiskInputs) -> CheckResult:
        res = CheckResult(tables={"win_rate_chart": pd.DataFrame()})
        month = str(inputs.as_of.to_period("M"))
        wrm = labelled(inputs.frame("win_rate"), "M")
        if len(wrm) < self.min_months:  # the page says which of the two it is
            res.tables["win_rate_chart"].attrs["note"] = (
                Message("No opportunities table: win-rate chart skipped.") if not inputs.has("open_deals") else
                Message("{n} months of closed deals, fewer than the {min} a control chart needs: win-rate "
                        "chart skipped.", n=len(wrm), min=self.min_months))
            return res
        wrm = wrm.sort_values("period")
        mask = (wrm["period"] < month).to_numpy()
        chart = xmr(wrm.set_index("period")["win_rate"], baseline=mask, rules=self.rules)
        res.tables["win_rate_chart"] = chart
        last = chart.iloc[-1]
        if wrm["period"].iloc[-1] == month and bool(last["signal"]):
            at = np.zeros(len(chart), dtype=bool)
            at[-1] = True
            res.alerts.append(Alert.new(
                severity="warning", category="anomaly", metric="win_rate", entity="company",
                value=float(last["value"]),
                threshold=float(last["lcl"] if last["z"] < 0 else last["ucl"]),
                first_seen=inputs.as_of,
                message=Message("Win rate {value} in {month} is above its usual level of {centre} ({what})"
                                if last["z"] > 0 else
                                "Win rate {value} in {month} is below its usual level of {centre} ({what})",
                                value=fmt.pct(last['value'], decimals=0), month=month,
                                centre=fmt.pct(last['center'], decimals=0),
                                what=signal_words(chart, at, unit="month"))))
        return res


#: the plain words of Western Electric rules 2-4 (docs/alerts.md says which is which), by point and side
_WORDS: dict[tuple[str, int, str], str] = {
    ("week", 2, "above"): "2 of 3 weeks well above the usual level",
    ("week", 2, "below"): "2 of 3 weeks well below the usual level",
    ("week", 3, "above"): "4 of 5 weeks above the usual level",
    ("week", 3, "below"): "4 of 5 weeks below the usual level",
    ("week", 4, "above"): "{n} weeks in a row above the usual level",
    ("week", 4, "below"): "{n} weeks in a row below the usual level",
    ("month", 2, "above"): "2 of 3 months well above the usual level",
    ("month", 2, "below"): "2 of 3 months well below the usual level",
    ("month", 3, "above"): "4 of 5 months above the usual level",
    ("month", 3, "below"): "4 of 5 months below the usual level",
    ("month", 4, "above"): "{n} months in a row above the usual level",
    ("month", 4, "below"): "{n} months in a row below the usual level",
}


def _run_length(z: np.ndarray, i: int) -> int:
    """How many points up to ``i`` lie in a row on the side of the centre line that ``i`` is on."""
    n = 0
    while i - n >= 0 and np.isfinite(z[i - n]) and np.sign(z[i - n]) == np.sign(z[i]) != 0:
        n += 1
    return n


def signal_words(chart: pd.DataFrame, at: np.ndarray, *, unit: str = "week") -> Message:
    """What fired on the points ``at`` of an :func:`xmr` chart (with its ``ewma_signal`` when it has
    one), in words a leader reads: "8 weeks in a row above the usual level; one week far outside the
    usual range". The rules' names stay in docs/alerts.md, which says which words are which rule.

    Parameters
    ----------
    chart : DataFrame
        :func:`xmr`'s output (``z``, ``rule1``…), optionally with ``ewma_signal`` and ``ewma``.
    at : boolean array
        The points to describe (the report month's weeks; the last month).
    unit : {"week", "month"}
        What one point is.
    """
    z = chart["z"].to_numpy(dtype=float)
    at = np.asarray(at, dtype=bool)
    weeks = unit == "week"
    parts: list[Message] = []

    def side(rule: str) -> str:
        i = int(np.flatnonzero(at & chart[rule].to_numpy(dtype=bool))[0])
        return "above" if z[i] > 0 else "below"

    hits = {r: int((at & chart[f"rule{r}"].to_numpy(dtype=bool)).sum()) if f"rule{r}" in chart else 0
            for r in (1, 2, 3, 4)}
    # the strongest evidence only: a run of 8 or a point far out already says what 2 of 3 (or 4 of
    # 5) points would, and the EWMA's slow shift is news only when no point rule fired
    if hits[1]:
        n, up = hits[1], side("rule1") == "above"
        parts.append((Message("{n} weeks far above the usual range", n=n) if up else
                      Message("{n} weeks far below the usual range", n=n)) if weeks and n > 1 else
                     (Message("one week far above the usual range") if up else
                      Message("one week far below the usual range")) if weeks else
                     Message("this month far above the usual range") if up else
                     Message("this month far below the usual range"))
    if hits[4]:
        last = int(np.flatnonzero(at & chart["rule4"].to_numpy(dtype=bool))[-1])
        parts.append(Message(_WORDS[unit, 4, side("rule4")], n=_run_length(z, last)))
    for r in (2, 3):
        if hits[r] and not parts:
            parts.append(Message(_WORDS[unit, r, side(f"rule{r}")]))
    if "ewma_signal" in chart and not parts:
        e = at & chart["ewma_signal"].to_numpy(dtype=bool)
        if e.any():
            up = chart["ewma"].to_numpy(dtype=float)[e][0] > chart["center"].to_numpy(dtype=float)[e][0]
            parts.append(Message("a sustained shift above the usual level in {n} of the month's weeks" if up
                                 else "a sustained shift below the usual level in {n} of the month's weeks",
                                 n=int(e.sum())))
    return Message.join("; ", parts)
