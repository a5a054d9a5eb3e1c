"""Calibration of the forecaster's intervals and of P(hit target), on series with a known truth.

    .venv/bin/python benchmarks/calibration_forecast.py            # 30 simulated series per process
    .venv/bin/python benchmarks/calibration_forecast.py --quick    # 6 per process; real: elec_equip
                                                                   # and the demo total, 2 origins
    .venv/bin/python benchmarks/calibration.py                     # with the other calibration reports

Prints

1. coverage of the delivered 80 % and 95 % bands by horizon (1-12 months) on simulated series
   (ETS(M,Ad,M), airline SARIMA, log-trend +12.7 %/yr with AR(1) errors; 60 months of history
   by default, `--history 66` starts the forecasts in July; `--seed` changes the draws), the
   next 12 months held out), and on real series: the demo company's monthly revenue by region
   (and total) and statsmodels' bundled monthly series (elec_equip; co2 and elnino as monthly),
   rolling origins one year apart with the next 12 months held out;
2. the bias of the forecast of the next twelve months' total (mean of forecast / actual - 1) on the
   growing simulated series and on the demo total;
3. P(hit target) at planning time against what happened, on every simulated series (one outcome
   year each): targets at the last year's total x 0.9-1.3; stated P(hit) against the share of
   targets reached, binned (reliability table), and the coverage of the central ranges of the
   stated distribution of the year's total (its PIT), which holds for every target at once;
   and, on the log-trend series, stated P(hit) for targets whose true probability is 0.9, 0.5
   and 0.1 (the percentiles of the next twelve months' total given the history, known there);
4. the SMART check's scenario "if the business keeps that pace" (``SmartCheck.p_hit_at_pace``)
   on the years it is shown: bias of its year total against the forecast's, and its stated P(hit)
   at the targets of known probability; and on a business whose growth fades
   (:func:`tests.simulate.sim_fading_growth`), where the pace over-projects.

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
from tests.simulate import (  # noqa: E402
    logtrend_future_totals,
    sim_ets_mam,
    sim_fading_growth,
    sim_logtrend_ar1,
    sim_sarima,
)

H = 12


SIMS = {"ETS(M,Ad,M)": sim_ets_mam, "airline": sim_sarima, "log-trend + AR(1)": sim_logtrend_ar1}


def _hits(y: pd.Series, fc: pd.DataFrame, level: int) -> np.ndarray:
    a = y.reindex(fc.index).to_numpy(float)
    return (a >= fc[f"lo{level}"].to_numpy()) & (a <= fc[f"hi{level}"].to_numpy())


def coverage_simulated(k: int, seed: int = 2026, *, history: int = 60
                       ) -> tuple[pd.DataFrame, list]:
    """Coverage of the delivered bands on the ``H`` months after ``history`` simulated months
    (60: the forecast starts in January; 66: in July, another calendar position of the
    horizons)."""
    rng = np.random.default_rng(seed)
    rows, fits = [], []
    for name, sim in SIMS.items():
        for _ in range(k):
            y = sim(rng, history + H)
            res = AutoForecaster().fit(y.iloc[:history])
            fc = res.predict(H)
            fits.append((name, y, res, fc, _for_p_hit(y.iloc[:history], res, fc)))
            for lv in (80, 95):
                for h, hit in enumerate(_hits(y, fc, lv), start=1):
                    rows.append({"series": name, "level": lv, "h": h, "hit": hit})
    return pd.DataFrame(rows), fits


def _for_p_hit(y: pd.Series, res, fc: pd.DataFrame) -> pd.DataFrame:
    """The forecast :func:`salesnb.goals.prob_hit` makes of ``y`` (its forecaster chooses the model
    for the year's total, ``choose_by="total"``): ``fc`` when that choice is the monthly one,
    else a second fit."""
    from salesnb.trends import _choose_total

    members = [c for c in ("ets", "arima", "theta") if c in set(res.backtest["candidate"])]
    if not len(res.backtest) or _choose_total(res.backtest, res.backtest_forecasts,
                                              members) == res.method:
        return fc
    return AutoForecaster(choose_by="total").fit(y).predict(H)


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


def coverage_real(series, *, n_origins: int = 3, min_train: int = 36
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage by horizon on real series (rolling origins one year apart), and per origin the
    year total's bias, the SMART check's slowdown note and its pace scenario's bias (the
    demo's regions as one group)."""
    rows, pace = [], []
    for name, y in series:
        ends = [len(y) - H - 12 * i for i in range(n_origins)]
        for end in [e for e in ends if e >= min_train]:
            train = y.iloc[max(0, end - 120):end]
            res = AutoForecaster().fit(train)
            fc = res.predict(H)
            for lv in (80, 95):
                for h, hit in enumerate(_hits(y, fc, lv), start=1):
                    rows.append({"series": name, "level": lv, "h": h, "hit": hit})
            group = "demo regions" if name.startswith("demo ") and name != "demo total" else name
            pace.append({"series": group, **_pace_row(train, y.iloc[end:end + H],
                                                      _for_p_hit(train, res, fc))})
    return pd.DataFrame(rows), pd.DataFrame(pace)


def _pace_row(train: pd.Series, future: pd.Series, fc: pd.DataFrame) -> dict:
    """The SMART check at the planning origin (target: the last twelve months' total) against
    the year that followed: ``bias`` of the forecast's year total, ``slowdown`` (the note) and
    ``bias_pace`` (the pace scenario's year total; NaN without the note)."""
    hist = pd.DataFrame({"period": train.index.to_timestamp(), "revenue": train})
    check = goals.smart_check(hist, target=float(train.iloc[-12:].sum()),
                              fiscal_year=future.index[0].year,
                              start_month=future.index[0].month, forecast=fc)
    actual = float(future.sum())
    return {"bias": check.hit.mean / actual - 1, "slowdown": check.assumes_slowdown,
            "bias_pace": check.mean_at_pace / actual - 1}


def _by_horizon(df: pd.DataFrame) -> pd.DataFrame:
    t = df.pivot_table(index="level", columns="h", values="hit", aggfunc="mean")
    t.columns = [f"h{h}" for h in t.columns]
    return t


#: targets of the P(hit) backtest: last full year's total x (1 + growth), a plan as a leader sets it
PLAN_GROWTH = (-0.10, -0.05, 0.0, 0.05, 0.10, 0.15, 0.20, 0.30)
BINS = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0001]


