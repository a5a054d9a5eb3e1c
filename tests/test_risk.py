"""Tests for salesnb.risk and salesnb.data.risk_queries.

Known answers on small data (HHI, top-N shares, Western Electric patterns), false-alarm rates on
simulated in-control series, and — with the demo company — every planted risk raises its alert
while a calm month raises no critical one.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from salesnb import risk


@pytest.fixture
def rng():
    return np.random.default_rng(20260501)


# ----------------------------------------------------------------------------- concentration
def test_hhi_hand_computation():
    # shares 0.5, 0.3, 0.2 -> 2500 + 900 + 400
    assert risk.hhi([50, 30, 20]) == pytest.approx(3800.0)
    assert risk.hhi([1, 1, 1, 1]) == pytest.approx(2500.0)
    assert risk.hhi([7]) == pytest.approx(10_000.0)
    # negatives (returns) count as zero, NaN ignored
    assert risk.hhi([50, 30, 20, -10, np.nan]) == pytest.approx(3800.0)
    assert np.isnan(risk.hhi([0, 0]))


def test_top_shares_hand_computation():
    v = [40, 5, 25, 10, 20, 0, 0]
    s = risk.top_shares(v, n=(1, 2, 5, 10))
    assert s["top1"] == pytest.approx(0.40)
    assert s["top2"] == pytest.approx(0.65)
    assert s["top5"] == pytest.approx(1.0)
    assert s["top10"] == pytest.approx(1.0)


def test_concentration_per_period_and_bootstrap():
    df = pd.DataFrame({
        "period": ["Q1"] * 4 + ["Q2"] * 4,
        "customer_id": list("abcd") * 2,
        "revenue": [25, 25, 25, 25, 70, 10, 10, 10],
    })
    out = risk.concentration(df, entity="customer_id", n_boot=200, sq=None, top=(1, 2))
    q1, q2 = out.iloc[0], out.iloc[1]
    assert q1["hhi"] == pytest.approx(2500.0)
    assert q2["hhi"] == pytest.approx(4900 + 300.0)
    assert q2["top1"] == pytest.approx(0.70) and q2["top2"] == pytest.approx(0.80)
    assert q1["status"] == "moderate" and q2["status"] == "high"
    assert q2["hhi_low"] <= q2["hhi_high"]
    # parametric bootstrap with tiny line-level variance: a tight interval around the estimate
    df["revenue_sq"] = 1e-6
    out = risk.concentration(df, entity="customer_id", n_boot=200)
    assert out["hhi_low"].iloc[1] == pytest.approx(5200, abs=1)
    assert out["hhi_high"].iloc[1] == pytest.approx(5200, abs=1)


def test_truncated_moments_match_simulation():
    from salesnb.risk.concentration import _truncated_moments

    mu = np.array([5.0, 1.0, -1.0, 3e6, 0.0])
    sd = np.array([1.0, 2.0, 1.5, 10.0, 0.0])
    m1, m2, var1, var2, cov = _truncated_moments(mu, sd)
    x = np.clip(np.random.default_rng(3).normal(mu, sd, size=(400_000, len(mu))), 0.0, None)
    assert m1 == pytest.approx(x.mean(axis=0), rel=5e-3, abs=5e-3)
    assert m2 == pytest.approx((x * x).mean(axis=0), rel=1e-2, abs=1e-2)
    assert var1 == pytest.approx(x.var(axis=0), rel=1e-2, abs=1e-2)
    assert var2 == pytest.approx((x * x).var(axis=0), rel=3e-2, abs=3e-2)
    c = [np.cov(x[:, i], x[:, i] ** 2)[0, 1] for i in range(len(mu))]
    assert cov == pytest.approx(c, rel=3e-2, abs=3e-2)
    # 3e6 ± 10: no cancellation (E[d⁴] − E[d²]² would lose every digit here)
    assert var2[3] == pytest.approx(4 * 3e6 ** 2 * 100 + 2 * 100 ** 2)


@pytest.mark.parametrize(("seed", "spread"), [(0, 1.5), (1, 1.5), (2, 0.3)])
def test_hhi_interval_of_many_customers_matches_drawing_every_customer(seed, spread, monkeypatch):
    """Beyond EXACT_ENTITIES, the small customers' sums are drawn from their joint normal: the
    interval must agree with drawing every customer (the old way, 100× slower at 200,000)."""
    import importlib

    conc = importlib.import_module("salesnb.risk.concentration")
    rng = np.random.default_rng(seed)
    n = 6_000
    lines = rng.integers(1, 6, n)
    amount = rng.lognormal(7, spread, n)  # 1.5: a few customers hold much; 0.3: no one does
    df = pd.DataFrame({"customer_id": np.arange(n), "revenue": amount * lines,
                       "revenue_sq": amount ** 2 * lines})
    fast = risk.concentration(df, entity="customer_id", period=None, n_boot=3000, seed=seed)
    monkeypatch.setattr(conc, "EXACT_ENTITIES", 10 ** 9)
    every = risk.concentration(df, entity="customer_id", period=None, n_boot=3000, seed=seed)
    assert fast["hhi"].iloc[0] == every["hhi"].iloc[0]
    width = every["hhi_high"].iloc[0] - every["hhi_low"].iloc[0]
    assert width > 0
    for col in ("hhi_low", "hhi_high"):  # Monte Carlo error of each end: about 0.017 widths
        assert abs(fast[col].iloc[0] - every[col].iloc[0]) < 0.08 * width, col


def test_trend_test_detects_rise(rng):
    y = 0.10 + 0.002 * np.arange(24) + rng.normal(0, 0.002, 24)
    t = risk.trend_test(y, alternative="greater", alpha=0.01)
    assert t["direction"] == "rising"
    assert t["slope"] == pytest.approx(0.002, rel=0.3)
    flat = risk.trend_test(rng.normal(size=24), alpha=0.01)
    assert flat["direction"] == "flat" or flat["pvalue"] < 0.01


# ----------------------------------------------------------------------------- control charts
def test_western_electric_patterns():
    z = [0, 0, 0, 3.5, 0, 2.5, 2.5, 0, 1.5, 1.5, 0.2, 1.5, 1.5, 0.5, 0.5, 0.5]
    d = risk.xmr(z, center=0, sigma=1)
    assert d["rule1"].tolist().index(True) == 3
    assert d["rule2"].iloc[6]  # 2.5, 2.5 after each other
    assert d["rule3"].iloc[12]  # 1.5 1.5 0.2 1.5 1.5: 4 of 5 beyond 1 sigma
    assert d["rule4"].iloc[15] and not d["rule4"].iloc[7]
    assert d["signal"].sum() >= 4


def test_xmr_sigma_from_moving_range():
    x = pd.Series([10.0, 12.0, 10.0, 12.0, 10.0])
    d = risk.xmr(x)
    assert d["center"].iloc[0] == pytest.approx(10.8)
    assert d["sigma"].iloc[0] == pytest.approx(2.0 / 1.128)


def test_exact_false_alarm_rates():
    assert risk.false_alarm_rate("xmr", rules=(1,)) == pytest.approx(0.0027, abs=1e-4)
    assert risk.false_alarm_rate("xmr", rules=(4,)) == pytest.approx(2 * 0.5**8)
    assert risk.false_alarm_rate("ewma", L=3) == pytest.approx(0.0027, abs=1e-4)
    all4 = risk.false_alarm_rate("xmr")
    assert 0.015 < all4 < 0.018


@pytest.mark.parametrize("method", ["xmr", "ewma"])
def test_in_control_alert_rate_matches_stated_rate(method, rng):
    """Signals per point on in-control data agree with the stated rate within sampling error.

    Signals cluster within a series, so the standard error comes from the spread of the per-series
    rates (independent series), not from a binomial count.
    """
    n_series, n = 400, 250
    stated = risk.false_alarm_rate(method)
    rates = []
    for _ in range(n_series):
        x = pd.Series(rng.normal(100, 5, n))
        if method == "xmr":
            d = risk.xmr(x, center=100, sigma=5)
            rates.append(d["signal"].iloc[7:].mean())
        else:
            d = risk.ewma(x, center=100, sigma=5)
            rates.append(d["signal"].mean())
    rates = np.asarray(rates)
    se = rates.std(ddof=1) / np.sqrt(n_series)
    assert abs(rates.mean() - stated) < 4 * se, (rates.mean(), stated, se)


def test_xmr_phase_two_estimated_limits(rng):
    # limits estimated on a long baseline, then applied to fresh in-control data
    rates = []
    for _ in range(100):
        x = pd.Series(rng.normal(0, 1, 1300))
        base = np.r_[np.ones(1000, bool), np.zeros(300, bool)]
        d = risk.xmr(x, baseline=base)
        rates.append(d["signal"].iloc[1000:].mean())
    rates = np.asarray(rates)
    se = rates.std(ddof=1) / np.sqrt(len(rates))
    assert abs(rates.mean() - risk.false_alarm_rate("xmr")) < 4 * se + 0.002


# ----------------------------------------------------------------------------- customers, deals
def test_customer_risk_overdue_and_p_alive():
    s = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "n_days": [10, 10, 2, 10],
        "last_date": pd.to_datetime(["2026-06-20", "2026-01-01", "2025-01-01", "2026-06-01"]),
        "median_interval": [30.0, 30.0, 10.0, 30.0],
        "revenue_12m": [1000.0, 5000.0, 300.0, 800.0],
    })
    pa = pd.DataFrame({"customer_id": ["d"], "p_alive": [0.3], "p_alive_prev": [0.9]})
    out = risk.customer_risk(s, as_of="2026-06-30", p_alive=pa).set_index("customer_id")
    assert bool(out.loc["b", "overdue"]) and not bool(out.loc["a", "overdue"])
    assert not bool(out.loc["c", "overdue"])  # too few purchases for a usual interval
    assert bool(out.loc["d", "alive_drop"]) and bool(out.loc["d", "at_risk"])
    assert out["revenue_at_risk"].sum() == pytest.approx(5800.0)
    # b became overdue 60 days (2 x 30) after its last purchase
    assert out.loc["b", "first_seen"] == pd.Timestamp("2026-03-02")


def test_stalled_slipped_inactive():
    durations = pd.DataFrame({"stage": ["Proposal"] * 10, "days": np.arange(1, 11) * 10})
    thr = risk.stage_duration_thresholds(durations, q=0.9, min_deals=5)
    assert thr["Proposal"] == pytest.approx(91.0)
    deals = pd.DataFrame({
        "opportunity_id": ["x", "y"], "stage": ["Proposal", "Proposal"], "amount": [1.0, 2.0],
        "stage_entered": pd.to_datetime(["2026-01-01", "2026-06-01"]),
        "close_date": pd.to_datetime(["2026-05-01", "2026-08-01"]),
        "close_date_changes": [0, 3],
        "last_activity_date": pd.to_datetime(["2026-06-29", "2026-04-01"]),
    })
    st = risk.stalled_deals(deals, thr, as_of="2026-06-30")
    assert st["opportunity_id"].tolist() == ["x"]
    sl = risk.slipped_deals(deals, as_of="2026-06-30")
    assert set(sl["opportunity_id"]) == {"x", "y"}
    ina = risk.inactive_deals(deals, as_of="2026-06-30", days=30)
    assert ina["opportunity_id"].tolist() == ["y"]


def test_miss_probability_limits():
    deals = pd.DataFrame({"stage": ["Negotiation"] * 10, "amount": [100.0] * 10})
    sure = risk.miss_probability(deals, target=500, booked=0, win_rates={"Negotiation": 1.0})
    assert sure["p_miss"] == 0.0 and sure["expected"] == pytest.approx(1000)
    never = risk.miss_probability(deals, target=500, booked=0, win_rates={"Negotiation": 0.0},
                                  run_rate=100, remaining_months=2)
    assert never["p_miss"] == 1.0
    half = risk.miss_probability(deals, target=501, booked=0, win_rates={"Negotiation": 0.5},
                                 n_sims=40_000)
    # P(Binomial(10, .5) <= 5) = 0.623
    assert half["p_miss"] == pytest.approx(0.623, abs=0.01)


def test_stage_win_rates_shrinkage():
    out = pd.DataFrame({
        "opportunity_id": [1, 1, 2, 2, 3, 4],
        "stage": ["Prospecting", "Proposal", "Prospecting", "Proposal", "Prospecting", "Prospecting"],
        "won": [True, True, True, True, False, False],
    })
    w = risk.stage_win_rates(out, prior_strength=0).set_index("stage")
    assert w.loc["Prospecting", "win_rate"] == pytest.approx(0.5)
    assert w.loc["Proposal", "win_rate"] == pytest.approx(1.0)
    w = risk.stage_win_rates(out, prior_strength=2).set_index("stage")
    assert w.loc["Proposal", "win_rate"] == pytest.approx((2 + 2 * 0.5) / 4)


def test_coverage():
    deals = pd.DataFrame({"team": ["A", "A", "B"], "amount": [100.0, 50.0, 30.0],
                          "close_date": pd.to_datetime(["2026-05-15", "2026-08-01", "2026-04-01"])})
    targets = pd.DataFrame({"period": ["2026Q2", "2026Q2", "2026Q3"], "team": ["A", "B", "A"],
                            "target": [300.0, 100.0, 100.0]})
    booked = pd.DataFrame({"period": ["2026Q2", "2026Q2"], "team": ["A", "B"],
                           "booked": [200.0, 120.0]})
    c = risk.pipeline_coverage(deals, targets, booked, periods=["2026Q2", "2026Q3"],
                               as_of="2026-05-01").set_index(["period", "team"])
    assert c.loc[("2026Q2", "A"), "coverage"] == pytest.approx(1.0)
    assert np.isnan(c.loc[("2026Q2", "B"), "coverage"])  # target met; past-due deal counted now
    assert c.loc[("2026Q2", "B"), "pipeline"] == pytest.approx(30.0)
    assert c.loc[("2026Q3", "A"), "coverage"] == pytest.approx(0.5)


# ----------------------------------------------------------------------------- operational
def test_discount_creep(rng):
    months = [str(p) for p in pd.period_range("2025-01", "2026-06", freq="M")]
    rows = []
    for i, m in enumerate(months):
        rows.append({"period": m, "category": "flat", "discount": 0.1 + rng.normal(0, 0.003)})
        creep = 0.1 + (0.003 * (i - 8) if i >= 8 else 0) + rng.normal(0, 0.003)
        rows.append({"period": m, "category": "creep", "discount": creep})
    out = risk.discount_creep(pd.DataFrame(rows), window=12).set_index("category")
    assert bool(out.loc["creep", "creep"]) and not bool(out.loc["flat", "creep"])


def test_creep_view_dates_a_rise_only_where_there_is_creep():
    """Superstore: the 12-month discount table gave Technology (rise not significant, creep "no") a
    start of 2020-11, two years before the window, and Furniture 2021-05: a date for a rise the
    test did not find. The start is shown for creeping categories only."""
    creep = pd.DataFrame({"category": ["Office", "Tech"], "first": [0.10, 0.13], "last": [0.20, 0.18],
                          "rise": [0.10, 0.05], "pvalue": [0.001, 0.12], "creep": [True, False],
                          "start": ["2022-07", "2020-11"]})
    out = risk.creep_view(creep).set_index("category")
    assert out.loc["Office", "start"] == "2022-07"
    assert out.loc["Tech", "start"] == ""
    assert out["creep"].tolist() == ["yes", "no"]


def test_risk_tables_show_no_column_or_table_of_nothing():
    """Northwind and Superstore: no category creeps and the discount table's "Start" column was all
    blank; Online Retail: no region signalled and "First seen" was all blank; Maven's CRM deals: no
    active customer overdue, and the overdue table showed 0 % against 0 % with z "–" for every segment."""
    creep = pd.DataFrame({"category": ["Office", "Tech"], "first": [0.10, 0.13], "last": [0.11, 0.12],
                          "rise": [0.01, -0.01], "pvalue": [0.4, 0.7], "creep": [False, False],
                          "start": ["2022-07", None]})
    assert "start" not in risk.creep_view(creep)
    anomalies = pd.DataFrame({"region": ["EIRE", "France"], "signal": [False, False], "material": [False, False],
                              "first_seen": [pd.NaT, pd.NaT]})
    assert "first_seen" not in risk.anomaly_view(anomalies)
    assert "first_seen" in risk.anomaly_view(anomalies.assign(signal=[True, False],
                                                                first_seen=[pd.Timestamp("2026-10-05"), pd.NaT]))
    seg = pd.DataFrame({"segment": ["a", "b"], "customers": [4, 6], "overdue": [0, 0], "rate": [0.0, 0.0],
                        "peer_rate": [0.0, 0.0], "excess": [0.0, 0.0], "z": [np.nan, np.nan],
                        "revenue_at_risk": [0.0, 0.0]})
    none = risk.overdue_segments(seg)
    assert none.empty and str(none.attrs["note"]) == (
        "No active customer is overdue, so no segment's overdue rate stands out.")
    some = risk.overdue_segments(seg.assign(overdue=[1, 0], rate=[0.25, 0.0], z=[1.2, -1.2]))
    assert len(some) == 2 and some.attrs["note"] == ""
    assert risk.overdue_segments(seg.iloc[:0]).attrs["note"] == ""  # no segments: nothing to say


def test_rep_exposure_and_single_rep_accounts():
    reps = pd.DataFrame({"rep_id": ["r1", "r2", "r3"], "name": ["A", "B", "C"],
                         "team": ["t"] * 3,
                         "end_date": pd.to_datetime([None, "2026-03-01", None])})
    rev = pd.DataFrame({"rep_id": ["r1", "r2", "r3"], "revenue": [50.0, 30.0, 20.0]})
    pipe = pd.DataFrame({"rep_id": ["r2", "r3"], "amount": [10.0, 30.0]})
    ex = risk.rep_exposure(rev, reps, as_of="2026-06-30", pipeline=pipe, watch=["r3"])
    ex = ex.set_index("rep_id")
    assert ex.loc["r2", "status"] == "left" and ex.loc["r3", "status"] == "watch"
    assert ex.loc["r2", "revenue_share"] == pytest.approx(0.3)
    assert ex.loc["r2", "pipeline_share"] == pytest.approx(0.25)
    cr = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "rep_id": ["r1", "r3", "r2", "r1"],
                       "revenue": [95.0, 5.0, 50.0, 1.0]})
    acc = risk.single_rep_accounts(cr, top_n=2, left=["r2"]).set_index("customer_id")
    assert list(acc.index) == ["a", "b"]
    assert bool(acc.loc["a", "single_rep"]) and acc.loc["a", "n_reps"] == 2
    assert bool(acc.loc["b", "rep_left"])


# ----------------------------------------------------------------------------- register, alerts
def test_register_sorted_by_severity_with_owners():
    ind = [
        risk.indicator("concentration", "hhi_customers", 1800, amber=1500, red=2500, unit="hhi"),
        risk.indicator("pipeline", "coverage", 0.5, amber=1.5, red=1.0, higher_is_worse=False),
        risk.indicator("customer", "at_risk_share", 0.01, amber=0.1, red=0.2, unit="pct"),
        risk.indicator("pipeline", "p_miss", 0.95, amber=0.5, red=0.8, unit="pct"),
    ]
    reg = risk.risk_register(ind, owners={"pipeline": "VP Sales"})
    assert reg["rag"].tolist() == ["red", "red", "amber", "green"]
    assert reg["metric"].iloc[0] == "coverage"  # 50 % below its threshold beats 19 % above
    assert reg["owner"].iloc[0] == "VP Sales"
    assert reg["owner"].iloc[2] == risk.DEFAULT_OWNERS["concentration"]
    assert reg["action"].iloc[3] == "Monitor"
    alerts = risk.alerts_from_register(reg, as_of="2026-06-30")
    assert [a["severity"] for a in alerts] == ["critical", "critical", "warning"]


def test_alerts_contract():
    a = risk.make_alert(severity="warning", category="customer", metric="overdue",
                        entity="customer:C 001", value=np.float64(12.5), threshold=10,
                        first_seen=pd.Timestamp("2026-05-03"), message="late")
    assert a["id"] == "customer.overdue.customer:c-001"
    assert a["first_seen"] == "2026-05-03" and isinstance(a["value"], float)
    b = dict(a, severity="critical")
    c = risk.make_alert(severity="info", category="anomaly", metric="x", entity="e", value=None,
                        threshold=None, first_seen=None, message="m")
    text = risk.alerts_to_json([c, a, b])
    data = json.loads(text)
    assert [x["id"] for x in data] == [a["id"], c["id"]]  # de-duplicated, most severe kept
    assert data[0]["severity"] == "critical"
    assert list(data[0]) == list(risk.ALERT_FIELDS)
    assert risk.should_fail(data, "critical") and risk.should_fail(data, "warning")
    assert not risk.should_fail([c], "warning")
    with pytest.raises(ValueError):
        risk.make_alert(severity="fatal", category="customer", metric="m", entity="e", value=1,
                        threshold=1, first_seen=None, message="")


def test_write_and_read_alerts(tmp_path):
    from salesnb.data import risk_queries as rq
    from salesnb.report import alerts as ra

    a = risk.make_alert(severity="critical", category="pipeline", metric="p_miss",
                        entity="company", value=0.9, threshold=0.8, first_seen="2026-06-30",
                        message="m")
    p = ra.write_alerts([a], tmp_path)
    assert p.name == "05_risk_monitoring.alerts.json"
    assert ra.read_alerts(p) == [a]
    assert ra.read_alerts(tmp_path / "missing.json") == []
    assert rq.read_alerts is ra.read_alerts and rq.write_alerts is ra.write_alerts  # aliases


# ----------------------------------------------------------------------------- the demo company
@pytest.fixture(scope="module")
def demo_reports(demo_path):
    """Risk reports of the demo on the default month, the anomaly month and a calm month."""
    from salesnb.data import open_source
    from salesnb.data import risk_queries as rq

    ds = open_source(str(demo_path))
    gt = json.loads((demo_path / "ground_truth.json").read_text())
    months = {"last": gt["as_of"][:7], "anomaly": gt["anomaly"]["month"], "calm": "2024-03"}
    out = {}
    for key, month in months.items():
        as_of = pd.Period(month, freq="M").end_time.normalize()
        inputs = rq.risk_inputs(ds, as_of=as_of)
        out[key] = risk.monitor(inputs, as_of=as_of, n_boot=100, n_sims=5000)
    return gt, out


def _ids(report, metric):
    return {a["entity"]: a for a in report.alerts if a["metric"] == metric}


def test_demo_churn_wave_raises_critical_alert(demo_reports):
    gt, reports = demo_reports
    seg = gt["churn_wave"]["segment"]
    name = f"segment:{seg['customer_type']} {seg['industry']}"
    alerts = _ids(reports["last"], "churn_wave")
    assert alerts[name]["severity"] == "critical"
    assert alerts[name]["first_seen"] >= gt["churn_wave"]["start"]
    # the wave's customers are the ones flagged
    cust = reports["last"].customers.set_index("customer_id")
    wave = cust.reindex(gt["churn_wave"]["customers"])
    assert wave["overdue"].mean() > 0.7


def test_demo_concentration_raises_alert(demo_reports):
    gt, reports = demo_reports
    rep = reports["last"]
    alerts = _ids(rep, "top5_share_customers")
    assert alerts["customers"]["severity"] in ("warning", "critical")
    share = rep.concentration["customers"]["top5"].iloc[-1]
    assert share == pytest.approx(gt["concentration"]["share_last_12m"], abs=0.03)


def test_demo_discount_creep_raises_alert(demo_reports):
    gt, reports = demo_reports
    cat = gt["discount_creep"]["category"]
    alerts = _ids(reports["last"], "discount_creep")
    assert set(alerts) == {f"category:{cat}"}
    start = pd.Period(gt["discount_creep"]["start"], freq="M")
    seen = pd.Period(alerts[f"category:{cat}"]["first_seen"][:7], freq="M")
    assert abs((seen - start).n) <= 3


def test_demo_stalled_deals_raise_alerts(demo_reports):
    gt, reports = demo_reports
    flagged = {e.split(":", 1)[1] for e in _ids(reports["last"], "stalled_deal")}
    assert set(gt["stalled_deals"]) <= flagged


def test_demo_regional_anomaly_raises_critical_alert(demo_reports):
    gt, reports = demo_reports
    region = gt["anomaly"]["region"]
    alerts = _ids(reports["anomaly"], "weekly_revenue")
    a = alerts[f"region:{region}"]
    assert a["severity"] == "critical"
    # the planted factor is 1.8 on the region's expected revenue
    assert 0.4 < a["value"] < 1.2
    others = [x for e, x in alerts.items() if e != f"region:{region}"]
    assert all(x["severity"] != "critical" for x in others)


def test_demo_calm_month_has_no_critical_alert(demo_reports):
    _, reports = demo_reports
    calm = reports["calm"]
    crit = [a for a in calm.alerts if a["severity"] == "critical"]
    assert crit == [], crit
    assert not risk.should_fail(calm.alerts, "critical")
    # the register still has every section and valid alerts
    assert set(calm.register["category"]) == set(risk.CATEGORIES)
    json.loads(risk.alerts_to_json(calm.alerts))


def test_regions_that_sell_now_and_then_are_left_out_of_the_control_charts():
    """A country with an order every few weeks swings on the log scale from nothing to everything:
    its month read as +3,206 % on Kaggle's sample sales data. Regions selling in fewer than 80 % of
    the baseline weeks are left out, with a note naming them; the steady ones are still charted."""
    from salesnb.data.risk_queries import RiskInputs
    from salesnb.risk.anomalies import RegionalAnomalyCheck

    rng = np.random.default_rng(4)
    weeks = pd.date_range("2024-01-01", "2025-03-31", freq="W-MON")
    rows = [{"period": w, "region": r, "revenue": float(rng.normal(1000, 60))}
            for w in weeks for r in ("North", "South", "East", "West")]
    rows += [{"period": w, "region": "Atlantis", "revenue": 5000.0} for w in weeks[::9]]
    rows += [{"period": w, "region": "Atlantis", "revenue": 90000.0} for w in weeks[-4:]]
    inputs = RiskInputs(as_of=pd.Timestamp("2025-03-31"), weekly_region=pd.DataFrame(rows))
    res = RegionalAnomalyCheck()(inputs)
    assert set(res.tables["charts"]) == {"North", "South", "East", "West"}
    note = " ".join(map(str, res.notes))
    assert "1 region(s) sold in fewer than 80 % of the" in note and "(Atlantis " in note
    assert not [a for a in res.alerts if "Atlantis" in a.entity]
    few = RiskInputs(as_of=pd.Timestamp("2025-03-31"), weekly_region=pd.DataFrame(
        [r for r in rows if r["region"] in ("North", "South", "Atlantis")]))
    res = RegionalAnomalyCheck()(few)
    assert not res.tables["charts"] and "Only 2 region(s) sell every week or nearly" in " ".join(map(str, res.notes))


def test_regional_deviation_names_no_region_when_none_signals():
    """Online Retail: no region had a control-chart signal in the month, yet the register row
    "Largest deviation of a region with a control-chart signal" read "region: EIRE, 0.0 %" (EIRE's
    month was +86 %, no signal). Without a signal the row is about the regions as a whole."""
    from salesnb.data.risk_queries import RiskInputs
    from salesnb.risk.anomalies import RegionalAnomalyCheck

    weeks = pd.date_range("2024-01-01", "2025-03-31", freq="W-MON")
    wiggle = np.tile([0.0, 8.0, -8.0, 4.0, -4.0], len(weeks))
    rows = [{"period": w, "region": r, "revenue": 1000.0 + k * 100 + wiggle[i + k]}
            for i, w in enumerate(weeks) for k, r in enumerate(("North", "South", "East", "West"))]
    res = RegionalAnomalyCheck()(RiskInputs(as_of=pd.Timestamp("2025-03-31"), weekly_region=pd.DataFrame(rows)))
    assert len(res.tables["anomalies"]) and not res.tables["anomalies"]["signal"].any()
    (row,) = [i for i in res.indicators if i.metric == "regional_deviation"]
    assert row.entity == "regions" and row.value == 0.0


def test_hhi_of_few_products_says_what_an_even_split_gives():
    """Maven's 7 products put the products' HHI at 2,545, red; an even split already gives 1,429, and
    the register row says so. A large catalogue keeps the plain description."""
    from salesnb.risk.concentration import _hhi_description

    assert str(_hhi_description("products", 7)) == "HHI of products (7 of them: an even split gives 1,429)"
    assert str(_hhi_description("products", 120)) == "HHI of products"


def test_the_registers_entities_read_in_the_pages_language():
    """Maven's Chinese risk page showed "products", "customers", "company" and
    "segment:employment" in English in the register's Where column."""
    from salesnb import i18n
    from salesnb.risk.alerts import register_table

    reg = pd.DataFrame({"value": [0.2, 0.3], "threshold": [0.1, 0.1], "unit": ["pct", "pct"],
                        "first_seen": [None, None], "entity": ["customers", "segment:employment"]})
    shown = register_table(reg)["entity"].tolist()
    assert [str(e) for e in shown] == ["customers", "segment: employment"]
    old = i18n.get_lang()
    try:
        i18n.set_lang("zh-CN")
        zh = [str(i18n.tr(e)) for e in shown]
    finally:
        i18n.set_lang(old)
    assert zh == ["客户", "细分：employment"]


