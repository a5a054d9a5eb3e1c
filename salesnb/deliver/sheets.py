"""The one writer of every CSV and XLSX the pack writes: safe for spreadsheets, formatted for people.

Text from the data can be hostile: a customer called ``=HYPERLINK("http://evil.example","x")`` or a
region called ``+cmd|' /C calc'!A0`` becomes a live formula when a spreadsheet opens a file that holds it
as it is. Following OWASP's CSV-injection rule, a text cell that starts (after any leading blanks, tabs or
line breaks) with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or with their full-width forms
(``＝ ＋ － ＠``), is *neutralised*:

- in CSV it gets a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets show as text;
- in XLSX it is written as a text cell with Excel's "quote prefix" (never as a formula), so it stays
  text even when someone edits the cell.

Numbers stay numbers (a negative amount is a number, not text), and text that is a plain number
(``"-5"``, ``"+1.5e3"``) cannot be a formula and is left alone. Characters that XML forbids (control
characters such as ``\\x07``) cannot be stored in XLSX; they are replaced by ``�`` instead of failing
with ``IllegalCharacterError``.

XLSX files are formatted for people: a styled, frozen header row with a filter, money and percent
formats, column widths from the content, and a ``Notes`` sheet saying what each column means and which
run made the file.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "TRIGGERS", "column_kind", "is_dangerous", "neutralise", "safe_frame",
           "write_csv", "write_table", "write_xlsx"]

#: characters that make a spreadsheet read a cell as a formula (OWASP), with their full-width forms
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212")
_BLANKS = " \u00a0\u3000"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: characters XML 1.0 forbids (openpyxl's ILLEGAL_CHARACTERS_RE)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT = "\ufffd"

MONEY_FORMAT = "#,##0.00"
PCT_FORMAT = "0.0%"
INT_FORMAT = "#,##0"
FLOAT_FORMAT = "#,##0.00##"
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = "1F5F8B"


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (see the module docstring)."""
    if not isinstance(text, str) or not text:
        return False
    if text[0] in ("\t", "\r", "\n"):
        return True
    stripped = text.lstrip(_BLANKS + "\t\r\n")
    if not stripped or stripped[0] not in TRIGGERS:
        return False
    return not _NUMBER.match(stripped.strip())


