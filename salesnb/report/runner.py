"""Run the monthly pack: validate, execute every notebook with papermill, export, publish atomically.

``salesnb run --month 2026-10`` → ``reports/2026-10/`` with, per notebook, the executed ``.ipynb``, a
code-free ``.html``, ``.results.json`` (the figures it published), plus ``index.html`` and
``manifest.json``. The pack is built in a temporary folder beside the target and swapped in at the end.
A failed notebook keeps its executed copy and gets an error page; the others still publish; the exit
code is non-zero; and a good earlier report of the same month is never replaced by a failed rerun (the
failed run goes to ``reports/<month>-failed/`` instead).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat

from salesnb import config
from salesnb.context import RESULT_MIME, project_root, resolve_month
from salesnb.data import validate as validate_mod
from salesnb.data.sources import open_source, redact
from salesnb.data.validate import validate
from salesnb.deliver import hooks as deliver_hooks
from salesnb.i18n import normalise, t
from salesnb.report import html as report_html

SUMMARY = "executive_summary"
SCORECARD = "rep_scorecard"
_PACK = re.compile(r"^\d\d_[\w-]+$")
PACKAGES = ("salesnb", "pandas", "numpy", "statsmodels", "scipy", "seaborn", "matplotlib",
            "ibis-framework", "duckdb", "sqlglot", "papermill", "nbconvert", "scikit-learn")

EXIT_OK, EXIT_FAILED, EXIT_DATA, EXIT_PARAMS, EXIT_ALERTS = 0, 1, 2, 3, 4


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


def _title(nb_path: Path, lang: str = "en") -> str:
    """The page title: the first ``# `` heading of the notebook's Markdown, in ``lang``."""
    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in report_html.markdown_text(cell, lang).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return nb_path.stem


def _lang(params: dict[str, Any]) -> str:
    try:
        return normalise(params.get("lang"))
    except ValueError:
        return "en"


def collect_results(nb_path: Path) -> dict[str, Any]:
    """The figures a notebook published (``sn.publish``), read from its executed copy."""
    nb = nbformat.read(nb_path, as_version=4)
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
             timeout: int) -> NotebookResult:
    import papermill as pm

    res = NotebookResult(name=out_nb.stem, params=params)
    t0 = time.perf_counter()
    try:
        pm.execute_notebook(
            str(nb_path), str(out_nb), parameters=params, kernel_name="python3", language="python",
            cwd=str(cwd),
            start_timeout=180, execution_timeout=timeout, progress_bar=False, log_output=False,
            # keep the kernel's own start-up chatter (e.g. "running over TCP without encryption",
            # which is about loopback sockets, or an interrupt at shut-down) out of the scheduler's
            # log; a failing cell or a dying kernel is still reported by papermill
            extra_arguments=["--log-level=CRITICAL"],
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
    res.seconds = time.perf_counter() - t0
    return res


def _finish(res: NotebookResult, build: Path, nb_path: Path, month: str) -> None:
    """Write results.json and the HTML page (or the error page) for one executed notebook."""
    out_nb = build / f"{res.name}.ipynb"
    res.title = _title(nb_path, _lang(res.params))
    source = ""
    if out_nb.exists():
        res.results = collect_results(out_nb)
        own = {f"{res.name}.ipynb", f"{res.name}.html", f"{res.name}.results.json"}
        res.artifacts = sorted(p.name for p in build.glob(f"{res.name}.*")
                               if p.is_file() and p.name not in own)
        if res.status != "ok":
            # papermill puts an error banner cell on top, so find the failing cell by its output
            nb = nbformat.read(out_nb, as_version=4)
            for cell in nb.cells:
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
                                         title=f"{res.title} — {month}")
        except Exception as exc:  # noqa: BLE001 - an export failure fails that report only
            res.status, res.ename, res.evalue = "failed", type(exc).__name__, str(exc)
            res.error = f"HTML export failed: {exc}"
    if res.status != "ok":
        (build / f"{res.name}.html").write_text(report_html.error_page(
            res.name, cell_index=res.cell_index, ename=res.ename, evalue=res.evalue, source=source),
            encoding="utf-8")


def _good(folder: Path) -> bool:
    try:
        return json.loads((folder / "manifest.json").read_text())["status"] == "ok"
    except (OSError, ValueError, KeyError):
        return False


