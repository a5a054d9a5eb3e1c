"""BI extracts on a hand-made month folder: tables, types, names, the Hyper file read back."""

from __future__ import annotations

import json
import os

import pandas as pd
import psutil
import pytest

from salesnb.deliver import bi, sheets


def test_extracts_are_tidy_typed_and_read_back(tmp_path):
    folder = tmp_path / "2026-10"
    folder.mkdir()
    results = {
        "revenue_month": 1234.5, "orders_month": 12, "lang": "en",
        "payouts": [{"rep_id": "R1", "name": "=HYPERLINK(\"x\")", "month_payout": -10.25, "active": True},
                    {"rep_id": "R2", "name": "Ann", "month_payout": 20.0, "active": False}],
        "market_share": {"North": 0.25, "South": 0.5},
        "attainment": {"mtd": {"actual": 10.0, "target": 8.0}, "qtd": {"actual": 30.0, "target": 40.0}},
        "growth": {"month": "2026-10", "yoy": 0.12},
        "forecast": [{"period": "2026-11", "series": "Company", "mean": 5.0},
                     {"period": "2026-12", "series": "Company", "mean": 6.0}],
        "anomalies": [{"first_seen": "2026-10-03", "region": "West", "weeks": 2}],
    }
    (folder / "02_performance_review.results.json").write_text(json.dumps(
        {"notebook": "02_performance_review", "month": "2026-10", "results": results}))
    sheets.write_csv(pd.DataFrame({"key": ["-2+3", "East"], "amount": [1.5, -2.0]}),
                     folder / "01_goal_decomposition.targets.csv")
    tables = bi.write_extracts(folder)
    read = bi.extract_tables(folder)  # the same tables, read without writing anything
    assert list(read) == list(tables)
    for name in tables:
        pd.testing.assert_frame_equal(read[name], tables[name], obj=name)
    assert set(tables) == {"02_performance_review__payouts", "02_performance_review__market_share",
                           "02_performance_review__attainment", "02_performance_review__forecast",
                           "02_performance_review__anomalies", "01_goal_decomposition__targets", "kpis"}
    back = bi.read_hyper(folder / "bi" / bi.HYPER)
    assert not [p for p in psutil.Process(os.getpid()).children(recursive=True) if "hyperd" in p.name()]
    assert not list(tmp_path.rglob("*.log"))  # hyperd wrote no log beside the data
    pay = back["02_performance_review__payouts"]
    assert pay.attrs["types"] == {"report_month": "DATE", "rep_id": "TEXT", "name": "TEXT",
                                  "month_payout": "DOUBLE", "active": "BOOL"}
    assert pay["name"].tolist() == ['=HYPERLINK("x")', "Ann"]  # data in Hyper, never a formula
    assert pay["month_payout"].tolist() == [-10.25, 20.0]
    assert str(pay["report_month"].iloc[0]) == "2026-10-01"
    assert back["02_performance_review__forecast"].attrs["types"]["period"] == "DATE"
    assert back["02_performance_review__anomalies"].attrs["types"]["first_seen"] == "DATE"
    assert back["02_performance_review__anomalies"].attrs["types"]["weeks"] == "BIG_INT"
    att = back["02_performance_review__attainment"].set_index("name")
    assert att.loc["qtd", "target"] == 40.0
    kpis = back["kpis"].set_index("key")["value"]
    assert kpis["revenue_month"] == 1234.5 and kpis["orders_month"] == 12 and kpis["growth.yoy"] == 0.12
    targets = back["01_goal_decomposition__targets"]
    assert targets["key"].tolist() == ["-2+3", "East"] and targets.attrs["types"]["amount"] == "DOUBLE"
    # Parquet and CSV beside it; the CSV is formula-safe
    assert pd.read_parquet(folder / "bi" / "02_performance_review__payouts.parquet")["name"][0].startswith("=")
    assert "'=HYPERLINK" in (folder / "bi" / "02_performance_review__payouts.csv").read_text()
    # rewriting replaces the folder: no stale table survives
    (folder / "01_goal_decomposition.targets.csv").unlink()
    assert "01_goal_decomposition__targets" not in bi.write_extracts(folder, hyper=False)
    assert not (folder / "bi" / "01_goal_decomposition__targets.parquet").exists()