def _planning(y: pd.Series) -> tuple[int, pd.DataFrame]:
    """Months of history before the held-out year, and that history as the revenue frame
    :func:`salesnb.goals.prob_hit` reads."""
    n = len(y) - H
    return n, pd.DataFrame({"period": y.index[:n].to_timestamp(), "revenue": y.iloc[:n]})


def hit_backtest(fits) -> tuple[pd.DataFrame, pd.DataFrame]:
    """P(hit) at planning time against what happened, one outcome year per simulated series.

    At the planning origin (the history, the fiscal year = the next 12 months) each
    series gets targets at its last full year's total x (1 + g), g in :data:`PLAN_GROWTH`;
    :func:`salesnb.goals.prob_hit` states P(hit) from the delivered forecast. Returns one row per
    (series, target): ``series``, ``g``, ``stated``, ``hit``; and one row per series: ``series``,
    ``bias`` (forecast / actual total - 1), ``pit`` (the stated probability of a total below the
    actual one: uniform on [0, 1] when the year's distribution is right, whatever the target) and
    ``slowdown`` (the SMART check says the forecast assumes a slowdown).
    """
    rows, per = [], []
    for name, y, _res, _fc, fc in fits:
        n, hist = _planning(y)
        actual = float(y.iloc[n:n + H].sum())
        last = float(y.iloc[n - 12:n].sum())
        fy, start = y.index[n].year, y.index[n].month
        hp = None
        for g in PLAN_GROWTH:
            hp = goals.prob_hit(hist, target=last * (1 + g), fiscal_year=fy, start_month=start,
                                forecast=fc)
            rows.append({"series": name, "g": g, "stated": hp.p, "hit": actual >= hp.target})
        pit = hp.cdf(actual) if hp.sd > 0 else np.nan
        check = goals.smart_check(hist, target=last, fiscal_year=fy, start_month=start,
                                  forecast=fc)
        per.append({"series": name, "bias": hp.mean / actual - 1, "pit": pit,
                    "slowdown": check.assumes_slowdown,
                    "bias_pace": check.mean_at_pace / actual - 1})
    return pd.DataFrame(rows), pd.DataFrame(per)


TRUE_P = (0.9, 0.5, 0.1)


