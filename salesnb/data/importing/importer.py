"""Turn a CRM or spreadsheet export into the canonical tables, as a profile (YAML) says.

A profile maps the export's files and headers to the contract (:mod:`salesnb.data.contract`); this
module reads the files (:mod:`.parsing`), applies the mapping, converts every value by a stated rule,
and writes one Parquet file per canonical table plus ``_import.json`` (the export's date, currency and
profile). Everything it did is recorded in an :class:`ImportReport`: rows read, columns mapped, values
converted, rows dropped with their reasons. What cannot be mapped or read is an :class:`ImportError_`
naming the file, the table and the column. Code here is only what YAML cannot say: the named
``derive`` transforms of :data:`DERIVE`.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from salesnb.data.contract import STATUSES, TABLES
from salesnb.data.importing.parsing import (
    ParseError,
    ReadInfo,
    currency_mark,
    parse_dates,
    parse_numbers,
    read_any,
    to_text,
)
from salesnb.i18n import Message, listing
from salesnb.i18n import Verbatim as V
from salesnb.i18n import t as _t

PROFILE_DIR = Path(__file__).resolve().parents[1] / "profiles"
BUILTIN = ("salesforce", "hubspot", "zoho", "fxiaoke", "generic")
#: the files of an export folder that are candidate tables (a single file given is read whatever its name)
DATA_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")


class ImportError_(ValueError):  # noqa: N801 - not the builtin ImportError
    """An export that cannot be imported as the profile says; the message names what and where."""


class _NoColumn(ImportError_):
    """A column a ``derive`` reads is not in the export (an ``optional`` derive is then not mapped)."""


# ------------------------------------------------------------------------------------ profiles
def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load_profile(name_or_path: str, *, overrides: str | Path | None = None) -> dict:
    """A profile by built-in name (``salesforce``, ``hubspot``, ``zoho``, ``fxiaoke``, ``generic``)
    or YAML path, with ``overrides`` (a ``--map`` YAML file) merged over it key by key."""
    p = Path(name_or_path)
    if p.suffix.lower() in (".yaml", ".yml") or p.exists():
        if not p.exists():
            raise ImportError_(f"profile file {p} does not exist")
        path = p
    else:
        path = PROFILE_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            raise ImportError_(f"no profile {name_or_path!r}: built-in profiles are "
                               f"{', '.join(BUILTIN)}, or give a YAML file")
    prof = _read_yaml(path)
    if prof.get("extends"):
        prof = _merge(load_profile(str(prof.pop("extends"))), prof)
    if overrides:
        prof = _merge(prof, _read_yaml(Path(overrides)))
    prof.setdefault("name", path.stem)
    _check_profile(prof, str(path))
    return prof


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ImportError_(f"{path}: cannot read the profile: {exc}") from exc
    if not isinstance(data, dict):
        raise ImportError_(f"{path}: a profile is a mapping (name, read, tables, ...)")
    return data


PROFILE_KEYS = {"name", "description", "read", "currency", "reporting_currency", "tables", "stages",
                "status", "forecast_categories", "extends", "as_of"}
TABLE_KEYS = {"file", "files", "join", "otherwise", "sheet", "header_row", "encoding", "delimiter", "decimal", "thousands",
              "columns", "where", "drop_if_missing", "distinct", "from_table", "history_from",
              "required", "skip_unless", "footer_patterns", "exchange_rate", "owners_only", "active_flag",
              "also", "per_month", "base_currency"}
#: how a record's exchange rate is quoted (``exchange_rate.quote``)
RATE_QUOTES = ("record_per_home", "home_per_record")


def _check_profile(prof: dict, where: str) -> None:
    unknown = set(prof) - PROFILE_KEYS
    if unknown:
        raise ImportError_(f"{where}: unknown profile key(s) {', '.join(sorted(unknown))} "
                           f"(known: {', '.join(sorted(PROFILE_KEYS))})")
    for t, spec in (prof.get("tables") or {}).items():
        if t not in TABLES:
            raise ImportError_(f"{where}: tables.{t}: not a canonical table "
                               f"(one of {', '.join(TABLES)})")
        bad = set(spec or {}) - TABLE_KEYS
        if bad:
            raise ImportError_(f"{where}: tables.{t}: unknown key(s) {', '.join(sorted(bad))} "
                               f"(known: {', '.join(sorted(TABLE_KEYS))})")
        distinct = (spec or {}).get("distinct", False)
        if not (isinstance(distinct, bool) or distinct == "stage_entries"):
            raise ImportError_(f"{where}: tables.{t}.distinct: true, false or stage_entries, "
                               f"not {distinct!r}")
        if distinct == "stage_entries" and t != "opportunity_history":
            raise ImportError_(f"{where}: tables.{t}.distinct: stage_entries is for opportunity_history")
        alt = (spec or {}).get("otherwise")
        if alt is not None and (not isinstance(alt, dict) or set(alt) - TABLE_KEYS - {"description"}
                                or "otherwise" in alt):
            raise ImportError_(f"{where}: tables.{t}.otherwise: a table's second way to read it "
                               f"(file, where, columns, ...), not {alt!r}")
        extra = [*_as_list((spec or {}).get("also")), *_as_list((alt or {}).get("also"))]
        if any(not isinstance(a, dict) or set(a) - TABLE_KEYS or {"also", "otherwise"} & set(a)
               for a in extra):
            raise ImportError_(f"{where}: tables.{t}.also: a list of more files to read into the table "
                               f"(file, where, columns, ...), not {extra!r}")
        for col in [*((spec or {}).get("columns") or {}), *((alt or {}).get("columns") or {}),
                    *(c for a in extra for c in (a.get("columns") or {}))]:
            if col not in {c.name for c in TABLES[t].columns}:
                raise ImportError_(
                    f"{where}: tables.{t}.columns.{col}: not a column of {t} in the contract "
                    f"({', '.join(c.name for c in TABLES[t].columns)})")


# ------------------------------------------------------------------------------------- report
@dataclass
class TableReport:
    """What happened to one canonical table."""

    table: str
    file: str = ""
    rows_read: int = 0
    rows: int = 0
    mapped: dict[str, str] = field(default_factory=dict)
    converted: list[str] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)
    #: rows dropped for an empty required value (``drop_if_missing``): (rows, column)
    lacking: list[tuple[int, str]] = field(default_factory=list)
    #: the columns of ``lacking`` dropped from the closed deals only (``unless_open``)
    lacking_closed: set[str] = field(default_factory=set)
    #: the headers ``status_from_flags`` read (the CRM's own closed and won flags)
    flags: list[str] = field(default_factory=list)
    #: rows a ``where`` filter dropped: (rows, reason)
    filtered: list[tuple[int, str]] = field(default_factory=list)
    #: empty values the profile's ``default`` filled in: (rows, column, value)
    filled: list[tuple[int, str, str]] = field(default_factory=list)
    #: read from another table's file (``from_table``): its dropped rows are that table's lines
    derived: bool = False
    unused: list[str] = field(default_factory=list)
    read: str = ""
    #: what the user should look at (printed on their own lines)
    warnings: list[str] = field(default_factory=list)
    #: the files of the table's ``also`` entries read beside its own: (file, rows)
    sources: list[tuple[str, int]] = field(default_factory=list)
    #: what the table's rows are, when "N rows from FILE" would mislead (fx_rates: the rates for
    #: every month and the monthly ones, each with its file); printed instead of it
    said: Any = ""
    #: :attr:`read` in parts (encoding, delimiter ...), each translated on its own
    read_parts: list = field(default_factory=list)


@dataclass
class ImportReport:
    """Everything an import did, printed by ``salesnb import``."""

    profile: str
    export: str
    out: str = ""
    tables: list[TableReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    as_of: str = ""
    currency: str = ""
    #: the pipelines named by ids, not names (Salesforce's RecordTypeId without RecordType.Name):
    #: ``{"column": ..., "ids": [...]}`` for ``_import.json``, so that the pages can say it
    pipeline_ids: dict[str, Any] = field(default_factory=dict)
    #: where the exchange rates came from (:func:`_fx_summary`), for ``_import.json`` and the pages
    fx: dict[str, Any] = field(default_factory=dict)
    #: the orders and deals ``drop_if_missing`` left out (rep_id, their dates, why): what a rep
    #: whose every deal was dropped did, for the end date of an inactive one (:func:`_roster`)
    set_aside: list[pd.DataFrame] = field(default_factory=list, repr=False, compare=False)

    def lines(self, lang: str = "en") -> list[str]:
        """The report's lines in ``lang`` (``salesnb import --lang``; default English): each line a
        message of :mod:`salesnb.locale`, the names of files, tables and columns as they are."""
        def tx(x: Any, **kw: Any) -> str:
            return str(_t(x, lang, **kw))

        out = [tx("salesnb import: profile {profile}, export {export}", profile=V(self.profile),
                  export=V(self.export))]
        for r in self.tables:
            how = (Message("; {read}", read=Message.join(", ", [x if isinstance(x, Message) else V(x)
                                                              for x in (r.read_parts or [r.read])]))
                   if r.read else V(""))
            if r.said:
                out.append(tx("  {table}: {said} ({read_rows} read{how})", table=V(r.table), said=r.said,
                              read_rows=r.rows_read, how=how))
            else:
                out.append(tx("  {table}: {rows} rows from {file} ({read_rows} read{how})", table=V(r.table),
                              rows=r.rows, file=V(r.file), read_rows=r.rows_read, how=how))
            if r.mapped:
                out.append(tx("    mapped: {pairs}", pairs=V(", ".join(
                    f"{k} ← {tx(v) if isinstance(v, Message) else v}" for k, v in r.mapped.items()))))
            if r.converted:
                out.append(tx("    converted: {what}", what=Message.join("; ", r.converted)))
            for n, why in r.dropped:
                out.append(tx("    dropped {n} row(s): {why}", n=n, why=why))
            for n, col, value in r.filled:
                out.append(tx("    filled {n:,} empty {column} with {value} (the profile's default): the pages "
                              "read it as data", n=n, column=V(col), value=V(value)))
            for w in r.warnings:
                out.append(tx("    CHECK: {what}", what=w))
            if r.unused:
                out.append(tx("    not used: {columns}", columns=V(", ".join(r.unused[:25])))
                           + (tx(" (+{n} more)", n=len(r.unused) - 25) if len(r.unused) > 25 else ""))
        for x in self.skipped:
            out.append(tx("  skipped: {what}", what=x))
        for x in self.notes:
            out.append(tx("  note: {what}", what=x))
        if self.fx:
            fx = self.fx
            every = len(fx["every_month"])
            rows = Message.join(", ", [
                Message("{n:,} rates for every month", n=every) if every else "",
                Message("{n:,} monthly rates", n=fx["rows"] - every) if fx["rows"] > every else ""])
            via = (Message(" (via {base}, the rates' own currency)", base=V(fx["base_currency"]))
                   if fx.get("base_currency") and fx["base_currency"] != fx["reporting_currency"] else
                   Message(" (the corporate currency)") if fx.get("base_currency") else V(""))
            out.append(tx("  rates: fx_rates from {files}: {rows}, {n} currencies ({currencies}) into {target}{via}",
                          files=Message.join(", ", [_file_rows(f) for f in fx.get("sources") or ()])
                          if fx.get("sources") else V(", ".join(fx["files"])),
                          rows=rows or Message("no rows"), n=len(fx["currencies"]),
                          currencies=listing(fx["currencies"]), target=V(fx["reporting_currency"]), via=via)
                       + (tx("; monthly rates {first} to {last}", first=V(fx["months"][0]), last=V(fx["months"][-1]))
                          if fx["months"] else "")
                       + (tx("; one rate for every month without a monthly one: {currencies}",
                             currencies=listing(fx["every_month"])) if fx["every_month"] else ""))
        if self.out:
            out.append(tx("wrote {n} table(s) to {folder} (Parquet)", n=len(self.tables), folder=V(self.out))
                       + (tx("; as of {date}", date=V(self.as_of)) if self.as_of else "")
                       + (tx("; currency {currency}", currency=V(self.currency)) if self.currency else ""))
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


# ------------------------------------------------------------------------------------- reading
def _files(export: Path) -> list[Path]:
    if export.is_file():
        return [export]
    if not export.is_dir():
        raise ImportError_(f"export {export} does not exist (give a folder or a CSV/XLSX file)")
    # the folder itself, not its subfolders (an archive of last year's export, a backup), and data
    # files only: a README.txt or notes.txt beside the CSVs is no table
    return sorted(p for p in export.iterdir() if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                  and not p.name.startswith((".", "~$")))


def _find(files: list[Path], pattern: str | list | None) -> Path | None:
    if pattern is None:
        return files[0] if len(files) == 1 else None
    pats = pattern if isinstance(pattern, list) else [pattern]
    for pat in pats:
        hits = [f for f in files if fnmatch.fnmatch(f.name.lower(), str(pat).lower())]
        if len(hits) > 1:
            raise ImportError_(f"several files match {pat!r}: {', '.join(h.name for h in hits)}; "
                               "name one in the profile")
        if hits:
            return hits[0]
    return None


def _find_all(files: list[Path], pattern: str | list) -> list[Path]:
    """Every file matching ``pattern`` (a glob or a list of them), in name order."""
    pats = pattern if isinstance(pattern, list) else [pattern]
    return [f for f in files if any(fnmatch.fnmatch(f.name.lower(), str(p).lower()) for p in pats)]


def _read(path: Path, spec: dict, rd: dict) -> tuple[pd.DataFrame, ReadInfo]:
    """One file read as the table's ``spec`` says, else as the profile's ``read`` defaults: its
    encoding, delimiter, sheet, header row and footer; the profile's ``null_values`` as empty."""
    try:
        df, info = read_any(path, encoding=spec.get("encoding", rd.get("encoding")),
                            delimiter=spec.get("delimiter", rd.get("delimiter")),
                            sheet=spec.get("sheet", rd.get("sheet")),
                            header_row=spec.get("header_row", rd.get("header_row")),
                            footer=spec.get("footer_patterns", rd.get("footer_patterns")))
    except ParseError as exc:
        raise ImportError_(str(exc)) from exc
    nulls = {str(v) for v in rd.get("null_values") or []}
    if nulls:
        df = df.map(lambda v: "" if isinstance(v, str) and v.strip() in nulls else v)
    return df, info


def _read_all(paths: list[Path], spec: dict, rd: dict, pattern) -> tuple[pd.DataFrame, ReadInfo]:
    """One table spread over several files of the same layout (monthly exports): each read as
    :func:`read_any` reads one, then stacked in name order. Files whose headers differ stop the
    import, naming the files and the columns."""
    frames, infos = [], []
    for p in paths:
        df, info = _read(p, spec, rd)
        if frames and set(df.columns) != set(frames[0].columns):
            extra = sorted(set(df.columns) - set(frames[0].columns))
            missing = sorted(set(frames[0].columns) - set(df.columns))
            raise ImportError_(
                f"{p.name}: its columns differ from {paths[0].name}'s (both match {pattern!r}): "
                + "; ".join(x for x in (f"only in {p.name}: {', '.join(map(str, extra))}" if extra else "",
                                       f"missing: {', '.join(map(str, missing))}" if missing else "") if x))
        frames.append(df[list(frames[0].columns)] if frames else df)
        infos.append(info)
    info = infos[0]
    info.file = f"{len(paths)} files ({paths[0].name} … {paths[-1].name})" if len(paths) > 1 else paths[0].name
    info.rows = sum(i.rows for i in infos)
    info.footer = [t for i in infos for t in i.footer]
    info.repeated_headers = sum(i.repeated_headers for i in infos)
    info.misread = [m for i in infos for m in i.misread]
    encodings = {i.encoding for i in infos if i.encoding}
    if len(encodings) > 1:
        info.notes.append("encodings " + ", ".join(sorted(encodings)))
    return pd.concat(frames, ignore_index=True), info


