"""Tests of salesnb.goals on data with a known answer (planted shape, CNY dip, hires and leavers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesnb import fmt, goals

SHAPE = np.array([0.8, 0.75, 1.0, 1.0, 1.05, 1.1, 0.95, 0.9, 1.05, 1.1, 1.15, 1.25])
CNY_DIP = 0.6


@pytest.fixture
def rng():
    return np.random.default_rng(20260101)


@pytest.fixture
def monthly(rng):
    """Five years of monthly revenue with a planted shape, trend, CNY dip and one anomaly."""
    months = pd.period_range("2021-01", "2025-12", freq="M")
    cal = goals.month_calendar(months, cny_window=(-7, 14))
    shape = SHAPE / SHAPE.mean()
    y = np.array([
        1e6 * 1.01**i * shape[p.month - 1] * CNY_DIP ** cal["cny_share"][i]
        for i, p in enumerate(months)
    ]) * rng.lognormal(0, 0.03, len(months))
    y[29] *= 3.0  # one anomalous month (a one-off mega deal)
    return pd.DataFrame({"period": months.to_timestamp(), "revenue": y})


@pytest.fixture
def profile(monthly):
    return goals.fit_seasonality(monthly, working_day_elasticity=0.0)


@pytest.fixture
def reps():
    return pd.DataFrame({
        "rep_id": [f"r{i}" for i in range(9)],
        "name": [f"Rep {i}" for i in range(9)],
        "team": ["A", "A", "B", "B", "C", "C", "D", "D", "D"],
        "region": ["North"] * 4 + ["South"] * 5,
        "hire_date": pd.to_datetime(["2019-03-01"] * 6 + ["2026-07-15", "2018-01-01",
                                                          "2020-05-01"]),
        "end_date": pd.to_datetime([None] * 7 + ["2025-06-30", "2026-03-31"]),
    })


@pytest.fixture
def history(reps, rng):
    months = pd.period_range("2024-01", "2025-12", freq="M")
    rows = [
        (p.to_timestamp(), r, reg, float(rng.uniform(5e4, 2e5)))
        for p in months for r, reg in zip(reps.rep_id, reps.region, strict=True)
        if r != "r6"
    ]
    return pd.DataFrame(rows, columns=["period", "rep_id", "region", "revenue"])


@pytest.fixture
def market():
    return pd.DataFrame({"period": ["2025-12", "2025-12"], "region": ["North", "South"],
                         "market_size": [3e9, 1e9]})


def cents(s: pd.Series) -> pd.Series:
    return (s * 100).round().astype("int64")


def assert_reconciles(tg: pd.DataFrame, total: float) -> None:
    """Every level and grain adds up to the company total; children add up to their parent."""
    tg = tg.assign(c=cents(tg["amount"]))
    sums = tg.groupby(["level", "grain"])["c"].sum()
    assert (sums == round(total * 100)).all(), sums
    levels = [lvl for lvl in ("company", "region", "team", "rep") if lvl in set(tg["level"])]
    for up, down in zip(levels, levels[1:], strict=False):
        parent = tg[tg["level"] == up].set_index(["key", "grain", "period"])["c"]
        kids = tg[tg["level"] == down].groupby(["parent", "grain", "period"])["c"].sum()
        kids.index = kids.index.set_names(["key", "grain", "period"])
        joined = pd.concat([parent, kids], axis=1, keys=["p", "k"]).fillna(0)
        assert (joined["p"] == joined["k"]).all(), joined[joined["p"] != joined["k"]]
    for (lvl, key), g in tg.groupby(["level", "key"]):
        m = g[g["grain"] == "month"].set_index("period")["c"]
        w = g[g["grain"] == "week"].groupby(g["period"].str[:7])["c"].sum()
        assert (w.reindex(m.index, fill_value=0) == m).all(), (lvl, key)
        assert g.loc[g["grain"] == "year", "c"].sum() == m.sum()
        assert g.loc[g["grain"] == "quarter", "c"].sum() == m.sum()


# ------------------------------------------------------------------------------------------
def test_round_to_unit_exact(rng):
    for _ in range(200):
        w = rng.gamma(1.0, size=int(rng.integers(1, 30)))
        total = round(float(rng.uniform(-1e7, 1e7)), 2)
        unit = float(rng.choice([0.01, 1, 100, 1000]))
        parts = goals.round_to_unit(w, total, unit=unit)
        assert cents(pd.Series(parts)).sum() == round(total * 100)
        off_unit = cents(pd.Series(parts)) % round(unit * 100) != 0
        assert off_unit.sum() <= 1


def test_cny_date():
    assert goals.cny_date(2025) == pd.Timestamp("2025-01-29")
    assert goals.cny_date(2026) == pd.Timestamp("2026-02-17")


def test_working_days_include_makeup_workdays():
    cal = goals.month_calendar(pd.period_range("2025-01", "2025-02", freq="M"), country="CN")
    # Jan 2025: 23 weekdays − Jan 1 − Jan 28..31 + the Sunday make-up day Jan 26 = 19
    assert cal["working_days"].tolist()[0] == 19


def test_seasonal_weights_recover_planted_shape_despite_anomaly(profile):
    r = np.corrcoef(profile.base.to_numpy(), SHAPE)[0, 1]
    assert r > 0.98
    assert 0.5 < profile.cny_effect < 0.7
    assert profile.fit["weight"].iloc[29] < 0.3  # the anomalous month is down-weighted


def test_cny_weight_follows_the_fiscal_years_calendar(profile):
    w25 = profile.weights(2025).set_index(profile.weights(2025)["period"].astype(str))
    w26 = profile.weights(2026).set_index(profile.weights(2026)["period"].astype(str))
    # 2025: New Year on Jan 29, the slow window straddles January; 2026: Feb 17, all February
    assert w25.at["2025-01", "cny_factor"] < 0.85
    assert w26.at["2026-01", "cny_factor"] == pytest.approx(1.0)
    assert w26.at["2026-02", "cny_factor"] < w25.at["2025-02", "cny_factor"]
    jan_feb_25 = w25.at["2025-01", "weight"] / w25.at["2025-02", "weight"]
    jan_feb_26 = w26.at["2026-01", "weight"] / w26.at["2026-02", "weight"]
    assert jan_feb_26 > 1.3 * jan_feb_25
    assert w25["weight"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("unit", [0.01, 1000])
def test_decompose_reconciles_to_the_cent(profile, unit):
    total = 15_000_000.37
    comp = goals.decompose(total, profile.weights(2026), unit=unit, week_start="SUN")
    assert_reconciles(comp, total)
    assert set(comp["grain"]) == {"year", "quarter", "month", "week"}
    weeks = comp[comp["grain"] == "week"]
    assert (pd.to_datetime(weeks["period"]).dt.day_of_week.isin([6]) |
            pd.to_datetime(weeks["period"]).dt.day.eq(1)).all()


@pytest.mark.parametrize("method", goals.METHODS)
def test_allocation_reconciles_at_every_level(profile, reps, history, market, method):
    total = 15_000_000.37
    comp = goals.decompose(total, profile.weights(2026), unit=1000)
    tg = goals.allocate(comp, reps, method=method, history=history, market=market,
                        blend={"ttm": 0.5, "capacity": 0.3, "potential": 0.2}, unit=1000)
    assert_reconciles(tg, total)
    assert list(tg.columns) == ["level", "key", "parent", "grain", "period", "amount"]


@pytest.mark.parametrize("levels", [("team", "rep"), ("rep",), ("region", "rep")])
def test_allocation_level_subsets(profile, reps, levels):
    comp = goals.decompose(2_000_000.05, profile.weights(2026), unit=100)
    tg = goals.allocate(comp, reps, method="capacity", levels=levels, unit=100)
    assert_reconciles(tg, 2_000_000.05)
    assert set(tg["level"]) == {"company", *levels}
    with pytest.raises(ValueError, match="team"):
        goals.allocate(comp, reps.drop(columns="team"), levels=("team",))


def test_reps_without_hire_dates_or_teams_still_get_targets(profile, reps):
    """Northwind's employees and BikeStores' staffs have no hire dates (and may leave team or
    region empty): 01 said "No reps table" and kept targets at company level. Each rep now gets a
    whole-year target without ramp-up, the empty level is left out, and the note says both."""
    bare = reps.drop(columns=[c for c in ("hire_date", "end_date") if c in reps]).assign(team=None)
    levels, note = goals.unit_levels(bare, ["region", "team", "rep"])
    assert levels == ["region", "rep"]
    assert "names no team: targets go to region, rep" in note and "no hire dates" in note
    comp = goals.decompose(900_000, profile.weights(2026), unit=1)
    tg = goals.allocate(comp, bare, method="capacity", levels=levels, unit=1)
    assert_reconciles(tg, 900_000)
    year = tg[(tg["level"] == "rep") & (tg["grain"] == "year")]
    assert len(year) == 9 and year["amount"].min() > 0
    region = tg[(tg["level"] == "region") & (tg["grain"] == "year")].set_index("key")["amount"]
    assert region.to_dict() == pytest.approx({"North": 400_000, "South": 500_000}, abs=2)
    assert goals.rep_year_targets(tg, bare, fiscal_year=2026)["part_year"].sum() == 0
    assert goals.unit_levels(None, ["rep"]) == ([], "No reps table: targets stay at company level.")
    assert goals.unit_levels(reps, ["region", "team", "rep"]) == (["region", "team", "rep"], "")


def test_one_region_is_not_a_comparison(reps):
    """Northwind's nine reps all sit in region "All": 01 showed a one-row table of each method's
    share (100.0 % in every column) and a one-bar chart. One region takes the whole number; the
    page says so in a sentence instead."""
    one = reps.assign(region="All")
    note = goals.single_region_note(one, kind="plan", amount="$691,136")
    assert note == ("Every rep is in one region, All: it takes the whole plan ($691,136), so the "
                    "methods are not compared by region.")
    assert goals.single_region_note(reps, kind="plan", amount="$1") == ""
    assert "whole target" in goals.single_region_note(one, kind="target", amount="$1")


def test_fiscal_year_starting_in_april(profile, reps):
    w = profile.weights(2026, start_month=4)
    assert str(w["period"].iloc[0]) == "2026-04" and str(w["period"].iloc[-1]) == "2027-03"
    comp = goals.decompose(1_000_000, w, unit=1)
    assert_reconciles(comp, 1_000_000)
    q1 = comp[(comp["grain"] == "month") & comp["period"].isin(["2026-04", "2026-05", "2026-06"])]
    assert comp.set_index("period").at["2026-Q1", "amount"] == q1["amount"].sum()
    assert_reconciles(goals.allocate(comp, reps, unit=1), 1_000_000)


def test_allocation_region_only_and_cent_unit(profile, reps, history):
    total = 1_234_567.89
    comp = goals.decompose(total, profile.weights(2026), unit=0.01)
    tg = goals.allocate(comp, reps, method="history", history=history, levels=("region",),
                        unit=0.01)
    assert_reconciles(tg, total)
    assert set(tg["level"]) == {"company", "region"}


def test_mid_year_hire_is_prorated_and_ramped_and_leavers_get_nothing(profile, reps):
    comp = goals.decompose(12_000_000, profile.weights(2026), unit=1)
    tg = goals.allocate(comp, reps, method="capacity", ramp_months=3, unit=1)
    m = tg[(tg["level"] == "rep") & (tg["grain"] == "month")].pivot(
        index="period", columns="key", values="amount")
    new, peer = m["r6"], m["r4"]
    assert (new.loc[:"2026-06"] == 0).all()
    ratio = new / peer
    # hired on Jul 15: half a month of presence at a low ramp, then rising to parity
    assert 0 < ratio["2026-07"] < 0.1
    assert ratio["2026-07"] < ratio["2026-08"] < ratio["2026-09"] < ratio["2026-10"]
    assert ratio["2026-11"] == pytest.approx(1.0, abs=0.01)
    assert new.sum() < 0.5 * peer.sum()
    # r7 left before the fiscal year: no target at all; r8 leaves on Mar 31: nothing after
    assert "r7" not in set(tg["key"])
    assert (m["r8"].loc["2026-04":] == 0).all() and m["r8"].loc["2026-01"] > 0
    weeks = tg[(tg["key"] == "r6") & (tg["grain"] == "week") & (tg["amount"] > 0)]
    assert pd.to_datetime(weeks["period"]).min() >= pd.Timestamp("2026-07-13")


def test_team_of_only_leavers_passes_its_share_on(profile, reps, history):
    comp = goals.decompose(1_000_000, profile.weights(2026), unit=1)
    gone = reps.assign(end_date=reps["end_date"].where(reps["team"] != "A",
                                                       pd.Timestamp("2025-12-31")))
    tg = goals.allocate(comp, gone, method="history", history=history, unit=1)
    assert_reconciles(tg, 1_000_000)
    assert tg[(tg["key"] == "A") & (tg["grain"] == "year")]["amount"].sum() == 0


def _stub_forecast(y, horizon, *, season_length=None, levels=(80, 95)):
    """Seasonal-naive forecast with intervals widening like a random walk (a test double)."""
    last = y.iloc[-12:].to_numpy()
    mean = np.resize(last, horizon) * 1.05
    sd = 0.05 * mean * np.sqrt(np.arange(1, horizon + 1))
    idx = pd.period_range(y.index[-1] + 1, periods=horizon, freq="M")
    out = {"mean": mean}
    for lvl in levels:
        z = {80: 1.2815515655446004, 95: 1.959963984540054}[lvl]
        out[f"lo{lvl}"], out[f"hi{lvl}"] = mean - z * sd, mean + z * sd
    return pd.DataFrame(out, index=idx)


def test_p_hit_decreases_with_the_target(monthly):
    last = monthly["revenue"].iloc[-12:].sum()
    ps = [goals.prob_hit(monthly, target=last * k, fiscal_year=2026, forecast=_stub_forecast).p
          for k in (0.9, 1.0, 1.05, 1.2, 3.0)]
    assert all(a > b for a, b in zip(ps, ps[1:], strict=False))
    assert ps[0] > 0.9 and ps[-1] < 1e-6


def test_p_hit_mid_year_counts_actuals(monthly):
    hit = goals.prob_hit(monthly, target=1e7, fiscal_year=2025, as_of="2025-06",
                         forecast=_stub_forecast)
    actual = monthly.loc[monthly["period"].between("2025-01-01", "2025-06-01"), "revenue"].sum()
    assert hit.actual_to_date == pytest.approx(actual)
    assert hit.months_remaining == 6
    fc = _stub_forecast(pd.Series(monthly["revenue"].to_numpy()[:54],
                                  index=pd.period_range("2021-01", periods=54, freq="M")), 6)
    again = goals.prob_hit(monthly, target=1e7, fiscal_year=2025, as_of="2025-06", forecast=fc)
    assert again.p == pytest.approx(hit.p)


def test_p_hit_with_the_trends_forecaster(monthly):
    trends = pytest.importorskip("salesnb.trends")
    last = monthly["revenue"].iloc[-12:].sum()
    s = pd.Series(monthly["revenue"].to_numpy(), index=pd.period_range("2021-01", periods=60,
                                                                        freq="M"))
    # one candidate keeps the test fast; the notebook uses the full auto_forecast
    fc = trends.AutoForecaster(season_length=12, candidates=("ets",)).fit(s).predict(12)
    low, mid, absurd = (goals.prob_hit(monthly, target=last * k, fiscal_year=2026, forecast=fc).p
                        for k in (0.8, 1.1, 5.0))
    assert low > mid > absurd and absurd < 1e-3


def test_p_hit_for_a_quarter(monthly):
    q = ["2025-04", "2025-05", "2025-06"]
    hit = goals.prob_hit(monthly, target=1e6, fiscal_year=2025, as_of="2025-04", months=q,
                         forecast=_stub_forecast)
    april = monthly.loc[monthly["period"] == "2025-04-01", "revenue"].sum()
    assert hit.months_remaining == 2 and hit.actual_to_date == pytest.approx(april)


def test_p_hit_for_a_future_year(monthly):
    hist = monthly[monthly["period"] < "2025-01-01"]  # data to 2024-12, planning FY2026
    hit = goals.prob_hit(hist, target=1e7, fiscal_year=2026, forecast=_stub_forecast)
    y = pd.Series(hist["revenue"].to_numpy(), index=pd.period_range("2021-01", "2024-12", freq="M"))
    fc = _stub_forecast(y, 24)
    assert hit.months_remaining == 12 and hit.actual_to_date == 0
    assert hit.mean == pytest.approx(fc["mean"].iloc[12:].sum())


def test_smart_check_verdicts(monthly):
    last = monthly["revenue"].iloc[-12:].sum()
    ok = goals.smart_check(monthly, target=last * 1.1, fiscal_year=2026, forecast=_stub_forecast)
    assert list(ok.table["criterion"]) == ["Specific", "Measurable", "Achievable", "Relevant",
                                           "Time-bound"]
    assert ok.table.set_index("criterion").at["Time-bound", "status"] == "pass"
    assert ok.implied_growth == pytest.approx(0.1)
    assert len(ok.recent_growth) == 3
    bad = goals.smart_check(monthly, target=last * 3, fiscal_year=2026, forecast=_stub_forecast)
    t = bad.table.set_index("criterion")["status"]
    assert t["Achievable"] == "fail" and t["Relevant"] == "warn" and bad.verdict == "fail"
    over = goals.smart_check(monthly, target=last, fiscal_year=2024, forecast=_stub_forecast)
    assert over.table.set_index("criterion").at["Time-bound", "status"] == "fail"


def test_smart_check_does_not_fail_a_short_history_as_unmeasurable(monthly):
    """Northwind (18 months before FY1998, none empty): 01 said the plan "fails the SMART check" on
    Measurable alone ("only 18 months of history: seasonality needs 24"), P(hit) 76 %. Revenue is
    recorded every month, so progress is measurable; what 18 months cannot give is a yearly
    pattern, and the monthly milestones follow working days. That is a caveat (warn), said so."""
    hist = monthly.iloc[-18:]  # 2024-07 to 2025-12, planning FY2026
    last = hist["revenue"].iloc[-12:].sum()
    chk = goals.smart_check(hist, target=last * 0.9, fiscal_year=2026, forecast=_stub_forecast)
    t = chk.table.set_index("criterion")
    assert t.at["Measurable", "status"] == "warn" and t.at["Achievable", "status"] == "pass"
    assert t.at["Measurable", "reason"] == (
        "18 months of history, none empty: progress is measurable; milestones follow working days (a yearly "
        "pattern needs 24)")
    assert len(t.at["Measurable", "reason"]) <= fmt.MAX_CELL  # shown whole, not cut with "…"
    assert chk.verdict == "warn"
    gaps = hist.assign(revenue=np.where(np.arange(18) == 4, 0.0, hist["revenue"]))
    why = goals.smart_check(gaps, target=last * 0.9, fiscal_year=2026,
                            forecast=_stub_forecast).table.set_index("criterion").loc["Measurable"]
    assert why["status"] == "warn" and why["reason"] == (
        "18 months of history, 1 without revenue; milestones follow working days (a yearly pattern needs 24 "
        "months)")
    from salesnb import i18n

    assert i18n.tr(t.at["Measurable", "reason"], "zh-CN") == (
        "18 个月的历史，无空缺月份：进度可以衡量；月度里程碑按工作日分配（一年之内的规律需要 24 个月）")
    full = goals.smart_check(monthly, target=last, fiscal_year=2026, forecast=_stub_forecast)
    assert full.table.set_index("criterion").at["Measurable", "status"] == "pass"


def test_smart_check_says_when_p_hit_rests_on_a_slowdown(monthly):
    """The history grows 12.7 % a year, every year. A forecast of +5 % (the stub) assumes a
    slowdown the history has not shown: the Achievable reason says so and how much the forecast
    grows; a forecast on the trend does not; nor does any forecast of a business whose recent
    years did not all grow (the fixture's one-off mega deal makes 2024 shrink)."""
    steady = monthly.copy()
    steady.loc[29, "revenue"] /= 3.0  # without the mega deal: every year grows
    last = steady["revenue"].iloc[-12:].sum()

    def on_trend(y, horizon, **kw):
        fc = _stub_forecast(y, horizon, **kw)
        return fc * (1.127 / 1.05)

    slow = goals.smart_check(steady, target=last * 1.1, fiscal_year=2026, forecast=_stub_forecast)
    assert slow.assumes_slowdown and slow.forecast_growth == pytest.approx(0.05, abs=1e-9)
    reason = slow.table.set_index("criterion").at["Achievable", "reason"]
    avg = fmt.pct(slow.recent_growth["growth"].mean(), decimals=1, signed=True)
    assert "+5.0 % on FY2025" in reason and f"assumes growth slows to +5.0 %, against {avg}" in reason
    # the scenario it names is priced: the months to come at last year's months × (1 + the
    # average), with the forecast's spread, so P(hit) at that pace is above the forecast's
    prev = steady.set_index(pd.PeriodIndex(steady["period"], freq="M"))["revenue"]
    at_pace = prev.loc["2025-01":"2025-12"].sum() * (1 + slow.recent_growth["growth"].mean())
    assert slow.mean_at_pace == pytest.approx(at_pace, rel=1e-9)
    assert slow.p_hit_at_pace > slow.hit.p
    pace = goals.HitProbability(np.nan, last * 1.1, at_pace, slow.hit.sd, 0.0, at_pace, 12,
                                slow.hit.as_of, slow.hit.df)
    assert slow.p_hit_at_pace == pytest.approx(1 - pace.cdf(last * 1.1), abs=1e-9)
    assert f"if the business keeps that pace, P(hit) is {fmt.pct(slow.p_hit_at_pace, decimals=0)}" in reason
    assert f"(revenue {fmt.money(at_pace)})" in reason
    trend = goals.smart_check(steady, target=last * 1.1, fiscal_year=2026, forecast=on_trend)
    assert not trend.assumes_slowdown and trend.forecast_growth == pytest.approx(0.127, abs=1e-9)
    assert "slows" not in trend.table.set_index("criterion").at["Achievable", "reason"]
    assert np.isnan(trend.p_hit_at_pace) and np.isnan(trend.mean_at_pace)
    # checked half a year early, some months to come have no month a year before them in the
    # data: the scenario is named, not priced
    early = goals.smart_check(steady, target=last * 1.1, fiscal_year=2026, as_of="2025-06",
                              forecast=_stub_forecast)
    why = early.table.set_index("criterion").at["Achievable", "reason"]
    assert early.assumes_slowdown and "P(hit) is understated" in why
    assert np.isnan(early.p_hit_at_pace)
    f = goals.smart_check(monthly, target=last, fiscal_year=2026, forecast=_stub_forecast)
    assert (f.recent_growth["growth"] < 0).any() and not f.assumes_slowdown


def test_smart_check_reads_in_the_pages_language(monthly):
    """Reasons and values are messages: English in the table (results.json), Chinese on a zh-CN
    page (they were English f-strings on the Chinese page)."""
    from salesnb import fmt, i18n

    steady = monthly.copy()
    steady.loc[29, "revenue"] /= 3.0
    last = steady["revenue"].iloc[-12:].sum()
    try:
        i18n.set_lang("zh-CN")  # as sn.setup does, before the notebook computes
        chk = goals.smart_check(steady, target=last * 1.1, fiscal_year=2026,
                                forecast=_stub_forecast)
        t = chk.table.set_index("criterion")
        assert t.at["Measurable", "reason"] == "60 months of history, no empty month"
        assert t.at["Time-bound", "value"] == "12 months left"
        assert t.at["Achievable", "reason"].startswith("a stretch (forecast ")
        html = fmt.table(chk.table, values=["criterion", "status", "value", "reason"]).to_html()
        assert not i18n.missing(), i18n.missing()
    finally:
        i18n.set_lang("en")
    for text in ("60 个月的历史，无空缺月份", "剩余 12 个月", "预测假定增长放缓至 +5.0 %", "达成概率",
                 "与近年增长一致", "FY2026 预测"):
        assert text in html, text
    assert "months" not in html and "forecast" not in html


def test_resolve_target_from_growth(monthly):
    target, base = goals.resolve_target(monthly, fiscal_year=2026, growth=0.1)
    assert base == pytest.approx(monthly["revenue"].iloc[-12:].sum())
    assert target == pytest.approx(base * 1.1, abs=0.01)


def test_respread_view_drops_a_name_that_repeats_the_key():
    """Northwind's reps are named by their ids: 01's re-spread table read "Key 5 | Name 5" on every
    row. The name column goes when it only repeats the key; the plan's columns are named for a plan."""
    summary = pd.DataFrame({"key": ["5", "6"], "name": ["5", None], "parent": ["Sales", "Sales"],
                            "annual_target": [59_000.0, 60_000.0], "ytd_actual": [19_692.0, 14_144.0],
                            "attainment_ytd": [1.036, 0.707], "gap": [39_308.0, 45_856.0],
                            "required_run_rate": [4_914.0, 5_732.0], "current_run_rate": [2_663.0, 4_090.0],
                            "best_run_rate": [4_717.0, 4_336.0], "beyond_best": [True, True],
                            "months_left": [8, 8]})
    view = goals.respread_view(summary, kind="plan")
    assert list(view.columns) == ["key", "parent", "annual_plan", "ytd_actual", "share_of_plan_ytd", "gap",
                                  "required_run_rate", "current_run_rate", "best_run_rate", "beyond_best"]
    named = goals.respread_view(summary.assign(name=["Ann", "Bo"]), kind="target")
    assert list(named.columns)[:4] == ["key", "name", "parent", "annual_target"]


def test_respread_caption_names_over_achievers_only_when_someone_is_past_the_year():
    """Northwind (no rep past their year's number): 01's caption still said "over-achievers do not
    offset the others' gaps". Said only when a rep has sold more than the whole year's number (their
    gap is 0, not negative), with how much."""
    summary = pd.DataFrame({"key": ["5", "6", "7"], "annual_target": [59_000.0, 60_000.0, 40_000.0],
                            "ytd_actual": [19_692.0, 14_144.0, 30_000.0], "gap": [39_308.0, 45_856.0, 10_000.0],
                            "beyond_best": [True, False, False]})
    assert str(goals.respread_caption(summary)) == (
        "Reps by required ÷ current run-rate: 1 of 3 need more than their best. Rep gaps add up to $95,164")
    one = summary.assign(ytd_actual=[19_692.0, 14_144.0, 52_500.0], gap=[39_308.0, 45_856.0, 0.0])
    said = goals.respread_caption(one)
    assert str(said) == (
        "Reps by required ÷ current run-rate: 1 of 3 need more than their best. Rep gaps add up to $85,164: "
        "one rep has already sold more than their number for the whole year, by $12,500, which does not "
        "offset the others' gaps")
    two = one.assign(ytd_actual=[61_000.0, 14_144.0, 52_500.0], gap=[0.0, 45_856.0, 0.0])
    assert "2 reps have already sold more than their number for the whole year, by $14,500 together" in str(
        goals.respread_caption(two))
    from salesnb import i18n

    assert i18n.tr(said, "zh-CN") == (
        "按所需 ÷ 当前月均收入排序：3 名销售代表中有 1 名所需业绩超过其历史最佳。各代表缺口合计 $85,164：1 名销售代表的"
        "销售额已超过其全年数字 $12,500，超出部分不抵消他人的缺口")


def test_respread_gap_and_flags(profile, reps):
    comp = goals.decompose(12_000_000, profile.weights(2026), unit=1)
    tg = goals.allocate(comp, reps, method="capacity", unit=1)
    plan = tg[(tg["level"] == "rep") & (tg["grain"] == "month")]
    done = plan[plan["period"] <= "2026-06"]
    # everyone sold 90 % of plan to June; r0 sold nothing and r1 sold 2.5 times plan
    factor = done["key"].map({"r0": 0.0, "r1": 2.5}).fillna(0.9)
    actuals = done.assign(amount=done["amount"] * factor)[["key", "period", "amount"]]
    past = pd.DataFrame({"key": "r0", "period": ["2025-11", "2025-12"], "amount": 1000.0})
    rs = goals.respread(tg, pd.concat([past, actuals]), as_of="2026-06", level="rep", unit=1)
    s = rs.summary.set_index("key")
    got = rs.plan.assign(c=cents(rs.plan["amount"])).groupby("key")["c"].sum()
    live = s.index[s["months_left"] > 0]
    assert (got[live] == cents(s["gap"])[live]).all()
    assert got[s.index[s["months_left"] == 0]].eq(0).all()
    assert set(rs.plan["period"]) == {f"2026-{m:02d}" for m in range(7, 13)}
    assert s.at["r1", "gap"] == 0 and not s.at["r1", "beyond_best"]
    assert s.at["r0", "beyond_best"] and s.at["r0", "required_run_rate"] > 1e5
    assert s.at["r8", "months_left"] == 0  # left in March
    assert s.at["r2", "ytd_actual"] == pytest.approx(0.9 * s.at["r2", "ytd_target"], abs=1)
    by_season = goals.respread(tg, actuals, as_of="2026-06", unit=1, weights=profile.weights(2026))
    b = by_season.summary.set_index("key")
    got = by_season.plan.groupby("key")["amount"].sum()
    assert got["r2"] == pytest.approx(b.at["r2", "gap"])
    new = by_season.plan[by_season.plan["key"] == "r2"].set_index("period")["amount"]
    w = profile.weights(2026).assign(p=lambda d: d["period"].astype(str)).set_index("p")["weight"]
    assert np.corrcoef(new.to_numpy(), w.loc[new.index].to_numpy())[0, 1] > 0.99


@pytest.fixture(scope="module")
def demo():
    """The demo company's monthly aggregates (generated on first use) and its ground truth."""
    import json

    from salesnb.data import goals_queries, open_source
    from salesnb.data.demo import ensure_demo

    folder = ensure_demo()
    gt = json.loads((folder / "ground_truth.json").read_text())
    return goals_queries.goal_inputs(open_source(str(folder))), gt


def test_goal_inputs_match_extract(demo):
    from salesnb.data import extract, open_source

    inp, _ = demo
    ds = open_source("demo")
    ref = extract.revenue(ds, freq="M", end=(inp.last_complete + 1).start_time)
    ref = ref[ref["period"] >= inp.company["period"].min()]
    got = inp.company.set_index("period")["revenue"]
    assert np.allclose(got.to_numpy(), ref.set_index("period")["revenue"].reindex(got.index))
    assert inp.by_unit["revenue"].sum() == pytest.approx(got.sum())
    assert inp.last_complete == pd.Period("2026-10", "M") or inp.last_complete < pd.Period(
        pd.Timestamp(ds.as_of), "M")


def test_demo_weights_match_the_planted_shape(demo):
    inp, gt = demo
    hist = inp.company[inp.company["period"] < "2026-01-01"]
    prof = goals.fit_seasonality(hist)
    planted = np.array(gt["seasonality"]["monthly"])
    assert np.corrcoef(prof.base.to_numpy(), planted)[0, 1] > 0.95
    # the planted CNY dip: depth 0.5 over an 18-day window, about -30 % on a month holding it
    assert 0.6 < prof.cny_effect < 0.85
    assert abs(prof.annual_growth - gt["trend"]["annual_growth"]) < 0.05
    w = prof.weights(2026, include_trend=False)
    assert np.corrcoef(w["weight"] / w["cny_factor"] / w["wd_factor"], planted)[0, 1] > 0.95


def test_demo_allocation_hires_and_leavers(demo):
    inp, gt = demo
    hist = inp.company[inp.company["period"] < "2026-01-01"]
    prof = goals.fit_seasonality(hist)
    comp = goals.decompose(250_000_000, prof.weights(2026), unit=1000)
    tg = goals.allocate(comp, inp.reps, method="blend", history=inp.by_unit, market=inp.market,
                        blend={"ttm": 0.4, "capacity": 0.4, "potential": 0.2},
                        ramp_months=gt["reps"]["ramp_months"], unit=1000)
    assert_reconciles(tg, 250_000_000)
    reps = inp.reps.set_index("rep_id")
    month = tg[(tg["level"] == "rep") & (tg["grain"] == "month")].pivot(
        index="period", columns="key", values="amount")
    for r in gt["reps"]["leavers"]:
        end = reps.at[r, "end_date"]
        if end < pd.Timestamp("2026-01-01"):
            assert r not in month.columns
        else:
            assert (month[r].loc[str(end.to_period("M") + 1):] == 0).all()
    for r in gt["reps"]["new_hires"]:
        hired = reps.at[r, "hire_date"].to_period("M")
        assert (month[r].loc[:str(hired - 1)] == 0).all()
        after = month[r].loc[str(hired):].to_numpy()
        assert after[0] > 0 and after[0] < after[min(3, len(after) - 1)]


def test_holiday_calendar_follows_the_country():
    """A US company gets US holidays and no Chinese-New-Year window; China keeps both."""
    months = pd.period_range("2025-01", "2025-12", freq="M")
    us = goals.month_calendar(months, country="US").set_index("period")
    cn = goals.month_calendar(months, country="CN").set_index("period")
    assert (us["cny_share"] == 0).all()
    assert cn["cny_share"].sum() == pytest.approx(1.0)
    assert us.at[pd.Period("2025-07", "M"), "working_days"] == 22  # 23 weekdays - 4 July
    assert cn.at[pd.Period("2025-10", "M"), "working_days"] < 20  # Golden Week
    plain = goals.month_calendar(months, country=None)
    assert (plain["cny_share"] == 0).all()
    assert goals.month_calendar(months, country="US", lunar_new_year=True)["cny_share"].sum() \
        == pytest.approx(1.0)  # asked for explicitly


def test_us_seasonality_has_no_cny_effect(monthly):
    prof = goals.fit_seasonality(monthly, country="US", working_day_elasticity=0.0)
    assert prof.cny_effect == 1.0 and prof.country == "US"
    w = prof.weights(2026)
    assert (w["cny_share"] == 0).all() and (w["cny_factor"] == 1).all()
    cn = goals.fit_seasonality(monthly, country="CN", working_day_elasticity=0.0)
    assert cn.cny_effect < 0.8  # the planted dip is found where it is modelled


def _naive_forecast(y, horizon, *, season_length=None, levels=(80, 95)):
    """A fast stand-in for auto_forecast: last value, sd 5 % of it per month."""
    from salesnb import trends

    idx = pd.period_range(y.index[-1] + 1, periods=horizon, freq="M")
    mean = np.full(horizon, float(y.iloc[-1]))
    sd = 0.05 * mean
    out = pd.DataFrame({"mean": mean}, index=idx)
    for lv in levels:
        z = trends._z(lv)
        out[f"lo{lv}"], out[f"hi{lv}"] = mean - z * sd, mean + z * sd
    out.attrs["fallback"] = "only a stub"
    return out


@pytest.mark.parametrize("n_months", [3, 10, 18, 23])
def test_plan_year_on_short_histories(monthly, n_months):
    """Less than two years of data: no crash; each step does what the data supports and says so."""
    hist = monthly.iloc[-n_months:]  # ends 2025-12; plan FY2026
    plan = goals.plan_year(hist, fiscal_year=2026, last_complete="2025-12", growth=0.12,
                           country="US", forecast=_naive_forecast)
    assert plan.weights_method == "working days"
    assert plan.weights["weight"].sum() == pytest.approx(1.0)
    assert any("Seasonality needs 24 months" in n for n in plan.notes)
    # "this data has 1 before 2011-01" (Online Retail): 1 what?
    assert any(f"this data has {n_months} month(s) before 2026-01" in n for n in plan.notes), plan.notes
    if n_months >= 12:  # FY2025 fully known: an automatic plan, labelled as such
        assert plan.kind == "plan" and plan.label.startswith("plan")
        assert plan.target == pytest.approx(hist["revenue"].iloc[-12:].sum() * 1.12, abs=0.01)
        assert plan.check is not None
    else:  # FY2025 cut at the data's start: no base, no automatic plan (was: the missing
        # months counted as zero, a plan far below the run-rate)
        assert plan.target is None and any("cannot be set" in n for n in plan.notes)
    # the forecast's caveat only beside a number that rests on it (Online Retail, no plan: 01 said
    # "read it with care" about a forecast the page never showed)
    assert (plan.forecast_note is None) == (plan.check is None)
    if plan.check is not None:
        assert "read it with care" in plan.forecast_note
    given = goals.plan_year(hist, fiscal_year=2026, last_complete="2025-12", annual_target=5e6,
                            forecast=_naive_forecast)
    assert given.kind == "target" and given.target == 5e6
    assert given.forecast_note and "read it with care" in given.forecast_note


def test_plan_year_names_its_forecast_model_in_plain_words(monthly):
    """The demo's 01 caption read "(forecast model: ARIMA(1, 0, 0)(0,1,1)[12] on log)": the caption
    is a sentence, the model named without its notation."""
    def arima(y, horizon, **kw):
        out = _naive_forecast(y, horizon, **kw)
        out.attrs["model"] = "ARIMA(1, 0, 0)(0,1,1)[12] on log"
        return out

    plan = goals.plan_year(monthly, fiscal_year=2026, last_complete="2025-12", forecast=arima)
    assert str(plan.model_name) == "ARIMA, fitted on a log scale"


def test_plan_year_names_the_seasonal_naive_by_its_forecasts_season(monthly):
    """The caption's model words read the season the forecast was fitted with: a monthly forecast's
    seasonal naive repeats the same month last year (not "same period": the season is known)."""
    def snaive(y, horizon, **kw):
        out = _naive_forecast(y, horizon, **kw)
        out.attrs.update(model="seasonal naive", season_length=12)
        return out

    plan = goals.plan_year(monthly, fiscal_year=2026, last_complete="2025-12", forecast=snaive)
    assert str(plan.model_name) == "same month last year"


def test_the_chinese_caption_names_the_forecast_model_once():
    """01's Chinese caption read "（预测模型：三个预测模型的平均（…））": the caption's own words named the
    forecast model and so did the model's words. The caption says 预测方法 (forecast method)."""
    from salesnb import i18n
    from salesnb.trends import model_words

    params = {"fy": 2026, "target": "$1", "verdict": "passes the SMART check",
              "model": model_words("combination(ets+arima+theta)", form="sentence")}
    for kind in ("plan", "target"):
        zh = i18n.t(goals.kind_words("check", kind, **params), "zh-CN")
        assert "（预测方法：三个预测模型的平均（指数平滑、ARIMA、Theta 法））" in zh, zh
        assert zh.count("预测模型") == 1, zh


def test_the_base_shape_is_named_for_what_it_leaves_out(monthly):
    """Northwind (US calendar, 18 months: weights by working days) drew a flat "base shape (no CNY,
    working days or trend)" beside its weights: no New Year in its calendar, no shape at all. The
    legend says what the base leaves out on this data."""
    short = goals.plan_year(monthly.iloc[-18:], fiscal_year=2026, last_complete="2025-12", country="US",
                            forecast=_naive_forecast)
    assert str(short.base_words) == "every month alike, before working days"
    us = goals.plan_year(monthly, fiscal_year=2026, last_complete="2025-12", country="US",
                         forecast=_naive_forecast)
    assert str(us.base_words) == "base shape (no working days or trend)"
    cn = goals.plan_year(monthly, fiscal_year=2026, last_complete="2025-12", country="CN",
                         forecast=_naive_forecast)
    assert str(cn.base_words) == "base shape (no CNY, working days or trend)"
    from salesnb import i18n

    assert i18n.tr(short.base_words, "zh-CN") == "各月相同（未计工作日）"
    assert i18n.tr(us.base_words, "zh-CN") == "基础形态（不含工作日与趋势）"


def test_plan_year_completes_last_year_with_the_forecast(monthly):
    hist = monthly[monthly["period"] <= "2025-09-01"].iloc[-20:]  # FY2025 to September
    plan = goals.plan_year(hist, fiscal_year=2026, last_complete="2025-09",
                           forecast=_naive_forecast)
    sep = hist["revenue"].iloc[-1]
    known = hist.loc[hist["period"] >= "2025-01-01", "revenue"].sum()
    assert plan.base == pytest.approx(known + 3 * sep)  # + the stub's Oct-Dec
    assert any("FY2025 has 9 months" in n for n in plan.notes)


def test_plan_year_when_the_data_starts_inside_the_year(monthly):
    hist = monthly[monthly["period"] >= "2025-09-01"]  # a CRM adopted in September
    plan = goals.plan_year(hist, fiscal_year=2025, last_complete="2025-12",
                           forecast=_naive_forecast)
    assert plan.target is None and plan.check is None
    assert any("cannot be set" in n and "annual_target" in n for n in plan.notes)
    # no target to check, so no word on when "the target is checked" (Maven CRM's 01 said so, then
    # that no plan could be set)
    assert not any("checked" in n for n in plan.notes)
    assert plan.hit_curve().empty
    given = goals.plan_year(hist, fiscal_year=2025, last_complete="2025-12", annual_target=5e6,
                            forecast=_naive_forecast)
    assert any("after FY2025 began" in n and "target is checked" in n for n in given.notes)


def test_hit_curve_reads_the_checks_distribution_in_any_fiscal_year(monthly):
    """The curve at the target is the SMART check's P(hit), whatever month the fiscal year starts
    in (it used to price calendar years: with an April year, 0.11 on the curve against 0.33 in
    the check). When the check prices the recent pace, its curve follows, above the forecast's."""
    steady = monthly.copy()
    steady.loc[29, "revenue"] /= 3.0
    for start, last in ((1, "2025-12"), (4, "2025-03"), (7, "2025-06")):
        plan = goals.plan_year(steady[steady["period"] <= pd.Period(last).to_timestamp()],
                               fiscal_year=2025 if start > 1 else 2026, last_complete=last,
                               growth=0.1, start_month=start, forecast=_stub_forecast)
        curve = plan.hit_curve((plan.target / plan.base,))
        fc = curve[curve.scenario == "forecast"]
        assert fc.p_hit.iloc[0] == pytest.approx(plan.check.hit.p, abs=1e-12), start
        assert plan.check.assumes_slowdown  # the stub grows 5 %, the history 12.7 %
        pace = curve[curve.scenario == "at the recent pace"]
        assert pace.p_hit.iloc[0] == pytest.approx(plan.check.p_hit_at_pace, abs=1e-12)
        assert pace.p_hit.iloc[0] > fc.p_hit.iloc[0]


def test_progress_without_a_plan_still_shows_revenue_to_date(monthly):
    p = goals.progress(monthly, None, fiscal_year=2025, as_of="2025-08")
    # its caption compares with nothing (Maven CRM's 01: "Revenue to date against the plan" above
    # three actuals, just after "no plan to compare with")
    assert goals.progress_caption(p, kind="plan", month="2025-08") == "Revenue to date (as of 2025-08)"
    aug = monthly.loc[monthly["period"] == "2025-08-01", "revenue"].sum()
    q3 = monthly.loc[monthly["period"].between("2025-07-01", "2025-08-01"), "revenue"].sum()
    assert p.figures["actual_mtd"] == pytest.approx(aug)
    assert p.figures["actual_qtd"] == pytest.approx(q3)
    assert "target_ytd" not in p.figures and "no target" in p.note
    plan_m = pd.DataFrame({"period": [f"2025-{m:02d}" for m in range(1, 13)],
                           "amount": np.full(12, 1e6)})
    auto = goals.progress(monthly, plan_m, fiscal_year=2025, as_of="2025-08", target=1.2e7,
                          label="plan", forecast=_naive_forecast)
    pub = auto.published("plan")
    assert "plan_ytd" in pub and "target_ytd" not in pub and "% of plan" in auto.note
    # the page's table names a plan a plan too (Northwind's showed "Target ytd", "Attainment YTD 186 %")
    assert {"plan_ytd", "share_of_plan_ytd"} <= set(auto.table) and not {"target_ytd", "attainment_ytd"} & set(auto.table)
    assert 0 <= pub["p_hit_now"] <= 1 and 0 <= pub["p_hit_quarter"] <= 1
    assert goals.progress_caption(auto, kind="plan", month="2025-08") == \
        "Revenue to date against the plan (as of 2025-08)"


def test_spread_of_the_year_total_matches_its_errors():
    """The year's total had an sd 2.75 times its real error (95 % bands, rho 0.5 assumed; the
    standardised errors had an sd of 0.36): its standardised errors over simulated growing series
    must have an sd near 1. Measured on this seed: 0.79 with per-horizon conformal factors, 0.60
    since the factors count backtest origins (Theta's own bands widen too fast, and the origin
    count makes its calibrated bands conservative: 80 % monthly coverage 0.92 on these series);
    the bound still catches a spread twice too wide."""
    from salesnb import trends

    rng = np.random.default_rng(11)
    z = []
    for _ in range(10):
        t = np.arange(72)
        e = np.zeros(72)
        for i in range(1, 72):
            e[i] = 0.6 * e[i - 1] + rng.normal(0, 0.05)
        y = 1e6 * np.exp(np.log(1.127) / 12 * t + 0.15 * np.sin(2 * np.pi * t / 12) + e)
        hist = pd.DataFrame({"period": pd.date_range("2020-01-01", periods=60, freq="MS"),
                             "revenue": y[:60]})
        s = pd.Series(y[:60], index=pd.period_range("2020-01", periods=60, freq="M"))
        fc = trends.AutoForecaster(candidates=("theta",), backtest=True).fit(s).predict(12)
        hit = goals.prob_hit(hist, target=1.0, fiscal_year=2025, forecast=fc)
        z.append((y[60:].sum() - hit.mean) / hit.sd)
    assert 0.5 <= np.std(z) <= 1.6, np.round(z, 2)


def test_p_hit_follows_the_forecasts_sum_distribution(monthly):
    """P(hit) is read from the distribution the forecast states for the year's sum: a Student t
    with as many degrees of freedom as backtest windows stand behind its spread (7 here), not a
    normal with that scale (which called a target 2 scales above the mean 0.023 likely, not 0.043)."""
    from scipy import stats

    idx = pd.period_range("2026-01", periods=12, freq="M")
    fc = pd.DataFrame({"mean": np.full(12, 1e6)}, index=idx)
    fc.attrs.update(sd=[1e5] * 12, error_correlation=1.0, sum_df=7.0)
    hit = goals.prob_hit(monthly, target=12e6 + 2 * 12e5, fiscal_year=2026, forecast=fc)
    assert hit.sd == pytest.approx(12e5) and hit.df == 7.0
    assert hit.p == pytest.approx(stats.t.sf(2.0, 7))
    assert hit.cdf(12e6) == pytest.approx(0.5)
    fc.attrs.pop("sum_df")  # a frame made before: normal
    assert goals.prob_hit(monthly, target=12e6 + 2 * 12e5, fiscal_year=2026,
                          forecast=fc).p == pytest.approx(stats.norm.sf(2.0))


def test_a_year_the_data_starts_and_ends_inside_needs_no_forecast():
    """Maven's CRM export: won deals from 2017-03 to 2017-12, reported for 2017-12. The fiscal year
    is over when the data is known, so there is no month left to forecast: the plan used to ask
    the forecaster for 0 months and fail ("horizon must be a positive integer")."""
    company = pd.DataFrame({"period": pd.period_range("2017-03", "2017-12", freq="M").to_timestamp(),
                            "revenue": np.linspace(600_000, 1_100_000, 10)})
    for target in (None, 12_000_000):
        plan = goals.plan_year(company, fiscal_year=2017, last_complete="2017-12", annual_target=target)
        assert plan.forecast is None and plan.model_name == "none, no month of the year is left to forecast"
        # the note on when the number is checked only when there is one (no plan without FY2016)
        assert ("after FY2017 began" in plan.note) == (target is not None)
    assert plan.check is not None and "FY2017 ended on 2017-12-31" in plan.check.table.to_string()


def test_people_who_never_sold_get_no_plan(profile, reps, history):
    """BikeStores lists 10 staff, 4 of whom never sold (managers): capacity and even allocation
    counted heads and gave each a plan of $128k-$321k. They are left out, named in the note; a
    rep hired in the last months without sales yet keeps a plan."""
    staff = pd.concat([reps, pd.DataFrame({"rep_id": ["m1", "new1"], "name": ["Boss", "Newbie"], "team": "A",
                                           "region": "North", "hire_date": pd.to_datetime(["2015-01-01", "2025-10-01"])})],
                      ignore_index=True)
    kept, note = goals.selling_reps(staff, history, as_of="2025-12-31")
    assert "m1" not in set(kept.rep_id) and "new1" in set(kept.rep_id)
    assert "r6" in set(kept.rep_id)  # no history yet: hired after the as-of date, planned with a ramp
    assert "1 of the 11 people in the reps table never booked revenue (Boss)" in note
    assert goals.selling_reps(reps, None, as_of="2025-12-31") == (reps, "")


def test_an_automatic_plan_is_named_a_plan_in_every_table(profile, reps, history):
    """Northwind's goal page (no annual target given: an automatic plan) headed its region table
    "Target" and its reps table "Annual target" and "Attainment YTD" while the page says an
    automatic number is never read as a target. Every column of the region and reps tables is
    named for a plan; a given target keeps its names; the figures do not change."""
    from salesnb.i18n import col_label, missing, set_lang

    comp = goals.decompose(12_000_000, profile.weights(2026), unit=1)
    tg = goals.allocate(comp, reps, method="capacity", levels=["region", "rep"], unit=1)
    region = goals.method_shares(comp, reps, chosen=tg, methods=["even", "capacity"], history=history, unit=1)
    done = tg[(tg["level"] == "rep") & (tg["grain"] == "month") & (tg["period"] <= "2026-06")]
    summary = goals.respread(tg, done[["key", "period", "amount"]], as_of="2026-06", level="rep", unit=1).summary
    for table in (region, summary):
        plan = goals.named_for(table, kind="plan")
        assert goals.named_for(table, kind="target").equals(table)
        assert plan.set_axis(table.columns, axis=1).equals(table)  # the same figures
        renamed = [c for c in plan if c not in table]
        set_lang("zh-CN")
        try:
            zh = [col_label(c) for c in renamed]
            assert not missing(), missing()
        finally:
            set_lang("en")
        words = " ".join(col_label(c) for c in plan).lower()
        assert "target" not in words and "attainment" not in words, words
        assert "目标" not in "".join(zh), zh
    assert {"plan"} <= set(goals.named_for(region, kind="plan"))
    assert {"annual_plan", "share_of_plan_ytd"} <= set(goals.named_for(summary, kind="plan"))


@pytest.mark.slow
@pytest.mark.parametrize("given", [False, True], ids=["automatic plan", "given target"])
def test_goal_page_names_the_number_for_what_it_is(tmp_path, given):
    """01 on the small demo: with no annual target, no table header, caption or chart of the page
    says "target" (Northwind's did: "Region targets and each method's share", "FY1998 target by
    rep", "Annual target", "Attainment YTD"); with one given, none says "plan"."""
    import html
    import json
    import re

    from salesnb.data.demo import ensure_demo
    from salesnb.report.runner import EXIT_OK, run

    lines: list[str] = []
    res = run("2026-10", overrides=[f"source={ensure_demo(scale=0.05)}"] + (["annual_target=20000000"] if given else []),
              jobs=1, out=tmp_path / "r", only=["01_goal_decomposition"], progress=lines.append)
    assert res.exit_code == EXIT_OK, lines
    got = json.loads((res.path / "01_goal_decomposition.results.json").read_text())["results"]
    assert got["target_kind"] == ("target" if given else "plan")
    page = (res.path / "01_goal_decomposition.html").read_text(encoding="utf-8")
    labels = [html.unescape(re.sub(r"<[^>]+>", "", x)).strip() for x in
              re.findall(r"<th\b[^>]*>(.*?)</th>", page, re.S) + re.findall(r"<caption>(.*?)</caption>", page, re.S)
              + re.findall(r'<img\b[^>]*\balt="([^"]*)"', page)]
    assert len(labels) > 20
    wrong = re.compile(r"\bplans?\b" if given else r"target|attainment", re.I)
    assert not [x for x in labels if wrong.search(x)], [x for x in labels if wrong.search(x)]


def test_p_hit_on_steady_growth_states_about_a_half_at_the_true_median():
    """Issue 13, point 2, on the calibration benchmark's seed-7 log-trend series (60 months,
    growing 12.7 %/yr; ``benchmarks/calibration_forecast.py --seed 7``): a target at the true
    median of next year's total is reached half the time. With the model chosen month by month
    P(hit) stated 0.39 on average there (the year total 2.3 % low); choosing for the total
    (``choose_by="total"``) states about 0.5. Seed 2026's series still state 0.31 (docs/goals.md,
    "Eighth pass"): what is left of point 2."""
    from tests.simulate import logtrend_future_totals, sim_ets_mam, sim_logtrend_ar1, sim_sarima

    rng = np.random.default_rng(7)
    for sim in (sim_ets_mam, sim_sarima):  # the benchmark draws these first, from the same stream
        for _ in range(10):
            sim(rng, 72)
    ys = [sim_logtrend_ar1(rng, 72) for _ in range(10)]
    truth_rng = np.random.default_rng(7)
    stated = []
    for y in ys:
        hist = pd.DataFrame({"period": y.index[:60].to_timestamp(), "revenue": y.iloc[:60]})
        median = float(np.quantile(logtrend_future_totals(y.iloc[:60], 12, rng=truth_rng), 0.5))
        stated.append(goals.prob_hit(hist, target=median, fiscal_year=y.index[60].year,
                                     start_month=y.index[60].month).p)
    assert 0.45 <= np.mean(stated) <= 0.57, np.round(stated, 3)


def test_01_words_for_a_plan_and_a_target_are_whole_messages():
    """01 glued its captions around plan.kind ("FY{fy} " + plan.kind + " by region"): each whole
    sentence had to be in the catalogue by luck, and "Monthly target against last year's actuals"
    was not, so the demo's Chinese page with a target showed that title in English. Every caption,
    title and axis label that names the number is a whole message per kind, translated."""
    import ast
    import json
    from pathlib import Path

    from salesnb import i18n

    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "01_goal_decomposition.ipynb").read_text("utf-8"))
    glued = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            text = ast.unparse(node)
            if ((isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) or isinstance(node, ast.JoinedStr))
                    and "plan.kind" in text):
                glued.append(text)
    assert not glued, glued
    params = {"fy": 2026, "target": "$1", "verdict": "passes the SMART check", "model": "ETS", "method": "even",
              "month": "2026-10"}
    for name in goals.KIND_WORDS:
        for kind in ("plan", "target"):
            i18n.set_lang("zh-CN")
            try:
                zh = i18n.t(goals.kind_words(name, kind, **params))
                assert not i18n.missing(), (name, kind)
            finally:
                i18n.set_lang("en")
            assert ("计划" if kind == "plan" else "目标") in zh, zh
            assert kind in str(goals.kind_words(name, kind, **params)).lower()
    assert i18n.t(goals.kind_words("monthly", "target"), "zh-CN") == "月度目标与去年实际对比"
    assert str(goals.kind_words("check", "plan", **params)) == (
        "FY2026 plan $1 passes the SMART check (forecast model: ETS)")
    with pytest.raises(ValueError, match="kind"):
        goals.kind_words("monthly", "goal")


