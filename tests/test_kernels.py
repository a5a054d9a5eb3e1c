"""Warm kernels (salesnb.report.kernels): reuse must never leak one notebook into the next."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from salesnb.report import kernels, runner
from salesnb.report.runner import EXIT_DATA, EXIT_FAILED, EXIT_OK, KERNEL_ARGS, run

ROOT = Path(__file__).resolve().parents[1]
PARAMS = 'month: str = ""  # month\nsource: str = "demo"  # source\noutput_dir: str = ""  # out\nlang: str = "en"  # lang'

# everything a notebook can leave behind that a fresh kernel would not have
POLLUTE = """
import os, sys, warnings, logging, random
import numpy as np, pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt
import salesnb as sn
from salesnb import context, fmt, i18n
secret_of_the_first_notebook = 42
mpl.rcParams["lines.linewidth"] = 9.0
mpl.rcParams["font.size"] = 31.0
plt.figure()
i18n.set_lang("zh-CN")
i18n.MISSING["left over"] = None
context.PUBLISHED["left_over"] = 1
fmt.set_currency("EUR")
sn.viz.FIGSIZE = (1.0, 1.0)
sn.performance.REP_TABLES = ("nothing",)
os.environ["SALESNB_POLLUTED"] = "1"
sys.path.insert(0, "/polluted")
os.chdir("/")
pd.set_option("display.max_rows", 3)
logging.getLogger().setLevel(logging.DEBUG)
np.random.seed(0)
warnings.simplefilter("error")
"""

# fails (and so fails its notebook) when any of it leaked into this kernel
CHECK = """
import os, sys, warnings, logging
import matplotlib as mpl, matplotlib.pyplot as plt, pandas as pd
import salesnb as sn
from salesnb import context, fmt, i18n
assert "secret_of_the_first_notebook" not in dir(), "namespace"
assert mpl.rcParams["lines.linewidth"] == 1.5 and mpl.rcParams["font.size"] == 10.0, "rcParams"
assert not plt.get_fignums(), "figures"
assert i18n.get_lang() == "en" and not i18n.MISSING, "language"
assert "left_over" not in context.PUBLISHED, "publish registry"
assert fmt.CURRENCY_CODE != "EUR", "currency"
assert sn.viz.FIGSIZE != (1.0, 1.0) and sn.performance.REP_TABLES != ("nothing",), "module globals"
assert "SALESNB_POLLUTED" not in os.environ and "/polluted" not in sys.path, "environment"
assert os.getcwd() == ORIGINAL_CWD, "working folder"
assert ("error", None, Warning, None, 0) not in warnings.filters, "warning filters"
assert pd.get_option("display.max_rows") == 60, "pandas options"
assert logging.getLogger().level == logging.WARNING, "logging"
"""


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"),
                nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]}),
                *[nbformat.v4.new_code_cell(c) for c in cells]]
    nbformat.write(nb, path)
    return path


def _execute(pool, nb: Path, out: Path):
    """One notebook in a kernel of ``pool``, as the runner does it; returns (ok, kernel pid)."""
    import papermill as pm

    k = pool.acquire()
    pid, ok = k.pid, False
    try:
        pm.execute_notebook(str(nb), str(out), kernel_name="python3", progress_bar=False,
                            engine_name=kernels.register_engine(), km=k.km, cwd=str(nb.parent))
        ok = True
    except pm.PapermillExecutionError:
        pass
    finally:
        pool.release(k, healthy=ok)
    return ok, pid


def _kernel_children() -> set[int]:
    import psutil

    return {p.pid for p in psutil.Process().children(recursive=True)}


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    d = tmp_path_factory.mktemp("pool")
    before = _kernel_children()
    with kernels.KernelPool(1, cwd=d, extra_arguments=KERNEL_ARGS) as p:
        yield p
    assert _kernel_children() <= before  # closing the pool leaves no kernel behind


def test_a_polluting_notebook_cannot_affect_the_next_one_in_the_same_kernel(pool, tmp_path):
    polluter = _notebook(tmp_path / "pollute.ipynb", POLLUTE)
    checker = _notebook(tmp_path / "check.ipynb", f"ORIGINAL_CWD = {str(pool.opts['cwd'])!r}", CHECK)
    ok1, pid1 = _execute(pool, polluter, tmp_path / "out1.ipynb")
    ok2, pid2 = _execute(pool, checker, tmp_path / "out2.ipynb")
    assert ok1
    assert ok2, [o for c in nbformat.read(tmp_path / "out2.ipynb", 4).cells for o in c.get("outputs", [])]
    assert pid1 == pid2  # the same kernel ran both
    # the executed copy reads as a fresh kernel's: execution counts start at 1 again
    counts = [c.execution_count for c in nbformat.read(tmp_path / "out2.ipynb", 4).cells
              if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_kernels_import_what_the_run_s_notebooks_use(tmp_path):
    """The pack's notebooks use salesnb: the whole stack; a user's own notebooks: the base only."""
    real = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert real and kernels.imports_for(real) == kernels.IMPORTS
    tiny = _notebook(tmp_path / "tiny.ipynb", "print(1)")
    assert kernels.imports_for([tiny]) == kernels.BASE_IMPORTS
    assert kernels.imports_for([tiny, real[-1]]) == kernels.IMPORTS
    assert kernels.imports_for([tmp_path / "missing.ipynb"]) == kernels.IMPORTS
    assert kernels.prelude_code(kernels.IMPORTS) == kernels.PRELUDE_CODE


def test_a_base_kernel_is_reset_as_well_after_a_notebook_imported_salesnb(tmp_path):
    """A kernel that imported only the base stack: salesnb, first imported by a notebook, is
    forgotten at the reset, so the polluted module state does not reach the next notebook."""
    with kernels.KernelPool(1, cwd=tmp_path, extra_arguments=KERNEL_ARGS,
                            imports=kernels.BASE_IMPORTS) as base:
        polluter = _notebook(tmp_path / "pollute.ipynb", POLLUTE)
        checker = _notebook(tmp_path / "check.ipynb", f"ORIGINAL_CWD = {str(tmp_path)!r}", CHECK)
        ok1, pid1 = _execute(base, polluter, tmp_path / "out1.ipynb")
        ok2, pid2 = _execute(base, checker, tmp_path / "out2.ipynb")
    assert ok1 and pid1 == pid2
    assert ok2, [o for c in nbformat.read(tmp_path / "out2.ipynb", 4).cells for o in c.get("outputs", [])]


def test_a_warm_notebook_starts_without_jupyter_clients_quiet_wait_and_keeps_every_output(
        pool, tmp_path, monkeypatch):
    """jupyter_client's ``wait_for_ready`` ends with 0.2 s of waiting for a quiet IOPub channel, a
    fifth of a scorecard's execution (issue 18). The warm engine uses :func:`kernels.wait_ready`
    instead; the first cell's output is there every time (nothing lost to a late subscription)."""
    from jupyter_client.asynchronous.client import AsyncKernelClient

    async def refused(*a, **k):
        raise AssertionError("wait_for_ready called")

    monkeypatch.setattr(AsyncKernelClient, "wait_for_ready", refused)
    nb = _notebook(tmp_path / "first.ipynb", "print('first', flush=True)", "print('second')")
    for i in range(8):
        ok, _ = _execute(pool, nb, tmp_path / f"out{i}.ipynb")
        assert ok
        cells = nbformat.read(tmp_path / f"out{i}.ipynb", 4).cells
        # ipykernel may send one print as two stream messages ("first", "\n") when its flush
        # timer fires between print's two writes (stop 27's CI saw it): compare each cell's text
        texts = ["".join(o.get("text", "") for o in c.outputs) for c in cells[2:]]
        assert texts == ["first\n", "second\n"], (i, [c.outputs for c in cells[2:]])


