"""One figure per fact: the check finds every kind of disagreement, and none on an agreeing run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salesnb.report import facts as F


def test_shown_numbers_know_their_precision():
    got = F.shown_numbers("Revenue $681.03k, 31.6 % won, 1,234 deals, 1.34×, -$5.2M, FY2026")
    assert (681030.0, 5.0, "k") in [(round(v, 6), round(h, 6), s) for v, h, s in got]
    assert any(abs(v - 0.316) < 1e-12 and s == "%" for v, _, s in got)
    assert (1234.0, 0.5, "") in got
    assert any(abs(v + 5.2e6) < 1e-6 and s == "M" for v, _, s in got)
    assert not any(v == 2026 for v, _, _ in got)  # part of a word


@pytest.mark.parametrize("text, value, unit, expected", [
    ("High-value customers at risk (15; $681.03k trailing revenue)", 681027.06, "money", True),
    ("High-value customers at risk (15; $681.03k trailing revenue)", 15, "count", True),
    ("about $0.7M", 681027.06, "money", False),  # too coarse to be evidence
    ("Win rate 31.6 %", 0.315924, "ratio", True),
    ("Win rate 0.32", 0.315924, "ratio", False),  # a raw fraction is not how a ratio is shown
    ("P(miss) 15.5 %", 0.15495, "ratio", True),
    ("P(miss) 16 %", 0.15495, "ratio", False),
])
def test_shows(text, value, unit, expected):
    assert F.shows(text, value, unit=unit) is expected


def _run(folder: Path, results: dict[str, dict], pages: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps({"notebooks": [
        {"name": nb, "status": "ok"} for nb in results]}))
    for nb, res in results.items():
        (folder / f"{nb}.results.json").write_text(json.dumps({"results": res}))
        (folder / f"{nb}.html").write_text(f"<html><body>{pages.get(nb, '')}</body></html>")
    return folder


def _agreeing() -> tuple[dict, dict]:
    results = {
        F.DATA: {"revenue_month": 1361645.98},
        F.PERF: {"attainment": {"mtd": {"actual": 1361645.98}, "qtd": {"actual": 1361645.98},
                                "ytd": {"actual": 12484499.72}},
                 "win_rate": 0.3159, "funnel_company": {"win_rate": 0.3159}},
        F.RISK: {"customers_at_risk_high_value": 15, "revenue_at_risk_high_value": 681027.06,
                 "p_miss": {"p_miss": 0.15495},
                 "discount_creep": [{"category": "Hardware", "creep": True, "rise": 0.067}],
                 "register": [
                     {"indicator": "Largest 12-month discount rise (creep if significant)",
                      "entity": "category:Hardware", "rag": "red", "value": 0.067},
                     {"indicator": "Probability of missing the 2026Q4 target", "rag": "green",
                      "value": 0.15495}]},
        F.SUMMARY: {"tiles": {
            "revenue_mtd": {"figures": [{"source": f"{F.PERF}:attainment.mtd.actual",
                                         "value": 1361645.98}]},
            "revenue_qtd": {"figures": [{"source": f"{F.PERF}:attainment.qtd.actual",
                                         "value": 1361645.98}]},
            "revenue_ytd": {"figures": [{"source": f"{F.PERF}:attainment.ytd.actual",
                                         "value": 12484499.72}]},
            "win_rate": {"figures": [{"source": f"{F.PERF}:win_rate", "value": 0.3159}]},
            "at_risk": {"figures": [
                {"source": f"{F.RISK}:customers_at_risk_high_value", "value": 15},
                {"source": f"{F.RISK}:revenue_at_risk_high_value", "value": 681027.06}]},
            "forecast_q": {"figures": [{"source": f"{F.RISK}:1 - p_miss.p_miss",
                                        "value": 1 - 0.15495}]},
        }},
    }
    pages = {
        F.PERF: "MTD $1,361,646 QTD $1,361,646 YTD $12,484,500; company win rate 31.6 %",
        F.RISK: "P(miss) 15.5 %. High-value customers at risk (15; $681.03k trailing revenue)",
    }
    return results, pages


def test_an_agreeing_run_has_no_problems(tmp_path):
    results, pages = _agreeing()
    assert F.check_facts(_run(tmp_path, results, pages)) == []


def test_each_kind_of_disagreement_is_named(tmp_path):
    results, pages = _agreeing()
    results[F.DATA]["revenue_month"] = 1361000.0                      # another page disagrees
    pages[F.PERF] = pages[F.PERF].replace("31.6 %", "")                 # the owner does not show it
    results[F.SUMMARY]["tiles"]["at_risk"]["figures"][0]["source"] = f"{F.RISK}:customers_at_risk"
    results[F.RISK]["discount_creep"][0]["creep"] = False               # register red, table "no"
    results[F.RISK]["register"][1]["value"] = 0.2
    problems = F.check_facts(_run(tmp_path, results, pages))
    text = "\n".join(problems)
    assert "revenue_mtd: 00_data_overview publishes revenue_month = 1,361,000.00" in text
    assert "win_rate: 02_performance_review publishes win_rate = 0.3159 but its page does not" in text
    assert "customers_at_risk: the summary tile 'at_risk' reads 05_risk_monitoring:customers_at_risk" in text
    assert "discount_creep: the register marks category:Hardware red while its own table" in text
    assert "p_miss_official: the register shows 0.2" in text
    assert len(problems) == 5, problems


def test_a_fact_the_owner_did_not_publish_is_not_checked(tmp_path):
    results, pages = _agreeing()
    del results[F.PERF]["win_rate"]
    del results[F.PERF]["funnel_company"]
    results[F.SUMMARY]["tiles"]["win_rate"] = {"figures": []}
    assert F.check_facts(_run(tmp_path, results, pages)) == []
