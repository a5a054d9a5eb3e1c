"""The one spreadsheet writer: hostile text never becomes a formula; numbers stay numbers; XLSX for people."""

from __future__ import annotations

import csv

import numpy as np
import openpyxl
import pandas as pd
import pytest

from salesnb.deliver import sheets

HOSTILE = [
    '=HYPERLINK("http://evil.example","team")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =WEST()",
    "\uff1d1+1",  # full-width equals sign
    "\uff20SUM(A1)",
]
SAFE = ["West", "Ivy Goods Corp", "-5", "+1.5e3", "a=b", "$5 Store", "East-1", ""]


def _frame() -> pd.DataFrame:
    names = HOSTILE + SAFE + ["bell\x07and\x00nul"]
    n = len(names)
    return pd.DataFrame({
        "name": names,
        "amount": np.linspace(-1500.25, 2500.5, n),  # negative numbers are numbers
        "month_attainment": np.linspace(0.5, 1.3, n),
        "orders": np.arange(-3, n - 3),
        "day": pd.date_range("2026-10-01", periods=n, freq="D"),
    })


def test_is_dangerous_follows_owasp_and_spares_plain_numbers():
    assert all(sheets.is_dangerous(s) for s in HOSTILE)
    assert not any(sheets.is_dangerous(s) for s in SAFE)
    assert sheets.neutralise("=1+1") == "'=1+1"
    assert sheets.neutralise(-5) == -5 and sheets.neutralise("-5") == "-5"


def test_csv_has_no_live_formula_and_numbers_stay_numbers(tmp_path):
    df = _frame()
    p = sheets.write_csv(df, tmp_path / "t.csv")
    rows = list(csv.DictReader(p.open(encoding="utf-8", newline="")))
    assert len(rows) == len(df)
    for row, original in zip(rows, df["name"], strict=True):
        cell = row["name"]
        if original in HOSTILE:
            assert cell == "'" + original  # OWASP: a leading apostrophe
        elif "\x07" in original:
            assert cell == "bell\ufffdand\ufffdnul"
        else:
            assert cell == original
        assert not sheets.is_dangerous(cell)
    assert float(rows[0]["amount"]) == pytest.approx(-1500.25)  # not "'-1500.25"
    assert rows[0]["orders"] == "-3"


def test_xlsx_has_no_formula_cell_keeps_numbers_and_replaces_control_characters(tmp_path):
    df = _frame()
    p = sheets.write_xlsx(df, tmp_path / "t.xlsx", sheet="targets",
                          run={"notebook": "01_goal_decomposition", "month": "2026-10"})
    wb = openpyxl.load_workbook(p)
    ws = wb["targets"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_name = {ws.cell(row=i, column=1).value: ws.cell(row=i, column=1) for i in range(2, ws.max_row + 1)}
    for s in HOSTILE:
        # the text itself (XML reads a lone CR as LF), as a text cell with the quote prefix
        cell = by_name[s.replace("\r", "\n")]
        assert cell.data_type == "s" and cell.quotePrefix
    assert not by_name["West"].quotePrefix
    assert "bell\ufffdand\ufffdnul" in by_name  # no IllegalCharacterError
    amount = ws.cell(row=2, column=2)
    assert amount.data_type == "n" and amount.value == pytest.approx(-1500.25)
    assert amount.number_format == sheets.MONEY_FORMAT
    assert ws.cell(row=2, column=3).number_format == sheets.PCT_FORMAT
    assert ws.cell(row=2, column=4).value == -3 and ws.cell(row=2, column=4).number_format == sheets.INT_FORMAT
    assert ws.cell(row=2, column=5).is_date and ws.cell(row=2, column=5).number_format == sheets.DATE_FORMAT
    # for people: frozen, styled header with a filter; widths from the content
    assert ws.freeze_panes == "A2" and ws.cell(row=1, column=1).font.bold
    assert ws.auto_filter.ref == f"A1:E{len(df) + 1}"
    assert ws.column_dimensions["A"].width >= len(HOSTILE[0])
    notes = wb["Notes"]
    rows = [[c.value for c in r] for r in notes.iter_rows()]
    assert rows[0] == ["column", "kind", "meaning"]
    assert ["amount", "money", "Amount in the company's currency"] in rows
    assert ["month_attainment", "pct", "Month revenue ÷ month target"] in rows
    assert ["month", None, "2026-10"] in rows and ["notebook", None, "01_goal_decomposition"] in rows


def test_write_table_dispatches_on_the_suffix(tmp_path):
    df = pd.DataFrame({"a": ["=1"]})
    assert sheets.write_table(df, tmp_path / "x.csv").read_bytes() == b"a\r\n'=1\r\n"
    with pytest.raises(ValueError, match="csv or xlsx"):
        sheets.write_table(df, tmp_path / "x.json")