def _product_windows(shares_last, *, n_windows=8):
    """Eight monthly windows of product revenue, the last with ``shares_last`` (earlier: same)."""
    rows = []
    for w in range(n_windows):
        period = pd.Period("2017-05", "M") + w
        for i, s in enumerate(shares_last):
            rows.append({"period": period, "product_id": f"p{i}", "revenue": 1000.0 * s})
    return pd.DataFrame(rows)


def test_few_products_are_judged_against_what_their_number_allows():
    """Maven's 7 products: HHI 2,545, red against the fixed 2,500, with the register saying
    "Diversify: grow the next tier of accounts, products and regions". An even split of 7 already
    gives 1,429: 2,545 is 1,302 above it on the normalised scale, below amber. One product of seven
    with 70 % of revenue stays red, and its action is about products, not accounts and regions."""
    from salesnb.data.risk_queries import RiskInputs
    from salesnb.risk.concentration import ConcentrationCheck

    maven = [0.342, 0.315, 0.165, 0.08, 0.064, 0.02, 0.014]  # HHI about 2,545
    assert risk.hhi(maven) == pytest.approx(2545, abs=15)
    inputs = RiskInputs(as_of=pd.Timestamp("2017-12-31"), rev_product_id=_product_windows(maven))
    res = ConcentrationCheck(n_boot=0)(inputs)
    reg = risk.risk_register([i.row() for i in res.indicators])
    row = reg.set_index("metric").loc["hhi_products"]
    assert row["rag"] == "green"
    # the thresholds start from the even split: 10,000/7 + t × 6/7
    assert row["amber"] == pytest.approx(10_000 / 7 + 1500 * 6 / 7)
    assert row["red"] == pytest.approx(10_000 / 7 + 2500 * 6 / 7)
    assert res.tables["concentration"]["products"]["status"].iloc[-1] == "low"

    one = [0.70, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]  # normalised HHI (5,050 − 1,429) / (6/7) = 4,225
    res = ConcentrationCheck(n_boot=0)(RiskInputs(as_of=pd.Timestamp("2017-12-31"),
                                                  rev_product_id=_product_windows(one)))
    reg = risk.risk_register([i.row() for i in res.indicators])
    row = reg.set_index("metric").loc["hhi_products"]
    assert row["rag"] == "red"
    assert "product" in row["action"] and "account" not in row["action"] and "region" not in row["action"]


