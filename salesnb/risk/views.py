"""Page helpers for notebook 05: the frames and captions a section shows, so cells stay short.

Pure functions over the :class:`~salesnb.risk.RiskReport` tables; no I/O, no printing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from salesnb.constants import leading
from salesnb.i18n import Message, Verbatim, listing
from salesnb.periods import quarter_label
from salesnb.risk.pipeline import quarter_window

__all__ = ["alert_tables", "anomaly_view", "concentration_last", "creep_view", "deal_summary",
           "deal_view", "departed_view", "forecast_run_rate", "high_value_at_risk", "miss_table",
           "overdue_segments", "p_alive_or_note", "win_rates_view"]


def forecast_run_rate(monthly: pd.DataFrame, *, as_of: Any, enabled: bool = True, pipeline: bool = True,
                      min_months: int = 24, fiscal_year_start: int = 1) -> tuple[tuple[float, float] | None, str]:
    """Non-pipeline run-rate for the rest of the quarter from :func:`salesnb.trends.auto_forecast`.

    Returns ``((sum, sd), note)``; ``(None, note)`` when disabled, when the quarter has no month
    left or with fewer than ``min_months`` months (the check then uses the seasonal-naive rule).
    The quarter is the fiscal one (``fiscal_year_start``), as in :class:`salesnb.risk.PipelineCheck`.
    ``pipeline=False`` (no open deals: the run-rate, which only feeds P(miss), has nothing to be
    added to) gives ``(None, "")``: nothing is forecast, nothing said.
    """
    quarter, _, remaining = quarter_window(as_of, fiscal_year_start=fiscal_year_start)
    if not enabled or not pipeline:
        return None, ""
    if not remaining or monthly is None or len(monthly) < min_months:
        return None, Message("Non-pipeline run-rate: {n} months of history, fewer than the {min} "
                             "the forecaster needs; the seasonal-naive rule is used.",
                             n=len(monthly) if monthly is not None else 0, min=min_months)
    from salesnb import fmt
    from salesnb.trends import PredictionResults, auto_forecast, model_words

    y = monthly.set_index(pd.PeriodIndex(monthly["period"], freq="M"))
    y = (y["revenue"] - y["won_amount"]).clip(lower=0)
    fc = auto_forecast(y, remaining)
    # the spread of the quarter's remaining months from the forecast's own distribution (per-horizon
    # variances and the error correlation its backtest measured), not back-computed from a band
    total = PredictionResults.from_frame(fc).sum_distribution()
    rr = (float(total.mean), float(total.sd))
    return rr, Message("Non-pipeline run-rate for the rest of {quarter}: {amount} ({model}).",
                       quarter=Verbatim(quarter_label(quarter, fiscal_year_start)),
                       amount=fmt.money(rr[0], compact=True),
                       model=model_words(fc.attrs.get("model"), form="sentence",
                                         season_length=fc.attrs.get("season_length")))


def customers_at_risk_reason(report) -> str:
    """Why the customers at risk are not published ("" when they are): the customer check's note
    when it found no buying rhythm to be overdue against, or that there is no customer data."""
    cust = report.customers
    if cust.attrs.get("unmeasurable") or cust.empty:
        return report.notes_of("customers") or Message("No customer data: customer risk skipped.")
    return ""


def p_alive_or_note(now: pd.DataFrame, prev: pd.DataFrame) -> tuple[pd.DataFrame | None, str]:
    """:func:`salesnb.risk.p_alive_change`, or ``None`` and the reason when the model cannot be used."""
    from salesnb.risk.customers import p_alive_change

    if len(now) < 50 or len(prev) < 50:
        return None, Message("P(alive) not used: fewer than 50 customers to fit the BG/NBD model; "
                             "customer risk uses purchase intervals only.")
    try:
        pa = p_alive_change(now, prev)
        if pa.attrs.get("problems"):  # the page of customer segmentation refuses it for the same reasons
            return None, Message("P(alive) not used: {plain}; customer risk uses purchase intervals only. "
                                 "Technical detail for analysts: {why}.", plain=pa.attrs["plain"],
                                 why=Message.join("; ", pa.attrs["problems"]))
        return pa, ""
    except (ValueError, RuntimeError, FloatingPointError, np.linalg.LinAlgError) as e:
        return None, Message("P(alive) not used: the BG/NBD fit failed ({error}); customer risk "
                             "uses purchase intervals only.", error=Verbatim(e))


def concentration_last(concentration: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The last window of every dimension of :func:`salesnb.risk.concentration`, one row each."""
    cols = ["n_entities", "hhi", "hhi_low", "hhi_high", "top1", "top5", "top10", "status"]
    rows = [{"dimension": d, **c.iloc[-1][[k for k in cols if k in c]].to_dict()}
            for d, c in concentration.items()]
    return pd.DataFrame(rows)


