"""Benchmark of salesnb.trends.auto_forecast against seasonal naive and AICc-selected ETS.

    .venv/bin/python benchmarks/forecast_bench.py            # demo + real series + timing
    .venv/bin/python benchmarks/forecast_bench.py --quick    # one holdout origin per real series
    .venv/bin/python benchmarks/forecast_bench.py --all      # also ARIMA, Theta, fixed combination

Prints the mean MASE (holdout, scaled by the in-sample seasonal-naive MAE) of each method on

(a) the demo company's region x category monthly revenue (48 series, last 12 months held out);
(b) public real monthly and quarterly series shipped inside installed packages (nothing is
    downloaded): Australian wine sales (wineind), airline passengers, Australian beer production
    (ausbeer), Australian wool production (woolyrnq) from pmdarima's bundled data when pmdarima is
    installed; euro-area electrical equipment orders (elec_equip) and US real personal consumption
    (macrodata.realcons) from statsmodels. Horizon 12 months / 8 quarters, three holdout origins one
    year apart per series;

and the seconds auto_forecast takes for 50 series (wall clock and CPU of this process; the machine
is small and shared, so the CPU seconds are the steadier figure).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from salesnb.trends import AutoForecaster, mase  # noqa: E402

METHODS = {
    "seasonal naive": dict(candidates=("snaive",)),
    "AICc-ETS": dict(candidates=("ets",)),
    "auto_forecast": {},
}
EXTRA = {
    "auto SARIMA": dict(candidates=("arima",)),
    "Theta": dict(candidates=("theta",)),
    "comb (no selection)": dict(candidates=("ets", "arima", "theta", "comb"), backtest=False),
}


def demo_series() -> list[tuple[str, pd.Series]]:
    from salesnb.data import extract
    from salesnb.data.demo import ensure_demo
    from salesnb.data.sources import open_folder

    ds = open_folder(ensure_demo())
    r = extract.revenue(ds, freq="M", by=("region", "category"))
    r["period"] = r["period"].dt.to_period("M")
    out = []
    for (reg, cat), g in r.groupby(["region", "category"]):
        s = g.set_index("period")["revenue"].astype(float)
        s = s.reindex(pd.period_range(s.index.min(), s.index.max(), freq="M"), fill_value=0.0)
        out.append((f"{reg}/{cat}", s))
    return out


def real_series() -> list[tuple[str, pd.Series]]:
    out: list[tuple[str, pd.Series]] = []
    try:
        import pmdarima.datasets as pm

        wine = pm.load_wineind(as_series=True)
        out.append(("wineind (M)", pd.Series(wine.to_numpy(float), index=pd.period_range(
            "1980-01", periods=len(wine), freq="M"))))
        air = pm.load_airpassengers(as_series=True)
        out.append(("airpassengers (M)", pd.Series(air.to_numpy(float), index=pd.period_range(
            "1949-01", periods=len(air), freq="M"))))
        beer = pm.load_ausbeer(as_series=True).dropna()
        out.append(("ausbeer (Q)", pd.Series(beer.to_numpy(float), index=pd.period_range(
            "1956Q1", periods=len(beer), freq="Q"))))
        wool = pm.load_woolyrnq(as_series=True)
        out.append(("woolyrnq (Q)", pd.Series(wool.to_numpy(float), index=pd.period_range(
            "1965Q1", periods=len(wool), freq="Q"))))
    except ImportError:
        print("(pmdarima not installed: its bundled series are skipped)")
    from statsmodels.datasets import elec_equip, macrodata

    ee = elec_equip.load().data.iloc[:, 0]
    out.append(("elec_equip (M)", pd.Series(ee.to_numpy(float), index=pd.period_range(
        "1995-01", periods=len(ee), freq="M"))))
    md = macrodata.load_pandas().data
    out.append(("realcons (Q)", pd.Series(md["realcons"].to_numpy(float), index=pd.period_range(
        "1959Q1", periods=len(md), freq="Q"))))
    return out


def evaluate(series, methods, *, n_origins: int) -> pd.DataFrame:
    rows = []
    for name, y in series:
        m = 12 if y.index.freqstr.startswith("M") else 4
        h = 12 if m == 12 else 8
        for k in range(n_origins):
            cut = len(y) - h - k * m
            train, test = y.iloc[:cut], y.iloc[cut:cut + h]
            for label, kw in methods.items():
                fc = AutoForecaster(**kw).fit(train).predict(h)
                a = test.to_numpy()
                rows.append({
                    "series": name, "origin": str(train.index[-1]), "method": label,
                    "mase": mase(a, fc["mean"].to_numpy(), train.to_numpy(), season_length=m),
                    "cover80": float(np.mean((a >= fc["lo80"]) & (a <= fc["hi80"]))),
                    "model": fc.attrs["model"],
                })
    return pd.DataFrame(rows)


def timing(series, n: int = 50) -> tuple[float, float]:
    ys = [series[i % len(series)][1] for i in range(n)]
    w0, c0 = time.perf_counter(), time.process_time()
    for y in ys:
        AutoForecaster().fit(y).predict(12)
    return time.perf_counter() - w0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one holdout origin per real series")
    ap.add_argument("--all", action="store_true", help="also ARIMA, Theta, fixed combination")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args(argv)
    methods = dict(METHODS, **(EXTRA if args.all else {}))
    pd.set_option("display.width", 120)

    demo = demo_series()
    res_demo = evaluate(demo, methods, n_origins=1)
    real = real_series()
    res_real = evaluate(real, methods, n_origins=1 if args.quick else 3)

    def table(res: pd.DataFrame) -> pd.DataFrame:
        t = res.groupby("method", sort=False).agg(mean_mase=("mase", "mean"),
                                                   median_mase=("mase", "median"),
                                                   cover80=("cover80", "mean"),
                                                   forecasts=("mase", "size"))
        t["cover80"] = (100 * t["cover80"]).round(1)
        return t.round(3)

    print(f"(a) demo region x category: {len(demo)} monthly series, last 12 months held out")
    print(table(res_demo).to_string())
    print(f"\n(b) real series ({', '.join(n for n, _ in real)}), "
          f"{1 if args.quick else 3} origin(s) each")
    print(table(res_real).to_string())
    per = res_real.pivot_table(index="series", columns="method", values="mase", aggfunc="mean",
                               sort=False)
    print("\nmean MASE per real series")
    print(per[list(methods)].round(3).to_string())
    chosen = res_real[res_real.method == "auto_forecast"]["model"].value_counts()
    print("\nmodels chosen by auto_forecast on the real series:", dict(chosen))
    if not args.no_timing:
        wall, cpu = timing(demo, 50)
        print(f"\nauto_forecast on 50 demo series: {wall:.1f} s wall, {cpu:.1f} s CPU "
              "(target < 60 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
