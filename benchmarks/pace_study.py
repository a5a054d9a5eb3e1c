"""Should P(hit) be centred on the recent pace? Rules tried for issue 13, point 2 (not kept).

    PYTHONPATH=$PWD nice -n 5 .venv/bin/python benchmarks/pace_study.py            # about 6 minutes
    PYTHONPATH=$PWD .venv/bin/python benchmarks/pace_study.py --series 3 --jobs 1  # a quick look

The forecaster under-projects a business that keeps growing steadily (docs/goals.md, "P(hit)
calibration"). One fix would centre the year's distribution on the recent pace (the months to come at
last year's months x (1 + the recent fiscal years' average growth)) whenever the recent years all
grew and the forecast grows less. This script fits the forecaster once per planning year and prints,
for each rule, the bias of the year total (forecast / actual - 1), its mean absolute error, the
coverage of the central 50/80/90 % ranges of the stated distribution and, on the log-trend series,
the mean stated P(hit) at the targets whose true probability is 0.9 / 0.5 / 0.1.

Processes: the calibration benchmark's three (ETS(M,Ad,M), airline, log-trend +12.7 %/yr) with
forecasts starting in January, April and July (60, 63, 66 months of history; seeds 2026 and 7), and
three more with January starts: growth fading from +30 %/yr to 0 (``tests.simulate.sim_fading_growth``),
a decline of 8 %/yr and growth of 30 %/yr. Rules (each with the same spread as the forecast):

- ``forecast``: the forecaster's total (what the verdict uses);
- ``pace``: the pace when the recent years all grew and the forecast grows less (the SMART note
  with no margin);
- ``pace, latest``: as ``pace`` with min(average, latest year's growth);
- ``pace, slowest``: with the slowest recent year's growth;
- ``pace, median``: with the median;
- ``pace, trend``: with min(average, the monthly year-on-year growth of the last 36 months
  extrapolated to the middle of the year to come);
- ``pace unless falling``: ``pace``, except when the growth of every complete fiscal year (three or
  more) falls by more than 2.5 pp a year on a straight line (the fading business).
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from salesnb import goals  # noqa: E402
from tests.simulate import ar1_errors, month_index, sim_fading_growth  # noqa: E402

H = 12


def _steady(rate: float):
    def sim(rng: np.random.Generator, n: int) -> pd.Series:
        t = np.arange(n)
        e = ar1_errors(rng, n)
        return pd.Series(100 * np.exp(np.log1p(rate) / 12 * t + 0.15 * np.sin(2 * np.pi * t / 12)
                                      + e), index=month_index(n))
    return sim


EXTRA = {"growth fading +30 % -> 0": sim_fading_growth, "declining -8 %/yr": _steady(-0.08),
         "growing +30 %/yr": _steady(0.30)}


def _fit_set(args: tuple[str, int, int, int]) -> list[tuple[str, pd.Series, pd.DataFrame, object]]:
    """One set of planning years: the calibration benchmark's (``kind`` "main") or the extra
    processes; each as (process, series, delivered forecast, true totals or None)."""
    import calibration_forecast as cf

    from salesnb.trends import AutoForecaster

    kind, seed, history, k = args
    out = []
    if kind == "main":
        _, fits = cf.coverage_simulated(k, seed, history=history)
        rng = np.random.default_rng(seed)
        for name, y, _res, fc in fits:
            n = len(y) - H
            truth = (cf.logtrend_future_totals(y.iloc[:n], H, rng=rng)
                     if name == "log-trend + AR(1)" else None)
            out.append((name, y, fc, truth))
    else:
        rng = np.random.default_rng(seed + 1000)
        for name, sim in EXTRA.items():
            for _ in range(k):
                y = sim(rng, history + H)
                out.append((name, y, AutoForecaster().fit(y.iloc[:history]).predict(H), None))
    return out


def _record(name: str, y: pd.Series, fc: pd.DataFrame, truth) -> dict:
    n = len(y) - H
    hist = pd.DataFrame({"period": y.index[:n].to_timestamp(), "revenue": y.iloc[:n]})
    last = float(y.iloc[n - 12:n].sum())
    fy, start = y.index[n].year, y.index[n].month
    hp = goals.prob_hit(hist, target=last, fiscal_year=fy, start_month=start, forecast=fc)
    chk = goals.smart_check(hist, target=last, fiscal_year=fy, start_month=start, forecast=fc)
    every = goals.fiscal_year_totals(hist, start_month=start)["growth"].dropna().to_numpy(float)
    return {"name": name, "hist": y.iloc[:n].to_numpy(float), "hp": hp, "last": last, "every": every,
            "g": chk.recent_growth["growth"].to_numpy(float), "fcg": chk.forecast_growth,
            "actual": float(y.iloc[n:n + H].sum()), "truth": truth}


def _growth(rule: str, r: dict) -> float:
    g = r["g"]
    if rule == "pace, latest":
        return min(g.mean(), g[-1])
    if rule == "pace, slowest":
        return g.min()
    if rule == "pace, median":
        return float(np.median(g))
    if rule == "pace, trend":
        x = np.log(r["hist"])
        d = (x[12:] - x[:-12])[-36:]
        b, a = np.polyfit(np.arange(len(d)), d, 1)
        return min(g.mean(), float(np.expm1(a + b * (len(d) - 1 + 6.5))))
    return g.mean()


RULES = ("forecast", "pace", "pace, latest", "pace, slowest", "pace, median", "pace, trend",
         "pace unless falling")
FALLING = -0.025  # pp a year, on the straight line through every complete year's growth


def _centred(rule: str, r: dict):
    hp, g = r["hp"], r["g"]
    if rule == "forecast" or not (len(g) >= 2 and np.all(g > 0) and r["fcg"] < g.mean()):
        return hp
    e = r["every"]
    if rule == "pace unless falling" and len(e) >= 3 and np.polyfit(np.arange(len(e)), e, 1)[0] < FALLING:
        return hp
    return replace(hp, mean=max(hp.mean, r["last"] * (1 + _growth(rule, r))))


def table(recs: list[dict]) -> pd.DataFrame:
    rows = []
    for rule in RULES:
        for name in dict.fromkeys(r["name"] for r in recs):
            sub = [r for r in recs if r["name"] == name]
            bias, pit, true_p = [], [], []
            for r in sub:
                hp = _centred(rule, r)
                d = hp._distribution()
                bias.append(hp.mean / r["actual"] - 1)
                pit.append(d.cdf(r["actual"]))
                if r["truth"] is not None:
                    true_p.append([d.prob_at_least(float(np.quantile(r["truth"], 1 - p)))
                                   for p in (0.9, 0.5, 0.1)])
            u, b = np.asarray(pit), np.asarray(bias)
            row = {"rule": rule, "process": name, "years": len(sub), "bias": f"{b.mean():+.2%}",
                   "mean_abs": f"{np.abs(b).mean():.2%}"}
            for lv in (50, 80, 90):
                row[f"cov{lv}"] = f"{np.mean(np.abs(u - 0.5) <= lv / 200):.2f}"
            if true_p:
                row["at_true_0.9/0.5/0.1"] = "/".join(f"{v:.2f}" for v in np.mean(true_p, axis=0))
            rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=10, help="series per process and set")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    sets = [("main", s, h, a.series) for s in (2026, 7) for h in (60, 63, 66)]
    sets += [("extra", s, 60, a.series) for s in (2026, 7)]
    with ProcessPoolExecutor(a.jobs) as ex:
        fits = [f for part in ex.map(_fit_set, sets) for f in part]
    recs = [_record(*f) for f in fits]
    pd.set_option("display.width", 200)
    print(f"{len(recs)} planning years; bias and mean |error| of the year total, coverage of the "
          "stated central ranges (0.50/0.80/0.90 when right), stated P(hit) at targets of true "
          "probability 0.9/0.5/0.1 (log-trend)")
    print(table(recs).fillna("").to_string(index=False))


if __name__ == "__main__":
    main()
