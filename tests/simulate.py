"""Monthly series with a known generating process, for the forecaster's tests and calibration.

One home for the simulators that ``tests/test_trends.py`` and ``benchmarks/calibration_forecast.py``
both use (issue 13): ETS(M,Ad,M), ETS(A,A,A), an airline SARIMA(0,1,1)(0,1,1)12 and a log-linear
trend (+12.7 %/yr) with a seasonal shape and AR(1) errors. Each takes a numpy ``Generator`` and a
length and returns a monthly ``Series`` on a ``PeriodIndex`` starting 2019-01.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: yearly growth of :func:`sim_logtrend_ar1`
GROWTH = 0.127


def month_index(n: int, start: str = "2019-01") -> pd.PeriodIndex:
    """``n`` months from ``start``."""
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
    return pd.Series(y, index=month_index(n))


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
    return pd.Series(y, index=month_index(n))


def sim_sarima(rng: np.random.Generator, n: int) -> pd.Series:
    """Airline-type SARIMA(0,1,1)(0,1,1)12 process around a seasonal level."""
    e = rng.normal(0, 3.0, n + 24)
    w = e[13:] - 0.4 * e[12:-1] - 0.6 * e[1:-12] + 0.24 * e[:-13]  # (1-0.4B)(1-0.6B^12) e
    x = np.zeros(len(w) + 13)
    x[:13] = 200 + 20 * np.sin(2 * np.pi * np.arange(13) / 12)
    for t in range(13, len(x)):
        x[t] = x[t - 1] + x[t - 12] - x[t - 13] + w[t - 13]
    return pd.Series(x[-n:], index=month_index(n))


def ar1_errors(rng: np.random.Generator, n: int, *, sigma: float = 0.05,
               phi: float = 0.6) -> np.ndarray:
    """``n`` stationary AR(1) errors (innovation sd ``sigma``), drawn in order from ``rng``."""
    e = np.zeros(n)
    e[0] = rng.normal(0, sigma / np.sqrt(1 - phi**2))
    for i in range(1, n):
        e[i] = phi * e[i - 1] + rng.normal(0, sigma)
    return e


def sim_logtrend_ar1(rng: np.random.Generator, n: int, *, sigma: float = 0.05,
                     phi: float = 0.6) -> pd.Series:
    """Log-linear trend (+12.7 %/yr) with a seasonal shape and stationary AR(1) errors."""
    t = np.arange(n)
    e = ar1_errors(rng, n, sigma=sigma, phi=phi)
    g = np.log1p(GROWTH) / 12
    return pd.Series(100 * np.exp(g * t + 0.15 * np.sin(2 * np.pi * t / 12) + e),
                     index=month_index(n))


def sim_fading_growth(rng: np.random.Generator, n: int, *, sigma: float = 0.05,
                      phi: float = 0.6, start: float = 0.30, months: int = 72) -> pd.Series:
    """A business whose growth fades: +``start`` a year at first, falling linearly to 0 at month
    ``months`` (about +15, +11, +7 and +2 % in years 3-6 of 72 months), with the seasonal shape
    and AR(1) errors of :func:`sim_logtrend_ar1`. The case where "keeps its recent pace"
    over-projects."""
    e = ar1_errors(rng, n, sigma=sigma, phi=phi)
    r = np.log1p(start) / 12 * np.clip(1 - np.arange(n) / months, 0, None)
    return pd.Series(100 * np.exp(np.cumsum(r) + 0.15 * np.sin(2 * np.pi * np.arange(n) / 12) + e),
                     index=month_index(n))


def logtrend_future_totals(history: pd.Series, horizon: int, *, rng: np.random.Generator,
                           draws: int = 20_000, sigma: float = 0.05, phi: float = 0.6
                           ) -> np.ndarray:
    """Draws of the next ``horizon`` months' total of a :func:`sim_logtrend_ar1` series given its
    ``history`` (the series from its first month, same ``sigma`` and ``phi``): the truth a
    forecaster's P(hit) can be held against. The AR(1) state at the end of the history is read
    off the history exactly (the trend and the seasonal shape are known)."""
    g = np.log1p(GROWTH) / 12
    n = len(history)

    def det(t):
        return np.log(100) + g * t + 0.15 * np.sin(2 * np.pi * t / 12)

    e = np.full(draws, float(np.log(history.iloc[-1])) - det(n - 1))
    future = np.arange(n, n + horizon)
    total = np.zeros(draws)
    for t in future:
        e = phi * e + rng.normal(0, sigma, draws)
        total += np.exp(det(t) + e)
    return total


def hand_orders(tmp_path, *, order_date: list[str], customer_id: list[str], amount: list[float]):
    """A source holding only an ``orders.csv`` of hand-written lines (ids ``o1``, ``o2``, …),
    opened as the package opens a folder: for known-answer tests of the order queries."""
    from salesnb.data.sources import open_source

    folder = tmp_path / "src"
    folder.mkdir()
    pd.DataFrame({"order_id": [f"o{i + 1}" for i in range(len(order_date))],
                  "order_date": order_date, "customer_id": customer_id,
                  "amount": amount}).to_csv(folder / "orders.csv", index=False)
    return open_source(str(folder))
