"""Month over month: this month's published results against the previous good month's.

The pack remembers: ``reports/<month>/`` folders of earlier good runs hold what they published
(``<notebook>.results.json``, ``05_risk_monitoring.alerts.json``). :func:`compare` reads this month's
folder and the previous good month's and returns

- **KPI deltas**: revenue (month, quarter and year to date), attainment, the quarter forecast and
  P(hit), coverage, win rate, NRR, customers and revenue at risk, alert counts — each now, before,
  and the change;
- **alerts** new, persisting (with a severity change) or resolved, by their stable alert id;
- **coaching moves**: reps joining or leaving the coaching list of the performance review;
- **a forecast-accuracy track** over every good month available: each month's forecast of the next
  month's revenue (03's company forecast, with its 80 % interval) against what was booked, and each
  quarter forecast (05's expected quarter revenue and P(hit)) against the quarter's outcome once the
  quarter is complete (pending until then); summarised as the mean absolute percentage error, the
  share of months inside the 80 % interval and the Brier score of P(hit).

A missing previous month is a note (``MonthOverMonth.note``), not an error. Figures are read through
:mod:`salesnb.summary` (declared keys only), so they are the numbers of the detail pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from salesnb import fmt, summary
from salesnb.constants import SEVERITY_ORDER
from salesnb.i18n import t
from salesnb.periods import fiscal_quarter
from salesnb.report.results import RunResults, load_results

__all__ = ["MonthOverMonth", "compare", "good_months", "previous_good_month", "show_risk_changes",
           "show_summary_section"]

ALERTS_FILE = "05_risk_monitoring.alerts.json"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SEVERITY = SEVERITY_ORDER

#: (figure of salesnb.summary.SOURCES or a special, unit)
KPIS: tuple[tuple[str, str], ...] = (
    ("revenue_mtd", "money"), ("attain_mtd", "pct"), ("revenue_qtd", "money"), ("attain_qtd", "pct"),
    ("revenue_ytd", "money"), ("forecast_mean", "money"), ("p_hit", "pct"), ("coverage", "ratio"),
    ("win_rate", "pct"), ("nrr", "pct"), ("at_risk_n", "count"), ("at_risk_value", "money"),
    ("alerts_critical", "count"), ("alerts_warning", "count"),
)



def _t(lang: str, key: str, **kw: Any) -> str:
    return t(f"mom.{key}", "zh-CN" if lang == "zh-CN" else "en", **kw)


# ------------------------------------------------------------------------------------ months
def _good(folder: Path) -> bool:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["status"] == "ok"
    except (OSError, ValueError, KeyError, TypeError):
        return False


def good_months(reports: str | Path, *, before: str | None = None) -> list[str]:
    """Good months published in ``reports`` (oldest first), only those before ``before`` if given."""
    reports = Path(reports)
    if not reports.is_dir():
        return []
    out = sorted(p.name for p in reports.iterdir() if _MONTH.match(p.name) and p.is_dir()
                 and not p.is_symlink() and _good(p))
    return [m for m in out if before is None or m < before]


def previous_good_month(reports: str | Path, month: str) -> str | None:
    """The newest good month before ``month`` in ``reports``, or ``None``."""
    months = good_months(reports, before=month)
    return months[-1] if months else None


# ------------------------------------------------------------------------------------ reading
def _load(folder: Path, month: str) -> RunResults:
    return load_results(folder, month=month)


def _figure(run: RunResults, figure: str, month: str) -> float | None:
    r, s = run.results, run.status
    if figure == "p_hit":
        mean = summary.lookup(r, s, "forecast_mean")
        f = summary._p_hit(r, s, "en", notebook=mean.notebook if mean.ok else None)
    elif figure == "coverage":
        fys = summary.fiscal_year_start_of(r)
        f = summary.lookup(r, s, "coverage", convert=lambda rows: summary.coverage_total(
            rows, month=month, fiscal_year_start=fys))
    elif figure.startswith("alerts_"):
        counts = r.get("05_risk_monitoring", {}).get("alerts")
        v = counts.get(figure.split("_", 1)[1]) if isinstance(counts, Mapping) else None
        return float(v) if isinstance(v, (int, float)) else None
    else:
        f = summary.lookup(r, s, figure)
    return float(f.value) if f.ok else None


def _alerts(folder: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((folder / ALERTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    items = data.get("alerts", data) if isinstance(data, dict) else data
    return {str(a["id"]): a for a in items if isinstance(a, Mapping) and a.get("id")}


def _coaching(run: RunResults) -> set[str] | None:
    rows = run.results.get("02_performance_review", {}).get("coaching")
    if not isinstance(rows, list):
        return None
    return {str(r["rep_id"]) for r in rows if isinstance(r, Mapping) and r.get("rep_id")}


def _revenue_forecast(run: RunResults, period: str) -> dict[str, float] | None:
    rows = run.results.get("03_market_trends", {}).get("forecast")
    if not isinstance(rows, list):
        return None
    for r in rows:
        if isinstance(r, Mapping) and str(r.get("period")) == period and str(r.get("series")) == "Company":
            return {k: float(r[k]) for k in ("mean", "lo80", "hi80") if isinstance(r.get(k), (int, float))}
    return None


def _quarter_forecast(run: RunResults) -> dict[str, Any] | None:
    """The quarter forecast the summary showed: 05's P(miss), else 03's trend forecast (no pipeline)."""
    pm = run.results.get("05_risk_monitoring", {}).get("p_miss")
    if not isinstance(pm, Mapping) or not isinstance(pm.get("expected"), (int, float)):
        tq = run.results.get("03_market_trends", {}).get("forecast_quarter")
        if not isinstance(tq, Mapping) or not isinstance(tq.get("expected"), (int, float)):
            return None
        return {**tq, "p10": tq.get("lo80"), "p90": tq.get("hi80")}
    if pm.get("remaining_months") == 0:  # made at the quarter's end: nothing left to forecast
        return None
    return dict(pm)


# ------------------------------------------------------------------------------------ compare
@dataclass
class MonthOverMonth:
    """What :func:`compare` found (frames are empty when there is nothing to compare)."""

    month: str
    previous: str | None
    note: str
    kpis: pd.DataFrame = field(default_factory=pd.DataFrame)
    alerts: pd.DataFrame = field(default_factory=pd.DataFrame)
    coaching: pd.DataFrame = field(default_factory=pd.DataFrame)
    track: pd.DataFrame = field(default_factory=pd.DataFrame)
    accuracy: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """A JSON-able summary for ``sn.publish`` (declared as ``month_over_month``)."""
        counts = self.alerts["status"].value_counts().to_dict() if len(self.alerts) else {}
        return {
            "previous": self.previous,
            "kpis": self.kpis.to_dict(orient="records"),
            "alerts": {k: int(counts.get(k, 0)) for k in ("new", "persisting", "resolved")},
            "coaching": {k: sorted(self.coaching.loc[self.coaching.status == k, "rep_id"])
                         if len(self.coaching) else [] for k in ("joined", "left", "stays")},
            "accuracy": self.accuracy,
        }


def compare(current: str | Path, *, month: str, reports: str | Path | None = None,
            lang: str = "en") -> MonthOverMonth:
    """Compare the results in ``current`` (this month's run folder) with the previous good month.

    Parameters
    ----------
    current : path
        The folder holding this month's ``results.json`` files (the run's build folder while the
        pack runs, or ``reports/<month>``).
    month : str
        This month, ``YYYY-MM``.
    reports : path, optional
        The reports folder holding earlier months; default: ``current``'s parent.
    lang : str
        ``"en"`` or ``"zh-CN"`` for the note.
    """
    current = Path(current)
    reports = Path(reports) if reports is not None else current.parent
    prev = previous_good_month(reports, month)
    now = _load(current, month)
    track, accuracy = forecast_track(current, month=month, reports=reports)
    if prev is None:
        return MonthOverMonth(month, None, _t(lang, "none"), track=track,
                              accuracy=accuracy)
    before = _load(reports / prev, prev)
    gap = pd.Period(month, freq="M") - pd.Period(prev, freq="M")
    note = _t(lang, "first" if gap.n == 1 else "gap", prev=prev)
    return MonthOverMonth(month, prev, note, kpis=kpi_deltas(now, before, month=month, previous=prev),
                          alerts=alert_changes(_alerts(current), _alerts(reports / prev)),
                          coaching=coaching_moves(_coaching(now), _coaching(before)),
                          track=track, accuracy=accuracy)


def kpi_deltas(now: RunResults, before: RunResults, *, month: str, previous: str) -> pd.DataFrame:
    """Each KPI of :data:`KPIS` now and before, with the change (absolute; relative for amounts).

    Quarter-to-date figures are compared only within one quarter, year-to-date ones within one year
    (a new quarter starts from zero), both fiscal (the run's ``fiscal_year_start``); coverage is the
    current quarter's in both months.
    """
    p_now, p_before = pd.Period(month, freq="M"), pd.Period(previous, freq="M")
    fys = summary.fiscal_year_start_of(now.results)
    rows = []
    for fig, unit in KPIS:
        if fig.endswith("_qtd") and fiscal_quarter(p_now, fys) != fiscal_quarter(p_before, fys):
            continue
        if fig.endswith("_ytd") and (p_now - fys + 1).year != (p_before - fys + 1).year:
            continue
        a = _figure(now, fig, month)
        b = _figure(before, fig, month if fig == "coverage" else previous)
        if a is None and b is None:
            continue
        change = a - b if a is not None and b is not None else None
        rel = change / abs(b) if change is not None and b and unit in ("money", "count") else None
        rows.append({"figure": fig, "unit": unit, "now": a, "before": b, "change": change,
                     "change_pct": rel})
    return pd.DataFrame(rows, columns=["figure", "unit", "now", "before", "change", "change_pct"])


def alert_changes(now: Mapping[str, Mapping[str, Any]],
                  before: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """Alerts by id: ``new`` (only now), ``persisting`` (both; ``change`` says more/less severe) or
    ``resolved`` (only before). Sorted by status, then severity (critical first)."""
    rows = []
    for aid in sorted(set(now) | set(before)):
        a, b = now.get(aid), before.get(aid)
        status = "new" if b is None else "resolved" if a is None else "persisting"
        cur = a or b
        sev, sev_b = (a or {}).get("severity"), (b or {}).get("severity")
        change = ""
        if a is not None and b is not None and sev != sev_b:
            change = "worse" if SEVERITY.get(sev, 0) > SEVERITY.get(sev_b, 0) else "better"
        rows.append({"id": aid, "status": status, "severity": sev or "", "severity_before": sev_b or "",
                     "change": change, "message": str(cur.get("message", ""))})
    df = pd.DataFrame(rows, columns=["id", "status", "severity", "severity_before", "change", "message"])
    order = {"new": 0, "persisting": 1, "resolved": 2}
    if len(df):
        df = df.assign(_o=df.status.map(order), _s=-(df.severity.where(df.severity != "", df.severity_before)
                                                     .map(SEVERITY).fillna(0)))
        df = df.sort_values(["_o", "_s", "id"]).drop(columns=["_o", "_s"]).reset_index(drop=True)
    return df


def coaching_moves(now: set[str] | None, before: set[str] | None) -> pd.DataFrame:
    """Reps that ``joined``, ``left`` or ``stays`` on the coaching list (empty if either is unknown)."""
    if now is None or before is None:
        return pd.DataFrame(columns=["rep_id", "status"])
    rows = [{"rep_id": r, "status": "joined" if r not in before else "left" if r not in now else "stays"}
            for r in sorted(now | before)]
    return pd.DataFrame(rows, columns=["rep_id", "status"])


def forecast_track(current: str | Path, *, month: str, reports: str | Path | None = None
                   ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Every forecast of a later month or quarter made by the good months available, against what
    happened; and a summary (MAPE, share inside 80 %, Brier score of P(hit)). See the module doc."""
    current = Path(current)
    reports = Path(reports) if reports is not None else current.parent
    months = [m for m in good_months(reports, before=month)]
    runs = {m: _load(reports / m, m) for m in months}
    runs[month] = _load(current, month)
    order = sorted(runs)
    rows: list[dict[str, Any]] = []
    for i, m in enumerate(order[1:], start=1):  # revenue: the previous month's forecast of m
        f = order[i - 1]
        fc = _revenue_forecast(runs[f], m)
        actual = _figure(runs[m], "revenue_mtd", m)
        if fc and "mean" in fc:
            err = actual - fc["mean"] if actual is not None else None
            rows.append({"kind": "revenue", "made_in": f, "period": m, "forecast": fc["mean"],
                         "lo80": fc.get("lo80"), "hi80": fc.get("hi80"), "actual": actual, "error": err,
                         "error_pct": err / actual if err is not None and actual else None,
                         "inside_80": (bool(fc["lo80"] <= actual <= fc["hi80"])
                                       if actual is not None and "lo80" in fc and "hi80" in fc else None),
                         "p_hit": None, "hit": None, "status": "checked" if actual is not None else "pending"})
    for f in order:  # quarters: resolved by the report of the quarter's last month
        q = _quarter_forecast(runs[f])
        if q is None:
            continue
        quarter = str(q.get("quarter") or pd.Period(f, freq="M").asfreq("Q"))
        # the quarter's last month as published (fiscal quarters); results of older runs named
        # calendar quarters only
        last = str(q.get("last_month") or pd.Period(quarter, freq="Q").asfreq("M", how="end"))
        p_hit = 1.0 - float(q["p_miss"]) if isinstance(q.get("p_miss"), (int, float)) else None
        actual = _figure(runs[last], "revenue_qtd", last) if last in runs and last > f else None
        target = q.get("target") if isinstance(q.get("target"), (int, float)) else None
        hit = bool(actual >= target) if actual is not None and target is not None else None
        err = actual - float(q["expected"]) if actual is not None else None
        rows.append({"kind": "quarter", "made_in": f, "period": quarter, "forecast": float(q["expected"]),
                     "lo80": q.get("p10"), "hi80": q.get("p90"), "actual": actual, "error": err,
                     "error_pct": err / actual if err is not None and actual else None,
                     "inside_80": (bool(q["p10"] <= actual <= q["p90"]) if actual is not None
                                   and isinstance(q.get("p10"), (int, float)) else None),
                     "p_hit": p_hit, "hit": hit, "status": "checked" if actual is not None else "pending"})
    cols = ["kind", "made_in", "period", "forecast", "lo80", "hi80", "actual", "error", "error_pct",
            "inside_80", "p_hit", "hit", "status"]
    track = pd.DataFrame(rows, columns=cols)
    rev = track[(track.kind == "revenue") & (track.status == "checked")]
    qtr = track[track.kind == "quarter"]
    done = qtr[qtr.status == "checked"]
    briers = [(p - float(h)) ** 2 for p, h in zip(done.p_hit, done.hit, strict=True)
              if p is not None and h is not None]
    accuracy = {
        "months_checked": int(len(rev)),
        "mape": float(np.mean(np.abs(rev.error_pct.astype(float)))) if len(rev) else None,
        "inside_80": float(rev.inside_80.astype(float).mean()) if len(rev) else None,
        "quarters_checked": int(len(done)),
        "quarters_pending": int((qtr.status == "pending").sum()),
        "brier_p_hit": float(np.mean(briers)) if briers else None,
    }
    return track, accuracy


# ------------------------------------------------------------------------------------ display
def _fmt(v: Any, unit: str, *, signed: bool = False) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    if unit == "money":
        s = fmt.money(abs(v) if signed else v)
        return (("+" if v >= 0 or s == fmt.money(0) else "−") + s) if signed else s
    if unit == "pct":
        return fmt.points(v, decimals=1) if signed else fmt.pct(v, decimals=1)
    if unit == "ratio":  # never a negative zero: "-0.00" reads "+0.00"
        return f"{v:+.2f}×".replace("-0.00×", "+0.00×") if signed else f"{v:.2f}×"
    return ("+" + fmt.number(v) if fmt.number(v) == "0" else f"{v:+,.0f}") if signed else f"{v:,.0f}"


def kpi_table(m: MonthOverMonth, *, lang: str = "en") -> pd.DataFrame:
    """The KPI deltas formatted for leaders (labels in ``lang``)."""
    rows = []
    for r in m.kpis.to_dict(orient="records"):
        change = _fmt(r["change"], r["unit"], signed=True) if r["change"] is not None else "–"
        if r["change_pct"] is not None and not np.isnan(r["change_pct"]):
            change += f" ({fmt.pct(r['change_pct'], signed=True)})"
        label = _t(lang, "p_hit_kpi" if r["figure"] == "p_hit" else r["figure"])
        rows.append({_t(lang, "figure"): label, _t(lang, "now"): _fmt(r["now"], r["unit"]),
                     _t(lang, "before"): _fmt(r["before"], r["unit"]), _t(lang, "change"): change})
    return pd.DataFrame(rows)


def alert_table(m: MonthOverMonth, *, lang: str = "en", top: int = 15) -> pd.DataFrame:
    """New, more severe and resolved alerts (persisting ones unchanged are counted, not listed)."""
    a = m.alerts
    if not len(a):
        return pd.DataFrame()
    show = a[(a.status != "persisting") | (a.change != "")].head(top)
    return pd.DataFrame({
        _t(lang, "status"): [_t(lang, s) + (f" ({_t(lang, c)})" if c else "")
                             for s, c in zip(show.status, show.change, strict=True)],
        _t(lang, "severity"): [_t(lang, v) if v in SEVERITY else v
                               for v in show.severity.where(show.severity != "", show.severity_before)],
        _t(lang, "message"): show.message.tolist(),
    })


def track_table(m: MonthOverMonth, *, lang: str = "en") -> pd.DataFrame:
    t = m.track
    if not len(t):
        return pd.DataFrame()
    yn = {True: _t(lang, "yes"), False: _t(lang, "no")}
    return pd.DataFrame({
        _t(lang, "kind"): [_t(lang, k) for k in t.kind], _t(lang, "made_in"): t.made_in.tolist(),
        _t(lang, "period"): t.period.tolist(),
        _t(lang, "forecast"): [_fmt(v, "money") for v in t.forecast],
        _t(lang, "lo80"): [_fmt(v, "money") for v in t.lo80], _t(lang, "hi80"): [_fmt(v, "money") for v in t.hi80],
        _t(lang, "actual"): [_fmt(v, "money") if v is not None and not pd.isna(v) else _t(lang, "pending")
                             for v in t.actual],
        _t(lang, "error_pct"): [fmt.pct(v, signed=True) if v is not None and not pd.isna(v) else "–"
                                for v in t.error_pct],
        _t(lang, "inside_80"): [yn.get(v, "–") if v is not None and not pd.isna(v) else "–" for v in t.inside_80],
        _t(lang, "p_hit"): [_fmt(v, "pct") for v in t.p_hit],
        _t(lang, "hit"): [yn.get(v, "–") if v is not None and not pd.isna(v) else "–" for v in t.hit],
    })


def track_sentences(m: MonthOverMonth, *, lang: str = "en") -> list[str]:
    acc = m.accuracy
    if not len(m.track):
        return [_t(lang, "track.none")]
    out = []
    if acc.get("months_checked"):
        out.append(_t(lang, "track.summary", n=acc["months_checked"], mape=f"{acc['mape'] * 100:.1f} %",
                      inside=f"{acc['inside_80'] * 100:.0f} %"))
    if acc.get("quarters_checked"):
        brier = f"{acc['brier_p_hit']:.3f}" if acc.get("brier_p_hit") is not None else "–"
        out.append(_t(lang, "track.quarter", n=acc["quarters_checked"], brier=brier,
                      pending=acc["quarters_pending"]))
    elif acc.get("quarters_pending"):
        out.append(_t(lang, "track.quarter_none", pending=acc["quarters_pending"]))
    return out


def _show(df: pd.DataFrame) -> None:
    import salesnb as sn

    sn.show_table(df, labels=False)


def show_summary_section(ctx: Any, *, lang: str = "en") -> MonthOverMonth:
    """The executive summary's month-over-month section (one notebook cell); publishes
    ``month_over_month``. Returns the comparison."""
    import salesnb as sn

    m = compare(ctx.out, month=ctx.month, reports=_reports(ctx), lang=lang)
    sn.heading(_t(lang, "h"))
    sn.note(m.note, kind="info" if m.previous else "warning")
    if m.previous:
        sn.heading(_t(lang, "h.kpis", prev=m.previous), 3)
        _show(kpi_table(m, lang=lang))
        sn.heading(_t(lang, "h.alerts", prev=m.previous), 3)
        _alerts_block(m, lang)
        sn.heading(_t(lang, "h.coaching"), 3)
        moves = m.coaching[m.coaching.status != "stays"] if len(m.coaching) else m.coaching
        if len(moves):
            _show(pd.DataFrame({_t(lang, "rep"): moves.rep_id.tolist(),
                                _t(lang, "status"): [_t(lang, s) for s in moves.status]}))
        else:
            sn.note(_t(lang, "coach.none"))
    sn.heading(_t(lang, "h.track"), 3)
    for s in track_sentences(m, lang=lang):
        sn.note(s)
    if len(m.track):
        _show(track_table(m, lang=lang))
    sn.publish("month_over_month", m.as_json())
    return m


def _alerts_block(m: MonthOverMonth, lang: str) -> None:
    import salesnb as sn

    a = m.alerts
    if not len(a):
        sn.note(_t(lang, "alerts.none"))
        return
    c = a.status.value_counts()
    sn.note(_t(lang, "alerts.counts", new=int(c.get("new", 0)), persisting=int(c.get("persisting", 0)),
               worse=int((a.change == "worse").sum()), resolved=int(c.get("resolved", 0))))
    table = alert_table(m, lang=lang)
    if len(table):
        _show(table)


def show_risk_changes(ctx: Any, *, lang: str | None = None) -> MonthOverMonth:
    """The risk page's month-over-month cell: alerts new, persisting, resolved against the previous
    good month; publishes ``alert_changes``. Returns the comparison."""
    import salesnb as sn

    lang = lang or getattr(ctx, "lang", "en")
    m = compare(ctx.out, month=ctx.month, reports=_reports(ctx), lang=lang)
    sn.heading(_t(lang, "h.alerts", prev=m.previous) if m.previous else _t(lang, "h.alerts.none"), 3)
    if m.previous is None:
        sn.note(m.note, kind="warning")
    else:
        _alerts_block(m, lang)
    counts = m.alerts["status"].value_counts().to_dict() if len(m.alerts) else {}
    sn.publish("alert_changes", {"previous": m.previous,
                                 **{k: int(counts.get(k, 0)) for k in ("new", "persisting", "resolved")},
                                 "new_ids": m.alerts.loc[m.alerts.status == "new", "id"].tolist()
                                 if len(m.alerts) else [],
                                 "resolved_ids": m.alerts.loc[m.alerts.status == "resolved", "id"].tolist()
                                 if len(m.alerts) else []})
    return m


def _reports(ctx: Any) -> Path:
    """Where earlier months are: beside the run's folder (``reports/.build-<month>-*`` while the runner
    builds it, ``reports/<month>``), else (``reports/interactive/<month>``) the project's reports."""
    out = Path(ctx.out)
    if out.name.startswith(".build-") or (_MONTH.match(out.name) and out.parent.name != "interactive"):
        return out.parent
    from salesnb.context import project_root

    return project_root() / "reports"
