"""P(miss) without look-ahead (issue 13, point 4): known close dates only, past-due deals discounted."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from salesnb import risk
from salesnb.data import open_source
from salesnb.data import risk_queries as rq

AS_OF = pd.Timestamp("2025-11-30")


def _pipeline_inputs(rng, *, close_dates_known: bool) -> risk.RiskInputs:
    """20 open Negotiation deals, 200 days old and past due; truth: 10 % win within the quarter."""
    n_hist = 2000
    outcomes = pd.DataFrame({"opportunity_id": [f"H{i}" for i in range(n_hist)],
                             "stage": "Negotiation", "won": rng.random(n_hist) < 0.5})
    age = rng.integers(0, 400, 8000)
    p_true = np.where(age < 90, 0.6, np.where(age < 180, 0.35, 0.1))
    snaps = pd.DataFrame({"ref_date": AS_OF, "opportunity_id": "x", "stage": "Negotiation",
                          "age_days": age, "amount": 1.0,
                          "won_within": rng.random(len(age)) < p_true})
    deals = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(20)], "stage": "Negotiation",
                          "amount": 100.0, "age_days": 200,
                          "close_date": AS_OF - pd.Timedelta(days=20) if close_dates_known
                          else pd.NaT})
    return risk.RiskInputs(
        as_of=AS_OF, open_deals=deals, stage_outcomes=outcomes, deal_snapshots=snaps,
        targets=pd.DataFrame({"period": ["2025Q4"], "team": ["A"], "target": [500.0]}),
        booked=pd.DataFrame({"period": ["2025Q4"], "team": ["A"], "booked": [0.0]}),
        close_dates_known=close_dates_known, run_rate=(0.0, 0.0))


@pytest.mark.parametrize("known", [True, False])
def test_past_due_deals_win_with_their_age_not_their_stage(rng, known):
    inputs = _pipeline_inputs(rng, close_dates_known=known)
    miss = risk.PipelineCheck(n_sims=20_000, seed=1)(inputs).tables["miss"]
    truth = float(stats.binom.cdf(4, 20, 0.1))  # fewer than 5 of 20 deals won: 0.957
    assert miss["p_miss"] == pytest.approx(truth, abs=0.04)
    # a stage win rate (0.5) would say the target is all but safe
    assert float(stats.binom.cdf(4, 20, 0.5)) < 0.01
    assert miss["past_due_deals"] == (20 if known else 0)


def test_win_within_rates_recover_the_age_profile(rng):
    snaps = _pipeline_inputs(rng, close_dates_known=True).deal_snapshots
    r = risk.win_within_rates(snaps).set_index(["stage", "age_band"])["rate"]
    assert r[("Negotiation", 0)] == pytest.approx(0.6, abs=0.05)
    assert r[("Negotiation", 4)] == pytest.approx(0.1, abs=0.04)  # 180-365 days


def test_deals_due_by_their_close_dates_win_in_time_as_often_as_earlier_due_deals_did(rng):
    """With the close dates expected at earlier dates (close_date_history), P(won within the
    quarter) is learned per stage and due class: here deals due in the quarter by their reps'
    dates were won in it 30 % of the time (dates slip), deals expected later 2 %. 20 due deals and
    20 later ones, target 5 wins: the truth is P(fewer than 5 wins) = 0.19. The stage's eventual
    win rate (0.5) for the due deals, and nothing for the later ones, said 0.006."""
    n_hist = 2000
    outcomes = pd.DataFrame({"opportunity_id": [f"H{i}" for i in range(n_hist)],
                             "stage": "Negotiation", "won": rng.random(n_hist) < 0.5})
    due = rng.choice(["due", "later", "past_due"], 60_000, p=[0.5, 0.4, 0.1])
    p_true = pd.Series(due).map({"due": 0.3, "later": 0.02, "past_due": 0.1}).to_numpy()
    snaps = pd.DataFrame({"ref_date": AS_OF, "opportunity_id": "x", "stage": "Negotiation",
                          "age_days": rng.integers(0, 400, len(due)), "amount": 1.0, "due": due,
                          "won_within": rng.random(len(due)) < p_true})
    deals = pd.DataFrame({"opportunity_id": [f"O{i}" for i in range(40)], "stage": "Negotiation",
                          "amount": 100.0, "age_days": 60,
                          "close_date": [AS_OF + pd.Timedelta(days=15)] * 20
                          + [AS_OF + pd.Timedelta(days=120)] * 20})
    inputs = risk.RiskInputs(
        as_of=AS_OF, open_deals=deals, stage_outcomes=outcomes, deal_snapshots=snaps,
        targets=pd.DataFrame({"period": ["2025Q4"], "team": ["A"], "target": [500.0]}),
        booked=pd.DataFrame({"period": ["2025Q4"], "team": ["A"], "booked": [0.0]}),
        close_dates_known=True, run_rate=(0.0, 0.0))
    res = risk.PipelineCheck(n_sims=20_000, seed=1)(inputs)
    miss = res.tables["miss"]
    # wins among 20 due deals at 0.3 and 20 later ones at 0.02
    wins = rng.binomial(20, 0.3, 400_000) + rng.binomial(20, 0.02, 400_000)
    truth = float((wins < 5).mean())
    assert truth == pytest.approx(0.19, abs=0.02)
    assert miss["p_miss"] == pytest.approx(truth, abs=0.06)  # each rate learned from ~2,000 deals
    assert float(stats.binom.cdf(4, 20, 0.5)) < 0.01  # the stage rate's answer
    assert miss["deals"] == 40 and miss["past_due_deals"] == 0
    assert any("20 of the 40 deals are due by the quarter's end" in str(n) for n in res.notes)
    r = res.tables["win_within"]
    coarse = r[r.due.notna() & (r.age_band == -1)].set_index("due").rate
    assert coarse["due"] == pytest.approx(0.3, abs=0.03) and coarse["later"] == pytest.approx(0.02, abs=0.01)


@pytest.mark.parametrize("history", [True, False])
def test_past_month_p_miss_does_not_see_the_future(demo_path, tmp_path, history):
    """Moving the later close dates of deals open on the as-of date must not change P(miss): with
    the demo's close_date_history (the close dates expected then) and without it (final dates
    only, as most CRM exports)."""
    src, base = tmp_path / "demo", tmp_path / "base"
    shutil.copytree(demo_path, src)
    shutil.copytree(demo_path, base)
    if not history:
        for d in (src, base):
            (d / "close_date_history.parquet").unlink()
    opp = pd.read_parquet(src / "opportunities.parquet")
    close = pd.to_datetime(opp["close_date"])
    later = (pd.to_datetime(opp["created_date"]) <= AS_OF) & (close > AS_OF) & (opp["status"] != "open")
    assert later.sum() > 100
    last = pd.Timestamp("2026-10-31")
    # a quarter later (the old code counted most of these deals as due in 2025Q4: its expected
    # pipeline wins fell from 6.2 M to 0.05 M on this change)
    opp.loc[later, "close_date"] = (close[later] + pd.Timedelta(days=92)).clip(upper=last).dt.date
    opp.to_parquet(src / "opportunities.parquet", index=False)

    def p_miss(path):
        inputs = rq.risk_inputs(open_source(str(path)), as_of=AS_OF)
        assert inputs.close_dates_known is history
        return risk.PipelineCheck(n_sims=4000)(inputs).tables["miss"]

    a, b = p_miss(base), p_miss(src)
    assert a["deals"] == b["deals"]
    assert a["expected_pipeline"] == pytest.approx(b["expected_pipeline"], rel=1e-12)
    assert a["p_miss"] == b["p_miss"]


# ------------------------------------------------------------------------------ fiscal quarters
@pytest.mark.parametrize("start", range(1, 13))
def test_fiscal_quarters_start_in_the_fiscal_years_first_month(start):
    from salesnb.periods import fiscal_quarter, quarter_label, quarter_months

    quarters = {fiscal_quarter(pd.Timestamp(2026, m, 15), start) for m in range(1, 13)}
    assert [(q.start_time.month - start) % 3 for q in quarters] == [0] * (4 if start % 3 == 1 else 5)
    q = fiscal_quarter(pd.Timestamp(2026, start, 1), start)  # the fiscal year's first quarter
    assert quarter_months(q)[0] == f"2026-{start:02d}"
    assert quarter_label(q, start) == ("2026Q1" if start == 1 else "FY2026 Q1")
    assert quarter_label(q - 1, start) == ("2025Q4" if start == 1 else "FY2025 Q4")
    with pytest.raises(ValueError, match="fiscal_year_start must be a month 1-12"):
        fiscal_quarter(pd.Timestamp(2026, 1, 1), 13)


@pytest.fixture(scope="module")
def february(demo_path, tmp_path_factory):
    """The demo (its December 2026 targets repeated for January 2027) as of 2026-10-31 with a
    fiscal year starting in February: its inputs and its pipeline check."""
    src = tmp_path_factory.mktemp("fiscal") / "demo"
    shutil.copytree(demo_path, src)
    tg = pd.read_parquet(src / "targets.parquet")
    jan = tg[tg.period == "2026-12"].assign(period="2027-01")
    pd.concat([tg, jan], ignore_index=True).to_parquet(src / "targets.parquet", index=False)
    inputs = rq.risk_inputs(open_source(str(src)), as_of=pd.Timestamp("2026-10-31"), fiscal_year_start=2)
    return src, inputs, risk.PipelineCheck(n_sims=2000)(inputs)


def test_p_miss_and_coverage_follow_a_february_fiscal_year(february):
    """With the fiscal year starting in February, the quarter still running after 2026-10-31 is
    November to January (FY2026 Q4): its target is those three months' targets, and the coverage
    is for it and the next (FY2027 Q1). The old check used October to December (2026Q4)."""
    src, _, res = february
    miss = res.tables["miss"]
    assert (miss["quarter"], miss["first_month"], miss["last_month"]) == ("FY2026 Q4", "2026-11", "2027-01")
    assert miss["remaining_months"] == 3
    tg = pd.read_parquet(src / "targets.parquet")
    months = tg[tg.period.isin(["2026-11", "2026-12", "2027-01"]) & (tg.level == "rep")]
    calendar = tg[tg.period.isin(["2026-10", "2026-11", "2026-12"]) & (tg.level == "rep")]
    assert miss["target"] == pytest.approx(float(months.amount.sum())) and len(months) > 0
    assert miss["target"] != pytest.approx(float(calendar.amount.sum()))
    assert list(dict.fromkeys(res.tables["coverage"]["period"])) == ["FY2026 Q4", "FY2027 Q1"]
    assert any(i.entity == "quarter:FY2026 Q4" for i in res.indicators)


def test_a_quarter_whose_targets_miss_a_month_has_no_p_miss(demo_path, february):
    """The demo's own targets end in December 2026: with a February fiscal year, November to
    January has two months of targets, which is not the quarter's target."""
    q = pd.Period("2026-11", freq="M").asfreq("Q-JAN")
    months = rq.team_targets(open_source(str(demo_path)), quarters=[q, q + 1])["months"]
    assert set(months) == {2}  # the next quarter has none at all
    inputs = february[1]
    part = dataclasses.replace(inputs, targets=inputs.targets.assign(months=2))
    res = risk.PipelineCheck(n_sims=500)(part)
    assert res.tables["miss"]["p_miss"] is None and res.tables["miss"]["target"] is None
    assert any("The targets for FY2026 Q4 cover 2 of its 3 months" in str(n) for n in res.notes)
    assert not any("No targets for" in str(n) for n in res.notes)
    assert res.tables["coverage"].empty  # neither this quarter nor the next has a whole target


