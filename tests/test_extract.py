"""The engine-side extracts equal a plain pandas computation, on DuckDB and on PostgreSQL."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesnb.data import extract
from salesnb.data.sources import open_folder, open_source


def _pandas_revenue(orders: pd.DataFrame, freq: str, by: list[str]) -> pd.DataFrame:
    o = orders.copy()
    o["period"] = o.order_date.dt.to_period(freq).dt.start_time
    g = o.groupby(["period", *by])
    df = g.agg(revenue=("amount", "sum"), lines=("amount", "size"), orders=("order_id", "nunique"),
               customers=("customer_id", "nunique")).reset_index()
    return df.sort_values([*by, "period"], ignore_index=True)


def _pandas_customers(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    o = orders[orders.order_date <= as_of]
    daily = o.groupby(["customer_id", "order_date"]).amount.sum().reset_index()
    rows = []
    for cid, g in daily.groupby("customer_id"):
        first, last = g.order_date.min(), g.order_date.max()
        rep = g.loc[g.order_date > first, "amount"]
        rows.append({"customer_id": cid, "first_date": first, "last_date": last,
                     "n_days": len(g), "revenue": g.amount.sum(), "frequency": len(g) - 1,
                     "recency_days": (last - first).days, "T_days": (as_of - first).days,
                     "monetary_value": rep.mean() if len(rep) else 0.0})
    return pd.DataFrame(rows).sort_values("customer_id", ignore_index=True)


def _check_all(ds, tables):
    orders = tables["orders"]
    for freq, by in [("M", []), ("Q", ["region"]), ("W", ["category", "channel"])]:
        got = extract.revenue(ds, freq=freq, by=tuple(by))
        exp = _pandas_revenue(orders, freq, by)
        pd.testing.assert_frame_equal(
            got[exp.columns].reset_index(drop=True), exp, check_dtype=False, check_exact=False,
            rtol=1e-9)
    # windowed
    got = extract.revenue(ds, freq="M", start="2023-06-01", end="2024-01-01")
    assert got.period.min() >= pd.Timestamp("2023-06-01")
    assert got.period.max() < pd.Timestamp("2024-01-01")
    sub = orders[(orders.order_date >= "2023-06-01") & (orders.order_date < "2024-01-01")]
    assert got.revenue.sum() == pytest.approx(sub.amount.sum())

    as_of = pd.Timestamp("2024-06-30")
    got = extract.customer_summary(ds, as_of=as_of)
    exp = _pandas_customers(orders, as_of)
    cols = list(exp.columns)
    pd.testing.assert_frame_equal(got[cols], exp, check_dtype=False, check_exact=False,
                                  rtol=1e-9)

    at = pd.Timestamp("2024-01-15")
    snap = extract.pipeline_snapshot(ds, at=at)
    opp, hist = tables["opportunities"], tables["opportunity_history"]
    open_at = opp[(opp.created_date <= at) & ((opp.status == "open") | (opp.close_date > at))]
    assert sorted(snap.opportunity_id) == sorted(open_at.opportunity_id)
    h = hist[hist.entered_date <= at].sort_values("entered_date").groupby("opportunity_id").last()
    for r in snap.itertuples():
        assert r.stage_at == h.loc[r.opportunity_id, "stage"]
        assert r.days_in_stage == (at - h.loc[r.opportunity_id, "entered_date"]).days

    f = extract.funnel_counts(ds, by=("rep_id",))
    stages = ["Prospecting", "Qualification", "Proposal", "Negotiation"]
    for rep, g in opp.groupby("rep_id"):
        hh = hist[hist.opportunity_id.isin(g.opportunity_id)]
        for i, s in enumerate(stages):
            reached = hh[hh.stage.isin(stages[i:])].opportunity_id.nunique()
            got_n = f[(f.rep_id == rep) & (f.stage == s)].reached.item()
            assert got_n == (len(g) if i == 0 else reached), (rep, s)
        assert f[(f.rep_id == rep) & (f.stage == "Closed Won")].reached.item() == (g.status == "won").sum()
        assert f[(f.rep_id == rep) & (f.stage == "Closed Lost")].reached.item() == (g.status == "lost").sum()


def test_extract_equals_pandas_duckdb(small_tables, tmp_path):
    from tests.conftest import write_tables

    ds = open_folder(write_tables(small_tables, tmp_path / "pq", fmt="parquet"))
    _check_all(ds, small_tables)


def test_extract_equals_pandas_csv(small_folder, small_tables):
    _check_all(open_folder(small_folder), small_tables)


@pytest.mark.postgres
def test_extract_equals_pandas_postgres(small_tables, pg_url):
    from tests.pg import load_frames

    load_frames(pg_url, small_tables)
    ds = open_source(pg_url)
    assert ds.backend == "postgres"
    assert set(ds.tables) == set(small_tables)
    _check_all(ds, small_tables)


def test_no_full_order_table_in_pandas(small_tables, tmp_path, monkeypatch):
    """The extracts never execute a plain scan of orders: every query aggregates in the engine."""
    from tests.conftest import write_tables

    ds = open_folder(write_tables(small_tables, tmp_path / "pq", fmt="parquet"))
    sizes = []
    real = type(ds.con).execute

    def spy(self, expr, *a, **k):
        out = real(self, expr, *a, **k)
        sizes.append(len(out) if hasattr(out, "__len__") else 1)
        return out

    monkeypatch.setattr(type(ds.con), "execute", spy)
    extract.revenue(ds, freq="M")
    extract.customer_summary(ds)
    assert sizes and max(sizes) < len(small_tables["orders"]) / 5


def test_revenue_rejects_bad_args(small_folder):
    ds = open_folder(small_folder)
    with pytest.raises(ValueError, match="freq"):
        extract.revenue(ds, freq="X")
    with pytest.raises(KeyError, match="nope"):
        extract.revenue(ds, by=("nope",))
    assert np.isfinite(extract.revenue(ds).revenue).all()


def test_complete_periods_include_the_empty_ones_as_zero(tmp_path):
    """A week without orders is a week of zero revenue. Kaggle's sample sales data has 5 such weeks
    in its last 52: the weekly chart joined their neighbours over them and its title counted
    "last 47 whole weeks"."""
    orders = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "b", "a"],
                           "order_date": pd.to_datetime(["2024-01-02", "2024-01-09", "2024-01-24"]),
                           "amount": [10.0, 20.0, 30.0]})
    orders.to_csv(tmp_path / "orders.csv", index=False)
    ds = open_folder(tmp_path)
    w = extract.revenue(ds, freq="W", start="2024-01-01", end="2024-02-05", complete=True,
                        measures=["revenue", "orders"])
    assert list(w.period.dt.strftime("%m-%d")) == ["01-01", "01-08", "01-15", "01-22"]
    assert list(w.revenue) == [10.0, 20.0, 0.0, 30.0] and list(w.orders) == [1, 1, 0, 1]
    assert len(extract.revenue(ds, freq="W", start="2024-01-01", end="2024-02-05")) == 3
    # before the data's first week and after its as-of date there is no data, not zero revenue
    wide = extract.revenue(ds, freq="W", start="2023-12-04", end="2024-03-04", complete=True)
    assert wide.period.min() == pd.Timestamp("2024-01-01") and wide.period.max() == pd.Timestamp("2024-01-22")


def test_complete_periods_only(small_folder):
    ds = open_folder(small_folder)
    start, end = pd.Timestamp("2023-03-15"), pd.Timestamp("2023-06-10")
    w = extract.revenue(ds, freq="W", start=start, end=end, complete=True)
    assert w.period.min() >= start and (w.period.max() + pd.Timedelta(days=7)) <= end
    assert (w.period.dt.day_of_week == 0).all()
    m = extract.revenue(ds, freq="M", start=start, end=end, complete=True)
    assert list(m.period) == [pd.Timestamp("2023-04-01"), pd.Timestamp("2023-05-01")]
    assert len(extract.revenue(ds, freq="M", start=start, end=end)) == 4


def _closed_with_future_dates(small_tables) -> dict[str, pd.DataFrame]:
    """The small tables plus a Salesforce export's shape: a deal lost and one won before the export
    (as-of 2024-06-30) whose reps typed close dates after it, one deal still open, and one lost on
    2024-06-20, between the month's start and the export."""
    t = {k: v.copy() for k, v in small_tables.items()}
    extra = pd.DataFrame({
        "opportunity_id": ["X01", "X02", "X03", "X04"], "customer_id": "C000", "rep_id": "R1",
        "created_date": pd.to_datetime(["2024-01-10", "2024-02-01", "2024-02-01", "2024-03-01"]),
        "close_date": pd.to_datetime(["2024-12-31", "2025-03-31", "2024-09-30", "2024-06-20"]),
        "stage": ["Closed Lost", "Closed Won", "Proposal", "Closed Lost"],
        "status": ["lost", "won", "open", "lost"], "amount": 5000.0})
    t["opportunities"] = pd.concat([t["opportunities"], extra], ignore_index=True)
    t["opportunity_history"] = pd.concat([t["opportunity_history"], pd.DataFrame({
        "opportunity_id": ["X01", "X01", "X02", "X02", "X03", "X04", "X04"],
        "stage": ["Prospecting", "Closed Lost", "Prospecting", "Closed Won", "Proposal", "Proposal",
                  "Closed Lost"],
        "entered_date": pd.to_datetime(["2024-01-10", "2024-05-02", "2024-02-01", "2024-06-01",
                                        "2024-02-01", "2024-03-01", "2024-06-20"])})], ignore_index=True)
    return t


