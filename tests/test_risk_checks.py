"""The risk package's seams: one home for threshold defaults, the check registry, typed results."""

from __future__ import annotations

import ast
import dataclasses
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from salesnb import risk
from salesnb.risk.thresholds import DEFAULTS
from tests.conftest import ROOT

NB = ROOT / "notebooks" / "05_risk_monitoring.ipynb"
DOC = ROOT / "docs" / "alerts.md"


def _notebook_parameters() -> dict[str, object]:
    nb = nbformat.read(NB, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    out = {}
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.AnnAssign):
            out[node.target.id] = ast.literal_eval(node.value)
    return out


def _doc_thresholds() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Thresholds", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", section, flags=re.M))


def test_threshold_defaults_agree_in_code_notebook_and_docs():
    params = _notebook_parameters()
    docs = _doc_thresholds()
    assert set(DEFAULTS) <= set(params), sorted(set(DEFAULTS) - set(params))
    assert set(docs) == set(DEFAULTS), sorted(set(docs) ^ set(DEFAULTS))
    for name, value in DEFAULTS.items():
        assert params[name] == pytest.approx(value), name
        assert float(docs[name]) == pytest.approx(value), name
    # and every check field that is a threshold takes its default from DEFAULTS
    for cls in risk.CHECKS:
        for f in dataclasses.fields(cls):
            if f.name in DEFAULTS:
                assert f.default == DEFAULTS[f.name], (cls.__name__, f.name)


def test_default_checks_route_options_and_refuse_unknown_ones():
    checks = risk.default_checks(hhi_red=3000.0, creep_thresholds=(0.02, 0.06), seed=3)
    by = {type(c).__name__: c for c in checks}
    assert by["ConcentrationCheck"].hhi_red == 3000.0 and by["ConcentrationCheck"].seed == 3
    assert by["PipelineCheck"].seed == 3
    assert (by["DiscountCreepCheck"].creep_amber, by["DiscountCreepCheck"].creep_red) == (0.02, 0.06)
    with pytest.raises(TypeError, match="hhi_rde"):
        risk.default_checks(hhi_rde=1.0)
    assert risk.options_from({"hhi_red": 1.0, "month": "2026-10"}) == {"hhi_red": 1.0}


def test_a_new_check_is_one_class(rng):
    @dataclasses.dataclass
    class BigDealCheck:
        big: float = 100.0
        name = "big_deals"

        def __call__(self, inputs: risk.RiskInputs) -> risk.CheckResult:
            deals = inputs.frame("open_deals")
            res = risk.CheckResult(tables={"big": deals[deals.amount >= self.big]})
            res.indicators.append(risk.Indicator(
                "pipeline", "big_deal_share", float(len(res.tables["big"]) / len(deals)),
                amber=0.1, red=0.5, unit="pct"))
            return res

    deals = pd.DataFrame({"amount": rng.uniform(0, 200, 40)})
    inputs = risk.RiskInputs(as_of=pd.Timestamp("2026-06-30"), open_deals=deals)
    rep = risk.monitor(inputs, checks=[BigDealCheck()])
    assert len(rep.big) == int((deals.amount >= 100).sum())
    share = rep.register.loc[0, "value"]
    assert share == pytest.approx((deals.amount >= 100).mean())
    assert [a["id"] for a in rep.alerts] == ["pipeline.big_deal_share.company"]
    assert rep.alerts[0]["severity"] == ("critical" if share >= 0.5 else "warning")


def test_missing_tables_skip_with_specific_notes():
    rep = risk.monitor(risk.RiskInputs(as_of=pd.Timestamp("2026-06-30")))
    text = " ".join(rep.notes)
    assert "No opportunities table: pipeline risk skipped." in text
    assert "Discount creep needs orders with a category and a discount (or list_amount): skipped." in text
    assert rep.alerts == [] and rep.register.empty


def test_p_alive_is_not_used_when_the_purchase_model_cannot_be_trusted():
    """Northwind: 04 said P(alive) must not be used (BG/NBD parameters not pinned down) while 05
    printed P(alive) 1.00 / 1.00 for a customer silent 182 days. 05 now refuses it for the same
    reasons, with a note, and keeps the purchase intervals."""
    from salesnb import risk

    n = 60
    now = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "frequency": 0.0,
                        "recency_days": 0.0, "T_days": np.linspace(30, 600, n)})
    prev = now.assign(T_days=now.T_days - 91).query("T_days > 0")
    pa, note = risk.p_alive_or_note(now, prev)
    assert pa is None and str(note).startswith("P(alive) not used: the purchase history ")
    assert "Technical detail for analysts: " in note


