"""Open a data source as a :class:`Dataset` of engine tables (Ibis; DuckDB by default).

A source is one of

- ``"demo"`` (or ``"demo:0.1"`` for another scale): the embedded demo company, generated on first use;
- a folder holding files named after the canonical tables: ``orders.parquet``, ``orders.csv``,
  ``customers.xlsx`` ...;
- a database URL: ``duckdb:///path/to/file.db`` or ``postgresql://user@host:5432/dbname``. Passwords come
  from the environment (``PGPASSWORD``, ``~/.pgpass``), never from a parameter.

Nothing here loads a whole table into pandas: tables are Ibis expressions and every aggregation runs in
the engine. Small Excel files are the exception (DuckDB cannot read them without an extension), they are
read with pandas and registered in DuckDB.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from salesnb.data.contract import TABLES
from salesnb.data.errors import DataError

FILE_SUFFIXES = (".parquet", ".csv", ".xlsx")
_URL = re.compile(r"^[a-z][a-z0-9+]*://", re.I)


def redact(spec: str) -> str:
    """Remove a password from a URL so that it can be shown or stored."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", str(spec))


@dataclass
class Dataset:
    """The canonical tables of one source, as Ibis tables in one engine connection.

    Attributes
    ----------
    con : ibis backend
        The engine connection (DuckDB by default).
    raw : dict
        Table name → Ibis table as found in the source (columns untyped for CSV).
    spec : str
        The source as given (passwords redacted).
    origin : dict
        Table name → file path or database table it came from (used in error messages).
    """

    con: Any
    raw: dict[str, ir.Table]
    spec: str
    origin: dict[str, str] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- access
    @property
    def tables(self) -> list[str]:
        """Canonical tables present in the source, in contract order."""
        return [t for t in TABLES if t in self.raw]

    @property
    def backend(self) -> str:
        return self.con.name

    def has(self, table: str, *columns: str) -> bool:
        """True when ``table`` exists and has every one of ``columns``."""
        if table not in self.raw:
            return False
        cols = set(self.raw[table].columns)
        return all(c in cols for c in columns)

    def columns(self, table: str) -> list[str]:
        return list(self.raw[table].columns) if table in self.raw else []

    def table(self, name: str) -> ir.Table:
        """The table ``name`` with contract columns cast to their kinds.

        Dates become ``date``, amounts ``float64``; unparseable values become NULL here (validation
        reports them). Unknown extra columns pass through unchanged.
        """
        if name not in self.raw:
            raise DataError(
                f"table {name!r} is not in the source {self.spec} "
                f"(it has: {', '.join(self.tables) or 'no canonical tables'})"
            )
        if name in self._cache:
            return self._cache[name]
        t = self.raw[name]
        spec = TABLES.get(name)
        if spec is not None:
            casts = {c.name: cast_column(t, c) for c in spec.columns if c.name in t.columns}
            casts = {k: v for k, v in casts.items() if v is not None}
            if casts:
                t = t.mutate(**casts)
        self._cache[name] = t
        return t

    # ---------------------------------------------------------------- facts
    @property
    def as_of(self) -> pd.Timestamp:
        """The data's as-of date: the last order date (never later than today)."""
        if "as_of" not in self._cache:
            t = self.table("orders")
            today = pd.Timestamp.today().normalize()
            last = t.filter(t.order_date <= today.date()).order_date.max().execute()
            if last is None or pd.isna(last):
                raise DataError(f"orders in {self.spec} has no valid order_date")
            self._cache["as_of"] = pd.Timestamp(last)
        return self._cache["as_of"]

    def row_counts(self) -> dict[str, int]:
        return {name: int(self.raw[name].count().execute()) for name in self.tables}

    def fingerprint(self) -> dict[str, Any]:
        """A content fingerprint computed in the engine: rows, amount sums and date ranges per table.

        Returns a dict with ``sha256`` (of the canonical JSON of the rest) and ``tables``.
        """
        if "fingerprint" in self._cache:
            return self._cache["fingerprint"]
        tables: dict[str, dict] = {}
        for name in self.tables:
            t = self.table(name)
            aggs: dict[str, Any] = {"rows": t.count()}
            spec = TABLES[name]
            for col in spec.columns:
                if col.name not in t.columns:
                    continue
                if col.kind == "date":
                    aggs[f"min_{col.name}"] = t[col.name].min()
                    aggs[f"max_{col.name}"] = t[col.name].max()
                elif col.kind == "float":
                    aggs[f"sum_{col.name}"] = t[col.name].sum()
            row = t.aggregate(**aggs).execute().iloc[0].to_dict()
            tables[name] = {k: _jsonable(v) for k, v in row.items()}
        body = json.dumps(tables, sort_keys=True)
        fp = {"sha256": hashlib.sha256(body.encode()).hexdigest(), "tables": tables}
        self._cache["fingerprint"] = fp
        return fp