@pytest.mark.parametrize("links", [True, False])
def test_latest_follows_the_newest_good_month(tmp_path, monkeypatch, links):
    reports = tmp_path / "reports"
    for m, status in (("2026-08", "ok"), ("2026-09", "ok"), ("2026-10", "failed")):
        (reports / m).mkdir(parents=True)
        (reports / m / "manifest.json").write_text(json.dumps({"status": status}))
    if not links:
        def no_links(*a, **k):
            raise OSError("symbolic links not supported")

        monkeypatch.setattr(os, "symlink", no_links)
    assert bi.update_latest(reports).name == "2026-09"
    latest = reports / bi.LATEST
    if links:
        assert latest.is_symlink() and os.readlink(latest) == "2026-09"
    else:
        assert not latest.is_symlink() and (latest / "LATEST_MONTH").read_text().strip() == "2026-09"
    (reports / "2026-10" / "manifest.json").write_text(json.dumps({"status": "ok"}))
    bi.update_latest(reports)
    assert (latest / "manifest.json").exists()
    assert (os.readlink(latest) if links else (latest / "LATEST_MONTH").read_text().strip()) == "2026-10"


def test_hyper_read_from_parquet_equals_rows_inserted_one_by_one(tmp_path):
    """Hyper reads each table's Parquet file itself (the fast path): same types and values as the
    row-by-row insert, including a column with no value, missing booleans, dates and text."""
    import datetime as dt

    import pyarrow.parquet as pq

    raw = pd.DataFrame({
        "rep_id": ["R1", None, "销售-7"], "amount": [1.5, float("nan"), -2.0], "deals": [3, 0, 7],
        "won": pd.array([True, None, False], dtype="boolean"), "nothing": [None, None, None],
        "first_seen": ["2026-10-03", None, "2026-09-30"], "period": ["2026-09", "2026-10", "2026-11"]})
    table = bi._typed(raw)
    table.insert(0, "report_month", dt.date(2026, 10, 1))
    pq.write_table(bi._arrow(table), tmp_path / "t.parquet")
    rows = bi.read_hyper(bi.write_hyper({"t": table}, tmp_path / "rows.hyper"))["t"]
    fast = bi.read_hyper(bi.write_hyper({"t": table}, tmp_path / "fast.hyper",
                                        parquet={"t": tmp_path / "t.parquet"}))["t"]
    assert fast.attrs["types"] == rows.attrs["types"] == {
        "report_month": "DATE", "rep_id": "TEXT", "amount": "DOUBLE", "deals": "BIG_INT", "won": "BOOL",
        "nothing": "TEXT", "first_seen": "DATE", "period": "DATE"}
    pd.testing.assert_frame_equal(fast, rows)
    assert fast["rep_id"].tolist()[2] == "销售-7" and fast["won"].isna().tolist() == [False, True, False]


def test_extracts_written_during_the_run_equal_the_folder_extracted_at_once(demo_pack, tmp_path):
    """The runner extracts each notebook as it finishes (``bi.Extracts.add``, beside the notebooks
    still running) and the rest at the end. The result is the same as extracting the published
    folder at once: the same tables, every CSV and Parquet file byte for byte, the Hyper file
    read back equal."""
    import shutil

    folder = demo_pack("en").path
    whole = tmp_path / folder.name
    whole.mkdir()
    for p in folder.iterdir():
        if p.is_file() and p.name.endswith((".results.json", ".csv", ".parquet")):
            shutil.copy2(p, whole / p.name)
    tables = bi.write_extracts(whole, month=folder.name)
    during = sorted(p.name for p in (folder / "bi").iterdir())
    assert during == sorted(p.name for p in (whole / "bi").iterdir())
    assert len(tables) > 30 and "kpis" in tables
    for name in during:
        if name != bi.HYPER:
            assert (folder / "bi" / name).read_bytes() == (whole / "bi" / name).read_bytes(), name
    run, once = bi.read_hyper(folder / "bi" / bi.HYPER), bi.read_hyper(whole / "bi" / bi.HYPER)
    assert sorted(run) == sorted(once) == sorted(tables)
    for name in once:
        pd.testing.assert_frame_equal(run[name], once[name], obj=name)
        assert run[name].attrs["types"] == once[name].attrs["types"], name


def test_a_failed_extraction_leaves_no_partial_extract(tmp_path, monkeypatch):
    """A table that cannot be written stops the extraction: finish() raises and ``bi/`` is gone
    (no Hyper file or half the tables for a BI tool to read as the month's)."""
    folder = tmp_path / "2026-10"
    folder.mkdir()
    for nb in ("00_a", "01_b"):
        (folder / f"{nb}.results.json").write_text(json.dumps(
            {"notebook": nb, "month": "2026-10", "results": {"n": 1, "rows": [{"x": 1}]}}))
    ex = bi.Extracts(folder, month="2026-10")
    ex.add("00_a")
    real = bi._notebook_tables

    def broken(f, owner):
        if owner == "01_b":
            raise OSError("disk full")
        return real(f, owner)

    monkeypatch.setattr(bi, "_notebook_tables", broken)
    with pytest.raises(OSError, match="disk full"):
        ex.finish()
    assert not (folder / "bi").exists()
    ex.add("01_b")  # a notebook finishing after the run stopped: nothing happens
    assert not [p for p in psutil.Process(os.getpid()).children(recursive=True) if "hyperd" in p.name()]