class _Channel:
    def __init__(self, messages):
        self.messages = messages

    async def get_msg(self, timeout=None):
        import queue

        if not self.messages:
            raise queue.Empty
        return self.messages.pop(0)


class _Client:
    """A kernel client whose first kernel_info's IOPub messages are lost (a late subscription)."""

    def __init__(self, *, alive=True, answers=True):
        self.sent, self.alive, self.answers = [], alive, answers
        self.shell_channel, self.iopub_channel = _Channel([]), _Channel([])

    def kernel_info(self):
        msg_id = f"k{len(self.sent)}"
        self.sent.append(msg_id)
        if self.answers:
            self.shell_channel.messages.append({"parent_header": {"msg_id": msg_id},
                                                "msg_type": "kernel_info_reply"})
        if len(self.sent) > 1:  # the first request's status messages never arrive
            self.iopub_channel.messages += [
                {"parent_header": {}, "msg_type": "iopub_welcome", "content": {}},
                {"parent_header": {"msg_id": "old"}, "msg_type": "status",
                 "content": {"execution_state": "idle"}},
                {"parent_header": {"msg_id": msg_id}, "msg_type": "status",
                 "content": {"execution_state": "idle"}}]
        return msg_id

    async def is_alive(self):
        return self.alive


def test_wait_ready_asks_again_until_its_own_request_is_seen_and_stops_on_a_dead_kernel():
    from jupyter_core.utils import run_sync

    kc = _Client()
    run_sync(kernels.wait_ready)(kc, timeout=30)
    assert kc.sent == ["k0", "k1"]  # the idle of an older request does not count
    with pytest.raises(RuntimeError, match="died"):
        run_sync(kernels.wait_ready)(_Client(alive=False, answers=False), timeout=30)


