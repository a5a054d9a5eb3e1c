"""Warm kernels: a pool of Jupyter kernels that have imported the stack once, reused across notebooks.

A fresh kernel per page costs a process start plus the imports of pandas, Ibis, seaborn, statsmodels
and salesnb (about two seconds each on a small machine); a month with rep scorecards runs dozens of
pages. The runner owns one :class:`KernelPool` per run (as many kernels as ``--jobs``) and executes
every notebook through papermill with the engine :data:`ENGINE`, which hands papermill an already
started kernel instead of starting one. Papermill semantics are unchanged: the parameters cell is
injected, the executed notebook is written with its error banner and per-cell timings.

Between two notebooks a kernel is reset to the state of a fresh kernel that has imported the stack
(:func:`reset`, run inside the kernel): a new user namespace and IPython session (execution counts
start at 1 again), figures closed and matplotlib's rcParams restored, salesnb's own module state
restored (the language of :func:`salesnb.i18n.set_lang`, the publish registry, the currency of
:mod:`salesnb.fmt`, every module-level dict/list/set, ``lru_cache`` caches), modules of salesnb first
imported by the notebook forgotten, and the working folder, environment, ``sys.path``, warning
filters, pandas options, logging and IPython event hooks put back. A kernel whose notebook failed, timed
out or died is shut down and replaced, so a failing page fails only itself.

On Linux the pool's kernels are forks of one template process that imported the stack once
(:mod:`salesnb.report.forkserver`): the run pays for the imports once, not once per kernel.

``SALESNB_FRESH_KERNELS=1`` (or ``salesnb run --fresh-kernels``) turns the pool off: every notebook
gets a new kernel, as papermill does by default.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from pathlib import Path
from typing import Any

#: the papermill engine that runs a notebook in a kernel of the pool (``km=`` the kernel's manager)
ENGINE = "salesnb-warm"
#: environment variable that turns the pool off (``1``): a fresh kernel per notebook
FRESH_ENV = "SALESNB_FRESH_KERNELS"

#: what a warm kernel imports before its first notebook (the modules notebooks use)
IMPORTS = (
    "numpy", "pandas", "scipy.stats", "matplotlib", "matplotlib.pyplot", "seaborn", "statsmodels.api",
    "ibis", "duckdb", "IPython.display",
    "salesnb", "salesnb.context", "salesnb.i18n", "salesnb.fmt", "salesnb.viz", "salesnb.keys",
    "salesnb.config", "salesnb.goals", "salesnb.performance", "salesnb.trends", "salesnb.segments",
    "salesnb.clv", "salesnb.risk", "salesnb.summary", "salesnb.data.extract", "salesnb.data.sources",
    "salesnb.data.validate", "salesnb.data.currency", "salesnb.data.goals_queries",
    "salesnb.data.performance_queries", "salesnb.data.segments_queries", "salesnb.data.risk_queries",
    "salesnb.data.trends_queries", "salesnb.data.demo", "salesnb.deliver.sheets", "salesnb.deliver.mom",
)

#: what a kernel imports when no notebook of the run uses salesnb (a user's own notebooks): the
#: libraries :func:`reset` restores, not the whole analysis stack (about 2 CPU-s less per kernel)
BASE_IMPORTS = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "IPython.display")

#: how the runner talks to its warm kernels: Unix sockets ("ipc") where the OS has them. A TCP port
#: jupyter_client picks is free when picked, but anything binding or connecting meanwhile (another
#: kernel, a database client's ephemeral port) can take it before the kernel binds it ("Address
#: already in use"); a socket file in a folder of our own cannot be taken
KERNEL_TRANSPORT = "ipc" if os.name == "posix" else "tcp"
_IPC_DIR: list[str] = []
_IPC_LOCK = threading.Lock()


def _ipc_prefix() -> str:
    """A new absolute socket-file prefix in this process's private folder (mode 0700, removed at
    exit). The prefix must be absolute: jupyter_client's default ("kernel-ipc") is relative to each
    kernel's working folder, which every kernel of a run shares."""
    import atexit
    import shutil
    import tempfile
    import uuid

    with _IPC_LOCK:
        if not _IPC_DIR:
            sweep_ipc_dirs(tempfile.gettempdir())
            d = tempfile.mkdtemp(prefix=f"salesnb-kernels-{os.getpid()}-")
            atexit.register(shutil.rmtree, d, True)
            _IPC_DIR.append(d)
    return os.path.join(_IPC_DIR[0], uuid.uuid4().hex[:16])


