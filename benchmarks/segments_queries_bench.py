"""Benchmark: the engine queries of notebook 04 (customer segmentation), one by one, at one size.

    nice -n 15 env PYTHONPATH=$PWD .venv/bin/python benchmarks/segments_queries_bench.py data/demo-s10
    ... benchmarks/segments_queries_bench.py data/demo --singles   # also the four one-date summaries

Calls what the notebook calls, in its order and with its windows (month 2026-10 by default), on the
source given, and prints wall and CPU seconds per query (CPU: this process's user + system time, which
includes DuckDB's threads; on a shared machine it is the steadier figure), then the total and the
peak RSS. With ``--singles`` it also times :func:`salesnb.data.extract.customer_summary` at each of the
four dates, the calls :func:`~salesnb.data.segments_queries.customer_summaries` replaces, and checks
that the results are equal.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's salesnb

from salesnb.data import extract, open_source  # noqa: E402
from salesnb.data import segments_queries as sq  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> dict[str, tuple[float, float]]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="a folder of table files (e.g. data/demo-s10) or a URL")
    ap.add_argument("--month", default="2026-10")
    ap.add_argument("--singles", action="store_true",
                    help="also time extract.customer_summary at each date and compare")
    args = ap.parse_args(argv)
    timings: dict[str, tuple[float, float]] = {}

    def timed(name, fn):
        t, c = time.perf_counter(), _cpu()
        out = fn()
        timings[name] = (time.perf_counter() - t, _cpu() - c)
        print(f"{name:24s} wall {timings[name][0]:7.2f} s   cpu {timings[name][1]:7.2f} s", flush=True)
        return out

    ds = timed("open", lambda: open_source(args.source))
    start = pd.Period(args.month, "M").start_time
    end = start + pd.DateOffset(months=1)
    month_end, prev_month_end = end - pd.Timedelta(days=1), start - pd.Timedelta(days=1)
    year_ago, two_years_ago = end - pd.DateOffset(years=1), end - pd.DateOffset(years=2)
    cal_end = month_end - pd.Timedelta(weeks=26)
    dates = [month_end, prev_month_end, cal_end, year_ago - pd.Timedelta(days=1)]
    summaries = timed("customer_summaries x4", lambda: sq.customer_summaries(ds, as_of=dates))
    timed("customer_revenue x2", lambda: (sq.customer_revenue(ds, start=year_ago, end=end),
                                          sq.customer_revenue(ds, start=two_years_ago, end=year_ago)))
    timed("customers", lambda: ds.table("customers").execute())
    timed("category_mix", lambda: sq.category_mix(ds, end=end))
    timed("purchase_days", lambda: sq.purchase_days(ds, start=cal_end + pd.Timedelta(days=1), end=end))
    timed("cohort_activity", lambda: sq.cohort_activity(ds, end=end))
    timed("cooccurrence", lambda: sq.cooccurrence(ds, level="category", basket="customer_id",
                                                  start=year_ago, end=end))
    timed("customer_items", lambda: sq.customer_items(ds, level="category", end=end))
    timed("feedback", lambda: sq.feedback(ds, end=end))
    wall = sum(w for w, _ in timings.values())
    cpu = sum(c for _, c in timings.values())
    print(f"{'total':24s} wall {wall:7.2f} s   cpu {cpu:7.2f} s   peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB, "
          f"{len(summaries[0]):,} customers")
    if args.singles:
        for a, s in zip(dates, summaries, strict=True):
            one = timed(f"customer_summary {a:%Y-%m-%d}",
                        lambda a=a: extract.customer_summary(ds, as_of=a))
            pd.testing.assert_frame_equal(one, s, check_exact=True)
        print("customer_summaries equals customer_summary at every date")
    return timings


if __name__ == "__main__":
    main()
