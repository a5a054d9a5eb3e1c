"""Open a data source as a :class:`Dataset` of engine tables (Ibis; DuckDB by default).

A source is one of

- ``"demo"`` (or ``"demo:0.1"`` for another scale): the embedded demo company, generated on first use;
- a folder holding files named after the canonical tables: ``orders.parquet``, ``orders.csv``,
  ``customers.xlsx`` ...;
- a database URL: ``duckdb:///path/to/file.db`` or ``postgresql://user@host:5432/dbname``. Passwords come
  from the environment (``PGPASSWORD``, ``~/.pgpass``), never from a parameter;
- a Spark Connect server: ``sc://HOST:PORT`` (optionally ``sc://HOST:PORT/;database=NAME``), or
  ``pyspark://`` / ``spark://`` with the server taken from ``SPARK_REMOTE`` (``pyspark:///NAME`` for a
  database). A token comes from ``SPARK_CONNECT_TOKEN``, never from the URL (see docs/engines.md).

A password or token written into any URL is refused (it would end up in manifest.json and the logs), and
every message shows the URL redacted (:mod:`salesnb.secrets`).

Text columns (CSV) are cast in one engine-independent way: a pattern test decides whether a value is a
date / number / whole number, and only values that pass are cast, so DuckDB, PostgreSQL and Spark find
the same bad rows (:func:`cast_column`).

Nothing here loads a whole table into pandas: tables are Ibis expressions and every aggregation runs in
the engine. Small Excel files are the exception (DuckDB cannot read them without an extension), they are
read with pandas and registered in DuckDB.
"""

from __future__ import annotations

import decimal
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd

from salesnb import secrets
from salesnb.data.contract import TABLES
from salesnb.data.errors import DataError, Problem
from salesnb.i18n import Message

FILE_SUFFIXES = (".parquet", ".csv", ".xlsx")
_URL = re.compile(r"^[a-z][a-z0-9+]*://", re.I)
#: URL schemes that reach a Spark Connect server
SPARK_SCHEMES = ("sc", "spark", "pyspark")
#: the file-position column (1-based data row) of tables read from files; never in ``raw``
ROW = "_row"

#: what a text value must look like to be cast (one definition for every engine; ``[0-9]`` rather
#: than ``\d`` so that RE2 (DuckDB), Java (Spark) and POSIX (PostgreSQL) regexes agree)
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]*)?)?)?$"
FLOAT_PATTERN = r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$"
INT_PATTERN = r"^[+-]?[0-9]+([.]0*)?$"


