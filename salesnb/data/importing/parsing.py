"""Parsing that never guesses: dates, numbers, text ids, encodings, delimiters and header rows.

Pure functions over pandas Series and files, used by :mod:`salesnb.data.importing`. Every value is
either read by a rule the profile states (or that admits only one reading: ISO dates, Excel serial
dates) or rejected with a :class:`ParseError` naming the file, the column and example values. A
wrong date or amount is worse than no report.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: the earliest year a sales record may carry; earlier ones are parse errors (03/01/19 read as 0003)
MIN_YEAR = 1990
#: Excel's day 0 (the 1900 leap-year bug included: serial 60 is the non-existent 29 Feb 1900)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
N_EXAMPLES = 5

#: the day part of the date formats tried (each also with a time of day: :data:`_TIMES`)
_DAYS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%m/%d/%Y", "%d/%m/%Y", "%m/%d/%y", "%d/%m/%y",
    "%d.%m.%Y", "%d.%m.%y", "%d-%m-%Y", "%m-%d-%Y", "%d-%m-%y", "%m-%d-%y", "%d %b %Y", "%b %d, %Y",
    "%d %b, %Y", "%d-%b-%Y", "%d-%b-%y", "%Y%m%d",
)
#: times of day an export writes after the date ("2/24/03 0:00", "15.01.2024 13:45:00",
#: "1/15/2024 1:45 PM"): spreadsheets and CRMs keep them even where the time means nothing
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
#: date formats tried to describe values (``--suggest`` and error messages); ambiguous pairs
#: (day-first and month-first) are reported as such, never chosen
KNOWN_DATE_FORMATS = (
    *(d + t for d in _DAYS if d != "%Y%m%d" for t in _TIMES), "%Y%m%d",
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ",
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")


class ParseError(ValueError):
    """A value that cannot be read without guessing; the message names file, column and examples."""


def _where(file: str | None, column: str | None) -> str:
    parts = [p for p in (file, f"column {column!r}" if column else None) if p]
    return ", ".join(parts) or "input"


def _examples(values, n: int = N_EXAMPLES) -> str:
    seen: list[str] = []
    for v in values:
        s = str(v)
        if s not in seen:
            seen.append(s)
        if len(seen) >= n:
            break
    return ", ".join(repr(s) for s in seen)


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | s.astype(str).str.strip().isin(["", "nan", "NaT", "None"])


# ----------------------------------------------------------------------------------------- dates
def date_formats_fitting(values, *, limit: int = 200) -> list[str]:
    """The known formats (:data:`KNOWN_DATE_FORMATS`) that read every one of ``values``.

    Only the first ``limit`` distinct non-empty values are tried. Returns ``["excel"]`` for Excel
    serial numbers and ``["datetime"]`` for values that already are dates (from XLSX).
    """
    s = pd.Series(list(values), dtype=object)
    s = s[~_blank(s)]
    if s.empty:
        return []
    if s.map(lambda v: isinstance(v, (dt.date, pd.Timestamp, np.datetime64))).all():
        return ["datetime"]
    txt = pd.Series(s.astype(str).str.strip().unique()[:limit])
    if txt.str.match(_SERIAL).all():
        return ["excel"]
    out = []
    for f in KNOWN_DATE_FORMATS:
        parsed = pd.to_datetime(txt, format=f, errors="coerce")
        if parsed.notna().all() and (parsed.dt.year >= MIN_YEAR).all():
            out.append(f)
    return out


def describe_date_formats(fits: list[str], values) -> str:
    """Plain words for :func:`date_formats_fitting`: one format, none, or an ambiguity to settle."""
    if not fits:
        return f"no known date format reads all values (e.g. {_examples(values, 3)})"
    if len(fits) == 1:
        return fits[0]
    ex = next((str(v) for v in values if str(v).strip()), "")
    return f"ambiguous: {ex} fits {' and '.join(fits)}, say which"


def parse_dates(
    values: pd.Series,
    *,
    fmt: str | None = None,
    file: str | None = None,
    column: str | None = None,
    as_of: pd.Timestamp | None = None,
) -> pd.Series:
    """Read dates without guessing.

    Parameters
    ----------
    values : Series
        Text, numbers (Excel serial dates) or datetimes (from XLSX cells).
    fmt : str, optional
        A ``strftime`` format (``"%d/%m/%y"``), ``"excel"`` for serial numbers, ``"iso"``. Without it
        only ISO dates (``2024-03-01``, ``2024-03-01T10:22:33Z``), Excel serials and datetime cells
        are read; anything else (``03/01/19``) is an error that lists the formats it fits.
    file, column : str, optional
        Named in error messages.
    as_of : Timestamp, optional
        Dates after ``as_of`` + 1 year are errors (default: today); so are years before 1990.

    Returns
    -------
    Series of datetime64 (time of day kept; NaT for empty cells), on the index of ``values`` when
    it is a Series.

    Raises
    ------
    ParseError
        For values the rule does not read, naming file, column and examples.
    """
    where = _where(file, column)
    s = pd.Series(values).reset_index(drop=True)
    blank = _blank(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = s[~blank]
    if todo.empty:
        return out
    is_dt = todo.map(lambda v: isinstance(v, (dt.date, pd.Timestamp, np.datetime64)))
    if is_dt.any():
        cells = todo[is_dt]
        out.loc[cells.index] = pd.to_datetime(list(cells)).to_numpy("datetime64[ns]")
        todo = todo[~is_dt]
    if not todo.empty:
        num = todo.map(lambda v: isinstance(v, (int, float, np.integer, np.floating))
                       and not isinstance(v, bool))
        txt = todo.astype(str).str.strip()
        serial = num | (txt.str.match(_SERIAL) & (fmt in (None, "excel", "iso")))
        if fmt == "excel":
            serial = pd.Series(True, index=todo.index)
        if serial.any():
            nums = pd.to_numeric(txt[serial], errors="coerce")
            bad = nums.isna()
            if bad.any():
                raise ParseError(f"{where}: not Excel serial dates: {_examples(txt[serial][bad])}")
            out.loc[nums.index] = (EXCEL_EPOCH + pd.to_timedelta(nums, unit="D")).to_numpy()
            txt = txt[~serial]
        if not txt.empty:
            if fmt in (None, "iso"):
                ok = txt.str.match(_ISO)
                early = ok & (txt.str[:4].where(ok, "2000").astype(int) < MIN_YEAR)
                if early.any():
                    raise ParseError(
                        f"{where}: {int(early.sum())} date(s) outside {MIN_YEAR}.. — a wrong "
                        f"date? e.g. {_examples(txt[early])}")
                if not ok.all():
                    bad = txt[~ok]
                    fits = date_formats_fitting(bad)
                    raise ParseError(
                        f"{where}: dates that are not ISO (YYYY-MM-DD) and no format was given: "
                        f"{_examples(bad)} — "
                        + (f"of the known formats only {fits[0]} reads them" if len(fits) == 1
                           else describe_date_formats(fits, bad))
                        + "; state the format in the profile (format: \"%d/%m/%Y\") or with --map")
                parsed = pd.to_datetime(txt, format="ISO8601", errors="coerce", utc=True)
                parsed = parsed.dt.tz_localize(None)
            else:
                parsed = pd.to_datetime(txt, format=fmt, errors="coerce")
                if getattr(parsed.dt, "tz", None) is not None:
                    parsed = parsed.dt.tz_localize(None)
            bad = parsed.isna()
            if bad.any():
                years = [y for y in (_year(v, fmt) for v in txt[bad]) if y is not None]
                if years and len(years) == int(bad.sum()):
                    raise ParseError(
                        f"{where}: {int(bad.sum())} date(s) outside {MIN_YEAR}.. — a wrong date "
                        f"format? e.g. {_examples(txt[bad])} read as year(s) {_examples(years)}")
                raise ParseError(f"{where}: {int(bad.sum())} value(s) do not match the date format "
                                 f"{fmt or 'ISO'}: {_examples(txt[bad])}")
            out.loc[txt.index] = parsed.astype("datetime64[ns]").to_numpy()
    check_year_range(out, file=file, column=column, as_of=as_of, raw=s)
    return _aligned(out, values)


def _year(v: str, fmt: str | None) -> int | None:
    """The year Python's own parser reads (it handles years 1..9999 that pandas cannot hold)."""
    try:
        if fmt in (None, "iso"):
            return int(v[:4]) if _ISO.match(v) else None
        return dt.datetime.strptime(v, fmt).year
    except ValueError:
        return None