def miss_table(miss: Mapping[str, Any]) -> pd.DataFrame:
    """The quarter's forecast and its P(miss) as a one-row table for the page, ``attrs["caption"]``
    its caption. Without a target (``p_miss`` None) the forecast alone: no target, no P(miss)."""
    df = pd.DataFrame([{
        "quarter": miss["quarter"], "target": miss["target"], "booked": miss["booked"],
        "expected pipeline wins": miss["expected_pipeline"],
        "expected run-rate": miss["expected_run_rate"], "expected": miss["expected"], "P10": miss["p10"],
        "P50": miss["p50"], "P90": miss["p90"], "P(miss)": miss["p_miss"]}])
    if miss.get("p_miss") is None:
        df = df.drop(columns=["target", "P(miss)"])
        df.attrs["caption"] = Message("The quarter's forecast from the pipeline: what is already won, the open "
                                      "deals × their P(won within the quarter) and the run-rate (no target to "
                                      "measure it against)")
    else:
        df.attrs["caption"] = Message("Probability of missing the quarter")
    lead = miss.get("largest_deals")
    if leading(lead):  # a mean that stands or falls with one deal or a few
        from salesnb import fmt

        shown = Message.join(", ", [Message("{deal}: {amount} × {p}", deal=Verbatim(str(d["opportunity_id"])),
                                            amount=fmt.money(d["amount"]), p=fmt.pct(d["p"], decimals=0))
                                    for d in lead["deals"]])
        df.attrs["caption"] = Message.join("; ", [df.attrs["caption"], Message(
            "{share} of the expected pipeline wins rest on {n} of the {total} open deals with an amount ({deals}), so the "
            "expected total stands or falls with them and P50 is the likelier quarter",
            share=fmt.pct(lead["share"], decimals=0), n=len(lead["deals"]), total=lead["open_deals"],
            deals=shown)])
    return df


_DEALS = {
    "stalled": ("Stalled deals", ["days_in_stage", "threshold_days"]),
    "slipped": ("Slipped deals", ["past_due", "pushed", "days_past_due"]),
    "inactive": ("Deals without recent activity", ["days_inactive"]),
}


def deal_summary(deals: pd.DataFrame) -> dict[str, float]:
    """``count`` and ``amount`` of a deal list (for results.json)."""
    return {"count": int(len(deals)),
            "amount": float(deals["amount"].sum()) if len(deals) else 0.0}


