"""Month over month on hand-made month folders with known answers."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from salesnb.deliver import mom


def _write(folder: Path, month: str, *, status: str = "ok", revenue: float, qtd: float, coaching: list[str],
           forecast: dict[str, tuple[float, float, float]], p_miss: dict | None, alerts: list[dict]) -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"month": month, "status": status, "notebooks": []}))

    def res(nb: str, results: dict) -> None:
        (folder / f"{nb}.results.json").write_text(json.dumps({"notebook": nb, "month": month,
                                                               "results": results}))

    res("00_data_overview", {"revenue_month": revenue})
    res("02_performance_review", {
        "attainment": {"mtd": {"actual": revenue, "target": 100.0, "attainment": revenue / 100.0},
                       "qtd": {"actual": qtd, "target": 290.0, "attainment": qtd / 290.0}},
        "coaching": [{"rep_id": r, "weakest_stage": "Proposal"} for r in coaching]})
    res("03_market_trends", {"forecast": [{"period": p, "series": "Company", "mean": m, "lo80": lo, "hi80": hi}
                                          for p, (m, lo, hi) in forecast.items()]
                             + [{"period": "2026-12", "series": "North", "mean": 1.0, "lo80": 0.0, "hi80": 2.0}]})
    counts = {s: sum(a["severity"] == s for a in alerts) for s in ("critical", "warning", "info")}
    res("05_risk_monitoring", {"alerts": counts, **({"p_miss": p_miss} if p_miss else {})})
    (folder / mom.ALERTS_FILE).write_text(json.dumps(alerts))
    return folder


def _alert(aid: str, severity: str) -> dict:
    return {"id": aid, "severity": severity, "message": f"{aid} is {severity}"}


@pytest.fixture
def reports(tmp_path) -> Path:
    r = tmp_path / "reports"
    _write(r / "2026-08", "2026-08", revenue=90.0, qtd=180.0, coaching=["R3"],
           forecast={"2026-09": (95.0, 90.0, 105.0)},
           p_miss={"quarter": "2026Q3", "expected": 280.0, "p10": 260.0, "p90": 300.0, "p_miss": 0.3,
                   "target": 290.0, "remaining_months": 1},
           alerts=[_alert("old", "warning")])
    _write(r / "2026-09", "2026-09", revenue=100.0, qtd=300.0, coaching=["R2", "R3"],
           forecast={"2026-10": (100.0, 95.0, 104.0)},
           p_miss={"quarter": "2026Q4", "expected": 320.0, "p10": 300.0, "p90": 340.0, "p_miss": 0.6,
                   "target": 330.0, "remaining_months": 3},
           alerts=[_alert("a", "warning"), _alert("c", "critical"), _alert("d", "warning")])
    _write(r / ".build-2026-10-xyz", "2026-10", revenue=110.0, qtd=110.0, coaching=["R1", "R2"],
           forecast={"2026-11": (105.0, 95.0, 115.0)},
           p_miss={"quarter": "2026Q4", "expected": 325.0, "p10": 310.0, "p90": 340.0, "p_miss": 0.5,
                   "target": 330.0, "remaining_months": 2},
           alerts=[_alert("a", "critical"), _alert("b", "warning"), _alert("d", "warning")])
    return r


def test_kpi_deltas_alerts_and_coaching_against_the_previous_good_month(reports):
    m = mom.compare(reports / ".build-2026-10-xyz", month="2026-10", lang="en")
    assert m.previous == "2026-09" and "2026-09" in m.note
    k = m.kpis.set_index("figure")
    assert k.loc["revenue_mtd", "now"] == 110.0 and k.loc["revenue_mtd", "before"] == 100.0
    assert k.loc["revenue_mtd", "change"] == pytest.approx(10.0)
    assert k.loc["revenue_mtd", "change_pct"] == pytest.approx(0.10)
    assert k.loc["attain_mtd", "change"] == pytest.approx(0.10) and pd.isna(k.loc["attain_mtd", "change_pct"])
    assert k.loc["forecast_mean", "now"] == 325.0 and k.loc["p_hit", "before"] == pytest.approx(0.4)
    assert k.loc["alerts_critical", "now"] == 1 and k.loc["alerts_critical", "before"] == 1
    assert "revenue_qtd" not in k.index  # September is in another quarter: no QTD comparison
    assert k.loc["revenue_mtd", "unit"] == "money"
    a = m.alerts.set_index("id")
    assert a.loc["b", "status"] == "new"
    assert a.loc["a", "status"] == "persisting" and a.loc["a", "change"] == "worse"
    assert a.loc["d", "status"] == "persisting" and a.loc["d", "change"] == ""
    assert a.loc["c", "status"] == "resolved"
    assert list(m.alerts.id) == ["b", "a", "d", "c"]  # new, persisting (critical first), resolved
    c = dict(zip(m.coaching.rep_id, m.coaching.status, strict=True))
    assert c == {"R1": "joined", "R2": "stays", "R3": "left"}
    js = m.as_json()
    assert js["alerts"] == {"new": 1, "persisting": 2, "resolved": 1}
    assert js["coaching"] == {"joined": ["R1"], "left": ["R3"], "stays": ["R2"]}
    shown = mom.kpi_table(m, lang="zh-CN")
    assert list(shown.columns) == ["指标", "本月", "上期", "变化"] and "本月收入" in set(shown["指标"])


def test_forecast_track_accumulates_over_the_months_available(reports):
    track, acc = mom.forecast_track(reports / ".build-2026-10-xyz", month="2026-10")
    rev = track[track.kind == "revenue"].set_index("period")
    assert list(rev.index) == ["2026-09", "2026-10"]
    assert rev.loc["2026-09", "made_in"] == "2026-08" and rev.loc["2026-09", "error"] == pytest.approx(5.0)
    assert bool(rev.loc["2026-09", "inside_80"]) and not bool(rev.loc["2026-10", "inside_80"])
    assert rev.loc["2026-10", "error_pct"] == pytest.approx(10.0 / 110.0)
    assert acc["months_checked"] == 2
    assert acc["mape"] == pytest.approx((5.0 / 100.0 + 10.0 / 110.0) / 2)
    assert acc["inside_80"] == pytest.approx(0.5)
    q = track[track.kind == "quarter"].set_index("made_in")
    # August's forecast of Q3 resolved by September's quarter to date: 300 against target 290: hit
    assert q.loc["2026-08", "status"] == "checked" and q.loc["2026-08", "actual"] == 300.0
    assert bool(q.loc["2026-08", "hit"]) and q.loc["2026-08", "p_hit"] == pytest.approx(0.7)
    assert q.loc["2026-09", "status"] == "pending" and q.loc["2026-10", "status"] == "pending"
    assert acc["quarters_checked"] == 1 and acc["quarters_pending"] == 2
    assert acc["brier_p_hit"] == pytest.approx(0.09)
    m = mom.compare(reports / ".build-2026-10-xyz", month="2026-10")
    for lang in ("en", "zh-CN"):
        shown = mom.track_table(m, lang=lang)
        assert shown.shape == (len(track), 11) and shown.columns.is_unique


def test_a_missing_previous_month_is_a_note_and_a_failed_month_is_skipped(reports, tmp_path):
    first = mom.compare(reports / "2026-08", month="2026-08", lang="en")
    assert first.previous is None and "No earlier good month" in first.note and first.kpis.empty
    zh = mom.compare(reports / "2026-08", month="2026-08", lang="zh-CN").note
    assert reports.name not in zh and str(tmp_path) not in zh and str(tmp_path) not in first.note  # no folder or path
    manifest = reports / "2026-09" / "manifest.json"
    manifest.write_text(json.dumps({"month": "2026-09", "status": "failed"}))
    m = mom.compare(reports / ".build-2026-10-xyz", month="2026-10")
    assert m.previous == "2026-08" and "in between" in m.note
    assert m.track[m.track.kind == "revenue"].empty  # August forecast September, not October
    alone = tmp_path / "elsewhere" / "2026-10"
    alone.mkdir(parents=True)
    assert mom.compare(alone, month="2026-10").previous is None


def test_earlier_months_are_looked_for_beside_the_run_folder(tmp_path, monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setenv("SALESNB_HOME", str(tmp_path / "project"))
    assert mom._reports(SimpleNamespace(out=tmp_path / "r" / ".build-2026-10-abc")) == tmp_path / "r"
    assert mom._reports(SimpleNamespace(out=tmp_path / "r" / "2026-10")) == tmp_path / "r"
    assert mom._reports(SimpleNamespace(out=tmp_path / "x" / "interactive" / "2026-10")) == \
        tmp_path / "project" / "reports"


def test_both_languages_have_every_text():
    """The mail and month-over-month texts live in the one catalogue, in both languages, with the same
    placeholders (the catalogue tests in test_i18n check every entry; this checks these families)."""
    import string

    from salesnb.locale import en, zh_CN

    ids = [k for k in en.MESSAGES if k.startswith(("mom.", "mail."))]
    assert len(ids) > 60 and "mail.subject.leader" in ids and "mom.h.kpis" in ids
    for k in ids:
        fields = {f for _, f, _, _ in string.Formatter().parse(en.MESSAGES[k]) if f}
        assert fields == {f for _, f, _, _ in string.Formatter().parse(zh_CN.MESSAGES[k]) if f}, k
    assert mom._t("zh-CN", "h") == "环比变化" and mom._t("en", "h") == "Month over month"


def test_quarters_follow_the_published_fiscal_year(tmp_path):
    """A February fiscal year: January and February are in different quarters (QTD not compared),
    and the quarter forecast made in November is resolved by January's report (its last month),
    not December's."""
    r = tmp_path / "reports"
    fq = {"quarter": "FY2026 Q4", "first_month": "2026-11", "last_month": "2027-01", "expected": 320.0,
          "p10": 300.0, "p90": 340.0, "p_miss": 0.4, "target": 330.0, "remaining_months": 3}
    for month, qtd in (("2026-10", 100.0), ("2026-11", 100.0), ("2026-12", 210.0), ("2027-01", 330.0),
                       ("2027-02", 90.0)):
        f = _write(r / month, month, revenue=qtd, qtd=qtd, coaching=[], forecast={}, alerts=[],
                   p_miss=fq if month == "2026-10" else None)
        for nb in ("02_performance_review", "05_risk_monitoring"):
            doc = json.loads((f / f"{nb}.results.json").read_text())
            doc["results"]["fiscal_year_start"] = 2
            (f / f"{nb}.results.json").write_text(json.dumps(doc))
    now, before = mom._load(r / "2027-02", "2027-02"), mom._load(r / "2027-01", "2027-01")
    kpis = mom.kpi_deltas(now, before, month="2027-02", previous="2027-01")
    assert "revenue_qtd" not in set(kpis.get("kpi", kpis.iloc[:, 0]))
    now, before = mom._load(r / "2027-01", "2027-01"), mom._load(r / "2026-12", "2026-12")
    assert "revenue_qtd" in set(mom.kpi_deltas(now, before, month="2027-01", previous="2026-12").iloc[:, 0])
    track, _ = mom.forecast_track(r / "2027-02", month="2027-02", reports=r)
    q = track[track.kind == "quarter"].iloc[0]
    assert (q.period, q.actual, q.status, bool(q.hit)) == ("FY2026 Q4", 330.0, "checked", True)