def redact(spec: str) -> str:
    """Mask passwords and tokens in a URL so that it can be shown (alias of :func:`salesnb.secrets.redact`)."""
    return secrets.redact(spec)


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
    positions : dict
        Table name → the raw table with a ``_row`` column holding each row's position in its file
        (1-based data row), for tables read from files. Database and Spark tables have none; their
        rows are identified by key.
    """

    con: Any
    raw: dict[str, ir.Table]
    spec: str
    origin: dict[str, str] = field(default_factory=dict)
    positions: dict[str, ir.Table] = field(default_factory=dict, repr=False)
    #: what an import recorded about the export (``_import.json`` in the folder): ``as_of`` (the
    #: export's date), ``reporting_currency``, ``profile``
    meta: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _as_of_given: pd.Timestamp | None = field(default=None, repr=False)
    _currency_given: str = field(default="", repr=False)

    def configure(self, *, as_of: Any = None, reporting_currency: str | None = None) -> Dataset:
        """Set the run's ``as_of`` date and reporting currency (the parameters of the same names).

        Parameters
        ----------
        as_of : date-like or str, optional
            The data's as-of date; ``None``/``""`` keeps the default (see :attr:`as_of`).
        reporting_currency : str, optional
            ISO 4217 code every amount is shown in; ``""`` keeps the default (see
            :attr:`reporting_currency`).

        Returns
        -------
        Dataset
            ``self``, with cached tables dropped so that conversions follow the new settings.
        """
        if as_of not in (None, ""):
            try:
                ts = pd.Timestamp(str(as_of))
            except (ValueError, TypeError) as exc:
                raise DataError(f"as_of must be a date YYYY-MM-DD, got {as_of!r}") from exc
            if not re.match(r"^\d{4}-\d{2}-\d{2}", str(as_of)):
                raise DataError(f"as_of must be a date YYYY-MM-DD, got {as_of!r}")
            self._as_of_given = ts.normalize()
        if reporting_currency:
            code = str(reporting_currency).strip().upper()
            if not re.match(r"^[A-Z]{3}$", code):
                raise DataError(
                    f"reporting_currency must be an ISO 4217 code such as CNY, USD or EUR, got "
                    f"{reporting_currency!r}")
            self._currency_given = code
        self._cache.clear()
        return self

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
        t = self.typed(name)
        if name in MONEY_COLUMNS:
            t = self._converted(name, t)
        self._cache[name] = t
        return t

    def typed(self, name: str) -> ir.Table:
        """The table ``name`` cast to the contract's kinds, amounts as in the source (unconverted)."""
        return _typed(self.raw[name], name)

    # ---------------------------------------------------------------- currency
    def currencies(self) -> dict[str, int]:
        """Currency code → rows, over the ``currency`` columns of orders and opportunities."""
        out: dict[str, int] = {}
        for per in self.currencies_by_table().values():
            for c, n in per.items():
                out[c] = out.get(c, 0) + n
        return dict(sorted(out.items()))

    def currencies_by_table(self) -> dict[str, dict[str, int]]:
        """Table → currency code → rows, for orders and opportunities with a ``currency`` column."""
        if "currencies" not in self._cache:
            out: dict[str, dict[str, int]] = {}
            for name in MONEY_COLUMNS:
                if not self.has(name, "currency"):
                    continue
                t = self.raw[name]
                t = t.mutate(_c=_code(t.currency))
                t = t.filter(t._c.notnull() & (t._c != ""))
                df = t.group_by(t._c.name("c")).aggregate(n=t.count()).execute()
                out[name] = dict(sorted((str(c), int(n)) for c, n in zip(df["c"], df["n"], strict=True)))
            self._cache["currencies"] = out
        return self._cache["currencies"]

    @property
    def reporting_currency(self) -> str:
        """The currency every amount is shown in: the ``reporting_currency`` parameter, else the one
        the import recorded, else the data's single currency; ``""`` when unknown (no currency column)
        or undecidable (several currencies and no parameter: validation reports it)."""
        if self._currency_given:
            return self._currency_given
        if self.meta.get("reporting_currency"):
            return str(self.meta["reporting_currency"]).upper()
        cur = self.currencies()
        return next(iter(cur)) if len(cur) == 1 else ""

    def with_rates(self, name: str) -> ir.Table:
        """The typed table ``name`` with ``_rate``: the factor to the reporting currency (1 for rows
        already in it or without a currency; NULL where no rate is known)."""
        t = self.typed(name)
        target = self.reporting_currency
        code = _code(t.currency)
        same = code.isnull() | (code == "") | (code == target)
        if not self.has("fx_rates", "currency", "period", "rate"):
            return t.mutate(_rate=ibis.ifelse(same, 1.0, ibis.null("float64")))
        fx = self.typed("fx_rates")
        fx = fx.select(_fc=_code(fx.currency), _fp=fx.period.cast("string").strip(),
                       _fr=fx.rate.cast("float64"))
        monthly = fx.filter(fx._fp != "*")
        always = fx.filter(fx._fp == "*").select(_sc=fx._fc, _sr=fx._fr)
        date = rate_date(t, name)
        per = date.strftime("%Y-%m") if date is not None else ibis.literal("")
        base = t.mutate(_cur=code, _per=per)
        j = base.left_join(monthly, [base._cur == monthly._fc, base._per == monthly._fp])
        j = j.select(*base.columns, "_fr")
        j = j.left_join(always, j._cur == always._sc).select(*j.columns, "_sr")
        same = j._cur.isnull() | (j._cur == "") | (j._cur == target)
        rate = ibis.ifelse(same, 1.0, j._fr.coalesce(j._sr))
        return j.mutate(_rate=rate).drop("_cur", "_per", "_fr", "_sr")

    def _converted(self, name: str, t: ir.Table) -> ir.Table:
        if "currency" not in t.columns:
            return t
        target = self.reporting_currency
        cur = set(self.currencies())
        if not target or cur <= {target}:
            return t
        r = self.with_rates(name)
        cols = {c: (r[c] * r._rate) for c in MONEY_COLUMNS[name] if c in r.columns}
        r = r.mutate(source_currency=r.currency, **cols)
        r = r.mutate(currency=ibis.literal(target))
        return r.drop("_rate")

    def located(self, name: str, *, typed: bool = True) -> ir.Table:
        """Table ``name`` (cast when ``typed``) with its ``_row`` file position, when it has one.

        Validation uses it to number example rows: a position stored when the file was read, never
        a ``ROW_NUMBER()`` over the whole table (which would move all data to one partition and
        number rows differently from run to run on a cluster).
        """
        t = self.positions.get(name)
        if t is None:
            return self.table(name) if typed else self.raw[name]
        return _typed(t, name) if typed else t

    # ---------------------------------------------------------------- facts
    @property
    def as_of(self) -> pd.Timestamp:
        """The data's as-of date.

        The ``as_of`` parameter when given (:meth:`configure`); else the export's date an import
        recorded; else the latest date in any table (orders, deals created or closed, stage changes,
        activities, feedback...), never later than today. Dates after it are judged as future dates.
        A closed deal's close date is the one the rep typed (a deal set up months ahead and marked
        lost keeps its planned date): it counts only up to the latest date the data saw otherwise;
        an open deal's expected close date does not count.
        """
        if self._as_of_given is not None:
            return self._as_of_given
        if self.meta.get("as_of"):
            return pd.Timestamp(str(self.meta["as_of"])).normalize()
        if "as_of" not in self._cache:
            today = pd.Timestamp.today().normalize().date()
            last = None
            typed = None  # the latest close date of a closed deal: capped by the other dates below
            for name in self.tables:
                t = self.typed(name)
                cols = [c for c in _AS_OF_COLUMNS.get(name, ()) if c in t.columns]
                if not cols:
                    continue
                closed = (t.status.isin(["won", "lost"]) if name == "opportunities"
                          and "status" in t.columns else None)
                exprs = {}
                for c in cols:
                    cond = t[c] <= today
                    if c == "close_date":  # an open deal's close date is expected, not seen
                        cond = cond & closed if closed is not None else cond & False
                    exprs[c] = t[c].max(where=cond)
                row = t.aggregate(**{f"m_{c}": e for c, e in exprs.items()}).execute().iloc[0]
                for c, v in zip(exprs, row, strict=True):
                    if v is None or pd.isna(v):
                        continue
                    if c == "close_date" and name == "opportunities":
                        typed = pd.Timestamp(v) if typed is None else max(typed, pd.Timestamp(v))
                    else:
                        last = pd.Timestamp(v) if last is None else max(last, pd.Timestamp(v))
            if last is None:  # no other date: the close dates are all there is
                last = typed
            if last is None:
                raise DataError(f"orders in {self.spec} has no valid order_date")
            self._cache["as_of"] = last.normalize()
        return self._cache["as_of"]

    @property
    def first_order_date(self) -> pd.Timestamp | None:
        """The earliest ``order_date`` of the orders (``None`` without one), queried once per
        configuration: the complete periods of :func:`salesnb.data.extract.revenue` start there."""
        if "first_order_date" not in self._cache:
            first = self.table("orders").order_date.min().execute()
            self._cache["first_order_date"] = None if first is None or pd.isna(first) else pd.Timestamp(first)
        return self._cache["first_order_date"]

    @property
    def as_of_source(self) -> str:
        """Where :attr:`as_of` comes from: ``"parameter"``, ``"export"`` or ``"data"``."""
        if self._as_of_given is not None:
            return "parameter"
        return "export" if self.meta.get("as_of") else "data"

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
            floats = {}
            spec = TABLES[name]
            for col in spec.columns:
                if col.name not in t.columns:
                    continue
                if col.kind == "date":
                    aggs[f"min_{col.name}"] = t[col.name].min()
                    aggs[f"max_{col.name}"] = t[col.name].max()
                elif col.kind == "float":
                    floats[f"sum_{col.name}"] = t[col.name]
            try:
                row = t.aggregate(**aggs, **{k: c.cast(_EXACT).sum() for k, c in floats.items()})
                row = row.execute().iloc[0].to_dict()
            except Exception:  # noqa: BLE001 - NaN or inf cannot be decimals: add the floats
                row = t.aggregate(**aggs, **{k: c.sum() for k, c in floats.items()})
                row = row.execute().iloc[0].to_dict()
            tables[name] = {k: _fingerprint_value(v) for k, v in row.items()}
        body = json.dumps(tables, sort_keys=True)
        fp = {"sha256": hashlib.sha256(body.encode()).hexdigest(), "tables": tables}
        self._cache["fingerprint"] = fp
        return fp