def check_year_range(dates: pd.Series, *, file=None, column=None, as_of=None, raw=None) -> None:
    """Raise :class:`ParseError` for dates before 1990 or after ``as_of`` + 1 year (default today)."""
    hi = (pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today()) + pd.DateOffset(years=1)
    lo = pd.Timestamp(year=MIN_YEAR, month=1, day=1)
    bad = dates.notna() & ((dates < lo) | (dates > hi))
    if bad.any():
        shown = (raw if raw is not None else dates)[bad]
        raise ParseError(
            f"{_where(file, column)}: {int(bad.sum())} date(s) outside {lo.year}..{hi.date()} — "
            f"a wrong date format? e.g. {_examples(shown)} read as "
            f"{_examples(dates[bad].dt.date)}")


# ----------------------------------------------------------------------------------------- numbers
_CURRENCY_MARKS = re.compile(
    r"(?i)(¥|￥|\$|€|£|₩|₹|₽|元|rmb|cny|usd|eur|gbp|jpy|hkd|us\$|hk\$|a\$|c\$|nt\$|s\$)")
#: what a currency mark in amounts says; several codes where the mark is shared
MARK_CODES = {"€": ["EUR"], "£": ["GBP"], "₩": ["KRW"], "₹": ["INR"], "₽": ["RUB"], "元": ["CNY"],
              "rmb": ["CNY"], "¥": ["CNY", "JPY"], "￥": ["CNY", "JPY"],
              "$": ["USD", "CAD", "AUD", "HKD", "SGD", "NZD"], "us$": ["USD"], "hk$": ["HKD"],
              "a$": ["AUD"], "c$": ["CAD"], "nt$": ["TWD"], "s$": ["SGD"]}