def sweep_ipc_dirs(folder: str) -> list[str]:
    """Remove the socket folders in ``folder`` of runs whose process is gone (a killed run cannot
    remove its own at exit); returns the removed paths."""
    import re
    import shutil

    removed = []
    for entry in os.scandir(folder):
        m = re.fullmatch(r"salesnb-kernels-(\d+)-\w+", entry.name)
        if not m or not entry.is_dir(follow_symlinks=False) or entry.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.path)
        except OSError:  # alive but not ours to signal: keep it
            pass
    return removed


#: code sent to a kernel (hidden, no history): import the stack and take the snapshot
PRELUDE_CODE = "__import__('salesnb.report.kernels', fromlist=['prelude']).prelude()"
#: code sent to a kernel between two notebooks
RESET_CODE = "__import__('salesnb.report.kernels', fromlist=['reset']).reset()"


def prelude_code(imports: tuple[str, ...] = IMPORTS) -> str:
    """The hidden code that imports ``imports`` in a new kernel and takes its snapshot."""
    if tuple(imports) == IMPORTS:
        return PRELUDE_CODE
    return f"__import__('salesnb.report.kernels', fromlist=['prelude']).prelude({tuple(imports)!r})"


def imports_for(notebooks) -> tuple[str, ...]:
    """The stack warm kernels import for these notebooks (paths of ``.ipynb`` files).

    :data:`IMPORTS` when a code cell of any of them mentions salesnb (every notebook of the pack
    does), else :data:`BASE_IMPORTS`: a kernel imports what the run's notebooks can use. A notebook
    that cannot be read counts as using salesnb.
    """
    import json

    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            return IMPORTS
        for c in cells:
            if not isinstance(c, dict) or c.get("cell_type") != "code":
                continue
            src = c.get("source", "")
            if "salesnb" in ("".join(src) if isinstance(src, list) else str(src)):
                return IMPORTS
    return BASE_IMPORTS


def fresh_kernels_requested() -> bool:
    """Whether the environment asks for a fresh kernel per notebook (``SALESNB_FRESH_KERNELS=1``)."""
    return os.environ.get(FRESH_ENV, "").strip().lower() in ("1", "true", "yes", "on")


# ------------------------------------------------------------------ inside the kernel

_STATE: dict[str, Any] = {}
_MUTABLE = (dict, list, set)


def _ours(name: str) -> bool:
    return (name == "salesnb" or name.startswith("salesnb.")) and name != __name__


