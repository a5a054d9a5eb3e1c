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