def _check_closed_not_open_at_as_of(ds) -> None:
    from salesnb.data.risk_queries import open_deals

    ds.configure(as_of="2024-06-30")
    # the as-of date, a later month's end, and the day before (the last complete month's end,
    # a day before an export dated the 1st: the real export's case), within NOW_DAYS of it
    for at in ("2024-06-30", "2024-07-31", "2024-06-29", "2024-06-01"):
        snap = extract.pipeline_snapshot(ds, at=at)
        assert "X03" in set(snap.opportunity_id)
        assert not {"X01", "X02"} & set(snap.opportunity_id), at
        # a deal closed between ``at`` and the export was open at ``at`` (its close date is real)
        assert ("X04" in set(snap.opportunity_id)) == (at == "2024-06-01"), at
        closed = snap[snap.status != "open"]
        assert (closed.close_date.dt.normalize() > pd.Timestamp(at)).all(), at
        assert (closed.close_date.dt.normalize() <= pd.Timestamp("2024-06-30")).all(), at
    assert not {"X01", "X02"} & set(open_deals(ds, at="2024-06-30").opportunity_id)
    assert "X04" in set(open_deals(ds, at="2024-06-01").opportunity_id)
    # a past month: the close date still decides (both were open on 2024-03-01 and 2024-05-15)
    for at in ("2024-03-01", "2024-05-15"):
        assert {"X01", "X02", "X03"} <= set(extract.pipeline_snapshot(ds, at=at).opportunity_id)


def test_deals_closed_by_the_export_are_not_open_at_its_date_duckdb(small_tables, tmp_path):
    from tests.conftest import write_tables

    t = _closed_with_future_dates(small_tables)
    _check_closed_not_open_at_as_of(open_folder(write_tables(t, tmp_path / "pq", fmt="parquet")))


@pytest.mark.postgres
def test_deals_closed_by_the_export_are_not_open_at_its_date_postgres(small_tables, pg_url):
    from tests.pg import load_frames

    load_frames(pg_url, _closed_with_future_dates(small_tables))
    _check_closed_not_open_at_as_of(open_source(pg_url))
