"""P(miss) backtest on the demo company, with and without look-ahead (issue 13, point 4).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/calibration_pmiss.py            # 24 month-ends
    PYTHONPATH=$PWD .venv/bin/python benchmarks/calibration_pmiss.py --months 6

For each month-end of the demo whose quarter has ended in the data, P(miss the quarter's target)
is computed two ways and compared with what happened:

- *with look-ahead* (salesnb before this fix): the deals open on the as-of date, "due this
  quarter" by their FINAL close date (known only later), each won with its stage's eventual win rate,
  past-due deals included;
- *without, close dates as expected then* (:class:`salesnb.risk.PipelineCheck` on
  :func:`salesnb.data.risk_queries.risk_inputs`): the demo's ``close_date_history`` gives each
  open deal the close date expected on the as-of date (reps expect deals sooner than they close);
  the deals due by the quarter's end count;
- *without, final close dates only* (the same check on the demo without ``close_date_history``, as
  most CRM exports are): every deal open then counts, each with P(won within the quarter | stage,
  age) learned from deals open at earlier dates whose outcome was known.

It prints one row per month-end, then the mean stated P(miss), the realised miss rate, the Brier
score of each way and the share of look-ahead "due" deals that had in fact closed by the quarter's
end. ``benchmarks/calibration.py`` calls :func:`report`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from salesnb import risk  # noqa: E402
from salesnb.data import extract, open_source  # noqa: E402
from salesnb.data import risk_queries as rq  # noqa: E402
from salesnb.data.demo import ensure_demo  # noqa: E402


def _inputs(ds, as_of: pd.Timestamp) -> risk.RiskInputs:
    """Only the pipeline frames (the rest of risk_inputs is not needed here)."""
    end = as_of + pd.Timedelta(days=1)
    quarter, q_end, _ = risk.quarter_window(as_of)
    deals = rq.open_deals(ds, at=as_of)
    return risk.RiskInputs(
        as_of=as_of, open_deals=deals,
        close_dates_known=bool(deals.attrs.get("close_dates_known", True)),
        deal_snapshots=rq.deal_snapshots(ds, as_of=as_of, horizon_days=max((q_end - as_of).days, 1)),
        stage_outcomes=rq.stage_outcomes(ds, end=end),
        targets=rq.team_targets(ds, quarters=[quarter, quarter + 1]),
        booked=rq.team_revenue(ds, start=quarter.start_time, end=end).rename(
            columns={"revenue": "booked"}),
        monthly=rq.monthly_revenue_and_won(ds, start=(end.to_period("M") - 36).to_timestamp(),
                                           end=end))


def without_close_date_history(folder: Path, dest: Path) -> Path:
    """``folder``'s tables linked into ``dest``, all but ``close_date_history``."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in Path(folder).iterdir():
        if f.is_file() and f.stem != "close_date_history" and not (dest / f.name).exists():
            (dest / f.name).symlink_to(f.resolve())
    return dest


def backtest(ds, month_ends: list[pd.Timestamp], *, n_sims: int = 4000,
             ds_final=None) -> pd.DataFrame:
    """One row per month-end: P(miss) with and without look-ahead, and whether the quarter missed.

    ``ds_final``: the same data without ``close_date_history`` (column ``p_miss_final``)."""
    rows = []
    for as_of in month_ends:
        inputs = _inputs(ds, as_of)
        quarter, q_end, remaining = risk.quarter_window(as_of)
        check = risk.PipelineCheck(n_sims=n_sims)
        res = check(inputs)
        now = res.tables["miss"]
        if not now:
            continue
        final = (risk.PipelineCheck(n_sims=n_sims)(_inputs(ds_final, as_of)).tables["miss"]
                 if ds_final is not None else {})
        # the look-ahead way: final close dates, eventual stage win rates
        snap = extract.pipeline_snapshot(ds, at=as_of)
        snap["stage"] = snap["stage_at"]
        due = snap[snap["close_date"] <= q_end]
        wr = res.tables["win_rates"]
        then = risk.miss_probability(due, target=now["target"], booked=now["booked"], win_rates=wr,
                                     run_rate=now["expected_run_rate"],
                                     run_rate_sd=_run_rate_sd(inputs, remaining),
                                     remaining_months=1.0, n_sims=n_sims)
        actual = float(rq.team_revenue(ds, start=quarter.start_time,
                                       end=q_end + pd.Timedelta(days=1))["revenue"].sum())
        closed_by_end = float(((due["status"] != "open") & (due["close_date"] <= q_end)).mean()) \
            if len(due) else float("nan")
        rows.append({"as_of": as_of.date(), "quarter": str(quarter), "target": now["target"],
                     "actual": actual, "missed": actual < now["target"],
                     "p_miss_lookahead": then["p_miss"], "p_miss": now["p_miss"],
                     "p_miss_final": final.get("p_miss", float("nan")),
                     "known_then": bool(inputs.close_dates_known),
                     "due_deals_lookahead": len(due), "due_closed_by_quarter_end": closed_by_end,
                     "open_deals": now["deals"]})
    return pd.DataFrame(rows)


def _run_rate_sd(inputs: risk.RiskInputs, remaining: int) -> float:
    mon = inputs.frame("monthly")
    y = (mon["revenue"] - mon["won_amount"]).clip(lower=0)
    return risk.seasonal_run_rate(y, horizon=remaining)[1]


def report(*, months: int = 24, n_sims: int = 4000) -> pd.DataFrame:
    """Print the backtest on the demo (the last ``months`` month-ends whose quarter is complete)."""
    folder = ensure_demo()
    ds = open_source(str(folder))
    ds_final = None
    if (Path(folder) / "close_date_history.parquet").exists():
        tmp = Path(tempfile.mkdtemp(prefix="pmiss-final-"))
        ds_final = open_source(str(without_close_date_history(folder, tmp / "demo")))
    last_q_end = (ds.as_of + pd.Timedelta(days=1)).to_period("Q").start_time - pd.Timedelta(days=1)
    ends = pd.period_range(end=last_q_end.to_period("M"), periods=months + 1, freq="M")
    # the month-end before a quarter's last day looks at that quarter; a quarter's last day at the next
    month_ends = [p.end_time.normalize() for p in ends if p.end_time.normalize() < last_q_end]
    bt = backtest(ds, month_ends, n_sims=n_sims, ds_final=ds_final)
    print("P(miss) backtest on the demo: stated P(miss the quarter's target) against what happened")
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(bt.assign(target=bt.target.round(-3), actual=bt.actual.round(-3)).to_string(
            index=False, float_format=lambda x: f"{x:.3f}"))
    miss = bt["missed"].astype(float)
    for col, label in (("p_miss_lookahead", "with look-ahead (final close dates, stage rates)"),
                       ("p_miss", "without look-ahead, close dates as expected then"
                        if bt["known_then"].all() else "without look-ahead"),
                       ("p_miss_final", "without look-ahead, final close dates only "
                        "(P(won within the quarter | stage, age))")):
        if bt[col].isna().all():
            continue
        brier = float(np.mean((bt[col] - miss) ** 2))
        print(f"  {label}: mean stated P(miss) {bt[col].mean():.3f}, realised miss rate "
              f"{miss.mean():.3f}, Brier {brier:.4f}")
    print(f"  look-ahead 'due' deals closed by the quarter's end: "
          f"{bt['due_closed_by_quarter_end'].mean():.1%} on average "
          f"({len(bt)} month-ends, {bt.quarter.nunique()} quarters)")
    return bt


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--sims", type=int, default=4000)
    a = ap.parse_args()
    report(months=a.months, n_sims=a.sims)