def test_concentration_actions_fit_the_entity():
    """One sentence naming accounts, products and regions fitted none of them; a run's own action
    for the category still wins over the per-entity defaults."""
    ind = [risk.indicator("concentration", f"hhi_{e}", 9000, amber=1500, red=2500, entity=e,
                          unit="hhi") for e in ("customers", "products", "regions")]
    reg = risk.risk_register(ind).set_index("entity")
    assert "product" not in reg.loc["customers", "action"] and "region" not in reg.loc["customers", "action"]
    assert "account" not in reg.loc["products", "action"] and "region" not in reg.loc["products", "action"]
    assert "product" not in reg.loc["regions", "action"] and "account" not in reg.loc["regions", "action"]
    own = risk.risk_register(ind, actions={"concentration": "Call the board"})
    assert set(own["action"]) == {"Call the board"}


def test_the_alerts_section_says_so_when_there_is_no_alert():
    """With Maven's product concentration judged against its 7 products, the month has no alert:
    05 showed "0 alerts: 0 critical, 0 warning" over a table of headers alone and a second empty
    table. The count table gives way to a note, the examples table is left out."""
    import ast
    from pathlib import Path

    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "05_risk_monitoring.ipynb",
                       as_version=4)
    cell = next(c.source for c in nb.cells if c.cell_type == "code" and "alert_tables" in c.source)
    calls, tree = {}, ast.parse(cell)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "show_table":
            calls[ast.unparse(node.args[0])] = node
    assert {kw.arg for kw in calls["by"].keywords} >= {"empty"}
    guarded = [n for n in ast.walk(tree) if isinstance(n, ast.IfExp)
               and n.body is calls["top"] and "len(top)" in ast.unparse(n.test)]
    assert guarded