def test_a_trend_quarter_forecast_is_tracked_when_there_is_no_pipeline(tmp_path):
    """Without opportunities 05 publishes no P(miss); the summary shows 03's quarter forecast, so
    the accuracy track checks that one against the quarter's outcome (no P(hit), no target)."""
    r = tmp_path / "reports"
    tq = {"quarter": "2026Q4", "first_month": "2026-10", "last_month": "2026-12", "booked": 100.0,
          "expected": 320.0, "lo80": 300.0, "hi80": 340.0, "months_forecast": 2}
    for month, qtd in (("2026-10", 100.0), ("2026-11", 210.0), ("2026-12", 330.0)):
        f = _write(r / month, month, revenue=qtd, qtd=qtd, coaching=[], forecast={}, alerts=[], p_miss=None)
        doc = json.loads((f / "03_market_trends.results.json").read_text())
        doc["results"]["forecast_quarter"] = tq if month == "2026-10" else None
        (f / "03_market_trends.results.json").write_text(json.dumps(doc))
    track, _ = mom.forecast_track(r / "2026-12", month="2026-12", reports=r)
    q = track[track.kind == "quarter"].iloc[0]
    assert (q.period, q.forecast, q.lo80, q.hi80, q.actual, q.status) == ("2026Q4", 320.0, 300.0, 340.0, 330.0, "checked")
    assert bool(q.inside_80) and q.p_hit is None and q.hit is None


