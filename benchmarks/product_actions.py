"""How many products and categories 02 pushes or reviews, with and without the chance range of a change
in share (``performance.share_change_z``, over orders) and its correction for the number of products.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/product_actions.py                       # the demo
    PYTHONPATH=$PWD .venv/bin/python benchmarks/product_actions.py SRC:2005-05 [SRC:MONTH ...]

For each source (``demo`` or an imported folder, with the report month after the colon) it runs 02's
query (``product_aggregates``, the 3-month window against the same months a year earlier) and prints
the push + review count of ``product_table`` without the orders' sums of squares and order counts (the
sign of the change in share decides), with them testing each product at 5 % (``correction=None``) and
with them under 02's default Benjamini–Hochberg correction over the products tested, and how many of
the latter's reviews sold nothing in the window (tested on their order counts).
"""

from __future__ import annotations

import sys

import pandas as pd

from salesnb import performance as pf
from salesnb.data import performance_queries as q
from salesnb.data.sources import open_source


def main(argv: list[str]) -> int:
    for spec in argv or ["demo:2026-10"]:
        src, _, month = spec.rpartition(":")
        ds = open_source(src)
        end = (pd.Period(month, "M") + 1).to_timestamp()
        windows = pf.product_windows(end, months=3)
        for by in ("category", "product_id"):
            if not ds.has("orders", by):
                continue
            agg = q.product_aggregates(ds, by=by, **windows)
            bare = agg.drop(columns=[c for c in ("amount_sq", "amount_sq_prev", "orders", "orders_prev") if c in agg])
            runs = {"sign": pf.product_table(bare, key=by),
                    "each 5 %": pf.product_table(agg, key=by, correction=None),
                    "fdr_bh": pf.product_table(agg, key=by, correction="fdr_bh")}
            acted = " -> ".join(f"{k} {int(t['action'].isin(['push', 'review']).sum())}" for k, t in runs.items())
            t = runs["fdr_bh"]
            after = t["action"]
            stopped = int(((after == "review") & (t["revenue"] <= 0)).sum())
            print(f"{src} {month} {by}: {len(agg)} rows; push + review {acted}; "
                  f"fdr_bh: { {k: int(v) for k, v in after.value_counts().items()} }; "
                  f"reviews that sold nothing in the window: {stopped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