def _typed(t: ir.Table, name: str) -> ir.Table:
    spec = TABLES.get(name)
    if spec is None:
        return t
    casts = {c.name: cast_column(t, c) for c in spec.columns if c.name in t.columns}
    casts = {k: v for k, v in casts.items() if v is not None}
    return t.mutate(**casts) if casts else t


#: amount columns converted to the reporting currency, per table with a ``currency`` column
MONEY_COLUMNS = {"orders": ("amount", "list_amount", "cost"), "opportunities": ("amount",)}
#: the date whose month picks the exchange rate
_RATE_DATE = {"orders": "order_date", "opportunities": "close_date"}
#: the date used instead when that one is empty (an open deal without an expected close date)
_RATE_DATE_ELSE = {"opportunities": "created_date"}


def rate_date(t: ir.Table, name: str) -> ir.Value | None:
    """The date whose month picks a row's exchange rate: an order's date, a deal's close date (its
    created date for an open deal without one); None when the table has neither."""
    date = t[_RATE_DATE[name]] if _RATE_DATE[name] in t.columns else None
    other = _RATE_DATE_ELSE.get(name)
    if date is not None and other in t.columns:
        date = date.coalesce(t[other])
    return date
#: date columns that say how far the data reaches (the expected close of an open deal does not)
_AS_OF_COLUMNS = {
    "orders": ("order_date",),
    "opportunities": ("created_date", "close_date", "last_activity_date"),
    "opportunity_history": ("entered_date",),
    "feedback": ("date",),
    "training": ("date",),
}


