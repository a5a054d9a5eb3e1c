"""Notebook glue: ``sn.setup`` (source, month, output folder), ``sn.publish``, notes and tables.

The runner reads the figures a notebook publishes from its executed copy: :func:`publish` emits a
display output of MIME type :data:`RESULT_MIME`, which nbconvert does not render, so the figures travel
inside the notebook (also when papermill is called directly) and never clutter the HTML.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from salesnb.data.sources import Dataset
from salesnb.jsonable import to_jsonable  # noqa: F401 - the one JSON policy, re-exported
from salesnb.periods import MONTH_COMPLETE, last_complete_month, month_is_complete  # noqa: F401

RESULT_MIME = "application/vnd.salesnb.result+json"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

#: figures published in this process (name -> JSON-able value)
PUBLISHED: dict[str, Any] = {}
#: why a key this notebook published empty is absent, in the page's language (``publish(why=...)``)
WHY_ABSENT: dict[str, str] = {}


def project_root() -> Path:
    """The folder holding ``pyproject.toml`` of a source checkout, else the working directory."""
    env = os.environ.get("SALESNB_HOME")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parents[1]
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def resolve_month(ds: Dataset, month: str | None, *, complete: str = "last_day",
                  country: str | None = None) -> str:
    """``"YYYY-MM"`` as given, or the last complete month of the data for ``""``/``"auto"``.

    The data reaches its as-of date (:attr:`Dataset.as_of`: the ``as_of`` parameter, the export's
    date, or the latest date in any table); its month counts when it is complete in the sense of
    ``complete`` (see :func:`month_is_complete`), else the month before is reported.
    """
    if month and month != "auto":
        if not _MONTH.match(month):
            raise ValueError(f"month must look like YYYY-MM (e.g. 2026-10), got {month!r}")
        return month
    return str(last_complete_month(ds.as_of, complete=complete, country=country))


@dataclass
class Context:
    """What a notebook needs to know about its run. Built by :func:`setup`."""

    ds: Dataset
    month: str
    out: Path
    lang: str = "en"
    artifacts: list[str] = field(default_factory=list)
    #: first calendar month of the fiscal year (4: April to March); quarters and years follow it
    fiscal_year_start: int = 1

    @property
    def period(self) -> pd.Period:
        return pd.Period(self.month, freq="M")

    @property
    def start(self) -> pd.Timestamp:
        """First day of the report month."""
        return self.period.to_timestamp()

    @property
    def end(self) -> pd.Timestamp:
        """First day after the report month (exclusive end)."""
        return (self.period + 1).to_timestamp()

    @property
    def quarter_start(self) -> pd.Timestamp:
        """First day of the report month's fiscal quarter (calendar quarter for a January start)."""
        return (self.period - (self.period.month - self.fiscal_year_start) % 3).to_timestamp()

    @property
    def year_start(self) -> pd.Timestamp:
        """First day of the report month's fiscal year (1 January for a January start)."""
        return (self.period - (self.period.month - self.fiscal_year_start) % 12).to_timestamp()

    @property
    def as_of(self) -> pd.Timestamp:
        """The data's last date, capped at the end of the report month."""
        return min(self.ds.as_of, self.end - pd.Timedelta(days=1))

    def left_out(self, *tables: str, rep_id: str | None = None) -> str:
        """A note that the figures from ``tables`` leave out the rows the import dropped for an empty
        required value, or ``""`` (:func:`salesnb.data.facts.dropped_note`; ``rep_id``: a rep
        scorecard's, counting that rep's open deals)."""
        from salesnb.data import facts

        return facts.dropped_note(self.ds, *tables, rep_id=rep_id)

    def save_table(
        self, df: pd.DataFrame, name: str, *, formats: tuple[str, ...] = ("csv",), **sheet: Any
    ) -> list[Path]:
        """Write ``df`` as ``<out>/<name>.<fmt>`` for each format (csv, xlsx, parquet, json).

        CSV and XLSX go through :mod:`salesnb.deliver.sheets` (formula-safe; XLSX formatted, with a
        Notes sheet); ``sheet`` options (``money=``, ``pct=``, ``meanings=``) go to its XLSX writer.
        Returns the written paths; their names are published under ``artifacts``.
        """
        from salesnb.deliver import sheets

        self.out.mkdir(parents=True, exist_ok=True)
        paths = []
        for f in formats:
            p = self.out / f"{name}.{f}"
            if f == "csv":
                sheets.write_csv(df, p)
            elif f == "xlsx":
                sheets.write_xlsx(df, p, sheet=name.split(".")[-1] or "data",
                                  run=self._run_info(name), **sheet)
            elif f == "parquet":
                df.to_parquet(p, index=False)
            elif f == "json":
                p.write_text(json.dumps(to_jsonable(df), indent=1, sort_keys=True) + "\n")
            else:
                raise ValueError(f"unknown format {f!r} (use csv, xlsx, parquet or json)")
            paths.append(p)
            if p.name not in self.artifacts:
                self.artifacts.append(p.name)
        publish("artifacts", sorted(self.artifacts))
        return paths

    def _run_info(self, name: str) -> dict[str, Any]:
        """Which run made an artefact (for the Notes sheet of a workbook)."""
        from salesnb import __version__
        from salesnb.secrets import redact

        return {"notebook": name.split(".")[0], "table": name, "month": self.month,
                "data as of": str(self.as_of.date()), "source": redact(self.ds.spec),
                "language": self.lang, "made with": f"salesnb {__version__}"}