def deal_view(deals: pd.DataFrame, kind: str, *, top_n: int = 15) -> dict[str, Any]:
    """Keyword arguments of ``sn.show_table`` for a deal list (``stalled``/``slipped``/``inactive``).

    An empty list gives no table of headers but a sentence (``empty``): "none" when the list was
    checked, what it needs when it could not be (``attrs["unmeasurable"]``, set by
    :class:`salesnb.risk.PipelineCheck`: no stage history, close dates or activity dates).
    Deals in several pipelines (``attrs["pipelines"]``): each deal's ``pipeline_name`` before
    its stage."""
    from salesnb import fmt

    title, extra = _DEALS[kind]
    pipe = ["pipeline"] if deals.attrs.get("pipelines") else []  # deals in several pipelines
    cols = [c for c in ["opportunity_id", "rep_id", "team", *pipe, "stage", "amount", "close_date",
                        *extra] if c in deals]
    df = deals[cols].head(top_n).copy() if len(deals) else pd.DataFrame(
        columns=["opportunity_id", "amount"])
    # the pipeline's name, headed as one (column.pipeline heads an open pipeline's amount)
    df = df.rename(columns={"pipeline": "pipeline_name"})
    if "close_date" in df:
        df["close_date"] = pd.to_datetime(df["close_date"]).dt.strftime("%Y-%m-%d").fillna("")
    why = deals.attrs.get("unmeasurable")
    empty = (Message("{title}: cannot be checked: {why}.", title=Message(title), why=why) if why else
             Message("{title}: none.", title=Message(title)))
    caption = (Message("{title}: {n} deals, {amount}", title=Message(title), n=len(deals),
                       amount=fmt.money(deals["amount"].sum(), compact=True))
               if len(deals) else "")
    return {"df": df, "empty": empty, "money_cols": ["amount"],
            "int_cols": [c for c in ("days_in_stage", "threshold_days", "days_past_due",
                                     "days_inactive") if c in df],
            "caption": caption}


def win_rates_view(win_rates: pd.DataFrame) -> pd.DataFrame:
    """:func:`salesnb.risk.stage_win_rates` for the page, ``attrs["note"]`` ``""``; without a stage
    history (``attrs["first_stage_only"]``) an empty table and a note saying that every stage gets
    the win rate of all closed deals (a table of stages with nothing behind them is no evidence).
    Deals in several pipelines: one row per stage of each pipeline, its ``pipeline_name`` first,
    and ``attrs["pipelines"]`` a sentence saying so (``""`` otherwise)."""
    from salesnb import fmt

    one = win_rates.attrs.get("first_stage_only")
    out = win_rates.iloc[:0].copy() if one else win_rates.copy()
    # the pipeline's name, headed as one (column.pipeline heads an open pipeline's amount)
    out = out.rename(columns={"pipeline": "pipeline_name"})
    names = list(dict.fromkeys(win_rates["pipeline"].astype(str))) if "pipeline" in win_rates else []
    out.attrs["pipelines"] = "" if one or len(names) < 2 else Message(
        "The deals are in {n} pipelines ({names}): each stage's win rate is that of its own pipeline's deals "
        "(shrunk toward that pipeline's win rate), and P(miss) gives each open deal the rate of its pipeline's "
        "stage.", n=len(names), names=listing(names))
    out.attrs["note"] = "" if not one else Message(
        "Calibrated stage win rates: without a stage history (opportunity_history) the data only shows that "
        "each closed deal reached the first stage, so every stage gets the win rate of all closed deals, "
        "{rate} ({wins} of {deals}).", rate=fmt.pct(one["rate"]), wins=f"{one['wins']:,}",
        deals=f"{one['deals']:,}")
    return out


def departed_view(exposure: pd.DataFrame, *, top_n: int = 15) -> pd.DataFrame:
    """Reps who left (or are watched), with their 12-month revenue and open pipeline."""
    cols = [c for c in ["rep_id", "team", "status", "end_date", "revenue", "revenue_share",
                        "pipeline", "pipeline_share"] if c in exposure]
    out = exposure.loc[exposure["status"] != "active", cols].head(top_n).copy()
    if "end_date" in out:
        out["end_date"] = pd.to_datetime(out["end_date"]).dt.strftime("%Y-%m-%d").fillna("")
    return out


