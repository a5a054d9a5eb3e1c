"""The kernel template (salesnb.report.forkserver): warm kernels are forks of one process that imported
the stack, indistinguishable from kernels started on their own, and none outlives its runner."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from salesnb.report import forkserver, kernels
from salesnb.report.runner import KERNEL_ARGS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork without exec: Linux")

ROOT = Path(__file__).resolve().parents[1]

# what a kernel's start decides: any difference is a way a forked kernel could behave otherwise
STATE = """
import json, os, signal, sys, matplotlib
json.dump({"signals": {s.name: getattr(signal.getsignal(s), "__qualname__", str(signal.getsignal(s)))
                       for s in signal.valid_signals() if isinstance(s, signal.Signals)},"path": sys.path, "cwd": os.getcwd(), "argv0": sys.argv[0], "modules": sorted(sys.modules),
           "main": sys.modules["__main__"].__name__, "backend": matplotlib.get_backend(),
           "env": {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
           "rc": {k: str(v) for k, v in matplotlib.rcParams.items()},
           "pgid_is_pid": os.getpgid(0) == os.getpid(), "parent_env": os.environ.get("JPY_PARENT_PID"),
           "ppid": os.getppid()}, open(OUT, "w"))
"""


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_gone(*pids: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(_gone(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def _state(k: kernels.WarmKernel, path: Path) -> dict:
    k.run(f"OUT = {str(path)!r}\n" + STATE)
    return json.loads(path.read_text())


def test_pool_kernels_are_forks_of_one_template_and_start_as_a_kernel_of_their_own(tmp_path):
    """Both kernels of a pool are children of one template; each leads its own process group and
    ends with the template (JPY_PARENT_PID); its working folder, sys.path, environment (with what
    the stack's imports set, e.g. joblib's KMP_INIT_AT_FORK), modules, matplotlib backend,
    rcParams and signal dispositions (SIGPIPE ignored, as Python starts) are those of a kernel
    started as its own process."""
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with kernels.KernelPool(2, cwd=tmp_path, extra_arguments=KERNEL_ARGS, fork=True) as p:
        p.prewarm(2)
        a, b = p.acquire(), p.acquire()
        template = p.template.pid
        forked = _state(a, tmp_path / "a.json")
        assert {psutil.Process(a.pid).ppid(), psutil.Process(b.pid).ppid()} == {template}
        assert forked["ppid"] == template and forked["parent_env"] == str(template)
        assert forked["pgid_is_pid"]
        p.release(a, healthy=True)
        p.release(b, healthy=True)
        pids = [a.pid, b.pid]
    assert _wait_gone(template, *pids)
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before
    with kernels.KernelPool(1, cwd=tmp_path, extra_arguments=KERNEL_ARGS, fork=False) as p:
        own = p.acquire()
        alone = _state(own, tmp_path / "own.json")
        assert psutil.Process(own.pid).ppid() == os.getpid() and p.template is None
        p.release(own, healthy=True)
    for key in ("path", "cwd", "argv0", "modules", "main", "backend", "env", "rc", "pgid_is_pid", "signals"):
        assert forked[key] == alone[key], key
    assert alone["cwd"] == str(tmp_path)


RUNNER = """
import sys, time
from pathlib import Path
from salesnb.report import kernels
p = kernels.KernelPool(1, cwd=Path(sys.argv[1]), extra_arguments=["--log-level=CRITICAL"], fork=True)
k = p.acquire()
print(p.template.pid, k.pid, flush=True)
time.sleep(120)
"""


def test_the_template_and_its_kernels_end_with_a_killed_runner(tmp_path):
    """A runner killed with SIGKILL cannot close its pool: its template reads end of file on the
    socket and kills its kernels, so nothing is left running."""
    proc = subprocess.Popen([sys.executable, "-c", RUNNER, str(tmp_path)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        template, kernel = map(int, proc.stdout.readline().split())
        assert not _gone(template) and not _gone(kernel)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert _wait_gone(template, kernel)
    finally:
        proc.kill()
        proc.wait()


def test_a_kernel_starts_as_its_own_process_when_the_template_is_gone(tmp_path):
    """A template that died (here: killed) takes its kernels with it (ipykernel's parent poller);
    the pool replaces them with kernels started on their own, and the run goes on."""
    with kernels.KernelPool(1, cwd=tmp_path, extra_arguments=KERNEL_ARGS, fork=True) as p:
        k = p.acquire()
        template = p.template.pid
        os.kill(template, signal.SIGKILL)
        assert _wait_gone(template, k.pid)
        p.release(k, healthy=True)
        k2 = p.acquire()
        assert psutil.Process(k2.pid).ppid() == os.getpid()
        k2.run("x = 1")
        p.release(k2, healthy=True)
        assert p.started == 2


def test_only_ipykernel_commands_are_forked_and_a_closed_template_starts_nothing(tmp_path):
    t = forkserver.ForkServer(cwd=tmp_path, imports=kernels.BASE_IMPORTS)
    try:
        with pytest.raises(forkserver.ForkServerError, match="could not start"):
            t.spawn([sys.executable, "-c", "pass"], env=dict(os.environ), cwd=str(tmp_path), timeout=60)
        assert t.alive()
    finally:
        t.close()
    assert not t.alive() and _wait_gone(t.pid)
    with pytest.raises(forkserver.ForkServerError, match="ended"):
        t.spawn([sys.executable, "-m", "ipykernel_launcher"], env={}, cwd=str(tmp_path), timeout=5)


def test_the_template_is_used_on_linux_unless_turned_off(monkeypatch):
    monkeypatch.delenv(forkserver.ENV, raising=False)
    assert forkserver.available()
    monkeypatch.setenv(forkserver.ENV, "0")
    assert not forkserver.available()
    assert not kernels.KernelPool(1, cwd=ROOT).fork