def test_a_discount_rise_within_chance_reads_in_points_and_says_why_it_is_green(rng):
    """Superstore's register showed "Largest 12-month discount rise (creep if significant)" at
    12.4 % against a threshold of 1.0 %, green and "flat": a rise of 12.4 points read as a share
    above its threshold and still green. A rise and its threshold read in points, the row says
    when the rise is within chance, and the discount table's Rise column is in points too."""
    from salesnb import i18n
    from salesnb.risk import DiscountCreepCheck, RiskInputs
    from salesnb.risk.alerts import register_table

    months = [str(p) for p in pd.period_range("2024-01", "2025-12", freq="M")]
    noisy = [{"period": m, "category": "Office", "discount": 0.15 + 0.004 * i + rng.normal(0, 0.05)}
             for i, m in enumerate(months)]
    res = DiscountCreepCheck()(RiskInputs(as_of=pd.Timestamp("2025-12-31"), discount=pd.DataFrame(noisy)))
    (ind,) = res.indicators
    row = ind.row()
    assert not bool(res.tables["discount"]["creep"].iloc[0]) and row["rag"] == "green"
    assert row["value"] > ind.amber  # above the minimum rise, green because it is not significant
    assert str(row["indicator"]) == "Largest 12-month discount rise (within chance: not creep)"
    shown = register_table(risk.risk_register([row]))
    value, threshold = shown[["value", "threshold"]].iloc[0]
    assert value.endswith(" pp") and threshold == "1.0 pp", (value, threshold)
    i18n.set_lang("zh-CN")
    try:
        assert "随机" in str(i18n.tr(row["indicator"]))
    finally:
        i18n.set_lang("en")
    steady = [{"period": m, "category": "Office", "discount": 0.10 + 0.01 * i} for i, m in enumerate(months)]
    res = DiscountCreepCheck()(RiskInputs(as_of=pd.Timestamp("2025-12-31"), discount=pd.DataFrame(steady)))
    row = res.indicators[0].row()
    assert row["rag"] == "red" and str(row["indicator"]) == "Largest 12-month discount rise (creep if significant)"