_ISO_MARKS = {"CNY", "USD", "EUR", "GBP", "JPY", "HKD"}


def currency_mark(values) -> tuple[str, list[str]] | None:
    """The one currency mark ``values`` carry (``$22,700.00``: ``$``) and the ISO codes it may mean
    (the code itself, or those a shared mark such as ``$`` or ``¥`` stands for); None when they
    carry none, several, or one that names no code."""
    marks = {m.lower() for v in values for m in _CURRENCY_MARKS.findall(str(v))}
    if len(marks) != 1:
        return None
    mark = marks.pop()
    codes = [mark.upper()] if mark.upper() in _ISO_MARKS else MARK_CODES.get(mark, [])
    return (mark, codes) if codes else None


def parse_numbers(
    values: pd.Series,
    *,
    decimal: str = ".",
    thousands: str | None = None,
    file: str | None = None,
    column: str | None = None,
) -> pd.Series:
    """Read amounts and counts without guessing.

    Accepts currency symbols and codes (``¥1,234.50``, ``€``, ``$``, ``USD``), thousands separators
    in groups of three, ``(1,234)`` and trailing-minus negatives, and a decimal comma only when
    ``decimal=","`` is declared. ``"15%"`` reads as 0.15.

    Parameters
    ----------
    values : Series
    decimal : {".", ","}
        The decimal mark of the export.
    thousands : str, optional
        The thousands mark (default: ``","`` with a decimal point, ``"."`` or a space with a
        decimal comma).
    file, column : str, optional
        Named in error messages.

    Returns
    -------
    Series of float64 (NaN for empty cells), on the index of ``values`` when it is a Series.

    Raises
    ------
    ParseError
        For values that are not numbers under these rules (e.g. ``1,5`` with a decimal point
        declared: a decimal comma or a thousands separator? the export must say).
    """
    if decimal not in (".", ","):
        raise ParseError(f"{_where(file, column)}: decimal mark must be '.' or ',', got {decimal!r}")
    s = pd.Series(values).reset_index(drop=True)
    blank = _blank(s)
    out = pd.Series(np.nan, index=s.index, dtype="float64")
    num = s.map(lambda v: isinstance(v, (int, float, np.integer, np.floating))
                and not isinstance(v, bool))
    out[num & ~blank] = s[num & ~blank].astype("float64")
    txt = s[~num & ~blank].astype(str).str.strip()
    if txt.empty:
        return out
    seps = [thousands] if thousands else ([",", " ", "\u00a0", "'"] if decimal == "." else
                                          [".", " ", "\u00a0", "'"])
    grp = "|".join(re.escape(x) for x in seps)
    dec = re.escape(decimal)
    pattern = re.compile(rf"^\d{{1,3}}(?:(?:{grp})\d{{3}})+(?:{dec}\d+)?$|^\d+(?:{dec}\d+)?$"
                         rf"|^{dec}\d+$")
    t = txt.str.replace(_CURRENCY_MARKS, "", regex=True).str.strip()
    neg = t.str.match(r"^\(.*\)$") | t.str.startswith("-") | t.str.endswith("-") | \
        t.str.startswith("−")
    t = t.str.strip("()").str.strip().str.strip("-−").str.strip()
    t = t.str.replace(_CURRENCY_MARKS, "", regex=True).str.strip()
    pct = t.str.endswith("%")
    t = t.str.rstrip("%").str.strip()
    ok = t.str.match(pattern)
    if not ok.all():
        bad = txt[~ok]
        hint = ""
        core = t[~ok]  # without currency marks, signs and %: "14.251,64 €" ends in its digits
        if decimal == "." and core.str.contains(r"\d,\d{1,2}$|\d,\d{4,}").any():
            hint = " (a decimal comma? declare decimal: \",\")"
        elif decimal == "," and core.str.contains(r"\d\.\d{1,2}$").any():
            hint = " (a decimal point? the profile declares decimal: \",\")"
        raise ParseError(f"{_where(file, column)}: {int((~ok).sum())} value(s) are not numbers"
                         f"{hint}: {_examples(bad)}")
    for sep in seps:
        t = t.str.replace(sep, "", regex=False)
    if decimal == ",":
        t = t.str.replace(",", ".", regex=False)
    v = t.astype("float64")
    v[pct] = v[pct] / 100.0
    v[neg] = -v[neg]
    out[txt.index] = v
    return _aligned(out, values)