def _code(col) -> ir.Value:
    return col.cast("string").strip().upper()


def cast_column(t: ir.Table, col) -> ir.Value | None:
    """The expression casting ``t[col.name]`` to the contract's kind, or None when already right.

    Unparseable values become NULL; validation counts them. Text is cast the same way on every
    engine: the value (stripped of surrounding blanks) must match :data:`DATE_PATTERN` (``YYYY-MM-DD``,
    optionally followed by a time of day), :data:`FLOAT_PATTERN` (plain decimal or scientific
    notation: no thousands separators, decimal commas, currency, ``NaN``, ``inf`` or ``1_000``) or
    :data:`INT_PATTERN` (digits, optionally ``.0``) before it is cast; an impossible date such as
    ``2024-02-30`` passes the pattern and fails the cast. Engines' own ``TRY_CAST`` rules differ (Spark
    reads ``2024`` as a date, DuckDB rounds ``12.5`` to the integer 13), so they only ever see values
    of one well-defined shape. A number stored as float becomes a whole number only when it has no
    fraction.
    """
    dtype = t.schema()[col.name]
    c = t[col.name]
    none = ibis.null()
    if col.kind == "date" and not dtype.is_date():
        if dtype.is_timestamp():
            return c.cast("date")
        if dtype.is_string():
            s = c.strip()
            return ibis.ifelse(s.re_search(DATE_PATTERN), s.substr(0, 10).try_cast("date"),
                               none.cast("date"))
        return c.try_cast("date")
    if col.kind == "float" and not dtype.is_floating():
        if dtype.is_string():
            s = c.strip()
            return ibis.ifelse(s.re_search(FLOAT_PATTERN), s.try_cast("float64"),
                               none.cast("float64"))
        return c.cast("float64") if dtype.is_numeric() else c.try_cast("float64")
    if col.kind == "int" and not dtype.is_integer():
        if dtype.is_string():
            s = c.strip()
            return ibis.ifelse(s.re_search(INT_PATTERN),
                               s.re_extract(r"^([+-]?[0-9]+)", 1).try_cast("int64"),
                               none.cast("int64"))
        if dtype.is_numeric():
            f = c.cast("float64")
            return ibis.ifelse(f == f.floor(), f.floor().cast("int64"), none.cast("int64"))
        return c.try_cast("int64")
    if col.kind == "str" and not dtype.is_string():
        return c.cast("string")
    return None


#: the type numbers are added in for the fingerprint: exact, so the same on every engine and run
_EXACT = dt.Decimal(38, 4)