def test_without_a_previous_month_the_note_names_no_folder_and_no_heading_shows_a_dash(tmp_path, monkeypatch):
    """Real packs said "No previous good month in ss-en: …" (the output folder's name, nothing a leader
    knows) and headed page 05's section "Alerts against –"."""
    from types import SimpleNamespace

    import salesnb as sn

    folder = tmp_path / "ss-en" / "2026-08"
    folder.mkdir(parents=True)
    for lang in ("en", "zh-CN"):
        note = mom.compare(folder, month="2026-08", lang=lang).note
        assert "ss-en" not in note and str(tmp_path) not in note
    assert mom.compare(folder, month="2026-08").note == (
        "No earlier good month of this pack to compare with: month-over-month comparison starts next month.")
    assert mom.compare(folder, month="2026-08", lang="zh-CN").note == "本报告包没有更早的成功月份可供比较：环比比较将从下个月开始。"
    shown: list[str] = []
    monkeypatch.setattr(sn, "heading", lambda text, level=2: shown.append(str(text)))
    monkeypatch.setattr(sn, "note", lambda text, kind="info": shown.append(str(text)))
    monkeypatch.setattr(sn, "publish", lambda name, value, **kw: value)
    for lang, heading in (("en", "Alerts month over month"), ("zh-CN", "预警环比变化")):
        shown.clear()
        m = mom.show_risk_changes(SimpleNamespace(out=folder, month="2026-08", lang=lang))
        assert m.previous is None and shown[0] == heading and not any("–" in s for s in shown), shown


def test_kpi_changes_never_show_a_negative_zero():
    """A change that rounds to zero reads "+$0" / "0.0 pp", not "−$0" / "-0.0 pp"."""
    assert mom._fmt(-0.3, "money", signed=True) == "+$0" and mom._fmt(-2.0, "money", signed=True) == "−$2"
    assert mom._fmt(-0.00004, "pct", signed=True) == "0.0 pp" and mom._fmt(0.012, "pct", signed=True) == "+1.2 pp"
    assert mom._fmt(-0.4, "count", signed=True) == "+0" and mom._fmt(-0.001, "ratio", signed=True) == "+0.00×"
