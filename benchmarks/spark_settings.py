"""The Spark test server's settings for small data against Spark's defaults (not part of CI).

Starts a local Spark Connect server (tests/spark.py) with the given settings, loads the demo at scale
0.02 into it (``salesnb load``), runs the 36 engine query functions of tests/test_spark.py twice and
prints the seconds of each step and the server JVM's CPU seconds:

    PYTHONPATH=$PWD .venv/bin/python benchmarks/spark_settings.py base tuned

``base``: Spark's defaults (as tests/spark.py sets them); ``jvm``: ``QUICK_JVM``; ``conf``:
``SMALL_DATA_CONF``; ``tuned``: both (what the test uses). Each variant runs in a process of its
own (a Spark Connect client keeps its session for the process); needs Java 17+.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from tests.spark import QUICK_JVM, SMALL_DATA_CONF, SparkConnect  # noqa: E402

VARIANTS = {"base": {}, "jvm": {"java_options": QUICK_JVM}, "conf": {"conf": SMALL_DATA_CONF},
            "tuned": {"java_options": QUICK_JVM, "conf": SMALL_DATA_CONF}}


def measure(variant: str) -> str:
    from salesnb.data.load import load
    from salesnb.data.sources import open_source
    from tests.test_spark import _queries

    t0 = time.perf_counter()
    server = SparkConnect(**VARIANTS[variant]).start()
    try:
        t1 = time.perf_counter()
        load("demo:0.02", server.url)
        t2 = time.perf_counter()
        ds = open_source(server.url)
        laps = []
        for _ in range(2):
            t = time.perf_counter()
            for query in _queries(ds.as_of).values():
                query(ds)
            laps.append(time.perf_counter() - t)
        jvm = psutil.Process(server.proc.pid)
        cpu = sum(sum(p.cpu_times()[:2]) for p in [jvm, *jvm.children(recursive=True)])
        return (f"{variant}: start {t1 - t0:.1f} s, load {t2 - t1:.1f} s, queries {laps[0]:.1f} s, "
                f"again {laps[1]:.1f} s, JVM CPU {cpu:.0f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(measure(sys.argv[2]), flush=True)
    else:
        for v in sys.argv[1:] or ["base", "tuned"]:
            subprocess.run([sys.executable, __file__, "--one", v], check=True)
