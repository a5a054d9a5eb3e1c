"""Benchmark of the backbone: what the monthly pack costs per rep, in overhead and with the data.

    .venv/bin/python benchmarks/suite.py                 # the figures of issue 18 at scale 1
    .venv/bin/python benchmarks/suite.py --scale 0.05    # the same on a small company (minutes)
    .venv/bin/python benchmarks/suite.py --big           # also the pack at 10M against 1M lines (slow)
    .venv/bin/python benchmarks/suite.py --floor         # also papermill + HTML of empty notebooks
    .venv/bin/python benchmarks/suite.py --fresh         # also the pack with a fresh kernel per page
    .venv/bin/python benchmarks/suite.py --pairs 3 --big # each ratio from three paired runs, and the median

Prints, each with its figures (reps, order lines, seconds, peak RSS of the largest process):
- per-rep cost: the pack with a scorecard for every rep against the pack without (60 reps; target
  <= 1.3) and the 500-rep company's pack with scorecards against the 60-rep one's, the same number
  of order lines (``salesnb demo --reps 500``; target <= 2), and the marginal seconds per scorecard;
- overhead: 1 - (the notebooks' own cell time, from papermill's metadata) / (wall time x jobs), i.e.
  kernel start, imports outside cells, validation, HTML export, idle jobs (target <= 20 %); the
  share of the ``sn.setup`` cells (data opening) is shown beside it;
- ``import salesnb`` + ``sn.setup()`` on the demo in a newly started kernel (target < 1.5 s);
- with ``--big``: the pack at 10M order lines against 1M (target <= 2.5, peak RSS < 2 GB), and the
  standard extracts at both sizes.

The machine is small (2 cores) and shared: quote ratios measured in one run, not absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
sys.path.insert(0, str(ROOT))  # this checkout's salesnb, here and in every process it starts
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

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
                   capture_output=True, env=ENV)
    gen = time.perf_counter() - t
    out = subprocess.run([PY, "-c", EXTRACT, str(scale)], check=True, capture_output=True, text=True,
                         env=ENV)
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
                       capture_output=True, env=ENV)
        return time.perf_counter() - t


PACK = r"""
import json, os, resource, sys, threading, time
from pathlib import Path
import nbformat
import psutil
from salesnb.report.runner import run
args = json.loads(sys.argv[1])
# each kernel's own peak (VmHWM of its process, polled): getrusage(RUSAGE_CHILDREN) is no measure
# of it, since Linux counts the parent's peak at the moment it spawned the child
peaks, done = {}, threading.Event()
def _poll():
    me = psutil.Process()
    while not done.wait(0.25):
        for c in me.children(recursive=True):
            try:
                with open(f"/proc/{c.pid}/status") as fh:
                    hwm = next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:"))
                peaks[c.pid] = max(peaks.get(c.pid, 0), hwm)
            except (OSError, StopIteration, ValueError):
                pass
threading.Thread(target=_poll, daemon=True).start()
t = time.perf_counter()
res = run(args["month"], out=args["out"], jobs=args["jobs"], overrides=args["overrides"],
          scorecards=args["scorecards"], only=args["only"], fresh_kernels=args["fresh"],
          progress=lambda m: print(m, file=sys.stderr, flush=True))
wall = time.perf_counter() - t
cells = setup = 0.0
pages = 0
for nb_path in sorted(Path(res.path).rglob("*.ipynb")) if res.path else []:
    pages += 1
    for c in nbformat.read(nb_path, as_version=4).cells:
        d = (c.get("metadata", {}).get("papermill") or {}).get("duration") or 0.0
        cells += d
        if c.cell_type == "code" and "sn.setup(" in c.source:
            setup += d
done.set()
mb = lambda ru: round(resource.getrusage(ru).ru_maxrss / 1024)
print(json.dumps({"exit": res.exit_code, "wall": wall, "pages": pages, "cells": cells, "setup": setup,
                  "rss_runner_mb": mb(resource.RUSAGE_SELF),
                  "rss_kernel_mb": round(max(peaks.values(), default=0) / 1024)}))
