"""Number formatting and leader-friendly tables (formatted numbers, no index noise)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal

import pandas as pd

from salesnb.constants import JSON_DIGITS

CURRENCY_SYMBOL = "$"
#: ISO 4217 code of the reporting currency ("" when the data does not say); set by ``sn.setup``
CURRENCY_CODE = ""
THOUSANDS = ","

#: symbols shown before amounts; a code not listed shows as ``"CHF "``. ``$`` and ``¥`` are kept for
#: USD and CNY; the other dollars and yen get a prefix so that they cannot be mistaken for them
SYMBOLS = {
    "CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$", "TWD": "NT$",
    "SGD": "S$", "AUD": "A$", "CAD": "CA$", "NZD": "NZ$", "MXN": "MX$", "KRW": "₩", "INR": "₹",
    "BRL": "R$", "RUB": "₽", "TRY": "₺", "VND": "₫", "THB": "฿", "PHP": "₱", "ILS": "₪",
}


def configure(*, currency_symbol: str | None = None, thousands: str | None = None) -> None:
    """Set the currency symbol and thousands separator used by every formatter.

    An empty ``currency_symbol`` keeps the current one (the reporting currency's, set by
    :func:`set_currency`).
    """
    global CURRENCY_SYMBOL, THOUSANDS
    if currency_symbol:
        CURRENCY_SYMBOL = currency_symbol
    if thousands is not None:
        THOUSANDS = thousands


def currency_symbol(code: str) -> str:
    """The symbol shown before amounts in ``code``: ``"CNY"`` → ``"¥"``, ``"CHF"`` → ``"CHF "``,
    ``""`` (unknown currency) → ``""``."""
    code = (code or "").strip().upper()
    return SYMBOLS.get(code, f"{code} " if code else "")


def set_currency(code: str) -> None:
    """Make ``code`` (ISO 4217, e.g. ``"EUR"``) the currency of every money figure, table and money
    axis; ``""`` when the data does not say which (amounts then show without a symbol)."""
    global CURRENCY_CODE, CURRENCY_SYMBOL
    CURRENCY_CODE = (code or "").strip().upper()
    CURRENCY_SYMBOL = currency_symbol(CURRENCY_CODE)


def currency_label() -> str:
    """Symbol and code of the reporting currency for axis labels and captions: ``"¥/CNY"``,
    ``"$/USD"``, ``"CHF"``; ``""`` when unknown."""
    sym = CURRENCY_SYMBOL.strip()
    if not CURRENCY_CODE:
        return sym
    return CURRENCY_CODE if sym in ("", CURRENCY_CODE) else f"{sym}/{CURRENCY_CODE}"


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA or x is pd.NaT


def _zero(s: str) -> bool:
    """Whether a formatted number shows zero (``"-0.0"``, ``"0"``, ``"+0.00"``)."""
    return not any(ch in "123456789" for ch in s)


def _unsigned_zero(s: str) -> str:
    """``"-0.0"`` → ``"0.0"``: a value that rounds to zero shows no minus sign (a page never prints a
    negative zero)."""
    return s[1:] if s.startswith("-") and _zero(s) else s


_DECIMALS = Context(prec=60)


def _rounded(x, decimals: int, *, scale: int = 1) -> Decimal | float:
    """``x × scale`` rounded to ``decimals`` decimals once, from the published precision: ``x`` is
    first cut to :data:`~salesnb.constants.JSON_DIGITS` significant digits (what results.json keeps,
    :mod:`salesnb.jsonable`), then rounded half away from zero. So a figure printed on its page and
    its published value printed on another page read the same: 01's year to date 660,392.5000000001
    and the summary's 660,392.5 both read "660,393" (``f"{x:.0f}"`` rounds the float noise up and the
    exact tie to even, down). Infinities stay floats."""
    v = float(x)
    if not math.isfinite(v):
        return v * scale
    d = _DECIMALS.multiply(Decimal(f"{v:.{JSON_DIGITS}g}"), Decimal(scale))
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_DECIMALS)


def number(x, *, decimals: int = 0) -> str:
    """``1234567.8`` → ``"1,234,568"``; ``-0.4`` → ``"0"`` (never a negative zero); a tie rounds away
    from zero (``118454.5`` → ``"118,455"``, see :func:`_rounded`)."""
    if _missing(x):
        return "–"
    s = _unsigned_zero(f"{_rounded(x, decimals):,.{decimals}f}")
    return s.replace(",", THOUSANDS) if THOUSANDS != "," else s


def money(x, *, decimals: int = 0, compact: bool = False, symbol: str | None = None) -> str:
    """Currency amount: ``money(1234567)`` → ``"$1,234,567"``, ``compact=True`` → ``"$1.23M"``;
    ``-0.4`` → ``"$0"`` (never a negative zero)."""
    if _missing(x):
        return "–"
    sym = CURRENCY_SYMBOL if symbol is None else symbol
    v = float(x)
    sign = "-" if v < 0 else ""
    v = abs(v)
    if compact:
        for unit, div in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
            if v >= div:
                return f"{sign}{sym}{v / div:.2f}{unit}"
    digits = number(v, decimals=decimals)
    return f"{'' if _zero(digits) else sign}{sym}{digits}"


def p_value(p: float) -> str:
    """A test's p-value for a page: ``"p < 0.0001"`` below 0.0001, else two significant digits
    (``"p = 0.00097"``), never a long float or scientific notation."""
    return "p < 0.0001" if p < 1e-4 else f"p = {p:.2g}"


def pct(x, *, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percentage: ``pct(0.1234)`` → ``"12.3 %"``; ``-0.0004`` → ``"0.0 %"``
    (``"+0.0 %"`` signed: never a negative zero)."""
    if _missing(x):
        return "–"
    s = _unsigned_zero(f"{_rounded(x, decimals, scale=100):.{decimals}f}")
    return f"{'' if s.startswith('-') or not signed else '+'}{s} %"