def prelude(imports: tuple[str, ...] = IMPORTS) -> None:
    """Import the stack and remember the state :func:`reset` returns to (runs inside a kernel)."""
    import copy
    import gc
    import importlib
    import logging
    import sys
    import warnings

    for name in imports:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part of the stack: the notebook will say so itself
            pass
    if "salesnb.i18n" in sys.modules:  # the message catalogues, so no notebook imports them again
        sys.modules["salesnb.i18n"]._aliases()
    import matplotlib
    import pandas as pd

    mods = {}
    for name, mod in list(sys.modules.items()):
        if _ours(name) and mod is not None:
            attrs = dict(vars(mod))
            mods[name] = (mod, attrs, {k: copy.copy(v) for k, v in attrs.items()
                                       if type(v) in _MUTABLE and not k.startswith("__")})
    opts = pd._config.config
    deprecated = set(getattr(opts, "_deprecated_options", {}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pandas_options = {k: pd.get_option(k) for k in opts._registered_options if k not in deprecated}
    _STATE.update(
        modules=mods,
        rc={k: v for k, v in matplotlib.rcParams.items() if k != "backend"},
        cwd=os.getcwd(),
        environ=dict(os.environ),
        path=list(sys.path),
        filters=list(warnings.filters),
        pandas=pandas_options,
        root_log=(list(logging.root.handlers), logging.root.level),
    )
    ip = _ipython()
    if ip is not None:
        _STATE["events"] = {e: list(cbs) for e, cbs in ip.events.callbacks.items()}
    reset()
    # the imported stack lives as long as the kernel: keep it out of every later collection, so
    # that the collection at each reset scans only what the last notebook left (0.7 s -> ms)
    gc.freeze()


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    return get_ipython()


def reset() -> None:
    """Put this kernel back into the state :func:`prelude` recorded (runs inside a kernel).

    Raises ``RuntimeError`` when there is no snapshot (the kernel must then be replaced).
    """
    import gc
    import logging
    import random
    import sys
    import warnings

    if not _STATE:
        raise RuntimeError("this kernel has no salesnb prelude snapshot")
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    plt.close("all")
    _keep_datasets()
    ip = _ipython()
    if ip is not None:
        ip.reset(new_session=True)  # user namespace, In/Out, output cache; execution count back to 1
        for event, cbs in _STATE.get("events", {}).items():
            ip.events.callbacks[event][:] = cbs
    # salesnb's own module state: language, publish registry, currency, caches, anything patched
    for name in [n for n in sys.modules if _ours(n) and n not in _STATE["modules"]]:
        del sys.modules[name]  # first imported by a notebook: the next import starts it afresh
    for name, (mod, attrs, copies) in _STATE["modules"].items():
        sys.modules[name] = mod
        d = vars(mod)
        for k in [k for k in d if k not in attrs]:
            del d[k]
        for k, v in attrs.items():
            if d.get(k, _STATE) is not v:
                d[k] = v
        for k, saved in copies.items():
            obj = attrs[k]
            if obj != saved:
                obj.clear()
                (obj.extend if isinstance(obj, list) else obj.update)(saved)
        for v in attrs.values():
            if callable(getattr(v, "cache_clear", None)) and getattr(v, "__module__", None) == name:
                v.cache_clear()
    # matplotlib, warnings, pandas, process state
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_STATE["rc"])
        for k, v in _STATE["pandas"].items():
            try:
                if pd.get_option(k) != v:
                    pd.set_option(k, v)
            except (KeyError, ValueError, TypeError):  # an option that cannot be compared or set
                pass
    warnings.filters[:] = _STATE["filters"]
    warnings._filters_mutated()  # forget which warnings were shown: each notebook sees them again
    warnings.onceregistry.clear()
    handlers, level = _STATE["root_log"]
    logging.root.handlers[:] = handlers
    logging.root.setLevel(level)
    if os.getcwd() != _STATE["cwd"]:
        os.chdir(_STATE["cwd"])
    if dict(os.environ) != _STATE["environ"]:
        for k in [k for k in os.environ if k not in _STATE["environ"]]:
            del os.environ[k]
        os.environ.update(_STATE["environ"])
    sys.path[:] = _STATE["path"]
    random.seed()
    np.random.seed()  # noqa: NPY002 - the legacy global state a notebook may have seeded
    gc.collect()


# ------------------------------------------------------------------ the data, opened once per kernel

#: the source a warm kernel keeps open between notebooks: key -> (Dataset, its state when clean)
_DATASETS: dict[tuple, tuple[Any, dict[str, Any]]] = {}
_DS_FIELDS = ("_cache", "_as_of_given", "_currency_given", "meta", "origin", "positions", "spec")


def _source_key(source: str, as_of: Any, reporting_currency: Any) -> tuple | None:
    """What identifies an opened folder source: its path, every file's size and time, the run's
    as-of and currency; None for a database (never kept) or a missing folder."""
    s = str(source).strip()
    if s == "demo" or s.startswith("demo:"):
        from salesnb.data.demo import default_demo_dir

        folder = default_demo_dir(float(s.split(":", 1)[1]) if ":" in s else 1.0)
    elif "://" in s:
        return None
    else:
        folder = Path(s).expanduser()
    try:
        files = tuple(sorted((f.name, st.st_size, st.st_mtime_ns) for f in folder.resolve().iterdir()
                             if f.is_file() and (st := f.stat())))
    except OSError:
        return None
    return (s, str(folder.resolve()), files, str(as_of or ""), str(reporting_currency or ""))


def open_dataset(source: str, *, as_of: Any = "", reporting_currency: Any = "") -> Any:
    """``open_source(source).configure(...)``; in a warm kernel of the runner, the folder opened by
    an earlier notebook of the run is reused (same files, sizes and times, same as-of and currency),
    with the state it had before that notebook could change it (its typed tables, as-of date and
    currencies stay computed). Outside a warm kernel (e.g. JupyterLab) it always opens afresh."""
    from salesnb.data.sources import open_source

    key = _source_key(source, as_of, reporting_currency) if _STATE else None
    hit = _DATASETS.get(key) if key is not None else None
    if hit is not None:
        ds, clean = hit
        for k, v in clean.items():
            setattr(ds, k, v.copy() if isinstance(v, dict) else v)
        return ds
    ds = open_source(source).configure(as_of=as_of, reporting_currency=reporting_currency)
    if key is not None:
        _DATASETS.clear()  # one source at a time
        _DATASETS[key] = (ds, _ds_state(ds))
    return ds


def _ds_state(ds) -> dict[str, Any]:
    return {k: (getattr(ds, k).copy() if isinstance(getattr(ds, k), dict) else getattr(ds, k))
            for k in _DS_FIELDS}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(a[k] is b[k] for k in a)
    return a is b or (type(a) is type(b) and isinstance(a, str | int | float) and a == b) or (
        a is not None and b is not None and type(a) is type(b) and bool(a == b))


def _keep_datasets() -> None:
    """At a reset: keep what the last notebook computed lazily on the kept dataset (typed tables,
    as-of, currencies) when it left the dataset's settings alone; drop the dataset otherwise."""
    for key, (ds, clean) in list(_DATASETS.items()):
        now = _ds_state(ds)
        same = all(_same(now[k], clean[k]) for k in _DS_FIELDS if k != "_cache")
        if not same or any(clean["_cache"].get(k, v) is not v for k, v in now["_cache"].items()):
            del _DATASETS[key]
        else:
            _DATASETS[key] = (ds, now)


#: small Parquet files a warm kernel keeps between notebooks: resolved path -> (stamp, DataFrame)
_FRAMES: dict[str, tuple[tuple[int, int, int], Any]] = {}
#: at most this many files are kept (the per-rep tables of one run are eight)
MAX_FRAMES = 32


def read_parquet(path: str | Path) -> Any:
    """``pandas.read_parquet(path)``; in a warm kernel of the runner, a file an earlier notebook read
    is not read again while its size, modification time and inode are unchanged (the per-rep tables
    02 writes once a month, read by every scorecard). Every call returns its own deep copy, so a
    notebook that changes the frame cannot change what the next one reads. Outside a warm kernel
    (JupyterLab, tests) it always reads the file."""
    import pandas as pd

    if not _STATE:
        return pd.read_parquet(path)
    p = Path(path).resolve()
    st = p.stat()
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    hit = _FRAMES.get(str(p))
    if hit is None or hit[0] != stamp:
        if len(_FRAMES) >= MAX_FRAMES:
            _FRAMES.clear()
        hit = _FRAMES[str(p)] = (stamp, pd.read_parquet(p))
    return hit[1].copy(deep=True)


# ------------------------------------------------------------------ the runner's side

async def wait_ready(kc, *, timeout: float) -> None:
    """Wait until the kernel of the client ``kc`` answers, and ``kc`` receives what it publishes.

    jupyter_client's ``wait_for_ready`` ends by waiting until its IOPub channel has been quiet for
    0.2 s: a fifth of a rep scorecard's execution on a warm kernel, idle (issue 18). Here the client
    asks for ``kernel_info`` and is ready when the IOPub status ``idle`` of that very request
    arrives: the subscription is live and nothing of the request is still on its way. When the
    subscription was not live in time (ZeroMQ's slow joiner), it asks again. Messages of earlier
    requests that arrive later are ignored by nbclient, which reads only its own requests' messages.
    """
    deadline = time.monotonic() + timeout
    while True:
        msg_id = kc.kernel_info()
        reply = await shell_reply(kc, msg_id, deadline=deadline, timeout=timeout,
                                  died="Kernel died before replying to kernel_info")
        quiet = time.monotonic() + 0.5
        while (left := quiet - time.monotonic()) > 0:
            try:
                msg = await kc.iopub_channel.get_msg(timeout=left)
            except queue.Empty:
                break
            if (msg.get("parent_header", {}).get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"):
                handle = getattr(kc, "_handle_kernel_info_reply", None)
                if handle is not None:  # adapts the protocol version, as wait_for_ready does
                    handle(reply)
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} s")


async def shell_reply(kc, msg_id: str, *, deadline: float, timeout: float, died: str) -> dict:
    """The shell reply of the client ``kc`` to its request ``msg_id``; ``RuntimeError`` (``died``)
    when the kernel dies first, or when none came by ``deadline`` (``time.monotonic``)."""
    while True:
        try:
            msg = await kc.shell_channel.get_msg(timeout=1)
        except queue.Empty:
            if not await kc.is_alive():
                raise RuntimeError(died) from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} s") from None
            continue
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg


_MANAGER: list[type] = []


def _manager_class() -> type:
    """jupyter_client's AsyncKernelManager, waiting for a kernel to end (killed, or asked to shut
    down, whatever step the caller passes) in steps of at most 5 ms instead of 0.1 s: the pool's
    close waits for each kernel, and two kernels' 0.1 s steps were 0.22 s at the end of every run,
    with nothing else to do."""
    if not _MANAGER:
        import asyncio

        from jupyter_client.manager import AsyncKernelManager

        class Manager(AsyncKernelManager):
            async def _async_wait(self, pollinterval: float = 0.005) -> None:
                while await self._async_is_alive():
                    await asyncio.sleep(min(pollinterval, 0.005))

        _MANAGER.append(Manager)
    return _MANAGER[0]


def new_manager(kernel_name: str = "python3"):
    """A kernel manager (not started) on :data:`KERNEL_TRANSPORT`, with a socket-file prefix of its
    own under ipc: for warm kernels and for the fresh kernel of ``--fresh-kernels`` alike."""
    km = _manager_class()(kernel_name=kernel_name, transport=KERNEL_TRANSPORT)
    if KERNEL_TRANSPORT == "ipc":
        km.ip = _ipc_prefix()
    return km


class KernelError(RuntimeError):
    """A warm kernel could not be started or reset."""


