"""Tests of the demo company generator: determinism, contract and every planted fact."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from salesnb.data import demo
from salesnb.data.contract import TABLES

ARROW_KIND = {"str": pa.string(), "date": pa.date32(), "float": pa.float64(), "int": pa.int64()}
SMALL = 0.05


def _read(folder: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    df = pq.read_table(folder / f"{table}.parquet", columns=columns).to_pandas()
    for col in TABLES[table].columns:
        if col.kind == "date" and col.name in df:
            df[col.name] = pd.to_datetime(df[col.name])
    return df


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.generate(tmp_path_factory.mktemp("demo") / "small", scale=SMALL)


@pytest.fixture(scope="module")
def big() -> Path:
    """The scale-1 demo in the shared default folder (generated once, then reused)."""
    return demo.ensure_demo()


@pytest.fixture(scope="module")
def gt(big: Path) -> dict:
    return demo.load_ground_truth(big)


@pytest.fixture(scope="module")
def orders(big: Path) -> pd.DataFrame:
    cols = ["order_date", "customer_id", "amount", "rep_id", "category", "region", "discount"]
    df = _read(big, "orders", cols)
    df["month"] = df["order_date"].dt.to_period("M")
    return df


@pytest.fixture(scope="module")
def opps(big: Path) -> pd.DataFrame:
    return _read(big, "opportunities")


# ---------------------------------------------------------------------- structure


def test_same_seed_same_bytes_other_seed_differs(small: Path, tmp_path: Path) -> None:
    again = demo.generate(tmp_path / "again", scale=SMALL)
    files = sorted(p.name for p in small.iterdir())
    assert files == sorted(p.name for p in again.iterdir())
    for name in files:
        assert (small / name).read_bytes() == (again / name).read_bytes(), name
    other = demo.generate(tmp_path / "other", scale=SMALL, seed=7)
    assert (other / "orders.parquet").read_bytes() != (small / "orders.parquet").read_bytes()
    gt_a, gt_b = demo.load_ground_truth(small), demo.load_ground_truth(other)
    assert gt_a["seed"] != gt_b["seed"]
    assert gt_a["churn_wave"]["customers"] != gt_b["churn_wave"]["customers"]


#: optional tables and columns of the contract the single-currency demo does not write (its stage
#: history carries no forecast category: calibration uses the stored one, with a note; the
#: Salesforce import has a forecast_category_history). It does write close_date_history: its deals'
#: close dates slip, and P(miss) of a past month learns from that
DEMO_OMITS = {"fx_rates", "stages", "forecast_category_history",
              "opportunities.currency", "opportunity_history.forecast_category",
              "opportunities.pipeline"}  # one pipeline: no column (every funnel as before)


def test_every_table_has_the_contract_columns_and_types(small: Path) -> None:
    for name, spec in TABLES.items():
        if name in DEMO_OMITS:
            assert not (small / f"{name}.parquet").exists(), name
            continue
        schema = pq.read_schema(small / f"{name}.parquet")
        cols = [c for c in spec.columns if f"{name}.{c.name}" not in DEMO_OMITS]
        assert schema.names == [c.name for c in cols], name
        for col in cols:
            assert schema.field(col.name).type == ARROW_KIND[col.kind], (name, col.name)
            if not col.nullable:
                assert pq.read_table(small / f"{name}.parquet", columns=[col.name]).column(
                    0).null_count == 0, (name, col.name)
            if col.allowed:
                values = set(_read(small, name, [col.name])[col.name].dropna())
                assert values <= set(col.allowed), (name, col.name, values)


def test_no_date_after_as_of_and_keys_unique(small: Path) -> None:
    gt = demo.load_ground_truth(small)
    as_of = pd.Timestamp(gt["as_of"])
    assert as_of == pd.Timestamp("2026-10-31") and gt["start"] == "2022-01-01"
    for name, spec in TABLES.items():
        if name in DEMO_OMITS:
            continue
        df = _read(small, name)
        for col in spec.columns:
            if col.name not in df.columns:
                continue
            if col.kind == "date" and not (name in ("opportunities", "close_date_history")
                                           and col.name == "close_date"):  # expected dates
                assert (df[col.name].dropna() <= as_of).all(), (name, col.name)
        if spec.key:
            assert not df.duplicated(list(spec.key)).any(), name
    orders = _read(small, "orders")
    assert orders["order_date"].min() >= pd.Timestamp("2022-01-01")
    assert len(orders) == gt["n_order_lines"]
    customers = _read(small, "customers")
    reps = _read(small, "reps")
    assert set(orders["customer_id"]) <= set(customers["customer_id"])
    assert set(orders["rep_id"]) <= set(reps["rep_id"])
    assert (orders["currency"] == "USD").all()
    np.testing.assert_allclose(orders["amount"], orders["list_amount"] * (1 - orders["discount"]),
                               atol=0.011)
    b2b = customers["customer_type"] == "B2B"
    assert customers.loc[b2b, ["industry", "size_band"]].notna().all().all()
    assert customers.loc[b2b, ["age_band", "gender", "income_band"]].isna().all().all()
    assert customers.loc[~b2b, ["industry", "size_band"]].isna().all().all()
    assert all(n.isascii() for n in customers["name"])


def test_tiny_scale_works(tmp_path: Path) -> None:
    out = demo.generate(tmp_path / "tiny", scale=0.02)
    gt = demo.load_ground_truth(out)
    assert 15_000 < gt["n_order_lines"] < 25_000
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_ensure_demo_reuses_and_default_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESNB_DATA_DIR", str(tmp_path))
    assert demo.default_demo_dir() == tmp_path / "demo"
    assert demo.default_demo_dir(0.05) == tmp_path / "demo-s0.05"
    first = demo.ensure_demo(scale=0.02)
    assert first == tmp_path / "demo-s0.02"
    stamp = (first / "orders.parquet").stat().st_mtime_ns
    assert demo.ensure_demo(scale=0.02) == first
    assert (first / "orders.parquet").stat().st_mtime_ns == stamp
    demo.ensure_demo(scale=0.02, seed=5)  # another seed regenerates in place
    assert demo.load_ground_truth(first)["seed"] == 5
    monkeypatch.delenv("SALESNB_DATA_DIR")
    assert demo.default_demo_dir().parts[-2:] == ("data", "demo")


def test_targets_sum_exactly_per_level(small: Path) -> None:
    t = _read(small, "targets")
    assert t["period"].min() == "2022-01" and t["period"].max() == "2026-12"
    sums = t.groupby(["period", "level"])["amount"].sum().unstack()
    for upper, lower in [("company", "region"), ("region", "team"), ("team", "rep")]:
        assert (sums[upper] == sums[lower]).all(), (upper, lower)
    reps = _read(small, "reps")
    team = t[t.level == "team"].merge(
        t[t.level == "rep"].merge(reps[["rep_id", "team"]], left_on="key", right_on="rep_id")
        .groupby(["period", "team"], as_index=False)["amount"].sum(),
        left_on=["period", "key"], right_on=["period", "team"])
    assert (team["amount_x"] == team["amount_y"]).all()


def test_generation_time_at_scale_1(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    demo.generate(tmp_path / "s1", scale=1.0)
    seconds = time.perf_counter() - t0
    print(f"\ndemo generation at scale 1: {seconds:.1f} s")
    assert seconds < 30


# ---------------------------------------------------------------------- planted facts (scale 1)


def test_ground_truth_keys(gt: dict) -> None:
    for key in ["seed", "scale", "start", "end", "as_of", "n_order_lines", "seasonality", "trend",
                "reps", "churn_wave", "anomaly", "concentration", "discount_creep",
                "stalled_deals", "training"]:
        assert key in gt, key
    assert gt["seed"] == 20261 and gt["scale"] == 1.0
    assert 900_000 < gt["n_order_lines"] < 1_100_000
    assert np.isclose(np.mean(gt["seasonality"]["monthly"]), 1.0, atol=1e-3)
    assert gt["seasonality"]["cny"]["dates"]["2026"] == "2026-02-17"
    assert set(gt["reps"]["true_win_rate"]) >= set(gt["reps"]["leavers"] + gt["reps"]["new_hires"])


def _cny_share(gt: dict) -> pd.Series:
    days = pd.date_range(gt["start"], gt["as_of"])
    cny = gt["seasonality"]["cny"]
    f = np.ones(len(days))
    for d in cny["dates"].values():
        c = pd.Timestamp(d)
        f[(days >= c - pd.Timedelta(days=cny["days_before"]))
          & (days <= c + pd.Timedelta(days=cny["days_after"]))] = 1 - cny["depth"]
    return pd.Series(f, index=days).groupby(days.to_period("M")).mean()


def test_seasonality_and_trend(gt: dict, orders: pd.DataFrame) -> None:
    monthly = orders.groupby("month")["amount"].sum()
    adjusted = monthly / _cny_share(gt)
    t = np.arange(len(monthly))
    dummies = [(monthly.index.month == k).astype(float) for k in range(2, 13)]
    x = np.column_stack([np.ones(len(t)), t, *dummies])
    coef = np.linalg.lstsq(x, np.log(adjusted.to_numpy()), rcond=None)[0]
    shape = np.exp(np.r_[0.0, coef[2:]])
    corr = np.corrcoef(shape, gt["seasonality"]["monthly"])[0, 1]
    assert corr > 0.95
    # growth before the churn wave
    pre = slice(0, 48)
    coef = np.linalg.lstsq(x[pre], np.log(adjusted.to_numpy()[pre]), rcond=None)[0]
    assert abs(np.exp(12 * coef[1]) - 1 - gt["trend"]["annual_growth"]) < 0.02


def test_anomaly(gt: dict, orders: pd.DataFrame) -> None:
    a = gt["anomaly"]
    month = pd.Period(a["month"], "M")
    by = orders.groupby(["month", orders["region"] == a["region"]])["amount"].sum().unstack()
    share = by[True] / by[False]  # region revenue relative to the rest of the company
    ratio = share[month] / share[[month - 2, month - 1, month + 1, month + 2]].mean()
    assert abs(ratio - a["factor"]) < 0.2


def test_churn_wave(gt: dict, big: Path, orders: pd.DataFrame) -> None:
    cw = gt["churn_wave"]
    start = pd.Period(cw["start"], "M")
    customers = _read(big, "customers")
    seg = customers[(customers.customer_type == "B2B") & (customers.industry == "Retail")]
    other = customers[(customers.customer_type == "B2B") & (customers.industry != "Retail")]
    before = set(orders.loc[(orders.month < start) & (orders.month >= start - 6), "customer_id"])
    after = set(orders.loc[orders.month >= start, "customer_id"])
    churners = set(cw["customers"])
    assert churners <= set(seg.customer_id)
    assert not churners & after
    seg_active = [c for c in seg.customer_id if c in before]
    other_active = [c for c in other.customer_id if c in before]
    seg_gone = np.mean([c not in after for c in seg_active])
    other_gone = np.mean([c not in after for c in other_active])
    assert 0.5 < cw["share_churned"] < 0.7
    assert seg_gone > 0.55 and other_gone < 0.2
    feedback = _read(big, "feedback")
    pre = feedback[(feedback.date < start.start_time) & (feedback.date >= (start - 6).start_time)]
    is_churner = pre.customer_id.isin(churners)
    assert pre.loc[is_churner, "nps"].mean() < pre.loc[~is_churner, "nps"].mean() - 1.5


def test_concentration(gt: dict, big: Path, orders: pd.DataFrame) -> None:
    c = gt["concentration"]
    last = orders[orders.order_date > pd.Timestamp(gt["as_of"]) - pd.DateOffset(years=1)]
    share = last.loc[last.customer_id.isin(c["large_accounts"]), "amount"].sum() / last[
        "amount"].sum()
    assert abs(share - c["share_last_12m"]) < 1e-3 and 0.2 <= share <= 0.25
    big_orders = orders[orders.customer_id.isin(c["large_accounts"])]
    assert (big_orders.groupby("customer_id")["rep_id"].nunique() == 1).all()
    customers = _read(big, "customers").set_index("customer_id").loc[c["large_accounts"]]
    assert (customers.size_band == "Enterprise").all() and (customers.customer_type == "B2B").all()


def test_discount_creep(gt: dict, orders: pd.DataFrame) -> None:
    dc = gt["discount_creep"]
    sales = orders[orders.amount > 0]
    mean = sales.groupby(["category", "month"])["discount"].mean().unstack(0)
    start = pd.Period(dc["start"], "M")
    hw = mean[dc["category"]]
    assert abs(hw[hw.index < start].mean() - dc["discount_before"]) < 0.005
    assert abs(hw.iloc[-1] - dc["discount_end"]) < 0.01
    assert np.corrcoef(np.arange((hw.index >= start).sum()), hw[hw.index >= start])[0, 1] > 0.95
    others = mean.drop(columns=dc["category"])
    assert ((others.iloc[-6:].mean() - others.iloc[:12].mean()).abs() < 0.005).all()
    assert others.mean().between(0.08, 0.12).all()
    assert 0.003 < (orders.amount < 0).mean() < 0.007  # returns


def test_stalled_deals(gt: dict, big: Path, opps: pd.DataFrame) -> None:
    as_of = pd.Timestamp(gt["as_of"])
    history = _read(big, "opportunity_history")
    current = history.merge(opps[["opportunity_id", "stage", "status"]],
                            on=["opportunity_id", "stage"])
    current = current[current.status == "open"].set_index("opportunity_id")["entered_date"]
    age = (as_of - current).dt.days
    stalled = gt["stalled_deals"]
    assert 30 <= len(stalled) <= 50
    assert age[stalled].between(200, 400).all()
    open_ = opps[opps.status == "open"].set_index("opportunity_id")
    assert ((as_of - open_.loc[stalled, "last_activity_date"]).dt.days > 90).all()
    rest = open_.drop(stalled)
    assert (age.drop(stalled) < 200).all()
    assert ((as_of - rest["last_activity_date"]).dt.days <= 90).all()
    # history: every stage entered, ascending dates
    h = history.sort_values(["opportunity_id", "entered_date"])
    assert h.groupby("opportunity_id")["entered_date"].apply(
        lambda s: s.is_monotonic_increasing).all()
    assert set(h.opportunity_id) == set(opps.opportunity_id)


def test_rep_win_rates_and_pipeline(gt: dict, opps: pd.DataFrame) -> None:
    closed = opps[opps.status != "open"].assign(won=lambda d: d.status == "won")
    reps = gt["reps"]
    strong = closed[closed.rep_id == reps["strong_rep"]]
    weak = closed[closed.rep_id == reps["weak_rep"]]
    assert 12 <= len(strong) <= 20 and abs(strong.won.mean() - 0.55) < 0.08
    assert len(weak) >= 400 and abs(weak.won.mean() - 0.12) < 0.03
    assert reps["true_win_rate"][reps["strong_rep"]] == 0.55
    raw = closed.groupby("rep_id")["won"].mean()
    assert raw.idxmax() == reps["strong_rep"]  # the highest raw rate, on a small sample
    truth = pd.Series(reps["true_win_rate"]).drop([reps["strong_rep"], reps["weak_rep"]])
    assert abs(truth.mean() - 0.3) < 0.03 and 0.03 < truth.std() < 0.09
    assert 20_000 < len(opps) < 30_000
    rate = closed.groupby("forecast_category")["won"].mean()
    assert rate["commit"] > rate["best_case"] > rate["pipeline"]
    days = (closed.close_date - closed.created_date).dt.days
    assert days[closed.status == "lost"].mean() > days[closed.won].mean() + 20
    lost = closed[closed.status == "lost"]
    assert lost.lost_reason.notna().all() and opps.loc[opps.status != "lost", "lost_reason"].isna(
    ).all()
    year = lost.close_date.dt.year
    gaining = gt["opportunities"]["competitor_gaining"]
    share = (lost.competitor == gaining).groupby(year).sum() / lost.competitor.notna().groupby(
        year).sum()
    assert share.iloc[-1] > share.iloc[0] + 0.2


def test_censoring_km_median_exceeds_naive_won_mean(gt: dict, opps: pd.DataFrame) -> None:
    from statsmodels.duration.survfunc import SurvfuncRight

    as_of = pd.Timestamp(gt["as_of"])
    end = opps.close_date.where(opps.status != "open", as_of)
    sf = SurvfuncRight((end - opps.created_date).dt.days.to_numpy(),
                       (opps.status != "open").astype(int).to_numpy())
    won = opps[opps.status == "won"]
    assert sf.quantile(0.5) > (won.close_date - won.created_date).dt.days.mean()


def test_training_effect_diff_in_diff(gt: dict, opps: pd.DataFrame, big: Path) -> None:
    tr = gt["training"]
    training = _read(big, "training")
    cohort_rows = training[training.topic == tr["topic"]]
    assert set(cohort_rows.rep_id) == set(tr["cohort"]) and len(tr["cohort"]) == 12
    assert (cohort_rows.date == pd.Timestamp(tr["date"])).all()
    closed = opps[opps.status != "open"]
    won = (closed.status == "won").groupby(
        [closed.rep_id.isin(tr["cohort"]), closed.created_date >= pd.Timestamp(tr["date"])]).mean()
    did = (won[True, True] - won[True, False]) - (won[False, True] - won[False, False])
    assert did > 0.05


def test_reps_leavers_and_ramp(gt: dict, big: Path, orders: pd.DataFrame) -> None:
    reps = _read(big, "reps").set_index("rep_id")
    info = gt["reps"]
    assert 55 <= len(reps) <= 65 and len(info["leavers"]) == 8
    assert reps.loc[info["leavers"], "end_date"].notna().all()
    assert (reps.loc[info["leavers"], "end_date"].dt.year == 2026).sum() >= 2
    hires = reps.loc[info["new_hires"], "hire_date"]
    assert len(hires) == 5 and hires.between("2026-03-01", "2026-07-31").all()
    as_of = pd.Timestamp(gt["as_of"])
    for rep, end in reps["end_date"].dropna().items():
        assert not (orders.loc[orders.rep_id == rep, "order_date"] > end).any()
    # the first new hire books more each month while ramping up
    first = hires.sort_values().index[0]
    mine = orders[orders.rep_id == first].groupby("month")["amount"].sum()
    total = orders[orders.order_date <= as_of].groupby("month")["amount"].sum()
    share = (mine / total).dropna()
    assert share.iloc[0] < share.iloc[-1] / 2
