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
        t = self.raw[name]
        spec = TABLES.get(name)
        if spec is not None:
            casts = {c.name: cast_column(t, c) for c in spec.columns if c.name in t.columns}
            casts = {k: v for k, v in casts.items() if v is not None}
            if casts:
                t = t.mutate(**casts)
        return t

    # ---------------------------------------------------------------- currency
    def currencies(self) -> dict[str, int]:
        """Currency code → rows, over the ``currency`` columns of orders and opportunities."""
        if "currencies" not in self._cache:
            out: dict[str, int] = {}
            for name in MONEY_COLUMNS:
                if not self.has(name, "currency"):
                    continue
                t = self.raw[name]
                t = t.mutate(_c=_code(t.currency))
                t = t.filter(t._c.notnull() & (t._c != ""))
                df = t.group_by(t._c.name("c")).aggregate(n=t.count()).execute()
                for c, n in zip(df["c"], df["n"], strict=True):
                    out[str(c)] = out.get(str(c), 0) + int(n)
            self._cache["currencies"] = dict(sorted(out.items()))
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
        date = t[_RATE_DATE[name]] if _RATE_DATE[name] in t.columns else None
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

    # ---------------------------------------------------------------- facts
    @property
    def as_of(self) -> pd.Timestamp:
        """The data's as-of date.

        The ``as_of`` parameter when given (:meth:`configure`); else the export's date an import
        recorded; else the latest date in any table (orders, deals created or closed, stage changes,
        activities, feedback...), never later than today. Dates after it are judged as future dates.
        """
        if self._as_of_given is not None:
            return self._as_of_given
        if self.meta.get("as_of"):
            return pd.Timestamp(str(self.meta["as_of"])).normalize()
        if "as_of" not in self._cache:
            today = pd.Timestamp.today().normalize().date()
            last = None
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
                for v in row:
                    if v is not None and not pd.isna(v):
                        last = pd.Timestamp(v) if last is None else max(last, pd.Timestamp(v))
            if last is None:
                raise DataError(f"orders in {self.spec} has no valid order_date")
            self._cache["as_of"] = last.normalize()
        return self._cache["as_of"]

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


#: amount columns converted to the reporting currency, per table with a ``currency`` column
MONEY_COLUMNS = {"orders": ("amount", "list_amount", "cost"), "opportunities": ("amount",)}
#: the date whose month picks the exchange rate
_RATE_DATE = {"orders": "order_date", "opportunities": "close_date"}
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
                df = _text_if_mixed(pd.read_excel(f, engine="calamine"))
                raw[name] = con.create_table(name, df)
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
    return Dataset(con=con, raw=raw, spec=str(folder), origin=origin, meta=meta)


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