def points(x, *, decimals: int = 1, signed: bool = True) -> str:
    """A difference of two fractions (shares, rates) in percentage points: ``points(-0.0031)`` →
    ``"-0.3 pp"``, ``points(0.0012)`` → ``"+0.1 pp"``, ``-0.00004`` → ``"0.0 pp"`` (zero unsigned). The
    same "pp" in both languages (as the month-over-month KPI table)."""
    if _missing(x):
        return "–"
    s = pct(x, decimals=decimals, signed=signed)[:-2]
    return f"{s.lstrip('+') if _zero(s) else s} pp"


#: longest text shown in a table cell
MAX_CELL = 120
#: longest text a cut cell keeps in its tooltip (a 10,000-character name is not worth a page's weight)
MAX_TOOLTIP = 2000


def cut_text(text: str, limit: int = MAX_CELL) -> str:
    """``text`` in at most ``limit`` characters: whole, or cut at the last word boundary that keeps
    at least half of it, marked "…" (text without spaces, such as Chinese, is cut at a character).

    >>> cut_text("weekly revenue below its usual level", 20)
    'weekly revenue…'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    space = head.rfind(" ") if text[limit - 1] != " " else len(head)
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:、，；：") + "…"


def _cell_html(v) -> str:
    """A text cell as HTML: escaped, cut at :data:`MAX_CELL` characters at a word, and then the whole
    text (up to :data:`MAX_TOOLTIP`) as the cell's tooltip, so that nothing is lost on the page. The
    cut is made on the text, before escaping, so that it never splits an ``&amp;``."""
    import html as _html

    if _missing(v):
        return "–"
    s = str(v)
    shown = cut_text(s)
    if shown == s:
        return _html.escape(s)
    return f'<span title="{_html.escape(cut_text(s, MAX_TOOLTIP))}">{_html.escape(shown)}</span>'


def _without_repeated_name(d: pd.DataFrame) -> pd.DataFrame:
    """``d`` without its ``name`` column when that repeats ``rep_id`` on every row: Maven's CRM names
    reps by their name, and 02's rep tables read "Darcel Schlecht | Darcel Schlecht | …"."""
    if {"rep_id", "name"} <= set(d.columns) and len(d) and d["name"].notna().all() and \
            (d["name"].astype(str).str.strip() == d["rep_id"].astype(str).str.strip()).all():
        return d.drop(columns="name")
    return d