def _aligned(out: pd.Series, values) -> pd.Series:
    """``out`` (numbered 0, 1, ...) on the index of ``values`` when it is a Series: a table filtered
    by the profile's ``where`` keeps its row labels, and a parsed column assigned back to it must
    land on the same rows (numbered from 0 it shifted every row after the first one dropped)."""
    if isinstance(values, pd.Series) and not values.index.equals(out.index):
        out.index = values.index
    return out


def to_text(values: pd.Series) -> pd.Series:
    """Ids and labels as text: ``536365`` and ``"C536379"`` alike, ``17850.0`` → ``"17850"``,
    empty cells → None. Never lets a number-looking id become a float."""
    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
            return None
        if isinstance(v, (bool, np.bool_)):
            return str(v)
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        if isinstance(v, (dt.datetime, pd.Timestamp)):
            return pd.Timestamp(v).isoformat()
        s = str(v).strip()
        return s or None
    values = pd.Series(values)
    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


# ----------------------------------------------------------------------------------------- files
@dataclass
class ReadInfo:
    """What was found reading one file (printed in the import report)."""

    file: str
    encoding: str = ""
    encoding_how: str = ""
    delimiter: str = ""
    header_row: int = 1
    sheet: str = ""
    rows: int = 0
    notes: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    #: data lines that repeat the header (exports glued together from several files or pages)
    repeated_headers: int = 0
    #: headers the header line names more than once: each → the names its later copies are read
    #: under (``Associated Company IDs (2)``: HubSpot's primary company, then all of them)
    twice: dict[str, list[str]] = field(default_factory=dict)
    #: text columns that look mis-decoded before the export (:func:`misread_columns`)
    misread: list[Misread] = field(default_factory=list)

    def describe_parts(self) -> list:
        """:meth:`describe` in parts, each a message (``encoding utf-8 (decodes as UTF-8)``, ``delimiter
        comma``): the import's printout in another language translates them one by one."""
        from salesnb.i18n import Message, Verbatim

        bits: list = []
        if self.encoding:
            bits.append(Message("encoding {encoding} ({how})", encoding=Verbatim(self.encoding),
                                how=self.encoding_how))
        if self.delimiter:
            name = DELIMITER_NAMES.get(self.delimiter)
            bits.append(Message("delimiter {name}", name=Message(name) if name else Verbatim(repr(self.delimiter))))
        if self.sheet:
            bits.append(Message("sheet {sheet}", sheet=Verbatim(repr(self.sheet))))
        if self.header_row != 1:
            bits.append(Message("header on row {n}", n=self.header_row))
        return bits + [Verbatim(x) for x in self.notes]

    def describe(self) -> str:
        bits = []
        if self.encoding:
            bits.append(f"encoding {self.encoding} ({self.encoding_how})")
        if self.delimiter:
            bits.append(f"delimiter {DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}")
        if self.sheet:
            bits.append(f"sheet {self.sheet!r}")
        if self.header_row != 1:
            bits.append(f"header on row {self.header_row}")
        return ", ".join(bits + self.notes)


DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "latin-1", "cp1252", "utf-16")


def detect_encoding(data: bytes) -> tuple[str, str]:
    """The encoding of ``data`` and how it was found.

    A BOM decides; else strict UTF-8 if it decodes; else charset-normalizer's best match, reported
    as detected (a Chinese encoding is read as GB18030, its superset; a Western one as cp1252/latin-1,
    or as DOS cp850 when the letters inside its words say so: :func:`_dos_evidence`).
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "byte-order mark"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "byte-order mark"
    try:
        data.decode("utf-8")
        return "utf-8", "decodes as UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    name = (best.encoding if best is not None else "") or ""
    if name.replace("_", "").lower() in ("gb2312", "gbk", "gb18030", "hz", "big5", "cp936"):
        return "gb18030", f"detected {name}, read as its superset GB18030"
    try:
        text, windows = data.decode("cp1252"), True
    except UnicodeDecodeError:
        text, windows = data.decode("latin-1"), False
    dos = _dos_evidence(data, text)
    if dos:
        return "cp850", dos
    if not windows:
        return "latin-1", "not UTF-8 and not cp1252: latin-1 (every byte reads)"
    return "cp1252", (f"not UTF-8; read as Windows Latin-1 (cp1252)"
                      f"{f', charset-normalizer suggested {name}' if name else ''}")


#: a non-ASCII character inside a word: in a Windows (cp1252) reading of a DOS file it is a symbol
_IN_WORD = re.compile(r"[A-Za-z]([^\x00-\x7f])[A-Za-z]")
#: punctuation a Windows text does put inside words (don’t, O’Brien, well‑known): no evidence
_TYPOGRAPHY = set("’‘´`–—‑·•…")


def _dos_evidence(data: bytes, text: str) -> str:
    """Why ``data`` is a DOS Western file (code page 850) rather than Windows cp1252, or ``""``.

    Both decode any byte, so the evidence is inside words: a DOS file read as cp1252 puts symbols
    between letters (``Catalu¤a``, ``Mart¡n``, ``Berguvsv„gen``), which the same bytes read as
    cp850 turn into letters (``Cataluña``, ``Martín``, ``Berguvsvägen``). Only when every such
    character is a symbol in cp1252 and a letter in cp850; the report shows one word both ways.
    """
    hits = [m for m in _IN_WORD.finditer(text[:400_000]) if m.group(1) not in _TYPOGRAPHY]
    symbols = [m for m in hits if not m.group(1).isalpha()]
    if not symbols or len(symbols) < len(hits) / 2:  # a Windows file's letters read as letters
        return ""
    dos = data.decode("cp850", errors="replace")
    if not all(dos[m.start(1)].isalpha() for m in hits):
        return ""
    hits = symbols
    a = b = hits[0].start(1)  # the word around the first one (one byte is one character in both)
    while a > 0 and dos[a - 1].isalpha():
        a -= 1
    while b < len(dos) and dos[b].isalpha():
        b += 1
    return (f"not UTF-8; read as DOS Latin-1 (cp850): its {len(hits)} accented letter(s) inside words "
            f"are symbols in Windows cp1252 ({text[a:b]!r} there, {dos[a:b]!r} in cp850)")


#: a run of symbols between two letters (``Berguvsv„gen``, ``K”ln``, ``M\x81nchen``): a DOS letter
#: read as Windows cp1252 (or latin-1, a control character) puts a symbol inside its word
_MISREAD = re.compile(r"(?<=[^\W\d_])(?:[^\w\s\x00-\x7f]|[\x80-\x9f])+(?=[^\W\d_])")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: the DOS Western code pages whose letters a Windows reading turns into symbols
DOS_PAGES = ("cp850", "cp437")


@dataclass
class Misread:
    """A text column whose values look mis-decoded before the export (:func:`misread_columns`)."""

    file: str
    column: str
    rows: int
    total: int
    example: str
    #: the example with its symbols read back as the DOS letters they were
    reread: str
    #: the DOS code pages (:data:`DOS_PAGES`) that read every such symbol as a letter
    pages: tuple[str, ...]

    def describe(self, encoding: str = "utf-8") -> str:
        """The import's CHECK line: file, column, rows, an example both ways, what to do."""
        page = {("cp850", "cp437"): "DOS code page 850 or 437", ("cp850",): "DOS code page 850",
                ("cp437",): "DOS code page 437"}.get(self.pages, "a DOS code page")
        head = (f"{self.file}, column {self.column!r}: {self.rows:,} of {self.total:,} rows ")
        shown = f"(e.g. {self.example!r}, which read as {page} is {self.reread!r})"
        if encoding.replace("-", "").lower() in ("cp1252", "latin1", "iso88591", "windows1252"):
            return (head + f"look like DOS text read as {encoding} {shown}; if the file is a DOS one, "
                    f"state encoding: {self.pages[0] if self.pages else 'cp850'} (read:) in the profile")
        return (head + f"look mis-decoded before this export: DOS text read as Windows cp1252 {shown}; "
                "imported as they are: correct the text where it was exported from (a letter cp1252 "
                "has no character for, like \u00fc, may be lost outright)")