def _join(df: pd.DataFrame, joins, files: list[Path], rd: dict, name: str,
          rep: TableReport, seen: set | None = None) -> pd.DataFrame:
    """``df`` with the columns of other files added by key (``join: [{file, key}]``), in order: an
    export that keeps an order's date and customer in one file and its lines in another (Olist).

    Each joined file must hold one row per key (else an error names the key values found twice);
    ``key`` is a column of both, or ``{left: ..., right: ...}`` (not ``on``: YAML reads it as true).
    A later join may use a column an earlier one added. Columns the table already has keep their
    values; the joined file's columns of the same name are not added. Rows without a match keep
    empty values, counted in the report."""
    for j in joins if isinstance(joins, list) else [joins]:
        if not isinstance(j, dict) or "file" not in j or "key" not in j:
            raise ImportError_(f"{name}: a join entry needs file and key, e.g. "
                               f"{{file: orders.csv, key: order_id}} (got {j!r})")
        path = _find(files, j["file"])
        if path is None:
            raise ImportError_(f"join: no file matching {j['file']!r} (files: "
                               f"{', '.join(f.name for f in files[:20]) or 'none'})")
        on = j["key"]
        left, right = (on.get("left"), on.get("right")) if isinstance(on, dict) else (on, on)
        other, oinfo = _read(path, j, rd)
        _misread_checks(oinfo, rep, seen if seen is not None else set())
        lh, rh = _header(df, left), _header(other, right)
        if lh is None or rh is None:
            raise ImportError_(f"join {path.name}: no column {left!r} in {name}" if lh is None else
                               f"join {path.name}: no column {right!r} in {path.name}")
        keys = to_text(other[rh]).str.strip()
        twice = keys[keys.duplicated(keep=False) & (keys != "")]
        if len(twice):
            raise ImportError_(
                f"join {path.name} on {rh!r}: {twice.nunique():,} key value(s) appear more than once "
                f"(e.g. {', '.join(map(repr, twice.unique()[:5]))}); a joined file needs one row per key")
        add = [c for c in other.columns if c != rh and c not in df.columns]
        right_part = other[add].assign(_key=keys.to_numpy())
        merged = df.assign(_key=to_text(df[lh]).str.strip().to_numpy()).merge(
            right_part, on="_key", how="left", indicator=True)
        missed = int((merged["_merge"] == "left_only").sum())
        rep.converted.append(Message("joined {file} on {column}: {n:,} of {total:,} rows matched{missed}",
                                     file=V(path.name), column=V(lh), n=len(merged) - missed, total=len(merged),
                                     missed=Message(" ({n:,} without a match keep empty values)", n=missed)
                                     if missed else V("")))
        df = merged.drop(columns=["_key", "_merge"]).set_axis(df.index)
        df[add] = df[add].fillna("")
    return df


def _misread_checks(info: ReadInfo, trep: TableReport, seen: set) -> None:
    """A CHECK line for each text column of the file read that looks mis-decoded before the export
    (DOS text read as Windows cp1252: ``Berguvsv„gen``), once per file and column (``seen``)."""
    for m in info.misread:
        if (m.file, m.column) not in seen:
            seen.add((m.file, m.column))
            trep.warnings.append(m.describe(info.encoding or "utf-8"))


#: the marks an export or template puts on a header to say it must (or may) be filled: 纷享销客 writes
#: ``客户名称（必填）``, import templates ``*客户名称`` or ``客户名称(选填)``; the header is the name without them
_FILL_MARK = re.compile(r"^\s*\*|[(（]\s*(必填|选填|非必填)\s*[)）]\s*$|\*\s*$")


def _norm(h: str) -> str:
    return re.sub(r"[\s_\-()（）:：./]+", "", _FILL_MARK.sub("", str(h))).lower()


def _headers(df: pd.DataFrame, names) -> list[str]:
    """Every header of ``df`` that one of ``names`` names, in the order of ``names`` (for each name:
    the exact headers first, then those equal ignoring case, spaces and punctuation, in file order)."""
    names = names if isinstance(names, list) else [names]
    out = [n for n in names if n in df.columns]  # exact first, as :func:`_header` chooses
    for n in names:
        out += [c for c in df.columns if _norm(c) == _norm(n)]
    return list(dict.fromkeys(out))


def _filled_header(df: pd.DataFrame, names, rep: TableReport, cname: str) -> str | None:
    """The first header of ``names`` (:func:`_headers`) whose column holds a value in some row, else
    the first found (today's choice when every one is empty). An org whose ``Loss_Reason__c`` is
    empty and ``LossReason__c`` filled would otherwise read no lost reason at all; the report says
    which one was read and that the earlier ones were empty."""
    found = _headers(df, names)
    if len(found) < 2:
        return found[0] if found else None
    for i, h in enumerate(found):
        if (to_text(df[h]).fillna("").str.strip() != "").any():
            if i:
                rep.converted.append(Message(
                    "{column}: {headers} is empty in every row; read {header} instead (the next of the profile's "
                    "candidates that holds values)" if i == 1 else
                    "{column}: {headers} are empty in every row; read {header} instead (the next of the profile's "
                    "candidates that holds values)", column=V(cname), headers=listing(found[:i]), header=V(h)))
            return h
    return found[0]


def _header(df: pd.DataFrame, names) -> str | None:
    """The first of ``names`` present among ``df``'s headers (exact, then ignoring case/spaces)."""
    names = names if isinstance(names, list) else [names]
    for n in names:
        if n in df.columns:
            return n
    norm = {_norm(c): c for c in df.columns}
    for n in names:
        if _norm(n) in norm:
            return norm[_norm(n)]
    return None


# ---------------------------------------------------------------------------- derive transforms
def _d_multiply(df: pd.DataFrame, args, ctx) -> pd.Series:
    cols = [_need(df, a, ctx) for a in args]
    out = pd.Series(1.0, index=df.index)
    for c in cols:
        out = out * parse_numbers(df[c], decimal=ctx["decimal"], thousands=ctx["thousands"],
                                  file=ctx["file"], column=c).to_numpy()
    opts = ctx.get("options") or {}
    if opts:
        out = out * (1 - _discount(df, opts, ctx))
    return out.round(6)


def _discount(df: pd.DataFrame, opts: dict, ctx) -> np.ndarray:
    """The share taken off each line: ``discount`` holds fractions (0.05, or texts like "5%"),
    ``discount_percent`` numbers of percent (5); an empty cell is no discount. A value outside
    0–100 % stops the import, naming the rows (a percent read as a fraction would be)."""
    (key, name), = opts.items()
    c = _need(df, name, ctx)
    raw = df[c]
    share = parse_numbers(raw, decimal=ctx["decimal"], thousands=ctx["thousands"],
                          file=ctx["file"], column=c).to_numpy()
    if key == "discount_percent":  # a cell written "5%" is already a share
        share = np.where(to_text(raw).fillna("").str.strip().str.endswith("%").to_numpy(),
                         share, share / 100)
    share = np.nan_to_num(share, nan=0.0)
    bad = np.flatnonzero((share < 0) | (share > 1))
    if len(bad):
        rows = ", ".join(str(int(i) + 1) for i in df.index[bad[:5]])  # data rows, as elsewhere
        hint = ("; if they are percents, write discount_percent" if key == "discount"
                and (share[bad] <= 100).all() and (share[bad] >= 0).all() else "")
        raise ImportError_(
            f"{ctx['file']}, column {c!r}: {len(bad):,} discount(s) outside 0–100 % for "
            f"{ctx['table']} (data rows {rows}{', …' if len(bad) > 5 else ''}; e.g. "
            f"{raw.iloc[bad[0]]!r}){hint}")
    n = int((share > 0).sum())
    ctx["report"].converted.append(
        f"amount less {c} ({'percent' if key == 'discount_percent' else 'fraction'}): "
        f"{n:,} of {len(share):,} rows discounted"
        + (f", {share[share > 0].min():.0%}–{share.max():.0%}" if n else ""))
    return share


def _d_concat(df: pd.DataFrame, args, ctx) -> pd.Series:
    cols = [_need(df, a, ctx) for a in args]
    parts = [to_text(df[c]).fillna("") for c in cols]
    out = parts[0]
    for p in parts[1:]:
        out = out.str.cat(p, sep=" ")
    return out.str.strip().replace("", None)


#: the values of a yes/no flag that say yes (case ignored): Salesforce writes true and false
TRUE_FLAGS = {"1", "true", "yes", "y", "t"}


def status_from_flags(closed: pd.Series, won: pd.Series) -> pd.Series:
    """A deal's status from its closed and won flags (Salesforce's IsClosed, IsWon): open unless
    closed; closed, won or lost as the won flag says."""
    closed = to_text(closed).fillna("").str.strip().str.lower()
    won = to_text(won).fillna("").str.strip().str.lower()
    return pd.Series(np.where(~closed.isin(TRUE_FLAGS), "open",
                              np.where(won.isin(TRUE_FLAGS), "won", "lost")), index=closed.index)


#: a stage name that says won or lost (the other stages are open)
_WON = re.compile(r"(^|\b|closed\s*)won\b|^win$|赢单|成交", re.I)
_LOST = re.compile(r"(^|\b|closed\s*)lost\b|^lose$|\bdead\b|disqualif|abandon|cancel|withdrawn|"
                   r"no[\s_-]*decision|^closed\b(?!.*\bwon\b)|丢单|输单|失单|战败|失败|放弃|取消|关闭|无效", re.I)
#: (a stage called closed but not won, a team's ``Closed: abandoned``, ended without a sale: lost)


def name_status(stage: str) -> str:
    """What a stage's name says its deals are: ``won`` (Closed Won, Closed: won), ``lost`` (Closed
    Lost, Closed: abandoned, Dead), else ``open``: the words :mod:`.suggest` also reads stage names by."""
    v = str(stage)
    return "lost" if _LOST.search(v) else "won" if _WON.search(v) else "open"


def status_from_closed(closed: pd.Series, stage: pd.Series, listed: dict[str, str] | None = None) -> pd.Series:
    """A deal's status from its closed flag alone (HubSpot's Is Deal Closed? without Is Closed Won):
    open unless closed; a closed deal is won when the stages list (``listed``) says its stage is won,
    or, for a stage the list gives no won or lost, when the stage's name says won; else lost."""
    closed = to_text(closed).fillna("").str.strip().str.lower()
    st = to_text(stage).fillna("").str.strip()
    listed = {k: v for k, v in (listed or {}).items() if v in ("won", "lost")}
    won = st.map(lambda v: listed.get(v, "won" if name_status(v) == "won" else "lost") == "won")
    return pd.Series(np.where(~closed.isin(TRUE_FLAGS), "open", np.where(won, "won", "lost")), index=closed.index)


def _d_status_from_flags(df: pd.DataFrame, args, ctx) -> pd.Series:
    closed = _need(df, args["closed"], ctx)
    won = _header(df, args["won"]) if args.get("won") is not None else None
    rep = ctx.get("report")
    if won is not None or "stage" not in args:
        won = won or _need(df, args.get("won"), ctx)
        if rep is not None:
            rep.flags = [closed, won]
        return status_from_flags(df[closed], df[won])
    # no won flag (a HubSpot portal whose export has Is Deal Closed? only): the closed deals' stage
    stage = _need(df, args["stage"], ctx)
    out = status_from_closed(df[closed], df[stage], _stage_statuses(ctx.get("profile") or {}))
    if rep is not None:
        rep.flags = [closed]
        n = out.value_counts()
        rep.converted.append(
            f"status: {closed} says which deals are closed; no won flag ({', '.join(map(str, _as_list(args.get('won'))))}"
            f" not in the export), so a closed deal is won when its {stage} is won by the stages list or by its "
            f"name, else lost: {int(n.get('won', 0)):,} won, {int(n.get('lost', 0)):,} lost, "
            f"{int(n.get('open', 0)):,} open")
    return out


def _d_coalesce(df: pd.DataFrame, args, ctx) -> pd.Series:
    cols = [_need(df, a, ctx) for a in args]
    out = pd.Series([None] * len(df), index=df.index, dtype=object)
    for c in cols:
        v = df[c].where(df[c].astype(str).str.strip() != "", None)
        out = out.where(out.notna(), v)
    return out


def _d_reciprocal(df: pd.DataFrame, args, ctx) -> pd.Series:
    """1 ÷ the number (Salesforce's ConversionRate, units of a currency per 1 of the corporate one,
    read as the corporate currency per 1 unit of it); a value that is not a positive number stops
    the import, naming the rows."""
    c = _need(df, args, ctx)
    x = parse_numbers(df[c], decimal=ctx["decimal"], thousands=ctx["thousands"], file=ctx["file"], column=c)
    bad = ~(x > 0)
    if bad.any():
        rows = ", ".join(str(int(i) + 1) for i in df.index[bad.to_numpy()][:5])
        raise ImportError_(f"{ctx['file']}, column {c!r}: {int(bad.sum())} value(s) that are not a positive "
                           f"number for {ctx['table']} (data rows {rows}, e.g. {df.loc[bad, c].iloc[0]!r}): "
                           "1 ÷ it is no rate")
    return 1.0 / x


def _d_line_number(df: pd.DataFrame, args, ctx) -> pd.Series:
    key = to_text(df[_need(df, args, ctx)])
    return (key.groupby(key, sort=False).cumcount() + 1).astype("float64")


DERIVE: dict[str, Callable] = {
    "multiply": _d_multiply,            # [Quantity, UnitPrice]: the product of numbers
    "concat": _d_concat,                # [First Name, Last Name]: texts joined by a space
    "status_from_flags": _d_status_from_flags,  # {closed: IsClosed, won: IsWon}
    "line_number": _d_line_number,      # OrderId: 1, 2, ... within each order, in file order
    "coalesce": _d_coalesce,            # [结单日期, 预计成交日期]: the first non-empty value
    "reciprocal": _d_reciprocal,        # ConversionRate: 1 ÷ the number (a rate quoted the other way)
}
#: what a derive takes beside its own arguments: ``{multiply: [Quantity, UnitPrice], discount:
#: Discount}`` is quantity × price × (1 − discount)
DERIVE_OPTIONS: dict[str, tuple[str, ...]] = {"multiply": ("discount", "discount_percent")}


def _derive_words(kind: str, args, options: dict) -> str:
    """A derive as the import report prints it: ``multiply(Quantity, UnitPrice) less Discount``."""
    if isinstance(args, dict):
        inner = ", ".join(f"{k}: {v}" for k, v in args.items())
    elif isinstance(args, (list, tuple)):
        inner = ", ".join(map(str, args))
    else:
        inner = "" if args is None else str(args)
    less = "".join(f" less {v}" + (" %" if k == "discount_percent" else "") for k, v in options.items())
    return f"{kind}({inner}){less}"


def _need(df: pd.DataFrame, names, ctx) -> str:
    h = _header(df, names)
    if h is None:
        raise _NoColumn(f"{ctx['file']}: no column {names!r} for {ctx['table']} "
                           f"(headers: {', '.join(map(str, df.columns[:30]))})")
    return h


# ------------------------------------------------------------------------------------- mapping
def _column_spec(spec) -> dict:
    if isinstance(spec, (str, list)):
        return {"column": spec}
    if isinstance(spec, dict):
        return spec
    raise ImportError_(f"a column mapping is a header, a list of headers or a mapping, got {spec!r}")


def _convert(series: pd.Series, col, cs: dict, ctx: dict, rep: TableReport, label: str):
    where = dict(file=ctx["file"], column=label)
    if col.kind == "date":
        fmt = cs.get("format")
        out = parse_dates(series, fmt=fmt, as_of=ctx.get("as_of"), **where)
        rep.converted.append(Message("{column}: dates {format}", column=V(col.name), format=V(fmt or "ISO/Excel")))
        return out.dt.normalize()
    if col.kind in ("float", "int"):
        out = parse_numbers(series, decimal=str(cs.get("decimal", ctx["decimal"])),
                            thousands=cs.get("thousands", ctx["thousands"]), **where)
        if cs.get("scale") is not None:
            out = out * float(cs["scale"])
        if col.kind == "int":
            frac = out.notna() & (out != out.round())
            if frac.any():
                raise ImportError_(f"{ctx['file']}, column {label!r}: whole numbers expected "
                                   f"for {ctx['table']}.{col.name}, got e.g. "
                                   f"{series[frac].iloc[0]!r}")
        return out
    out = to_text(series)
    mapping = cs.get("map")
    if mapping:
        mapping = {str(k): v for k, v in mapping.items()}
        unmapped = out.notna() & ~out.isin(list(mapping))
        if unmapped.any():
            if cs.get("unmapped", "error") == "keep":
                pass
            elif cs.get("unmapped") == "empty":
                out = out.where(~unmapped, None)
            else:
                raise ImportError_(_unmapped_message(out, unmapped, col.name, cs, mapping, ctx, label))
        out = out.map(lambda v: mapping.get(v, v) if v is not None else None)
        rep.converted.append(Message("{column}: values mapped ({n} entries)", column=V(col.name), n=len(mapping)))
    return out