def creep_view(creep: pd.DataFrame) -> pd.DataFrame:
    """The discount-creep table with ``creep`` as yes/no (as the register reads it) and the start
    of the rise only where there is creep (no date for a rise the test did not find)."""
    out = creep[["category", "first", "last", "rise", "pvalue", "creep", "start"]].copy()
    out["start"] = out["start"].where(out["creep"].astype(bool), None).fillna("")
    out["creep"] = np.where(out["creep"], "yes", "no")
    # no category creeps: a column of blanks says nothing (Northwind, Superstore)
    return out if (out["creep"] == "yes").any() else out.drop(columns=["start"])


def overdue_segments(segments: pd.DataFrame) -> pd.DataFrame:
    """:func:`salesnb.risk.segment_churn` for the page: empty, with ``attrs["note"]`` saying so,
    when no active customer is overdue (Maven's CRM deals showed 0 % against 0 % and z "–" for
    every segment); ``attrs["note"]`` is ``""`` otherwise, and when there are no segments.
    ``p_value`` (the exact test's) reads as text, two significant digits."""
    if len(segments) and not segments["overdue"].sum():
        out = segments.iloc[:0].copy()
        out.attrs["note"] = Message("No active customer is overdue, so no segment's overdue rate stands out.")
        return out
    out = segments.copy()
    if "p_value" in out:  # the exact test's p-value as text: "0.017", "< 0.0001", never 1.7e-02
        out["p_value"] = [None if pd.isna(p) else "< 0.0001" if p < 1e-4 else f"{p:.2g}"
                          for p in out["p_value"]]
    out.attrs["note"] = ""
    return out


def high_value_at_risk(customers: pd.DataFrame, *, top_n: int = 15) -> pd.DataFrame:
    """The largest high-value customers at risk, with the columns the page shows."""
    if customers.empty:
        return pd.DataFrame(columns=["customer_id", "revenue_12m"])
    hv = customers[customers["high_value"] & customers["at_risk"]]
    cols = [c for c in ["customer_id", "segment", "revenue_12m", "days_since_last",
                        "median_interval", "p_alive", "p_alive_prev", "reason", "first_seen"]
            if c in hv]
    out = hv[cols].head(top_n).copy()
    if "first_seen" in out:
        out["first_seen"] = pd.to_datetime(out["first_seen"]).dt.strftime("%Y-%m-%d").fillna("")
    return out


def anomaly_view(anomalies: pd.DataFrame) -> pd.DataFrame:
    """The regional signals table with yes/no flags and dates as text."""
    out = anomalies.copy()
    for c in ("signal", "material"):
        if c in out:
            out[c] = np.where(out[c], "yes", "no")
    out["first_seen"] = pd.to_datetime(out["first_seen"]).dt.strftime("%Y-%m-%d").fillna("")
    # no region signalled: no first date to show (Online Retail's column of blanks)
    return out if out["first_seen"].astype(bool).any() else out.drop(columns=["first_seen"])


def alert_tables(alerts: list[dict[str, Any]], *, top_n: int = 15) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Alerts per severity and risk type, and the critical alerts plus one example of each metric.

    The risk type is ``risk_category`` (as in :func:`salesnb.risk.register_table`) and the entities
    read as the register's do (``"customer:ACME"`` → "customer: ACME" / "客户：ACME")."""
    from salesnb.risk._common import ALERT_FIELDS
    from salesnb.risk.alerts import entity_words

    al = pd.DataFrame(alerts, columns=list(ALERT_FIELDS)).rename(columns={"category": "risk_category"})
    by = al.groupby(["severity", "risk_category"]).size().rename("alerts").reset_index()
    top = pd.concat([al[al["severity"] == "critical"],
                     al[al["severity"] != "critical"].drop_duplicates("metric")]).head(top_n)
    top = top[["severity", "risk_category", "entity", "message", "first_seen"]].copy()
    top["entity"] = pd.Series([entity_words(e) for e in top["entity"]], index=top.index, dtype=object)
    return by, top