class WarmKernel:
    """One started kernel with the stack imported; executes hidden code with :meth:`run`."""

    def __init__(self, *, cwd: Path, kernel_name: str = "python3", startup_timeout: float = 180,
                 extra_arguments: list[str] | None = None,
                 imports: tuple[str, ...] = IMPORTS, template: Any = None) -> None:
        self.cwd = Path(cwd)
        self.imports = tuple(imports)
        #: the pool's :class:`~salesnb.report.forkserver.ForkServer`: the kernel is a fork of it
        #: (its own process when None, or when the template cannot start it)
        self.template = template
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.extra_arguments = list(extra_arguments or [])
        self.km = None
        self.uses = 0
        #: reset (or just started) and not used since: the next notebook can run at once
        self.clean = False
        # start() and shutdown() may run in two threads (the pool closes while a kernel starts):
        # the starting thread alone touches the manager until the start ends
        self._lock = threading.Lock()
        self._starting = False
        self._stopped = False

    @property
    def pid(self) -> int | None:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(proc, "pid", None)

    def start(self) -> WarmKernel:
        """Launch the kernel and import the stack; ``KernelError`` when it fails or when
        :meth:`shutdown` is called meanwhile (from another thread), which leaves no process."""
        from jupyter_core.utils import run_sync

        km = new_manager(self.kernel_name)
        if self.template is not None:
            from salesnb.report import forkserver

            forkserver.attach(km, self.template, timeout=self.startup_timeout)
        with self._lock:
            if self._stopped:
                raise KernelError("the kernel was shut down before it started")
            self.km, self._starting = km, True
        # nbclient's default: no SQLite history file shared (and locked) by every kernel
        args = [*self.extra_arguments, "--HistoryManager.hist_file=:memory:"]
        try:
            run_sync(km.start_kernel)(cwd=str(self.cwd), extra_arguments=args)
            if self._stopped:
                raise KernelError("the kernel was shut down while it started")
            self.run(prelude_code(self.imports), timeout=self.startup_timeout, ready=True)
            with self._lock:
                self._starting = False
                stopped = self._stopped
            if stopped:
                raise KernelError("the kernel was shut down while it started")
            self.clean = True  # the prelude ends with a reset
        except BaseException:
            with self._lock:  # stop the process this start launched, whoever asked before
                self._starting, self.km = False, km
            self.shutdown(now=True)
            raise
        return self

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return self.km is not None and bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001 - a kernel we cannot ask is not alive
            return False

    def run(self, code: str, *, timeout: float = 120, ready: bool = False) -> None:
        """Execute ``code`` hidden (no history, no outputs kept); ``KernelError`` when it fails."""
        from jupyter_core.utils import run_sync

        kc = self.km.client()
        kc.start_channels(hb=False)  # liveness is the manager's process poll, not heartbeats
        try:
            if ready:  # a kernel just started: wait until it answers (later, sending is enough)
                run_sync(wait_ready)(kc, timeout=timeout)
            msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
            reply = run_sync(shell_reply)(kc, msg_id, deadline=time.monotonic() + timeout,
                                          timeout=timeout,
                                          died="Kernel died while getting ready for a notebook")
            content = reply["content"]
            if content.get("status") != "ok":
                raise KernelError(f"{content.get('ename', 'error')}: {content.get('evalue', '')}")
        except RuntimeError as exc:  # e.g. "Kernel died before replying to kernel_info"
            raise KernelError(str(exc)) from exc
        finally:
            kc.stop_channels()

    def reset(self) -> None:
        self.run(RESET_CODE)
        self.clean = True

    def shutdown(self, *, now: bool = True) -> None:
        """Stop the kernel and free its resources; a kernel stopped cannot be started again.

        Called from another thread while :meth:`start` runs, it only kills the process (when there
        is one yet): the manager's sockets belong to the starting thread, which sees the kernel
        die, or the request, and cleans up itself (tearing them down under it aborted ZeroMQ).
        """
        from jupyter_core.utils import run_sync

        with self._lock:
            self._stopped = True
            if self._starting:  # the starting thread owns the manager: stop its process only
                pid, km = self.pid, None
            else:
                pid, km, self.km = None, self.km, None
        if km is None:
            if pid:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:  # already gone
                    pass
            return
        try:
            run_sync(km.shutdown_kernel)(now=now)
        except Exception:  # noqa: BLE001 - already dead (e.g. stopped by a signal)
            pass
        try:
            run_sync(km.cleanup_resources)()
        except Exception:  # noqa: BLE001
            pass