def neutralise(value: Any, *, quote: str = "'") -> Any:
    """``value`` with a leading ``quote`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and is_dangerous(value):
        return quote + value
    return value


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns
            if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])
                    or pd.api.types.is_datetime64_any_dtype(df[c]))]


def _clean(v: Any) -> Any:
    return neutralise(_ILLEGAL.sub(REPLACEMENT, v)) if isinstance(v, str) else v


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) are safe for CSV: dangerous text
    neutralised, control characters replaced by ``�``."""
    out = df.copy()
    out.columns = [_clean(str(c)) for c in out.columns]
    for c in _text_columns(out):
        out[c] = out[c].map(_clean, na_action="ignore")
    return out


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` as UTF-8 CSV without index, every dangerous text cell prefixed with ``'``.

    Lines end in CRLF (RFC 4180), so a line break inside a text cell is always quoted.
    """
    path = Path(path)
    safe_frame(df).to_csv(path, index=False, lineterminator="\r\n")
    return path


# ---------------------------------------------------------------------------------- columns
@dataclass(frozen=True)
class Column:
    """What a column holds: ``kind`` (money, pct, int, number, date, text) and its meaning."""

    kind: str
    meaning: str


#: known columns of the pack's tables; others get their kind from the name and dtype
COLUMNS: dict[str, Column] = {
    "level": Column("text", "Level of the target: company, region, team or rep"),
    "key": Column("text", "Which company, region, team or rep the row is for"),
    "parent": Column("text", "The level above (the region of a team, the team of a rep)"),
    "grain": Column("text", "Period length of the row: year, quarter or month"),
    "period": Column("text", "The period (YYYY, YYYY-Qn or YYYY-MM)"),
    "amount": Column("money", "Amount in the company's currency"),
    "rep_id": Column("text", "Sales rep id (reps table)"),
    "name": Column("text", "Name"),
    "team": Column("text", "Sales team"),
    "region": Column("text", "Sales region"),
    "month_actual": Column("money", "Revenue booked in the report month"),
    "month_target": Column("money", "Target of the report month"),
    "month_attainment": Column("pct", "Month revenue ÷ month target"),
    "month_payout": Column("money", "Commission for the month under the plan"),
    "quarter_actual": Column("money", "Revenue booked in the quarter to date"),
    "quarter_target": Column("money", "Target of the quarter to date"),
    "quarter_attainment": Column("pct", "Quarter-to-date revenue ÷ target"),
    "quarter_payout": Column("money", "Commission for the quarter to date under the plan"),
    "effective_rate": Column("pct", "Payout ÷ revenue"),
    "category": Column("text", "Risk family (concentration, customers, pipeline, anomalies, operations)"),
    "indicator": Column("text", "What is measured"),
    "entity": Column("text", "Who or what the row is about"),
    "value": Column("number", "Measured value"),
    "threshold": Column("number", "Threshold that turns the indicator amber/red"),
    "trend": Column("text", "Direction against the previous period"),
    "rag": Column("text", "Red / amber / green status"),
    "owner": Column("text", "Who acts on it"),
    "action": Column("text", "Suggested action"),
    "customer_id": Column("text", "Customer id (customers table)"),
    "segment": Column("text", "Customer segment"),
    "cluster": Column("text", "Behavioural cluster"),
    "recency_days": Column("int", "Days since the last order"),
    "frequency": Column("int", "Orders in the window"),
    "monetary": Column("money", "Revenue in the window"),
    "clv": Column("money", "Expected customer lifetime value"),
    "series": Column("text", "Which series the forecast is for"),
    "mean": Column("money", "Forecast (mean)"),
    "lo80": Column("money", "Lower end of the 80 % interval"),
    "hi80": Column("money", "Upper end of the 80 % interval"),
    "lo95": Column("money", "Lower end of the 95 % interval"),
    "hi95": Column("money", "Upper end of the 95 % interval"),
}

_MONEY_WORDS = ("amount", "revenue", "payout", "actual", "target", "gap", "pipeline", "clv",
                "monetary", "remaining", "commission", "price", "value_at_risk", "at_risk_value")
_PCT_WORDS = ("attainment", "rate", "share", "growth", "retention", "nrr", "grr", "conversion",
              "probability", "p_hit", "p_miss", "yoy", "pct")


def column_kind(name: str, dtype: Any = None) -> str:
    """The display kind of a column: money, pct, int, number, date or text."""
    if dtype is not None and pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    known = COLUMNS.get(str(name))
    numeric = dtype is None or (pd.api.types.is_numeric_dtype(dtype)
                                and not pd.api.types.is_bool_dtype(dtype))
    if known is not None and (known.kind in ("text", "date") or numeric):
        return known.kind
    if not numeric:
        return "text"
    low = str(name).lower()
    if any(w in low for w in _PCT_WORDS):
        return "pct"
    if any(w in low for w in _MONEY_WORDS):
        return "money"
    if dtype is not None and pd.api.types.is_integer_dtype(dtype):
        return "int"
    return "number"


_FORMATS = {"money": MONEY_FORMAT, "pct": PCT_FORMAT, "int": INT_FORMAT, "number": FLOAT_FORMAT,
            "date": DATE_FORMAT}


def _xlsx_value(v: Any) -> tuple[Any, bool]:
    """(cell value, quote prefix?) for one value: numbers as numbers, text cleaned, NaN empty."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None, False
    if isinstance(v, (bool, np.bool_)):
        return bool(v), False
    if isinstance(v, (int, np.integer)):
        return int(v), False
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return (None if np.isnan(f) or np.isinf(f) else f), False
    if isinstance(v, pd.Timestamp):
        return (v.tz_localize(None) if v.tzinfo else v).to_pydatetime(), False
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v, False
    s = _ILLEGAL.sub(REPLACEMENT, str(v))
    return s, is_dangerous(s)


def write_xlsx(
    df: pd.DataFrame,
    path: str | Path,
    *,
    sheet: str = "data",
    money: Iterable[str] = (),
    pct: Iterable[str] = (),
    meanings: Mapping[str, str] | None = None,
    run: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``df`` to an XLSX workbook formatted for people, with no formula cell.

    Parameters
    ----------
    df : DataFrame
        The table; its index is not written.
    path : path
        The ``.xlsx`` file.
    sheet : str
        Name of the data sheet (cut to Excel's 31 characters).
    money, pct : iterables of str
        Columns shown as money (``#,##0.00``) or percent (``0.0%``), on top of :func:`column_kind`.
    meanings : mapping, optional
        Column → meaning for the Notes sheet, on top of :data:`COLUMNS`.
    run : mapping, optional
        Which run made the file (notebook, month, source, salesnb version ...), listed in Notes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    money, pct = set(money), set(pct)
    meanings = dict(meanings or {})
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_name(sheet)
    cols = [str(c) for c in df.columns]
    kinds = []
    for c, dt in zip(cols, df.dtypes, strict=True):
        kinds.append("money" if c in money else "pct" if c in pct else column_kind(c, dt))

    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    widths = []
    for j, c in enumerate(cols, start=1):
        value, quoted = _xlsx_value(c)
        cell = ws.cell(row=1, column=j)
        _put(cell, value, quoted)
        cell.font, cell.fill = head_font, head_fill
        cell.alignment = Alignment(vertical="center", wrap_text=False)
        widths.append(len(str(value or "")) + 2)
    for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
        for j, v in enumerate(row, start=1):
            value, quoted = _xlsx_value(v)
            cell = ws.cell(row=i, column=j)
            _put(cell, value, quoted)
            fmt_ = _FORMATS.get(kinds[j - 1])
            if fmt_ and isinstance(value, (int, float, _dt.date)) and not isinstance(value, bool):
                cell.number_format = fmt_
            shown = _shown_width(value, kinds[j - 1])
            if shown > widths[j - 1]:
                widths[j - 1] = shown
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w, 8), 60)
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(df) + 1)}"

    notes = wb.create_sheet("Notes")
    notes.append(["column", "kind", "meaning"])
    for c in notes[1]:
        c.font, c.fill = head_font, head_fill
    for c, k in zip(cols, kinds, strict=True):
        meaning = meanings.get(c) or (COLUMNS[c].meaning if c in COLUMNS else "")
        r = notes.max_row + 1
        for j, v in enumerate((c, k, meaning), start=1):
            _put(notes.cell(row=r, column=j), *_xlsx_value(v))
    if run:
        notes.append([])
        notes.append(["made by", "", ""])
        notes.cell(row=notes.max_row, column=1).font = Font(bold=True)
        for k, v in run.items():
            r = notes.max_row + 1
            _put(notes.cell(row=r, column=1), *_xlsx_value(str(k)))
            _put(notes.cell(row=r, column=3), *_xlsx_value("" if v is None else str(v)))
    notes.column_dimensions["A"].width = min(60, max([12, *(len(c) + 2 for c in cols)]))
    notes.column_dimensions["B"].width = 9
    notes.column_dimensions["C"].width = 70
    notes.freeze_panes = "A2"
    wb.save(path)
    return path


def _put(cell: Any, value: Any, quoted: bool) -> None:
    """Set a cell's value; text is always a string cell (never a formula), quote-prefixed if risky."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store text starting with "=" as a formula
        if quoted:
            cell.quotePrefix = True  # Excel keeps the cell text when it is edited


def _shown_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "money" and isinstance(value, (int, float)):
        return len(f"{value:,.2f}") + 1
    if kind == "pct" and isinstance(value, (int, float)):
        return len(f"{value * 100:.1f}%") + 1
    if isinstance(value, _dt.date):
        return 11
    s = str(value)
    return max((len(x) for x in s.splitlines()), default=0) + 2 + sum(
        1 for ch in s if ord(ch) > 0x2E80)  # CJK characters are two columns wide


def _sheet_name(name: str) -> str:
    """A valid sheet name: no ``[]:*?/\\``, at most 31 characters, not empty."""
    s = re.sub(r"[\[\]:*?/\\]", "_", _ILLEGAL.sub("", str(name))).strip("'")[:31]
    return s or "data"


def write_table(df: pd.DataFrame, path: str | Path, *, fmt: str | None = None,
                **xlsx: Any) -> Path:
    """Write ``df`` in the format of ``path``'s suffix (or ``fmt``): ``csv`` or ``xlsx``.

    Keyword arguments go to :func:`write_xlsx`. Other formats are not spreadsheets and are not
    handled here.
    """
    path = Path(path)
    f = (fmt or path.suffix.lstrip(".")).lower()
    if f == "csv":
        return write_csv(df, path)
    if f == "xlsx":
        return write_xlsx(df, path, **xlsx)
    raise ValueError(f"write_table writes csv or xlsx, not {f!r} ({path})")