def test_smart_check_amounts_carry_the_currency_and_one_prior_year_is_named(monthly):
    """Northwind's SMART table read "691,136" and "forecast 849,577 ± 208,385" (no currency), and
    "no complete prior years to compare growth with" although FY1997 was complete: with one
    complete year there is no earlier growth to compare with, and the reason says so."""
    hist = monthly[monthly["period"] >= "2024-07-01"]  # FY2024 half, FY2025 complete
    fmt.set_currency("USD")
    chk = goals.smart_check(hist, target=1.5e7, fiscal_year=2026, forecast=_stub_forecast)
    t = chk.table.set_index("criterion")
    assert t.at["Specific", "value"] == "$15,000,000"
    lo, hi = chk.hit._distribution().interval(0.2)
    assert (f"forecast {fmt.money(chk.hit.mean)} for FY2026 ({fmt.money(lo)}–{fmt.money(hi)} at 80 %)"
            in t.at["Achievable", "reason"])
    # the interval is read off the distribution P(hit) uses ("± scale" of a Student t read as a margin)
    assert chk.hit._distribution().prob_at_least(lo) == pytest.approx(0.9)
    assert t.at["Relevant", "status"] == "warn"
    assert t.at["Relevant", "reason"] == "only one complete prior year (FY2025): no earlier growth to compare with"
    none = goals.smart_check(monthly[monthly["period"] >= "2025-03-01"], target=1.5e7, fiscal_year=2026,
                             forecast=_stub_forecast)
    assert none.table.set_index("criterion").at["Relevant", "reason"] == "no complete prior years to compare growth with"