def test_p_alive_refused_says_what_it_means_before_the_models_words():
    """Maven's CRM 05: "P(alive) not used: the purchase model (BG/NBD) cannot be trusted (the
    likelihood's maximum could not be found …; parameter a ran to the edge of its range (8.32e-07): the
    data cannot pin it down; …)". Customers who keep buying and never stop: the plain reason first."""
    from salesnb import risk

    rng = np.random.default_rng(3)
    n = 400
    T = rng.uniform(200, 700, n)
    counts = rng.poisson(T / 20)  # a purchase day every 20 days or so, nobody stops
    last = np.array([rng.uniform(0, t, c).max() if c > 1 else 0.0 for c, t in zip(counts, T, strict=True)])
    freq = np.where(counts > 1, counts - 1, 0).astype(float)
    now = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "frequency": freq,
                        "recency_days": np.where(freq > 0, last, 0.0), "T_days": T})
    pa, note = risk.p_alive_or_note(now, now)
    plain, _, technical = str(note).partition(" Technical detail for analysts: ")
    assert pa is None and plain.startswith("P(alive) not used: the purchase history cannot tell customers who "
                                           "stopped buying for good from customers who simply buy rarely")
    assert plain.endswith("customer risk uses purchase intervals only.") and "BG/NBD" not in plain
    assert "edge of its range" in technical
    zh = note.render("zh-CN")
    assert "购买记录无法区分已永久流失的客户与只是很少购买的客户" in zh and "供分析师参考的技术细节" in zh


def test_key_accounts_that_bought_once_cannot_depend_on_one_rep():
    """BikeStores: every customer bought once, so each key account had one rep by construction and
    the register read "Revenue of the top 50 accounts held by one rep: 100 %", red. One-day
    accounts are left out of the share; with too few others the indicator is left out, said."""
    reps = pd.DataFrame({"rep_id": ["r1", "r2"], "name": ["A", "B"], "team": ["t", "t"]})
    rev = pd.DataFrame({"rep_id": ["r1", "r2"], "revenue": [60.0, 40.0]})
    once = pd.DataFrame({"customer_id": [f"c{i}" for i in range(20)], "rep_id": ["r1", "r2"] * 10,
                         "revenue": np.arange(20, 0, -1.0), "multi_day": 0})
    check = risk.RepExposureCheck()
    res = check(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), reps=reps, rep_revenue=rev, customer_rep=once))
    assert not [i for i in res.indicators if i.metric == "single_rep_key_account_share"]
    assert "20 of the top 20 accounts bought on one day only" in " ".join(map(str, res.notes))
    repeat = once.assign(multi_day=1)
    res = check(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), reps=reps, rep_revenue=rev, customer_rep=repeat))
    (ind,) = [i for i in res.indicators if i.metric == "single_rep_key_account_share"]
    assert ind.value == 1.0


def test_customers_at_risk_are_not_published_when_few_customers_have_a_rhythm():
    """BikeStores: every customer bought once, so nobody could be overdue against a rhythm and the
    summary showed "0 high-value customers at risk, $0" as a figure. With fewer than half the
    high-value customers on 3 purchase days or more, the figures are None and the note says why."""
    n = 40
    iv = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "n_days": [1] * 36 + [5] * 4,
                       "median_interval": [np.nan] * 36 + [30.0] * 4,
                       "last_date": pd.Timestamp("2018-01-15"), "revenue_12m": np.arange(n, 0, -1.0) * 100})
    res = risk.CustomerCheck()(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), intervals=iv))
    cust = res.tables["customers"]
    # "Only 0 of 131 high-value customers" read oddly on BikeStores: none is said as none
    assert str(cust.attrs["unmeasurable"]).startswith("None of the 8 high-value customers bought on 3 days or more:")
    assert risk.customers_at_risk(cust) == dict.fromkeys(
        ["customers_at_risk", "revenue_at_risk", "high_value", "high_value_revenue"])
    assert not res.indicators
    report = risk.monitor(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), intervals=iv))
    assert "None of the 8 high-value customers" in str(risk.customers_at_risk_reason(report))
    one = iv.assign(n_days=[5] + [1] * 39, median_interval=[30.0] + [np.nan] * 39)  # the largest has a rhythm
    res = risk.CustomerCheck()(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), intervals=one))
    assert "Only 1 of 8 high-value customers" in str(res.tables["customers"].attrs["unmeasurable"])
    rhythm = iv.assign(n_days=5, median_interval=30.0)
    res = risk.CustomerCheck()(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), intervals=rhythm))
    assert risk.customers_at_risk(res.tables["customers"])["high_value"] == 8
    assert risk.customers_at_risk_reason(risk.monitor(risk.RiskInputs(
        as_of=pd.Timestamp("2018-03-31"), intervals=rhythm))) == ""