def cast_column(t: ir.Table, col) -> ir.Value | None:
    """The expression casting ``t[col.name]`` to the contract's kind, or None when already right.

    Unparseable values become NULL (``try_cast``); validation counts them.
    """
    dtype = t.schema()[col.name]
    c = t[col.name]
    if col.kind == "date" and not dtype.is_date():
        return c.cast("date") if dtype.is_timestamp() else c.try_cast("date")
    if col.kind == "float" and not dtype.is_floating():
        return c.try_cast("float64")
    if col.kind == "int" and not dtype.is_integer():
        return c.try_cast("int64")
    if col.kind == "str" and not dtype.is_string():
        return c.cast("string")
    return None


def _jsonable(v: Any) -> Any:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, (pd.Timestamp,)) or hasattr(v, "isoformat"):
        return str(pd.Timestamp(v).date())
    if isinstance(v, float):
        return round(v, 2)
    try:
        return int(v)
    except (TypeError, ValueError):
        return str(v)


# -------------------------------------------------------------------- opening
def open_source(spec: str | os.PathLike = "demo", *, progress=None) -> Dataset:
    """Open ``spec`` as a :class:`Dataset`.

    Parameters
    ----------
    spec : str or path
        ``"demo"``, ``"demo:<scale>"``, a folder of table files, or a database URL.
    progress : callable, optional
        Called with a message while the demo company is generated on first use.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        When the source does not exist or holds no ``orders`` table.
    """
    s = str(spec).strip()
    if s == "demo" or s.startswith("demo:"):
        from salesnb.data.demo import ensure_demo

        scale = float(s.split(":", 1)[1]) if ":" in s else 1.0
        path = ensure_demo(scale=scale, progress=progress)
        ds = open_folder(path)
        ds.spec = s
        return ds
    if _URL.match(s):
        return open_url(s)
    return open_folder(Path(s).expanduser())


#: DuckDB's memory cap (it spills to disk beyond it); SALESNB_DUCKDB_MEMORY overrides it
DUCKDB_MEMORY = "1GB"


def _duckdb(path: str = ":memory:", **kw):
    con = ibis.duckdb.connect(path, **kw)
    con.raw_sql(f"SET memory_limit='{os.environ.get('SALESNB_DUCKDB_MEMORY', DUCKDB_MEMORY)}'")
    return con


def open_folder(path: str | os.PathLike) -> Dataset:
    """Open a folder of ``<table>.parquet|csv|xlsx`` files in an in-memory DuckDB."""
    folder = Path(path)
    if not folder.is_dir():
        raise DataError(f"source folder {folder} does not exist (expected a folder of table files)")
    con = _duckdb()
    raw: dict[str, ir.Table] = {}
    origin: dict[str, str] = {}
    for name in TABLES:
        found = [folder / f"{name}{suf}" for suf in FILE_SUFFIXES if (folder / f"{name}{suf}").exists()]
        if not found:
            continue
        if len(found) > 1:
            raise DataError(
                f"{folder}: table {name!r} is given twice ({', '.join(p.name for p in found)}); "
                "keep one file per table"
            )
        f = found[0]
        origin[name] = str(f)
        try:
            if f.suffix == ".parquet":
                raw[name] = con.read_parquet(f, table_name=name)
            elif f.suffix == ".csv":
                # every column as text: the contract casts them, and validation can then name
                # the rows that do not parse instead of failing on DuckDB's type sniffing
                # (materialised in DuckDB — not pandas — because DuckDB would push a TRY_CAST
                # down into the CSV scan and fail there)
                text = con.read_csv(f, table_name=f"_csv_{name}", all_varchar=True)
                raw[name] = con.create_table(name, text)
            else:
                df = pd.read_excel(f)
                raw[name] = con.create_table(name, df)
        except Exception as exc:  # noqa: BLE001 - report which file failed, keep the cause
            raise DataError(f"{f}: cannot read table {name!r}: {exc}") from exc
    if "orders" not in raw:
        present = ", ".join(sorted(p.name for p in folder.iterdir())[:10]) or "nothing"
        raise DataError(
            f"{folder}: no orders table (orders.parquet, orders.csv or orders.xlsx) — found {present}"
        )
    return Dataset(con=con, raw=raw, spec=str(folder), origin=origin)


def open_url(url: str) -> Dataset:
    """Open a database URL with Ibis (``duckdb:///file.db``, ``postgresql://...``)."""
    shown = redact(url)
    if re.search(r"://[^:/@]+:[^@/]+@", url):
        raise DataError(
            f"{shown}: do not put a password in the source URL; set PGPASSWORD (or the "
            "database's own environment variable) instead"
        )
    try:
        if url.startswith("duckdb://"):
            path = url[len("duckdb://"):]
            path = path[1:] if path.startswith("/") and not path.startswith("//") else path
            con = _duckdb(path, read_only=True)
        else:
            con = ibis.connect(url.replace("postgresql://", "postgres://", 1))
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"cannot connect to {shown}: {type(exc).__name__}: {exc}") from exc
    present = set(con.list_tables())
    raw = {name: con.table(name) for name in TABLES if name in present}
    if "orders" not in raw:
        raise DataError(f"{shown}: no table named 'orders' (tables: {', '.join(sorted(present))})")
    return Dataset(con=con, raw=raw, spec=shown, origin={n: f"{shown}#{n}" for n in raw})
