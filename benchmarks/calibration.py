"""Every calibration figure of the package in one run.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/calibration.py    # all calibration_*.py reports
    PYTHONPATH=$PWD .venv/bin/python benchmarks/calibration.py --series 10 --real-origins 1
    PYTHONPATH=$PWD .venv/bin/python benchmarks/calibration.py --quick           # smaller

Finds every ``benchmarks/calibration_*.py`` module and runs its ``report()``: a ``quick`` keyword is
passed when the function accepts it, an ``echo`` stream (to print as it goes) likewise; a returned
string is printed. A module that fails is reported by name and the others still run. Modules:
forecast intervals and P(hit) (``calibration_forecast``), P(miss) with and without look-ahead on the
demo (``calibration_pmiss``), rep win-rate intervals by team size (``calibration_reps``).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def modules() -> list[Path]:
    """The calibration report modules, in name order."""
    return sorted(HERE.glob("calibration_*.py"))


def run(path: Path, *, quick: bool, **options) -> str:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fn = getattr(mod, "report", None)
    if fn is None:
        return f"({path.name} has no report() function)"
    params = inspect.signature(fn).parameters
    kwargs = {"quick": quick} if "quick" in params else {}
    kwargs.update({k: v for k, v in options.items() if v is not None and k in params})
    if "echo" in params:  # prints as it goes
        fn(**kwargs, echo=sys.stdout)
        return ""
    out = fn(**kwargs)
    return out if isinstance(out, str) else ""  # reports returning frames printed them already


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller simulations")
    ap.add_argument("--series", type=int,
                    help="simulated series per process of the forecast report (default 30)")
    ap.add_argument("--real-origins", type=int,
                    help="origins per real series of the forecast report (default 3)")
    args = ap.parse_args()
    failed = 0
    for path in modules():
        print(f"# {path.name}\n", flush=True)
        t0 = time.perf_counter()
        try:
            print(run(path, quick=args.quick, series=args.series,
                      real_origins=args.real_origins))
        except Exception:  # noqa: BLE001 - one failing report must not hide the others
            failed += 1
            print(f"FAILED: {path.name}\n{traceback.format_exc()}")
        print(f"({path.name}: {time.perf_counter() - t0:.0f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
