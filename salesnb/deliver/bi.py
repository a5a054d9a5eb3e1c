"""Tidy extracts for Tableau and other BI tools, and ``reports/latest``.

After a run, every table the month's reports publish is also written, tidy and typed, to
``reports/<month>/bi/``:

- ``salesnb.hyper``: one Tableau Hyper file with a table per report table (schema ``Extract``);
- ``<table>.parquet`` and ``<table>.csv``: the same tables, one file each.

Table names are stable (``<notebook>__<key>``, e.g. ``02_performance_review__payouts``, and
``kpis`` for every single number), so a Tableau workbook pointed at ``reports/latest/bi/salesnb.hyper``
refreshes without edits. Columns are typed: whole numbers as BIG INT, amounts as DOUBLE, true/false
as BOOL, dates (``YYYY-MM-DD``) and months (``YYYY-MM``, as their first day) as DATE, the rest as TEXT;
every table has a ``report_month`` DATE column, so months can be stacked.

What counts as a table:

- a published value that is a list of records (``sn.publish("payouts", frame)``);
- a published mapping of a name to a number (``{"North": 0.12, ...}``) or to records of numbers
  (``{"mtd": {"actual": ..., "target": ...}}``), as rows;
- the CSV/Parquet artefacts of the notebooks (targets, forecast, the CRM membership export);
- ``kpis``: every published single number, as rows of (notebook, key, value, unit).

``reports/latest`` is a symbolic link to the newest month whose run was good (a copy where the file
system has no symbolic links); it is updated after every publication.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from salesnb.deliver import sheets

__all__ = ["BI_DIR", "HYPER", "LATEST", "Extracts", "extract_tables", "read_hyper",
           "update_latest", "write_extracts"]

BI_DIR = "bi"
HYPER = "salesnb.hyper"
LATEST = "latest"
SCHEMA = "Extract"
_MONTH_DIR = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YM = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SAFE = re.compile(r"[^0-9A-Za-z_]+")


def _name(*parts: str) -> str:
    return "__".join(_SAFE.sub("_", p).strip("_") or "x" for p in parts)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _records_frame(rows: list[Mapping[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame([{str(k): v for k, v in r.items()} for r in rows])
    for c in df.columns:  # nested values as JSON text
        if df[c].map(lambda v: isinstance(v, (dict, list))).any():
            df[c] = df[c].map(lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
                              if isinstance(v, (dict, list)) else v)
    return df


def _as_table(value: Any) -> pd.DataFrame | None:
    """A published value as a tidy frame, or ``None`` when it is not a table."""
    if isinstance(value, list) and value and all(isinstance(r, Mapping) for r in value):
        return _records_frame(value)
    if isinstance(value, Mapping) and value:
        vals = list(value.values())
        if all(_is_number(v) or v is None for v in vals) and any(_is_number(v) for v in vals):
            return pd.DataFrame({"name": [str(k) for k in value], "value": [
                float(v) if v is not None else np.nan for v in vals]})
        if all(isinstance(v, Mapping) for v in vals) and all(
                all(_is_number(x) or x is None or isinstance(x, str) for x in v.values()) for v in vals):
            return _records_frame([{"name": str(k), **v} for k, v in value.items()])
    return None


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Dates and months as dates; numbers as numbers; text as text."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            continue
        nonnull = s.dropna()
        if len(nonnull) and nonnull.map(lambda v: isinstance(v, str)).all():
            if nonnull.str.match(_DATE).all():
                out[c] = pd.to_datetime(s, format="%Y-%m-%d").dt.date
                continue
            if nonnull.str.match(_YM).all():
                out[c] = pd.to_datetime(s, format="%Y-%m").dt.date
                continue
        if len(nonnull) and nonnull.map(lambda v: isinstance(v, bool)).all():
            out[c] = s.astype("boolean")
            continue
        if len(nonnull) and nonnull.map(_is_number).all():
            out[c] = pd.to_numeric(s)
            continue
        out[c] = s.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    return out


def _owner(path: Path) -> str:
    """The notebook a report file belongs to: ``02_performance_review.payouts.csv`` → its first part."""
    if path.name.endswith(".results.json"):
        return path.name[: -len(".results.json")]
    return path.name[: -len(path.suffix)].split(".", 1)[0]


def _owners(folder: Path) -> list[str]:
    """The notebooks with results or table files in ``folder``, in the order of their results files."""
    names = {_owner(p) for pattern in ("*.results.json", "*.csv", "*.parquet")
             for p in folder.glob(pattern)}
    return sorted(names, key=lambda n: f"{n}.results.json")


def _month_of(folder: Path) -> str | None:
    for p in sorted(folder.glob("*.results.json")):
        month = json.loads(p.read_text(encoding="utf-8")).get("month")
        if month:
            return month
    return None


def _notebook_tables(folder: Path, owner: str) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The raw tables and the single numbers (KPI rows) one notebook left in ``folder``: its
    published results, then its CSV/Parquet artefacts not already among them."""
    tables: dict[str, pd.DataFrame] = {}
    kpis: list[dict] = []
    p = folder / f"{owner}.results.json"
    if p.is_file():
        doc = json.loads(p.read_text(encoding="utf-8"))
        nb = doc.get("notebook") or p.name.split(".")[0]
        for key, value in sorted(doc.get("results", {}).items()):
            if _is_number(value):
                kpis.append({"notebook": nb, "key": key, "value": float(value), "unit": _unit(nb, key)})
                continue
            t = _as_table(value)
            if t is not None and len(t.columns):
                tables[_name(nb, key)] = t
            elif isinstance(value, Mapping):  # single numbers one level down: growth.yoy, p_miss.p10
                kpis += [{"notebook": nb, "key": f"{key}.{k}", "value": float(v), "unit": _unit(nb, key)}
                         for k, v in value.items() if _is_number(v)]
    files = [f for suffix in ("csv", "parquet") for f in sorted(folder.glob(f"*.{suffix}"))
             if _owner(f) == owner]
    for f in files:
        stem = f.name[: -len(f.suffix)]
        name = _name(*stem.split(".", 1))
        if name in tables or f.suffix == ".csv" and (folder / f"{stem}.parquet").exists():
            continue
        tables[name] = pd.read_parquet(f) if f.suffix == ".parquet" else _read_csv(f)
    return tables, kpis