def _readable(folder: Path) -> None:
    """The build folder comes from mkdtemp (mode 0700): publish it readable like any new folder."""
    umask = os.umask(0)
    os.umask(umask)
    for d in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        d.chmod(0o777 & ~umask)


def _swap(build: Path, target: Path) -> None:
    """Replace ``target`` by ``build`` with two renames on the same file system."""
    old = None
    if target.exists():
        old = target.with_name(f".old-{target.name}-{os.getpid()}-{time.time_ns()}")
        target.rename(old)
    build.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
        Run only these notebooks (``00_data_overview`` or ``data_overview``).
    jobs : int
        Notebooks executed at once.
    out : path, optional
        Reports folder (default ``reports/`` of the project).
    fail_on : {"critical", "warning"}, optional
        Exit non-zero when the published alerts reach this severity.
    scorecards : bool or sequence of str
        Also run ``rep_scorecard`` for every active rep (``True``) or for the given rep ids into
        ``reps/<rep_id>.html``.
    pdf : bool
        Also print the leadership pack to PDF with headless Chromium.
    """
    root = project_root()
    nb_dir = Path(notebooks_dir) if notebooks_dir else root / "notebooks"
    p_dir = Path(params_dir) if params_dir else root / "params"
    out_root = Path(out) if out else root / "reports"
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # one BLAS thread per kernel: the analytics do many small matrix operations, and several
    # kernels each spinning a thread pool on a small machine run many times slower (measured:
    # 03_market_trends 10 s alone, 66 s beside another kernel with default BLAS threads)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    started = _dt.datetime.now(_dt.UTC)

    # 1. parameters, checked before any kernel starts
    try:
        if month not in ("", "auto") and not config.MONTH.match(month):
            raise config.ParamError(f"--month must look like YYYY-MM or be 'auto', got {month!r}")
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
        per_nb = config.resolve(values, origin, declared)
    except config.ParamError as exc:
        progress(f"parameter error: {exc}")
        return RunResult(EXIT_PARAMS, message=str(exc))

    # 2. the data: open, validate (errors stop the run), resolve the month
    source = str(values["source"])
    try:
        progress(f"data: opening {redact(source)}")
        ds = open_source(source, progress=lambda m: progress(f"data: {m}")).configure(
            as_of=values.get("as_of"), reporting_currency=values.get("reporting_currency"))
        problems = validate(ds)
    except Exception as exc:  # noqa: BLE001 - any failure to read the data stops the run
        progress(f"data error: {exc}")
        return RunResult(EXIT_DATA, message=str(exc))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        progress(f"data: {len(errors)} validation error(s); no notebook was run:")
        for p in errors:
            progress(f"  {p}")
        return RunResult(EXIT_DATA, message="\n".join(map(str, errors)))
    m = resolve_month(ds, month if month else "auto",
                      complete=values.get("month_complete") or "last_day")
    fingerprint = ds.fingerprint()
    progress(f"data: {len(ds.tables)} tables, as of {ds.as_of.date()}, "
             f"{len(problems)} warning(s); month {m}")

    # 3. execute into a build folder beside the target
    out_root.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".build-{m}-", dir=out_root))
    validate_mod.save(problems, build, fingerprint=fingerprint["sha256"])
    results: dict[str, NotebookResult] = {}

    def one(nb_path: Path, extra: dict[str, Any] | None = None, dest: Path = build,
            name: str | None = None) -> NotebookResult:
        declared_nb = declared.get(nb_path.stem) or config.notebook_parameters(nb_path)
        params = dict(per_nb.get(nb_path.stem, {}))
        auto = {"month": m, "output_dir": str(dest.resolve()), **(extra or {})}
        params.update({k: v for k, v in auto.items() if k in declared_nb})
        out_nb = dest / f"{name or nb_path.stem}.ipynb"
        res = _execute(nb_path, out_nb, params, cwd=nb_dir, timeout=timeout)
        _finish(res, dest, nb_path, m)
        mark = "ok" if res.status == "ok" else "FAILED"
        progress(f"  {mark:<7}{res.name:<32}{res.seconds:7.1f} s"
                 + (f"  {res.error}" if res.status != "ok" else ""))
        return res

    main = [p for p in nbs if p.stem != SUMMARY]
    progress(f"running {len(nbs)} notebook(s) with {jobs} job(s) into {out_root / m}")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for r in pool.map(one, main):
            results[r.name] = r
    sections = []
    if scorecards:
        wanted = None if scorecards is True else list(scorecards)
        sections.append(_scorecards(nb_dir, build, ds, m, one, progress, jobs, wanted,
                                    lang=_lang(values)))
    for p in nbs:
        if p.stem == SUMMARY:  # reads what the others published, so it runs last
            results[p.stem] = one(p)
    ordered = [results[p.stem] for p in nbs]
    if any(p.stem == SUMMARY for p in nbs):
        ordered = [results[SUMMARY]] + [r for r in ordered if r.name != SUMMARY]

    # 4. manifest and index
    failed = [r for r in ordered if r.status != "ok"]
    manifest = {
        "month": m,
        "lang": _lang(values),
        "status": "ok" if not failed else "failed",
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
        "notebooks": [
            {"name": r.name, "title": r.title, "status": r.status,
             "seconds": round(r.seconds, 2), "error": r.error, "params": r.params,
             "artifacts": r.artifacts}
            for r in ordered
        ],
        "sections": [s for s in sections if s],
    }
    (build / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False,
                                                    default=str) + "\n", encoding="utf-8")
    (build / "index.html").write_text(report_html.index_page(manifest), encoding="utf-8")
    try:
        from salesnb.report import pack
    except ImportError:  # the leadership pack module is optional
        pack = None
    if pack is not None:
        try:
            pack.build_pack(build, manifest, pdf=pdf)
        except Exception as exc:  # noqa: BLE001 - the pack is a convenience; the pages stand alone
            progress(f"leadership pack failed: {type(exc).__name__}: {exc}")

    # 5. publish: never replace a good report of the month by a failed run
    target = out_root / m
    if failed and _good(target):
        target = out_root / f"{m}-failed"
        progress(f"kept the good report in {out_root / m}; this failed run is in {target}")
    deliver_hooks.before_publish(build, month=m, progress=progress)
    _readable(build)
    _swap(build, target)
    deliver_hooks.after_publish(out_root, progress=progress)
    code = EXIT_FAILED if failed else EXIT_OK
    if not failed and fail_on:
        code = _alert_exit(target, fail_on, progress)
    progress(f"{'published' if not failed else 'published with failures'}: {target / 'index.html'}")
    return RunResult(code, month=m, path=target, notebooks=ordered)


SEVERITY_ORDER = {"info": 0, "warning": 1, "critical": 2}


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


def _scorecards(nb_dir: Path, build: Path, ds, month: str, one, progress, jobs: int,
                wanted: list[str] | None = None, *, lang: str = "en") -> dict:
    """Run the rep scorecard for every active rep into ``reps/``; returns an index section."""
    nb = nb_dir / f"{SCORECARD}.ipynb"
    if not nb.exists() or not ds.has("reps"):
        progress("scorecards: skipped (no rep_scorecard notebook or no reps table)")
        return {}
    from salesnb.performance import active_reps

    reps = ds.table("reps").execute()
    end = _month_end(month)
    active = active_reps(reps, as_of=end)
    ids = list(active["rep_id"]) if hasattr(active, "columns") else list(active)
    if wanted:
        unknown = sorted(set(wanted) - set(ids))
        if unknown:
            progress(f"scorecards: not active in {month}, skipped: {', '.join(unknown)}")
        ids = [r for r in ids if r in set(wanted)]
    dest = build / "reps"
    dest.mkdir()
    progress(f"scorecards: {len(ids)} active reps")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = list(pool.map(lambda r: one(nb, {"rep_id": r}, dest, str(r)), ids))
    names = dict(zip(reps["rep_id"], reps.get("name", reps["rep_id"]), strict=False))
    return {"title": t("idx.scorecards", lang),
            "links": [(f"{names.get(r.name, r.name)} ({r.name})" + ("" if r.status == "ok"
                       else f" — {t('status.failed', lang)}"), f"reps/{r.name}.html") for r in done]}


def _month_end(month: str):
    import pandas as pd

    return pd.Period(month, freq="M").to_timestamp(how="end").normalize()
