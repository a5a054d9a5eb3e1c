"""False alarms of the churn-wave rule (risk.churn_severity) on segments with equal true overdue
rates (13 %), by segment size, 1,000 seeded runs, against the rules it replaced (docs/alerts.md, "A
churn wave is one rule").

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python benchmarks/calibration_churn.py
"""

import numpy as np
import pandas as pd

from salesnb.risk.customers import churn_severity, segment_churn

RUNS = 1000
SIZES = {"2": 2, "3": 3, "5": 5, "8": 8, "40": 40, "200": 200, "500": 500}


def main() -> None:
    rng = np.random.default_rng(20261)
    seg = np.repeat(list(SIZES), list(SIZES.values()))
    now, old_red, old_alert = (dict.fromkeys(SIZES, 0) for _ in range(3))
    for _ in range(RUNS):
        g = segment_churn(pd.DataFrame({"segment": seg, "overdue": rng.random(len(seg)) < 0.13,
                                        "revenue_12m": 1.0, "revenue_at_risk": 0.0}))
        sev = churn_severity(g, amber=0.05, red=0.15)
        for s, v, e, z in zip(g["segment"], sev, g["excess"], g["z"], strict=True):
            now[s] += v != ""
            old_red[s] += e >= 0.15  # the register's colour before: the excess alone
            old_alert[s] += (e >= 0.05) and (z >= 3)  # the alert before: excess and z >= 3
    print("segment size | flagged now | register red before | alert before  (share of runs)")
    for s in SIZES:
        print(f"{s:>4} | {now[s] / RUNS:.3f} | {old_red[s] / RUNS:.3f} | {old_alert[s] / RUNS:.3f}")


if __name__ == "__main__":
    main()