def test_without_targets_the_pipeline_check_says_both_p_miss_and_coverage_are_skipped(february):
    """The summary said coverage was missing for "no opportunities table, no targets for the
    quarter, or no reps table": the check now names the cause, which 05 publishes as the reason."""
    inputs = february[1]
    res = risk.PipelineCheck(n_sims=500)(dataclasses.replace(inputs, targets=inputs.targets.iloc[:0]))
    assert res.tables["miss"]["p_miss"] is None and res.tables["coverage"].empty
    assert any(str(n).startswith("No targets in the data: P(miss) and pipeline coverage are skipped") for n in res.notes)
    no_team = dataclasses.replace(inputs, open_deals=inputs.open_deals.drop(columns=["team"]))
    res = risk.PipelineCheck(n_sims=500)(no_team)
    assert res.tables["coverage"].empty and any("carry no team" in str(n) for n in res.notes)


def test_a_skipped_p_miss_says_why_in_one_sentence_not_how_it_would_be_counted(february):
    """Maven's CRM export (default remedy): the summary's quarter forecast and coverage read "The data
    does not show how the close dates of earlier deals slipped …: P(miss) counts every open deal, each
    with P(won within the quarter | stage, age)… No targets in the data: P(miss) and pipeline
    coverage skipped (both measure …)": how a skipped figure would be computed, then why, in nested
    parentheses. The published why is the one sentence why."""
    inputs = dataclasses.replace(february[1], targets=february[1].targets.iloc[:0])
    report = risk.monitor(inputs, checks=[risk.PipelineCheck(n_sims=500)])
    want = ("No targets in the data: P(miss) and pipeline coverage are skipped, as both measure the "
            "pipeline against the quarter's target.")
    assert str(report.why_missing("p_miss")) == want and str(report.why_missing("coverage")) == want
    assert len(str(report.notes_of("pipeline"))) > len(want)  # the page still says how it counts
    # Maven's deals (drop remedy): no pipeline to weigh and no targets; coverage was said to be
    # missing because "P(miss) is skipped", its own reason (no targets) was not said at all
    bare = dataclasses.replace(inputs, stage_outcomes=inputs.stage_outcomes.iloc[:0])
    report = risk.monitor(bare, checks=[risk.PipelineCheck(n_sims=500)])
    assert "P(miss) is skipped" in str(report.why_missing("p_miss"))
    assert str(report.why_missing("coverage")) == ("No targets in the data: pipeline coverage is skipped, as it "
                                                   "measures the pipeline against the quarter's target.")


