"""Benchmark: fit BG/NBD and Gamma-Gamma on one million simulated customer summaries.

Run: ``.venv/bin/python benchmarks/clv_bench.py [n_customers]``. Prints seconds per step and the
recovered parameters next to the true ones (the CDNOW estimates of Fader, Hardie & Lee 2005).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from salesnb import clv

TRUE_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
TRUE_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def main(n: int = 1_000_000, seed: int = 0) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    sim = clv.simulate_bgnbd(n, TRUE_BGNBD, T=rng.uniform(1, 78, n), rng=rng)
    rep = sim[sim.frequency > 0]
    monetary = clv.simulate_gamma_gamma(rep.frequency, TRUE_GG, rng=rng)
    t1 = time.perf_counter()
    bg = clv.fit_bgnbd(sim.frequency, sim.recency, sim["T"])
    t2 = time.perf_counter()
    gg = clv.fit_gamma_gamma(rep.frequency, monetary)
    t3 = time.perf_counter()
    spend = gg.expected_spend(sim.frequency, _monetary(sim, rep, monetary))
    value = clv.customer_lifetime_value(
        bg, sim.frequency, sim.recency, sim["T"], spend=spend, horizon=12, period=52 / 12
    )
    t4 = time.perf_counter()
    timings = {
        "simulate_s": t1 - t0,
        "fit_bgnbd_s": t2 - t1,
        "fit_gamma_gamma_s": t3 - t2,
        "clv_12_months_s": t4 - t3,
    }
    print(f"customers: {n:,} (repeat buyers: {len(rep):,})")
    for k, v in timings.items():
        print(f"{k:>20}: {v:7.2f}")
    for name, fit, truth in (("BG/NBD", bg, TRUE_BGNBD), ("Gamma-Gamma", gg, TRUE_GG)):
        cells = ", ".join(
            f"{k}={fit.params[k]:.3f} (true {v}, se {fit.std_errors[k]:.3f})"
            for k, v in truth.items()
        )
        print(f"{name}: {cells}")
    print(f"mean 12-month CLV: {value.mean():.2f}")
    return timings


def _monetary(sim, rep, monetary) -> np.ndarray:
    m = np.zeros(len(sim))
    m[np.flatnonzero(sim.frequency.to_numpy() > 0)] = monetary
    return m


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
