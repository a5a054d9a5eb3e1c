"""statsmodels fits with one BLAS thread against OpenBLAS's default pool (why ``sn.setup`` and the
runner leave one thread; not part of CI).

Runs this file's ``--one`` part in a fresh process per thread count (OpenBLAS reads the variable
when it loads), optionally beside ``--busy N`` processes spinning on the CPU, as a second kernel
or another job would:

    .venv/bin/python benchmarks/blas_threads.py            # idle
    .venv/bin/python benchmarks/blas_threads.py --busy 1   # beside one busy process

Prints, per model, the fit's seconds and one log-likelihood evaluation's wall and CPU milliseconds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

MODELS = {"ARIMA(0,1,1)+c": dict(order=(0, 1, 1), trend="c"),
          "airline (0,1,1)(0,1,1)12": dict(order=(0, 1, 1), seasonal_order=(0, 1, 1, 12)),
          "(1,0,0)(0,1,1)12+c": dict(order=(1, 0, 0), seasonal_order=(0, 1, 1, 12), trend="c")}


def one() -> None:
    import warnings

    import numpy as np
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    warnings.simplefilter("ignore")
    y = np.cumsum(np.random.default_rng(1).normal(size=48)) + 50
    for name, kw in MODELS.items():
        mod = SARIMAX(y, **kw)
        t = time.perf_counter()
        res = mod.fit(disp=False)
        fit = time.perf_counter() - t
        t, c = time.perf_counter(), time.process_time()
        for _ in range(200):
            mod.loglike(res.params)
        wall, cpu = (time.perf_counter() - t) / 200, (time.process_time() - c) / 200
        print(f"  {name:<26} fit {fit:6.3f} s  loglike {wall * 1e3:5.2f} ms (CPU {cpu * 1e3:5.2f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--busy", type=int, default=0, help="processes spinning beside the fits")
    ap.add_argument("--threads", nargs="+", default=["1", "2"])
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        one()
        return
    spin = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(a.busy)]
    try:
        for n in a.threads:
            print(f"OPENBLAS_NUM_THREADS={n}, {a.busy} busy process(es) beside:", flush=True)
            env = {**os.environ, "OPENBLAS_NUM_THREADS": n, "OMP_NUM_THREADS": n}
            subprocess.run([sys.executable, __file__, "--one"], env=env, check=True)
    finally:
        for p in spin:
            p.kill()


if __name__ == "__main__":
    main()