"""


def demo(scale: float, reps: int | None = None) -> tuple[Path, int, int]:
    """The demo company of ``scale`` (and ``reps``), generated when missing: (folder, reps, lines)."""
    import pyarrow.parquet as pq

    extra = ["--reps", str(reps)] if reps else []
    subprocess.run([PY, "-m", "salesnb.cli", "demo", "--scale", str(scale), *extra], check=True,
                   capture_output=True, env=ENV)
    from salesnb.data.demo import default_demo_dir

    d = default_demo_dir(scale, reps)
    return (d, pq.read_metadata(d / "reps.parquet").num_rows,
            pq.read_metadata(d / "orders.parquet").num_rows)


def pack(jobs: int, source: Path, *, scorecards: bool = False, only: tuple[str, ...] = (),
         fresh: bool = False, month: str = "2026-10") -> dict:
    """One ``salesnb run`` in a fresh process into a temporary folder: wall seconds, the notebooks'
    cell seconds (papermill's metadata), peak RSS of the runner and of the largest kernel."""
    with tempfile.TemporaryDirectory() as d:
        args = {"month": month, "out": d, "jobs": jobs, "overrides": [f"source={source}"],
                "scorecards": scorecards, "only": list(only), "fresh": fresh}
        r = subprocess.run([PY, "-c", PACK, json.dumps(args)], capture_output=True, text=True,
                           env=ENV)
        if r.returncode != 0 or not r.stdout.strip():
            print(r.stdout[-3000:], r.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"salesnb run failed on {source}")
        out = json.loads(r.stdout.strip().splitlines()[-1])
        if out["exit"] not in (0, 4):
            print(r.stderr[-3000:], file=sys.stderr)
        return out


INTERACTIVE = r"""
import json, sys
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="python3", extra_arguments=["--log-level=CRITICAL"])
try:
    code = ("import time as _t; _t0 = _t.perf_counter(); import salesnb as sn; "
            f"ctx = sn.setup(source={sys.argv[1]!r}, month='2026-10'); "
            "print(round(_t.perf_counter() - _t0, 3))")
    out = []
    kc.execute_interactive(code, timeout=600, output_hook=lambda m: out.append(m))
    text = "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")
    print(json.dumps({"seconds": float(text.strip().splitlines()[-1])}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
"""


def interactive(source: Path) -> float:
    """``import salesnb`` + ``sn.setup()`` in a newly started kernel (as a JupyterLab user does)."""
    r = subprocess.run([PY, "-c", INTERACTIVE, str(source)], capture_output=True, text=True,
                       env=ENV, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])["seconds"]


def _fmt(label: str, reps: int, lines: int, p: dict) -> str:
    return (f"  {label:<34} reps {reps:>4}  lines {lines:>10,}  {p['wall']:7.1f} s  "
            f"{p['pages']:>4} pages  RSS runner {p['rss_runner_mb']} MB, largest kernel "
            f"{p['rss_kernel_mb']} MB  (exit {p['exit']})")