def _dos_reading(run: str) -> dict[str, str]:
    """``{code page: run read back}`` for each of :data:`DOS_PAGES` that reads every character of
    ``run`` (its cp1252 byte, or a control character's latin-1 byte) as a letter."""
    try:
        raw = b"".join(bytes([ord(c)]) if 0x80 <= ord(c) <= 0x9F else c.encode("cp1252") for c in run)
    except UnicodeEncodeError:
        return {}
    return {cp: t for cp in DOS_PAGES if (t := raw.decode(cp)).isalpha()}


def _misread_value(v: str) -> tuple[str, ...] | None:
    """The DOS pages that read every symbol inside a word of ``v`` as a letter: ``()`` when some
    such symbol is a letter in none (no evidence: a real symbol), None when ``v`` has no such
    symbol. Typography a Windows text does put inside words (don’t, well–known) is no evidence."""
    runs = [m.group(0) for m in _MISREAD.finditer(v)]
    runs = [r for r in runs if not set(r) & _TYPOGRAPHY]
    if not runs:
        return None
    pages = set(DOS_PAGES)
    for r in runs:
        pages &= set(_dos_reading(r))
    return tuple(p for p in DOS_PAGES if p in pages)


def misread_columns(df: pd.DataFrame, *, file: str = "") -> list[Misread]:
    """The text columns of ``df`` whose values look mis-decoded before the export: DOS text (code
    page 850 or 437) read as Windows cp1252 and saved so (Northwind's UTF-8 files: ``Berguvsv„gen``
    for ``Berguvsvägen``). A value is such when every symbol it has between two letters is a
    letter in a DOS code page (``„`` is byte 0x84, ``ä`` in cp850); a column when such values are at
    least as many as those with a symbol inside a word that no DOS page reads as a letter. German
    quotes („so“) stand after a space, apostrophes and dashes are typography: not counted.
    Nothing is changed; the import says what it found.

    Returns
    -------
    list of Misread
        One per column, with the rows, the first such value and the value read back.
    """
    out = []
    for col in df.columns:
        s = df[col]
        vals = pd.unique(s.to_numpy())
        odd = [v for v in vals if isinstance(v, str) and _NON_ASCII.search(v)]
        found: dict[str, tuple[str, ...]] = {}
        against = 0
        for v in odd:
            pages = _misread_value(v)
            if pages:
                found[v] = pages
            elif pages is not None:
                against += 1
        if not found or len(found) < against:
            continue
        common = set(DOS_PAGES)
        for p in found.values():
            common &= set(p)
        pages = tuple(p for p in DOS_PAGES if p in common)
        ex = next(iter(found))
        cp = (pages or found[ex])[0]
        reread = _MISREAD.sub(lambda m, cp=cp: _dos_reading(m.group(0)).get(cp, m.group(0)), ex)
        out.append(Misread(file=file, column=str(col), rows=int(s.isin(list(found)).sum()),
                           total=len(s), example=ex, reread=reread, pages=pages))
    return out


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: comma, semicolon, tab or pipe (the one that splits the first
    lines into the same number of fields, more than one)."""
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ",;\t|"}
        return max(counts, key=counts.get) if max(counts.values()) else ","


def read_csv_text(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    footer: list | None = None,
) -> tuple[pd.DataFrame, ReadInfo]:
    """Read a CSV file with every column as text (empty cells as ``""``).

    Parameters
    ----------
    path : path
    encoding, delimiter : str, optional
        As the profile states them; ``None``/``"auto"`` detects (and reports) them.
    header_row : int, optional
        1-based row of the header; ``None`` finds it (title rows above the header are skipped).
    footer : list, optional
        The profile's ``footer_patterns`` (see :func:`strip_footer`).
    """
    p = Path(path)
    data = p.read_bytes()
    info = ReadInfo(file=p.name)
    if encoding in (None, "", "auto"):
        info.encoding, info.encoding_how = detect_encoding(data)
    else:
        info.encoding, info.encoding_how = encoding, "stated by the profile"
    try:
        text = data.decode(info.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ParseError(f"{p.name}: cannot decode as {info.encoding}: {exc}") from exc
    text = text.lstrip("\ufeff")
    info.delimiter = sniff_delimiter(text) if delimiter in (None, "", "auto") else (
        "\t" if delimiter in ("tab", "\\t") else delimiter)
    lines = list(csv.reader(io.StringIO(text), delimiter=info.delimiter))
    lines = strip_footer(lines, footer, info)
    numbered = [(i, r) for i, r in enumerate(lines) if any(c.strip() for c in r)]
    if not numbered:
        raise ParseError(f"{p.name}: the file is empty")
    df = _header_and_rows(numbered, header_row, info, p.name)
    info.rows = len(df)
    return df, info


def _footer_rules(patterns: list | None) -> list[tuple[re.Pattern, int]]:
    rules = []
    for p in patterns or []:
        pat, then = (p.get("pattern"), int(p.get("then", 0))) if isinstance(p, dict) else (p, 0)
        try:
            rules.append((re.compile(str(pat)), then))
        except re.error as exc:
            raise ParseError(f"footer_patterns: {pat!r} is not a regular expression: {exc}") from exc
    return rules


def _row_text(row: list) -> str:
    return " ".join(str(c).strip() for c in row if c is not None and str(c).strip())


def strip_footer(rows: list[list], patterns: list | None, info: ReadInfo) -> list[list]:
    """``rows`` without the footer block a report export appends after its data.

    The footer is the run of rows at the end of the file each of which is empty, matches one of
    ``patterns`` (regular expressions matched at the start of the row's non-empty cells joined by a
    space, e.g. ``'Grand Totals \\(\\d[\\d,]* records?\\)'``), or is one of the ``then`` rows that
    follow a row matching a pattern given as ``{pattern: ..., then: N}`` (Salesforce's org name
    after "Generated By: ..."). The first row from the end that is none of these ends the footer:
    it and every row above it are kept (a stray line then fails as data, it is never dropped
    unseen). The dropped lines (not the empty ones) go into ``info.footer``.
    """
    rules = _footer_rules(patterns)
    if not rules or not rows:
        return rows
    texts = [_row_text(r) for r in rows]
    matched = [any(rx.match(t) for rx, _ in rules) if t else False for t in texts]
    covered = [False] * len(rows)
    for i, t in enumerate(texts):
        n = max((then for rx, then in rules if t and then and rx.match(t)), default=0)
        j = i + 1
        while n and j < len(rows):
            if texts[j]:
                covered[j] = True
                n -= 1
            j += 1
    k = len(rows)
    while k > 0 and (not texts[k - 1] or matched[k - 1] or covered[k - 1]):
        k -= 1
    info.footer = [t for t in texts[k:] if t]
    return rows[:k] if info.footer else rows


def _frame(header, body, name: str, info: ReadInfo | None = None) -> pd.DataFrame:
    header = [str(c).strip() if c is not None else "" for c in header]
    while header and header[-1] == "" and all(len(r) < len(header) or not str(
            r[len(header) - 1] or "").strip() for r in body):
        header.pop()
    nameless = [i + 1 for i, c in enumerate(header) if not c]
    if len(nameless) > 1:  # a file without a header line: its first row of data read as one
        shown = ", ".join(c for c in header[:4] if c)
        raise ParseError(f"{name}: {len(nameless)} columns of the header have no name (columns "
                         f"{', '.join(map(str, nameless))}), though rows hold values there: is the line "
                         f"read as the header ({shown}, …) data? Give the file a line naming its columns")
    seen: dict[str, int] = {}
    for i, c in enumerate(header):  # a header named again: its copies are read as "H (2)", "H (3)"
        if c and c in seen:
            seen[c] += 1
            copy = f"{c} ({seen[c]})"
            while copy in header:
                copy += "'"
            header[i] = copy
            if info is not None:
                info.twice.setdefault(c, []).append(copy)
        elif c:
            seen[c] = 1
    width = len(header)
    fixed, wide = [], []
    for i, r in enumerate(body):
        r = list(r)
        if len(r) > width and any(str(x).strip() for x in r[width:] if x is not None):
            wide.append((i + 1, len(r)))
        fixed.append((r + [""] * width)[:width])
    if wide:  # every such row named, so one look at the file finds them all
        shown = ", ".join(f"{i} ({n} fields)" for i, n in wide[:10]) + (", …" if len(wide) > 10 else "")
        raise ParseError(f"{name}: {len(wide)} data row(s) have more fields than the header's {width} "
                         f"(an unquoted comma or a wrong delimiter?): rows {shown}. Quote those "
                         "values in the export, or save the file again from a spreadsheet")
    return pd.DataFrame(fixed, columns=header, dtype=object)


def find_header(rows: list[list]) -> int:
    """The 0-based index of the header among the first rows: the first row that is all text, has as
    many filled cells as the widest row of the first 30, and is followed by data."""
    head = rows[:30]
    filled = [sum(1 for c in r if c is not None and str(c).strip()) for r in head]
    widest = max(filled)
    for i, r in enumerate(head):
        if filled[i] >= max(2, int(widest * 0.8)) and all(
                isinstance(c, str) or c is None for c in r):
            return i
    return 0


def read_xlsx(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    footer: list | None = None,
) -> tuple[pd.DataFrame, ReadInfo]:
    """Read one sheet of an XLSX file as objects (numbers, text and datetimes as the cells hold
    them; ids are made text later by :func:`to_text`). Title rows above the header are found or
    given by ``header_row`` (1-based)."""
    p = Path(path)
    try:  # calamine (Rust) reads a 40,000-line sheet in about a second; openpyxl takes a minute
        import python_calamine  # noqa: F401

        engine = "calamine"
    except ImportError:  # pragma: no cover - python-calamine is a dependency
        engine = "openpyxl"
    raw = pd.read_excel(p, sheet_name=sheet if sheet is not None else 0, header=None, dtype=object,
                        engine=engine)
    info = ReadInfo(file=p.name, sheet=str(sheet) if sheet is not None else "")
    rows = [[None if (isinstance(v, float) and np.isnan(v)) else v for v in r]
            for r in raw.itertuples(index=False)]
    rows = strip_footer(rows, footer, info)
    numbered = [(i, r) for i, r in enumerate(rows)
                if any(v is not None and str(v).strip() for v in r)]
    if not numbered:
        raise ParseError(f"{p.name}: the sheet is empty")
    df = _header_and_rows(numbered, header_row, info, p.name)
    df = df.map(lambda v: "" if v is None else v)
    info.rows = len(df)
    return df, info


def read_any(path: str | Path, **kw) -> tuple[pd.DataFrame, ReadInfo]:
    """:func:`read_csv_text` or :func:`read_xlsx` by the file's suffix; the text columns that look
    mis-decoded before the export go into the ReadInfo (:func:`misread_columns`)."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        df, info = read_xlsx(p, sheet=kw.get("sheet"), header_row=kw.get("header_row"),
                             footer=kw.get("footer"))
    else:
        df, info = read_csv_text(p, encoding=kw.get("encoding"), delimiter=kw.get("delimiter"),
                                 header_row=kw.get("header_row"), footer=kw.get("footer"))
    info.misread = misread_columns(df, file=p.name)
    return df, info


def _header_and_rows(numbered: list, header_row: int | None, info: ReadInfo, name: str) -> pd.DataFrame:
    """The frame below the header of non-empty ``(line index, row)`` pairs: the header is the stated
    ``header_row`` (1-based) or the one :func:`find_header` finds; lines above it are noted in ``info``."""
    if header_row:
        h = next((k for k, (i, _) in enumerate(numbered) if i >= header_row - 1), 0)
    else:
        h = find_header([r for _, r in numbered])
    info.header_row = numbered[h][0] + 1
    if info.header_row > 1:
        info.notes.append(f"{info.header_row - 1} line(s) above the header skipped")
    rows = [r for _, r in numbered]
    head = _cells(rows[h])
    body = [r for r in rows[h + 1:] if _cells(r) != head]
    info.repeated_headers = len(rows) - h - 1 - len(body)
    return _frame(rows[h], body, name, info)


def _cells(row: list) -> list[str]:
    """A row's cells as trimmed text, trailing empty cells left out (to compare a row with the header)."""
    out = ["" if c is None else str(c).strip() for c in row]
    while out and not out[-1]:
        out.pop()
    return out
