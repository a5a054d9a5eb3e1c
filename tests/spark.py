"""A throw-away Spark Connect server on loopback for the tests and the Spark benchmark.

pyspark's pip package ships the Connect server jar but not ``sbin/start-connect-server.sh``, so the
server is started the way that script does it: ``spark-submit --class
org.apache.spark.sql.connect.service.SparkConnectServer`` on a free port, in a temporary folder
(warehouse, Derby, logs), in its own process group; :meth:`SparkConnect.stop` ends that group.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


#: a JVM for short runs on small data: the C1 compiler only and a serial collector spend far less
#: CPU compiling and collecting than the defaults, which pay off only on long-running servers
QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
#: Spark settings for a test-sized catalog (tens of thousands of rows): one task per stage where
#: possible, no whole-stage code generation (compiling Java per query costs more than it saves)
SMALL_DATA_CONF = {"spark.sql.shuffle.partitions": "2", "spark.sql.codegen.wholeStage": "false"}


class SparkConnect:
    """A Spark Connect server: ``SparkConnect().start()``, then ``.url`` (``sc://127.0.0.1:PORT``).

    Parameters
    ----------
    master : str
        ``local[N]`` (one JVM) or a standalone master ``spark://127.0.0.1:PORT``.
    conf : dict, optional
        Extra Spark settings (``--conf key=value``).
    memory : str
        The driver's memory (``--driver-memory``).
    java_options : str
        Extra options of the driver's JVM (e.g. :data:`QUICK_JVM`).
    """

    def __init__(self, *, master: str = "local[2]", conf: dict | None = None,
                 memory: str = "1g", java_options: str = "") -> None:
        if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
            raise RuntimeError("Java is not installed (apt-get install default-jre-headless)")
        self.master, self.memory, self.java_options = master, memory, java_options
        self.dir = Path(tempfile.mkdtemp(prefix="salesnb-spark-"))
        self.port = free_port()
        self.conf = {
            "spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(self.port),
            "spark.sql.warehouse.dir": str(self.dir / "warehouse"),
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": "4",
            "spark.ui.enabled": "false",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            **(conf or {}),
        }
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"sc://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 180) -> SparkConnect:
        home = spark_home()
        cmd = [str(home / "bin" / "spark-submit"), "--class",
               "org.apache.spark.sql.connect.service.SparkConnectServer", "--master", self.master,
               "--driver-memory", self.memory, "--name", "salesnb-test-connect",
               "--driver-java-options", f"-Dderby.system.home={self.dir} {self.java_options}".strip()]
        for k, v in self.conf.items():
            cmd += ["--conf", f"{k}={v}"]
        cmd.append("spark-internal")
        env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1",
               "SPARK_LOG_DIR": str(self.dir), "SPARK_PID_DIR": str(self.dir)}
        env.pop("SPARK_REMOTE", None)
        self.log = open(self.dir / "server.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     cwd=self.dir, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Spark Connect server exited ({self.proc.returncode}): "
                                   f"{self.tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Spark Connect server did not start in {timeout:.0f} s: {self.tail()}")

    def tail(self, n: int = 2000) -> str:
        try:
            return (self.dir / "server.log").read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