def _overhead(label: str, p: dict, jobs: int) -> str:
    share = 1 - p["cells"] / (p["wall"] * jobs)
    return (f"  overhead, {label}: {share:.0%} of {p['wall']:.1f} s x {jobs} jobs outside the "
            f"notebooks' cells (cells {p['cells']:.1f} s, of which sn.setup {p['setup']:.1f} s = "
            f"{p['setup'] / (p['wall'] * jobs):.0%}; target overhead <= 20 %)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="size of the company (1: ~1M lines)")
    ap.add_argument("--reps", type=int, default=500, help="reps of the large company")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--big", action="store_true", help="also the pack at 10x the scale (slow)")
    ap.add_argument("--floor", action="store_true",
                    help="also papermill + HTML export of as many empty notebooks")
    ap.add_argument("--fresh", action="store_true",
                    help="also the pack with scorecards and a fresh kernel per page")
    ap.add_argument("--quick", action="store_true", help="(kept for old scripts) same as default")
    ap.add_argument("--pairs", type=int, default=1,
                    help="run the pack without and with scorecards (and with --big, at 1M and 10M "
                         "lines) this many times in pairs, and print each pair's ratio and the median "
                         "(this machine's speed drifts between minutes)")
    ap.add_argument("--per-notebook", action="store_true",
                    help="only: each numbered notebook alone in a fresh kernel at --scale (wall, cell "
                         "seconds, peak RSS), to find what grows with the data")
    a = ap.parse_args()
    j = a.jobs
    if a.per_notebook:
        src, n_reps, lines = demo(a.scale)
        print(f"scale {a.scale:g}: {lines:,} lines, {n_reps} reps, load {os.getloadavg()[0]:.1f}")
        for nb in sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            r = pack(1, src, only=(nb,), fresh=True)
            print(f"  {nb:<28} wall {r['wall']:6.1f} s  cells {r['cells']:6.1f} s  RSS runner "
                  f"{r['rss_runner_mb']} MB, kernel {r['rss_kernel_mb']} MB  (exit {r['exit']})")
        return
    print(f"salesnb benchmark — python {sys.version.split()[0]}, jobs {j}, scale {a.scale:g}, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    src, n_reps, lines = demo(a.scale)
    big_src, big_reps, big_lines = demo(a.scale, a.reps)
    print("per-rep cost (warm kernels):")
    ratios = []
    for i in range(max(1, a.pairs)):
        bare = pack(j, src)
        print(_fmt("pack without scorecards", n_reps, lines, bare))
        cards = pack(j, src, scorecards=True)
        print(_fmt("pack with scorecards", n_reps, lines, cards))
        ratios.append(cards["wall"] / bare["wall"])
        if a.pairs > 1:
            print(f"  pair {i + 1}: with / without {ratios[-1]:.2f}; load {os.getloadavg()[0]:.1f}")
            print(_overhead("pack without scorecards", bare, j))
            print(_overhead("pack with scorecards", cards, j))
    if a.pairs > 1:
        print(f"  median of {len(ratios)} pairs, with / without scorecards: "
              f"{statistics.median(ratios):.2f} (target <= 1.3)")
    many = pack(j, big_src, scorecards=True)
    print(_fmt("pack with scorecards", big_reps, big_lines, many))
    n_cards, n_many = cards["pages"] - bare["pages"], many["pages"] - bare["pages"]
    print(f"  with / without scorecards at {n_reps} reps: {cards['wall'] / bare['wall']:.2f} "
          f"(target <= 1.3); {(cards['wall'] - bare['wall']) / max(1, n_cards):.2f} s per scorecard "
          f"({n_cards} scorecards; target ~0.3 s)")
    print(f"  {big_reps} reps / {n_reps} reps, both with scorecards: {many['wall'] / cards['wall']:.2f} "
          f"(target <= 2); {(many['wall'] - bare['wall']) / max(1, n_many):.2f} s per scorecard "
          f"({n_many} scorecards)")
    print("overhead:")
    print(_overhead("pack without scorecards", bare, j))
    print(_overhead(f"pack with {n_cards} scorecards", cards, j))
    if a.fresh:
        fresh = pack(j, src, scorecards=True, fresh=True)
        print(_fmt("pack with scorecards, fresh kernels", n_reps, lines, fresh))
        print(f"  warm / fresh kernels: {cards['wall'] / fresh['wall']:.2f}")
        print(_overhead("fresh kernels, with scorecards", fresh, j))
    print(f"interactive: import salesnb + sn.setup() in a new kernel: {interactive(src):.2f} s "
          "(target < 1.5 s)")
    if a.floor:
        fl = floor(bare["pages"], j)
        print(f"floor: papermill + HTML export of {bare['pages']} empty notebooks: {fl:.1f} s; "
              f"pack without scorecards / floor {bare['wall'] / fl:.2f}")
    if a.big:
        big_scale = a.scale * 10
        e1, e10 = extraction(a.scale), extraction(big_scale)
        src10, reps10, lines10 = demo(big_scale)
        print("growth with data:")
        growth = []
        for i in range(max(1, a.pairs)):
            p1 = bare if i == 0 else pack(j, src)
            p10 = pack(j, src10)
            print(_fmt("pack without scorecards", n_reps, lines, p1))
            print(_fmt("pack without scorecards", reps10, lines10, p10))
            growth.append(p10["wall"] / p1["wall"])
            print(f"  {lines10:,} / {lines:,} lines: {growth[-1]:.2f} (target <= 2.5; "
                  f"peak RSS target < 2048 MB)")
        if a.pairs > 1:
            print(f"  median of {len(growth)} pairs: {statistics.median(growth):.2f}")
        for e in (e1, e10):
            print(f"  extraction ({e['rows']:,} lines): {e['seconds']:.1f} s, peak RSS "
                  f"{e['peak_rss_mb']} MB  {e['parts']}")


if __name__ == "__main__":
    main()