def setup(
    *,
    source: str = "demo",
    month: str = "",
    output_dir: str = "",
    lang: str = "en",
    theme: bool = True,
    as_of: str = "",
    reporting_currency: str = "",
    month_complete: str = "last_day",
    fiscal_year_start: int | None = None,
) -> Context:
    """Open the source, resolve the month and the output folder, apply the chart theme.

    Parameters
    ----------
    source : str
        ``"demo"``, a folder of table files or a database URL (see :func:`salesnb.open_source`).
    month : str
        ``"YYYY-MM"``; ``""`` or ``"auto"`` picks the last complete month of the data.
    output_dir : str
        Where artefacts go; the runner sets it. ``""`` → ``reports/interactive/<month>``.
    lang : str
        ``"en"`` or ``"zh-CN"``.
    as_of : str
        The data's as-of date ``YYYY-MM-DD``; ``""``: the export's date an import recorded, else the
        latest date in any table.
    reporting_currency : str
        ISO 4217 code every amount is converted to and shown in (``fx_rates`` gives the rates);
        ``""``: the data's single currency.
    month_complete : str
        With ``month`` auto, a month counts when the data reaches its ``last_day`` or its
        ``last_working_day``.
    fiscal_year_start : int, optional
        First calendar month of the fiscal year, 1-12 (4: April to March): ``ctx.quarter_start``
        and ``ctx.year_start`` (QTD and YTD) follow it. When given, it is published as
        ``fiscal_year_start`` (the summary and month-over-month read the run's quarters from it);
        None: January, unpublished.

    Raises
    ------
    DataError
        When amounts come in several currencies without a reporting currency or rates.
    """
    from salesnb import fmt, i18n
    from salesnb.data.currency import currency_problems
    from salesnb.data.errors import DataError

    lang = i18n.set_lang(lang)
    one_blas_thread()
    from salesnb.report.kernels import open_dataset  # a runner's warm kernel keeps it open

    ds = open_dataset(source, as_of=as_of, reporting_currency=reporting_currency)
    bad = currency_problems(ds)
    if bad:
        raise DataError(bad, source=ds.spec)
    fmt.set_currency(ds.reporting_currency)
    m = resolve_month(ds, month, complete=month_complete)
    out = Path(output_dir) if output_dir else project_root() / "reports" / "interactive" / m
    _request_theme(lang if theme else None)
    PUBLISHED.clear()
    WHY_ABSENT.clear()
    fys = 1 if fiscal_year_start is None else fiscal_year_start
    if not 1 <= int(fys) <= 12:
        raise ValueError(f"fiscal_year_start must be a month 1-12, got {fiscal_year_start!r}")
    ctx = Context(ds=ds, month=m, out=out, lang=lang, fiscal_year_start=int(fys))
    publish("month", m)
    if fiscal_year_start is not None:
        publish("fiscal_year_start", int(fys))
    return ctx


#: environment variables that set the BLAS / OpenMP thread pools (OpenBLAS reads them when loaded)
BLAS_THREADS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> bool:
    """One BLAS thread in this process, unless the environment already sets a number.

    The models (statsmodels' Kalman filter, SciPy's optimisers) do many operations on matrices of a
    few dozen rows; a BLAS thread pool per process then only spins (twice the CPU for the same time
    on an idle machine), and beside another busy process it makes them several times slower (a
    seasonal ARIMA fit 0.33 s with one thread, 1.00 s with two; ``benchmarks/blas_threads.py
    --busy 1``). The runner sets the same variables for its kernels; this covers JupyterLab.
    The variables reach libraries loaded later (SciPy's own OpenBLAS); ``threadpoolctl`` limits
    those already loaded. Returns whether it changed anything.
    """
    if any(os.environ.get(v) for v in BLAS_THREADS_ENV):
        return False
    for v in BLAS_THREADS_ENV:
        os.environ[v] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - comes with scikit-learn
        return True
    threadpool_limits(1, user_api="blas")
    return True


