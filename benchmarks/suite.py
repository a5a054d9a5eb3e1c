"""Benchmark of the backbone: the monthly run against its floor, and extraction at 10M order lines.

    .venv/bin/python benchmarks/suite.py            # scale 1 and scale 10 (10M lines; generates once)
    .venv/bin/python benchmarks/suite.py --quick    # scale 1 only

Prints:
- the seconds of `salesnb run` at scale 1, the seconds of its floor (papermill plus HTML export of as
  many empty notebooks, with the same number of jobs), and their ratio (target ≤ 1.5);
- at each scale: the seconds of the standard extracts (revenue by month × region × category, the
  per-customer summary, the pipeline snapshot, funnel counts) and the peak memory (RSS) of the process
  that ran them (target: seconds, under 2 GB at 10M lines).

The machine is small (2 cores) and shared: quote ratios measured in one run, not absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

EXTRACT = r"""
import json, resource, sys, time
from salesnb.data.demo import ensure_demo
from salesnb.data.sources import open_folder
from salesnb.data import extract
path = ensure_demo(scale=float(sys.argv[1]))
ds = open_folder(path)
t0 = time.perf_counter()
timings = {}
for name, fn in [
    ("revenue_month_region_category", lambda: extract.revenue(ds, freq="M", by=("region", "category"))),
    ("customer_summary", lambda: extract.customer_summary(ds)),
    ("pipeline_snapshot", lambda: extract.pipeline_snapshot(ds, at=ds.as_of)),
    ("funnel_counts", lambda: extract.funnel_counts(ds, by=("rep_id",))),
    ("fingerprint", lambda: ds.fingerprint()),
]:
    t = time.perf_counter(); out = fn(); timings[name] = round(time.perf_counter() - t, 2)
rows = int(ds.table("orders").count().execute())
print(json.dumps({"rows": rows, "seconds": round(time.perf_counter() - t0, 2), "parts": timings,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def extraction(scale: float) -> dict:
    t = time.perf_counter()
    subprocess.run([PY, "-m", "salesnb.cli", "demo", "--scale", str(scale)], check=True,
                   capture_output=True)
    gen = time.perf_counter() - t
    out = subprocess.run([PY, "-c", EXTRACT, str(scale)], check=True, capture_output=True, text=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["generate_or_check_seconds"] = round(gen, 1)
    return res


FLOOR = r"""
import sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import papermill as pm
from nbconvert import HTMLExporter
d, n, jobs = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def one(i):
    src, out = d / f"{i:02d}_empty.ipynb", d / f"out_{i:02d}.ipynb"
    pm.execute_notebook(str(src), str(out), parameters={"month": "2026-10"}, kernel_name="python3",
                        cwd=str(d), progress_bar=False)
    body, _ = HTMLExporter(exclude_input=True).from_filename(str(out))
    out.with_suffix(".html").write_text(body)
with ThreadPoolExecutor(max_workers=jobs) as pool:
    list(pool.map(one, range(n)))
"""


def floor(n: int, jobs: int) -> float:
    """papermill + HTML export of ``n`` empty notebooks with ``jobs`` workers, in a fresh process
    (as a scheduler calling papermill would: interpreter start and imports included)."""
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("# Empty"),
                    nbformat.v4.new_code_cell('month: str = ""  # month',
                                              metadata={"tags": ["parameters"]})]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        for i in range(n):
            nbformat.write(nb, d / f"{i:02d}_empty.ipynb")
        t = time.perf_counter()
        subprocess.run([PY, "-c", FLOOR, str(d), str(n), str(jobs)], check=True,
                       capture_output=True)
        return time.perf_counter() - t


def pack(jobs: int, only: tuple[str, ...] = ()) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        extra = [a for o in only for a in ("--only", o)]
        r = subprocess.run([PY, "-m", "salesnb.cli", "run", "--month", "2026-10", "--jobs", str(jobs),
                            "--out", d, *extra], capture_output=True, text=True)
        secs = time.perf_counter() - t
        if r.returncode != 0:
            print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr)
        n = len(list(Path(d).glob("2026-10*/*.ipynb")))
        return secs, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="scale 1 only")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    print(f"salesnb benchmark — python {sys.version.split()[0]}, jobs {a.jobs}")
    e1 = extraction(1.0)
    print(f"extraction, scale 1 ({e1['rows']:,} lines): {e1['seconds']:.1f} s, "
          f"peak RSS {e1['peak_rss_mb']} MB  {e1['parts']}")
    for label, only in (("data overview only", ("00_data_overview",)), ("whole pack", ())):
        secs, n = pack(a.jobs, only)
        fl = floor(n, a.jobs)
        print(f"salesnb run, scale 1, {label}: {secs:.1f} s for {n} notebooks; floor {fl:.1f} s; "
              f"ratio {secs / fl:.2f} (target <= 1.5)")
    if not a.quick:
        e10 = extraction(10.0)
        print(f"extraction, scale 10 ({e10['rows']:,} lines): {e10['seconds']:.1f} s, "
              f"peak RSS {e10['peak_rss_mb']} MB (target < 2048)  {e10['parts']}  "
              f"(demo generated/checked in {e10['generate_or_check_seconds']} s)")


if __name__ == "__main__":
    main()
