"""Faults: kill -9, a killed kernel, concurrent runs of one month, read-only output (slow group).

SIGINT and SIGTERM are in tests/test_runner.py (test_a_signal_stops_the_run_promptly_*), partial
reruns in test_partial_run_merges_*.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from salesnb.report.runner import EXIT_BUSY, EXIT_FAILED, EXIT_OK, EXIT_PARAMS, run
from tests.test_runner import ROOT, _md5s, _params, _tiny_nbdir

pytestmark = pytest.mark.slow


def _runner(nbdir: Path, params: Path, out: Path, **kw) -> subprocess.Popen:
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r});"
            "from salesnb.report.runner import run;"
            f"r = run('auto', notebooks_dir={str(nbdir)!r}, params_dir={str(params)!r},"
            f" out={str(out)!r}, progress=lambda m: print(m, flush=True), **{kw!r});"
            "sys.exit(r.exit_code)")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _kernels(p: subprocess.Popen) -> list[psutil.Process]:
    out = []
    for k in psutil.Process(p.pid).children(recursive=True):
        try:
            if k.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(k.cmdline()):
                out.append(k)
        except psutil.Error:
            pass
    return out


def _wait_for_kernels(p: subprocess.Popen, out: Path, name: str, n: int = 1, timeout: float = 300,
                      exclude: tuple[int, ...] = ()) -> list[psutil.Process]:
    """The run's kernels once notebook ``name`` executes (its .ipynb is in the build folder under
    ``out``): kernels start early, while the runner still validates the data."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert p.poll() is None, p.communicate()[0]
        kids = [k for k in _kernels(p) if k.pid not in exclude]
        if len(kids) >= n and list(Path(out).glob(f".build-*/{name}.ipynb")):
            time.sleep(3)  # inside the notebook's cells
            return kids
        time.sleep(0.5)
    raise AssertionError(f"no kernel started, or {name} did not start")


@pytest.fixture
def published(tmp_path, small_folder):
    params = _params(tmp_path, small_folder)
    res = run("auto", notebooks_dir=_tiny_nbdir(tmp_path / "a", names=("00_alpha", "01_beta")),
              params_dir=params, out=tmp_path / "reports", progress=lambda m: None)
    assert res.exit_code == EXIT_OK
    return res, params


def test_kill_9_leaves_the_report_and_the_next_run_cleans_up(tmp_path, published):
    res, params = published
    good = _md5s(res.path)
    slow = _tiny_nbdir(tmp_path / "b", names=("00_alpha",), body="time.sleep(600)\n")
    p = _runner(slow, params, tmp_path / "reports")
    kernels = _wait_for_kernels(p, tmp_path / "reports", "00_alpha")
    p.send_signal(signal.SIGKILL)
    p.wait()
    for k in kernels:  # an orphaned kernel of the killed run (its own session): stop it
        try:
            k.kill()
        except psutil.Error:
            pass
    assert _md5s(res.path) == good
    assert list((tmp_path / "reports").glob(f".build-{res.month}-*"))  # left behind by kill -9
    lines = []
    res2 = run("auto", notebooks_dir=_tiny_nbdir(tmp_path / "c", names=("01_beta",)),
               params_dir=params, out=tmp_path / "reports", progress=lines.append)
    assert res2.exit_code == EXIT_OK, lines
    assert any("left by an earlier run" in line for line in lines)
    assert sorted(p.name for p in (tmp_path / "reports").iterdir() if p.name != "latest") == [res.month]
    after = _md5s(res.path)
    assert {k: after[k] for k in good if k.startswith("00_alpha")} == \
        {k: v for k, v in good.items() if k.startswith("00_alpha")}