def _report_month(month: str | None):
    return pd.Timestamp(pd.Period(month, freq="M").start_time).date() if month else None


def _finalised(df: pd.DataFrame, report_month) -> pd.DataFrame:
    """A table as the extracts hold it: typed, with ``report_month`` first, safe column names."""
    t = _typed(df.reset_index(drop=True))
    t.insert(0, "report_month", report_month)
    t.columns = _unique([_SAFE.sub("_", str(c)).strip("_") or "col" for c in t.columns])
    return t


def extract_tables(folder: str | Path, *, month: str | None = None) -> dict[str, pd.DataFrame]:
    """The report tables of a month folder, tidy and typed, by stable name (see the module doc)."""
    folder = Path(folder)
    month = month or _month_of(folder)
    tables: dict[str, pd.DataFrame] = {}
    kpis: list[dict] = []
    for owner in _owners(folder):
        t, k = _notebook_tables(folder, owner)
        tables.update(t)
        kpis += k
    if kpis:
        tables["kpis"] = pd.DataFrame(kpis)
    rm = _report_month(month)
    return {name: _finalised(df, rm) for name, df in sorted(tables.items())}


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV written by :func:`salesnb.deliver.sheets.write_csv`, with its text as in the data
    (the quote that neutralised a formula-like cell removed: a Hyper/Parquet cell is never run)."""
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for c in df.columns:
        if not pd.api.types.is_numeric_dtype(df[c]):
            df[c] = df[c].map(lambda v: v[1:] if isinstance(v, str) and v.startswith("'")
                              and sheets.is_dangerous(v[1:]) else v, na_action="ignore")
    return df


def _unique(cols: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in cols:
        n = seen.get(c.lower(), 0)
        seen[c.lower()] = n + 1
        out.append(c if n == 0 else f"{c}_{n}")
    return out


def _unit(nb: str, key: str) -> str:
    from salesnb import keys

    k = keys.find(nb, key)
    return k.unit if k is not None else ""


# ---------------------------------------------------------------------------------- hyper
def _kind(s: pd.Series) -> str:
    """What a typed column holds: bool, int, float, date or text."""
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_integer_dtype(s):
        return "int"
    if pd.api.types.is_float_dtype(s):
        return "float"
    if len(s.dropna()) and s.dropna().map(lambda v: hasattr(v, "isoformat") and not isinstance(v, str)).all():
        return "date"
    return "text"


def _sql_type(s: pd.Series):
    from tableauhyperapi import SqlType

    kind = _kind(s)
    return {"bool": SqlType.bool, "int": SqlType.big_int, "float": SqlType.double,
            "date": SqlType.date, "text": SqlType.text}[kind](), kind


def _arrow(df: pd.DataFrame):
    """``df`` as an Arrow table whose column types are the extract's (BIG INT, DOUBLE, BOOL, DATE,
    TEXT; a column with no value is TEXT), so Parquet readers (and Hyper) see the same types."""
    import pyarrow as pa

    arrow = {"bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(),
             "text": pa.string()}
    schema = pa.schema([(str(c), arrow[_kind(df[c])]) for c in df.columns])
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False)


def _cell(v: Any, kind: str) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if kind == "float":
        f = float(v)
        return None if np.isnan(f) else f
    if kind == "int":
        return int(v)
    if kind == "bool":
        return bool(v)
    if kind == "date":
        return v
    if isinstance(v, float) and np.isnan(v):
        return None
    return str(v)


class _HyperFile:
    """One Hyper file written table by table (schema ``Extract``), in place only at :meth:`close`.

    Hyper reads a table from a Parquet file written by :func:`_arrow` itself (``CREATE TABLE ... AS
    SELECT * FROM external(...)``); other tables are inserted row by row from Python (several
    times slower). The Hyper API starts its own ``hyperd`` process; :meth:`close` shuts it down
    (also on error) and it writes no log file.
    """

    def __init__(self, path: str | Path) -> None:
        from tableauhyperapi import Connection, CreateMode, HyperProcess, Telemetry

        self.path = Path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.tmp.unlink(missing_ok=True)
        self._logs = tempfile.TemporaryDirectory(prefix="salesnb-hyper-")
        self._hyper = self._con = None
        try:
            self._hyper = HyperProcess(telemetry=Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU,
                                       parameters={"log_config": "", "log_dir": self._logs.name})
            self._con = Connection(self._hyper.endpoint, str(self.tmp), CreateMode.CREATE_AND_REPLACE)
            self._con.catalog.create_schema(SCHEMA)
        except BaseException:
            self.close(keep=False)
            raise

    def add(self, name: str, df: pd.DataFrame, parquet: Path | None = None) -> None:
        from tableauhyperapi import Inserter, TableDefinition, TableName, escape_string_literal

        con = self._con
        if parquet is not None:
            file = escape_string_literal(str(Path(parquet).resolve()))
            con.execute_command(f"CREATE TABLE {TableName(SCHEMA, name)} AS "
                                f"(SELECT * FROM external({file}))")
            return
        types = [_sql_type(df[c]) for c in df.columns]
        table = TableDefinition(TableName(SCHEMA, name), [
            TableDefinition.Column(str(c), t) for c, (t, _) in zip(df.columns, types, strict=True)])
        con.catalog.create_table(table)
        kinds = [k for _, k in types]
        with Inserter(con, table) as ins:
            ins.add_rows([_cell(v, k) for v, k in zip(row, kinds, strict=True)]
                         for row in df.itertuples(index=False, name=None))
            ins.execute()

    def close(self, *, keep: bool = True) -> None:
        """Shut ``hyperd`` down; with ``keep`` the file replaces ``path``, else it is removed."""
        try:
            if self._con is not None:
                self._con.close()
            if self._hyper is not None:
                self._hyper.close()
        finally:
            self._con = self._hyper = None
            self._logs.cleanup()
            if keep and self.tmp.exists():
                os.replace(self.tmp, self.path)
            else:
                self.tmp.unlink(missing_ok=True)


def write_hyper(tables: Mapping[str, pd.DataFrame], path: str | Path, *,
                parquet: Mapping[str, Path] | None = None) -> Path:
    """Write ``tables`` into one Hyper file (schema ``Extract``), replacing it atomically.

    ``parquet``: files written by :func:`_arrow` for some of the tables (by name); Hyper reads those
    itself, the others are inserted row by row (see :class:`_HyperFile`).
    """
    out = _HyperFile(path)
    try:
        for name, df in tables.items():
            out.add(name, df, (parquet or {}).get(name))
    except BaseException:
        out.close(keep=False)
        raise
    out.close()
    return Path(path)


def read_hyper(path: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a Hyper file written by :func:`write_hyper`, as frames (for tests and checks)."""
    from tableauhyperapi import Connection, HyperProcess, TableName, Telemetry

    out = {}
    with tempfile.TemporaryDirectory(prefix="salesnb-hyper-") as logs:
        with HyperProcess(telemetry=Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU,
                          parameters={"log_config": "", "log_dir": logs}) as hyper:
            with Connection(hyper.endpoint, str(path)) as con:
                for t in con.catalog.get_table_names(SCHEMA):
                    d = con.catalog.get_table_definition(t)
                    cols = [str(c.name.unescaped) for c in d.columns]
                    rows = con.execute_list_query(f"SELECT * FROM {TableName(SCHEMA, t.name)}")
                    df = pd.DataFrame(rows, columns=cols)
                    df.attrs["types"] = {str(c.name.unescaped): str(c.type) for c in d.columns}
                    out[t.name.unescaped] = df
    return out