def test_departed_reps_are_not_measured_without_end_dates():
    """Northwind and BikeStores: the reps tables have no end dates, and the register published
    "Trailing revenue booked by reps who left 0.0 %", green, as if nobody had left."""
    reps = pd.DataFrame({"rep_id": ["r1", "r2"], "name": ["A", "B"], "team": ["t", "t"]})
    rev = pd.DataFrame({"rep_id": ["r1", "r2"], "revenue": [60.0, 40.0]})
    res = risk.RepExposureCheck()(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), reps=reps, rep_revenue=rev))
    assert not [i for i in res.indicators if i.metric.startswith("departed_rep")]
    assert "records no end date: who left cannot be told" in " ".join(map(str, res.notes))
    dated = reps.assign(end_date=pd.to_datetime([None, "2018-01-31"]))
    res = risk.RepExposureCheck()(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), reps=dated, rep_revenue=rev))
    (ind,) = [i for i in res.indicators if i.metric == "departed_rep_revenue_share"]
    assert ind.value == pytest.approx(0.4)


def test_a_high_value_customer_alert_states_its_amount_as_money():
    """Superstore: "High-value customer CJ-12010 (6,136 in 12 months) overdue…" gave an amount
    without its currency; every amount on a page is money in the reporting currency."""
    from salesnb import fmt

    n = 40
    iv = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "n_days": 5, "median_interval": 10.0,
                       "last_date": pd.Timestamp("2018-01-15"),
                       "revenue_12m": np.arange(n, 0, -1.0) * 153.4})
    res = risk.CustomerCheck()(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), intervals=iv))
    texts = [str(a.message) for a in res.alerts if a.metric == "overdue"]
    assert texts and texts[0].startswith(f"High-value customer c0 ({fmt.money(6136)} in 12 months) overdue")


def test_deal_lists_that_cannot_be_checked_say_why_instead_of_an_empty_table():
    """Maven's CRM deals (no stage history, no activity dates, no close dates on open deals): 05
    showed "Stalled deals: none (or the columns needed are missing)" above an empty table of
    headers, three times. A list that cannot be checked says what it needs; one that was checked
    and is empty says none; neither shows a table of headers."""
    from salesnb.risk.views import deal_view

    deals = pd.DataFrame({"opportunity_id": ["O1", "O2"], "stage": ["Engaging", "Engaging"],
                          "amount": [100.0, 200.0], "close_date": [pd.NaT, pd.NaT]})
    rep = risk.monitor(risk.RiskInputs(as_of=pd.Timestamp("2017-12-31"), open_deals=deals),
                       checks=[risk.PipelineCheck()])
    shown = {k: deal_view(rep.tables[k], k) for k in ("stalled", "slipped", "inactive")}
    texts = {k: str(v["empty"]) for k, v in shown.items()}
    assert texts["stalled"].startswith("Stalled deals: cannot be checked") and "stage history" in texts["stalled"]
    assert texts["slipped"].startswith("Slipped deals: cannot be checked") and "close date" in texts["slipped"]
    assert texts["inactive"].startswith("Deals without recent activity: cannot be checked")
    assert "last activity" in texts["inactive"]
    checked = deal_view(pd.DataFrame(columns=["opportunity_id", "amount"]), "slipped")
    assert str(checked["empty"]) == "Slipped deals: none."
    found = deal_view(deals.assign(days_past_due=[3, 4]), "slipped")
    assert len(found["df"]) == 2 and "2 deals" in str(found["caption"])