def test_without_targets_the_quarter_forecast_is_shown_and_only_p_miss_and_coverage_are_skipped(february):
    """The pipeline's forecast of the quarter (what is already won, the open deals × their P(won within
    the quarter), the run-rate) needs no target, but 05 and the summary dropped it with P(miss) whenever
    the targets were missing (Maven's deals). It is now the same forecast as with targets (the same
    simulation), without the figures that measure it against a target, and no register row."""
    inputs = february[1]
    full = risk.PipelineCheck(n_sims=2000)(inputs)
    bare = risk.PipelineCheck(n_sims=2000)(dataclasses.replace(inputs, targets=inputs.targets.iloc[:0]))
    a, b = full.tables["miss"], bare.tables["miss"]
    assert a["p_miss"] is not None and b["p_miss"] is None and b["target"] is None and b["gap"] is None
    for k in ("expected", "p10", "p50", "p90", "booked", "expected_pipeline", "expected_run_rate", "deals"):
        assert b[k] == pytest.approx(a[k]), k
    assert b["expected"] >= b["expected_pipeline"] > 0
    assert not any(i.metric == "p_miss_quarter" for i in bare.indicators)
    assert any(i.metric == "p_miss_quarter" for i in full.indicators)
    view = risk.miss_table(b)
    assert "P(miss)" not in view and "target" not in view and view["expected"].iloc[0] == pytest.approx(b["expected"])
    assert str(view.attrs["caption"]).startswith("The quarter's forecast from the pipeline")
    assert list(risk.miss_table(a).columns)[-1] == "P(miss)"
    report = risk.monitor(dataclasses.replace(inputs, targets=inputs.targets.iloc[:0]),
                          checks=[risk.PipelineCheck(n_sims=500)])
    assert str(report.why_missing("p_miss")).startswith("No targets in the data: P(miss) and pipeline coverage")
    assert report.summary()["p_miss"] is None
    # with a target the figure is made: no reason to publish beside it (05 passes this to sn.publish)
    assert risk.monitor(inputs, checks=[risk.PipelineCheck(n_sims=500)]).why_missing("p_miss") is None


