"""Run the monthly pack: validate, execute every notebook with papermill, export, publish atomically.

``salesnb run --month 2026-10`` → ``reports/2026-10/`` with, per notebook, the executed ``.ipynb``, a
code-free ``.html``, ``.results.json`` (the figures it published), plus ``index.html`` and
``manifest.json``. The pack is built in a temporary folder beside the target and swapped in at the end.
A failed notebook keeps its executed copy and gets an error page; the others still publish; the exit
code is non-zero; and a good earlier report of the same month is never replaced by a failed rerun (the
failed run goes to ``reports/<month>-failed/`` instead).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat

from salesnb import config
from salesnb.constants import SEVERITY_ORDER
from salesnb.context import BLAS_THREADS_ENV, RESULT_MIME, project_root, resolve_month
from salesnb.data import validate as validate_mod
from salesnb.data.errors import DataError
from salesnb.data.sources import absolute_spec, open_source
from salesnb.data.validate import validate
from salesnb.deliver import hooks as deliver_hooks
from salesnb.i18n import listing, normalise, t
from salesnb.report import html as report_html
from salesnb.report import kernels
from salesnb.secrets import redact

SUMMARY = "executive_summary"
SCORECARD = "rep_scorecard"
#: the notebook that writes the per-rep tables the scorecards read; they start once it is done
CARDS_AFTER = "02_performance_review"
_PACK = re.compile(r"^\d\d_[\w-]+$")
PACKAGES = ("salesnb", "pandas", "numpy", "statsmodels", "scipy", "seaborn", "matplotlib",
            "ibis-framework", "duckdb", "sqlglot", "papermill", "nbconvert", "scikit-learn")

#: arguments of every kernel the runner starts (quiet start-up; see :func:`_execute`)
KERNEL_ARGS = ["--log-level=CRITICAL"]

EXIT_OK, EXIT_FAILED, EXIT_DATA, EXIT_PARAMS, EXIT_ALERTS = 0, 1, 2, 3, 4
#: another run of the month holds its lock (EX_TEMPFAIL: try again later)
EXIT_BUSY = 75
#: stopped by a signal: 128 + the signal number, as a shell reports it
EXIT_SIGINT, EXIT_SIGTERM = 130, 143


@dataclass
class NotebookResult:
    """What happened to one notebook in a run."""

    name: str
    status: str = "pending"
    seconds: float = 0.0
    error: str = ""
    cell_index: int | None = None
    ename: str = ""
    evalue: str = ""
    results: dict[str, Any] = field(default_factory=dict)
    artifacts: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    title: str = ""


@dataclass
class RunResult:
    """The outcome of :func:`run`: exit code, where the pack went, per-notebook results."""

    exit_code: int
    month: str = ""
    path: Path | None = None
    notebooks: list[NotebookResult] = field(default_factory=list)
    message: str = ""


def discover(notebooks_dir: Path, only: Sequence[str] = ()) -> list[Path]:
    """The pack's notebooks: ``NN_name.ipynb`` in order, then the executive summary."""
    nbs = sorted(p for p in notebooks_dir.glob("*.ipynb") if _PACK.match(p.stem))
    summary = notebooks_dir / f"{SUMMARY}.ipynb"
    if summary.exists():
        nbs.append(summary)
    if only:
        wanted = set(only)
        unknown = wanted - {p.stem for p in nbs} - {p.stem.split("_", 1)[-1] for p in nbs}
        if unknown:
            raise config.ParamError(
                f"--only: no notebook named {', '.join(sorted(unknown))} "
                f"(have: {', '.join(p.stem for p in nbs)})"
            )
        nbs = [p for p in nbs if p.stem in wanted or p.stem.split("_", 1)[-1] in wanted]
    return nbs


def start_order(nbs: Sequence[Path], out_root: Path | None = None) -> list[Path]:
    """The order in which the runner starts ``nbs``: the longest first, so that no job is left
    running one long notebook alone at the end while the others wait.

    A notebook's expected length is the seconds it took in the newest good month of ``out_root``
    (its ``manifest.json``; monthly runs repeat), else the ``cost`` in its metadata
    (``{"salesnb": {"cost": 20}}``: about the seconds it takes on the demo company), else 0.
    Ties keep the pack's order.
    """
    from salesnb.deliver.bi import good_months

    took: dict[str, float] = {}
    if out_root is not None:
        for month in reversed(good_months(out_root)):
            old = _manifest(out_root / month) or {}
            took = {e["name"]: float(e["seconds"]) for e in old.get("notebooks", [])
                    if isinstance(e, dict) and isinstance(e.get("name"), str)
                    and isinstance(e.get("seconds"), (int, float))}
            if took:
                break

    def expected(nb: Path) -> float:
        if nb.stem in took:
            return took[nb.stem]
        try:
            cost = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["salesnb"]["cost"]
            return float(cost)
        except (OSError, ValueError, KeyError, TypeError):
            return 0.0

    return sorted(nbs, key=lambda nb: -expected(nb))


def _title(nb_path: Path, lang: str = "en") -> str:
    """The page title: the first ``# `` heading of the notebook's Markdown, in ``lang``."""
    st = Path(nb_path).stat()
    return _title_of(str(nb_path), st.st_size, st.st_mtime_ns, lang)


@functools.lru_cache(maxsize=64)
def _title_of(nb_path: str, _size: int, _mtime: int, lang: str) -> str:
    """:func:`_title`, read once per version of the file (every scorecard has the same title)."""
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in report_html.markdown_text(cell, lang).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return Path(nb_path).stem


def _lang(params: dict[str, Any]) -> str:
    try:
        return normalise(params.get("lang"))
    except ValueError:
        return "en"


def collect_results(nb_path: Path | nbformat.NotebookNode) -> dict[str, Any]:
    """The figures a notebook published (``sn.publish``), read from its executed copy (a path, or
    the notebook already read)."""
    nb = nb_path if isinstance(nb_path, dict) else nbformat.read(nb_path, as_version=4)
    out: dict[str, Any] = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if RESULT_MIME in data:
                item = data[RESULT_MIME]
                out[item["name"]] = item["value"]
    return out