class KernelPool:
    """Up to ``size`` warm kernels for one run; :meth:`acquire` one, :meth:`release` it after use.

    A released kernel whose notebook failed is shut down; a kept one is reset at once, in the
    background (while the runner exports the page it ran), and waits reset for its next notebook. :meth:`close` shuts every kernel down (also the ones a signal already killed).
    """

    def __init__(self, size: int, *, cwd: Path, kernel_name: str = "python3",
                 startup_timeout: float = 180, extra_arguments: list[str] | None = None,
                 max_uses: int = 100, imports: tuple[str, ...] = IMPORTS,
                 fork: bool | None = None) -> None:
        from salesnb.report import forkserver

        self.size = max(1, int(size))
        self.opts = dict(cwd=Path(cwd), kernel_name=kernel_name, startup_timeout=startup_timeout,
                         extra_arguments=extra_arguments, imports=tuple(imports))
        #: kernels are forks of one template process that imported the stack (Linux; see
        #: :mod:`salesnb.report.forkserver`); started with the first kernel, ended by close()
        self.fork = forkserver.available() if fork is None else bool(fork)
        self.template: forkserver.ForkServer | None = None
        self.max_uses = max_uses
        self._idle: queue.SimpleQueue[WarmKernel | None] = queue.SimpleQueue()
        self._all: set[WarmKernel] = set()
        self._lock = threading.Lock()
        self.closed = False
        self.started = 0  # kernels started (for the benchmark and the tests)
        self._pending = 0  # kernels prewarm() is still starting
        self._threads: list[threading.Thread] = []  # the pool's own (prewarm and reset) threads

    def _template(self):
        """The template kernels are forked from, started on first use (None: no fork here)."""
        from salesnb.report import forkserver

        with self._lock:
            if self.closed or not self.fork:
                return None
            if self.template is None:
                try:
                    self.template = forkserver.ForkServer(cwd=self.opts["cwd"],
                                                          imports=self.opts["imports"])
                except OSError:  # cannot start a process for it: kernels start on their own
                    self.fork = False
                    return None
            return self.template if self.template.alive() else None

    def prewarm(self, n: int) -> None:
        """Start ``n`` kernels in the background (up to the pool's size), e.g. while the runner
        opens and validates the data; :meth:`acquire` waits for them rather than starting more."""
        if n > 0:
            self._template()  # its imports begin now
        for _ in range(max(0, min(int(n), self.size))):
            with self._lock:
                if self.closed:
                    return
                self._pending += 1
            self._spawn(self._prewarm_one, "salesnb-prewarm")

    def _spawn(self, target, name: str, *args) -> None:
        t = threading.Thread(target=target, args=args, name=name, daemon=True)
        with self._lock:
            self._threads = [x for x in self._threads if x.is_alive()] + [t]
        t.start()

    def _prewarm_one(self) -> None:
        k = None
        try:
            k = self._start()
        except BaseException:  # noqa: BLE001 - acquire() starts its own kernel and reports why
            k = None
        finally:
            with self._lock:
                self._pending -= 1
            self._idle.put(k)  # None wakes a waiting acquire(), which then starts its own

    def _start(self) -> WarmKernel:
        k = WarmKernel(**self.opts, template=self._template())
        with self._lock:
            if self.closed:
                raise KernelError("the kernel pool is closed")
            self._all.add(k)
            self.started += 1
        try:
            k.start()
        except BaseException:
            self._discard(k)
            raise
        if self.closed:  # closed while it started (before there was a process to stop)
            self._discard(k)
            raise KernelError("the kernel pool is closed")
        return k

    def acquire(self) -> WarmKernel:
        """An idle kernel reset for a new notebook, else a newly started one."""
        while True:
            try:
                k = self._idle.get_nowait()
            except queue.Empty:
                with self._lock:
                    pending = self._pending
                if not pending:
                    return self._start()
                try:  # a prewarmed kernel is on its way
                    k = self._idle.get(timeout=1.0)
                except queue.Empty:
                    continue
            if k is None:
                continue
            if not k.alive():
                self._discard(k)
                continue
            try:
                if not k.clean:
                    k.reset()
            except Exception:  # noqa: BLE001 - a kernel that cannot be reset is replaced
                self._discard(k)
                continue
            k.clean = False
            return k

    def release(self, k: WarmKernel, *, healthy: bool) -> None:
        """Give ``k`` back after a notebook; ``healthy=False`` (the notebook failed) shuts it down.

        A kept kernel is reset in the background, while the runner exports the page it just ran;
        :meth:`acquire` waits for it rather than starting another kernel.
        """
        k.uses += 1
        k.clean = False
        if self.closed or not healthy or k.uses >= self.max_uses or not k.alive():
            self._discard(k)
            return
        with self._lock:
            self._pending += 1
        self._spawn(self._reset_one, "salesnb-reset", k)

    def _reset_one(self, k: WarmKernel) -> None:
        try:
            k.reset()
        except BaseException:  # noqa: BLE001 - a kernel that cannot be reset is replaced
            self._discard(k)
            k = None
        finally:
            with self._lock:
                self._pending -= 1
            self._idle.put(k)  # None wakes a waiting acquire(), which then starts its own

    def _discard(self, k: WarmKernel) -> None:
        with self._lock:
            self._all.discard(k)
        k.shutdown(now=True)

    def pids(self) -> list[int]:
        with self._lock:
            return [p for p in (k.pid for k in self._all) if p]

    def close(self, *, wait: float = 30.0) -> None:
        """Shut every kernel down, then wait (at most ``wait`` seconds) for the pool's threads:
        a kernel that was starting is stopped by its own thread, so none outlives the pool."""
        with self._lock:
            self.closed = True
            kernels = list(self._all)
            self._all.clear()
            threads = list(self._threads)
            template, self.template = self.template, None
        for k in kernels:
            k.shutdown(now=True)
        deadline = time.monotonic() + wait
        if template is not None:  # it kills any kernel still its own, then ends; a kernel
            template.close(wait=wait)  # waiting for it to fork fails (and starts no other)
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