class Extracts:
    """``<folder>/bi/`` written notebook by notebook, as each one publishes.

    The runner calls :meth:`add` when a notebook of the month has finished: its tables are
    extracted, written (Parquet, CSV) and loaded into the Hyper file on a background thread while
    the other notebooks run. :meth:`finish` adds the notebooks not added yet (the executive summary,
    those merged from the published month), the ``kpis`` table of every notebook's single numbers,
    and puts the Hyper file in place. The result is the same as extracting the finished folder at
    once (:func:`write_extracts`, which is this class with nothing added early). A failure stops the
    extraction and :meth:`finish` raises it, with ``bi/`` removed: no partial extract is left.
    """

    def __init__(self, folder: str | Path, *, month: str | None = None, hyper: bool = True,
                 progress: Callable[[str], None] | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.folder = Path(folder)
        self.month = month
        self.progress = progress
        self.hyper = hyper
        if hyper:
            try:
                import tableauhyperapi  # noqa: F401
            except ImportError:
                self.hyper = False
                if progress:
                    progress("bi: tableauhyperapi is not installed: no .hyper file "
                             "(pip install 'salesnb[bi]')")
        self.dest = self.folder / BI_DIR
        if self.dest.exists():
            shutil.rmtree(self.dest)
        self.dest.mkdir()
        self.tables: dict[str, pd.DataFrame] = {}
        self._kpis: dict[str, list[dict]] = {}
        self._file: _HyperFile | None = None
        self._hyper_written = False
        self._error: BaseException | None = None
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="salesnb-bi")

    def add(self, notebook: str) -> None:
        """Extract ``notebook``'s tables now, in the background (its files must be final). After
        :meth:`finish` or :meth:`close` (a run being stopped) nothing more is added."""
        try:
            self._worker.submit(self._add, notebook)
        except RuntimeError:  # the worker was shut down
            pass

    def _add(self, owner: str) -> None:
        if self._error is not None or owner in self._kpis:
            return
        try:
            tables, kpis = _notebook_tables(self.folder, owner)
            for name, df in tables.items():
                self._write(name, _finalised(df, self._report_month()))
            self._kpis[owner] = kpis
        except BaseException as exc:  # noqa: BLE001 - raised again by finish()
            self._error = exc

    def _report_month(self):
        if self.month is None:
            self.month = _month_of(self.folder)
        return _report_month(self.month)

    def _write(self, name: str, df: pd.DataFrame) -> None:
        import pyarrow.parquet as pq

        file: Path | None = self.dest / f"{name}.parquet"
        try:
            pq.write_table(_arrow(df), file)
        except (TypeError, ValueError):  # (pyarrow's errors are both) a column Arrow cannot type
            df.to_parquet(file, index=False)
            file = None
        sheets.write_csv(df, self.dest / f"{name}.csv")
        if self.hyper:
            if self._file is None:
                self._file = _HyperFile(self.dest / HYPER)
            self._file.add(name, df, file)
        self.tables[name] = df

    def finish(self) -> dict[str, pd.DataFrame]:
        """Add what is left, write ``kpis``, put the Hyper file in place. Returns the tables."""
        self._worker.shutdown(wait=True)
        for owner in _owners(self.folder):
            self._add(owner)
        if self._error is None:
            kpis = [row for owner in sorted(self._kpis, key=lambda n: f"{n}.results.json")
                    for row in self._kpis[owner]]
            if kpis:
                try:
                    self._write("kpis", _finalised(pd.DataFrame(kpis), self._report_month()))
                except BaseException as exc:  # noqa: BLE001
                    self._error = exc
        self.close(keep=self._error is None)
        if self._error is not None:
            shutil.rmtree(self.dest, ignore_errors=True)
            raise self._error
        if self.progress:
            self.progress(f"bi: {len(self.tables)} tables in {self.dest.name}/"
                          + (f" and {HYPER}" if self._hyper_written else ""))
        return dict(sorted(self.tables.items()))

    def close(self, *, keep: bool = False) -> None:
        """Stop: no more tables; ``hyperd`` is shut down (the Hyper file kept only with ``keep``)."""
        self._worker.shutdown(wait=True, cancel_futures=True)
        if self._file is not None:
            file, self._file = self._file, None
            file.close(keep=keep)
            self._hyper_written = keep


