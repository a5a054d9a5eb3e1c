"""One data-layer convention (issue 14, point 5): periods, shared constants, one JSON policy."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesnb import constants, periods
from salesnb.data import extract, open_source
from salesnb.data import goals_queries as gq
from salesnb.data import performance_queries as pq
from salesnb.data import risk_queries as rq
from salesnb.jsonable import dumps, to_jsonable

PKG = Path(__file__).resolve().parents[1] / "salesnb"


# ------------------------------------------------------------------------------------ periods
def test_period_helpers_known_answers():
    ts = pd.to_datetime(["2026-07-01", "2026-10-01"])
    assert periods.period_label(ts, "M").tolist() == ["2026-07", "2026-10"]
    assert periods.period_label(ts, "Q").tolist() == ["2026Q3", "2026Q4"]
    assert periods.period_label(["2026Q3"], "Q").tolist() == ["2026Q3"]  # labels pass through
    assert periods.period_start(["2026-08", "2026Q4"], "Q").tolist() == list(ts)
    assert periods.period_label(pd.to_datetime(["2026-10-07"]), "W").tolist() == ["2026-10-05"]
    with pytest.raises(ValueError, match="freq must be one of"):
        periods.period_label(ts, "H")


def test_last_complete_month_is_one_rule():
    assert periods.last_complete_month("2026-10-31") == pd.Period("2026-10", "M")
    assert periods.last_complete_month("2026-10-30") == pd.Period("2026-09", "M")
    # 2026-10-30 is the last working day of October (a Friday)
    assert periods.last_complete_month("2026-10-30", complete="last_working_day") == \
        pd.Period("2026-10", "M")
    from salesnb import context

    assert context.month_is_complete is periods.month_is_complete


def test_every_per_period_query_returns_period_starts(small_folder):
    ds = open_source(str(small_folder))
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-01-01")
    frames = {
        "extract.revenue": extract.revenue(ds, freq="M", start=start, end=end),
        "extract.revenue Q": extract.revenue(ds, freq="Q", start=start, end=end),
        "goals monthly_revenue": gq.monthly_revenue(ds, start=start, end=end),
        "rep_month_revenue": pq.rep_month_revenue(ds, start=start, end=end),
        "closed_deals_by_month": pq.closed_deals_by_month(ds, start=start, end=end),
        "revenue_by_entity": rq.revenue_by_entity(ds, entity="customer_id", freq="Q"),
        "revenue_windows": rq.revenue_windows(ds, entity="customer_id", end=end),
        "discount_by_month": rq.discount_by_month(ds, start=start, end=end),
        "monthly_revenue_and_won": rq.monthly_revenue_and_won(ds, start=start, end=end),
        "closed_outcomes": rq.closed_outcomes(ds, start=start, end=end),
        "team_revenue": rq.team_revenue(ds, start=start, end=end),
        "team_targets": rq.team_targets(ds, quarters=["2024Q3", "2024Q4"]),
    }
    for name, df in frames.items():
        if df.empty:
            continue
        assert pd.api.types.is_datetime64_any_dtype(df["period"]), name
        p = pd.DatetimeIndex(df["period"])
        assert (p.day == 1).all() and (p == p.normalize()).all(), name
    rev = frames["extract.revenue"]
    assert gq.monthly_revenue(ds, start=start, end=end)["revenue"].sum() == \
        pytest.approx(rev["revenue"].sum())


def test_one_revenue_query_filters_and_measures(small_folder):
    ds = open_source(str(small_folder))
    allr = extract.revenue(ds, freq="Y", by=["rep_id"])
    rep = str(allr["rep_id"].dropna().iloc[0])
    one = extract.revenue(ds, freq="Y", where={"rep_id": [rep]}, measures=("revenue", "revenue_sq"))
    assert list(one.columns) == ["period", "revenue", "revenue_sq"]
    assert one["revenue"].sum() == pytest.approx(
        allr.loc[allr["rep_id"] == rep, "revenue"].sum(), abs=0.01)
    with pytest.raises(ValueError, match="unknown measure"):
        extract.revenue(ds, measures=("margin",))


def test_no_second_date_bound_converter():
    """``_d`` lived in four query modules; extract.as_date is the one home."""
    for path in (PKG / "data").glob("*_queries.py"):
        tree = ast.parse(path.read_text())
        defs = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_d"]
        assert not defs, f"{path.name} defines its own _d: use salesnb.data.extract.as_date"


# --------------------------------------------------------------------------- shared constants
def test_shared_constants_have_one_home():
    from salesnb import summary, viz
    from salesnb.deliver import mom
    from salesnb.risk import _common

    assert viz.RAG is constants.RAG_COLOURS
    assert summary.rag_colour("amber") == constants.RAG_COLOURS["amber"]
    assert summary.rag_colour("nonsense") == constants.RAG_COLOURS["grey"]
    assert mom.SEVERITY is constants.SEVERITY_ORDER
    assert _common.SEVERITIES is constants.SEVERITIES
    assert constants.SEVERITY_ORDER == {"info": 0, "warning": 1, "critical": 2}


# ---------------------------------------------------------------------------- one JSON policy
def test_json_policy_known_answers():
    v = to_jsonable({"x": np.float64(0.1234567890123456), "n": np.int64(3), "nan": float("nan"),
                     "d": pd.Timestamp("2026-10-01"), "q": pd.Period("2026Q4", "Q"),
                     "t": pd.NaT, "df": pd.DataFrame({"a": [1.0 / 3]})})
    assert v == {"x": 0.123456789012, "n": 3, "nan": None, "d": "2026-10-01", "q": "2026Q4",
                 "t": None, "df": [{"a": 0.333333333333}]}
    assert dumps({"b": 1, "a": "日"}) == '{\n "a": "日",\n "b": 1\n}\n'


def test_risk_alerts_follow_the_json_policy():
    from salesnb.risk import alerts

    a = alerts.make_alert(severity="warning", category="pipeline", metric="coverage", entity="team:A",
                          value=1.23456789012345, threshold=2.0, first_seen="2026-10-01",
                          message="m")
    doc = json.loads(alerts.alerts_to_json([a]))
    assert doc[0]["value"] == 1.23456789012  # 12 significant digits, as results.json


# --------------------------------------------------------- shared tests across performance/risk
def test_segment_churn_uses_the_performance_two_proportion_test():
    from salesnb.performance import two_proportion_test
    from salesnb.risk.customers import segment_churn

    cust = pd.DataFrame({"segment": ["a"] * 40 + ["b"] * 60,
                         "overdue": [True] * 20 + [False] * 20 + [True] * 12 + [False] * 48,
                         "revenue_12m": 1.0, "revenue_at_risk": 0.0})
    out = segment_churn(cust).set_index("segment")
    z, _ = two_proportion_test([20, 12], [40, 60], [12, 20], [60, 40])
    assert out.loc["a", "z"] == pytest.approx(z[0])
    assert out.loc["b", "z"] == pytest.approx(z[1])
    # by hand: pooled 32/100, rates 0.5 and 0.2
    se = np.sqrt(0.32 * 0.68 * (1 / 40 + 1 / 60))
    assert out.loc["a", "z"] == pytest.approx((0.5 - 0.2) / se)