def test_stage_win_rates_without_a_stage_history_are_one_sentence_not_a_table_of_guesses():
    """Maven's CRM deals (no opportunity_history): 05's "Calibrated stage win rates" showed
    Prospecting 6,711 deals, 63.2 % and Engaging 0 deals, "–", 63.2 %: every closed deal was placed at
    the first stage, and the later stage got the overall rate with nothing behind it. Without a
    history the page says what every stage gets instead of a table."""
    from salesnb.risk.views import win_rates_view

    outcomes = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(10)], "stage": "Prospecting",
                             "won": [True] * 6 + [False] * 4})
    outcomes.attrs["first_stage_only"] = True
    wr = risk.stage_win_rates(outcomes, stages=["Prospecting", "Engaging"])
    view = win_rates_view(wr)
    assert view.empty
    assert str(view.attrs["note"]) == (
        "Calibrated stage win rates: without a stage history (opportunity_history) the data only shows "
        "that each closed deal reached the first stage, so every stage gets the win rate of all closed "
        "deals, 60.0 % (6 of 10).")
    outcomes.attrs.clear()
    shown = win_rates_view(risk.stage_win_rates(outcomes, stages=["Prospecting", "Engaging"]))
    assert list(shown.stage) == ["Prospecting", "Engaging"] and shown.attrs["note"] == ""


def test_the_win_rate_chart_says_which_reason_it_is_skipped_for():
    """Northwind (no opportunities table) read "Fewer than 13 months of closed deals (or no
    opportunities table): win-rate chart skipped.": one of the two, said as it is."""
    none = risk.monitor(risk.RiskInputs(as_of=pd.Timestamp("2026-06-30")), checks=[risk.WinRateCheck()])
    assert str(none.win_rate_chart.attrs["note"]) == "No opportunities table: win-rate chart skipped."
    months = pd.DataFrame({"period": [str(p) for p in pd.period_range("2025-10", "2026-06", freq="M")],
                           "win_rate": 0.3})
    few = risk.monitor(risk.RiskInputs(as_of=pd.Timestamp("2026-06-30"), win_rate=months,
                                       open_deals=pd.DataFrame({"amount": [1.0]})), checks=[risk.WinRateCheck()])
    assert str(few.win_rate_chart.attrs["note"]) == (
        "9 months of closed deals, fewer than the 13 a control chart needs: win-rate chart skipped.")


def _segment_customers(groups: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """Purchase intervals of active customers per industry: ``{industry: (customers, overdue)}``."""
    rows = []
    for ind, (n, k) in groups.items():
        for i in range(n):
            last = "2017-09-01" if i < k else "2017-12-20"  # 10-day rhythm: overdue or not
            rows.append({"customer_id": f"{ind}{i}", "industry": ind, "n_days": 8, "median_interval": 10.0,
                         "last_date": pd.Timestamp(last), "revenue_12m": 1000.0 + i})
    return pd.DataFrame(rows)


def test_churn_wave_register_row_is_the_segments_rate_coloured_as_its_alert():
    """Maven's CRM export: "Overdue rate above other segments (churn wave) | segment: employment |
    88.8 % | red" on 2 customers, both overdue: 88.8 % was the excess over the other segments' 11.3 %
    but read as the rate (the table and alert said 100 %), and the row was red while the alert was a
    warning. The row's value is the segment's rate, the others' rate is in its name, and its colour
    is the alert's status (green, no alert: 2 of 2 is within chance)."""
    as_of = pd.Timestamp("2017-12-31")
    small = _segment_customers({"employment": (2, 2), "retail": (40, 4), "medical": (40, 5)})
    res = risk.CustomerCheck()(risk.RiskInputs(as_of=as_of, intervals=small))
    (row,) = [i.row() for i in res.indicators if i.metric.startswith("segment_overdue")]
    assert row["entity"] == "segment:employment" and row["value"] == 1.0, row
    assert row["rag"] == "green" and "11.3 %" in row["indicator"] and "within chance" in row["indicator"], row
    assert not [a for a in res.alerts if a.metric == "churn_wave"]
    # a real wave: 30 of 40 against 9 of 80, critical alert and red row agree, the same 75 %
    wave = _segment_customers({"employment": (40, 30), "retail": (40, 4), "medical": (40, 5)})
    res = risk.CustomerCheck()(risk.RiskInputs(as_of=as_of, intervals=wave))
    (row,) = [i.row() for i in res.indicators if i.metric.startswith("segment_overdue")]
    (alert,) = [a for a in res.alerts if a.metric == "churn_wave"]
    assert row["value"] == alert.value == 0.75 and row["rag"] == "red" and alert.severity == "critical"
    assert "within chance" not in row["indicator"] and "11.3 %" in row["indicator"]
    assert str(alert.message).startswith("30 of 40 active employment customers (75 %) are overdue")
    from salesnb import fmt
    assert f"{fmt.money(res.tables['segments'].iloc[0]['revenue_at_risk'])} revenue at risk" in str(alert.message)


def test_an_overdue_alerts_usual_interval_reads_as_the_tables():
    """Maven's CRM export: "83 days since the last purchase, usually 16" beside the table's median
    interval 17 (16.5 rounded two ways); one rounding for both (ties away from zero)."""
    from salesnb import fmt

    n = 40
    iv = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "n_days": 5, "median_interval": 16.5,
                       "last_date": pd.Timestamp("2018-01-07"), "revenue_12m": np.arange(n, 0, -1.0) * 100})
    res = risk.CustomerCheck()(risk.RiskInputs(as_of=pd.Timestamp("2018-03-31"), intervals=iv))
    msg = next(str(a.message) for a in res.alerts if a.metric == "overdue")
    assert msg.endswith(f"83 days since the last purchase, usually {fmt.number(16.5)}") and fmt.number(16.5) == "17", msg