def _fingerprint_value(v: Any) -> Any:
    """A fingerprint statistic in canonical form (not a JSON output: see :mod:`salesnb.jsonable`).

    Numbers are added as decimals of 4 places (:data:`_EXACT`): a sum of floats depends on the
    order of the additions, which changes from run to run when the engine adds in parallel threads
    (at 10M order lines, one run in a few of the pack gave another last cent, so the data overview
    took the run's data for other data and validated it again, 6 s). Sums of floats (data holding
    NaN or inf) are rounded to the cent; dates become ISO days.
    """
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, decimal.Decimal):
        return f"{v:.4f}"
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


def _duckdb_path(url: str) -> str:
    """The file of a ``duckdb://`` URL: ``duckdb:///x.db`` is ``x.db`` (relative to the working
    folder), ``duckdb:////data/x.db`` is ``/data/x.db`` (as SQLAlchemy reads them)."""
    path = url[len("duckdb://"):]
    return path[1:] if path.startswith("/") else path


def absolute_spec(spec: str | os.PathLike) -> str:
    """``spec`` with a relative folder or DuckDB file made absolute (from the working folder).

    A run reads the source in its own process and again in every notebook's kernel, which works in
    the notebooks' folder: ``source=exports/2026-10`` must name the same folder in both. ``"demo"``,
    database servers and absolute paths are returned as they are.
    """
    s = str(spec).strip()
    if s == "demo" or s.startswith("demo:"):
        return s
    if s.lower().startswith("duckdb://"):
        path = _duckdb_path(s)
        if path in ("", ":memory:") or Path(path).is_absolute():
            return s
        return "duckdb:///" + str(Path(path).expanduser().resolve())
    if _URL.match(s):
        return s
    return str(Path(s).expanduser().resolve())


#: DuckDB's memory cap (it spills to disk beyond it); SALESNB_DUCKDB_MEMORY overrides it
DUCKDB_MEMORY = "1GB"


def _duckdb(path: str = ":memory:", **kw):
    con = ibis.duckdb.connect(path, **kw)
    con.raw_sql(f"SET memory_limit='{os.environ.get('SALESNB_DUCKDB_MEMORY', DUCKDB_MEMORY)}'")
    if path == ":memory:":  # spill to the system's temp folder, not `.tmp` in the working folder
        import tempfile

        spill = Path(tempfile.gettempdir()) / "salesnb-duckdb"
        con.raw_sql(f"SET temp_directory = {_sql_str(spill)}")
    # no terminal progress bar on long queries: it would land in a scheduler's log as
    # carriage-return noise (salesnb reports its own progress). In a Jupyter kernel DuckDB refuses
    # to touch the setting without ipywidgets (and shows no bar there anyway): leave it.
    import duckdb

    try:
        con.raw_sql("SET enable_progress_bar = false")
    except duckdb.Error:
        pass
    return con