def test_a_failing_notebooks_kernel_is_not_reused(pool, tmp_path):
    fails = _notebook(tmp_path / "fails.ipynb", "x = 1", 'raise ValueError("planted")')
    fine = _notebook(tmp_path / "fine.ipynb", "y = 2")
    started = pool.started
    ok1, pid1 = _execute(pool, fails, tmp_path / "out1.ipynb")
    ok2, pid2 = _execute(pool, fine, tmp_path / "out2.ipynb")
    assert not ok1 and ok2
    assert pid1 != pid2 and pool.started == started + 1
    import psutil

    assert not psutil.pid_exists(pid1) or psutil.Process(pid1).status() == psutil.STATUS_ZOMBIE
    # the replacement is reused again
    ok3, pid3 = _execute(pool, fine, tmp_path / "out3.ipynb")
    assert ok3 and pid3 == pid2


def test_a_dead_kernel_is_replaced(pool, tmp_path):
    import os
    import signal

    fine = _notebook(tmp_path / "fine.ipynb", "y = 2")
    ok1, pid1 = _execute(pool, fine, tmp_path / "out1.ipynb")
    os.kill(pid1, signal.SIGKILL)  # dies while idle in the pool
    ok2, pid2 = _execute(pool, fine, tmp_path / "out2.ipynb")
    assert ok1 and ok2 and pid2 != pid1


@pytest.mark.slow
def test_warm_kernel_results_are_byte_identical_to_a_fresh_kernels(tmp_path, small_folder):
    """The data overview run after a polluting notebook in the same warm kernel publishes the
    same bytes as in a kernel of its own; a failing notebook fails only itself; no kernel is left."""
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    shutil.copy(ROOT / "notebooks" / "00_data_overview.ipynb", nbdir)
    _notebook(nbdir / "00_a_pollute.ipynb",  # also leaves the source it opened changed
              "import salesnb as sn\nctx = sn.setup(source=source, month=month, output_dir=output_dir)\n"
              "ctx.ds.configure(as_of='2023-06-30', reporting_currency='EUR')", POLLUTE)
    _notebook(nbdir / "00_b_fails.ipynb", 'raise ValueError("planted failure")')
    _notebook(nbdir / "00_c_opens.ipynb",  # opens the source the data overview then reuses
              "import salesnb as sn\nctx = sn.setup(source=source, month=month, output_dir=output_dir)\n"
              "ctx.as_of")
    params = tmp_path / "params"
    params.mkdir()
    (params / "defaults.yaml").write_text(f'source: "{small_folder}"\n')
    before = _kernel_children()
    out = {}
    for mode, fresh in (("fresh", True), ("warm", False)):
        lines = []
        res = run("auto", notebooks_dir=nbdir, params_dir=params, out=tmp_path / mode, jobs=1,
                  fresh_kernels=fresh, progress=lines.append)
        assert res.exit_code == EXIT_FAILED, lines
        status = {r.name: r.status for r in res.notebooks}
        assert status == {"00_a_pollute": "ok", "00_b_fails": "failed", "00_c_opens": "ok",
                          "00_data_overview": "ok"}
        out[mode] = res.path
        assert _kernel_children() <= before, mode  # no kernel outlives the run
    name = "00_data_overview.results.json"
    assert (out["warm"] / name).read_bytes() == (out["fresh"] / name).read_bytes()
    assert json.loads((out["warm"] / name).read_text())["results"]["rows"]["orders"] == 600