def test_no_run_rate_is_forecast_or_said_without_a_pipeline_to_add_it_to():
    """Kaggle's sample sales (no opportunities table): 05 said "Non-pipeline run-rate for the rest of
    2005Q2: $310.01k" although pipeline risk was skipped, while 03 withheld the quarter forecast
    as not calibrated. The run-rate only feeds P(miss): without open deals nothing is forecast."""
    months = pd.period_range("2023-01", "2025-05", freq="M")
    monthly = pd.DataFrame({"period": months.astype(str), "revenue": np.linspace(100, 200, len(months)),
                            "won_amount": 0.0})
    as_of = pd.Timestamp("2025-05-31")
    assert risk.forecast_run_rate(monthly, as_of=as_of, pipeline=False) == (None, "")
    assert risk.forecast_run_rate(monthly.tail(12), as_of=as_of, pipeline=False) == (None, "")
    rr, note = risk.forecast_run_rate(monthly, as_of=as_of)
    assert rr is not None and "run-rate" in str(note)


def test_the_run_rates_seasonal_naive_is_named_by_its_season():
    """05's run-rate names its model by the monthly forecast's season: a seasonal naive repeats the
    same month last year."""
    from salesnb import trends

    months = pd.period_range("2023-01", "2025-05", freq="M")
    monthly = pd.DataFrame({"period": months.astype(str), "revenue": np.linspace(100, 200, len(months)),
                            "won_amount": 0.0})
    def snaive(y, horizon, **kw):
        out = trends.AutoForecaster(candidates=("snaive",), **kw).fit(y).predict(horizon)
        assert out.attrs["model"] == "seasonal naive"
        return out

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(trends, "auto_forecast", snaive)
        _, note = risk.forecast_run_rate(monthly, as_of=pd.Timestamp("2025-05-31"))
    assert str(note).endswith("(same month last year).")


