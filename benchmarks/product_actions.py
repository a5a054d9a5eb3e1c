"""How many products and categories 02 pushes or reviews, with and without the chance range of a change
in share (``performance.share_change_z``).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/product_actions.py                       # the demo
    PYTHONPATH=$PWD .venv/bin/python benchmarks/product_actions.py SRC:2005-05 [SRC:MONTH ...]

For each source (``demo`` or an imported folder, with the report month after the colon) it runs 02's
query (``product_aggregates``, the 3-month window against the same months a year earlier) and prints
the actions of ``product_table`` without the order lines' sums of squares (the sign of the change in
share decides, as before) and with them.
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
            before = pf.product_table(agg.drop(columns=["amount_sq", "amount_sq_prev"]), key=by)["action"]
            after = pf.product_table(agg, key=by)["action"]
            acted = [int(a.isin(["push", "review"]).sum()) for a in (before, after)]
            print(f"{src} {month} {by}: {len(agg)} rows; push + review {acted[0]} -> {acted[1]}; "
                  f"after: { {k: int(v) for k, v in after.value_counts().items()} }")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