def table(
    df: pd.DataFrame,
    *,
    money_cols: Iterable[str] = (),
    pct_cols: Iterable[str] = (),
    pp_cols: Iterable[str] = (),
    int_cols: Iterable[str] = (),
    float_cols: Iterable[str] = (),
    decimals: int = 2,
    caption: str | None = None,
    rename: dict[str, str] | None = None,
    labels: bool = True,
    values: Iterable[str] = (),
) -> pd.io.formats.style.Styler:
    """A styled table for leaders: formatted numbers, no index, optional caption.

    Float columns not named show ``decimals`` decimals (never pandas' default six); other columns
    not named keep pandas' default formatting. Text is HTML-escaped (names in the data are
    untrusted).

    Headers and caption speak the current language (:func:`salesnb.i18n.set_lang`, set by
    ``sn.setup``): a column's header is ``rename[col]`` translated, else its label
    (:func:`salesnb.i18n.col_label`: ``win_rate`` → "Win rate" / "赢单率"); ``labels=False`` shows
    the names as they are (columns that are data, e.g. a pivot of regions). ``values`` names columns
    whose text values are labels made by the code (segment names, windows, statuses), translated with
    :func:`salesnb.i18n.tr`; data values (names, ids, regions) are never translated. A ``name``
    column that repeats ``rep_id`` on every row is shown once (:func:`_without_repeated_name`).
    """
    import html as _html

    from salesnb.i18n import col_label, tr

    d = _without_repeated_name(df.reset_index(drop=True))
    fmt: dict[str, object] = {}
    for c in money_cols:
        fmt[c] = lambda v: money(v)
    for c in pct_cols:
        fmt[c] = lambda v: pct(v)
    for c in pp_cols:  # a change of a share or rate: percentage points
        fmt[c] = lambda v: points(v)
    for c in int_cols:  # a text cell among the numbers (rows said apart by table) is shown as it is
        fmt[c] = lambda v: v if isinstance(v, str) else number(v)
    for c in float_cols:
        fmt[c] = lambda v, _d=decimals: number(v, decimals=_d)
    text_cols: list[str] = []
    for c in d.columns:
        if c in fmt:
            continue
        if pd.api.types.is_datetime64_any_dtype(d[c]):
            fmt[c] = lambda v: "–" if _missing(v) else pd.Timestamp(v).strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(d[c]):
            fmt[c] = lambda v: tr("yes") if v else tr("no")
        elif pd.api.types.is_float_dtype(d[c]):  # never pandas' six decimals (100.000000)
            fmt[c] = lambda v, _d=decimals: number(v, decimals=_d)
        elif (d[c].dtype == object or pd.api.types.is_string_dtype(d[c])) and \
                d[c].map(lambda v: isinstance(v, str) or _missing(v)).all():
            text_cols.append(c)  # a 10,000-character name is cut on the page, kept in exports
    for c in values:  # before styling, so that the Styler escapes the translated text
        if c in d.columns:
            d[c] = d[c].map(lambda v: tr(v) if isinstance(v, str) else v)
    fmt = {c: f for c, f in fmt.items() if c in d.columns}
    rename = rename or {}

    def header(c) -> str:
        if c in rename:
            return _html.escape(str(tr(rename[c])))
        return _html.escape(col_label(c) if labels else str(c))

    sty = d.style.format(fmt, escape="html", na_rep="–").hide(axis="index")
    if text_cols:  # escaped by _cell_html itself: the Styler escapes before a formatter cuts
        sty = sty.format(_cell_html, subset=text_cols, na_rep="–")
    sty = sty.format_index(header, axis=1)
    numeric = [c for c in d.columns
               if pd.api.types.is_numeric_dtype(d[c]) and not pd.api.types.is_bool_dtype(d[c])]
    # numbers right, text left: one frame of CSS (the HTML of two ``set_properties`` calls, which
    # map a function over every cell; issue 18: a rep scorecard shows five tables)
    align = pd.DataFrame({c: "text-align: right;" if c in numeric else "text-align: left;"
                          for c in d.columns}, index=d.index, columns=d.columns)
    sty = sty.apply(lambda _: align, axis=None)
    sty = sty.set_table_styles([{"selector": "th", "props": "text-align: left;"}], overwrite=False)
    sty = sty.set_table_attributes('class="sn-table"')
    if caption:
        sty = sty.set_caption(_html.escape(str(tr(caption))))
    return sty