def test_no_steady_region_is_said_as_none():
    """Kaggle's sample sales: "19 region(s) sold in fewer than 80 % of the 52 baseline weeks …
    0 region(s) sell every week or nearly: … need at least 3; skipped." None is said as none."""
    from salesnb.risk import RegionalAnomalyCheck

    check = RegionalAnomalyCheck()
    assert str(check._too_few(0, steady=True)) == (
        "No region sells every week or nearly: regional control charts compare each region with the "
        "others and need at least 3 such regions; skipped.")
    assert str(check._too_few(1, steady=True)).startswith("Only 1 region(s) sell every week or nearly:")


def test_the_risk_type_and_the_alerts_entities_read_right_in_chinese():
    """Northwind's Chinese 05 headed the risk type (concentration, customer, operational) of the
    register and the alert tables "品类", the word for a product category, and the alert examples
    showed their entities in English ("customers", "customer:BERGS") beside a translated register."""
    from salesnb import i18n
    from salesnb.risk.alerts import register_table

    reg = pd.DataFrame({"category": ["concentration"], "value": [0.4], "threshold": [0.3], "unit": ["pct"],
                        "first_seen": [None], "entity": ["customers"]})
    alerts = [{"id": "a1", "severity": "critical", "category": "concentration", "metric": "top5_share",
               "entity": "customers", "value": 0.4, "threshold": 0.3, "first_seen": "1996-07-01", "message": "m"},
              {"id": "a2", "severity": "warning", "category": "customer", "metric": "overdue",
               "entity": "customer:BERGS", "value": 57, "threshold": 52, "first_seen": "1998-04-29", "message": "m"}]
    by, top = risk.alert_tables(alerts)
    for frame in (register_table(reg), by, top):
        assert "risk_category" in frame and "category" not in frame
    assert i18n.col_label("risk_category", "en") == "Category"
    assert i18n.col_label("risk_category", "zh-CN") == "风险类型"
    assert [i18n.t(e, "zh-CN") for e in top["entity"]] == ["客户", "客户：BERGS"]
    assert [str(e) for e in top["entity"]] == ["customers", "customer: BERGS"]