def test_the_risk_page_cites_no_demo_on_a_customers_data():
    """Maven's CRM export: 05 read "Reps' close dates are not taken at their word: on the demo's
    backtest…" on a customer's page; the evidence is cited as the backtests of docs/calibration.md."""
    nb = nbformat.read(NB, as_version=4)
    for c in nb.cells:
        if c.cell_type == "markdown":
            zh = c.metadata.get("salesnb", {}).get("zh-CN", "")
            assert "demo's" not in c.source and "演示数据" not in zh, c.source[:80]


def test_largest_accounts_say_what_depending_on_one_rep_means():
    """Maven's CRM export: "Largest accounts" showed "Reps 2 … Single rep yes" on one row: "single
    rep" means the main rep sells 90 % or more of the account (one of 2 reps sold 98.6 %). The
    column says it depends on one rep, the caption names the share, the count of reps who sold."""
    from salesnb.i18n import col_label

    assert col_label("single_rep", "en") == "Depends on one rep" and col_label("n_reps", "en") == "Reps who sold to it"
    nb = nbformat.read(NB, as_version=4)
    cell = next(c.source for c in nb.cells if "Largest accounts" in c.source)
    assert "their main rep sells {share} or more of it" in cell and "single_rep_share" in cell


def test_churn_wave_status_and_register_colour_agree_at_a_tie():
    """The alert's rule and the register's colour compare the same numbers: a rate exactly the red
    excess above the others' (35 % against 20 %, 0.35 - 0.2 < 0.15 in floating point) is red in
    both or in neither."""
    from salesnb.risk.customers import churn_severity

    seg = pd.DataFrame({"rate": [0.35], "peer_rate": [0.2], "excess": [0.35 - 0.2], "p_value": [1e-9]})
    sev = churn_severity(seg, amber=0.05, red=0.15).iloc[0]
    rag = risk.Indicator("customer", "segment_overdue_rate", 0.35, amber=0.2 + 0.05, red=0.2 + 0.15).row()["rag"]
    assert {"critical": "red", "warning": "amber", "": "green"}[sev] == rag


def test_anomaly_alerts_say_in_plain_words_what_fired():
    """Real exports' 05 read "EIRE: weekly revenue 86 % above its usual level … (Western Electric rules
    4; EWMA signals 0)" and "Win rate 12 % in 2026-06 is … (Western Electric rules 1)": rule numbers
    and a zero count leaders cannot read. The alert says what happened in words (docs/alerts.md keeps
    which rule is which), in both languages, and leaves out a signal that did not fire."""
    from salesnb.i18n import t
    from salesnb.risk.anomalies import RegionalAnomalyCheck

    rng = np.random.default_rng(7)
    weeks = pd.date_range("2024-01-01", "2025-03-31", freq="W-MON")
    lift = {w: 1.6 if w >= pd.Timestamp("2025-02-03") else 1.0 for w in weeks}  # North: 8 weeks up
    rows = [{"period": w, "region": r, "revenue": float(rng.normal(1000, 40)) * (lift[w] if r == "North" else 1)}
            for w in weeks for r in ("North", "South", "East", "West")]
    res = RegionalAnomalyCheck()(risk.RiskInputs(as_of=pd.Timestamp("2025-03-31"),
                                                 weekly_region=pd.DataFrame(rows)))
    (a,) = [a for a in res.alerts if a.entity == "region:North"]
    msg = str(a.message)
    assert "Western Electric" not in msg and "EWMA" not in msg and "rules" not in msg, msg
    assert re.search(r"\(.*\b(8|9) weeks in a row above the usual level", msg), msg
    assert re.search(r"\((one week|\d weeks) far above the usual range; ", msg), msg
    assert "of 5 weeks" not in msg and "sustained shift" not in msg, msg  # the strongest evidence only
    zh = t(a.message, "zh-CN")
    assert "Western Electric" not in zh and re.search(r"连续 (8|9) 周高于常态", zh) and "周远高于常态范围" in zh, zh

    months = pd.DataFrame({"period": [str(p) for p in pd.period_range("2025-01", "2026-06", freq="M")],
                           "win_rate": [0.30, 0.31, 0.29, 0.30, 0.32, 0.28, 0.30, 0.31, 0.29, 0.30, 0.31,
                                        0.29, 0.30, 0.32, 0.28, 0.30, 0.31, 0.12]})
    rep = risk.monitor(risk.RiskInputs(as_of=pd.Timestamp("2026-06-30"), win_rate=months,
                                       open_deals=pd.DataFrame({"amount": [1.0]})), checks=[risk.WinRateCheck()])
    (w,) = [a for a in rep.alerts if a["metric"] == "win_rate"]
    assert w["message"] == ("Win rate 12 % in 2026-06 is below its usual level of 30 % "
                            "(this month far below the usual range)"), w["message"]
    assert t(w["message"], "zh-CN") == "2026-06 的赢单率 12 % 低于常态水平 30 %（本月远低于常态范围）"


