"""What a warm kernel's start costs, with the kernel template (forked kernels) and without (issue 18).

    .venv/bin/python benchmarks/kernel_start.py            # 3 alternating rounds
    .venv/bin/python benchmarks/kernel_start.py --rounds 5

Each round, with the template and then without (``KernelPool(fork=...)``), in the notebooks' folder
with the pack's imports:
- two kernels: ``prewarm(2)`` and both acquired, as a run with ``--jobs 2`` starts, while this
  process validates the demo data as the runner does (``validate(open_source("demo"))``);
- a replacement: one kernel discarded (as after a failed notebook) and the next ``acquire`` timed.
Prints each round and the medians. Wall seconds on a small shared machine: compare within one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = str(ROOT)  # the kernels import this checkout's salesnb

from salesnb.context import BLAS_THREADS_ENV  # noqa: E402
from salesnb.report import kernels, runner  # noqa: E402


def _validate() -> float:
    from salesnb.data.sources import open_source
    from salesnb.data.validate import validate

    t = time.perf_counter()
    validate(open_source("demo"))
    return time.perf_counter() - t


def one(fork: bool) -> tuple[float, float, float]:
    """(seconds until two kernels are ready, seconds the validation beside them took, seconds
    until a replacement kernel is ready)."""
    t0 = time.perf_counter()
    with kernels.KernelPool(2, cwd=ROOT / "notebooks", extra_arguments=runner.KERNEL_ARGS,
                            fork=fork) as pool:
        pool.prewarm(2)
        took: list[float] = []
        v = threading.Thread(target=lambda: took.append(_validate()))
        v.start()
        a, b = pool.acquire(), pool.acquire()
        ready = time.perf_counter() - t0
        v.join()
        pool.release(a, healthy=False)  # as after a failed notebook: replaced
        t = time.perf_counter()
        c = pool.acquire()
        replaced = time.perf_counter() - t
        pool.release(b, healthy=True)
        pool.release(c, healthy=True)
    return ready, took[0], replaced


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    for var in BLAS_THREADS_ENV:  # as the runner sets them for its kernels
        os.environ.setdefault(var, "1")
    _validate()  # the demo generated and this process's imports done before anything is timed
    rows: dict[bool, list[tuple[float, float, float]]] = {True: [], False: []}
    print(f"kernel start, {a.rounds} rounds, load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    for i in range(a.rounds):
        for fork in (True, False):
            r = one(fork)
            rows[fork].append(r)
            print(f"  round {i + 1} {'template' if fork else 'own processes'}: two kernels ready "
                  f"{r[0]:.2f} s (validation beside them {r[1]:.2f} s), a replacement {r[2]:.2f} s",
                  flush=True)
    for fork in (True, False):
        med = [statistics.median(c) for c in zip(*rows[fork], strict=True)]
        print(f"median, {'template' if fork else 'own processes'}: two kernels ready {med[0]:.2f} s, "
              f"validation {med[1]:.2f} s, a replacement {med[2]:.2f} s")


if __name__ == "__main__":
    main()
