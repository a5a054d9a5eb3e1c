"""Coverage of the HHI's 90 % interval (risk.concentration: basic, bias-corrected bootstrap) and of
the percentile interval it replaced, on customers with known expected revenue (lognormal weights,
Poisson orders of lognormal amounts), 400 seeded runs per case (docs/alerts.md, "The HHI's interval").

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python benchmarks/calibration_hhi.py
"""

import numpy as np
import pandas as pd

from salesnb import risk
from salesnb.risk.concentration import _parametric_draws

RUNS = 400


def main() -> None:
    rng = np.random.default_rng(20261)
    for n, orders in [(67, 3.0), (67, 10.0), (500, 3.0), (500, 20.0)]:
        w = rng.lognormal(0.0, 1.0, n)
        lines = orders * w / w.mean()
        true = 1e4 * np.sum(lines ** 2) / lines.sum() ** 2  # iid amounts: shares follow the lines
        fixed = pct = 0
        for i in range(RUNS):
            k = rng.poisson(lines)
            idx = np.repeat(np.arange(n), k)
            x = rng.lognormal(0.0, 1.0, k.sum())
            df = pd.DataFrame({"customer_id": np.arange(n), "revenue": np.bincount(idx, x, n),
                               "revenue_sq": np.bincount(idx, x * x, n)})
            o = risk.concentration(df, entity="customer_id", period=None, n_boot=400, seed=i).iloc[0]
            fixed += o.hhi_low <= true <= o.hhi_high
            t, q = _parametric_draws(df.revenue.to_numpy(), np.sqrt(df.revenue_sq.to_numpy()), n_boot=400,
                                     rng=np.random.default_rng(i))
            lo, hi = np.quantile(1e4 * q / t ** 2, [0.05, 0.95])
            pct += lo <= true <= hi
        print(f"n={n} orders/customer={orders}: true HHI {true:.0f}; bias-corrected covers "
              f"{fixed / RUNS:.1%}, percentile {pct / RUNS:.1%} ({RUNS} runs)")


if __name__ == "__main__":
    main()
