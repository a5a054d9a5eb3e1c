"""fmt.table aligns columns with one frame of CSS: the same HTML as ``set_properties`` per cell (issue 18)."""

from __future__ import annotations

import pandas as pd
import pytest

from salesnb import fmt

FRAMES = {
    "scorecard_attainment": (
        pd.DataFrame({"window": ["MTD", "QTD", "YTD"], "actual": [410_000.0, 1.2e6, 4.1e6],
                      "target": [500_000.0, 1.4e6, None], "gap_pct": [-0.18, -0.14, None],
                      "rank": [12, 9, 20], "name": pd.array(["A", "B", None], dtype="string")}),
        {"values": ["window"], "money_cols": ["actual", "target"], "pct_cols": ["gap_pct"],
         "int_cols": ["rank"], "caption": "Attainment"}),
    "dates_and_flags": (
        pd.DataFrame({"hired": pd.to_datetime(["2020-01-31", None]), "active": [True, False],
                      "score": [0.123456, 2.5]}, index=[7, 3]),
        {}),
    "text_only": (pd.DataFrame({"rep": ["R001", "R002"], "team": ["East-1", "West-2"]}), {}),
    "numbers_only": (pd.DataFrame({"n": [1, 2, 3], "rate": [0.1, 0.2, 0.3]}), {"pct_cols": ["rate"]}),
    "empty": (pd.DataFrame({"rep": pd.Series([], dtype=object), "n": pd.Series([], dtype=int)}), {}),
}


@pytest.mark.parametrize("name", FRAMES)
def test_table_html_is_what_set_properties_made(name):
    df, kwargs = FRAMES[name]
    new = fmt.table(df, **kwargs).set_uuid("t")
    old = fmt.table(df, **kwargs).set_uuid("t")
    assert len(old._todo) == 1  # the alignment is the table's only per-cell style
    old._todo.clear()
    d = old.data
    numeric = [c for c in d.columns
               if pd.api.types.is_numeric_dtype(d[c]) and not pd.api.types.is_bool_dtype(d[c])]
    old = old.set_properties(subset=numeric, **{"text-align": "right"})
    old = old.set_properties(subset=[c for c in d.columns if c not in numeric], **{"text-align": "left"})
    html = new.to_html()
    assert html == old.to_html()
    if len(df):
        assert "text-align: right;" in html or not numeric
        assert "text-align: left;" in html


def test_p_values_never_read_as_long_floats():
    """04 printed "chi-square p = 0.000971" (the page audit's long float) once the demo's segments
    changed: p-values have one formatter."""
    from salesnb import fmt
    from salesnb.report.audit import REPR_PATTERNS

    assert fmt.p_value(0.000971) == "p = 0.00097" and fmt.p_value(0.00004) == "p < 0.0001"
    assert fmt.p_value(0.0312) == "p = 0.031"
    long_float = dict(REPR_PATTERNS)["long float"]
    assert long_float.search("p = 0.000971") and not long_float.search(fmt.p_value(0.000971))


def test_no_formatter_prints_a_negative_zero():
    """Page 02 showed a share change of -0.004 points as "-0.0 %", 04 a share of -£63 as "-0.0 %"."""
    assert fmt.pct(-0.0004) == "0.0 %" and fmt.pct(-0.0004, signed=True) == "+0.0 %"
    assert fmt.pct(-0.004, decimals=0) == "0 %" and fmt.pct(-0.0006) == "-0.1 %"
    assert fmt.number(-0.4) == "0" and fmt.number(-0.04, decimals=1) == "0.0" and fmt.number(-0.6) == "-1"
    assert fmt.money(-0.4) == "$0" and fmt.money(-0.6) == "-$1" and fmt.money(-400, compact=True) == "-$400"
    assert fmt.points(-0.00004) == "0.0 pp" and fmt.points(0.0012) == "+0.1 pp" and fmt.points(-0.0031) == "-0.3 pp"
    assert fmt.points(None) == "–"