def test_signal_words_say_the_strongest_evidence_only():
    """Rule 4's run gives its length; rules 2 and 3 are said only without a stronger one; the EWMA's
    sustained shift only when no point rule fired (and never as "EWMA signals 0")."""
    from salesnb.risk.anomalies import signal_words, xmr

    base = [0.5, -0.5] * 20
    x = xmr(pd.Series(base + [0.4] * 10), baseline=[True] * 40 + [False] * 10)
    at = np.array([False] * 46 + [True] * 4)
    assert str(signal_words(x, at)) == "10 weeks in a row above the usual level"
    x = xmr(pd.Series(base + [-2.0, 0.1, -2.0, 0.1]), baseline=[True] * 40 + [False] * 4)
    assert str(signal_words(x, np.array([False] * 40 + [True] * 4))) == "2 of 3 weeks well below the usual level"
    x = x.assign(ewma_signal=False, ewma=0.0, **{f"rule{r}": False for r in (1, 2, 3, 4)})
    assert str(signal_words(x, np.array([False] * 40 + [True] * 4))) == ""
    x.loc[42:, "ewma_signal"], x.loc[42:, "ewma"] = True, -0.8
    assert str(signal_words(x, np.array([False] * 40 + [True] * 4))) == (
        "a sustained shift below the usual level in 2 of the month's weeks")


def test_a_capped_red_row_says_why_its_alert_is_a_warning():
    """A Salesforce export's 05: "Revenue of the top 50 accounts held by one rep" was red in the
    register and its alert a warning reading "above the red threshold 80.0 %". A capped indicator's
    alert says it is red in the register and why it is a warning, in both languages; an uncapped
    red row stays critical with the plain words."""
    from salesnb import i18n
    from salesnb.i18n import Message
    from salesnb.risk.alerts import Indicator, register_alerts, risk_register

    inds = [Indicator("operational", "single_rep_key_account_share", 1.0, amber=0.5, red=0.8,
                      unit="pct", first_seen="2023-08-31", cap="warning",
                      description=Message("Revenue of the top {n} accounts held by one rep", n=50)),
            Indicator("operational", "departed_rep_revenue_share", 0.9, amber=0.1, red=0.2,
                      unit="pct", first_seen="2023-08-31",
                      description="Trailing revenue booked by reps who left")]
    reg = risk_register([i.row() for i in inds])
    got = {a["metric"]: a for a in register_alerts(inds, reg, as_of="2023-08-31")}
    capped, plain = got["single_rep_key_account_share"], got["departed_rep_revenue_share"]
    assert reg.set_index("metric").loc["single_rep_key_account_share", "rag"] == "red"
    assert capped["severity"] == "warning" and plain["severity"] == "critical"
    for lang, red_words, why in (("en", "above the red threshold 80.0 %", "a warning, not critical"),
                                 ("zh-CN", "高于红色阈值 80.0 %", "列为警告而非严重")):
        text = i18n.t(capped["message"], lang)
        assert red_words in text and why in text, text
        assert red_words.replace("80.0", "20.0") in i18n.t(plain["message"], lang)
        assert why not in i18n.t(plain["message"], lang)
