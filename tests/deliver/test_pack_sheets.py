"""Every CSV and XLSX the demo pack writes is safe: no formula cell, no live formula text."""

from __future__ import annotations

import csv

import openpyxl
import pytest

from salesnb.deliver import sheets

from .conftest import HOSTILE_CUSTOMER_ID, HOSTILE_REP, HOSTILE_REP2, HOSTILE_TEAM

pytestmark = [pytest.mark.slow, pytest.mark.extended]


def test_every_artefact_of_the_pack_is_formula_safe(hostile_pack):
    for m in hostile_pack.months:
        assert hostile_pack.exit_codes[m] == 0, hostile_pack.lines[m]
    files = sorted(p for m in hostile_pack.months for p in hostile_pack.month(m).rglob("*")
                   if p.suffix in (".csv", ".xlsx"))
    kinds = {p.name.split(".", 1)[1] for p in files}
    # targets, payouts, risk register, CRM membership export, forecast (and BI extracts)
    assert {"targets.csv", "targets.xlsx", "payouts.xlsx", "register.xlsx", "customers.csv"} <= kinds
    seen = set()
    for p in files:
        if p.suffix == ".xlsx":
            wb = openpyxl.load_workbook(p)
            assert "Notes" in wb.sheetnames, p
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        assert c.data_type != "f", (p.name, ws.title, c.coordinate, c.value)
                        if isinstance(c.value, str) and sheets.is_dangerous(c.value):
                            assert c.quotePrefix, (p.name, c.coordinate, c.value)
                            seen.add(c.value)
            data = wb.worksheets[0]
            assert data.freeze_panes == "A2" and data.cell(row=1, column=1).font.bold, p.name
        else:
            with p.open(encoding="utf-8", newline="") as fh:
                for row in csv.reader(fh):
                    for cell in row:
                        assert not sheets.is_dangerous(cell), (p.name, cell)
                        if cell.startswith("'"):
                            seen.add(cell[1:])
    # the planted names went through, as text
    assert {HOSTILE_REP, HOSTILE_REP2, HOSTILE_TEAM, HOSTILE_CUSTOMER_ID} <= seen