def test_a_warm_kernel_reuses_the_opened_source_unless_a_notebook_changed_it(pool, tmp_path,
                                                                             small_folder):
    setup = (f"import salesnb as sn\nctx = sn.setup(source={str(small_folder)!r}, month='2024-06', "
             f"output_dir={str(tmp_path)!r})\nprint(getattr(ctx.ds, 'uses', 0), ctx.as_of.date())\n"
             "ctx.ds.uses = getattr(ctx.ds, 'uses', 0) + 1")
    first = _notebook(tmp_path / "first.ipynb", setup)
    spoils = _notebook(tmp_path / "spoils.ipynb", setup, "ctx.ds.configure(as_of='2024-01-31')")

    def opened(nb, i):
        assert _execute(pool, nb, tmp_path / f"out{i}.ipynb")[0]
        cells = nbformat.read(tmp_path / f"out{i}.ipynb", 4).cells
        setup_cell = next(c for c in cells if "sn.setup" in c.source)
        return "".join(o.get("text", "") for o in setup_cell.outputs).split()

    seen = [opened(nb, i) for i, nb in enumerate((first, first, spoils, first))]
    assert [s[0] for s in seen] == ["0", "1", "2", "0"]  # reused until a notebook changed it
    assert len({s[1] for s in seen}) == 1  # the same as-of date every time
    (small_folder / "reps.csv").write_text((small_folder / "reps.csv").read_text())  # touched
    assert opened(first, 4)[0] == "0"  # a changed file: opened afresh


def test_a_warm_kernel_rereads_a_kept_parquet_file_when_it_changes(pool, tmp_path):
    import os

    import pandas as pd

    table = tmp_path / "02_performance_review.rep_funnel.parquet"
    read = (f"from pathlib import Path\nfrom salesnb.report import kernels\np = Path({str(table)!r})\n"
            "kept = str(p.resolve()) in kernels._FRAMES\ndf = kernels.read_parquet(p)\n"
            "print(kept, ','.join(map(str, df.a)))\ndf.loc[0, 'a'] = 99  # must not reach the next notebook")
    nb = _notebook(tmp_path / "reads.ipynb", read)

    def seen(i):
        assert _execute(pool, nb, tmp_path / f"out{i}.ipynb")[0]
        cell = nbformat.read(tmp_path / f"out{i}.ipynb", 4).cells[-1]
        return "".join(o.get("text", "") for o in cell.outputs).split()

    pd.DataFrame({"a": [1, 2]}).to_parquet(table)
    assert seen(0) == ["False", "1,2"]
    assert seen(1) == ["True", "1,2"]  # kept, and the first notebook's change did not stick
    pd.DataFrame({"a": [3, 4, 5]}).to_parquet(table)
    assert seen(2) == ["True", "3,4,5"]  # rewritten: read again
    st = table.stat()
    pd.DataFrame({"a": [7, 8, 9]}).to_parquet(table)  # same size
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert seen(3) == ["True", "7,8,9"]
    # outside a warm kernel nothing is kept
    assert list(kernels.read_parquet(table).a) == [7, 8, 9] and not kernels._FRAMES