def _unmapped_message(out: pd.Series, unmapped: pd.Series, cname: str, cs: dict, mapping: dict,
                      ctx: dict, label: str) -> str:
    """The error for values a column's ``map`` has no entry for: each value with its rows, and the
    entries to add, in this column's map and in every other column of the profile reading the same
    header of the same file with a map lacking them (the won deals read as orders). A currency
    name (欧元, new since the draft) gets its ISO code when it names a known one, else ``???``: the
    import still stops, a currency is never guessed."""
    vals = list(dict.fromkeys(out[unmapped]))[:8]
    shown = []
    for v in vals:
        rows = [int(i) + 1 for i in out.index[(out == v).to_numpy()]]
        shown.append(f"{v} ({len(rows):,} row{'s' if len(rows) > 1 else ''}: data row"
                     f"{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows[:5]))}{', …' if len(rows) > 5 else ''})")
    table = ctx["table"]
    if cname != "currency":
        return (f"{ctx['file']}, column {label!r}: {', '.join(shown)} "
                f"{'has' if len(vals) == 1 else 'have'} no entry in the profile's map for {table}.{cname}; "
                f"add {'it' if len(vals) == 1 else 'them'} to tables.{table}.columns.{cname}.map "
                "(or unmapped: keep, to read values the map lacks as written)")
    from salesnb.data.importing.suggest import _currency_code

    add = {v: _currency_code(v) or "???" for v in vals}
    words = ", ".join(f"{v}: {c}" + (" (its ISO code)" if c == "???" else "") for v, c in add.items())
    others = []
    for t2, spec2 in ((ctx.get("profile") or {}).get("tables") or {}).items():
        files = _as_list((spec2 or {}).get("file"))
        if not (spec2 or {}).get("from_table") and not any(
                fnmatch.fnmatch(ctx["file"].lower(), str(f).lower()) for f in files):
            continue
        for c2, raw in ((spec2 or {}).get("columns") or {}).items():
            e = raw if isinstance(raw, dict) else {}
            if (t2, c2) != (table, cname) and label in _as_list(e.get("column")) and e.get("map") and \
                    set(add) - {str(k) for k in e["map"]}:
                others.append(f"tables.{t2}.columns.{c2}")
    also = (f", and to the map{'s' if len(others) > 1 else ''} of {' and '.join(others)}, which "
            f"read{'s' if len(others) == 1 else ''} {label} of this file too") if others else ""
    entry = {k: v for k, v in cs.items() if k != "map"}
    entry["map"] = {**mapping, **add}
    flow = yaml.safe_dump(entry, default_flow_style=True, allow_unicode=True, width=10_000,
                          sort_keys=False).strip()
    return (f"{ctx['file']}, column {label!r}: {', '.join(shown)} {'has' if len(vals) == 1 else 'have'} no "
            f"entry in the profile's map for {table}.{cname}, so the import stops (a currency is never "
            f"guessed): add {words} to that map{also} (tables.{table}.columns.{cname}: {flow})")


