"""Spark (standalone cluster on loopback) against DuckDB: extraction time and pack time by data size.

Not part of CI. Starts a Spark standalone master, ``--workers`` workers and a Spark Connect server on
loopback (free ports, a temporary folder, all stopped at the end), loads the demo company at each
``--scales`` (1 = ~1M order lines, 10 = ~10M) into the Spark catalog with ``salesnb load``, then times

- extraction: every engine query the notebooks call (the 36 functions of tests/test_spark.py), once on
  DuckDB (the Parquet files) and once on Spark;
- pack: ``salesnb run`` of notebooks 00, 02 and 05 on each engine.

and estimates the crossover size from a straight line ``time = fixed + per_line * lines`` per engine
through the measured sizes (honest only as far as the sizes measured reach; it says so when Spark is
not faster at any size on this machine).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/spark_bench.py --scales 1 10 --workers 2

Needs Java 17+ and ``pip install -e ".[spark]"``. The server reads the demo's Parquet files itself
(same filesystem on loopback; ``--through-client`` sends them through ``salesnb load`` instead, which
takes minutes at 10M lines); loading is not counted.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.spark import SparkConnect, free_port, spark_home  # noqa: E402

ONLY = ["00_data_overview", "02_performance_review", "05_risk_monitoring"]


class Cluster:
    """A standalone master and workers on loopback, each in its own process group."""

    def __init__(self, workers: int, cores: int, memory: str) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="salesnb-spark-cluster-"))
        self.port = free_port()
        self.workers, self.cores, self.memory = workers, cores, memory
        self.procs: list[subprocess.Popen] = []

    @property
    def master(self) -> str:
        return f"spark://127.0.0.1:{self.port}"

    def _spawn(self, *args: str, log: str) -> None:
        home = spark_home()
        env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1",
               "SPARK_LOG_DIR": str(self.dir), "SPARK_WORKER_DIR": str(self.dir / "work")}
        out = open(self.dir / log, "wb")  # noqa: SIM115 - lives as long as the process
        self.procs.append(subprocess.Popen([str(home / "bin" / "spark-class"), *args], stdout=out,
                                           stderr=subprocess.STDOUT, env=env, cwd=self.dir,
                                           start_new_session=True))

    def start(self) -> Cluster:
        self._spawn("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                    str(self.port), "--webui-port", str(free_port()), log="master.log")
        time.sleep(5)
        for i in range(self.workers):
            self._spawn("org.apache.spark.deploy.worker.Worker", self.master, "--host", "127.0.0.1",
                        "--cores", str(self.cores), "--memory", self.memory, "--webui-port",
                        str(free_port()), log=f"worker{i}.log")
        time.sleep(5)
        return self

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                    p.wait(timeout=30)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass


def load_direct(folder: Path, url: str) -> int:
    """Let the Spark server read the demo's Parquet files itself (same filesystem on loopback).

    The demo's files already have the contract's types, so this gives the tables ``salesnb load``
    would write, without sending them through this process (minutes at 10M lines).
    """
    from salesnb.data.sources import parse_spark_url, spark_session

    target = parse_spark_url(url)
    session = spark_session(target.remote)
    session.sql(f"CREATE DATABASE IF NOT EXISTS `{target.database}`")
    n = 0
    for file in sorted(Path(folder).glob("*.parquet")):
        df = session.read.parquet(f"file://{file.resolve()}")
        df.write.mode("overwrite").format("parquet").saveAsTable(f"`{target.database}`.`{file.stem}`")
        if file.stem == "orders":
            n = df.count()
    return n


def time_queries(ds) -> float:
    from tests.test_spark import _queries

    t0 = time.perf_counter()
    for query in _queries(ds.as_of).values():
        query(ds)
    return time.perf_counter() - t0


def time_pack(source: str, out: Path, month: str) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "salesnb.cli", "run", "--month", month, "--jobs", "1",
                        "--out", str(out), "-p", f"source={source}", *sum((["--only", n] for n in ONLY), [])],
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if r.returncode != 0:
        raise SystemExit(f"pack on {source} failed ({r.returncode}): {r.stdout[-1500:]}{r.stderr[-1500:]}")
    return time.perf_counter() - t0


def crossover(lines: list[int], duck: list[float], spark: list[float]) -> str:
    if len(lines) < 2:
        return "one size only: no crossover estimate"
    (n1, n2), (d1, d2), (s1, s2) = lines[:2], duck[:2], spark[:2]
    bd, bs = (d2 - d1) / (n2 - n1), (s2 - s1) / (n2 - n1)
    ad, as_ = d1 - bd * n1, s1 - bs * n1
    if bs >= bd:
        return (f"Spark's time per line ({bs * 1e6:.2f} s per M lines) is not below DuckDB's "
                f"({bd * 1e6:.2f}): no crossover on this machine")
    n = (as_ - ad) / (bd - bs)
    return f"straight lines cross at about {n / 1e6:,.0f}M lines (extrapolated beyond {n2 / 1e6:.0f}M)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", type=float, nargs="+", default=[1.0, 10.0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cores", type=int, default=1, help="cores per worker")
    ap.add_argument("--memory", default="2g", help="memory per worker")
    ap.add_argument("--driver-memory", default="2g", help="memory of the Connect server (driver)")
    ap.add_argument("--month", default="2026-10")
    ap.add_argument("--through-client", action="store_true",
                    help="load with `salesnb load` (Arrow batches through this process) instead of "
                         "letting the server read the demo's Parquet files")
    a = ap.parse_args()

    from salesnb.data.demo import ensure_demo
    from salesnb.data.load import load
    from salesnb.data.sources import open_source

    cluster = Cluster(a.workers, a.cores, a.memory).start()
    server = None
    rows = []
    try:
        server = SparkConnect(master=cluster.master, memory=a.driver_memory,
                              conf={"spark.sql.shuffle.partitions": str(2 * a.workers * a.cores),
                                    "spark.executor.memory": a.memory}).start()
        print(f"cluster {cluster.master}, {a.workers} worker(s) x {a.cores} core(s); "
              f"Connect {server.url}", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            for scale in a.scales:
                folder = ensure_demo(scale=scale)
                db = f"s{str(scale).replace('.', '_')}"
                url = f"{server.url}/;database={db}"
                t0 = time.perf_counter()
                n = load(str(folder), url)["orders"] if a.through_client else load_direct(folder, url)
                print(f"scale {scale}: {n:,} lines loaded into Spark in "
                      f"{time.perf_counter() - t0:.0f} s (not counted)", flush=True)
                q_d = time_queries(open_source(str(folder)))
                print(f"  extraction: DuckDB {q_d:.1f} s", flush=True)
                q_s = time_queries(open_source(url))
                print(f"  extraction: Spark {q_s:.1f} s", flush=True)
                p_d = time_pack(str(folder), Path(tmp) / f"d{scale}", a.month)
                print(f"  pack: DuckDB {p_d:.1f} s", flush=True)
                p_s = time_pack(url, Path(tmp) / f"s{scale}", a.month)
                rows.append((n, q_d, q_s, p_d, p_s))
                print(f"  pack: Spark {p_s:.1f} s", flush=True)
    finally:
        if server is not None:
            server.stop()
        cluster.stop()
    print("\n| order lines | extraction DuckDB | extraction Spark | pack DuckDB | pack Spark |")
    print("|---:|---:|---:|---:|---:|")
    for n, q_d, q_s, p_d, p_s in rows:
        print(f"| {n:,} | {q_d:.1f} s | {q_s:.1f} s | {p_d:.1f} s | {p_s:.1f} s |")
    lines = [r[0] for r in rows]
    print("extraction:", crossover(lines, [r[1] for r in rows], [r[2] for r in rows]))
    print("pack:", crossover(lines, [r[3] for r in rows], [r[4] for r in rows]))


if __name__ == "__main__":
    main()