def against_truth(fits, *, seed: int = 2026) -> pd.DataFrame:
    """Stated P(hit) for targets whose true probability is known (issue 13's own check).

    On each log-trend series the next twelve months' total has a known distribution given the
    history (:func:`tests.simulate.logtrend_future_totals`); targets at its 10th, 50th and 90th
    percentiles are reached with probability 0.9, 0.5 and 0.1. A forecaster that knew the process
    would state those; one that must learn it from five years states a wider distribution, but
    an unbiased one is as often above as below. Returns ``true``, ``stated`` per series and target.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for name, y, _res, _fc, fc in fits:
        if name != "log-trend + AR(1)":
            continue
        n, hist = _planning(y)
        totals = logtrend_future_totals(y.iloc[:n], H, rng=rng)
        for p in TRUE_P:
            kw = dict(target=float(np.quantile(totals, 1 - p)), fiscal_year=y.index[n].year,
                      start_month=y.index[n].month, forecast=fc)
            hp = goals.prob_hit(hist, **kw)
            check = goals.smart_check(hist, **kw)
            rows.append({"true": p, "stated": hp.p, "mean_bias": hp.mean / totals.mean() - 1,
                         "slowdown": check.assumes_slowdown, "at_pace": check.p_hit_at_pace})
    return pd.DataFrame(rows)


def fading_growth(k: int, seed: int = 2026, *, history: int = 60) -> pd.DataFrame:
    """The pace scenario where it is wrong: ``k`` businesses whose growth fades
    (:func:`tests.simulate.sim_fading_growth`), one planning year each. Returns ``bias`` (the
    forecast's year total / actual - 1), ``slowdown`` and ``bias_pace`` (the pace scenario's)."""
    rng = np.random.default_rng(seed + 1)
    rows = []
    for _ in range(k):
        y = sim_fading_growth(rng, history + H)
        fc = AutoForecaster(choose_by="total").fit(y.iloc[:history]).predict(H)
        rows.append(_pace_row(y.iloc[:history], y.iloc[history:], fc))
    return pd.DataFrame(rows)


def _pace_lines(per: pd.DataFrame, label: str) -> str:
    sl = per["slowdown"].astype(bool)
    if not sl.any():
        return f"  {label}: the note is shown on none of {len(per)} years"
    return (f"  {label}: shown on {int(sl.sum())} of {len(per)} years; year total on those "
            f"years: forecast {per.loc[sl, 'bias'].mean():+.1%} (mean |error| "
            f"{per.loc[sl, 'bias'].abs().mean():.1%}), at the pace "
            f"{per.loc[sl, 'bias_pace'].mean():+.1%} ({per.loc[sl, 'bias_pace'].abs().mean():.1%})")


def reliability_table(hits: pd.DataFrame) -> pd.DataFrame:
    """Stated P(hit) binned, against the realised share of targets reached."""
    rel = hits.assign(bin=pd.cut(hits["stated"], BINS, right=False))
    rel = rel.groupby("bin", observed=True).agg(n=("hit", "size"), stated=("stated", "mean"),
                                                realised=("hit", "mean")).reset_index()
    rel["bin"] = rel["bin"].astype(str)
    return rel


def pit_summary(per: pd.DataFrame) -> pd.DataFrame:
    """Coverage of the central 50/80/90 % ranges of the stated year-total distribution."""
    rows = []
    for name, g in [("all", per)] + list(per.groupby("series", sort=False)):
        u = g["pit"].dropna().to_numpy()
        row = {"series": name, "n": len(u), "mean_bias": float(g["bias"].mean())}
        for lv in (50, 80, 90):
            a = (1 - lv / 100) / 2
            row[f"cov{lv}"] = float(np.mean((u >= a) & (u <= 1 - a)))
        row["below_p10"], row["above_p90"] = float(np.mean(u < 0.1)), float(np.mean(u > 0.9))
        rows.append(row)
    return pd.DataFrame(rows)


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


def report(quick: bool = False, *, series: int | None = None, real_origins: int | None = None,
           seed: int = 2026, history: int = 60, echo=None) -> str:
    """All figures as text; ``echo`` (a stream) also receives them as they are computed.
    ``series``: simulated series per process (default 30; 6 with ``quick``); ``real_origins``:
    origins per real series (default 3; with ``quick`` 2, on elec_equip and the demo total only);
    ``seed`` and ``history`` (months before the planning origin) of the simulated series."""
    buf = _Tee(echo)
    with redirect_stdout(buf):
        k = series or (6 if quick else 30)
        sim, fits = coverage_simulated(k, seed, history=history)
        pd.set_option("display.width", 200)
        print(f"## Forecast interval coverage by horizon, simulated ({k} series per process, "
              f"seed {seed}, {history} months of history, next 12 held out: the forecast starts "
              f"in {fits[0][1].index[history].strftime('%B')})")
        for name, g in sim.groupby("series", sort=False):
            print(f"\n{name}\n{_by_horizon(g).round(2).to_string()}")
        print(f"\nall simulated\n{_by_horizon(sim).round(2).to_string()}")
        real_all = real_series() + demo_series()
        n_real = real_origins or (2 if quick else 3)
        real, real_pace = coverage_real(real_all[:1] + real_all[3:4] if quick else real_all,
                             n_origins=n_real)
        print("\n## Coverage by horizon, real series (statsmodels elec_equip, co2, elnino; demo "
              "total and regions; origins one year apart)")
        print(_by_horizon(real).round(2).to_string())
        hits, per = hit_backtest(fits)
        print("\n## Bias of the next-12-month total (forecast / actual - 1), simulated; the "
              "SMART check's 'assumes a slowdown' note: how often, and the bias with and without it")
        for name, g in per.groupby("series", sort=False):
            sl = g["slowdown"].astype(bool)
            print(f"  {name}: {g['bias'].mean():+.1%}; note on {int(sl.sum())} of {len(g)} years "
                  f"(bias {g.loc[sl, 'bias'].mean():+.1%} with it, {int((g.loc[sl, 'pit'] > 0.5).sum())}"
                  f" of them above the stated median; {g.loc[~sl, 'bias'].mean():+.1%} without)")
        print(f"\n## P(hit) at planning time: {len(per)} simulated years (one planning origin per "
              f"series, {history} months of history), targets = last year's total x (1 + g), "
              f"g = {', '.join(f'{g:+.0%}' for g in PLAN_GROWTH)}")
        print("\nreliability: stated P(hit) against the share of targets reached")
        print(reliability_table(hits).to_string(index=False, float_format=lambda v: f"{v:.2f}"))
        brier = float(np.mean((hits["stated"] - hits["hit"]) ** 2))
        print(f"  {len(hits)} targets; mean stated {hits['stated'].mean():.3f}, realised "
              f"{hits['hit'].mean():.3f}, Brier {brier:.4f}")
        print("\nby process (mean stated / realised):")
        for name, g in hits.groupby("series", sort=False):
            print(f"  {name}: {g['stated'].mean():.3f} / {g['hit'].mean():.3f}")
        print("\nthe year's total against its stated distribution (PIT: coverage of its central "
              "ranges; 0.50/0.80/0.90 and 0.10/0.10 when right)")
        print(pit_summary(per).to_string(index=False, float_format=lambda v: f"{v:.2f}"))
        truth = against_truth(fits, seed=seed)
        if len(truth):
            print("\nstated P(hit) for targets of known probability (log-trend series: the true "
                  "10th/50th/90th percentiles of the next 12 months' total given the history)")
            print(truth.groupby("true", sort=False)["stated"].agg(["mean", "median", "count"])
                  .round(3).to_string())
            print(f"  mean of the stated year total against the true conditional mean: "
                  f"{truth['mean_bias'].mean():+.1%}")
            sl = truth[truth["slowdown"].astype(bool)]
            if len(sl):
                print(f"  on the {len(sl) // len(TRUE_P)} log-trend years with the 'assumes a "
                      "slowdown' note: stated by the forecast / by the pace scenario")
                print(sl.groupby("true", sort=False)[["stated", "at_pace"]].mean().round(3)
                      .to_string())
        print("\n## The SMART check's pace scenario ('if the business keeps that pace, P(hit) "
              "is ...'): where it is shown, is its year total better than the forecast's?")
        for name, g in per.groupby("series", sort=False):
            print(_pace_lines(g, name))
        print(_pace_lines(fading_growth(k, seed, history=history),
                          "growth fading +30 % -> 0 (pace over-projects)"))
        for name, g in real_pace.groupby("series", sort=False):
            print(_pace_lines(g, f"real: {name}"))
        db = demo_bias()
        print("\n## Demo company total: bias of the next-12-month total at two planning origins")
        print(db.to_string(index=False, float_format=lambda v: f"{v:+.3f}"))
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--series", type=int, help="simulated series per process (default 30)")
    ap.add_argument("--real-origins", type=int, help="origins per real series (default 3)")
    ap.add_argument("--seed", type=int, default=2026, help="seed of the simulated series")
    ap.add_argument("--history", type=int, default=60,
                    help="months of simulated history (60: forecasts start in January, 66: July)")
    a = ap.parse_args()
    report(quick=a.quick, series=a.series, real_origins=a.real_origins, seed=a.seed,
           history=a.history, echo=sys.stdout)


if __name__ == "__main__":
    main()
