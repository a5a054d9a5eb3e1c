"""One test per validation error kind: the message names the file, table, column and rows."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from salesnb.data.errors import DataError
from salesnb.data.sources import open_folder
from salesnb.data.validate import check, validate
from tests.conftest import write_tables


def _problems(tables, tmp_path, kind):
    folder = write_tables(tables, tmp_path / "src")
    probs = [p for p in validate(open_folder(folder)) if p.kind == kind]
    assert probs, f"no {kind} problem found"
    return probs


def test_valid_small_data_has_no_errors(small_folder):
    assert [p for p in validate(open_folder(small_folder)) if p.severity == "error"] == []


def test_missing_required_column(small_tables, tmp_path):
    small_tables["orders"] = small_tables["orders"].drop(columns="amount")
    (p,) = _problems(small_tables, tmp_path, "missing_column")
    assert (p.table, p.column) == ("orders", "amount")
    assert "orders.csv" in str(p) and "orders.amount" in str(p)


def test_unparseable_date_names_rows(small_tables, tmp_path):
    o = small_tables["orders"].astype({"order_date": str})
    o.loc[[4, 9], "order_date"] = ["2024-13-45", "yesterday"]
    small_tables["orders"] = o
    (p,) = _problems(small_tables, tmp_path, "unparseable_date")
    assert p.column == "order_date" and p.count == 2
    assert "row 5" in str(p) and "row 10" in str(p) and f"order_id={o.order_id[4]}" in str(p)


def test_non_numeric_and_missing_amount(small_tables, tmp_path):
    o = small_tables["orders"].astype({"amount": object})
    o.loc[2, "amount"] = "12,5 EUR"
    o.loc[7, "amount"] = None
    small_tables["orders"] = o
    folder = write_tables(small_tables, tmp_path / "src")
    probs = {p.kind: p for p in validate(open_folder(folder)) if p.column == "amount"}
    assert "row 3" in str(probs["unparseable_float"])
    assert "row 8" in str(probs["missing_value"])


def test_duplicate_ids(small_tables, tmp_path):
    c = small_tables["customers"]
    small_tables["customers"] = pd.concat([c, c.iloc[[3]]], ignore_index=True)
    (p,) = _problems(small_tables, tmp_path, "duplicate_id")
    assert p.table == "customers" and "customer_id=C003" in str(p)


def test_status_outside_allowed(small_tables, tmp_path):
    small_tables["opportunities"].loc[5, "status"] = "pending"
    (p,) = _problems(small_tables, tmp_path, "invalid_value")
    assert (p.table, p.column, p.count) == ("opportunities", "status", 1)
    assert "row 6" in str(p) and "{open, won, lost}" in str(p)


def test_unknown_references(small_tables, tmp_path):
    small_tables["orders"].loc[11, "rep_id"] = "R999"
    small_tables["opportunities"].loc[0, "customer_id"] = "C999"
    probs = _problems(small_tables, tmp_path, "unknown_reference")
    where = {(p.table, p.column) for p in probs}
    assert ("orders", "rep_id") in where and ("opportunities", "customer_id") in where
    assert any("reps.rep_id" in str(p) and "row 12" in str(p) for p in probs)


def test_dates_after_as_of(small_tables, tmp_path):
    small_tables["opportunities"].loc[1, "created_date"] = pd.Timestamp("2030-01-01")
    small_tables["orders"].loc[3, "order_date"] = pd.Timestamp("2099-01-01")
    probs = _problems(small_tables, tmp_path, "date_after_as_of")
    assert {(p.table, p.column) for p in probs} == {("orders", "order_date"),
                                                   ("opportunities", "created_date")}


def test_empty_table(small_tables, tmp_path):
    small_tables["reps"] = small_tables["reps"].iloc[:0]
    (p,) = _problems(small_tables, tmp_path, "empty_table")
    assert p.table == "reps"


def test_negative_amount_is_a_warning(small_tables, tmp_path):
    small_tables["orders"].loc[6, "amount"] = -99.0
    (p,) = _problems(small_tables, tmp_path, "negative_amount")
    assert p.severity == "warning" and "row 7" in str(p)


def test_check_raises_with_every_error(small_tables, tmp_path):
    small_tables["opportunities"].loc[5, "status"] = "pending"
    small_tables["orders"].loc[11, "rep_id"] = "R999"
    folder = write_tables(small_tables, tmp_path / "src")
    with pytest.raises(DataError) as err:
        check(str(folder))
    assert len(err.value.problems) == 2
    assert "opportunities.status" in str(err.value) and "orders.rep_id" in str(err.value)


def test_cli_validate_broken_folder_exits_nonzero(small_tables, tmp_path):
    small_tables["opportunities"].loc[5, "status"] = "pending"
    folder = write_tables(small_tables, tmp_path / "src")
    r = subprocess.run([sys.executable, "-m", "salesnb.cli", "validate", str(folder)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "opportunities.status" in r.stderr and "row 6" in r.stderr
    assert "1 error(s)" in r.stdout


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        open_folder(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no orders table"):
        open_folder(tmp_path / "empty")


def test_data_contract_doc_is_in_step():
    from pathlib import Path

    from salesnb.data.contract import markdown

    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-contract.md").read_text()
    assert markdown() in doc, "regenerate docs/data-contract.md from salesnb.data.contract.markdown()"


def test_run_validation_is_reused_only_for_the_same_data(small_tables, tmp_path):
    from salesnb.data import validate as v

    small_tables["orders"].loc[6, "amount"] = -99.0
    ds = open_folder(write_tables(small_tables, tmp_path / "src"))
    problems = v.validate(ds)
    v.save(problems, tmp_path, fingerprint=ds.fingerprint()["sha256"])
    again = v.load_or_validate(ds, tmp_path)
    assert [str(p) for p in again] == [str(p) for p in problems]
    # another dataset (other fingerprint): the file is ignored and the data validated afresh
    small_tables["orders"].loc[6, "amount"] = 5.0
    other = open_folder(write_tables(small_tables, tmp_path / "src2"))
    assert v.load_or_validate(other, tmp_path) == []