#: the chart theme :func:`setup` asked for (``{"lang": ...}``; ``None``: no theme). It is applied
#: when :mod:`salesnb.viz` is imported (by the first chart), so ``setup`` does not pay for
#: matplotlib, seaborn and SciPy (about 1.5 s of imports) in a notebook that draws nothing yet
THEME: dict[str, Any] = {}


def _request_theme(lang: str | None) -> None:
    """Ask for inline charts and the theme in ``lang``: at once when :mod:`salesnb.viz` is already
    imported, else when it is (``viz.apply_requested_theme``)."""
    import sys

    THEME["lang"] = lang
    viz = sys.modules.get("salesnb.viz")
    if viz is not None:
        viz.apply_requested_theme()


def _inline_charts() -> None:
    """Charts inline in a kernel, even when MPLBACKEND (e.g. Agg) leaks in from the environment."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    ip = get_ipython()
    if ip is not None and getattr(ip, "kernel", None) is not None:
        ip.run_line_magic("matplotlib", "inline")


# ------------------------------------------------------------------ publishing
def publish(name: str, value: Any, *, why: Any = None) -> Any:
    """Publish a key figure of this notebook under ``name`` (for results.json and the summary).

    ``name`` must be declared in :mod:`salesnb.keys` (for the notebook named by the environment
    variable ``SALESNB_NOTEBOOK`` when set, else for any notebook); an undeclared key raises
    :class:`salesnb.keys.UndeclaredKeyError` naming notebook and key.
    Returns ``value`` unchanged, so ``x = sn.publish("x", compute())`` reads naturally.

    ``why``: when ``value`` is empty (``None``, ``{}``, ``[]``, ``""``), the page's own reason for it
    (a message, shown in the page's language). It is published under ``why_absent`` with the
    language, and the executive summary quotes it instead of the key's declared condition. A dict
    published in part (a figure in it None: 05's quarter forecast without a target has no
    ``p_miss``) publishes its ``why`` too: the reason for the part left out.
    """
    from salesnb import keys

    keys.check(name, notebook=os.environ.get("SALESNB_NOTEBOOK") or None)
    v = to_jsonable(value)
    PUBLISHED[name] = v
    partial = isinstance(v, dict) and any(x is None for x in v.values())
    if why and (v is None or v in ([], {}, "") or partial):
        from salesnb.i18n import get_lang, tr

        WHY_ABSENT[name] = str(tr(why))
        publish("why_absent", {"lang": get_lang(), "keys": dict(WHY_ABSENT)})
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({RESULT_MIME: {"name": name, "value": v}}, raw=True)
    except ImportError:  # pragma: no cover - IPython is a dependency
        pass
    return value


def note(text: str, *, kind: str = "info") -> None:
    """Show a visible note (e.g. a skipped section) in the current language (``tr``); escaped.

    An empty text shows nothing, so a cell can pass an optional diagnosis straight through."""
    if not text:
        return
    import html

    from IPython.display import HTML, display

    from salesnb.i18n import tr

    colour = {"info": "#1f5f8b", "warning": "#b36b00", "error": "#a12a2a"}.get(kind, "#1f5f8b")
    display(HTML(
        f'<div class="sn-note sn-{html.escape(kind)}" style="border-left:4px solid {colour};'
        f'padding:.4em .8em;margin:.5em 0;background:#f6f8fa">{html.escape(str(tr(text)))}</div>'
    ))


def heading(text: str, level: int = 2) -> None:
    """Show a heading from code in the current language (``tr``); escaped."""
    import html

    from IPython.display import HTML, display

    from salesnb.i18n import tr

    display(HTML(f"<h{int(level)}>{html.escape(str(tr(text)))}</h{int(level)}>"))


def finish() -> list[str]:
    """The last cell of every notebook: publish ``i18n_missing``, the labels shown in English in a
    Chinese run (empty when everything on the page was translated). Returns that list."""
    from salesnb.i18n import missing

    return publish("i18n_missing", missing())


def show_table(df: pd.DataFrame, *, empty: str = "", **kwargs) -> None:
    """Display ``df`` as a leader table (see :func:`salesnb.fmt.table`).

    ``empty``: a note shown instead when ``df`` has no row (a table of headers alone tells a
    reader nothing)."""
    from IPython.display import display

    from salesnb import fmt

    if empty and len(df) == 0:
        note(empty)
        return
    display(fmt.table(df, **kwargs))
