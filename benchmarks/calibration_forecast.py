"""Calibration of the forecaster's intervals and of P(hit target), on series with a known truth.

    .venv/bin/python benchmarks/calibration_forecast.py            # 30 simulated series per process
    .venv/bin/python benchmarks/calibration_forecast.py --quick    # 6 per process; real: elec_equip
                                                                   # and the demo total, 2 origins
    .venv/bin/python benchmarks/calibration.py                     # with the other calibration reports

Prints

1. coverage of the delivered 80 % and 95 % bands by horizon (1-12 months) on simulated series
   (ETS(M,Ad,M), airline SARIMA, log-trend +12.7 %/yr with AR(1) errors; 60 months of history, the
   next 12 months held out), and on real series: the demo company's monthly revenue by region
   (and total) and statsmodels' bundled monthly series (elec_equip; co2 and elnino as monthly),
   rolling origins one year apart with the next 12 months held out;
2. the bias of the forecast of the next twelve months' total (mean of forecast / actual - 1) on the
   growing simulated series and on the demo total;
3. P(hit target) reliability: at the planning origin, targets at 0.9-1.2 x the true median of the
   year's total; stated P(hit) against the share of years that reached the target, binned.

``report()`` returns the text (``benchmarks/calibration.py`` runs every ``calibration_*.report``).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from salesnb import goals  # noqa: E402
from salesnb.trends import AutoForecaster  # noqa: E402

H = 12
GROWTH = 0.127  # per year, of the log-trend simulation


def _idx(n: int) -> pd.PeriodIndex:
    return pd.period_range("2019-01", periods=n, freq="M")


def sim_ets(rng: np.random.Generator, n: int) -> pd.Series:
    level, slope = 100.0, 0.8
    season = list(1 + 0.2 * np.sin(2 * np.pi * np.arange(12) / 12))
    alpha, beta, gamma, phi, sigma = 0.2, 0.02, 0.05, 0.95, 0.05
    y = []
    for t in range(n):
        e = rng.normal(0, sigma)
        s = season[t % 12]
        y.append((level + phi * slope) * s * (1 + e))
        level, slope = ((level + phi * slope) * (1 + alpha * e),
                        phi * slope + beta * (level + phi * slope) * e)
        season[t % 12] = s * (1 + gamma * e)
    return pd.Series(y, index=_idx(n))


def sim_airline(rng: np.random.Generator, n: int) -> pd.Series:
    e = rng.normal(0, 3.0, n + 24)
    w = e[13:] - 0.4 * e[12:-1] - 0.6 * e[1:-12] + 0.24 * e[:-13]
    x = np.zeros(len(w) + 13)
    x[:13] = 200 + 20 * np.sin(2 * np.pi * np.arange(13) / 12)
    for t in range(13, len(x)):
        x[t] = x[t - 1] + x[t - 12] - x[t - 13] + w[t - 13]
    return pd.Series(x[-n:], index=_idx(n))


def sim_logtrend(rng: np.random.Generator, n: int, *, sigma: float = 0.05,
                 phi: float = 0.6) -> pd.Series:
    t = np.arange(n)
    e = np.zeros(n)
    e[0] = rng.normal(0, sigma / np.sqrt(1 - phi**2))
    for i in range(1, n):
        e[i] = phi * e[i - 1] + rng.normal(0, sigma)
    g = np.log1p(GROWTH) / 12
    return pd.Series(100 * np.exp(g * t + 0.15 * np.sin(2 * np.pi * t / 12) + e), index=_idx(n))


SIMS = {"ETS(M,Ad,M)": sim_ets, "airline": sim_airline, "log-trend + AR(1)": sim_logtrend}


def _hits(y: pd.Series, fc: pd.DataFrame, level: int) -> np.ndarray:
    a = y.reindex(fc.index).to_numpy(float)
    return (a >= fc[f"lo{level}"].to_numpy()) & (a <= fc[f"hi{level}"].to_numpy())


def coverage_simulated(k: int, seed: int = 2026) -> tuple[pd.DataFrame, list]:
    rng = np.random.default_rng(seed)
    rows, fits = [], []
    for name, sim in SIMS.items():
        for _ in range(k):
            y = sim(rng, 60 + H)
            res = AutoForecaster().fit(y.iloc[:60])
            fc = res.predict(H)
            fits.append((name, y, res, fc))
            for lv in (80, 95):
                for h, hit in enumerate(_hits(y, fc, lv), start=1):
                    rows.append({"series": name, "level": lv, "h": h, "hit": hit})
    return pd.DataFrame(rows), fits


def real_series() -> list[tuple[str, pd.Series]]:
    from statsmodels.datasets import co2, elec_equip, elnino

    out = []
    ee = elec_equip.load().data.iloc[:, 0]
    out.append(("elec_equip", pd.Series(ee.to_numpy(float), index=pd.period_range(
        "1995-01", periods=len(ee), freq="M"))))
    c = co2.load_pandas().data["co2"]
    c = c.groupby(c.index.to_period("M")).mean().interpolate()
    out.append(("co2", c.loc["1970-01":]))
    en = elnino.load_pandas().data.set_index("YEAR")
    v = en.to_numpy(float).ravel()
    out.append(("elnino", pd.Series(v, index=pd.period_range(f"{int(en.index[0])}-01",
                                                              periods=len(v), freq="M"))))
    return out


def demo_series() -> list[tuple[str, pd.Series]]:
    from salesnb.data import extract
    from salesnb.data.demo import ensure_demo
    from salesnb.data.sources import open_folder

    ds = open_folder(ensure_demo())
    r = extract.revenue(ds, freq="M", by=("region",))
    r["period"] = pd.to_datetime(r["period"]).dt.to_period("M")
    last = pd.Timestamp(ds.as_of).to_period("M")
    if pd.Timestamp(ds.as_of).normalize() != last.end_time.normalize():
        last -= 1
    r = r[r["period"] <= last]
    out = [("demo total", r.groupby("period")["revenue"].sum().astype(float))]
    for reg, g in r.groupby("region"):
        out.append((f"demo {reg}", g.set_index("period")["revenue"].astype(float)))
    return out


def coverage_real(series, *, n_origins: int = 3, min_train: int = 36) -> pd.DataFrame:
    rows = []
    for name, y in series:
        ends = [len(y) - H - 12 * i for i in range(n_origins)]
        for end in [e for e in ends if e >= min_train]:
            train = y.iloc[max(0, end - 120):end]
            fc = AutoForecaster().fit(train).predict(H)
            for lv in (80, 95):
                for h, hit in enumerate(_hits(y, fc, lv), start=1):
                    rows.append({"series": name, "level": lv, "h": h, "hit": hit})
    return pd.DataFrame(rows)


def _by_horizon(df: pd.DataFrame) -> pd.DataFrame:
    t = df.pivot_table(index="level", columns="h", values="hit", aggfunc="mean")
    t.columns = [f"h{h}" for h in t.columns]
    return t


def reliability(fits, *, ratios=(0.9, 0.95, 1.0, 1.05, 1.1, 1.2)) -> tuple[pd.DataFrame, dict]:
    """Stated P(hit) against realised hits for targets around the true median total."""
    rows, bias = [], {}
    for name, y, _res, fc in fits:
        hist = pd.DataFrame({"period": y.index[:60].to_timestamp(), "revenue": y.iloc[:60]})
        actual = float(y.iloc[60:].sum())
        bias.setdefault(name, []).append(float(fc["mean"].sum()) / actual - 1)
        if name != "log-trend + AR(1)":
            continue
        fy = y.index[60].year
        # the true median of the year's total under the simulation (no noise): the trend path
        t = np.arange(60, 72)
        median = float(np.sum(100 * np.exp(np.log1p(GROWTH) / 12 * t
                                           + 0.15 * np.sin(2 * np.pi * t / 12))))
        for r in ratios:
            hit = goals.prob_hit(hist, target=r * median, fiscal_year=fy, forecast=fc)
            rows.append({"ratio": r, "stated": hit.p, "hit": actual >= r * median})
    rel = pd.DataFrame(rows)
    if len(rel):
        bins = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001]
        rel["bin"] = pd.cut(rel["stated"], bins, right=False)
        rel = rel.groupby("bin", observed=True).agg(n=("hit", "size"), stated=("stated", "mean"),
                                                     realised=("hit", "mean")).reset_index()
        rel["bin"] = rel["bin"].astype(str)
    return rel, {k: float(np.mean(v)) for k, v in bias.items()}


def demo_bias() -> pd.DataFrame:
    rows = []
    for name, y in demo_series()[:1]:
        for end in (len(y) - 12 - 10, len(y) - 12 - 22):
            if end < 24:
                continue
            fc = AutoForecaster().fit(y.iloc[:end]).predict(H)
            rows.append({"series": name, "origin": str(y.index[end - 1]),
                         "bias_12m_total": float(fc["mean"].sum()) / float(
                             y.iloc[end:end + H].sum()) - 1,
                         "model": fc.attrs["model"]})
    return pd.DataFrame(rows)


class _Tee(io.StringIO):
    """Collect the text and echo it as it comes (long runs show progress)."""

    def __init__(self, echo) -> None:
        super().__init__()
        self.echo = echo

    def write(self, s: str) -> int:
        if self.echo is not None:
            self.echo.write(s)
            self.echo.flush()
        return super().write(s)


def report(quick: bool = False, *, echo=None) -> str:
    """All figures as text; ``echo`` (a stream) also receives them as they are computed."""
    buf = _Tee(echo)
    with redirect_stdout(buf):
        k = 6 if quick else 30
        sim, fits = coverage_simulated(k)
        pd.set_option("display.width", 200)
        print(f"## Forecast interval coverage by horizon, simulated ({k} series per process, "
              "60 months of history, next 12 held out)")
        for name, g in sim.groupby("series", sort=False):
            print(f"\n{name}\n{_by_horizon(g).round(2).to_string()}")
        print(f"\nall simulated\n{_by_horizon(sim).round(2).to_string()}")
        real_all = real_series() + demo_series()
        real = coverage_real(real_all[:1] + real_all[3:4] if quick else real_all,
                             n_origins=2 if quick else 3)
        print("\n## Coverage by horizon, real series (statsmodels elec_equip, co2, elnino; demo "
              "total and regions; origins one year apart)")
        print(_by_horizon(real).round(2).to_string())
        rel, bias = reliability(fits)
        print("\n## Bias of the next-12-month total (forecast / actual - 1), simulated")
        for name, b in bias.items():
            print(f"  {name}: {b:+.1%}")
        print("\n## P(hit) reliability, log-trend + AR(1) series growing 12.7 %/yr "
              "(targets 0.9-1.2 x the true median of the year)")
        print(rel.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
        db = demo_bias()
        print("\n## Demo company total: bias of the next-12-month total at two planning origins")
        print(db.to_string(index=False, float_format=lambda v: f"{v:+.3f}"))
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    report(quick=ap.parse_args().quick, echo=sys.stdout)


if __name__ == "__main__":
    main()
