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

__all__ = ["BI_DIR", "HYPER", "LATEST", "extract_tables", "read_hyper", "update_latest",
           "write_extracts"]

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


def extract_tables(folder: str | Path, *, month: str | None = None) -> dict[str, pd.DataFrame]:
    """The report tables of a month folder, tidy and typed, by stable name (see the module doc)."""
    folder = Path(folder)
    tables: dict[str, pd.DataFrame] = {}
    kpis = []
    for p in sorted(folder.glob("*.results.json")):
        doc = json.loads(p.read_text(encoding="utf-8"))
        nb = doc.get("notebook") or p.name.split(".")[0]
        month = month or doc.get("month")
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
    for p in sorted(folder.glob("*.csv")) + sorted(folder.glob("*.parquet")):
        stem = p.name[: -len(p.suffix)]
        name = _name(*stem.split(".", 1))
        if name in tables or p.suffix == ".csv" and (folder / f"{stem}.parquet").exists():
            continue
        tables[name] = pd.read_parquet(p) if p.suffix == ".parquet" else _read_csv(p)
    if kpis:
        tables["kpis"] = pd.DataFrame(kpis)
    rm = pd.Timestamp(pd.Period(month, freq="M").start_time).date() if month else None
    out = {}
    for name, df in sorted(tables.items()):
        t = _typed(df.reset_index(drop=True))
        t.insert(0, "report_month", rm)
        t.columns = _unique([_SAFE.sub("_", str(c)).strip("_") or "col" for c in t.columns])
        out[name] = t
    return out


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


def write_hyper(tables: Mapping[str, pd.DataFrame], path: str | Path, *,
                parquet: Mapping[str, Path] | None = None) -> Path:
    """Write ``tables`` into one Hyper file (schema ``Extract``), replacing it atomically.

    ``parquet``: files written by :func:`_arrow` for some of the tables (by name); Hyper reads those
    itself (``CREATE TABLE ... AS SELECT * FROM external(...)``), the others are inserted row by
    row from Python (several times slower). The Hyper API starts its own ``hyperd`` process; it is
    shut down before this returns (also on error), and it writes no log file.
    """
    from tableauhyperapi import (
        Connection,
        CreateMode,
        HyperProcess,
        Inserter,
        TableDefinition,
        TableName,
        Telemetry,
        escape_string_literal,
    )

    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="salesnb-hyper-") as logs:
        with HyperProcess(telemetry=Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU,
                          parameters={"log_config": "", "log_dir": logs}) as hyper:
            with Connection(hyper.endpoint, str(tmp), CreateMode.CREATE_AND_REPLACE) as con:
                con.catalog.create_schema(SCHEMA)
                for name, df in tables.items():
                    if parquet and name in parquet:
                        file = escape_string_literal(str(Path(parquet[name]).resolve()))
                        con.execute_command(f"CREATE TABLE {TableName(SCHEMA, name)} AS "
                                            f"(SELECT * FROM external({file}))")
                        continue
                    types = [_sql_type(df[c]) for c in df.columns]
                    table = TableDefinition(TableName(SCHEMA, name), [
                        TableDefinition.Column(str(c), t) for c, (t, _) in zip(df.columns, types, strict=True)])
                    con.catalog.create_table(table)
                    kinds = [k for _, k in types]
                    with Inserter(con, table) as ins:
                        ins.add_rows([_cell(v, k) for v, k in zip(row, kinds, strict=True)]
                                     for row in df.itertuples(index=False, name=None))
                        ins.execute()
    os.replace(tmp, path)
    return path


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


def write_extracts(folder: str | Path, *, month: str | None = None, hyper: bool = True,
                   progress: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Write ``<folder>/bi/``: the Hyper file and a Parquet and CSV file per table. Returns the tables."""
    folder = Path(folder)
    tables = extract_tables(folder, month=month)
    dest = folder / BI_DIR
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir()
    import pyarrow.parquet as pq

    files = {}
    for name, df in tables.items():
        try:
            pq.write_table(_arrow(df), dest / f"{name}.parquet")
            files[name] = dest / f"{name}.parquet"
        except (TypeError, ValueError):  # (pyarrow's errors are both) a column Arrow cannot type
            df.to_parquet(dest / f"{name}.parquet", index=False)
        sheets.write_csv(df, dest / f"{name}.csv")
    if hyper and tables:
        try:
            import tableauhyperapi  # noqa: F401
        except ImportError:
            hyper = False
            if progress:
                progress("bi: tableauhyperapi is not installed: no .hyper file (pip install 'salesnb[bi]')")
        else:
            write_hyper(tables, dest / HYPER, parquet=files)
    if progress:
        progress(f"bi: {len(tables)} tables in {dest.name}/" + (f" and {HYPER}" if hyper else ""))
    return tables


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
