"""Month over month on two consecutive months of the demo pack."""

from __future__ import annotations

import json

import pytest

from salesnb.deliver import mom

pytestmark = [pytest.mark.slow, pytest.mark.extended]


def _results(folder, nb):
    return json.loads((folder / f"{nb}.results.json").read_text(encoding="utf-8"))["results"]


def _alert_ids(folder):
    return {a["id"] for a in json.loads((folder / mom.ALERTS_FILE).read_text(encoding="utf-8"))}


def test_summary_and_risk_page_compare_with_the_previous_month(hostile_pack):
    sep, oct_ = hostile_pack.month("2026-09"), hostile_pack.month("2026-10")
    # the first month has nothing to compare with: a note, not a failure
    first = _results(sep, "executive_summary")["month_over_month"]
    assert first["previous"] is None and first["kpis"] == []
    assert "No previous good month" in (sep / "executive_summary.html").read_text(encoding="utf-8")
    assert _results(sep, "05_risk_monitoring")["alert_changes"]["previous"] is None
    got = _results(oct_, "executive_summary")["month_over_month"]
    assert got["previous"] == "2026-09"
    kpis = {k["figure"]: k for k in got["kpis"]}
    perf_now, perf_before = _results(oct_, "02_performance_review"), _results(sep, "02_performance_review")
    assert kpis["revenue_mtd"]["now"] == pytest.approx(perf_now["attainment"]["mtd"]["actual"])
    assert kpis["revenue_mtd"]["before"] == pytest.approx(perf_before["attainment"]["mtd"]["actual"])
    assert kpis["revenue_mtd"]["change"] == pytest.approx(
        perf_now["attainment"]["mtd"]["actual"] - perf_before["attainment"]["mtd"]["actual"], rel=1e-9)
    # alerts by stable id
    now_ids, before_ids = _alert_ids(oct_), _alert_ids(sep)
    want = {"new": len(now_ids - before_ids), "persisting": len(now_ids & before_ids),
            "resolved": len(before_ids - now_ids)}
    assert got["alerts"] == want
    risk = _results(oct_, "05_risk_monitoring")["alert_changes"]
    assert risk["previous"] == "2026-09" and {k: risk[k] for k in want} == want
    assert set(risk["new_ids"]) == now_ids - before_ids
    # coaching list moves
    c_now = {r["rep_id"] for r in perf_now.get("coaching", [])}
    c_before = {r["rep_id"] for r in perf_before.get("coaching", [])}
    assert got["coaching"] == {"joined": sorted(c_now - c_before), "left": sorted(c_before - c_now),
                               "stays": sorted(c_now & c_before)}
    # forecast track: September's forecast of October against October's revenue
    fc = next(r for r in _results(sep, "03_market_trends")["forecast"]
              if r["period"] == "2026-10" and r["series"] == "Company")
    track, acc = mom.forecast_track(oct_, month="2026-10", reports=hostile_pack.reports)
    row = track[(track.kind == "revenue") & (track.period == "2026-10")].iloc[0]
    assert row.made_in == "2026-09" and row.forecast == pytest.approx(fc["mean"])
    assert row.actual == pytest.approx(perf_now["attainment"]["mtd"]["actual"])
    assert bool(row.inside_80) == (fc["lo80"] <= row.actual <= fc["hi80"])
    assert got["accuracy"]["months_checked"] == acc["months_checked"] == 1
    assert got["accuracy"]["quarters_pending"] >= 1  # 2026Q4 resolves with the December report
    page = (oct_ / "executive_summary.html").read_text(encoding="utf-8")
    assert "Month over month" in page and "Forecast accuracy" in page