def test_a_change_of_share_is_shown_in_points_not_percent():
    """A difference of two shares is percentage points: page 02's products table printed "-0.3 %"."""
    df = pd.DataFrame({"share": [0.006, 0.002], "share_change": [-0.003, -0.00004]})
    html = fmt.table(df, pct_cols=["share"], pp_cols=["share_change"]).to_html()
    assert "-0.3 pp" in html and "0.0 pp" in html and "-0.0" not in html and "0.6 %" in html


def test_a_figure_and_its_published_value_print_the_same():
    """Superstore: 01 printed the year to date 660,392.5000000001 as "$660,393", the summary its published
    value 660,392.5 (12 significant digits) as "$660,392" (Python rounds a tie to even). Rounded once
    from the published precision, ties away from zero, both read "$660,393"."""
    from salesnb.jsonable import to_jsonable

    raw = 660392.5000000001
    assert fmt.money(raw) == fmt.money(to_jsonable(raw)) == "$660,393"
    assert fmt.number(118454.5) == "118,455" and fmt.money(-2.5) == "-$3" and fmt.number(0.125, decimals=2) == "0.13"
    assert fmt.pct(0.12345) == "12.3 %" and fmt.pct(0.1225) == "12.3 %" and fmt.pct(-0.0005) == "-0.1 %"
    assert fmt.number(1234567.891, decimals=1) == "1,234,567.9" and fmt.money(99.5, compact=True) == "$100"


# a finding of Superstore's risk register (05's alerts table): 133 characters, cut mid-sentence
SUPERSTORE_ALERT = ("Central: weekly revenue 5 % below its usual level relative to other regions in 2022-11 "
                    "(Western Electric rules 4; EWMA signal)")


def _cell(html: str, start: str) -> str:
    """The ``<td>`` element whose text starts with ``start``."""
    import re

    return next(m.group(0) for m in re.finditer(r"<td[^>]*>.*?</td>", html, flags=re.S) if start in m.group(0))


def test_a_long_cell_is_cut_at_a_word_and_keeps_its_whole_text_as_a_tooltip():
    """Superstore's 05 showed "... (Western Electric rules 4; EWMA …": the sentence cut with nothing to
    read the rest by. The cut is at a word, marked "…", and the cell's title holds the whole text."""
    text = SUPERSTORE_ALERT + " and a few more words to pass the limit of a cell"
    assert len(text) > fmt.MAX_CELL
    cell = _cell(fmt.table(pd.DataFrame({"message": [text]})).to_html(), "Central")
    shown = cell.split(">", 1)[1].rsplit("</", 1)[0]
    visible = shown.split(">", 1)[1].split("<", 1)[0] if shown.startswith("<span") else shown
    assert visible.endswith("…") and len(visible) <= fmt.MAX_CELL
    assert text.startswith(visible[:-1].rstrip()) and text[len(visible[:-1].rstrip())] == " "  # a word boundary
    assert f'title="{text}"' in cell


def test_a_cut_never_splits_an_escaped_character_and_escapes_the_tooltip():
    """The Styler escaped the text before the cut: "&" at the limit became "&am…" on the page."""
    text = "x" * (fmt.MAX_CELL - 3) + " & <b>y</b> z"
    cell = _cell(fmt.table(pd.DataFrame({"name": [text]})).to_html(), "xxx")
    assert "&…" not in cell and "&am…" not in cell and "<b>" not in cell
    assert 'title="' + "x" * (fmt.MAX_CELL - 3) + ' &amp; &lt;b&gt;y&lt;/b&gt; z"' in cell


def test_a_short_cell_has_no_tooltip():
    html = fmt.table(pd.DataFrame({"name": ["West", "<i>x</i>"]})).to_html()
    assert "title=" not in html and "&lt;i&gt;x&lt;/i&gt;" in html