def test_a_killed_kernel_fails_its_report_only_and_the_good_report_survives(tmp_path, published):
    res, params = published
    good = _md5s(res.path)
    nbdir = _tiny_nbdir(tmp_path / "b", names=("00_alpha", "01_beta"), body="time.sleep(600)\n")
    p = _runner(nbdir, params, tmp_path / "reports", jobs=1)
    # which of the two starts first follows their seconds in the published month (start_order):
    # a coin flip for two tiny notebooks, so wait for either, then for the other
    kernel = _wait_for_kernels(p, tmp_path / "reports", "0*")[0]
    first = next((tmp_path / "reports").glob(".build-*/0*.ipynb")).stem
    second = "01_beta" if first == "00_alpha" else "00_alpha"
    kernel.kill()  # the first notebook's kernel dies; the second then runs (and is killed too)
    _wait_for_kernels(p, tmp_path / "reports", second, exclude=(kernel.pid,))[0].kill()
    out, _ = p.communicate(timeout=300)
    assert p.returncode == EXIT_FAILED, out
    assert "FAILED" in out and ("Kernel died" in out or "DeadKernelError" in out)
    assert _md5s(res.path) == good  # the failed run went to <month>-failed
    assert (tmp_path / "reports" / f"{res.month}-failed" / "00_alpha.html").exists()


def test_concurrent_runs_of_one_month_do_not_publish_over_each_other(tmp_path, published):
    import threading

    res, params = published
    flag = tmp_path / "go"
    held = _tiny_nbdir(tmp_path / "b", names=("00_alpha",),
                       body=f"while not pathlib.Path({str(flag)!r}).exists(): time.sleep(0.2)\n")
    p = _runner(held, params, tmp_path / "reports")
    _wait_for_kernels(p, tmp_path / "reports", "00_alpha")
    lines = []
    busy = run("auto", notebooks_dir=_tiny_nbdir(tmp_path / "c", names=("01_beta",)),
               params_dir=params, out=tmp_path / "reports", progress=lines.append)
    assert busy.exit_code == EXIT_BUSY, lines
    assert f"another run of {res.month} is in progress (pid {p.pid})" in busy.message
    assert not list((tmp_path / "reports").glob(".build-*/01_beta*"))

    # with --wait the second run waits for the first, then merges: both runs' notebooks are kept
    def release_when_waiting(msg: str) -> None:
        lines.append(msg)
        if msg.startswith("data:") and "month" in msg:  # next: the lock
            threading.Timer(3, flag.touch).start()

    waited = run("auto", notebooks_dir=_tiny_nbdir(tmp_path / "c", names=("01_beta",)),
                 params_dir=params, out=tmp_path / "reports", wait=600,
                 progress=release_when_waiting)
    out, _ = p.communicate(timeout=300)
    assert p.returncode == EXIT_OK, out
    assert waited.exit_code == EXIT_OK, lines
    names = set(os.listdir(res.path))
    assert {"00_alpha.html", "01_beta.html", "00_alpha.note.txt", "01_beta.note.txt"} <= names


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only modes")
def test_read_only_reports_folder_is_a_clear_parameter_error(tmp_path, published):
    res, params = published
    good = _md5s(res.path)
    out = tmp_path / "reports"
    out.chmod(0o555)
    try:
        lines = []
        res2 = run("auto", notebooks_dir=_tiny_nbdir(tmp_path / "b", names=("00_alpha",)),
                   params_dir=params, out=out, progress=lines.append)
    finally:
        out.chmod(0o755)
    assert res2.exit_code == EXIT_PARAMS and "cannot write" in res2.message, lines
    assert _md5s(res.path) == good


def test_a_read_only_month_folder_is_replaced_and_nothing_is_left_over(tmp_path, published):
    res, params = published
    for p in [res.path, *res.path.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    lines = []
    res2 = run("auto", notebooks_dir=_tiny_nbdir(tmp_path / "b", names=("00_alpha",)),
               params_dir=params, out=tmp_path / "reports", progress=lines.append)
    assert res2.exit_code == EXIT_OK, lines
    assert sorted(p.name for p in (tmp_path / "reports").iterdir() if p.name != "latest") == [res.month]  # no .old-*
    assert (res.path / "01_beta.html").exists()  # merged
