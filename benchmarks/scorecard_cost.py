"""What one rep scorecard costs, split between the runner and its warm kernel (issue 18).

    .venv/bin/python benchmarks/scorecard_cost.py                # 14 scorecards on the demo, medians
    .venv/bin/python benchmarks/scorecard_cost.py --profile 30   # also cProfile inside the kernel
    .venv/bin/python benchmarks/scorecard_cost.py --charts-only  # the floor: the two charts alone
    .venv/bin/python benchmarks/scorecard_cost.py --charts-only --printer both  # against IPython's

Runs 02_performance_review once (it writes the per-rep tables), then scorecards one after another in
one warm kernel, and prints the medians per scorecard (the first two are left out as warm-up): wall
time of the execution, the runner's CPU for it (papermill, nbclient), the runner's CPU for
``_finish`` (redaction, results.json, HTML export) and the kernel's CPU (cells, charts, reset).
CPU seconds are less sensitive to a loaded machine than wall seconds.

``--charts-only`` measures, in this process and without any notebook, the CPU of drawing a scorecard's
two charts (``viz.line`` of 12 months for the rep and the team median, ``viz.bar`` of stage conversion)
and of turning each into the PNG the inline backend shows (``viz.png``, which salesnb's inline charts
use: the tight bounding box after one draw; ``--printer print_figure``: IPython's ``print_figure``
with the tight bounding box, two draws; ``both``: the two alternately): the least any scorecard that
shows them can cost, whatever runs it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = str(ROOT)  # the kernels import this checkout's salesnb

from salesnb.report import kernels, runner  # noqa: E402


def _cpu(pid: int) -> float:
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def charts_floor(n: int, *, printers: tuple[str, ...] = ("viz.png",)) -> None:
    """Median CPU seconds of drawing and printing a scorecard's two charts (see the docstring).

    With several ``printers`` (``"viz.png"``, ``"print_figure"``) each round draws the charts once per
    printer, in alternating order, so a machine whose load changes affects them alike.
    """
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd
    from IPython.core.pylabtools import print_figure

    from salesnb import viz

    viz.set_theme()
    rng = np.random.default_rng(1)
    months = [str(p) for p in pd.period_range("2025-11", periods=12, freq="M")]
    line = pd.DataFrame({"period": months * 2, "revenue": rng.uniform(1e5, 3e5, 24),
                         "who": ["R001"] * 12 + ["team median"] * 12})
    bars = pd.DataFrame({"stage": ["Qualify", "Propose", "Negotiate"] * 2,
                         "conversion": rng.uniform(0.3, 0.9, 6), "who": ["R001"] * 3 + ["company"] * 3})
    show = {"viz.png": viz.png, "print_figure": lambda fig: print_figure(fig, "png")}
    times: dict[str, list[tuple[float, float]]] = {p: [] for p in printers}
    for i in range(n + 2):
        for printer in printers[::-1] if i % 2 else printers:
            c0 = time.process_time()
            ax = viz.line(line, x="period", y="revenue", hue="who", money=True, xlabel="Month",
                          title="Net revenue by month, R001 against the team", ylabel="Net revenue")
            ax.tick_params(axis="x", labelrotation=45)
            ax2 = viz.bar(bars, x="stage", y="conversion", hue="who", percent=True, xlabel="Stage",
                          title="Stage-to-stage conversion against the company",
                          ylabel="Advanced ÷ (advanced + lost)")
            c1 = time.process_time()
            for fig in (ax.figure, ax2.figure):
                show[printer](fig)
            c2 = time.process_time()
            plt.close("all")
            if i >= 2:
                times[printer].append((c1 - c0, c2 - c1))
    for printer, rows in times.items():
        d, s = (statistics.median(c) for c in zip(*rows, strict=True))
        print(f"two scorecard charts, PNG by {printer}, {n} times (after 2 warm-up): draw {d:.3f} "
              f"CPU-s, PNG {s:.3f} CPU-s, together {d + s:.3f} CPU-s: at least {(d + s) / 2:.3f} s "
              "of wall time per scorecard on 2 cores")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=14)
    ap.add_argument("--month", default="2026-10")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="print the N most expensive calls inside the kernel (cumulative)")
    ap.add_argument("--match", default="", metavar="REGEX",
                    help="with --profile, only calls whose file or function matches REGEX")
    ap.add_argument("--charts-only", action="store_true",
                    help="only the floor: the CPU of a scorecard's two charts, drawn and printed here")
    ap.add_argument("--printer", choices=["viz.png", "print_figure", "both"], default="viz.png",
                    help="with --charts-only: salesnb's inline printer, IPython's print_figure (tight "
                         "bounding box), or both alternately")
    a = ap.parse_args()
    if a.charts_only:
        charts_floor(a.reps, printers=("viz.png", "print_figure") if a.printer == "both"
                     else (a.printer,))
        return
    nb_dir = ROOT / "notebooks"
    nb = nb_dir / f"{runner.SCORECARD}.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        res = runner.run(a.month, only=["02_performance_review"], jobs=1, out=Path(tmp),
                         progress=lambda m: None)
        assert res.exit_code == 0, res
        dest = Path(tmp) / a.month / "reps"
        dest.mkdir(exist_ok=True)
        pool = kernels.KernelPool(1, cwd=nb_dir, extra_arguments=runner.KERNEL_ARGS)
        prof = Path(tmp) / "kernel.prof.txt"
        if a.profile:
            k = pool.acquire()
            k.run("import cProfile, sys; sys._salesnb_prof = cProfile.Profile(); "
                  "sys._salesnb_prof.enable()")
            pool.release(k, healthy=True)
        rows = []
        for i in range(1, a.reps + 1):
            rep = f"R{i:03d}"
            params = {"source": "demo", "month": a.month, "output_dir": str(dest), "rep_id": rep}
            pids = pool.pids()
            k0 = sum(map(_cpu, pids)) if pids else None
            c0, w0 = time.process_time(), time.perf_counter()
            r = runner._execute(nb, dest / f"{rep}.ipynb", params, cwd=nb_dir, timeout=600,
                                pool=pool)
            c1, w1 = time.process_time(), time.perf_counter()
            runner._finish(r, dest, nb, a.month)
            c2 = time.process_time()
            assert r.status == "ok", r.error
            if i > 2 and k0 is not None:
                rows.append((w1 - w0, c1 - c0, c2 - c1, sum(map(_cpu, pool.pids())) - k0))
        if a.profile:
            k = pool.acquire()
            k.run("import sys, pstats; sys._salesnb_prof.disable(); pstats.Stats(sys._salesnb_prof, "
                  f"stream=open({str(prof)!r}, 'w')).sort_stats('cumulative').print_stats("
                  f"{a.match!r}, {a.profile})")
            pool.release(k, healthy=True)
        pool.close()
        med = [statistics.median(c) for c in zip(*rows, strict=True)]
        print(f"scorecards {len(rows)} (after 2 warm-up), load average {os.getloadavg()[0]:.1f}")
        print(f"  execution wall {med[0]:.3f} s; runner CPU: execution {med[1]:.3f} s, "
              f"finish (redact, results, HTML) {med[2]:.3f} s; kernel CPU {med[3]:.3f} s")
        print(f"  CPU per scorecard {med[1] + med[2] + med[3]:.3f} s: on 2 cores at least "
              f"{(med[1] + med[2] + med[3]) / 2:.3f} s of wall time per scorecard")
        if a.profile:
            print(prof.read_text())


if __name__ == "__main__":
    main()
