"""salesnb.trends: the forecaster (coverage, fallbacks, speed-sensitive paths) and the analytics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from salesnb import trends

MONTHS = 12


def _idx(n: int, start: str = "2019-01") -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M")


def sim_ets_mam(rng: np.random.Generator, n: int) -> pd.Series:
    """ETS(M,Ad,M) state-space process."""
    level, slope = 100.0, 0.8
    season = list(1 + 0.2 * np.sin(2 * np.pi * np.arange(12) / 12))
    alpha, beta, gamma, phi, sigma = 0.2, 0.02, 0.05, 0.95, 0.05
    y = []
    for t in range(n):
        e = rng.normal(0, sigma)
        s = season[t % 12]
        mu = (level + phi * slope) * s
        y.append(mu * (1 + e))
        level, slope = (level + phi * slope) * (1 + alpha * e), phi * slope + beta * (
            level + phi * slope) * e
        season[t % 12] = s * (1 + gamma * e)
    return pd.Series(y, index=_idx(n))


def sim_ets_aaa(rng: np.random.Generator, n: int) -> pd.Series:
    """ETS(A,A,A) state-space process."""
    level, slope = 100.0, 0.5
    season = list(10 * np.sin(2 * np.pi * np.arange(12) / 12))
    alpha, beta, gamma, sigma = 0.3, 0.05, 0.1, 4.0
    y = []
    for t in range(n):
        e = rng.normal(0, sigma)
        s = season[t % 12]
        y.append(level + slope + s + e)
        level, slope = level + slope + alpha * e, slope + beta * e
        season[t % 12] = s + gamma * e
    return pd.Series(y, index=_idx(n))


def sim_sarima(rng: np.random.Generator, n: int) -> pd.Series:
    """Airline-type SARIMA(0,1,1)(0,1,1)12 process around a seasonal level."""
    e = rng.normal(0, 3.0, n + 24)
    w = e[13:] - 0.4 * e[12:-1] - 0.6 * e[1:-12] + 0.24 * e[:-13]  # (1-0.4B)(1-0.6B^12) e
    x = np.zeros(len(w) + 13)
    base = 200 + 20 * np.sin(2 * np.pi * np.arange(13) / 12)
    x[:13] = base
    for t in range(13, len(x)):
        x[t] = x[t - 1] + x[t - 12] - x[t - 13] + w[t - 13]
    return pd.Series(x[-n:], index=_idx(n))


# ------------------------------------------------------------------------------ forecaster


def test_auto_forecast_shape_and_attrs(rng):
    y = sim_ets_mam(rng, 60)
    fc = trends.auto_forecast(y, 12)
    assert list(fc.columns) == ["mean", "lo80", "hi80", "lo95", "hi95"]
    assert len(fc) == 12 and fc.index[0] == y.index[-1] + 1
    assert isinstance(fc.attrs["model"], str) and fc.attrs["model"]
    assert fc.attrs["fallback"] is None
    assert (fc.lo95 <= fc.lo80).all() and (fc.lo80 <= fc["mean"]).all()
    assert (fc["mean"] <= fc.hi80).all() and (fc.hi80 <= fc.hi95).all()
    bt = pd.DataFrame(fc.attrs["backtest"])
    assert {"snaive", "ets", "arima", "theta", "comb"} <= set(bt.candidate)
    assert {"mase", "wape", "bias", "coverage80", "coverage95"} <= set(bt.columns)
    assert bt.chosen.sum() == 1
    # attrs hold plain records: two forecasts can still be concatenated
    pd.concat([fc, trends.auto_forecast(y.iloc[:-1], 3)])


def test_results_object_keeps_model_and_results_apart(rng):
    y = sim_ets_aaa(rng, 60)
    res = trends.AutoForecaster().fit(y)
    assert res.n_obs == 60 and res.season_length == 12
    s = res.summary()
    assert {"model", "mase", "wape", "bias", "coverage80", "interval_scale"} <= set(s.columns)
    assert isinstance(res.params, dict) and res.params
    a, b = res.predict(6), res.predict(12)
    np.testing.assert_allclose(a["mean"], b["mean"].iloc[:6])
    assert set(res.backtest_forecasts.columns) >= {"candidate", "origin", "step", "actual", "mean"}


def test_datetime_index_and_quarterly(rng):
    y = sim_ets_mam(rng, 48)
    y.index = y.index.to_timestamp()
    fc = trends.auto_forecast(y, 3)
    assert isinstance(fc.index, pd.DatetimeIndex) and fc.index[0] == pd.Timestamp("2023-01-01")
    q = y.groupby(y.index.to_period("Q")).sum()
    fq = trends.auto_forecast(q, 4)
    assert fq.attrs["season_length"] == 4 and str(fq.index[0]) == "2023Q1"


def test_backtest_coverage_of_80pct_intervals_on_known_processes():
    """Pooled over simulated ETS and SARIMA series, the 80 % intervals cover 70-90 %."""
    rng = np.random.default_rng(5)
    backtest_hits, oos_hits = [], []
    for sim in (sim_ets_mam, sim_ets_aaa, sim_sarima):
        for _ in range(4):
            y = sim(rng, 72)
            res = trends.AutoForecaster().fit(y.iloc[:60])
            bf = res.backtest_forecasts
            bf = bf[bf.candidate == res.method]
            backtest_hits.append(((bf.actual >= bf.lo80) & (bf.actual <= bf.hi80)).to_numpy())
            fc = res.predict(12)
            a = y.iloc[60:].to_numpy()
            oos_hits.append((a >= fc.lo80.to_numpy()) & (a <= fc.hi80.to_numpy()))
    backtest_cov = 100 * np.mean(np.concatenate(backtest_hits))
    oos_cov = 100 * np.mean(np.concatenate(oos_hits))
    assert 70 <= backtest_cov <= 90, backtest_cov
    # the calibrated intervals of the final model on the truly unseen year
    assert 65 <= oos_cov <= 95, oos_cov


@pytest.mark.parametrize(
    "values, fallback_word",
    [
        (np.zeros(36), "constant"),
        (np.full(30, 7.0), "constant"),
        (np.array([5.0]), "1 observation"),
        (np.array([3.0, 4.0, 5.0]), "3 observation"),
        (100 + np.arange(15.0) + np.sin(np.arange(15.0)), "shorter than two seasons"),
    ],
)
def test_short_flat_zero_series_fall_back_honestly(values, fallback_word):
    y = pd.Series(values, index=_idx(len(values)))
    fc = trends.auto_forecast(y, 6)
    assert len(fc) == 6 and np.isfinite(fc["mean"]).all()
    assert fallback_word in fc.attrs["fallback"]


def test_zero_filled_series(rng):
    v = np.r_[np.zeros(18), rng.poisson(3, 30)].astype(float)
    v[25] = 0.0
    fc = trends.auto_forecast(pd.Series(v, index=_idx(len(v))), 12)
    assert np.isfinite(fc.to_numpy()).all()
    assert (fc.lo95 >= 0).all()  # a history without negatives gives no negative bounds
    assert "M" not in fc.attrs["model"].split("(")[-1][:1]  # no multiplicative ETS with zeros


def test_plain_index_with_season_length(rng):
    y = sim_ets_aaa(rng, 48).reset_index(drop=True)
    fc = trends.auto_forecast(y, 5, season_length=12)
    assert list(fc.index) == [48, 49, 50, 51, 52] and fc.attrs["season_length"] == 12


def test_one_anomalous_month_is_cleaned_and_barely_moves_forecast(rng):
    y = sim_ets_mam(rng, 60)
    clean = trends.auto_forecast(y, 12)
    spiked = y.copy()
    spiked.iloc[45] *= 1.8
    res = trends.AutoForecaster().fit(spiked)
    assert res.anomalies == [y.index[45]]
    assert "anomalous" in res.predict(1).attrs["notes"][0]
    fc = res.predict(12)
    raw = trends.AutoForecaster(clean_anomalies=False).fit(spiked).predict(12)
    rel = (np.abs(fc["mean"] - clean["mean"]) / clean["mean"]).mean()
    rel_raw = (np.abs(raw["mean"] - clean["mean"]) / clean["mean"]).mean()
    assert rel < 0.03 and rel < rel_raw, (rel, rel_raw)


def test_mase_and_wape():
    assert trends.mase([2, 4], [2, 2], [1, 2, 3, 4], season_length=1) == pytest.approx(1.0)
    assert trends.wape([10, 10], [9, 12]) == pytest.approx(0.15)
    assert np.isnan(trends.mase([1], [1], [5, 5, 5]))
