"""BI extracts: the .hyper file of a month read back equals the published frames; reports/latest."""

from __future__ import annotations

import json
import os

import pandas as pd
import psutil
import pytest

from salesnb.deliver import bi

pytestmark = [pytest.mark.slow, pytest.mark.extended]


def _hyperd_children() -> list[psutil.Process]:
    return [p for p in psutil.Process(os.getpid()).children(recursive=True) if "hyperd" in p.name()]


def test_hyper_extract_matches_the_published_frames(hostile_pack):
    folder = hostile_pack.month("2026-10")
    assert (folder / "bi" / bi.HYPER).exists(), hostile_pack.lines["2026-10"]
    tables = bi.read_hyper(folder / "bi" / bi.HYPER)
    assert not _hyperd_children()  # the Hyper API's server process was shut down
    results = {json.loads(p.read_text())["notebook"]: json.loads(p.read_text())["results"]
               for p in folder.glob("*.results.json")}
    # a table per report table, named stably
    for name in ("02_performance_review__payouts", "05_risk_monitoring__register",
                 "03_market_trends__forecast", "01_goal_decomposition__targets",
                 "04_customer_segmentation__customers", "kpis"):
        assert name in tables, sorted(tables)
    month = pd.Timestamp("2026-10-01").date()
    for name, df in tables.items():
        assert df.attrs["types"]["report_month"] == "DATE", name
        assert set(df["report_month"].astype(str)) == {str(month)}, name
        assert (folder / "bi" / f"{name}.parquet").exists() and (folder / "bi" / f"{name}.csv").exists()
    # published tables come back value for value, with their types
    pay = tables["02_performance_review__payouts"].sort_values("rep_id").reset_index(drop=True)
    want = pd.DataFrame(results["02_performance_review"]["payouts"]).sort_values("rep_id").reset_index(drop=True)
    assert list(pay["rep_id"]) == list(want["rep_id"])
    assert list(pay["name"]) == list(want["name"])  # hostile names stored as plain text
    for c in ("month_actual", "month_payout", "quarter_attainment"):
        assert pay.attrs["types"][c] == "DOUBLE"
        assert pay[c].astype(float).tolist() == pytest.approx(want[c].astype(float).tolist())
    reg = tables["05_risk_monitoring__register"]
    assert len(reg) == len(results["05_risk_monitoring"]["register"])
    fc = tables["03_market_trends__forecast"]
    assert fc.attrs["types"]["period"] == "DATE"  # months as dates
    kpis = tables["kpis"].set_index(["notebook", "key"])["value"]
    assert kpis[("00_data_overview", "revenue_month")] == pytest.approx(
        results["00_data_overview"]["revenue_month"])
    assert kpis[("05_risk_monitoring", "p_miss.p10")] == pytest.approx(
        results["05_risk_monitoring"]["p_miss"]["p10"])
    targets = tables["01_goal_decomposition__targets"]
    assert targets.attrs["types"]["amount"] == "DOUBLE"


def test_latest_points_at_the_newest_good_month(hostile_pack, tmp_path):
    latest = hostile_pack.reports / bi.LATEST
    assert latest.is_symlink() and os.readlink(latest) == "2026-10"
    assert (latest / "bi" / bi.HYPER).exists()
    # a failed newer month does not move it; a copy replaces it where links fail
    reports = tmp_path / "reports"
    for m, status in (("2026-08", "ok"), ("2026-09", "ok"), ("2026-11", "failed")):
        (reports / m).mkdir(parents=True)
        (reports / m / "manifest.json").write_text(json.dumps({"status": status}))
    assert bi.update_latest(reports).name == "2026-09"
    assert os.readlink(reports / "latest") == "2026-09"
    orig = os.symlink

    def no_links(*a, **k):
        raise OSError("symbolic links not supported here")

    try:
        os.symlink = no_links
        bi.update_latest(reports)
    finally:
        os.symlink = orig
    assert not (reports / "latest").is_symlink()
    assert (reports / "latest" / "LATEST_MONTH").read_text().strip() == "2026-09"
