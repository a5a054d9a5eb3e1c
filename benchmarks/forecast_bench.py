"""Benchmark of salesnb.trends.auto_forecast against seasonal naive and AICc-selected ETS.

    .venv/bin/python benchmarks/forecast_bench.py            # demo + real series + timing
    .venv/bin/python benchmarks/forecast_bench.py --quick    # one holdout origin per real series
    .venv/bin/python benchmarks/forecast_bench.py --all      # also ARIMA, Theta, fixed combination
    .venv/bin/python benchmarks/forecast_bench.py --choice-study 10   # choice rules of the point
                                                            # forecast (demo, real, 60 simulated)
    .venv/bin/python benchmarks/forecast_bench.py --members-study 10  # trended members when the
                                                            # data drift (tried, not kept)

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
        for train, test in holdout_pairs([(name, y)], n_origins):
            h = len(test)
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


# -- choice-rule study (issue 13, point 2): how would other choices of the point forecast do? -----

def _members_and_backtest(train: pd.Series) -> dict:
    """Fit auto_forecast once and keep what a choice rule needs: the backtest table and forecasts
    of every candidate and each candidate's own full-sample forecast (captured as it is fitted)."""
    from salesnb import trends

    raw: dict = {}
    n = len(train)
    m = 12 if train.index.freqstr.startswith("M") else 4
    h = 12 if m == 12 else 8
    original = dict(trends._FITTERS)

    def capture(name):
        def fit(y, m_, spec=None):
            res = original[name](y, m_, spec)
            if len(y) == n and spec is None:  # the full-sample fit (backtest fits are shorter)
                with trends._Silence():
                    raw[name] = res.predict(h, (80,)).mean
            return res
        return fit

    try:
        trends._FITTERS.update({c: capture(c) for c in original})
        res = AutoForecaster().fit(train)
    finally:
        trends._FITTERS.update(original)
    return {"bt": res.backtest, "bf": res.backtest_forecasts, "raw": raw, "m": m,
            "x": train.to_numpy(float), "method": res.method}


def _subset_score(r: dict, keep, w=None) -> float:
    """Backtest score (MASE + |mean scaled error|) of the (weighted) mean of ``keep``."""
    from salesnb.trends import _mase_scale

    bf = r["bf"][r["bf"]["candidate"].isin(keep)]
    sc, me = [], []
    for o, g in bf.groupby("origin"):
        piv = g.pivot(index="step", columns="candidate", values="mean")[list(keep)].to_numpy()
        mu = piv @ (np.full(len(keep), 1 / len(keep)) if w is None else w)
        a = g.groupby("step")["actual"].first().to_numpy()
        scale = _mase_scale(r["x"][:int(o)], r["m"])
        sc.append(np.mean(np.abs(mu - a)) / scale)
        me.append(np.mean(mu - a) / scale)
    return float(np.nanmean(sc) + abs(np.nanmean(me)))


MEMBERS = ("ets", "arima", "theta")


def _rule(kind: str, arg: float = 0.0):
    """A choice rule: returns (members, weights) of the point forecast from a fitted record."""
    from salesnb.trends import COMBINATION_MARGIN

    def choose(r: dict):
        b = r["bt"].set_index("candidate")
        s = {c: float(b.loc[c, "score"]) for c in b.index if np.isfinite(b.loc[c, "score"])}
        mem = [c for c in MEMBERS if c in s and c in r["raw"]]
        best = min(s, key=s.get)
        margin = arg if kind == "margin" else COMBINATION_MARGIN
        if len(mem) < 2:
            return (best,), None
        if kind == "trim":
            keep = tuple(c for c in mem if s[c] <= (1 + arg) * min(s[c] for c in mem))
        elif kind == "pair":
            keep = tuple(c for c in ("ets", "arima") if c in mem) or tuple(mem)
        else:
            keep = tuple(mem)
        w = None
        if kind == "weights":
            w = np.array([s[c] ** -arg for c in keep])
            w = w / w.sum()
        score = s[keep[0]] if len(keep) == 1 else _subset_score(r, keep, w)
        return (keep, w) if score <= (1 + margin) * s[best] else ((best,), None)

    return choose


def _total_errors(r: dict, keep) -> np.ndarray:
    """Per backtest origin, the error of the horizon total of the equal mean of ``keep``
    (forecast / actual − 1): what P(hit) of a year depends on."""
    bf = r["bf"][r["bf"]["candidate"].isin(keep)]
    out = []
    for _, g in bf.groupby("origin"):
        piv = g.pivot(index="step", columns="candidate", values="mean")[list(keep)].to_numpy()
        a = g.groupby("step")["actual"].first().to_numpy()
        out.append(piv.mean(axis=1).sum() / a.sum() - 1)
    return np.array(out)


