"""Every calibration figure of the package in one run.

    .venv/bin/python benchmarks/calibration.py            # all calibration_*.py reports
    .venv/bin/python benchmarks/calibration.py --quick    # smaller simulations

Finds every ``benchmarks/calibration_*.py`` module and prints what its ``report()`` returns (a
``quick`` keyword is passed when the function accepts it). A module that fails is reported by
name and the others still run.
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


def run(path: Path, *, quick: bool) -> str:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fn = getattr(mod, "report", None)
    if fn is None:
        return f"({path.name} has no report() function)"
    kwargs = {"quick": quick} if "quick" in inspect.signature(fn).parameters else {}
    out = fn(**kwargs)
    return "" if out is None else str(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller simulations")
    args = ap.parse_args()
    failed = 0
    for path in modules():
        print(f"# {path.name}\n", flush=True)
        t0 = time.perf_counter()
        try:
            print(run(path, quick=args.quick))
        except Exception:  # noqa: BLE001 - one failing report must not hide the others
            failed += 1
            print(f"FAILED: {path.name}\n{traceback.format_exc()}")
        print(f"({path.name}: {time.perf_counter() - t0:.0f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