def test_the_overdue_rate_per_segment_is_not_headed_a_conversion_rate():
    """Superstore's Chinese 05 headed the other segments' overdue rate "同侪转化率" (peer conversion
    rate, the header of 02's stage conversion) and the overdue rate "比例": the table names both
    rates for what they are, in both languages."""
    import ast
    from pathlib import Path

    import nbformat

    from salesnb import i18n

    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "05_risk_monitoring.ipynb",
                       as_version=4)
    cell = next(c.source for c in nb.cells if c.cell_type == "code" and "risk.overdue_segments" in c.source)
    call = next(n for n in ast.walk(ast.parse(cell)) if isinstance(n, ast.Call)
                and getattr(n.func, "attr", "") == "show_table")
    rename = ast.literal_eval(next(kw.value for kw in call.keywords if kw.arg == "rename"))
    shown = {c: i18n.t(rename[c], "zh-CN") for c in ("rate", "peer_rate")}
    assert shown == {"rate": "逾期率", "peer_rate": "其他细分的逾期率"}


def test_an_alert_names_its_entity_once_when_the_indicator_already_does():
    """Online Retail's 05 read "HHI of regions (normalised for their number) (regions) is 6,802" (zh:
    "区域 HHI（按区域数量归一化）（区域）"): the entity is said once; an entity the indicator does not
    name (a region) is still said."""
    from salesnb.i18n import Message, t

    ind = [risk.indicator("concentration", "hhi_normalized_regions", 6802, amber=1500, red=2500,
                          entity="regions", unit="hhi",
                          description=Message("HHI of regions (normalised for their number)")),
           risk.indicator("customer", "overdue", 0.3, amber=0.1, red=0.2, entity="region:EIRE",
                          unit="pct", description="Overdue rate")]
    alerts = risk.alerts_from_register(risk.risk_register(ind), as_of="2011-11-30")
    msg = {a["entity"]: a["message"] for a in alerts}
    assert msg["regions"] == "HHI of regions (normalised for their number) is 6,802, above the red threshold 2,500"
    assert t(msg["regions"], "zh-CN") == "区域 HHI（按区域数量归一化）为 6,802，高于红色阈值 2,500"
    assert "(region:EIRE)" in msg["region:EIRE"]