def test_a_last_year_absent_from_the_data_is_not_called_incomplete(monthly):
    """Maven's CRM deals (2017-03 to 2017-12, FY2017): 01 said "FY2016 is not complete in the data (it
    starts in 2017-03)", when FY2016 has no month in the data at all. A last year partly in the data
    is still "not complete"."""
    maven = monthly.assign(period=pd.period_range("2013-01", periods=len(monthly), freq="M"))
    maven = maven[(maven.period >= pd.Period("2017-03", "M")) & (maven.period <= pd.Period("2017-12", "M"))]
    notes = " ".join(map(str, goals.plan_year(maven, fiscal_year=2017, last_complete="2017-12",
                                              forecast=_naive_forecast).notes))
    assert "FY2016 is not in the data (it starts in 2017-03): the automatic plan" in notes, notes
    assert "not complete" not in notes
    part = monthly.assign(period=pd.period_range("2013-01", periods=len(monthly), freq="M"))
    part = part[(part.period >= pd.Period("2016-05", "M")) & (part.period <= pd.Period("2017-12", "M"))]
    notes = " ".join(map(str, goals.plan_year(part, fiscal_year=2017, last_complete="2017-12",
                                              forecast=_naive_forecast).notes))
    assert "FY2016 is not complete in the data (it starts in 2016-05)" in notes, notes


def test_a_rep_whose_id_is_the_name_is_named_once_in_the_year_targets():
    """纷享销客's profile keys reps by the owner's name: 01's part-year table read "Elena Garcia Elena
    Garcia" (the id, then the same name). A rep whose name differs from the id keeps both."""
    reps = pd.DataFrame({"rep_id": ["Elena Garcia", "R007"], "name": ["Elena Garcia", "Li Wei"],
                         "region": ["East", "East"], "hire_date": pd.to_datetime(["2026-03-01", "2020-01-01"])})
    targets = pd.DataFrame({"level": "rep", "grain": "year", "key": ["Elena Garcia", "R007"],
                            "amount": [100.0, 200.0]})
    out = goals.rep_year_targets(targets, reps, fiscal_year=2026)
    assert sorted(out["rep"]) == ["Elena Garcia", "R007 Li Wei"]