def test_without_any_open_deal_s_amount_there_is_no_pipeline_forecast(february):
    """Maven's open deals carry no amount: the forecast without a target read "the quarter is forecast to
    close at $0 (80 % interval $0 to $0)", which is no forecast. With no open deal's amount, neither the
    forecast nor P(miss) is made, and the one sentence says why."""
    inputs = february[1]
    bare = dataclasses.replace(inputs, targets=inputs.targets.iloc[:0],
                               open_deals=inputs.open_deals.assign(amount=np.nan))
    report = risk.monitor(bare, checks=[risk.PipelineCheck(n_sims=500)])
    n = len(inputs.open_deals)
    assert not report.miss
    assert str(report.why_missing("p_miss")) == (f"None of the {n:,} open deals carries an amount: the quarter's "
                                                 "forecast from the pipeline and P(miss) cannot be made.")
    assert str(report.why_missing("coverage")).startswith("No targets in the data")
    assert "counts every open deal" not in str(report.notes_of("pipeline"))


def test_a_quarter_forecast_that_rests_on_a_few_deals_says_so():
    """The consultancy's pipeline: a 28,000,000 referral and a 15,000,000 framework beside thirty bids
    of 30 to 168,000, each at the company's 20 %. The quarter's expected total (P50 168,000) was
    shown as if a forecast of the quarter: most of it is those two deals' chances. The table's caption
    now names the fewest deals that hold half the expected wins and says that P50 is the likelier
    quarter; a pipeline of even deals says nothing."""
    from salesnb import i18n

    bids = [168_000.0, 120_000.0, 30.0] * 10
    deals = pd.DataFrame({"opportunity_id": ["6631833045", "6933546725"] + [f"b{i}" for i in range(30)],
                          "stage": "Opportunity identified", "amount": [28_000_000.0, 15_000_000.0, *bids]})
    miss = risk.miss_probability(deals, target=float("nan"), booked=0.0, n_sims=2000,
                                 win_rates={"Opportunity identified": 0.204})
    lead = miss["largest_deals"]
    assert [d["opportunity_id"] for d in lead["deals"]] == ["6631833045"] and lead["open_deals"] == 32
    assert lead["share"] == pytest.approx(28e6 / (43e6 + sum(bids)))
    caption = risk.miss_table({**miss, "quarter": "2023Q2"}).attrs["caption"]
    text = str(caption)  # amounts in the run's currency (its symbol set by the run)
    assert "61 % of the expected pipeline wins rest on 1 of the 32 open deals with an amount (6631833045: " in text
    assert "28,000,000 × 20 %), so the expected total stands or falls with them" in text
    assert text.endswith("P50 is the likelier quarter")
    assert "来自 32 个有金额的未结商机中的 1 个（6631833045：" in i18n.tr(caption, "zh-CN")  # a full-width colon
    even = pd.DataFrame({"opportunity_id": [f"d{i}" for i in range(6)], "stage": "Proposal",
                         "amount": [100_000.0] * 6})
    miss = risk.miss_probability(even, target=float("nan"), booked=0.0, n_sims=500, win_rates={"Proposal": 0.3})
    assert len(miss["largest_deals"]["deals"]) == 3
    assert "rest on" not in str(risk.miss_table({**miss, "quarter": "2023Q2"}).attrs["caption"])