def _total_rule(margin: float, *, signed: bool = False):
    """The equal combination unless one member's backtest error of the horizon total (mean
    absolute, or the absolute mean when ``signed``: a bias the same way at every origin) is lower
    by ``margin`` (a share of the combination's)."""

    def choose(r: dict):
        mem = [c for c in MEMBERS if c in r["raw"] and c in set(r["bf"]["candidate"])]
        if len(mem) < 2:
            return _rule("margin", 0.75)(r)

        def err(keep):
            e = _total_errors(r, keep)
            return abs(e.mean()) if signed else np.abs(e).mean()

        comb = err(tuple(mem))
        best = min(mem, key=lambda c: err((c,)))
        return ((best,), None) if err((best,)) < (1 - margin) * comb else (tuple(mem), None)

    return choose


def _implemented_total_rule(r: dict):
    """What ``AutoForecaster(choose_by="total")`` (P(hit) in salesnb.goals) chooses."""
    from salesnb.trends import _choose_total

    mem = [c for c in MEMBERS if c in r["raw"] and c in set(r["bf"]["candidate"])]
    c = _choose_total(r["bt"], r["bf"], mem)
    return ((c,), None) if c != "comb" else (tuple(mem), None)


CHOICE_RULES = {
    "now: equal combination unless beaten by 75 %": _rule("margin", 0.75),
    "margin 40 %": _rule("margin", 0.4),
    "margin 0 (lowest score)": _rule("margin", 0.0),
    "members within 25 % of the best member": _rule("trim", 0.25),
    "ETS + SARIMA only (no Theta)": _rule("pair"),
    "weights 1/score": _rule("weights", 1.0),
    "weights 1/score^2": _rule("weights", 2.0),
    "total: best member by |total error| unless within 30 %": _total_rule(0.3),
    "total: best member by |total bias| unless within 30 %": _total_rule(0.3, signed=True),
    "total: best member by |total error| (margin 0)": _total_rule(0.0),
    "choose_by='total' (P(hit) since the eighth pass)": _implemented_total_rule,
}


def _scored(r: dict, te: pd.Series, rule) -> tuple[float, float]:
    """MASE and bias of the horizon total (forecast / actual - 1) of the point forecast ``rule``
    chooses from the fitted record ``r``, against the held-out ``te``."""
    keep, w = rule(r)
    if keep == ("comb",):  # the equal combination of the members
        keep = tuple(c for c in MEMBERS if c in r["raw"])
    f = np.array([r["raw"][c] for c in keep])
    f = f.mean(axis=0) if w is None else w @ f
    a = te.to_numpy(float)
    return mase(a, f, r["x"], season_length=r["m"]), f.sum() / a.sum() - 1


def choice_study(sets: dict[str, list[tuple[pd.Series, pd.Series]]]) -> pd.DataFrame:
    """Mean MASE and mean bias of the horizon total (forecast / actual - 1) of each choice rule on
    each set of (train, test) pairs; every rule reads the same fits."""
    rows = []
    for set_name, pairs in sets.items():
        recs = [(_members_and_backtest(tr), te) for tr, te in pairs]
        for label, rule in CHOICE_RULES.items():
            got = np.array([_scored(r, te, rule) for r, te in recs])
            rows.append({"set": set_name, "rule": label, "mase": got[:, 0].mean(),
                         "bias_pct": 100 * got[:, 1].mean(),
                         "abs_bias_pct": 100 * np.abs(got[:, 1]).mean(), "n": len(got)})
    return pd.DataFrame(rows)


def simulated_pairs(k: int, seeds=(2026, 7)) -> dict[str, list[tuple[pd.Series, pd.Series]]]:
    """The calibration benchmark's simulated series (60 months of history, next 12 held out)."""
    from tests.simulate import sim_ets_mam, sim_logtrend_ar1, sim_sarima

    out: dict = {"sim ETS(M,Ad,M)": [], "sim airline": [], "sim log-trend +12.7 %/yr": []}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        for key, sim in zip(out, (sim_ets_mam, sim_sarima, sim_logtrend_ar1), strict=True):
            for _ in range(k):
                y = sim(rng, 72)
                out[key].append((y.iloc[:60], y.iloc[60:]))
    return out


def holdout_pairs(series, n_origins: int) -> list[tuple[pd.Series, pd.Series]]:
    out = []
    for _, y in series:
        m = 12 if y.index.freqstr.startswith("M") else 4
        h = 12 if m == 12 else 8
        for k in range(n_origins):
            cut = len(y) - h - k * m
            out.append((y.iloc[:cut], y.iloc[cut:cut + h]))
    return out


# -- members study (issue 13, point 2): trended members when the data show a drift -------------

def drift_t(y: np.ndarray, m: int) -> float:
    """HAC t statistic of the mean of the seasonal differences of log(y): the drift of a growing
    series (0 when too short or not seasonal)."""
    import statsmodels.api as sm

    x = np.log(y) if np.all(y > 0) else y / np.mean(np.abs(y))
    if m <= 1 or len(x) < 2 * m + 4:
        return 0.0
    d = x[m:] - x[:-m]
    return float(sm.OLS(d, np.ones(len(d))).fit(cov_type="HAC", cov_kwds={"maxlags": m}).tvalues[0])