def test_fresh_kernels_from_the_environment(monkeypatch):
    monkeypatch.setenv(kernels.FRESH_ENV, "1")
    assert kernels.fresh_kernels_requested()
    monkeypatch.setenv(kernels.FRESH_ENV, "0")
    assert not kernels.fresh_kernels_requested()


def test_tiny_run_with_warm_kernels_publishes(tmp_path, small_folder):
    """A run on the pool: both notebooks share one kernel (jobs 1) and publish; nothing remains."""
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    for name in ("00_alpha", "01_beta"):
        _notebook(nbdir / f"{name}.ipynb", "import os\nprint(os.getpid())")
    params = tmp_path / "params"
    params.mkdir()
    (params / "defaults.yaml").write_text(f'source: "{small_folder}"\n')
    before = _kernel_children()
    res = run("auto", notebooks_dir=nbdir, params_dir=params, out=tmp_path / "r", jobs=1,
              fresh_kernels=False, progress=lambda m: None)
    assert res.exit_code == EXIT_OK
    pids = ["".join(o.get("text", "") for o in nbformat.read(res.path / f"{n}.ipynb", 4)
                    .cells[-1].outputs).strip() for n in ("00_alpha", "01_beta")]
    assert pids[0] == pids[1]  # one warm kernel ran both
    assert _kernel_children() <= before


def test_a_run_that_stops_on_its_data_closes_its_prewarmed_kernels(tmp_path, small_folder,
                                                                  monkeypatch):
    """Kernels prewarm while the data is validated; a run that stops on its data stops them."""
    from salesnb.data.errors import Problem

    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    _notebook(nbdir / "00_alpha.ipynb", "print(1)")
    params = tmp_path / "params"
    params.mkdir()
    (params / "defaults.yaml").write_text(f'source: "{small_folder}"\n')
    pools = []
    prewarm = kernels.KernelPool.prewarm
    monkeypatch.setattr(kernels.KernelPool, "prewarm",
                        lambda self, n: (pools.append(self), prewarm(self, n)))

    def validate(ds):  # a data error found once a prewarmed kernel is up
        deadline = time.monotonic() + 120
        while pools[0].started < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        return [Problem("error", "orders", "amount", "unparseable_float", "planted", count=1)]

    monkeypatch.setattr(runner, "validate", validate)
    before = _kernel_children()
    res = run("auto", notebooks_dir=nbdir, params_dir=params, out=tmp_path / "r", jobs=1,
              fresh_kernels=False, progress=lambda m: None)
    assert res.exit_code == EXIT_DATA and "planted" in res.message
    assert pools[0].started == 1 and pools[0].closed
    assert _kernel_children() <= before
    assert not (tmp_path / "r").exists() or not any((tmp_path / "r").iterdir())


def test_saves_while_running_are_throttled_and_a_replaced_notebook_is_kept():
    """papermill saves the notebook at every cell's start and end; the warm engine writes at most
    every SAVE_EVERY seconds while cells run (the final save after the last cell is papermill's)."""
    import datetime as dt
    from types import SimpleNamespace

    clock = [dt.datetime(2026, 1, 1)]
    writes = []
    nb_man = SimpleNamespace(nb="original", now=lambda: clock[0], last_save_time=clock[0])

    def full_save(**kwargs):
        writes.append(nb_man.nb)
        nb_man.last_save_time = clock[0]

    save = kernels._throttled(nb_man, full_save)
    for _ in range(40):  # a 20-cell notebook: 40 saves asked within a second
        clock[0] += dt.timedelta(milliseconds=20)
        save()
    assert writes == []
    clock[0] += dt.timedelta(seconds=kernels.SAVE_EVERY)
    save(nb="replaced")
    assert writes == ["replaced"] and nb_man.nb == "replaced"
    save()
    assert len(writes) == 1