def _git_commit(root: Path) -> str | None:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def _versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            pass
    return out


def _execute(nb_path: Path, out_nb: Path, params: dict[str, Any], *, cwd: Path,
             timeout: int, pool: kernels.KernelPool | None = None) -> NotebookResult:
    """Execute one notebook with papermill: in a warm kernel of ``pool`` (reset first), or in a
    kernel of its own when ``pool`` is None. A kernel whose notebook failed is not reused."""
    import papermill as pm

    res = NotebookResult(name=out_nb.stem, params=params)
    t0 = time.perf_counter()
    kernel = fresh_km = None
    try:
        # the kernel works in ``cwd``: a warm one was started there (and reset returns there); a
        # fresh one is started there by nbclient (its resources' path). Never papermill's own
        # ``cwd=``, which changes the working folder of the whole process (os.chdir) while other job
        # threads run: two overlapping notebooks left the runner in the notebooks' folder, and a
        # relative --out then pointed elsewhere (a crash at the first page)
        # a fresh kernel talks over the same transport as the warm ones (Unix sockets: no TCP port
        # to lose before binding it); nbclient starts it and this function shuts it down
        fresh_km = kernels.new_manager() if pool is None else None
        engine: dict[str, Any] = {"resources": {"metadata": {"path": str(cwd)}}, "km": fresh_km}
        if pool is not None:
            kernel = pool.acquire()
            engine = {"engine_name": kernels.register_engine(), "km": kernel.km}
        pm.execute_notebook(
            str(nb_path), str(out_nb), parameters=params, kernel_name="python3", language="python",
            start_timeout=180, execution_timeout=timeout, progress_bar=False, log_output=False,
            # keep the kernel's own start-up chatter (e.g. "running over TCP without encryption",
            # which is about loopback sockets, or an interrupt at shut-down) out of the scheduler's
            # log; a failing cell or a dying kernel is still reported by papermill
            extra_arguments=KERNEL_ARGS, **engine,
        )
        res.status = "ok"
    except pm.PapermillExecutionError as exc:
        res.status = "failed"
        res.cell_index, res.ename, res.evalue = exc.cell_index, exc.ename, exc.evalue
        res.error = f"{exc.ename} in cell [{exc.exec_count}]: {exc.evalue}"
    except Exception as exc:  # noqa: BLE001 - a kernel that dies or times out is a failed report
        res.status = "failed"
        res.ename, res.evalue = type(exc).__name__, str(exc)
        res.error = f"{res.ename}: {exc}"
    finally:
        if kernel is not None:
            pool.release(kernel, healthy=res.status == "ok")
        if fresh_km is not None and fresh_km.has_kernel:  # nbclient stops only kernels it made
            from jupyter_core.utils import run_sync

            try:
                run_sync(fresh_km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - a kernel already gone needs no stopping
                pass
    res.seconds = time.perf_counter() - t0
    return res


def _finish(res: NotebookResult, build: Path, nb_path: Path, month: str) -> None:
    """Write results.json and the HTML page (or the error page) for one executed notebook."""
    out_nb = build / f"{res.name}.ipynb"
    res.title = _title(nb_path, _lang(res.params))
    source, executed = "", None
    if out_nb.exists():
        _redact_file(out_nb)  # a credential a cell printed (or an injected value) is never kept
        executed = nbformat.read(out_nb, as_version=4)
        res.results = collect_results(executed)
        own = {f"{res.name}.ipynb", f"{res.name}.html", f"{res.name}.results.json"}
        res.artifacts = sorted(p.name for p in build.glob(f"{res.name}.*")
                               if p.is_file() and p.name not in own)
        if res.status != "ok":
            # papermill puts an error banner cell on top, so find the failing cell by its output
            for cell in executed.cells:
                if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                    source = cell.source
                    res.cell_index = cell.get("execution_count") or res.cell_index
                    break
    if res.status == "ok":
        doc = {"notebook": res.name, "month": month, "results": res.results}
        (build / f"{res.name}.results.json").write_text(
            json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        try:
            report_html.notebook_to_html(out_nb, build / f"{res.name}.html",
                                         title=f"{res.title} — {month}", nb=executed)
        except Exception as exc:  # noqa: BLE001 - an export failure fails that report only
            res.status, res.ename, res.evalue = "failed", type(exc).__name__, str(exc)
            res.error = f"HTML export failed: {exc}"
    if res.status != "ok":
        (build / f"{res.name}.html").write_text(redact(report_html.error_page(
            res.name, cell_index=res.cell_index, ename=res.ename, evalue=redact(res.evalue),
            source=redact(source))), encoding="utf-8")
    res.error, res.evalue = redact(res.error), redact(res.evalue)


def _redact_file(path: Path) -> None:
    """Mask credentials in a text file we wrote (atomically: a hard-linked copy is not changed)."""
    text = path.read_text(encoding="utf-8")
    clean = redact(text)
    if clean != text:
        tmp = path.with_name(f".{path.name}.redacted")
        tmp.write_text(clean, encoding="utf-8")
        tmp.replace(path)


def _manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a folder salesnb published, or None when it carries none."""
    try:
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(m, dict) or not isinstance(m.get("notebooks"), list) or "month" not in m:
        return None
    return m


def ours(folder: Path) -> bool:
    """Whether ``folder`` is a report salesnb published: it holds salesnb's manifest of its month.

    The runner replaces (and deletes) only such folders; anything else at ``<out>/<month>`` (e.g. a
    source folder named ``2026-10``) is never touched.
    """
    m = _manifest(folder)
    return m is not None and folder.name in (str(m["month"]), f"{m['month']}-failed")


def _good(folder: Path) -> bool:
    m = _manifest(folder)
    return m is not None and m.get("status") == "ok"


_UNSAFE = re.compile(r"[^\w.-]+")  # \w is Unicode: a rep id in Chinese stays readable


def safe_name(text: Any, *, max_len: int = 80) -> str:
    """A file name made from a data value: no path separators, no leading dot, at most ``max_len``.

    A value that had to change gets a short hash of the original, so two ids never share a file:
    ``"../../x"`` → ``"x-1b4f0e98"``; ``"R012"`` stays ``"R012"``.
    """
    s = str(text)
    safe = _UNSAFE.sub("_", s).strip("._")[:max_len] or "x"
    if safe != s:
        digest = hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        safe = f"{safe}-{digest}"
    return safe


def confined(folder: Path, name: str) -> Path:
    """``folder / name``, refused (``ValueError``) unless the file lands directly inside ``folder``."""
    p = (folder / name).resolve()
    if p.parent != folder.resolve():
        raise ValueError(f"file name {name!r} would leave {folder}")
    return p


def _readable(folder: Path) -> None:
    """The build folder comes from mkdtemp (mode 0700): publish it readable like any new folder."""
    umask = os.umask(0)
    os.umask(umask)
    for d in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        d.chmod(0o777 & ~umask)


def _rmtree(path: Path) -> None:
    """Remove a folder of our own, making read-only sub-folders writable first when needed."""
    def again(func, p, _exc):
        try:
            os.chmod(os.path.dirname(p), 0o700)
            if os.path.isdir(p):
                os.chmod(p, 0o700)
            func(p)
        except OSError:
            pass

    if not path.is_dir() or path.is_symlink():
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=again)
    else:
        shutil.rmtree(path, onerror=again)


def _swap(build: Path, target: Path) -> None:
    """Replace ``target`` by ``build`` with two renames on the same file system.

    ``target`` must be absent or a folder salesnb published (checked by the caller, under the lock);
    if the second rename fails the first is undone, so the earlier report stays in place.
    """
    old = None
    if target.exists():
        if not ours(target):  # checked before any kernel; re-checked here, under the lock
            raise OSError(f"{target} is not a salesnb report; not replacing it")
        old = target.with_name(f".old-{target.name}-{os.getpid()}-{time.time_ns()}")
        target.rename(old)
    try:
        build.rename(target)
    except OSError:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        _rmtree(old)


def _clean_stale(out_root: Path, month: str, say: Callable[[str], None]) -> None:
    """Remove build and old folders of this month left by a run that was killed (we hold the lock)."""
    for pattern in (f".build-{month}-*", f".old-{month}-*"):
        for p in sorted(out_root.glob(pattern)):
            if p.is_dir() and not p.is_symlink():
                _rmtree(p)
                say(f"removed {p.name}, left by an earlier run that was stopped")


class Busy(RuntimeError):
    """Another run of the same month into the same folder holds the lock."""


class MonthLock:
    """One run per month and reports folder: an exclusive ``flock`` on ``<out>/.lock-<month>``.

    The operating system releases the lock when its process dies (even by kill -9), so a stale lock is
    taken over without asking; the file holds the pid of the holder for the message.
    """

    def __init__(self, out_root: Path, month: str) -> None:
        self.path = out_root / f".lock-{month}"
        self.month = month
        self.fd: int | None = None

    def acquire(self, *, wait: float = 0.0) -> None:
        import fcntl

        deadline = time.monotonic() + max(0.0, wait)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise Busy(f"another run of {self.month} is in progress (pid {holder}) in "
                               f"{self.path.parent}; wait for it to finish (or use --wait SECONDS)"
                               ) from None
                time.sleep(0.5)
                continue
            try:  # the file we locked may have been removed by a holder that just released it
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            self.fd = fd
            return

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink()
        except OSError:
            pass
        os.close(self.fd)  # closing releases the flock
        self.fd = None


class Interrupted(BaseException):  # noqa: N818 - like KeyboardInterrupt, not an error of the run
    """SIGINT or SIGTERM arrived: the run stops, its kernels are shut down, nothing is published."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Stop:
    """Signal state of one run: the first SIGINT/SIGTERM raises :class:`Interrupted` in the main
    thread (later ones are ignored while the run cleans up); inside :meth:`critical` (the publishing
    renames) the signal waits until the section ends."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum: int | None = None
        self._critical = False
        self._pending: int | None = None

    def handler(self, signum, _frame) -> None:
        if self.signum is not None or self._pending is not None:
            return
        if self._critical:
            self._pending = signum
            return
        self.signum = signum
        self.event.set()
        raise Interrupted(signum)

    def critical(self):
        stop = self

        class _Section:
            def __enter__(self_inner):
                stop._critical = True

            def __exit__(self_inner, *exc):
                stop._critical = False
                if stop._pending is not None and exc[0] is None:
                    signum, stop._pending = stop._pending, None
                    stop.handler(signum, None)
                return False

        return _Section()

    def install(self) -> dict:
        if threading.current_thread() is not threading.main_thread():
            return {}
        return {sig: signal.signal(sig, self.handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def _children() -> set[int]:
    import psutil

    try:
        return {p.pid for p in psutil.Process().children(recursive=True)}
    except psutil.Error:
        return set()


def _stop_children(before: set[int]) -> None:
    """Shut down the processes this run started (kernels, the PDF browser): TERM, then KILL."""
    import psutil

    try:
        procs = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    except psutil.Error:
        return
    for p in procs:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=3)
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass


class _Jobs:
    """Tasks on ``jobs`` threads, the lowest ``priority`` first among those that may start.

    A task given ``after=future`` waits until that future is done: the scorecards are queued at the
    start and begin as soon as the performance review that writes their per-rep tables is done, on
    any thread the other notebooks leave free, instead of after the whole pack. On an interrupt (or
    any error while waiting) queued tasks never start and running kernels are shut down before the
    interrupt goes on.

    A task given ``then=`` has a second stage: ``then(result)`` runs on one finishing thread and its
    return value is the task's result. The job thread takes its next task at once, so a notebook's
    page is exported while the next notebook already runs in the kernel the first one released (the
    kernel no longer waits for the export). A task's future is done only when both stages are.
    """

    def __init__(self, jobs: int, stop: _Stop, before: set[int]) -> None:
        self._queue: list[tuple[int, int, Future, Callable, tuple, Future | None,
                                Callable | None]] = []
        self._cond = threading.Condition()
        self._closed = False
        self._stop, self._before = stop, before
        self._futures: list[Future] = []
        # one thread for every task's second stage (the HTML export is Python: more threads would
        # only share the GIL), started on first use
        self._finisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="salesnb-finish")
        self._threads = [threading.Thread(target=self._work, name=f"salesnb-job-{i}", daemon=True)
                         for i in range(max(1, int(jobs)))]
        for th in self._threads:
            th.start()

    def add(self, priority: int, fn: Callable, *args, after: Future | None = None,
            then: Callable[[Any], Any] | None = None) -> Future:
        f: Future = Future()
        with self._cond:
            bisect.insort(self._queue, (priority, len(self._futures), f, fn, args, after, then),
                          key=lambda x: x[:2])
            self._futures.append(f)
            self._cond.notify_all()
        if after is not None:
            after.add_done_callback(lambda _: self._wake())
        return f

    def _wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _next(self):
        for i, task in enumerate(self._queue):
            if task[5] is None or task[5].done():
                return self._queue.pop(i)
        return None

    def _work(self) -> None:
        while True:
            with self._cond:
                task = self._next()
                while task is None:
                    if self._closed:
                        return
                    self._cond.wait()
                    task = self._next()
            _, _, f, fn, args, _, then = task
            if f.set_running_or_notify_cancel():
                try:
                    result = fn(*args)
                except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                    self._abort()  # nothing queued starts after an error
                    f.set_exception(exc)
                else:
                    if then is None:
                        f.set_result(result)
                    else:
                        self._then(f, then, result)
            self._wake()

    def _then(self, f: Future, then: Callable[[Any], Any], result: Any) -> None:
        """Run a task's second stage on the finishing thread; ``f`` gets its result."""

        def stage() -> None:
            try:
                f.set_result(then(result))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                self._abort()
                f.set_exception(exc)
            self._wake()

        try:
            self._finisher.submit(stage)
        except RuntimeError:  # the finisher is shut down (closing): finish on this thread
            stage()

    def _abort(self) -> None:
        self._stop.event.set()
        with self._cond:
            for task in self._queue:
                task[2].cancel()
            self._queue.clear()
            self._cond.notify_all()

    def results(self, futures: Sequence[Future]) -> list:
        """The results of ``futures`` in their order (see the class for interrupts)."""
        try:
            return [f.result() for f in futures]
        except BaseException:
            self._abort()
            while True:
                _stop_children(self._before)
                _, pending = wait([f for f in self._futures if not f.cancelled()], timeout=1)
                if not pending:
                    break
            raise

    def close(self, *, abort: bool = False) -> None:
        """Cancel what never started and wait for the threads. ``abort`` (an error or an interrupt
        is on its way): also tell running tasks to stop and shut their kernels down meanwhile."""
        with self._cond:
            self._closed = True
            for task in self._queue:
                task[2].cancel()
            self._queue.clear()
            self._cond.notify_all()
        if abort:
            self._stop.event.set()
        while any(th.is_alive() for th in self._threads):
            if abort:
                _stop_children(self._before)
            for th in self._threads:
                th.join(timeout=1)
        # every second stage already handed over still runs (a future never stays pending)
        self._finisher.shutdown(wait=True)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _merge(build: Path, target: Path, ran: set[str], scorecards_ran: bool,
           say: Callable[[str], None]) -> tuple[list[dict], list[dict], list[dict]]:
    """Carry into ``build`` what the published month holds of the notebooks this run did not rerun.

    Returns their manifest entries, the index sections and the scorecard entries kept. Only files the
    earlier manifest names are carried over (its pages, results and artefacts); a partial run
    (``--only``) so replaces the notebooks it ran and keeps every other report of the month.
    """
    old = _manifest(target) if ours(target) else None
    if not old:
        return [], [], []
    kept = []
    for nb in old["notebooks"]:
        name = nb.get("name") if isinstance(nb, dict) else None
        if not isinstance(name, str) or name in ran or safe_name(name) != name:
            continue
        files = {f"{name}.ipynb", f"{name}.html", f"{name}.results.json",
                 *[a for a in nb.get("artifacts", []) if isinstance(a, str)]}
        for f in sorted(files):
            src = target / f
            if safe_name(f) == f and src.is_file() and not src.is_symlink() \
                    and not (build / f).exists():
                _link_or_copy(src, confined(build, f))
        kept.append({"data_fingerprint": old.get("data_fingerprint"),
                     "run_started": old.get("started"), **nb})
    sections, cards = [], []
    if not scorecards_ran and (target / "reps").is_dir() and not (build / "reps").exists():
        shutil.copytree(target / "reps", build / "reps", copy_function=_link_or_copy,
                        symlinks=True)
        sections = [s for s in old.get("sections", []) if isinstance(s, dict)]
        cards = [c for c in old.get("scorecards", []) if isinstance(c, dict)]
    if kept:
        say(f"kept from the published {target.name}: {', '.join(nb['name'] for nb in kept)}")
    return kept, sections, cards


def _order(name: str) -> tuple[int, str]:
    return (0 if name == SUMMARY else 1 if _PACK.match(name) else 2, name)


def _source_folders(source: str, ds) -> list[Path]:
    """Folders the data is read from (for the --out checks); none for a database."""
    out = []
    if "://" not in source and not source.startswith("demo"):
        out.append(Path(source).expanduser())
    for v in getattr(ds, "origin", {}).values():
        p = Path(str(v))
        if "://" not in str(v) and p.exists():
            out.append(p.parent if p.is_file() else p)
    return out


def _check_out_vs_source(out_root: Path, folders: Sequence[Path]) -> None:
    o = out_root.expanduser().resolve()
    for s in {f.resolve() for f in folders}:
        if o == s or s in o.parents:
            raise config.ParamError(f"--out {out_root} is inside the source folder {s}: reports "
                                    "are never written into the data; choose another --out")
        if o in s.parents:
            raise config.ParamError(f"--out {out_root} holds the source folder {s}: publishing "
                                    "could replace the data; choose a reports folder outside it")


def _data_range(ds) -> tuple[str, str]:
    """First and last month of the orders (YYYY-MM)."""
    import pandas as pd

    return str(pd.Timestamp(ds.first_order_date).to_period("M")), str(ds.as_of.to_period("M"))


def run(
    month: str = "auto",
    *,
    params_files: Sequence[str | Path] = (),
    overrides: Sequence[str] = (),
    only: Sequence[str] = (),
    jobs: int = 1,
    out: str | Path | None = None,
    notebooks_dir: str | Path | None = None,
    params_dir: str | Path | None = None,
    timeout: int = 1200,
    fail_on: str | None = None,
    scorecards: bool | Sequence[str] = False,
    pdf: bool = False,
    wait: float = 0.0,
    fresh_kernels: bool | None = None,
    progress: Callable[[str], None] = print,
) -> RunResult:
    """Run the monthly pack and publish it. Returns a :class:`RunResult` (exit code inside).

    Parameters
    ----------
    month : str
        ``"YYYY-MM"`` or ``"auto"`` (the last complete month of the data).
    params_files, overrides : sequences
        Extra parameter files and ``key=value`` overrides, on top of ``params/defaults.yaml`` and
        ``params/<month>.yaml``.
    only : sequence of str
        Run only these notebooks (``00_data_overview`` or ``data_overview``); the month's other
        published reports are kept (the run merges into the month).
    jobs : int
        Notebooks executed at once.
    out : path, optional
        Reports folder (default ``reports/`` of the project).
    fail_on : {"critical", "warning"}, optional
        Exit non-zero when the published alerts reach this severity.
    scorecards : bool or sequence of str
        Also run ``rep_scorecard`` for every active rep (``True``) or for the given rep ids into
        ``reps/<rep_id>.html`` (the file name made safe by :func:`safe_name`).
    pdf : bool
        Also print the leadership pack to PDF with headless Chromium.
    wait : float
        Seconds to wait for another run of the same month to finish (default: refuse at once with
        :data:`EXIT_BUSY`).
    fresh_kernels : bool, optional
        ``True``: a new kernel for every notebook (for debugging); ``False``: warm kernels reused
        across notebooks (:mod:`salesnb.report.kernels`); None (default): warm unless the
        environment sets ``SALESNB_FRESH_KERNELS=1``.

    Every message passes through :func:`salesnb.secrets.redact`. SIGINT and SIGTERM stop the run
    promptly (kernels shut down, the build folder removed, exit 130 or 143), the published report
    untouched.
    """
    def say(msg: str) -> None:
        progress(redact(msg))

    stop = _Stop()
    previous = stop.install()
    state: dict[str, Any] = {}
    try:
        return _run(month, params_files=params_files, overrides=overrides, only=only, jobs=jobs,
                    out=out, notebooks_dir=notebooks_dir, params_dir=params_dir, timeout=timeout,
                    fail_on=fail_on, scorecards=scorecards, pdf=pdf, wait=wait, say=say,
                    stop=stop, state=state, fresh_kernels=fresh_kernels)
    except Interrupted as exc:
        code = EXIT_SIGINT if exc.signum == signal.SIGINT else EXIT_SIGTERM
        where = state.get("target")
        msg = (f"interrupted ({exc}): kernels stopped, nothing published"
               + (f"; {where} is untouched" if where is not None and Path(where).exists() else ""))
        say(msg)
        return RunResult(code, month=state.get("month", ""), message=msg)
    finally:
        if state.get("pool") is not None:  # no kernel outlives the run, however it ended
            state["pool"].close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _run(month, *, params_files, overrides, only, jobs, out, notebooks_dir, params_dir, timeout,
         fail_on, scorecards, pdf, wait, say, stop: _Stop, state: dict,
         fresh_kernels: bool | None = None) -> RunResult:
    root = project_root()
    # every path absolute from the start: nothing the run reads or writes depends on the working
    # folder after this line (the kernels work in the notebooks' folder)
    nb_dir = (Path(notebooks_dir).expanduser() if notebooks_dir else root / "notebooks").absolute()
    p_dir = (Path(params_dir).expanduser() if params_dir else root / "params").absolute()
    out_root = (Path(out).expanduser() if out else root / "reports").absolute()
    params_files = [Path(f).expanduser().absolute() for f in params_files]
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # one BLAS thread per kernel: the analytics do many small matrix operations, and several
    # kernels each spinning a thread pool on a small machine run many times slower (measured:
    # 03_market_trends 10 s alone, 66 s beside another kernel with default BLAS threads)
    for var in BLAS_THREADS_ENV:
        os.environ.setdefault(var, "1")
    started = _dt.datetime.now(_dt.UTC)

    # 1. parameters, checked before any kernel starts
    try:
        if month not in ("", "auto") and not config.MONTH.match(month):
            raise config.ParamError(f"--month must look like YYYY-MM or be 'auto', got {month!r}")
        if not 1 <= int(jobs) <= 64:
            raise config.ParamError(f"--jobs must be between 1 and 64, got {jobs}")
        if not 1 <= int(timeout) <= 7 * 24 * 3600:
            raise config.ParamError(f"--timeout must be between 1 and 604800 seconds, got {timeout}")
        if out_root.exists() and not out_root.is_dir():
            raise config.ParamError(f"--out {out_root} is a file, not a folder: give the folder "
                                    "the reports go to (default reports/)")
        nbs = discover(nb_dir, only)
        if not nbs:
            raise config.ParamError(f"no notebooks to run in {nb_dir}")
        declared = {p.stem: config.notebook_parameters(p) for p in nbs}
        if scorecards and (nb_dir / f"{SCORECARD}.ipynb").exists():  # e.g. its lang and plan
            declared[SCORECARD] = config.notebook_parameters(nb_dir / f"{SCORECARD}.ipynb")
        values, origin = config.layered(month=month, params_dir=p_dir, files=list(params_files),
                                        overrides=list(overrides))
        values.setdefault("source", "demo")
        origin.setdefault("source", "default")
        # the kernels work in the notebooks' folder: a relative source must name the same data there
        values["source"] = absolute_spec(values["source"])
        per_nb = config.resolve(values, origin, declared)
        if scorecards and scorecards is not True:
            for r in scorecards:
                config.check_credentials(r, "--scorecards")
    except config.ParamError as exc:
        say(f"parameter error: {exc}")
        return RunResult(EXIT_PARAMS, message=redact(exc))

    # warm kernels start now, importing the stack while the data is opened and validated (a run
    # that stops on its data shuts them down: run() closes the pool whatever happens)
    state["before"] = _children()
    fresh = kernels.fresh_kernels_requested() if fresh_kernels is None else bool(fresh_kernels)
    if not fresh:
        uses = [*nbs, *([Path(nb_dir) / f"{SCORECARD}.ipynb"] if scorecards else [])]
        state["pool"] = kernels.KernelPool(jobs, cwd=Path(nb_dir).resolve(),
                                           extra_arguments=KERNEL_ARGS,
                                           imports=kernels.imports_for(uses))
        state["pool"].prewarm(min(int(jobs), len(nbs) + (int(jobs) if scorecards else 0)))

    # 2. the data: open, validate (errors stop the run), resolve the month
    source = str(values["source"])
    try:
        say(f"data: opening {redact(source)}")
        ds = open_source(source, progress=lambda m: say(f"data: {m}")).configure(
            as_of=values.get("as_of"), reporting_currency=values.get("reporting_currency"))
        if ds.has("orders") and ds.table("orders").count().execute() == 0:
            where = getattr(ds, "origin", {}).get("orders", "orders")
            raise DataError(f"{where}: the orders table has no rows; there is nothing to report "
                            "(check the export that wrote it)")
        problems = validate(ds)
    except Exception as exc:  # noqa: BLE001 - any failure to read the data stops the run
        say(f"data error: {exc}")
        return RunResult(EXIT_DATA, message=redact(exc))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        say(f"data: {len(errors)} validation error(s); no notebook was run:")
        for p in errors:
            say(f"  {p}")
        return RunResult(EXIT_DATA, message=redact("\n".join(map(str, errors))))
    try:
        m = resolve_month(ds, month if month else "auto",
                          complete=values.get("month_complete") or "last_day")
        lo, hi = _data_range(ds)
        fingerprint = ds.fingerprint()
    except Exception as exc:  # noqa: BLE001 - e.g. no valid order date at all
        say(f"data error: {exc}")
        return RunResult(EXIT_DATA, message=redact(exc))
    state["month"] = m
    try:
        if not lo <= m <= hi:
            raise config.ParamError(f"month {m} is outside the data: the data covers {lo}..{hi} "
                                    f"(orders in {source})")
        _check_out_vs_source(out_root, _source_folders(source, ds))
        for name in (m, f"{m}-failed"):
            if (out_root / name).exists() and not ours(out_root / name):
                raise config.ParamError(
                    f"{out_root / name} exists and is not a salesnb report (it has no salesnb "
                    "manifest.json); salesnb replaces only its own reports: move it or choose "
                    "another --out")
    except config.ParamError as exc:
        say(f"parameter error: {exc}")
        return RunResult(EXIT_PARAMS, month=m, message=redact(exc))
    say(f"data: {len(ds.tables)} tables, as of {ds.as_of.date()}, "
        f"{len(problems)} warning(s); month {m}")

    # 3. one run per month: lock, clean what killed runs left, execute into a build folder
    lock = MonthLock(out_root, m)
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        lock.acquire(wait=wait)
    except Busy as exc:
        say(str(exc))
        return RunResult(EXIT_BUSY, month=m, message=str(exc))
    except OSError as exc:
        msg = f"--out {out_root}: cannot write the reports there ({exc.strerror or exc})"
        say(f"parameter error: {msg}")
        return RunResult(EXIT_PARAMS, month=m, message=msg)
    state["target"] = out_root / m
    build: Path | None = None
    try:
        _clean_stale(out_root, m, say)
        try:
            build = Path(tempfile.mkdtemp(prefix=f".build-{m}-", dir=out_root))
        except OSError as exc:
            msg = f"--out {out_root}: cannot write the reports there ({exc.strerror or exc})"
            say(f"parameter error: {msg}")
            return RunResult(EXIT_PARAMS, month=m, message=msg)
        return _execute_and_publish(
            build, nbs=nbs, nb_dir=nb_dir, declared=declared, per_nb=per_nb, values=values,
            ds=ds, m=m, problems=problems, fingerprint=fingerprint, source=source,
            started=started, out_root=out_root, root=root, jobs=jobs, timeout=timeout,
            fail_on=fail_on, scorecards=scorecards, pdf=pdf, only=only, say=say, stop=stop,
            pool=state.get("pool"), before=state["before"])
    finally:
        if build is not None and build.exists():
            _rmtree(build)
        lock.release()


def _execute_and_publish(build: Path, *, nbs, nb_dir, declared, per_nb, values, ds, m, problems,
                         fingerprint, source, started, out_root, root, jobs, timeout, fail_on,
                         scorecards, pdf, only, say, stop: _Stop,
                         pool: kernels.KernelPool | None, before: set[int]) -> RunResult:
    """Execute the notebooks (in ``pool``'s warm kernels, each reused and reset notebook after
    notebook, or a fresh kernel each when ``pool`` is None) and publish the month."""
    validate_mod.save(problems, build, fingerprint=fingerprint["sha256"])
    results: dict[str, NotebookResult] = {}
    fresh = pool is None
    # the BI extracts are written notebook by notebook, beside the notebooks still running
    extracts = deliver_hooks.start_extracts(build, month=m, progress=say)

    def one(nb_path: Path, extra: dict[str, Any] | None = None, dest: Path = build,
            name: str | None = None) -> tuple[NotebookResult, Path, Path]:
        """Execute one notebook (on a job thread; its kernel is released at the end)."""
        name = name or nb_path.stem
        if stop.event.is_set():  # interrupted: queued notebooks never start a kernel
            return NotebookResult(name=name, status="cancelled"), nb_path, dest
        declared_nb = declared.get(nb_path.stem) or config.notebook_parameters(nb_path)
        params = dict(per_nb.get(nb_path.stem, {}))
        auto = {"month": m, "output_dir": str(dest.resolve()), **(extra or {})}
        params.update({k: v for k, v in auto.items() if k in declared_nb})
        out_nb = confined(dest, f"{name}.ipynb")
        return _execute(nb_path, out_nb, params, cwd=nb_dir, timeout=timeout, pool=pool), nb_path, dest

    def page(ran: tuple[NotebookResult, Path, Path]) -> NotebookResult:
        """Its results and page (on the finishing thread, while the next notebook runs)."""
        res, nb_path, dest = ran
        if res.status == "cancelled":
            return res
        _finish(res, dest, nb_path, m)
        if extracts is not None and dest == build:  # its results are final: extract them now
            extracts.add(res.name)
        if stop.event.is_set():  # its kernel was stopped by the interrupt: not a failure to report
            res.status = "cancelled"
            return res
        mark = "ok" if res.status == "ok" else "FAILED"
        say(f"  {mark:<7}{res.name:<32}{res.seconds:7.1f} s"
            + (f"  {res.error}" if res.status != "ok" else ""))
        return res

    main = [p for p in nbs if p.stem != SUMMARY]
    say(f"running {len(nbs)} notebook(s) with {jobs} job(s) into {out_root / m}"
        + (" (a fresh kernel each)" if fresh else ""))
    sections, cards, kept = [], [], []
    queue = _Jobs(jobs, stop, before)
    try:
        main = start_order(main, out_root)  # longest first
        futures = [queue.add(0, one, p, then=page) for p in main]
        if scorecards:  # queued now; each starts once the tables it reads are written
            plan = _scorecard_plan(nb_dir, build, ds, m, say,
                                   None if scorecards is True else list(scorecards),
                                   idle_months=_idle_months(values))
            gate = next((f for p, f in zip(main, futures, strict=True) if p.stem == CARDS_AFTER), None)
            card_futures = [queue.add(2, one, plan.nb, {"rep_id": r}, plan.dest, plan.files[str(r)],
                                      after=gate, then=page) for r in plan.ids]
        for r in queue.results(futures):
            results[r.name] = r
        for p in nbs:
            if p.stem == SUMMARY:  # reads what the others published, so it runs after them
                results[p.stem] = queue.results([queue.add(1, one, p, then=page)])[0]
        # the notebooks' results are complete: the BI extracts are finished while scorecards run
        kept, kept_sections, kept_cards = _merge(build, out_root / m, {r.name for r in results.values()},
                                                 bool(scorecards), say)
        deliver_hooks.finish_extracts(extracts, progress=say)
        if scorecards:
            section, cards = _scorecard_entries(plan, queue.results(card_futures), lang=_lang(values))
            sections.append(section)
        else:
            sections, cards = kept_sections, kept_cards
    finally:  # an exception on its way (e.g. an interrupt while planning the scorecards) stops all
        queue.close(abort=sys.exc_info()[1] is not None)
        if extracts is not None:  # finished above, or stopped here (hyperd shut down)
            extracts.close()
        if pool is not None:  # no kernel outlives the notebooks (nor an interrupted run)
            pool.close()
    ran = [results[p.stem] for p in nbs]

    # 4. manifest and index (the published month's other notebooks were merged in above)
    target = out_root / m
    failed = [r for r in ran if r.status != "ok"]
    failed_cards = [c for c in cards if c.get("status") != "ok"] if scorecards else []
    entries = [
        {"name": r.name, "title": r.title, "status": r.status, "seconds": round(r.seconds, 2),
         "error": r.error, "params": r.params, "artifacts": r.artifacts,
         "data_fingerprint": fingerprint["sha256"], "run_started": started.isoformat(timespec="seconds")}
        for r in ran
    ] + kept
    entries.sort(key=lambda e: _order(e["name"]))
    manifest = {
        "month": m,
        "lang": _lang(values),
        "status": "ok" if all(e.get("status") == "ok" for e in entries + cards) else "failed",
        "source": redact(source),
        "as_of": str(ds.as_of.date()),
        "data_fingerprint": fingerprint["sha256"],
        "data_tables": fingerprint["tables"],
        "validation_warnings": [p.as_dict() for p in problems],
        "started": started.isoformat(timespec="seconds"),
        "finished": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(root),
        "packages": _versions(),
        "jobs": jobs,
        "only": list(only),
        "notebooks": entries,
        "sections": [s for s in sections if s],
        "scorecards": cards,
        "scorecards_skipped": [x for sec in sections if sec for x in sec.get("skipped", [])],
    }
    text = redact(json.dumps(manifest, indent=1, ensure_ascii=False, default=str))
    (build / "manifest.json").write_text(text + "\n", encoding="utf-8")
    manifest = json.loads(text)
    (build / "index.html").write_text(report_html.index_page(manifest), encoding="utf-8")
    try:
        from salesnb.report import pack
    except ImportError:  # the leadership pack module is optional
        pack = None
    if pack is not None:
        try:
            pack.build_pack(build, manifest, pdf=pdf)
        except Exception as exc:  # noqa: BLE001 - the pack is a convenience; the pages stand alone
            say(f"leadership pack failed: {type(exc).__name__}: {exc}")

    # 5. publish: never replace a good report of the month by a failed run
    if (failed or failed_cards) and _good(target):
        target = out_root / f"{m}-failed"
        say(f"kept the good report in {out_root / m}; this failed run is in {target}")
    deliver_hooks.before_publish(build, month=m, progress=say)
    _readable(build)
    with stop.critical():
        _swap(build, target)
    deliver_hooks.after_publish(out_root, progress=say)
    code = EXIT_FAILED if failed or failed_cards else EXIT_OK
    if failed_cards:
        say(f"scorecards failed: {', '.join(str(c.get('rep_id')) for c in failed_cards)}")
    if not (failed or failed_cards) and fail_on:
        code = _alert_exit(target, fail_on, say)
    say(f"{'published' if code != EXIT_FAILED else 'published with failures'}: "
        f"{target / 'index.html'}")
    return RunResult(code, month=m, path=target, notebooks=ran)


def _alert_exit(folder: Path, fail_on: str, progress) -> int:
    """EXIT_ALERTS when an alerts file of the run holds an alert at or above ``fail_on``."""
    level = SEVERITY_ORDER[fail_on]
    hits = []
    for f in sorted(folder.glob("*.alerts.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        alerts = data.get("alerts", data) if isinstance(data, dict) else data
        hits += [a for a in alerts if SEVERITY_ORDER.get(a.get("severity"), 0) >= level]
    if hits:
        progress(f"--fail-on {fail_on}: {len(hits)} alert(s) at or above {fail_on}")
        for a in hits[:10]:
            progress(f"  [{a.get('severity')}] {a.get('message', a.get('id'))}")
        return EXIT_ALERTS
    return EXIT_OK


@dataclass
class _CardPlan:
    """The scorecards of a run: the notebook, the active reps, their file names, the folder, and
    the reps left without one (idle in the window) with the reason."""

    nb: Path
    ids: list
    files: dict[str, str]
    names: dict
    dest: Path
    idle: list = field(default_factory=list)
    idle_months: int = 12
    month: str = ""


#: months before the report month's end in which a rep must have an order or a live deal to get a
#: scorecard (the scorecard's revenue window; a longer ``funnel_months`` widens it)
IDLE_MONTHS = 12


def _idle_reps(ds, ids: list, month: str, months: int) -> list:
    """The reps of ``ids`` with no order and no live deal in the ``months`` months to ``month``."""
    import pandas as pd

    from salesnb.data.extract import as_date
    from salesnb.roster import idle_reps

    end = _month_end(month)
    start = (pd.Period(month, freq="M") - (months - 1)).to_timestamp()
    orders = opps = None
    if ds.has("orders", "rep_id", "order_date"):
        t = ds.table("orders")
        t = t.filter((t.order_date >= as_date(start)) & (t.order_date <= as_date(end)))
        orders = t.group_by("rep_id").aggregate(order_date=t.order_date.max()).execute()
    cols = ("rep_id", "created_date", "close_date", "status")
    if ds.has("opportunities", *cols):
        # one row per rep and status, in the engine: the earliest creation and the latest close
        # (a missing close date counts as the window's end: the rule calls such a deal live)
        import ibis

        t = ds.table("opportunities")
        t = t.filter((t.created_date <= as_date(end)) | (t.created_date.isnull() & (t.status == "open")))
        opps = t.group_by(["rep_id", "status"]).aggregate(
            created_date=t.created_date.min(),
            close_date=ibis.coalesce(t.close_date, ibis.literal(as_date(end))).max()).execute()
    return idle_reps(ids, orders=orders, opportunities=opps, start=start, end=end)


def _scorecard_plan(nb_dir: Path, build: Path, ds, month: str, progress,
                    wanted: list[str] | None = None, *, idle_months: int = IDLE_MONTHS) -> _CardPlan:
    """One rep scorecard per active rep (or per rep of ``wanted``), into ``reps/``.

    A file name is made from the rep id by :func:`safe_name` and confined to ``reps/``: a rep id is
    data, not a path. A rep with no order and no live deal in the ``idle_months`` months to the
    report month gets none (a page of empty sections); the plan lists them for the index.
    """
    nb = nb_dir / f"{SCORECARD}.ipynb"
    dest = build / "reps"
    if not nb.exists() or not ds.has("reps"):
        progress("scorecards: skipped (no rep_scorecard notebook or no reps table)")
        return _CardPlan(nb, [], {}, {}, dest)
    from salesnb.roster import active_reps

    reps = ds.table("reps").execute()
    active = active_reps(reps, as_of=_month_end(month))
    ids = list(active["rep_id"]) if hasattr(active, "columns") else list(active)
    if wanted:
        unknown = sorted(set(wanted) - set(map(str, ids)))
        if unknown:
            progress(f"scorecards: not active in {month}, skipped: {', '.join(unknown)}")
        ids = [r for r in ids if str(r) in set(wanted)]
    idle = _idle_reps(ds, ids, month, idle_months)
    ids = [r for r in ids if r not in set(idle)]
    dest.mkdir()
    # two ids can never share a file: safe_name adds a hash when it changes one
    files = {str(r): safe_name(r) for r in ids}
    progress(f"scorecards: {len(ids)} active reps")
    if idle:
        progress(f"scorecards: no scorecard for {', '.join(map(str, idle))} (no order and no deal "
                 f"in the {idle_months} months to {month})")
    names = dict(zip(reps["rep_id"], reps.get("name", reps["rep_id"]), strict=False))
    return _CardPlan(nb, ids, files, names, dest, idle, idle_months, month)


def _scorecard_entries(plan: _CardPlan, done: Sequence[NotebookResult], *,
                       lang: str = "en") -> tuple[dict, list[dict]]:
    """The index section and one manifest entry per scorecard of ``plan`` (``done`` in its order)."""
    if not plan.ids and not plan.idle:
        return {}, []
    cards = [{"rep_id": str(r), "name": f"reps/{res.name}.html", "status": res.status,
              "seconds": round(res.seconds, 2), "error": res.error}
             for r, res in zip(plan.ids, done, strict=True)]
    section = {"title": t("idx.scorecards", lang),
               "links": [(_rep_label(plan.names, r) + ("" if res.status == "ok"
                          else f" — {t('status.failed', lang)}"), f"reps/{res.name}.html")
                         for r, res in zip(plan.ids, done, strict=True)]}
    if plan.idle:
        reason = t("idx.idle_reason", lang, months=plan.idle_months, month=plan.month)
        section["skipped"] = [{"rep_id": str(r), "name": str(plan.names.get(r, r)), "reason": reason}
                              for r in plan.idle]
        section["note"] = t("idx.no_scorecard", lang, n=len(plan.idle), reason=reason,
                            reps=listing(_rep_label(plan.names, r) for r in plan.idle))
    return section, cards


def _rep_label(names: dict, rep) -> str:
    """"name (id)", or just the name when the rep is keyed by its name (e.g. a CRM export)."""
    name = str(names.get(rep, rep))
    return name if name == str(rep) else f"{name} ({rep})"


def _idle_months(values: dict[str, Any]) -> int:
    """:data:`IDLE_MONTHS`, or the run's ``funnel_months`` when longer."""
    try:
        return max(IDLE_MONTHS, int(values.get("funnel_months") or 0))
    except (TypeError, ValueError):
        return IDLE_MONTHS


def _month_end(month: str):
    import pandas as pd

    return pd.Period(month, freq="M").to_timestamp(how="end").normalize()