def write_extracts(folder: str | Path, *, month: str | None = None, hyper: bool = True,
                   progress: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Write ``<folder>/bi/``: the Hyper file and a Parquet and CSV file per table. Returns the tables."""
    return Extracts(folder, month=month, hyper=hyper, progress=progress).finish()


# ---------------------------------------------------------------------------------- latest
def _good(folder: Path) -> bool:
    try:
        return json.loads((folder / "manifest.json").read_text())["status"] == "ok"
    except (OSError, ValueError, KeyError):
        return False


def good_months(reports: str | Path) -> list[str]:
    """The months of ``reports`` whose published run was good, oldest first."""
    reports = Path(reports)
    if not reports.is_dir():
        return []
    return sorted(p.name for p in reports.iterdir()
                  if _MONTH_DIR.match(p.name) and p.is_dir() and not p.is_symlink() and _good(p))


def update_latest(reports: str | Path) -> Path | None:
    """Point ``reports/latest`` at the newest good month (a relative symbolic link, replaced
    atomically; a copy where symbolic links fail). Returns the month folder, or ``None``."""
    reports = Path(reports)
    months = good_months(reports)
    if not months:
        return None
    newest = reports / months[-1]
    link = reports / LATEST
    tmp = reports / f".{LATEST}-{os.getpid()}"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(newest.name, tmp, target_is_directory=True)
        if link.exists() and not link.is_symlink():  # an earlier copy
            shutil.rmtree(link)
        os.replace(tmp, link)
    except OSError:
        if tmp.is_symlink():
            tmp.unlink()
        copy = reports / f".{LATEST}-copy-{os.getpid()}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(newest, copy)
        (copy / "LATEST_MONTH").write_text(newest.name + "\n")
        if link.is_symlink():
            link.unlink()
        elif link.exists():
            shutil.rmtree(link)
        copy.rename(link)
    return newest