def test_setup_leaves_the_chart_stack_to_the_first_chart():
    """``import salesnb`` + ``sn.setup()`` do not import matplotlib, seaborn or SciPy (most of the
    interactive start-up time); the first chart's ``salesnb.viz`` import applies the theme setup
    asked for."""
    import subprocess
    import sys

    code = (
        "import sys, salesnb as sn\n"
        "ctx = sn.setup(source='demo', month='2026-10', lang='zh-CN')\n"
        "heavy = sorted(m for m in ('matplotlib.pyplot', 'seaborn', 'scipy.stats') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
        "from salesnb import viz\n"
        "import matplotlib as mpl\n"
        "assert mpl.rcParams['axes.titleweight'] == 'bold', 'theme not applied'\n"
        "assert mpl.rcParams['font.sans-serif'][0] != 'DejaVu Sans' or viz.cjk_font() is None\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]


def test_prewarmed_kernels_are_waited_for_not_doubled_and_closed(tmp_path):
    """The runner starts its kernels while it validates the data (``prewarm``): a notebook that
    asks for a kernel meanwhile gets a prewarmed one, never an extra, and closing the pool stops
    every kernel, also one still starting."""
    before = _kernel_children()
    with kernels.KernelPool(2, cwd=tmp_path, extra_arguments=KERNEL_ARGS) as p:
        p.prewarm(5)  # at most the pool's size
        a, b = p.acquire(), p.acquire()
        assert p.started == 2 and a is not b and a.alive() and b.alive()
        p.release(a, healthy=True)
        p.release(b, healthy=True)
    assert _kernel_children() <= before
    # closed while the kernel is starting: before its process exists, while it launches, while it
    # imports the stack. Tearing the manager down under the starting thread aborted ZeroMQ or left
    # the process running (CI, stop 26); close() returns once no kernel of the pool is left
    for delay in (0, 0, 0.02, 0.1, 0.5):
        with kernels.KernelPool(1, cwd=tmp_path, extra_arguments=KERNEL_ARGS) as p:
            p.prewarm(1)
            time.sleep(delay)
        assert _kernel_children() <= before, delay


@pytest.mark.skipif(kernels.KERNEL_TRANSPORT != "ipc", reason="Unix sockets only")
def test_pool_kernels_talk_over_socket_files_of_their_own(tmp_path):
    """No TCP port a kernel could lose to another process before binding it ("Address already in
    use"): each pool kernel has its own absolute socket-file prefix in a private folder (two
    kernels in one working folder do not share jupyter_client's relative default), and closing the
    pool removes its files."""
    import os

    with kernels.KernelPool(2, cwd=tmp_path, extra_arguments=KERNEL_ARGS,
                            imports=kernels.BASE_IMPORTS) as p:
        a, b = p.acquire(), p.acquire()
        try:
            ips = {a.km.ip, b.km.ip}
            assert {a.km.transport, b.km.transport} == {"ipc"} and len(ips) == 2
            assert all(os.path.isabs(ip) and os.path.dirname(ip) == kernels._IPC_DIR[0] for ip in ips)
            assert oct(os.stat(kernels._IPC_DIR[0]).st_mode & 0o777) == "0o700"
            assert not list(tmp_path.glob("kernel-ipc-*"))
            a.run("x = 1")
            b.run("x = 2")
        finally:
            p.release(a, healthy=True)
            p.release(b, healthy=True)
    assert not [f for f in os.listdir(kernels._IPC_DIR[0])
                if any(f.startswith(os.path.basename(ip)) for ip in ips)]


@pytest.mark.skipif(kernels.KERNEL_TRANSPORT != "ipc", reason="Unix sockets only")
def test_socket_folders_of_killed_runs_are_swept(tmp_path):
    """A run killed with SIGKILL cannot remove its socket folder at exit; the next run removes the
    folders whose process is gone and keeps those of live processes (and anything else)."""
    import os
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f"salesnb-kernels-{dead}-abc123"
    live = tmp_path / f"salesnb-kernels-{os.getpid()}-def456"
    other = tmp_path / "salesnb-kernels-notes"
    for d in (stale, live, other):
        d.mkdir()
    (stale / "0123456789abcdef-1").write_text("")
    assert kernels.sweep_ipc_dirs(str(tmp_path)) == [str(stale)]
    assert not stale.exists() and live.exists() and other.exists()