def _variant_fitters(kind: str, t_min: float = 2.0) -> dict:
    """Member fitters of a variant: ``drift-ets`` limits ETS to its trended forms when
    :func:`drift_t` > ``t_min``; ``drift-ets+theta`` also gives Theta its full trend weight
    (theta -> infinity; its bands shifted with its mean)."""
    from salesnb import trends

    orig_ets, orig_theta = trends._fit_ets, trends._fit_theta

    def ets(y, m, spec=None):
        if spec is not None or not (m > 1 and len(y) >= 2 * m + 2 and np.all(y > 0)) \
                or drift_t(y, m) <= t_min:
            return orig_ets(y, m, spec)
        saved = trends._ETS_SEASONAL
        try:
            trends._ETS_SEASONAL = tuple(c for c in saved if c[1] is not None)
            return orig_ets(y, m, spec)
        finally:
            trends._ETS_SEASONAL = saved

    def theta(y, m, spec=None):
        from statsmodels.tsa.forecasting.theta import ThetaModel

        f = orig_theta(y, m, spec)
        res = ThetaModel(trends._as_series(y), period=m if m > 1 else None,
                         deseasonalize=m > 1 and len(y) >= 2 * m,
                         method="auto" if np.all(y > 0) else "additive").fit()

        def predict(h, levels):
            p = f.predict(h, levels)
            shift = np.asarray(res.forecast(h, theta=1e30), dtype=float) - p.mean
            return trends._Pred(p.mean + shift, {lv: (lo + shift, hi + shift)
                                                 for lv, (lo, hi) in p.bounds.items()})

        return trends._Fitted("theta", "Theta", f.params, predict)

    out = {"ets": ets}
    if kind == "drift-ets+theta":
        out["theta"] = theta
    return out


def members_study(sets: dict[str, list[tuple[pd.Series, pd.Series]]],
                  variants=("drift-ets", "drift-ets+theta")) -> pd.DataFrame:
    """Each variant's members against today's, on the same (train, test) pairs, with today's choice
    rule: mean MASE, paired MASE difference (± its standard error), mean bias and mean absolute
    bias of the horizon total."""
    from salesnb import trends

    today = _rule("margin", trends.COMBINATION_MARGIN)

    def forecasts(pairs):
        return np.array([_scored(_members_and_backtest(tr), te, today) for tr, te in pairs])

    rows = []
    for set_name, pairs in sets.items():
        base = forecasts(pairs)
        rows.append({"set": set_name, "members": "today", "mase": base[:, 0].mean(),
                     "d_mase": 0.0, "se": 0.0, "bias_pct": 100 * base[:, 1].mean(),
                     "abs_bias_pct": 100 * np.abs(base[:, 1]).mean()})
        for v in variants:
            saved = dict(trends._FITTERS)
            try:
                trends._FITTERS.update(_variant_fitters(v))
                got = forecasts(pairs)
            finally:
                trends._FITTERS.update(saved)
            d = got[:, 0] - base[:, 0]
            rows.append({"set": set_name, "members": v, "mase": got[:, 0].mean(), "d_mase": d.mean(),
                         "se": d.std(ddof=1) / np.sqrt(len(d)), "bias_pct": 100 * got[:, 1].mean(),
                         "abs_bias_pct": 100 * np.abs(got[:, 1]).mean()})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one holdout origin per real series")
    ap.add_argument("--all", action="store_true", help="also ARIMA, Theta, fixed combination")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--choice-study", type=int, metavar="K", default=None,
                    help="instead: compare choice rules of the point forecast on the demo, the "
                         "real series and K simulated series per process and seed (2026, 7)")
    ap.add_argument("--members-study", type=int, metavar="K", default=None,
                    help="instead: today's combination members against trended ones when the data "
                         "drift, on the demo, the real series and K simulated series per process "
                         "and seed")
    args = ap.parse_args(argv)
    if args.members_study is not None:
        sets = {"demo region x category": holdout_pairs(demo_series(), 1),
                "real": holdout_pairs(real_series(), 1 if args.quick else 3)}
        sets.update(simulated_pairs(args.members_study) if args.members_study > 0 else {})
        pd.set_option("display.width", 160)
        print(members_study(sets).round(3).to_string(index=False))
        return 0
    if args.choice_study is not None:
        sets = {"demo region x category": holdout_pairs(demo_series(), 1),
                "real": holdout_pairs(real_series(), 1 if args.quick else 3)}
        sets.update(simulated_pairs(args.choice_study) if args.choice_study > 0 else {})
        t = choice_study(sets)
        pd.set_option("display.width", 160)
        print(t.pivot_table(index="rule", columns="set", values="mase", sort=False).round(3)
              .to_string())
        print("\nmean bias of the horizon total (%)")
        print(t.pivot_table(index="rule", columns="set", values="bias_pct", sort=False).round(2)
              .to_string())
        print("\nmean absolute error of the horizon total (%): what P(hit) rests on")
        print(t.pivot_table(index="rule", columns="set", values="abs_bias_pct", sort=False)
              .round(2).to_string())
        return 0
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