def _rows_to_table(name: str, spec: dict, df: pd.DataFrame, ctx: dict, rep: TableReport,
                   prof: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The rows a file's ``where`` keeps (``per_month``: each date range as the months it covers),
    the table built from them (a month two ranges share at their mean weighted by days) and the
    spec it was built by (``per_month``: with the month as ``period``)."""
    d = _filter_rows(df, spec, ctx, rep)
    if not spec.get("per_month"):
        return d, _build_table(name, spec, d, ctx, rep, prof), spec
    d = _per_month(d, spec["per_month"], ctx, rep)
    days = d.pop(_DAYS)
    monthly = {**spec, "columns": {**(spec.get("columns") or {}), "period": MONTH_COLUMN}}
    t = _month_means(_build_table(name, monthly, d, ctx, rep, prof), days, name)
    rep.mapped["period"] = Message("the months of {start}", start=V(str(spec["per_month"].get("start"))))
    return d, t, monthly


def _derive_parts(how, where: str) -> tuple[str, Any, dict]:
    """A ``derive`` as (its DERIVE key, its arguments, the options beside it)."""
    # the transform is the key DERIVE knows, wherever it stands ({discount: D, multiply: [...]})
    kind, args = (next(((k, v) for k, v in how.items() if k in DERIVE), next(iter(how.items())))
                  if isinstance(how, dict) else (how, None))
    if kind not in DERIVE:
        raise ImportError_(f"profile: {where}: unknown derive {kind!r} (one of {', '.join(DERIVE)})")
    options = {k: v for k, v in how.items() if k != kind} if isinstance(how, dict) else {}
    allowed = DERIVE_OPTIONS.get(kind, ())
    if any(k not in allowed for k in options) or len(options) > 1:
        raise ImportError_(f"profile: {where}: derive {kind!r} takes "
                           + (f"one of {', '.join(allowed)} beside it" if allowed else
                              "nothing beside it") + f", got {', '.join(options)}")
    return kind, args, options


def _build_table(name: str, spec: dict, df: pd.DataFrame, ctx: dict, rep: TableReport,
                 prof: dict) -> pd.DataFrame:
    contract = TABLES[name]
    used: set[str] = set()
    out = pd.DataFrame(index=df.index)
    later: list[tuple[str, str, str]] = []  # (column, header, its after_export header)
    for cname, raw in (spec.get("columns") or {}).items():
        col = contract.column(cname)
        cs = _column_spec(raw)
        if cs.get("after_export") is not None:
            if col.kind != "date" or "column" not in cs:
                raise ImportError_(f"profile: tables.{name}.columns.{cname}: after_export is for a date read "
                                   "from a column (a header whose date stands in when this one is after the "
                                   "export's date)")
        if "value" in cs:
            out[cname] = cs["value"]
            rep.mapped[cname] = Message("constant {value}", value=V(repr(cs["value"])))
            continue
        if "derive" in cs:
            how = cs["derive"]
            # the transform is the key DERIVE knows, wherever it stands ({discount: D, multiply: [...]})
            kind, args, options = _derive_parts(how, f"tables.{name}.columns.{cname}")
            try:
                series = DERIVE[kind](df, args, {**ctx, "options": options, "report": rep})
            except _NoColumn:
                if cs.get("optional"):  # the export lacks its columns: not mapped (the status from the stages)
                    continue
                raise
            used.update(a for a in (_header(df, x) for x in options.values()) if a)
            if isinstance(args, list):
                used.update(a for a in (_header(df, x) for x in args) if a)
            elif isinstance(args, dict):
                used.update(a for a in (_header(df, x) for x in args.values()) if a)
            elif args:
                used.add(_header(df, args) or "")
            shown = ({k: _header(df, v) or ("(none)" if k == "won" else v) for k, v in args.items()}
                     if isinstance(args, dict) else args)  # the headers read, not the candidates
            if kind == "status_from_flags" and len(rep.flags) == 2:
                shown.pop("stage", None)  # read by the won flag, not the stage
            rep.mapped[cname] = _derive_words(kind, shown, options)
            if col.kind == "str" or series.dtype == object:
                series = _convert(series, col, cs, ctx, rep, cname)
            out[cname] = series
            continue
        h = _filled_header(df, cs.get("column"), rep, cname)
        if h is None:
            if cs.get("optional", not col.required or cname in _FILLED_LATER):
                if col.required and col.nullable:  # a column the contract lets be empty: empty
                    out[cname] = pd.Series([None] * len(df), index=df.index, dtype=object)
                    rep.mapped[cname] = Message("(empty: no column in the export)")
                continue
            raise ImportError_(
                f"{ctx['file']}: cannot map the required column {name}.{cname}: none of "
                f"{cs.get('column')!r} among the headers ({', '.join(map(str, df.columns[:40]))}); "
                f"name the header in the profile or with --map" + (
                    f"; {', '.join(ctx['others'])} {'matches' if len(ctx['others']) == 1 else 'match'} "
                    f"the profile's files for {name} too, tried after {ctx['file']}: to read "
                    f"{'it' if len(ctx['others']) == 1 else 'one'} instead, --map with tables: {{{name}: "
                    f"{{file: {ctx['others'][0]}}}}}" if ctx.get("others") else ""))
        used.add(h)
        rep.mapped[cname] = h
        series = _convert(df[h], col, cs, ctx, rep, h)
        if "default" in cs:
            empty = int(series.isna().sum())
            series = series.where(series.notna(), cs["default"])
            if empty:  # an invented value: said, recorded, and shown on the data overview
                rep.filled.append((empty, cname, str(cs["default"])))
        out[cname] = series
        if cs.get("after_export") is not None and (alt := _header(df, cs["after_export"])) is not None:
            later.append((cname, h, alt))
            used.add(alt)
    for cname, h, alt in later:
        _after_export(out, cname, df[alt], header=h, ctx=ctx, rep=rep)
    rep.unused = [str(c) for c in df.columns if c not in used and str(c).strip()]
    return out


def _after_export(out: pd.DataFrame, cname: str, alt: pd.Series, *, header: str, ctx: dict,
                  rep: TableReport) -> None:
    """A column's ``after_export: HEADER``: a closed deal's date after the export's date (a close
    date the rep typed ahead: it closed by the export, when is not known) is read from HEADER, a
    date the CRM stamps itself, when that holds one not after the export's date.

    Closed: a deal recorded won or lost (``status``); a row of another table (an order read from
    the won deals) always. The export's date: the import's ``as_of`` (``--as-of``, the profile's),
    else the latest date of HEADER itself, never after today (a stamp, never a plan). The rows
    re-dated are said on a CHECK line with their count and the dates' range.
    """
    rep.mapped[cname] = f"{header} (a closed row's date after the export: {alt.name})"
    when = parse_dates(alt, as_of=ctx.get("as_of"), file=ctx["file"], column=str(alt.name)).dt.normalize()
    today = pd.Timestamp.today().normalize()
    export = ctx.get("as_of")
    if export is None:
        export = when[when <= today].max()
    if pd.isna(export) or cname not in out:
        return
    export = pd.Timestamp(export).normalize()
    date = pd.to_datetime(out[cname])
    if "status" in out:
        closed = out["status"].isin(["won", "lost"])
    elif ctx.get("table") == "opportunities":  # the status comes from the stages later: closed or not is unknown
        rep.converted.append(f"{cname}: after_export not applied (the deals' status is read from the stages "
                             "after the columns)")
        return
    else:  # an order (a won deal's sale): its date has happened
        closed = pd.Series(True, index=out.index)
    redo = closed & (date > export) & when.notna() & (when <= export)
    n = int(redo.sum())
    if not n:
        return
    out[cname] = date.where(~redo, when)
    rows = out.loc[redo]
    what = (f"{int((rows['status'] == 'won').sum()):,} won, {int((rows['status'] == 'lost').sum()):,} lost"
            if "status" in rows else f"{n:,} row(s)")
    left = int((closed & (pd.to_datetime(out[cname]) > export)).sum())
    rep.warnings.append(
        f"{cname}: {n:,} closed row(s) ({what}) carried a {header} after the export's date "
        f"({export:%Y-%m-%d}), a date typed ahead; read from {alt.name} instead ({when[redo].min():%Y-%m-%d} "
        f"to {when[redo].max():%Y-%m-%d}), the day the CRM recorded"
        + (f"; {left:,} more keep theirs ({alt.name} empty or after it too)" if left else ""))


#: columns the importer fills after mapping (from other tables or the profile)
_FILLED_LATER = {("status"), ("line_no")}


#: headers of an order's status (Shipped, Cancelled, On Hold ...), case and spaces ignored
STATUS_HEADER = re.compile(r"status|订单状态|状态")
#: status values that say an order is not a sale
NOT_A_SALE = re.compile(r"cancel|void|reject|refus|declin|取消|作废|撤销|拒", re.I)


def _status_check(df: pd.DataFrame, rep: TableReport) -> None:
    """Say when a status column the profile does not use leaves rows whose status says they are
    no sale (Kaggle's 60 Cancelled lines): every row is imported as a sale, so they would count as
    revenue without a word."""
    for h in rep.unused:
        if not STATUS_HEADER.search(_norm(h)) or h not in df.columns:
            continue
        vals = to_text(df[h]).fillna("").str.strip()
        counts = vals[vals.str.contains(NOT_A_SALE)].value_counts()
        if counts.empty:
            continue
        names = ", ".join(f"{v}" if len(counts) == 1 else f"{v} ({n:,})" for v, n in counts.items())
        rep.warnings.append(Message(
            "{column} is not used: {n:,} row(s) say {names} and are imported as sales; leave them out with "
            "where: {where}", column=V(h), n=int(counts.sum()), names=V(names),
            where=V(f"[{{column: {h}, not_in: [{', '.join(counts.index)}], reason: not a sale}}]")))


#: headers of the pipeline a deal is in (HubSpot's Pipeline; a Salesforce sales process by record
#: type), case, spaces and punctuation ignored
PIPELINE_HEADERS = {"pipeline", "dealpipeline", "salesprocess", "opportunityrecordtype", "recordtype",
                    "recordtypename", "recordtypeid", "销售流程", "商机流程"}


def _data_rows(index, *, limit: int = 5) -> str:
    """``"1 row: data row 5"``, ``"2 rows: data rows 2, 3"`` (1-based, the header not counted; the
    first ``limit`` rows, then …)."""
    rows = [int(i) + 1 for i in index]
    n = len(rows)
    return (f"{n:,} row{'s' if n > 1 else ''}: data row{'s' if n > 1 else ''} "
            f"{', '.join(map(str, rows[:limit]))}{', …' if n > limit else ''}")


def _pipeline_header(df: pd.DataFrame) -> str | None:
    """The column of ``df`` naming each deal's pipeline (:data:`PIPELINE_HEADERS`), or None."""
    return next((h for h in df.columns if _norm(h) in PIPELINE_HEADERS), None)


def _pipelines(raw: pd.DataFrame) -> tuple[str | None, pd.Series | None]:
    """The pipeline column of ``raw`` and each row's pipeline (trimmed text), or ``(None, None)``."""
    head = _pipeline_header(raw)
    return head, (to_text(raw[head]).fillna("").str.strip() if head else None)


def _stage_lists(prof: dict) -> dict[str | None, list[dict]]:
    """The profile's ``stages``: ``{None: [...]}`` for one list (one order for every deal), or
    ``{pipeline: [...]}`` when it gives each pipeline its own list (a mapping of pipeline name to
    list; the deals' pipeline is ``opportunities.pipeline``). ``{}`` without stages."""
    st = prof.get("stages") or []
    if isinstance(st, dict):
        bad = [str(k) for k, v in st.items() if not isinstance(v, list)]
        if bad:
            raise ImportError_(f"profile stages: {bad[0]!r} must be a list of stages "
                               "(stages: {<pipeline>: [{stage: ..., status: open}, ...]})")
        return {str(k): list(v) for k, v in st.items() if v}
    return {None: list(st)} if st else {}


def _stage_statuses(prof: dict) -> dict[str, str]:
    """The profile's stages list as stage → status (open unless it says), in the list's order; with
    one list per pipeline, every pipeline's stages (a name two pipelines share has one status:
    HubSpot's Closed Won is won in each)."""
    out: dict[str, str] = {}
    for pipe, entries in _stage_lists(prof).items():
        for s in entries:
            name, status = str(s["stage"]), s.get("status", "open")
            if out.get(name, status) != status:
                raise ImportError_(f"profile stages: {name!r} is {out[name]} in one pipeline and {status} in "
                                   f"{pipe}: a stage name two pipelines share must have one status")
            out[name] = status
    return out


def _pipeline_statuses(prof: dict) -> dict[tuple[str, str], str] | None:
    """``(pipeline, stage)`` → status when the profile lists the stages per pipeline, else None."""
    lists = _stage_lists(prof)
    if not lists or None in lists:
        return None
    return {(p, str(s["stage"])): s.get("status", "open") for p, entries in lists.items() for s in entries}


def _pairs(t: pd.DataFrame) -> pd.Series:
    """Each deal's ``(pipeline, stage)``."""
    return pd.Series(list(zip(t["pipeline"].astype(str), t["stage"], strict=True)), index=t.index,
                     dtype=object)


def _stages_shown(stage: pd.Series, bad: pd.Series, raw: pd.DataFrame, *, limit: int = 8) -> list[str]:
    """Each stage of the rows ``bad`` with its rows and, when ``raw`` has a pipeline column, the
    pipelines they are in: ``'Renewal Due' (2 rows: data rows 2, 3; pipeline Renewals)``."""
    _, pipe = _pipelines(raw)
    shown = []
    for v in list(dict.fromkeys(stage[bad]))[:limit]:
        rows = stage.index[(bad & (stage == v)).to_numpy()]
        where = ""
        if pipe is not None:
            counts = pipe.loc[rows].replace("", "(none)").value_counts()
            where = (f"; pipeline {counts.index[0]}" if len(counts) == 1 else
                     "; pipelines " + ", ".join(f"{p} {n:,}" for p, n in counts.items()))
        shown.append(f"{v!r} ({_data_rows(rows)}{where})")
    return shown


def _unknown_stages(raw: pd.DataFrame, t: pd.DataFrame, spec: dict, prof: dict, ctx: dict,
                    rep: TableReport) -> None:
    """Stop the import when deals whose status is to come from the profile's stages list are in a
    stage the list does not name, naming the file, the stage column, each stage with its rows and
    the pipelines they are in (HubSpot's Renewals beside the Sales Pipeline the list describes), and
    what to do: add the stage to the list, or leave out a pipeline the list does not describe (a
    ``where`` filter). Rows ``drop_if_missing`` drops are not counted."""
    listed = _stage_statuses(prof)
    if not listed or "stage" not in t.columns or ("status" in t.columns and t["status"].notna().any()):
        return
    per = _pipeline_statuses(prof)
    if per is not None:
        if "pipeline" not in t.columns:
            raise ImportError_(f"{ctx['file']}: the profile lists the stages per pipeline ("
                               f"{', '.join(_stage_lists(prof))}) but tables.{ctx['table']} maps no pipeline "
                               "column (columns: pipeline: <the export's pipeline header>)")
        return _unknown_pipeline_stages(raw, t, spec, per, ctx, rep)
    bad = t["stage"].notna() & ~t["stage"].isin(list(listed))
    for c, only_closed in _drop_rules(spec):
        if c in t.columns and not only_closed:  # an open deal kept by unless_open: its stage's status decides
            bad &= t[c].notna()
    if not bad.any():
        return
    head, pipe = _pipelines(raw)
    shown = _stages_shown(t["stage"], bad, raw)
    n = int(bad.sum())
    one = n == 1
    text = (f"{ctx['file']}, column {rep.mapped.get('stage', 'stage')!r}: {n:,} deal{'' if one else 's'} "
            f"{'is in a stage' if one else 'are in stages'} the profile's stages list does not name, so "
            f"{'its' if one else 'their'} status (open, won or lost) is unknown: {', '.join(shown)}"
            f"{', …' if t.loc[bad, 'stage'].nunique() > 8 else ''}. Add {'it' if one else 'each'} to the "
            f"profile's stages list with its status, in its place in {'its' if pipe is not None else 'the'} "
            "pipeline's order (stages: - {stage: ..., status: open})")
    if pipe is not None:
        foreign = [p for p in dict.fromkeys(pipe[bad.to_numpy()]) if p and not (
            (pipe == p).to_numpy() & ~bad.to_numpy()).any()]
        if foreign:
            text += (f"; or leave out the deals of a pipeline the list does not describe ("
                     f"{', '.join(foreign)}: none of {'its' if len(foreign) == 1 else 'their'} deals is in a "
                     f"listed stage): under tables.{ctx['table']}, where: [{{column: {head}, not_in: "
                     f"[{', '.join(foreign)}], reason: another pipeline}}]; or give each pipeline its own "
                     f"list (stages: {{{', '.join(f'{p}: [...]' for p in dict.fromkeys(pipe) if p)}}}) and map "
                     f"its pipeline (columns: pipeline: {head}): each pipeline's funnel is then measured "
                     "apart")
    raise ImportError_(text)


def _unknown_pipeline_stages(raw: pd.DataFrame, t: pd.DataFrame, spec: dict, listed: dict, ctx: dict,
                             rep: TableReport) -> None:
    """:func:`_unknown_stages` when the profile lists the stages per pipeline: a deal whose stage its
    own pipeline's list does not name (or whose pipeline has no list) stops the import, naming the
    stage, its rows and pipeline, and the list to complete."""
    bad = t["stage"].notna() & ~_pairs(t).isin(list(listed))
    for c, only_closed in _drop_rules(spec):
        if c in t.columns and not only_closed:
            bad &= t[c].notna()
    if not bad.any():
        return
    pipes = list(dict.fromkeys(p for p, _ in listed))
    parts = []
    for pipe in dict.fromkeys(t.loc[bad, "pipeline"].astype(str)):
        mine = bad & (t["pipeline"].astype(str) == pipe)
        names = list(dict.fromkeys(t.loc[mine, "stage"]))
        shown = ", ".join(f"{v!r} ({_data_rows(t.index[(mine & (t['stage'] == v)).to_numpy()])})"
                          for v in names[:8])
        parts.append(f"pipeline {pipe}{'' if pipe in pipes else ' (no list in the profile)'}: {shown}"
                     f"{', …' if len(names) > 8 else ''}")
    n = int(bad.sum())
    one = n == 1
    raise ImportError_(
        f"{ctx['file']}, column {rep.mapped.get('stage', 'stage')!r}: {n:,} deal{'' if one else 's'} "
        f"{'is in a stage' if one else 'are in stages'} the profile's list of {'its' if one else 'their'} "
        f"pipeline does not name, so {'its' if one else 'their'} status (open, won or lost) is unknown: "
        f"{'; '.join(parts)}. Add each to its pipeline's list with its status, in its place in that "
        f"pipeline's order (stages: {{<pipeline>: [{{stage: ..., status: open}}]}}; the profile lists "
        f"{', '.join(pipes)}), or leave out the deals of a pipeline under tables.{ctx['table']}, where: "
        f"[{{column: {rep.mapped.get('pipeline', 'pipeline')}, not_in: [...], reason: another pipeline}}]")


def _status_source(spec: dict, rep: TableReport) -> str:
    """The export's words for where ``status`` came from: ``IsClosed/IsWon`` (flags), else its header."""
    if rep.flags:
        return "/".join(rep.flags)
    how = _column_spec((spec.get("columns") or {}).get("status", "")).get("derive")
    flags = how.get("status_from_flags") if isinstance(how, dict) else None
    if isinstance(flags, dict):
        return "/".join(str(v) for v in flags.values())
    return rep.mapped.get("status", "status")


def _status_check_names(t: pd.DataFrame, prof: dict, rep: TableReport) -> None:
    """A CHECK line for each stage whose name says won or lost (HubSpot's custom ``Closed: abandoned``)
    while the CRM's own flags (:func:`status_from_flags`) give its deals another status: the stage, both
    readings and the rows. The flags' status stays (HubSpot itself counts an abandoned deal open, with
    its probability, in the pipeline); a stage the profile's stages list names is said by
    :func:`_status_check_stages` instead."""
    if not rep.flags or "stage" not in t.columns or "status" not in t.columns:
        return
    listed = _stage_statuses(prof)
    for stage in dict.fromkeys(t["stage"].dropna()):
        said = name_status(stage)
        if said == "open" or stage in listed:
            continue
        mine = (t["stage"] == stage).to_numpy()
        for now in ("open", "won", "lost"):
            rows = t.index[mine & (t["status"] == now).to_numpy()]
            if now != said and len(rows):
                rep.warnings.append(
                    f"{rep.mapped.get('stage', 'stage')} {stage!r} reads as {said} by its name, but "
                    f"{'/'.join(rep.flags)} say{'s' if len(rep.flags) == 1 else ''} {now} for {_data_rows(rows)}: "
                    f"read as {now} (the CRM's own status); if these deals are {said}, close the stage in the "
                    f"CRM's pipeline settings, or check these deals")


def _status_check_stages(t: pd.DataFrame, spec: dict, prof: dict, rep: TableReport) -> None:
    """A CHECK line for the deals whose status read from the export (Salesforce's IsClosed/IsWon: the
    CRM's own won and lost) is not the status the profile's stages list gives their stage: each stage,
    the two statuses and the rows. The export's status stays; the list is what to check (its status
    is the stages table's, and ``where: stage_status`` reads it)."""
    listed = _stage_statuses(prof)
    if not listed or "stage" not in t.columns or "status" not in t.columns or t["status"].isna().all():
        return
    per = _pipeline_statuses(prof)
    said = _pairs(t).map(per) if per is not None and "pipeline" in t.columns else t["stage"].map(listed)
    bad = said.notna() & t["status"].notna() & (said != t["status"])
    if not bad.any():
        return
    parts = []
    for stage, was in listed.items():  # in the list's order
        g = t[bad & (t["stage"] == stage)]
        for now in ("open", "won", "lost"):
            if (g["status"] == now).any():
                parts.append(f"{stage}, listed as {was}, is {now} in {_data_rows(g.index[g['status'] == now])}")
    n = int(bad.sum())
    rep.warnings.append(
        f"{_status_source(spec, rep)} (each deal's status, kept) disagree with the profile's stages list for "
        f"{n:,} deal{'' if n == 1 else 's'}: {'; '.join(parts)}; check the stages list, or "
        f"{'this deal' if n == 1 else 'these deals'} in the CRM")


#: the keys of a ``where`` condition
WHERE_KEYS = {"column", "in", "not_in", "stage_status", "deal_status", "reason"}


def _rows_deal_status(df: pd.DataFrame, ctx: dict) -> tuple[pd.Series, str] | None:
    """Each row's status (open, won, lost) as ``tables.opportunities.columns.status`` reads it from
    this file (HubSpot's won deals read as sales: ``status_from_flags`` on the deals' Is Deal
    Closed?), with the words saying how; None when the profile maps no status, or maps an optional
    one whose columns the file lacks (the stages list then gives the status)."""
    prof = ctx.get("profile") or {}
    raw = (((prof.get("tables") or {}).get("opportunities") or {}).get("columns") or {}).get("status")
    if raw is None:
        return None
    cs = _column_spec(raw)
    scratch = TableReport(table="opportunities")  # the deals table says its own conversions
    if "value" in cs:
        return pd.Series(str(cs["value"]), index=df.index), f"constant {cs['value']!r}"
    if "derive" in cs:
        kind, args, options = _derive_parts(cs["derive"], "tables.opportunities.columns.status")
        try:
            series = DERIVE[kind](df, args, {**ctx, "options": options, "report": scratch})
        except _NoColumn:
            if cs.get("optional"):
                return None
            raise
        shown = ({k: _header(df, v) for k, v in args.items() if _header(df, v)} if isinstance(args, dict)
                 else args)
        if kind == "status_from_flags" and len(scratch.flags) == 2 and isinstance(shown, dict):
            shown.pop("stage", None)  # read by the won flag, not the stage
        how = _derive_words(kind, shown, options)
    else:
        h = _header(df, cs.get("column"))
        if h is None:
            return None
        series, how = df[h], h
    col = TABLES["opportunities"].column("status")
    out = _convert(series, col, cs, {**ctx, "table": "opportunities"}, scratch, str(how))
    return to_text(out), how


def _filter_rows(df: pd.DataFrame, spec: dict, ctx: dict, rep: TableReport) -> pd.DataFrame:
    full = df
    opened = pd.Series(False, index=df.index)  # open deals a status filter leaves out (no sale yet)
    for cond in _as_list(spec.get("where")):
        unknown = set(cond) - WHERE_KEYS if isinstance(cond, dict) else {repr(cond)}
        if unknown or "column" not in cond:  # an unknown key would keep every row without a word
            raise ImportError_(f"{ctx['file']}: where: unknown key(s) {', '.join(sorted(map(str, unknown))) or '-'}"
                               f" (known: {', '.join(sorted(WHERE_KEYS))}; column is required)")
        h = _need(df, cond["column"], ctx)
        vals = to_text(df[h]).fillna("")
        keep = pd.Series(True, index=df.index)
        unknown = pd.Series(False, index=df.index)
        if "in" in cond:
            keep &= vals.isin([str(v) for v in cond["in"]])
        if "not_in" in cond:
            keep &= ~vals.isin([str(v) for v in cond["not_in"]])
        read = _rows_deal_status(df, ctx) if "deal_status" in cond else None
        if read is not None:  # the deals' own status, as the deals table reads it (the CRM's flags)
            status, how = read
            keep &= status.isin([str(v) for v in _as_list(cond["deal_status"])])
            opened |= (status == "open").reindex(opened.index, fill_value=False)
            rep.converted.append(f"where deal_status {'/'.join(map(str, _as_list(cond['deal_status'])))}: each "
                                 f"deal's status as opportunities reads it ({how})")
        elif "deal_status" in cond:  # no status in the export: the stages list by the stage column
            cond = {**{k: v for k, v in cond.items() if k != "deal_status"}, "stage_status": cond["deal_status"]}
        if "stage_status" in cond:  # the stages the profile's list gives this status (every pipeline's won)
            listed = _stage_statuses(ctx.get("profile") or {})
            want = [st for st, status in listed.items() if status in _as_list(cond["stage_status"])]
            if not want:
                raise ImportError_(f"{ctx['file']}: where: stage_status {cond['stage_status']!r}: no stage of "
                                   "the profile's stages list has that status")
            # a stage the list does not name has no status: its rows are said, not read as "not won"
            unknown = keep & (vals.str.strip() != "") & ~vals.isin(list(listed))
            keep &= vals.isin(want)
            opened |= vals.map(listed).eq("open").reindex(opened.index, fill_value=False)
        n_unknown = int(unknown.sum())
        if int((~keep).sum()) > n_unknown:
            rep.dropped.append((int((~keep).sum()) - n_unknown,
                                cond.get("reason") or Message("{column} filtered", column=V(h))))
            rep.filtered.append(rep.dropped[-1])
        if n_unknown:
            rep.dropped.append((n_unknown, Message("in a stage the profile's stages list does not name")))
            rep.filtered.append(rep.dropped[-1])
            rep.warnings.append(
                f"{n_unknown:,} row{'' if n_unknown == 1 else 's'} of {ctx['file']} "
                f"{'is' if n_unknown == 1 else 'are'} not read as {ctx['table']}: {'its' if n_unknown == 1 else 'their'} "
                f"{h} is not in the profile's stages list, so whether {'it is' if n_unknown == 1 else 'they are'} "
                f"{'/'.join(map(str, _as_list(cond['stage_status'])))} is unknown: "
                f"{', '.join(_stages_shown(vals, unknown, df))}; add each stage to the stages list with its "
                "status (another pipeline's won stage too)")
        df = df[keep]
    if len(df) < len(full):
        _filtered_tail(full, df, spec, ctx, rep, opened=opened)
    return df


#: a table whose filters leave its rows ending this long before the file's own last date is said
FILTERED_TAIL = pd.Timedelta(days=31)


def _filtered_tail(full: pd.DataFrame, kept: pd.DataFrame, spec: dict, ctx: dict, rep: TableReport, *,
                   opened: pd.Series | None = None) -> None:
    """Say when the ``where`` filters removed every row after some date (BikeStores: after
    2018-03-31 every order is pending, processing or rejected; keeping completed orders ends the
    data there, 9 months before the file does, and the pages then read as if sales stopped). The
    open deals a status filter leaves out (``opened``: the won deals read as sales) are not counted:
    their date is the close expected, often after the last sale, not a sale removed."""
    if opened is not None and opened.any():
        full = full[~opened.reindex(full.index, fill_value=False).to_numpy()]
    date_col = {"orders": "order_date", "opportunities": "close_date"}.get(ctx["table"])
    cs = (spec.get("columns") or {}).get(date_col)
    cs = {"column": cs} if isinstance(cs, (str, list)) else cs
    if not isinstance(cs, dict) or "column" not in cs or (h := _header(full, cs["column"])) is None:
        return
    try:
        dates = parse_dates(full[h], fmt=cs.get("format"), file=ctx["file"], column=h)
    except (ParseError, ValueError):
        return  # the mapping reports a date it cannot read, with its rows
    last_all, last_kept = dates.max(), dates.reindex(kept.index).max()
    if pd.isna(last_all) or pd.isna(last_kept) or last_all - last_kept <= FILTERED_TAIL:
        return
    after = int((dates > last_kept).sum())
    rep.warnings.append(Message(
        "the where filters leave {table} ending on {last}, while {file} runs to {end}{closed}: all {n:,} row(s) "
        "after that date were filtered out; the reports will end there (check that the filters are meant to "
        "drop them)", table=V(ctx["table"]), last=V(f"{last_kept:%Y-%m-%d}"), file=V(ctx["file"]),
        end=V(f"{last_all:%Y-%m-%d}"), closed=Message(" (its closed deals)") if opened is not None and opened.any()
        else V(""), n=after))


def _record_rates(name: str, t: pd.DataFrame, df: pd.DataFrame, spec: dict, ctx: dict,
                  rep: TableReport, prof: dict) -> pd.DataFrame:
    """Amounts in the home currency, converted with each record's own exchange rate.

    ``exchange_rate: {column: Exchange Rate, quote: record_per_home}`` (Zoho CRM): a record in
    another currency than the home currency is converted with the rate it carries, ``amount ÷
    rate`` when the rate is units of the record's currency per unit of the home currency
    (``record_per_home``), ``amount × rate`` when it is home per record (``home_per_record``); its
    ``currency`` becomes the home currency. The home currency is the profile's ``currency``, else
    the one currency whose records all carry the rate 1. Without a rate column, or with one
    currency, nothing is converted (an ``fx_rates`` table then converts in the engine).
    """
    from salesnb.data.sources import MONEY_COLUMNS

    rs = spec.get("exchange_rate")
    money = [c for c in MONEY_COLUMNS.get(name, ()) if c in t.columns]
    if not rs or "currency" not in t.columns or not money:
        return t
    rs = _column_spec(rs)
    quote = rs.get("quote", "record_per_home")
    if quote not in RATE_QUOTES:
        raise ImportError_(f"profile: tables.{name}.exchange_rate.quote: one of "
                           f"{', '.join(RATE_QUOTES)}, got {quote!r}")
    h = _header(df, rs.get("column"))
    if h is None:
        return t
    cur = t["currency"].astype("string").str.strip().str.upper()
    codes = sorted(set(cur.dropna()))
    if len(codes) <= 1:
        return t
    rate = parse_numbers(df[h], decimal=ctx["decimal"], thousands=ctx["thousands"],
                         file=ctx["file"], column=h)
    home = str(prof.get("currency") or "").upper()
    if not home:
        ones = [c for c in codes if ((rate[cur == c] - 1).abs() < 1e-9).all()]
        if len(ones) != 1:
            raise ImportError_(
                f"{ctx['file']}, column {h!r}: cannot tell the home currency of {name} "
                f"({'several' if ones else 'no'} currency with every rate 1 among "
                f"{', '.join(codes)}); set the profile's currency (e.g. currency: USD)")
        home = ones[0]
    other = cur.notna() & (cur != home)
    bad = other & ~(rate > 0)
    if bad.any():
        rows = [int(i) + 1 for i in bad[bad].index[:5]]
        raise ImportError_(
            f"{ctx['file']}, column {h!r}: {int(bad.sum())} {name} record(s) in another currency "
            f"than {home} without a positive exchange rate (data rows {rows}, e.g. "
            f"{df.loc[bad, h].iloc[0]!r})")
    factor = (1.0 / rate if quote == "record_per_home" else rate).where(other, 1.0)
    t = t.copy()
    for c in money:
        t[c] = (t[c] * factor).round(6)
    t["currency"] = cur.where(~other, home).astype(object)
    by = cur[other].value_counts().sort_index()
    how = (f"amount ÷ rate, the rate being units of the record's currency per 1 {home}"
           if quote == "record_per_home" else
           f"amount × rate, the rate being {home} per 1 unit of the record's currency")
    rep.mapped["exchange rate"] = h
    rep.converted.append(
        f"{', '.join(money)}: {int(other.sum())} row(s) in "
        f"{', '.join(f'{c} ({n})' for c, n in by.items())} converted to {home} with each "
        f"record's {h} ({how})")
    return t


# ---------------------------------------------------------------- rates by date range, several files
#: the raw column ``per_month`` adds for each range's month (mapped to the table's ``period``)
MONTH_COLUMN = "__month__"
_DAYS = "__days__"


def _months_needed(tables: dict[str, pd.DataFrame]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last month of the dated rows imported so far (orders' dates, deals' close and
    created dates): the months a rate by date range is expanded over."""
    dates = [pd.to_datetime(t[c], errors="coerce") for n, cols in (
        ("orders", ("order_date",)), ("opportunities", ("close_date", "created_date")))
        if (t := tables.get(n)) is not None for c in cols if c in t.columns]
    d = pd.concat(dates).dropna() if dates else pd.Series(dtype="datetime64[ns]")
    if d.empty:
        return None
    return d.min().to_period("M").to_timestamp(), d.max().to_period("M").to_timestamp()


def _per_month(df: pd.DataFrame, how: dict, ctx: dict, trep: TableReport) -> pd.DataFrame:
    """Each row of a table of date ranges (Salesforce's DatedConversionRate: StartDate, NextStartDate)
    once per month the range covers, with the days of the month it covers (``_DAYS``): the rows of
    a month are then averaged weighted by those days (:func:`_month_means`). Ranges are clipped to
    the months of the deals and orders (Salesforce's first range starts on 0001-01-01, its last ends
    on 9999-12-31); an empty end runs to the last of those months."""
    if not isinstance(how, dict) or "start" not in how:
        raise ImportError_(f"profile: tables.{ctx['table']}.per_month: {{start: COLUMN, end: COLUMN}} "
                           f"(the range's first day and the first day after it), not {how!r}")
    sc = _need(df, how["start"], ctx)
    ec = _need(df, how["end"], ctx) if how.get("end") else None

    def day(h: str) -> pd.Series:  # 0001-01-01 and 9999-12-31 are outside what pandas dates hold
        txt = to_text(df[h]).fillna("").str.strip().str.slice(0, 10)
        return pd.to_datetime(txt.str.replace(r"^(0\d{3}|1[0-8]\d{2})", "1900", regex=True)
                              .str.replace(r"^(2[3-9]\d{2}|[3-9]\d{3})", "2200", regex=True),
                              errors="coerce", format="%Y-%m-%d")
    start, end = day(sc), (day(ec) if ec else pd.Series(pd.NaT, index=df.index))
    bad = start.isna() & to_text(df[sc]).fillna("").str.strip().ne("")
    if bad.any():
        raise ImportError_(f"{ctx['file']}, column {sc!r}: {int(bad.sum())} date(s) not written YYYY-MM-DD "
                           f"(data rows {_data_rows(df.index[bad.to_numpy()])}, e.g. {df.loc[bad, sc].iloc[0]!r})")
    span = ctx.get("months")
    if span is None:
        trep.warnings.append(Message("{file}: no dated deal or order to expand its date ranges over: not read",
                                     file=V(ctx["file"])))
        return df.iloc[0:0].assign(**{MONTH_COLUMN: pd.Series(dtype=object), _DAYS: pd.Series(dtype=float)})
    first, last = span
    limit = last + pd.offsets.MonthBegin(1)
    start = start.fillna(first).clip(lower=first)
    end = end.fillna(limit).clip(upper=limit)
    parts = []
    for m in pd.date_range(first, last, freq="MS"):
        m_end = m + pd.offsets.MonthBegin(1)
        days = (end.clip(upper=m_end) - start.clip(lower=m)).dt.days
        hit = days > 0
        if hit.any():
            parts.append(df[hit].assign(**{MONTH_COLUMN: f"{m:%Y-%m}", _DAYS: days[hit].astype(float)}))
    out = pd.concat(parts, ignore_index=True) if parts else df.iloc[0:0].assign(
        **{MONTH_COLUMN: pd.Series(dtype=object), _DAYS: pd.Series(dtype=float)})
    trep.mapped["period"] = (Message("the months from {start} to {end}", start=V(sc), end=V(ec)) if ec else
                             Message("the months from {start}", start=V(sc)))
    trep.converted.append(Message(
        "{n:,} date range(s) ({start} … {end}) read as {rows:,} month row(s) from {first} to {last}; a month two "
        "ranges share takes their mean weighted by the days each is in force", n=len(df), start=V(sc),
        end=V(ec) if ec else Message("no end column"), rows=len(out), first=V(f"{first:%Y-%m}"), last=V(f"{last:%Y-%m}")))
    return out


def _month_means(t: pd.DataFrame, days: pd.Series, name: str) -> pd.DataFrame:
    """One row per key of ``name`` (fx_rates: currency, month): the numbers averaged weighted by the
    days each range of the month was in force."""
    key = [k for k in TABLES[name].key if k in t.columns]
    nums = [c for c in t.columns if c not in key and pd.api.types.is_numeric_dtype(t[c])]
    w = days.to_numpy()
    g = t.assign(_w=w, **{c: t[c] * w for c in nums}).groupby(key, sort=True, dropna=False)
    out = g[[*nums, "_w"]].sum()
    for c in nums:
        out[c] = out[c] / out["_w"]
    return out.drop(columns="_w").reset_index()


def _read_more(name: str, more: list, files: list[Path], rd: dict, ctx: dict, prof: dict,
               trep: TableReport, rep: ImportReport) -> list[tuple[pd.DataFrame, str]]:
    """The tables read from a table's ``also`` entries (each a file with its own where, columns,
    per_month): Salesforce's dated rates beside its static ones. A missing file is noted, not an
    error, unless the entry says ``required: true``."""
    out = []
    for spec in more:
        path = _find(files, spec.get("file"))
        if path is None:
            if spec.get("required"):
                raise ImportError_(f"no file for {name} matching {spec.get('file')!r}")
            rep.skipped.append(Message("{table}: no file matching {pattern} (read beside {file})", table=V(name),
                                       pattern=V(repr(spec.get("file"))), file=V(trep.file)))
            continue
        df, _info = _read(path, spec, rd)
        sub = TableReport(table=name, file=path.name, rows_read=len(df))
        c = {**ctx, "file": path.name}
        _, t, spec = _rows_to_table(name, spec, df, c, sub, prof)
        t = _finish_table(name, t, spec, prof, sub, rep)
        trep.mapped.update({f"{k} ({path.name})": v for k, v in sub.mapped.items()})
        trep.converted += [Message("{file}: {what}", file=V(path.name), what=x) for x in sub.converted]
        trep.dropped += [(n, Message("{file}: {what}", file=V(path.name), what=why)) for n, why in sub.dropped]
        trep.warnings += sub.warnings
        trep.rows_read += len(df)
        out.append((t, path.name))
        trep.sources.append((path.name, len(df)))
    return out


def _base_currency(df: pd.DataFrame, t: pd.DataFrame, how: dict, ctx: dict) -> str:
    """The currency a rates file converts into, as its flag column marks it (Salesforce's IsCorporate
    in CurrencyType.csv): ``base_currency: {column: IsCorporate, in: ["true", "1"]}``."""
    h = _need(df, how.get("column"), ctx)
    yes = {str(v).strip().lower() for v in _as_list(how.get("in", sorted(TRUE_FLAGS)))}
    flagged = to_text(df[h]).fillna("").str.strip().str.lower().isin(yes).to_numpy()
    codes = sorted(set(t.loc[flagged, "currency"].dropna().astype(str).str.strip().str.upper()))
    if len(codes) != 1:
        raise ImportError_(f"{ctx['file']}, column {h!r}: {'no' if not codes else 'several'} currency marked as "
                           f"the one the rates convert into ({', '.join(codes) or 'none of the rows'}); "
                           "set the profile's reporting_currency")
    return codes[0]


def _rebase(t: pd.DataFrame, base: str, target: str, file: str) -> pd.DataFrame:
    """Rates into ``base`` (the corporate currency) turned into rates into ``target``: rate(X → target)
    = rate(X → base) ÷ rate(target → base), month by month (a month's own rate, else the ``*`` one).
    A month with a rate of the target of its own gets every currency's rate for it."""
    cur = t["currency"].astype(str).str.strip().str.upper()
    mine = t[cur == target].set_index("period")["rate"]
    if mine.empty:
        raise ImportError_(f"{file}: no rate of {target} (the profile's reporting_currency) into {base}, "
                           f"so no rate into {target} can be worked out")
    months = sorted(p for p in mine.index if p != "*")
    rows = []
    for c, g in t.assign(currency=cur).groupby("currency", sort=True):
        own = g.set_index("period")["rate"]
        for p in sorted(set(own.index) | set(months)):
            r = own.get(p, own.get("*"))
            d = mine.get(p, mine.get("*"))
            if r is not None and d is not None and not (pd.isna(r) or pd.isna(d)):
                rows.append({"currency": c, "period": p, "rate": float(r) / float(d)})
    return pd.DataFrame(rows, columns=["currency", "period", "rate"])


def _file_rows(src: dict) -> Message:
    """A rates file and its rows, ``CurrencyType.csv (4 rows)`` / ``DatedConversionRate.csv (no rows)``."""
    n = int(src["rows"])
    return (Message("{file} ({n} rows)" if n > 1 else "{file} (1 row)" if n else "{file} (no rows)",
                    file=V(src["file"]), n=f"{n:,}"))


def _fx_rows_said(t: pd.DataFrame, parts: list[tuple[str, pd.DataFrame]]) -> Message:
    """What fx_rates' rows are, for its line of the report: the rates for every month (one per
    currency, ``period`` ``*``) and the monthly ones, each with the files that gave them
    (Salesforce: CurrencyType.csv, DatedConversionRate.csv), and a file that gave none."""
    per = t["period"].astype(str)
    every, monthly = int((per == "*").sum()), int((per != "*").sum())

    def files(is_every: bool) -> Message:
        return listing(f for f, d in parts if len(d) and (d["period"].astype(str).eq("*") == is_every).any())

    said = [Message("{n:,} currencies at one rate for every month from {files}", n=every, files=files(True))
            if every else "",
            Message("{n:,} monthly rates from {files}", n=monthly, files=files(False)) if monthly else "",
            *(Message("no rows in {file}", file=V(f)) for f, d in parts if not len(d))]
    return Message.join(", ", said)


def _fx_summary(t: pd.DataFrame, sources: list[str], base: str, target: str) -> dict[str, Any]:
    """What ``_import.json`` and the report say of the rates: files, rows, currencies, months."""
    months = sorted(p for p in t["period"].astype(str) if p != "*")
    return {"files": sources, "rows": len(t), "currencies": sorted(set(t["currency"].astype(str))),
            "months": [months[0], months[-1]] if months else [],
            "every_month": sorted(set(t.loc[t["period"].astype(str) == "*", "currency"].astype(str))),
            "base_currency": base, "reporting_currency": target}



def _described(alt: dict, default: str = "") -> Any:
    """`` (DESCRIPTION)`` of a profile's alternative (its own words: data), or ``default`` (words of
    the code, translated); nothing when neither."""
    if alt.get("description"):
        return Message(" ({description})", description=V(str(alt["description"])))
    return Message(" ({description})", description=Message(default)) if default else V("")


def _as_list(x) -> list:
    return [] if x is None else x if isinstance(x, list) else [x]


#: the keys of a limited ``drop_if_missing`` entry: ``{columns: [amount], unless_open: true}``
DROP_KEYS = {"columns", "unless_open"}


def _drop_rules(spec: dict, where: str = "drop_if_missing") -> list[tuple[str, bool]]:
    """The profile's ``drop_if_missing`` as ``(column, unless_open)`` pairs: a column (or a list of
    them) drops every row with it empty; an entry ``{columns: [amount], unless_open: true}`` drops
    only the rows of deals that are not open (won or lost), keeping the open deals the contract lets
    leave it empty. Both may stand in one list."""
    out = []
    for e in _as_list(spec.get("drop_if_missing")):
        if isinstance(e, dict):
            bad = set(e) - DROP_KEYS
            if bad or "columns" not in e or not isinstance(e.get("unless_open", False), bool):
                raise ImportError_(f"{where}: an entry is a column, or {{columns: [...], unless_open: true}}, "
                                   f"not {e!r} (known keys: {', '.join(sorted(DROP_KEYS))})")
            out += [(str(c), bool(e.get("unless_open"))) for c in _as_list(e["columns"])]
        else:
            out.append((str(e), False))
    return out


# ------------------------------------------------------------------------------------ the import
def import_export(
    profile: dict | str,
    export: str | Path,
    out: str | Path | None = None,
    *,
    overrides: str | Path | None = None,
    as_of: str | None = None,
) -> tuple[dict[str, pd.DataFrame], ImportReport]:
    """Import ``export`` (a folder or one CSV/XLSX file) as ``profile`` says.

    Parameters
    ----------
    profile : dict or str
        A loaded profile, a built-in name or a YAML path.
    export : path
        The export folder or file.
    out : path, optional
        Folder for the Parquet tables and ``_import.json``; nothing is written when None.
    overrides : path, optional
        A ``--map`` YAML merged over the profile.
    as_of : str, optional
        The export's date (YYYY-MM-DD); default: the profile's ``as_of``, else none recorded (the
        run then takes the latest date in the data).

    Returns
    -------
    (tables, report)

    Raises
    ------
    ImportError_
        When a required file or column cannot be mapped or a value cannot be read.
    """
    prof = profile if isinstance(profile, dict) else load_profile(profile, overrides=overrides)
    export = Path(export)
    files = _files(export)
    rd = prof.get("read") or {}
    rep = ImportReport(profile=prof.get("name", "?"), export=str(export))
    as_of = as_of or prof.get("as_of") or None
    limit = pd.Timestamp(as_of) if as_of else None
    tables: dict[str, pd.DataFrame] = {}
    frames: dict[str, tuple[pd.DataFrame, ReadInfo, Path]] = {}
    places: tuple[str, dict[str, float]] | None = None  # the export's own stage order, when it has one
    marks: dict[str, tuple[str, str, list[str]]] = {}  # a table's amounts' currency mark: (header, mark, codes)
    probs: tuple[str, dict[str, float]] | None = None  # the export's own stage probabilities (HubSpot)
    misread_seen: set[tuple[str, str]] = set()
    specs = prof.get("tables") or {}
    if "orders" not in specs:
        raise ImportError_(f"profile {rep.profile}: no tables.orders (orders are required)")
    for name in _table_order(specs, files):
        spec = specs[name] or {}
        alt = spec.get("otherwise")
        if (isinstance(alt, dict) and alt.get("from_table") and not spec.get("from_table")
                and not spec.get("files") and _find(files, spec.get("file")) is None):
            # no file for the table: read it from another table's file (HubSpot without a users
            # export: the reps are the deals' owners)
            rep.notes.append(Message("{table}: no file matching {pattern}; read as the profile's alternative from "
                                     "the file of {source}{description}", table=V(name),
                                     pattern=V(repr(spec.get("file"))), source=V(alt["from_table"]),
                                     description=_described(alt)))
            spec = {k: v for k, v in alt.items() if k != "description"}
        warn_alt = ""
        if spec.get("from_table"):
            src = spec["from_table"]
            if src not in frames:
                rep.skipped.append(Message("{table}: its source table {source} was not imported", table=V(name),
                                           source=V(src)))
                continue
            df, info, path = frames[src]
        elif spec.get("files"):
            paths = _find_all(files, spec["files"])
            if not paths:
                raise ImportError_(f"{export}: no file for {name} matching {spec['files']!r} (files: "
                                   f"{', '.join(f.name for f in files[:20]) or 'none'})")
            df, info = _read_all(paths, spec, rd, spec["files"])
            path = Path(info.file)
            frames[name] = (df, info, path)
        else:
            path = _find(files, spec.get("file"))
            # the alternative's file read as the table itself (a Deals export mapped as the orders
            # with --map) is no second file
            if path is not None and isinstance(spec.get("otherwise"), dict) and (
                    also_there := [f.name for f in (_find(files, a.get("file")) for a in (
                        spec["otherwise"], *_as_list(spec["otherwise"].get("also")))) if f not in (None, path)]):
                # the user's own file wins over the CRM's (fx_rates.csv over CurrencyType.csv)
                rep.notes.append(Message("{table}: read from {file}; {others}{description} not read: your file "
                                         "wins", table=V(name), file=V(path.name), others=listing(also_there),
                                         description=_described(spec["otherwise"], "the profile alternative")))
                warn_alt = Message("{file} is read as {table}; {others} is there too and not read as {table}"
                                   if len(also_there) == 1 else
                                   "{file} is read as {table}; {others} are there too and not read as {table}",
                                   file=V(path.name), table=V(name), others=listing(also_there))
            if path is None and isinstance(spec.get("otherwise"), dict):
                # no file for the table: the profile's second way to read it (HubSpot without
                # Commerce orders: the won deals are the sales)
                alt = spec["otherwise"]
                alt_path = _find(files, alt.get("file"))
                if alt_path is not None:
                    rep.notes.append(Message("{table}: no file matching {pattern}; read as the profile's "
                                             "alternative from {file}{description}", table=V(name),
                                             pattern=V(repr(spec.get("file"))), file=V(alt_path.name),
                                             description=_described(alt)))
                    spec = {k: v for k, v in alt.items() if k != "description"}
                    path = alt_path
            if path is None:
                what = spec.get("file") or "(one file expected)"
                if name == "orders" or spec.get("required"):
                    raise ImportError_(
                        f"{export}: no file for {name} matching {what!r} (files: "
                        f"{', '.join(f.name for f in files[:20]) or 'none'})")
                rep.skipped.append(Message("{table}: no file matching {pattern}", table=V(name),
                                           pattern=V(repr(what))))
                continue
            df, info = _read(path, spec, rd)
            frames[name] = (df, info, path)
        skip = spec.get("skip_unless")
        if skip and _header(df, skip) is None:
            rep.skipped.append(Message("{table}: {file} has no column {column}", table=V(name), file=V(path.name),
                                       column=V(repr(skip))))
            continue
        trep = TableReport(table=name, file=path.name, rows_read=len(df), read=info.describe(),
                           read_parts=info.describe_parts(),
                           derived=bool(spec.get("from_table")))
        if not spec.get("from_table"):
            _misread_checks(info, trep, misread_seen)
        if info.repeated_headers and not spec.get("from_table"):
            trep.dropped.append((info.repeated_headers, Message("lines repeating the header")))
        if info.footer and not spec.get("from_table"):
            shown = "; ".join(repr(t[:50]) for t in info.footer[:6])
            trep.dropped.append((len(info.footer), Message("footer lines after the data ({lines})", lines=V(
                shown + (" …" if len(info.footer) > 6 else "")))))
        if spec.get("join"):
            df = _join(df, spec["join"], files, rd, path.name, trep, misread_seen)
            frames[name] = (df, info, path)  # a table read from this one sees the joined columns
        if not spec.get("from_table") and not spec.get("files") and warn_alt:
            trep.warnings.append(warn_alt)
        ctx = {"file": path.name, "table": name, "as_of": limit, "profile": prof,
               "decimal": spec.get("decimal", rd.get("decimal", ".")),
               "thousands": spec.get("thousands", rd.get("thousands"))}
        if spec.get("per_month") or spec.get("also"):
            ctx["months"] = _months_needed(tables)
        if isinstance(spec.get("file"), list) and not spec.get("from_table"):
            # the other files the table's list of patterns matches (Zoho's Invoices.csv beside
            # Sales_Orders.csv): named when the one read cannot be mapped
            ctx["others"] = [f.name for f in _find_all(files, spec["file"]) if f != path]
        try:
            if spec.get("history_from"):
                t = _history_from_columns(df, spec["history_from"], ctx, trep)
                if t is None:
                    rep.skipped.append(Message("{table}: no column of {file} matches {pattern}", table=V(name),
                                               file=V(path.name), pattern=V(repr(spec["history_from"]["pattern"]))))
                    continue
            else:
                d, t, spec = _rows_to_table(name, spec, df, ctx, trep, prof)
                amount = (spec.get("columns") or {}).get("amount")
                if name in ("orders", "opportunities") and isinstance(amount, str) and amount in d.columns and (
                        found := currency_mark(d[amount].dropna().astype(str).head(500))):
                    marks[name] = (amount, *found)
                if name == "opportunities":
                    _unknown_stages(d, t, spec, prof, ctx, trep)
                    _status_check_stages(t, spec, prof, trep)
                    _status_check_names(t, prof, trep)
                    places = _stage_places(d, t)
                    probs = _stage_probabilities(d, t)
                t = _record_rates(name, t, d, spec, ctx, trep, prof)
                if name == "reps":
                    t = _active_flag(t, d, spec, ctx, trep)
                if name == "orders":
                    _status_check(d, trep)
        except ParseError as exc:
            raise ImportError_(f"{name}: {exc}") from exc
        if not spec.get("from_table"):
            _twice_check(df, info, trep)
        t = _finish_table(name, t, spec, prof, trep, rep)
        # the currency the rates convert into, as the rates file marks it (read before the also
        # files are stacked: the flag column is this file's)
        base = (_base_currency(df, t, spec["base_currency"], ctx)
                if name == "fx_rates" and spec.get("base_currency") else "")
        parts = [(path.name, t)]  # the rows of each file, before they are stacked
        if spec.get("also"):
            more = _read_more(name, _as_list(spec["also"]), files, rd, ctx, prof, trep, rep)
            parts += [(f, m) for m, f in more]
            t = _stack_more(name, t, path.name, more, trep)
        if name == "fx_rates" and {"currency", "period", "rate"} <= set(t.columns):
            t, rep.fx = _fx_rates(t, base, ctx, prof, trep, [(path.name, len(df)), *trep.sources])
            trep.said = _fx_rows_said(t, [(f, d) for f, d in parts if "period" in d.columns])
        if spec.get("from_table") == "opportunities":
            t = _kept_deals_only(t, tables, rep, trep)
        trep.rows = len(t)
        tables[name] = t
        rep.tables.append(trep)
    _roster(tables, specs, frames, rep, as_of=limit)
    _post(tables, prof, rep, places=places, probs=probs)
    rep.as_of = str(pd.Timestamp(as_of).date()) if as_of else ""
    rep.currency = _currency(tables, prof, rep.fx)
    if not rep.currency:
        _unstated_currency(marks, rep)
    if out is not None:
        write(tables, out, prof=prof, report=rep)
    return tables, rep


def _twice_check(df: pd.DataFrame, info, trep: TableReport) -> None:
    """Say which column was read where the header names a mapped one twice (HubSpot's all-properties
    export: ``Associated Company IDs`` is the primary company's, its copy every associated one's): the
    first is read; a copy that differs is a CHECK line with the rows and the name to read it by."""
    used = set(trep.mapped.values())
    for h, copies in info.twice.items():
        if h not in used:
            continue
        first = to_text(df[h]).fillna("").str.strip()
        for c in copies:
            other = to_text(df[c]).fillna("").str.strip()
            diff = (first != other).to_numpy()
            trep.unused = [u for u in trep.unused if u != c]
            if not diff.any():
                trep.converted.append(Message("{column}: named twice in the header, both columns alike; the first "
                                              "read", column=V(h)))
                continue
            i = int(diff.nonzero()[0][0])
            trep.warnings.append(Message(
                "{column} is named twice in the header: the first column is read; the other (read as {copy}) "
                "differs in {n:,} row(s), e.g. data row {row}: {first} and {other}; name {copy} in the profile "
                "(--map) to read that one instead", column=V(h), copy=V(repr(c)), n=int(diff.sum()), row=i + 1,
                first=V(repr(first.iloc[i])), other=V(repr(other.iloc[i]))))


def _table_order(specs: dict, files: list[Path]) -> list[str]:
    """The profile's tables in the contract's order, but a table read from another one's file
    when its own is missing (``otherwise: {from_table: ...}``: the reps from the deals' owners)
    after that table."""
    names = [t for t in TABLES if t in specs]
    late = {}
    for t in names:
        spec = specs[t] or {}
        alt = spec.get("otherwise")
        if (isinstance(alt, dict) and alt.get("from_table") in names and not spec.get("from_table")
                and not spec.get("files") and _find(files, spec.get("file")) is None):
            late[t] = alt["from_table"]
    out = [t for t in names if t not in late]
    for t, src in late.items():
        out.insert(out.index(src) + 1, t)
    return out


def _active_flag(t: pd.DataFrame, d: pd.DataFrame, spec: dict, ctx: dict, trep: TableReport) -> pd.DataFrame:
    """The reps an active flag says have left (``active_flag: {column: IsActive, date: LastModifiedDate}``:
    Salesforce's IsActive 0/false; or ``{column: Deal owner, inactive_matches: REGEX}``: a name that
    says so, HubSpot's ``jo@example.com (Deactivated User)``), given an ``end_date`` (the roster's "has left": no scorecard)
    when the profile maps none. Their end date is the ``date`` column (the user's last change, which
    a deactivation sets) where it holds one; where it is empty, :func:`_roster` sets the last day the
    data sees the user work and says so (the export does not say when they left)."""
    if not spec.get("active_flag"):
        return t
    how = _column_spec(spec["active_flag"])
    h = _header(d, how.get("column"))
    if h is None or ("end_date" in t.columns and t["end_date"].notna().any()):
        return t
    trep.unused = [c for c in trep.unused if c not in (h, _header(d, how.get("date")))]
    flag = to_text(d[h]).fillna("").str.strip().str.lower()
    if how.get("inactive_matches"):  # a name that says the user has left: HubSpot's "… (Deactivated User)"
        gone = flag.str.contains(str(how["inactive_matches"]), case=False, regex=True)
    else:
        gone = (flag != "") & ~flag.isin(TRUE_FLAGS)
    end = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    dh = _header(d, how.get("date")) if how.get("date") else None
    if dh is not None and gone.any():
        end = parse_dates(d[dh], file=ctx["file"], column=dh).dt.normalize().where(gone.to_numpy())
        trep.mapped["end_date"] = Message("{date} where {flag} says inactive", date=V(dh), flag=V(h))
    else:
        trep.mapped["end_date"] = Message("{flag} (inactive)", flag=V(h))
    return t.assign(end_date=end.to_numpy(), _inactive=gone.to_numpy())


def _roster(tables: dict, specs: dict, frames: dict, rep: ImportReport, *, as_of) -> None:
    """The reps a CRM's user list holds beyond the sales team, and the dates of those who left.

    ``owners_only: true`` keeps the users who own a row of a table referencing reps (an order, a
    deal, a target), and the managers of those kept: Salesforce's User.csv also lists the Automated
    Process user, the license-manager and Chatter-only users, integration users; each would get a
    scorecard of empty sections. A user of another kind than ``kind`` says (``owners_only: {kind:
    UserType, keep: [Standard]}``) who owns rows is kept (its rows need an owner) and named in a
    CHECK line. The rows left out are counted by kind in the report.

    An inactive user (:func:`_active_flag`) without a date gets the last day the data sees it work
    (:func:`_last_seen`); one whose every deal or order ``drop_if_missing`` left out, the last day
    those rows see it work (:func:`_set_aside_work`); one with no date at all, the day before the
    data's last date. A CHECK line says which of the three each is, and why.
    """
    r = tables.get("reps")
    spec = specs.get("reps") or {}
    if r is None:
        return
    trep = next(t for t in rep.tables if t.table == "reps")
    raw = frames["reps"][0] if "reps" in frames else pd.DataFrame()  # read from another table: no kind
    own = spec.get("owners_only")
    if own:
        own = own if isinstance(own, dict) else {}
        owned: dict[str, int] = {}
        for name, t in tables.items():
            for c in TABLES[name].columns:
                if c.references == ("reps", "rep_id") and c.name in t.columns:
                    for k, n in t[c.name].dropna().astype(str).value_counts().items():
                        owned[k] = owned.get(k, 0) + int(n)
        ids = r["rep_id"].astype(str)
        keep = ids.isin(set(owned))
        if "manager_id" in r.columns:  # the managers of those kept, up the chain
            while True:
                more = ids.isin(set(r.loc[keep, "manager_id"].dropna().astype(str))) & ~keep
                if not more.any():
                    break
                keep |= more
        kh = _header(raw, own.get("kind")) if own.get("kind") else None
        kind = (to_text(raw[kh]).fillna("").str.strip().reindex(r.index) if kh is not None and len(raw) == len(r)
                else None)
        trep.unused = [c for c in trep.unused if c != kh]
        if kind is not None and own.get("keep"):
            odd = keep & ~kind.isin([str(v) for v in _as_list(own["keep"])])
            for i in r.index[odd.to_numpy()]:
                trep.warnings.append(Message(
                    "user {user} ({column} {kind}, not {kept}) owns {n:,} row(s): kept as a rep, its rows need an "
                    "owner (reassign them in the CRM if it is no salesperson)", user=V(r.at[i, "rep_id"]),
                    column=V(kh), kind=V(kind[i]), kept=V(", ".join(map(str, _as_list(own["keep"])))),
                    n=owned.get(str(r.at[i, "rep_id"]), 0)))
        if not keep.all():
            n = int((~keep).sum())
            by = (", ".join(f"{k or '?'} {v:,}" for k, v in sorted(
                kind[~keep.to_numpy()].value_counts().items(), key=lambda kv: (-kv[1], kv[0])))
                  if kind is not None else "")
            gone = int(r.loc[~keep.to_numpy(), "_inactive"].sum()) if "_inactive" in r.columns else 0
            trep.dropped.append((n, Message.join("", [
                Message("users who own no order, deal or target and manage no one who does (system, integration "
                        "and app users, users who never sold)"),
                Message(": {kind} {counts}", kind=V(kh), counts=V(by)) if by else "",
                Message("; {n:,} of them inactive", n=gone) if gone else ""])))
            r = r[keep.to_numpy()].reset_index(drop=True)
    if "_inactive" in r.columns:
        undated = r["_inactive"].astype(bool) & r["end_date"].isna()
        if undated.any():
            day, seen_at = _last_seen(tables, as_of)
            ids = r.loc[undated, "rep_id"].astype(str)
            ends = ids.map(seen_at)
            aside, why = _set_aside_work(rep.set_aside, day)
            from_aside = ends.isna() & ids.isin(set(aside))
            ends = ends.where(~from_aside, ids.map(aside))
            r.loc[undated, "end_date"] = ends.where(ends.notna(), day)
            seen = ~from_aside & ends.notna()
            more = lambda n: ", …" if n > 5 else ""  # noqa: E731
            if seen.any():
                shown = [f"{i} {pd.Timestamp(e):%Y-%m-%d}" for i, e in zip(ids[seen], ends[seen], strict=True)]
                trep.warnings.append(Message(
                    "{n:,} inactive user(s) without a date of leaving: end_date is the last day the data sees them "
                    "work (a deal created, an activity, an order) (the export does not say when they left): "
                    "{users}; no scorecard after it; pages on leavers read them as leaving then",
                    n=int(seen.sum()), users=V(", ".join(shown[:5]) + more(len(shown)))))
            if from_aside.any():
                shown = [Message("{user} {date} ({why})", user=V(i), date=V(f"{pd.Timestamp(e):%Y-%m-%d}"),
                                 why=why[i]) for i, e in zip(ids[from_aside], ends[from_aside], strict=True)]
                trep.warnings.append(Message(
                    "{n:,} inactive user(s) whose every deal or order the import dropped: end_date is the last day "
                    "those dropped rows see them work (the export does not say when they left): {users}; no "
                    "scorecard after it", n=int(from_aside.sum()),
                    users=Message.join(", ", [*shown[:5], V("…") if len(shown) > 5 else ""])))
            none = ends.isna()
            if none.any():
                shown = list(ids[none])
                trep.warnings.append(Message(
                    "{n:,} inactive user(s) with no dated deal, activity or order in the export: end_date is the "
                    "day before {when}{day}, for want of a date of their own: {users}; no scorecard after it",
                    n=int(none.sum()), when=Message("the as-of date" if as_of is not None else "the data’s last date"),
                    day=V(f" ({pd.Timestamp(day):%Y-%m-%d})" if pd.notna(day) else ""),
                    users=V(", ".join(shown[:5]) + more(len(shown)))))
        left = int(r["_inactive"].astype(bool).sum())
        if left:
            trep.converted.append(Message("end_date: {n:,} inactive user(s) read as having left", n=left))
        r = r.drop(columns="_inactive")
        if r["end_date"].isna().all():
            r = r.drop(columns="end_date")
    tables["reps"] = r
    trep.rows = len(r)


#: the dates that show a rep at work: an order, a deal created, a deal's last activity
_WORK_DATES = ("order_date", "created_date", "last_activity_date")


def _set_aside_work(aside: list[pd.DataFrame], day) -> tuple[dict[str, pd.Timestamp], dict[str, str]]:
    """Each rep's last day at work in the rows ``drop_if_missing`` left out (an order, a deal created,
    its last activity; else a closed deal's close date), never after ``day``; and why those rows were
    left out (``"no close_date"``)."""
    rows = pd.concat(aside, ignore_index=True) if aside else pd.DataFrame(columns=["rep_id", "_why"])
    rows = rows[rows["rep_id"].notna()].assign(rep_id=lambda x: x["rep_id"].astype(str))
    last: dict[str, pd.Timestamp] = {}
    for cols in (_WORK_DATES, ("close_date",)):  # the close date only for a rep no other date shows
        for c in cols:
            if c not in rows.columns:
                continue
            d = pd.DataFrame({"r": rows["rep_id"], "d": pd.to_datetime(rows[c], errors="coerce")}).dropna()
            if pd.notna(day):
                d = d[d["d"] <= day]
            for k, v in d.groupby("r")["d"].max().items():
                if cols == _WORK_DATES or k not in last:
                    last[k] = max(last.get(k, v), v) if cols == _WORK_DATES else v
    why = {k: Message.join("; ", list(dict.fromkeys(g["_why"]))) for k, g in rows.groupby("rep_id")}
    return last, why


def _last_seen(tables: dict, as_of) -> tuple[pd.Timestamp, dict[str, pd.Timestamp]]:
    """The day before the data's last date (the import's as-of date, else as the run's as-of takes
    it: the latest order date or deal created, a closed deal's typed close date only when there is
    no other date), and each rep's last day at work the data shows (a deal created, its last
    activity, an order), never after that day."""
    today = pd.Timestamp.today().normalize()
    o, od = tables.get("opportunities"), tables.get("orders")
    dated = [(t, c) for t, c in ((od, "order_date"), (o, "created_date"), (o, "last_activity_date"))
             if t is not None and c in t.columns and "rep_id" in t.columns]
    if as_of is not None:
        last = pd.Timestamp(as_of)
    else:
        seen = [pd.to_datetime(t[c]) for t, c in dated if c != "last_activity_date"]
        if not seen and o is not None and {"close_date", "status"} <= set(o.columns):
            seen = [pd.to_datetime(o.loc[o["status"] != "open", "close_date"])]
        last = max((d[d <= today].max() for d in seen), default=pd.NaT)
    day = (last - pd.Timedelta(days=1)).normalize() if pd.notna(last) else pd.NaT
    per: dict[str, pd.Timestamp] = {}
    for t, c in dated:
        d = pd.DataFrame({"r": t["rep_id"].astype("string"), "d": pd.to_datetime(t[c])}).dropna()
        if pd.notna(day):
            d = d[d["d"] <= day]
        for k, v in d.groupby("r")["d"].max().items():
            per[str(k)] = max(per.get(str(k), v), v)
    return day, per


def _kept_deals_only(t: pd.DataFrame, tables: dict, rep: ImportReport, trep: TableReport) -> pd.DataFrame:
    """``t`` (read from the deals' own file: HubSpot's date-entered columns as the stage history)
    without the rows of deals the opportunities table did not keep (a ``where`` keeping one pipeline,
    an empty required value): their history would point at no deal. Counted in the report."""
    o = tables.get("opportunities")
    if o is None or "opportunity_id" not in t.columns:
        return t
    keep = t["opportunity_id"].isin(set(o["opportunity_id"].dropna()))
    if keep.all():
        return t
    why = "; ".join(dict.fromkeys(w for r in rep.tables if r.table == "opportunities" for _, w in r.dropped))
    trep.dropped.append((int((~keep).sum()), Message("of deals the opportunities table left out ({why})",
                                                     why=V(why)) if why else
                         Message("of deals the opportunities table left out")))
    return t[keep.to_numpy()].reset_index(drop=True)


def _finish_table(name, t, spec, prof, trep, rep) -> pd.DataFrame:
    contract = TABLES[name]
    for c, only_closed in _drop_rules(spec, f"tables.{name}.drop_if_missing"):
        if c in t.columns:
            miss = t[c].isna()
            if only_closed:
                miss &= _deal_status(t, name, prof) != "open"
            if miss.any():
                # the other required values those rows lack too (Maven's open deals: no close date
                # nor amount), so that the line does not read as if only one was missing
                also = {o.name: int(t.loc[miss, o.name].isna().sum()) for o in contract.columns
                        if o.required and not o.nullable and o.name != c and o.name in t.columns}
                also = {k: n for k, n in also.items() if n}
                n = int(miss.sum())
                words = ", ".join(k if m == n else f"{k} in {m:,}" for k, m in also.items())
                trep.dropped.append((n, Message.join("", [
                    Message("no {column}", column=V(c)),
                    Message(" (closed deals only: open deals without it are kept)") if only_closed else "",
                    Message(" (also without {columns})", columns=V(words)) if also else ""])))
                trep.lacking.append((n, c))
                if only_closed:
                    trep.lacking_closed.add(c)
                if name in ("orders", "opportunities") and "rep_id" in t.columns:
                    cols = [x for x in ("rep_id", *_WORK_DATES, "close_date") if x in t.columns]
                    rep.set_aside.append(t.loc[miss, cols].assign(_why=Message("no {column}", column=V(c))))
                t = t[~miss]
    if name in ("orders", "opportunities") and "currency" not in t.columns and prof.get("currency"):
        t = t.assign(currency=str(prof["currency"]).upper())
        trep.mapped["currency"] = Message("constant {value} (the profile's currency)", value=V(repr(prof["currency"])))
    if name == "orders" and "line_no" not in t.columns and "order_id" in t.columns:
        t = t.assign(line_no=t.groupby("order_id", sort=False).cumcount() + 1)
        trep.converted.append(Message("line_no: numbered 1, 2, ... within each order in file order"))
    if spec.get("distinct") == "stage_entries":
        t = stage_entries(t, table=name, trep=trep)
    elif spec.get("distinct") and contract.key and all(k in t.columns for k in contract.key):
        n = len(t)
        days = [k for k in contract.key if contract.column(k).kind == "date"]
        if days:  # a change log keyed by day: the day's latest row, in time order, then file order
            t = t.sort_values(days, kind="stable")
            t = t.assign(**{k: pd.to_datetime(t[k]).dt.normalize() for k in days})
        t = t.drop_duplicates(list(contract.key), keep="last")
        if len(t) < n:
            trep.converted.append(Message("{n} repeated {key} merged (the last row's values kept)",
                                          n=n - len(t), key=V(" + ".join(contract.key))))
    for c in contract.columns:
        if c.kind == "int" and c.name in t.columns:
            t[c.name] = t[c.name].astype("Int64")
    return t.reset_index(drop=True)


def _stack_more(name: str, t: pd.DataFrame, first: str, more: list[tuple[pd.DataFrame, str]],
                trep: TableReport) -> pd.DataFrame:
    """The table's rows, then those of its ``also`` files; a row repeating the key of an earlier
    file's row (fx_rates: currency and month) is dropped and counted: the earlier file wins."""
    key = list(TABLES[name].key)
    frames = [t.assign(_src=first), *(m.assign(_src=f) for m, f in more)]
    both = pd.concat(frames, ignore_index=True)
    if key and all(k in both.columns for k in key):
        twice = both.duplicated(key, keep="first")
        for f, n in both[twice]["_src"].value_counts().items():
            trep.dropped.append((int(n), Message("{file}: {key} already given by an earlier file", file=V(f),
                                                 key=V(" + ".join(key)))))
        both = both[~twice]
    return both.drop(columns="_src").reset_index(drop=True)


def _fx_rates(t: pd.DataFrame, base: str, ctx: dict, prof: dict, trep: TableReport,
              sources: list) -> tuple[pd.DataFrame, dict[str, Any]]:
    """fx_rates into the reporting currency: the profile's ``reporting_currency``, else the currency
    the rates convert into (``base``: Salesforce's corporate currency); rebased when the two differ.
    Returns the table and what the report says of it."""
    target = str(prof.get("reporting_currency") or base or "").strip().upper()
    t = t.assign(currency=t["currency"].astype(str).str.strip().str.upper(),
                 period=t["period"].astype(str).str.strip())
    if base and target and target != base:
        t = _rebase(t, base, target, ctx["file"])
        trep.converted.append(Message("rates into {base} turned into rates into {target} (the profile's "
                                      "reporting_currency): rate ÷ the rate of {target} for the same month",
                                      base=V(base), target=V(target)))
    names = [f"{f} ({n:,} row{'s' if n != 1 else ''})" if n else f"{f} (no rows)" for f, n in sources]
    summary = _fx_summary(t, names, base, target or base)
    summary["sources"] = [{"file": f, "rows": int(n)} for f, n in sources]
    return t.reset_index(drop=True), summary


def _deal_status(t: pd.DataFrame, name: str, prof: dict) -> pd.Series:
    """Each deal's status as the import will read it, for ``drop_if_missing``'s ``unless_open``: its
    ``status`` column (the CRM's flags), else its stage's status in the profile's stages list (a
    stage the list does not name stops the import later, naming its rows)."""
    if name != "opportunities":
        raise ImportError_(f"tables.{name}.drop_if_missing: unless_open is for opportunities (open deals)")
    if "status" in t.columns and t["status"].notna().any():
        return t["status"].astype(object)
    per = _pipeline_statuses(prof)
    if per is not None and "pipeline" in t.columns:
        return _pairs(t).map(per)
    return t["stage"].map(_stage_statuses(prof)) if "stage" in t.columns else pd.Series(None, index=t.index)


def stage_entries(t: pd.DataFrame, *, table: str = "opportunity_history",
                  trep: TableReport | None = None) -> pd.DataFrame:
    """One row per deal and stage: the row where the deal last entered the stage.

    A CRM's stage history often records every change of a tracked field, not only of the stage
    (Salesforce's OpportunityHistory writes a row when the amount, the close date, the probability
    or the forecast category changes). A row whose stage is the stage of the deal's previous row
    (in ``entered_date`` order, then file order) is such a change and is dropped: keeping the last
    row per stage would date the entry at the last change and make every stage look shorter. A
    stage entered again later keeps its last entry. The values kept (a close date, a category)
    are those recorded when the stage was entered: nothing later than its date.

    Parameters
    ----------
    t : DataFrame
        ``opportunity_id``, ``stage``, ``entered_date`` and any other columns.
    table : str
        The table's name, for the error.
    trep : TableReport, optional
        Receives what was dropped and merged, counted.

    Returns
    -------
    DataFrame
        The entries, ordered by deal and date.
    """
    need = ["opportunity_id", "stage", "entered_date"]
    missing = [c for c in need if c not in t.columns]
    if missing:
        raise ImportError_(f"{table}: distinct: stage_entries needs the columns {', '.join(need)}; "
                           f"not mapped: {', '.join(missing)}")
    t = t.sort_values(["opportunity_id", "entered_date"], kind="stable")
    same = t.groupby("opportunity_id", sort=False)["stage"].shift().eq(t["stage"])
    t = t[~same.to_numpy()]
    n = len(t)
    t = t.drop_duplicates(["opportunity_id", "stage"], keep="last")
    if trep is not None:
        if same.any():
            trep.converted.append(Message("{n} row(s) recording a change within a stage (amount, close date, "
                                          "category, ...) dropped: each stage keeps the row that entered it",
                                          n=int(same.sum())))
        if len(t) < n:
            trep.converted.append(Message("{n} earlier entr(y/ies) of a stage the deal entered again merged (the "
                                          "last entry kept)", n=n - len(t)))
    return t


def _history_from_columns(df, how: dict, ctx, trep) -> pd.DataFrame:
    """Stage histories from one date column per stage (HubSpot's ``Date entered "Stage (Pipeline)"``)."""
    idc = _need(df, how["id"], ctx)
    pat = re.compile(how["pattern"])
    rows = []
    for c in df.columns:
        m = pat.match(str(c))
        if not m:
            continue
        dates = parse_dates(df[c], fmt=how.get("format"), file=ctx["file"], column=str(c),
                            as_of=ctx.get("as_of")).dt.normalize()
        part = pd.DataFrame({"opportunity_id": to_text(df[idc]), "stage": m.group("stage"),
                             "entered_date": dates})
        rows.append(part[part.entered_date.notna()])
        trep.mapped[f"stage {m.group('stage')!r}"] = str(c)
    if not rows:
        return None
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["opportunity_id", "entered_date"], kind="stable")


#: headers of a stage's place in the pipeline on each deal (Salesforce's Opportunity.StageSortOrder)
STAGE_ORDER_HEADERS = {"stagesortorder", "stageorder"}


def _stage_places(d: pd.DataFrame, t: pd.DataFrame) -> tuple[str, dict[str, float]] | None:
    """The export's own order of the deals' stages (Salesforce's StageSortOrder: a number per stage on
    every deal), as (its header, stage → number) for the stages whose deals all carry one number;
    None when the file has no such column (or ``t`` is not row for row ``d``)."""
    col = next((c for c in d.columns if _norm(str(c)) in STAGE_ORDER_HEADERS), None)
    if col is None or "stage" not in t.columns or len(d) != len(t):
        return None
    num = pd.to_numeric(to_text(d[col]).str.strip(), errors="coerce").to_numpy()
    both = pd.DataFrame({"s": t["stage"].astype("string").to_numpy(), "n": num}).dropna()
    per = both.groupby("s")["n"].agg(lambda v: set(v))
    return str(col), {str(k): float(next(iter(v))) for k, v in per.items() if len(v) == 1}


#: headers of a deal's stage probability (HubSpot's Deal probability, hs_deal_stage_probability:
#: the win probability of the deal's stage, 0-1, on every deal), case, spaces and punctuation ignored
STAGE_PROBABILITY_HEADERS = {"dealprobability", "hsdealstageprobability", "stageprobability"}


def _stage_probabilities(d: pd.DataFrame, t: pd.DataFrame) -> tuple[str, dict[str, float]] | None:
    """The win probability of each of the deals' stages as the export writes it on every deal
    (HubSpot's Deal probability), as (its header, stage → probability) for the stages whose deals all
    carry one number between 0 and 1; None when the file has no such column (or ``t`` is not row for
    row ``d``)."""
    col = next((c for c in d.columns if _norm(str(c)) in STAGE_PROBABILITY_HEADERS), None)
    if col is None or "stage" not in t.columns or len(d) != len(t):
        return None
    num = pd.to_numeric(to_text(d[col]).str.strip(), errors="coerce").to_numpy()
    both = pd.DataFrame({"s": t["stage"].astype("string").to_numpy(), "n": num}).dropna()
    both = both[(both["n"] >= 0) & (both["n"] <= 1)]
    per = both.groupby("s")["n"].agg(lambda v: set(v))
    out = {str(k): float(next(iter(v))) for k, v in per.items() if len(v) == 1}
    return (str(col), out) if out else None


def _post(tables: dict[str, pd.DataFrame], prof: dict, rep: ImportReport, *,
          places: tuple[str, dict[str, float]] | None = None,
          probs: tuple[str, dict[str, float]] | None = None) -> None:
    """Status, forecast categories and the stages table, from the profile's stage list (one list, or
    one per pipeline: the stages table then has a ``pipeline`` column, each pipeline its own order).
    ``places`` (:func:`_stage_places`) orders the open stages the list does not name when no stage
    history does, else ``probs`` (:func:`_stage_probabilities`: HubSpot's Deal probability, lowest
    first), which also gives those stages their probability."""
    lists = _stage_lists(prof)
    stages = [s for entries in lists.values() for s in entries]
    per = None not in lists and bool(lists)
    if stages:
        st = pd.DataFrame([{**({"pipeline": p} if per else {}), "stage": str(s["stage"]), "stage_order": i + 1,
                            "status": s.get("status", "open"), "probability": s.get("probability")}
                           for p, entries in lists.items() for i, s in enumerate(entries)])
        bad = st[~st.status.isin(STATUSES)]
        if len(bad):
            raise ImportError_(f"profile stages: status must be one of {', '.join(STATUSES)} "
                               f"(stage {bad.stage.iloc[0]!r} says {bad.status.iloc[0]!r})")
        if st.probability.isna().all():
            st = st.drop(columns="probability")
        tables["stages"] = st
        rep.notes.append(Message("stages: {n} from the profile, in its order ({stages})", n=len(st),
                                 stages=listing(st.stage)) if not per else
                         "stages: from the profile, one list per pipeline (" + "; ".join(
                             f"{p}: {', '.join(str(s['stage']) for s in entries)}"
                             for p, entries in lists.items()) + ")")
    o = tables.get("opportunities")
    if o is None:
        return
    if per and "pipeline" not in o.columns:
        raise ImportError_("opportunities: the profile lists the stages per pipeline "
                           f"({', '.join(lists)}) but maps no pipeline column (columns: pipeline: ...)")
    if "status" not in o.columns or o["status"].isna().all():
        if not stages:
            raise ImportError_("opportunities: no status column mapped and no stages list in the "
                               "profile to derive it from (status: open/won/lost)")
        o["status"] = (_pairs(o).map(_pipeline_statuses(prof)) if per
                       else o["stage"].map(_stage_statuses(prof)))
        rep.notes.append(Message("opportunities.status from each stage's status in the stages list"))
    if stages:
        hist = tables.get("opportunity_history")
        groups = [(None, o, hist)] if not per else [
            (p, o[o["pipeline"].astype(str) == p],
             None if hist is None else hist[hist["opportunity_id"].isin(o.loc[o["pipeline"].astype(str) == p,
                                                                               "opportunity_id"])])
            for p in lists]
        parts = []
        for p, op, hp in groups:
            st = tables["stages"] if p is None else tables["stages"][tables["stages"]["pipeline"] == p]
            st = st.reset_index(drop=True)
            extra, how = _extra_stages(op, hp, set(st.stage), places, probs)
            where = V("") if p is None else Message(" of pipeline {pipeline}", pipeline=V(p))
            if extra:
                add = pd.DataFrame({**({"pipeline": p} if per else {}), "stage": [x for x, _ in extra],
                                    "stage_order": range(len(st) + 1, len(st) + 1 + len(extra)),
                                    "status": [x for _, x in extra]})
                if probs is not None and any(x in probs[1] for x, _ in extra):
                    add["probability"] = add["stage"].map(probs[1]).astype(float)
                    col = V(probs[0])
                    how = (Message(_BY_PROBABILITY_TOO, column=col)
                           if isinstance(how, Message) and how.msgid == _BY_PROBABILITY
                           else Message("{how} (their probability from {column})", how=how, column=col) if how
                           else Message(" (their probability from {column})", column=col))
                st = pd.concat([st, add], ignore_index=True)
                rep.notes.append(Message("stages{where} not in the profile's list, put last{how}: {stages}",
                                         where=where, how=how, stages=listing(x for x, _ in extra)))
            seen = set(op["stage"].dropna())
            if hp is not None:
                seen |= set(hp["stage"].dropna())
            unused = [x for x in st.stage if x not in seen]
            if unused:  # a stage no deal ever entered would show as a 100 % step of the funnel
                st = st[st.stage.isin(seen)].reset_index(drop=True)
                st = st.assign(stage_order=range(1, len(st) + 1))
                lost = sum(n for t in rep.tables if t.table == "opportunities" for n, _ in t.dropped)
                rep.notes.append(Message(
                    "stages{where} of the profile that no imported deal is in or passed through, left out: {stages}"
                    "{lost}", where=where, stages=listing(unused), lost=Message(
                        " (the {n:,} deal(s) the import dropped may have been in them)", n=lost) if lost else V("")))
            parts.append(st)
        tables["stages"] = pd.concat(parts, ignore_index=True) if per else parts[0]
    m = {str(k): v for k, v in (prof.get("forecast_categories") or {}).items()}
    for name, t in (("opportunities", o), *((n, tables.get(n)) for n in (
            "opportunity_history", "forecast_category_history"))):
        if m and t is not None and "forecast_category" in t.columns:  # the history's categories too
            unknown = sorted(set(t["forecast_category"].dropna()) - set(m))
            if unknown:
                raise ImportError_(f"{name}: forecast categories {unknown[:8]} are not in the "
                                   "profile's forecast_categories map")
            t["forecast_category"] = t["forecast_category"].map(m)
    tables["opportunities"] = o
    _pipeline_ids(o, rep)


#: a Salesforce record type's id (key prefix 012; 15 or 18 characters), as RecordTypeId holds it
RECORD_TYPE_ID = re.compile(r"^012[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$")


def _pipeline_ids(o: pd.DataFrame, rep: ImportReport) -> None:
    """A CHECK line and ``rep.pipeline_ids`` when the deals' pipelines are record-type ids (the
    column mapped is RecordTypeId, or every value is a Salesforce record type id): every page
    would name the pipelines 0125g000000AbCdAAK unless the export adds the record type's name."""
    if "pipeline" not in o.columns:
        return
    trep = next((t for t in rep.tables if t.table == "opportunities"), None)
    source = trep.mapped.get("pipeline", "") if trep else ""
    ids = sorted(str(x) for x in o["pipeline"].dropna().astype(str).str.strip().unique() if x)
    if not ids or (_norm(source) != "recordtypeid" and not all(RECORD_TYPE_ID.match(x) for x in ids)):
        return
    rep.pipeline_ids = {"column": source or "pipeline", "ids": ids}
    shown = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
    msg = (f"pipeline is read from {source or 'a column of record type ids'}: the {len(ids)} pipeline(s) are named "
           f"by record type ids ({shown}), and the pages will show these ids as the pipelines' names (each "
           "page says so). Add the record type's name to the export (RecordType.Name in the report or the "
           "query: SELECT ..., RecordType.Name FROM Opportunity) and import it again to see them named")
    if trep is not None:
        trep.warnings.append(msg)
    else:
        rep.notes.append(msg)


_BY_PROBABILITY = (" (the open ones in the order of the export's {column}, each stage's win probability, "
                   "lowest first)")
_BY_PROBABILITY_TOO = (" (the open ones in the order of the export's {column}, each stage's win probability, "
                       "lowest first; their probability from it too)")


def _extra_stages(o: pd.DataFrame, hist: pd.DataFrame | None, listed: set,
                  places: tuple[str, dict[str, float]] | None = None,
                  probs: tuple[str, dict[str, float]] | None = None) -> tuple[list[tuple[str, str]], str]:
    """The stages the deals or their history are in that the profile's list does not name (a second
    sales process: Renewal: Prospecting …), with their status, and how they are ordered (words for
    the report). Each is the status of most of the deals in it (a stage only passed through, seen in
    the history alone, is open); the open ones come first, in the order the deals entered them (each
    stage's median place within its deal's history, as :func:`salesnb.data.extract.stage_order`
    reads a history), else in the export's own order (``places``: Salesforce's StageSortOrder), else
    by the win probability the export gives each stage (``probs``: HubSpot's Deal probability, lowest
    first), else by name, said so; then the won, then the lost ones, by name."""
    names = set(o["stage"].dropna()) - listed
    if hist is not None and {"opportunity_id", "stage", "entered_date"} <= set(hist.columns):
        names |= set(hist["stage"].dropna()) - listed
    if not names:
        return [], ""
    status = {x: (o.loc[o.stage == x, "status"].mode().iloc[0] if (o.stage == x).any() else "open")
              for x in names}
    opened = sorted(x for x in names if status[x] == "open")
    how: Any = V("")
    if hist is not None and {"opportunity_id", "stage", "entered_date"} <= set(hist.columns) and len(opened) > 1:
        h = hist.sort_values(["opportunity_id", "entered_date", "stage"], kind="stable")
        pos = h.groupby("opportunity_id").cumcount()
        cnt = h.groupby("opportunity_id")["stage"].transform("size")
        rel = (pos / (cnt - 1).where(cnt > 1)).fillna(0.0)
        med = rel.groupby(h["stage"].to_numpy()).median()
        if all(x in med.index for x in opened):
            opened.sort(key=lambda x: (med[x], x))
            how = Message(" (the open ones in the order the deals entered them)")
    if not how and len(opened) > 1 and places and all(x in places[1] for x in opened):
        opened.sort(key=lambda x: (places[1][x], x))
        how = Message(" (the open ones in the order of the export's {column})", column=V(places[0]))
    elif not how and len(opened) > 1 and probs and all(x in probs[1] for x in opened):
        opened.sort(key=lambda x: (probs[1][x], x))
        how = Message(_BY_PROBABILITY, column=V(probs[0]))
    elif not how and len(opened) > 1:  # nothing says their order: a guess, said as one
        how = Message(" (the open ones by name: nothing in the export says their order; list them in the "
                      "profile's stages, first stage first)")
    closed = [x for st in ("won", "lost") for x in sorted(y for y in names if status[y] == st)]
    return [(x, status[x]) for x in opened + closed], how


def _currency(tables: dict[str, pd.DataFrame], prof: dict, rates: dict | None = None) -> str:
    codes: set[str] = set()
    for name in ("orders", "opportunities"):
        t = tables.get(name)
        if t is not None and "currency" in t.columns:
            codes |= {str(c).strip().upper() for c in t["currency"].dropna() if str(c).strip()}
    if prof.get("reporting_currency"):
        return str(prof["reporting_currency"]).upper()
    if prof.get("currency"):
        return str(prof["currency"]).upper()
    if len(codes) == 1:
        return next(iter(codes))
    return str(fx.get("reporting_currency") or "") if (fx := (rates or {})) else ""


def _unstated_currency(marks: dict[str, tuple[str, str, list[str]]], rep: ImportReport) -> None:
    """A CHECK line where the amounts carry a currency mark (Zoho's ``$22,700.00``) and neither the
    profile nor a currency column says the currency: the numbers are read without it, and the pages
    would show the amounts with no symbol, as of data that does not say its currency."""
    for trep in rep.tables:
        if trep.table in marks:
            header, mark, codes = marks[trep.table]
            trep.warnings.append(
                f"{header} carries {mark!r} ({' or '.join(codes)}) but neither the profile nor a currency "
                "column says the currency: the amounts are read without it and the pages show them "
                f"with no symbol; state it (currency: {codes[0]}) in the profile or with --map")


def write(tables: dict[str, pd.DataFrame], out: str | Path, *, prof: dict,
          report: ImportReport) -> Path:
    """Write each table as ``<out>/<table>.parquet`` and the import's facts as ``_import.json``."""
    from salesnb.data.sources import IMPORT_META

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        if old.stem in TABLES:
            old.unlink()
    for name, t in tables.items():
        t = t.copy()
        for c in TABLES[name].columns:
            if c.name in t.columns and c.kind == "str":
                t[c.name] = t[c.name].astype(object).where(t[c.name].notna(), None)
            if c.name in t.columns and c.kind == "date":
                t[c.name] = pd.to_datetime(t[c.name]).dt.date
        t.to_parquet(folder / f"{name}.parquet", index=False)
    meta: dict[str, Any] = {"profile": report.profile, "export": Path(report.export).resolve().name}
    if report.as_of:
        meta["as_of"] = report.as_of
    if report.currency:
        meta["reporting_currency"] = report.currency
    # the rows each table lost to an empty required value, so that the pages can say what their
    # figures leave out (the import's own printout is gone by the time a leader reads them)
    lacking = [{"table": t.table, "rows": n, "column": c, **({"only": "closed"} if c in t.lacking_closed else {})}
               for t in report.tables if not t.derived for n, c in t.lacking]
    if lacking:
        meta["dropped_empty"] = lacking
    # the rows the profile's where filters left out (Kaggle's 60 Cancelled lines), for the same pages
    filtered = [{"table": t.table, "rows": n, "reason": why} for t in report.tables if not t.derived
                for n, why in t.filtered]
    if filtered:
        meta["dropped_filtered"] = filtered
    # the empty values a profile's default filled in: invented data, which the pages must say
    filled = [{"table": t.table, "column": c, "rows": n, "value": v} for t in report.tables
              if not t.derived for n, c, v in t.filled]
    if filled:
        meta["filled_default"] = filled
    # pipelines named by record type ids (RecordTypeId without RecordType.Name): the pages say so
    if report.pipeline_ids:
        meta["pipeline_ids"] = report.pipeline_ids
    # where the exchange rates came from (files, currencies, months): the pages name them
    if report.fx:
        meta["fx_rates"] = report.fx
    (folder / IMPORT_META).write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    report.out = str(folder)
    return folder


def profile_markdown(prof: dict) -> str:
    """A profile's expected files and columns as Markdown (docs/import.md is generated from this).

    Returns
    -------
    str
        One table per canonical table: contract column, the export's header(s), how it is read.
    """
    out = [f"### `{prof.get('name', '?')}`: {prof.get('description', '')}\n"]
    for name, spec in (prof.get("tables") or {}).items():
        spec = spec or {}
        if spec.get("from_table"):
            src = f"the same file as `{spec['from_table']}`"
        else:
            pats = _as_list(spec.get("file")) or ["the single file given"]
            src = " or ".join(f"`{p}`" for p in pats)
        how = "" if not spec.get("distinct") else (
            " (one row per deal and stage: the row that entered it, the last entry kept)"
            if spec["distinct"] == "stage_entries" else " (one row per key, the last kept)")
        out.append(f"**{name}** from {src}{how}\n")
        if spec.get("footer_patterns"):
            pats = [f"`{f['pattern']}` and the {f.get('then', 0)} line(s) after it"
                    if isinstance(f, dict) else f"`{f}`" for f in spec["footer_patterns"]]
            out.append("Footer lines dropped after the data: " + ", ".join(pats) + ".\n")
        if spec.get("exchange_rate"):
            er = _column_spec(spec["exchange_rate"])
            out.append(f"Amounts in another currency than the home currency are converted with "
                       f"each record's `{er.get('column')}` "
                       f"(`{er.get('quote', 'record_per_home')}`).\n")
        if spec.get("history_from"):
            out.append(f"Stage history from the columns matching `{spec['history_from']['pattern']}`"
                       f" (one date column per stage), deal id `{spec['history_from']['id']}`.\n")
            continue
        out += _rows_md(spec) + _columns_md(name, spec)
        alt = spec.get("otherwise")
        if isinstance(alt, dict):
            where = (f"the file of {alt['from_table']}" if alt.get("from_table") and not alt.get("file")
                     else " or ".join(f"`{f}`" for f in _as_list(alt.get("file"))))
            out.append(f"Else, without that file: from {where}"
                       + (f" ({alt['description']})" if alt.get("description") else "")
                       + (f"; the currency it converts into is the row {alt['base_currency'].get('column')} marks"
                          if isinstance(alt.get("base_currency"), dict) else "") + "\n")
            out += _rows_md(alt) + _columns_md(name, alt)
        for more in [*_as_list(spec.get("also")), *_as_list((alt or {}).get("also"))]:
            pm = more.get("per_month") or {}
            out.append(f"And beside it, from `{more.get('file')}`"
                       + (f" (each range {pm.get('start')} … {pm.get('end')} as the months it covers, a month "
                          "two ranges share at their mean weighted by days)" if pm else "") + ":\n")
            out += _columns_md(name, more)
    for pipe, entries in _stage_lists(prof).items():
        out.append(("Stages, in order: " if pipe is None else f"Stages of pipeline {pipe}, in order: ") + ", ".join(
            f"{s['stage']} ({s.get('status', 'open')})" for s in entries) + ".\n")
    return "\n".join(out)


def _rows_md(spec: dict) -> list[str]:
    """The rows a table's ``where`` keeps and its ``drop_if_missing`` drops, in words (one line)."""
    parts = []
    for cond in _as_list(spec.get("where")):
        if not isinstance(cond, dict):
            continue
        col = " or ".join(f"`{h}`" for h in _as_list(cond.get("column")))
        if "deal_status" in cond:
            st = "/".join(map(str, _as_list(cond["deal_status"])))
            parts.append(f"the deals whose status (as `opportunities.status` reads it) is {st}; without that "
                         f"status in the export, the deals whose {col} the stages list calls {st}")
        elif "stage_status" in cond:
            parts.append(f"the rows whose {col} the stages list calls "
                         f"{'/'.join(map(str, _as_list(cond['stage_status'])))}")
        if "in" in cond:
            parts.append(f"the rows whose {col} is {', '.join(f'`{v}`' for v in cond['in'])}")
        if "not_in" in cond:
            parts.append(f"the rows whose {col} is not {', '.join(f'`{v}`' for v in cond['not_in'])}")
    drops = [f"`{c}`" + (" (closed deals only)" if only else "") for c, only in _drop_rules(spec)]
    text = ("Kept: " + "; ".join(parts) + "." if parts else "") + (
        (" " if parts else "") + "Dropped (counted and said): the rows without " + ", ".join(drops) + "."
        if drops else "")
    return [text + "\n"] if text else []


def _columns_md(name: str, spec: dict) -> list[str]:
    """One table's columns as a Markdown table (contract column, header(s), how read)."""
    out = ["| column | header(s) in the export | read as |\n|---|---|---|"]
    if spec.get("per_month"):
        out.append(f"| `period` | `{spec['per_month'].get('start')}`, `{spec['per_month'].get('end')}` | months |")
    for cname, raw in (spec.get("columns") or {}).items():
        cs = _column_spec(raw)
        kind = TABLES[name].column(cname).kind
        if "value" in cs:
            src_h, how = "—", f"constant `{cs['value']}`"
        elif "derive" in cs:
            d = cs["derive"]
            k, args = next(iter(d.items())) if isinstance(d, dict) else (d, None)
            cols = args if isinstance(args, list) else list(args.values()) if isinstance(
                args, dict) else [args]
            src_h, how = ", ".join(" or ".join(f"`{h}`" for h in _as_list(c)) for c in cols), f"`{k}`"
        else:
            src_h = " or ".join(f"`{h}`" for h in _as_list(cs.get("column")))
            how = {"date": "date", "float": "number", "int": "whole number",
                   "str": "text"}[kind]
        if cs.get("format"):
            how += f" `{cs['format']}`"
        if cs.get("map"):
            how += " mapped"
        if cs.get("after_export"):
            how += f"; a closed row's date after the export's date from `{cs['after_export']}`"
        if cs.get("optional"):
            how += "; optional"
        out.append(f"| `{cname}` | {src_h} | {how} |")
    out.append("")
    return out