#: seconds between the saves of a notebook while it runs (papermill saves at the start and end of
#: every cell: 40 JSON encodings and validations of a 20-cell scorecard, about a quarter of the
#: runner's work per page). The executed notebook is always written when it ends or fails.
SAVE_EVERY = 10.0


def _throttled(nb_man, full_save):
    """``nb_man.save`` that writes at most every :data:`SAVE_EVERY` seconds while cells run."""

    def save(**kwargs):
        if kwargs.get("nb"):  # as papermill's own save: a replaced notebook object is kept
            nb_man.nb = kwargs["nb"]
        if (nb_man.now() - nb_man.last_save_time).total_seconds() >= SAVE_EVERY:
            full_save(**kwargs)

    return save


def register_engine() -> str:
    """Register :data:`ENGINE` with papermill (once) and return its name.

    The engine is papermill's nbclient engine on a kernel it did not start (``km=``): the kernel
    outlives the notebook; only the client's channels are closed afterwards. (papermill is imported
    here, not at the top, because kernels import this module for :func:`prelude` and :func:`reset`.)
    """
    from jupyter_core.utils import run_sync
    from nbclient.util import run_hook
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE in papermill_engines._engines:
        return ENGINE

    class _WarmClient(PapermillNotebookClient):
        async def async_start_new_kernel_client(self):
            """nbclient's, on a kernel that is already running: no heartbeat channel and
            :func:`wait_ready` instead of ``wait_for_ready`` (0.2 s less per notebook)."""
            self.kc = self.km.client()
            self.kc.start_channels(hb=False)
            try:
                await wait_ready(self.kc, timeout=self.startup_timeout)
            except Exception:
                self.kc.stop_channels()
                self.kc = None
                raise
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        # papermill's setup_kernel calls the blocking form, bound to nbclient's own coroutine
        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     **kwargs):
            km = kwargs.pop("km", None)
            if km is None:
                raise ValueError(f"the {ENGINE} engine needs km= (a started kernel manager)")
            kwargs = remove_args(["input_path", "extra_arguments"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            )
            client = _WarmClient(nb_man, km=km, **final_kwargs)
            full_save = nb_man.save
            nb_man.save = _throttled(nb_man, full_save)
            try:
                return client.execute()
            finally:
                # papermill's notebook_complete (after this returns or raises) saves with this
                nb_man.save = full_save
                if client.kc is not None:
                    try:
                        client.kc.stop_channels()
                    except Exception:  # noqa: BLE001
                        pass
                    client.kc = None

    papermill_engines.register(ENGINE, WarmEngine)
    return ENGINE