def _sql_str(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _blank(f: Path) -> bool:
    with open(f, "rb") as fh:
        return not fh.read(4096).strip()


def _view(con, name: str, sql: str) -> ir.Table:
    con.raw_sql(f'CREATE VIEW "{name}" AS {sql}')
    return con.table(name)


def open_folder(path: str | os.PathLike) -> Dataset:
    """Open a folder of ``<table>.parquet|csv|xlsx`` files in an in-memory DuckDB.

    Each table also gets its file positions (:attr:`Dataset.positions`): the 1-based data row of every
    row, from DuckDB's ``rowid`` of the loaded CSV/XLSX table or Parquet's ``file_row_number``.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DataError(f"source folder {folder} does not exist (expected a folder of table files)")
    con = _duckdb()
    raw: dict[str, ir.Table] = {}
    origin: dict[str, str] = {}
    positions: dict[str, ir.Table] = {}
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
        if f.suffix == ".csv" and _blank(f):
            raise DataError([Problem(
                "error", name, None, "empty_file",
                Message("the file is empty (no header row, no data): it needs a header row naming the "
                        "columns and at least one row"), source=str(f))], source=str(folder))
        try:
            if f.suffix == ".parquet":
                raw[name] = con.read_parquet(f, table_name=name)
                positions[name] = _view(
                    con, f"_pos_{name}",
                    f"SELECT file_row_number + 1 AS {ROW}, * EXCLUDE (file_row_number) "
                    f"FROM read_parquet({_sql_str(f.resolve())}, file_row_number = true)")
            else:
                if f.suffix == ".csv":
                    # every column as text: the contract casts them, and validation can then name
                    # the rows that do not parse instead of failing on DuckDB's type sniffing
                    # (materialised in DuckDB — not pandas — because DuckDB would push a TRY_CAST
                    # down into the CSV scan and fail there)
                    data = con.read_csv(f, table_name=f"_csv_{name}", all_varchar=True)
                else:
                    data = _text_if_mixed(pd.read_excel(f, engine="calamine"))
                raw[name] = con.create_table(name, data)
                # rows are stored in file order (DuckDB preserves insertion order): rowid is the
                # 0-based file position
                positions[name] = _view(con, f"_pos_{name}",
                                        f'SELECT rowid + 1 AS {ROW}, * FROM "{name}"')
        except Exception as exc:  # noqa: BLE001 - report which file failed, keep the cause
            raise DataError(f"{f}: cannot read table {name!r}: {exc}") from exc
    if "orders" not in raw:
        present = ", ".join(sorted(p.name for p in folder.iterdir())[:10]) or "nothing"
        raise DataError(
            f"{folder}: no orders table (orders.parquet, orders.csv or orders.xlsx) — found {present}"
        )
    meta: dict[str, Any] = {}
    if (folder / IMPORT_META).exists():
        try:
            meta = json.loads((folder / IMPORT_META).read_text(encoding="utf-8"))
        except ValueError as exc:
            raise DataError(f"{folder / IMPORT_META}: not valid JSON: {exc}") from exc
    return Dataset(con=con, raw=raw, spec=str(folder), origin=origin, positions=positions, meta=meta)


def _refuse_credentials(url: str) -> None:
    try:
        secrets.check_no_credentials(url, what="source")
    except ValueError as exc:
        raise DataError(str(exc)) from None


def _text_if_mixed(df: pd.DataFrame) -> pd.DataFrame:
    """Columns mixing numbers and text (an Excel id column holding ``536365`` and ``C536379``) as
    text, so that the engine can hold them; ``17850.0`` becomes ``"17850"``."""
    from salesnb.data.importing.parsing import to_text

    for c in df.columns:
        if df[c].dtype == object:
            kinds = {type(v) for v in df[c].dropna()}
            if str in kinds and len(kinds) > 1:
                df[c] = to_text(df[c])
    return df


#: written by ``salesnb import`` beside the tables: the export's date, currency and profile
IMPORT_META = "_import.json"


def open_url(url: str) -> Dataset:
    """Open a database URL with Ibis (``duckdb:///file.db``, ``postgresql://...``, ``sc://...``).

    Raises
    ------
    DataError
        When the URL holds a password or token (refused: they come from the environment), when the
        connection fails (the message shows the URL redacted) or when there is no ``orders`` table.
    """
    _refuse_credentials(url)
    shown = redact(url)
    scheme = url.split("://", 1)[0].lower()
    if scheme in SPARK_SCHEMES:
        return open_spark(url)
    try:
        if url.startswith("duckdb://"):
            con = _duckdb(_duckdb_path(url), read_only=True)
        else:
            con = ibis.connect(url.replace("postgresql://", "postgres://", 1))
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"cannot connect to {shown}: {type(exc).__name__}: {redact(exc)}") from exc
    present = set(con.list_tables())
    raw = {name: con.table(name) for name in TABLES if name in present}
    if "orders" not in raw:
        raise DataError(f"{shown}: no table named 'orders' (tables: {', '.join(sorted(present))})")
    return Dataset(con=con, raw=raw, spec=shown, origin={n: f"{shown}#{n}" for n in raw})


# -------------------------------------------------------------------- Spark Connect
#: environment variables read for Spark Connect
SPARK_REMOTE_ENV = "SPARK_REMOTE"
SPARK_TOKEN_ENV = "SPARK_CONNECT_TOKEN"


@dataclass(frozen=True)
class SparkTarget:
    """Where a Spark source URL points: the Connect remote (without token) and an optional database."""

    remote: str
    database: str | None = None


def parse_spark_url(url: str, *, environ: dict | None = None) -> SparkTarget:
    """Resolve a Spark source URL to a Spark Connect remote and database.

    ``sc://HOST:PORT``, ``sc://HOST:PORT/;database=NAME`` (Spark Connect's own ``;key=value``
    parameters such as ``use_ssl=true`` pass through), ``spark://HOST:PORT[/NAME]`` (the same
    server); ``pyspark://`` or ``spark://`` without a host take the server from ``SPARK_REMOTE``
    (``pyspark:///NAME`` or ``?database=NAME`` for a database). ``schema`` is accepted for
    ``database``.
    """
    env = os.environ if environ is None else environ
    _refuse_credentials(url)
    scheme, rest = url.split("://", 1)
    rest, _, query = rest.partition("?")
    head, _, params = rest.partition(";")
    host, _, path = head.partition("/")
    kv: dict[str, str] = {}
    for part in [*params.split(";"), *query.split("&")]:
        if "=" in part:
            k, v = part.split("=", 1)
            kv[k.strip().lower()] = v.strip()
    database = kv.pop("database", None) or kv.pop("schema", None) or (path.strip("/") or None)
    if host:
        remote = f"sc://{host}" + ("/;" + ";".join(f"{k}={v}" for k, v in kv.items()) if kv else "")
    else:
        remote = env.get(SPARK_REMOTE_ENV, "").strip()
        if not remote:
            raise DataError(
                f"{redact(url)}: no Spark Connect server given; write sc://HOST:PORT or set "
                f"{SPARK_REMOTE_ENV}=sc://HOST:PORT (see docs/engines.md)")
        if not remote.startswith("sc://"):
            raise DataError(f"{SPARK_REMOTE_ENV}={redact(remote)}: a Spark Connect URL starts with sc://")
    if scheme.lower() == "spark" and host.endswith(":7077"):
        raise DataError(
            f"{redact(url)}: port 7077 is a standalone master, not a Spark Connect server; start a "
            "Connect server on the cluster and give sc://HOST:15002 (see docs/engines.md)")
    return SparkTarget(remote=remote, database=database)


def spark_session(remote: str, *, environ: dict | None = None):
    """A Spark Connect session to ``remote``, with the token from ``SPARK_CONNECT_TOKEN`` if set."""
    env = os.environ if environ is None else environ
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise DataError(
            f"{redact(remote)}: Spark needs the spark extra: pip install 'salesnb[spark]'") from exc
    token = env.get(SPARK_TOKEN_ENV, "").strip()
    full = remote
    if token and "token=" not in remote:
        sep = ";" if "/;" in remote else "/;"
        ssl = "" if "use_ssl=" in remote else ";use_ssl=true"
        full = f"{remote}{sep}token={token}{ssl}"
    # one session per server: the builder's getOrCreate returns the process's session whatever URL
    # it is given, so a second server (a test's, or a warm kernel's next source) got the first one's,
    # stopped or not. Kept on pyspark's class, so a warm kernel's reset keeps them as getOrCreate did.
    sessions = SparkSession.__dict__.get("_salesnb_sessions")
    if sessions is None:
        sessions = {}
        SparkSession._salesnb_sessions = sessions
    session = sessions.get(full)
    if session is not None and not getattr(session, "is_stopped", False):
        return session
    try:
        session = sessions[full] = SparkSession.builder.remote(full).create()
        return session
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"cannot connect to Spark at {redact(remote)}: {type(exc).__name__}: "
                        f"{redact(exc)}") from exc


def open_spark(url: str) -> Dataset:
    """Open the canonical tables of a Spark Connect server's catalog (see :func:`parse_spark_url`)."""
    target = parse_spark_url(url)
    shown = redact(url)
    session = spark_session(target.remote)
    try:
        con = ibis.pyspark.connect(session)
        present = set(con.list_tables(database=target.database))
        raw = {name: con.table(name, database=target.database) for name in TABLES if name in present}
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"cannot read the catalog of {shown} ({redact(target.remote)}): "
                        f"{type(exc).__name__}: {redact(exc)}") from exc
    where = f"database {target.database!r}" if target.database else "the current database"
    if "orders" not in raw:
        raise DataError(f"{shown}: no table named 'orders' in {where} of {redact(target.remote)} "
                        f"(tables: {', '.join(sorted(present)) or 'none'})")
    prefix = f"{target.database}." if target.database else ""
    return Dataset(con=con, raw=raw, spec=shown, origin={n: f"{shown}#{prefix}{n}" for n in raw})