def test_the_concentration_trend_table_names_its_metrics_in_words_in_english_too():
    """Online Retail's English 05 showed the trend table's metric as the code's name "hhi_customers"
    (the Chinese page read 客户 HHI)."""
    from salesnb import fmt

    metrics = ["hhi_customers", "hhi_products", "hhi_normalized_regions"]
    html = fmt.table(pd.DataFrame({"metric": metrics}), values=["metric"]).to_html()
    assert "hhi_" not in html and "HHI of customers" in html and "HHI of regions (normalised)" in html


def test_top5_share_is_not_rated_with_five_customers_or_fewer():
    """A consultancy's HubSpot deals read as sales: two customers bought in the quarter. The 5 largest
    are then all of them, so their share is 100 % by construction: no red "Revenue share of the 5
    largest customers", a note saying why (in both languages), and the HHI still judged."""
    from salesnb import i18n
    from salesnb.data.risk_queries import RiskInputs
    from salesnb.risk.concentration import ConcentrationCheck

    rows = [{"period": pd.Period("2022-08", "M") + w, "customer_id": c, "revenue": r}
            for w in range(8) for c, r in (("GLA OPS - discovery", 49_000.0), ("StatsWales", 1_000_000.0))]
    res = ConcentrationCheck(n_boot=0)(RiskInputs(as_of=pd.Timestamp("2023-03-31"),
                                                  rev_customer_id=pd.DataFrame(rows)))
    metrics = {i.metric for i in res.indicators}
    assert "top5_share_customers" not in metrics and "hhi_customers" in metrics
    note = [n for n in res.notes if "5 largest" in str(n)]
    assert len(note) == 1 and "Only 2 customers" in str(note[0])
    assert "前 5 大客户就是全部客户" in str(i18n.tr(note[0], "zh-CN"))
    six = [{"period": pd.Period("2022-08", "M") + w, "customer_id": f"c{i}", "revenue": 100.0 * (i + 1)}
           for w in range(8) for i in range(6)]
    res = ConcentrationCheck(n_boot=0)(RiskInputs(as_of=pd.Timestamp("2023-03-31"),
                                                  rev_customer_id=pd.DataFrame(six)))
    assert "top5_share_customers" in {i.metric for i in res.indicators}
