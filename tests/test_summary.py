"""Executive summary: figures read as published, missing ones named, both languages, escaped HTML,
the results loader, the leadership pack, and the CJK font of the chart theme."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from salesnb import summary as S
from salesnb.i18n import LANGS, STRINGS, normalise, page_title, t
from salesnb.report import pack
from salesnb.report.results import load_results
from tests.conftest import skip_unless_ci

HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
MONTH = "2026-10"

RESULTS = {
    "00_data_overview": {"revenue_month": 1361645.98, "as_of": "2026-10-31"},
    "02_performance_review": {
        "attainment": {"mtd": {"actual": 1361645.98, "target": 1500000.0},
                       "qtd": {"actual": 1361645.98, "target": 1500000.0},
                       "ytd": {"actual": 12000000.0, "target": 11000000.0}},
        "win_rate": 0.3125,
    },
    "04_customer_segmentation": {"nrr": 0.978},
    "05_risk_monitoring": {
        "p_miss": {"expected": 5538255.656, "p10": 4968803.251, "p90": 6109973.496, "p_miss": 0.1634,
                   "target": 5101885.0},
        "coverage": [
            {"team": "A", "period": "2026Q4", "pipeline": 300.0, "remaining": 100.0},
            {"team": "B", "period": "2026Q4", "pipeline": 100.0, "remaining": 100.0},
            {"team": "A", "period": "2027Q1", "pipeline": 999.0, "remaining": 1.0},
        ],
        "revenue_at_risk_high_value": 1222585.23,
        "register": [
            {"indicator": "HHI customers", "entity": "company", "value": 1800, "threshold": 1500,
             "rag": "amber", "owner": "Head of Sales"},
            {"indicator": f"Overdue {HOSTILE[0]}", "entity": f"customer:{HOSTILE[1]}", "value": 0.22,
             "threshold": 0.15, "rag": "red", "owner": "Customer Success"},
            {"indicator": "Calm", "entity": "company", "value": 1, "threshold": 2, "rag": "green"},
        ],
    },
}
STATUS = {"00_data_overview": "ok", "01_goal_decomposition": "missing",
          "02_performance_review": "ok", "03_market_trends": "failed",
          "04_customer_segmentation": "ok", "05_risk_monitoring": "ok"}


def _tile(s, key):
    return next(x for x in s.tiles if x.key == key)


# ----------------------------------------------------------------------------------- i18n
def test_every_string_has_both_languages():
    for key, entry in STRINGS.items():
        assert set(entry) == set(LANGS), key
        # the same placeholders in both languages
        ph = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in entry.items()}
        assert ph["en"] == ph["zh-CN"], key


def test_t_fallbacks_and_normalise():
    assert t("tile.win_rate", "zh-CN") == "赢单率"
    assert t("tile.win_rate", "zh_cn") == "赢单率"
    assert t("no.such.key", "zh-CN") == "no.such.key"
    assert t("as_of", "en", date="2026-10-31") == "Data as of 2026-10-31."
    assert t("as_of", "en") == "Data as of {date}."  # a missing placeholder stays
    assert normalise("") == "en"
    with pytest.raises(ValueError, match="one of"):
        normalise("fr")
    assert page_title("07_new_report") == "New report"
    assert page_title("05_risk_monitoring", "zh-CN") == "风险监控"


# -------------------------------------------------------------------------------- figures
def test_tiles_read_the_published_figures_exactly():
    s = S.build(RESULTS, STATUS, month=MONTH, lang="en")
    mtd = _tile(s, "revenue_mtd")
    assert mtd.text == "$1,361,646" and mtd.rag == "amber"  # 90.8 % of target
    assert "90.8 %" in mtd.sub and "$1,500,000" in mtd.sub
    assert mtd.figures[0].source == "02_performance_review:attainment.mtd.actual"
    assert mtd.href == "02_performance_review.html"
    assert _tile(s, "revenue_ytd").rag == "green"
    fc = _tile(s, "forecast_q")
    assert fc.text == "$5,538,256" and fc.rag == "green"
    assert "$4,968,803" in fc.sub and "$6,109,973" in fc.sub and "84 %" in fc.sub
    cov = _tile(s, "coverage")
    assert cov.text == "2.00×"  # (300 + 100) / (100 + 100), this quarter only
    assert cov.rag == "amber"
    assert _tile(s, "win_rate").text == "31.3 %"  # 0.3125: a tie rounds away from zero, as fmt does everywhere
    assert _tile(s, "nrr").text == "97.8 %" and _tile(s, "nrr").rag == "amber"
    risk = _tile(s, "at_risk")
    assert risk.text == "$1,222,585"  # the count is not published: the revenue stands alone
    assert {"figure": "High-value customers at risk (count)", "notebook": "05_risk_monitoring",
            "key": "customers_at_risk_high_value"}.items() <= s.missing[0].items()


def test_figures_fall_back_and_missing_reports_are_named():
    res = {"00_data_overview": RESULTS["00_data_overview"]}
    st = {**{k: "missing" for k in STATUS}, "00_data_overview": "ok", "05_risk_monitoring": "failed"}
    s = S.build(res, st, month=MONTH, lang="en")
    mtd = _tile(s, "revenue_mtd")
    assert mtd.text == "$1,361,646" and mtd.sub == "target not available"
    assert mtd.figures[0].source == "00_data_overview:revenue_month"
    fc = _tile(s, "forecast_q")
    assert fc.text == "not available" and "Risk monitoring failed" in fc.sub
    assert _tile(s, "win_rate").sub == "the report Performance review has not been run for this month"
    text = " ".join(x.text for x in s.sentences)
    assert "Risk monitoring (failed)" in text and "Performance review (not run)" in text
    assert any(m["key"] == "register" for m in s.missing)
    assert not s.register.ok


def test_a_missing_target_is_named_as_the_target_not_as_the_revenue_shown_above_it():
    """Kaggle's Sample Sales Data has no targets: the tile shows the month's revenue, and the table of
    figures not available said "Revenue, month" was missing, the figure printed right above it."""
    res = {"00_data_overview": RESULTS["00_data_overview"],
           "05_risk_monitoring": {"revenue_at_risk_high_value": 1.0}}
    st = {**{k: "missing" for k in STATUS}, "00_data_overview": "ok", "05_risk_monitoring": "ok"}
    for lang, month, target, count in (("en", "Revenue, month", "Target, month",
                                        "High-value customers at risk (count)"),
                                       ("zh-CN", "本月收入", "本月目标", "流失风险高价值客户（人数）")):
        s = S.build(res, st, month=MONTH, lang=lang)
        assert _tile(s, "revenue_mtd").ok
        named = [m["figure"] for m in s.missing]
        assert month not in named and target in named, named
        assert count in named, named  # the tile shows the revenue at risk, its count is what is missing


def test_a_missing_figure_quotes_the_pages_own_reason_in_its_language():
    """04 publishes NRR empty with its reason (``publish(..., why=...)``): the summary quotes that
    reason, not the key's declared list of conditions; a reason written in another language than
    the summary's is not quoted, and the declared conditions are."""
    from salesnb import keys

    declared = keys.find("04_customer_segmentation", "nrr").optional
    said = "Only 0 of 28,871 customers bought on more than one day"
    res = {**RESULTS, "04_customer_segmentation": {
        "nrr": None, "why_absent": {"lang": "en", "keys": {"nrr": said + ".", "grr": said + "."}}}}
    sub = _tile(S.build(res, STATUS, month=MONTH, lang="en"), "nrr").sub
    assert sub == "Customer segmentation: o" + said[1:]  # the page and its reason (quoted: lower-cased)
    zh = _tile(S.build(res, STATUS, month=MONTH, lang="zh-CN"), "nrr").sub
    assert said not in zh and t(declared, "zh-CN") in zh
    res["04_customer_segmentation"]["why_absent"]["lang"] = "zh-CN"
    assert said in _tile(S.build(res, STATUS, month=MONTH, lang="zh-CN"), "nrr").sub


def test_publish_keeps_the_reason_of_an_empty_figure(monkeypatch):
    """``publish(name, None, why=...)`` records the reason in the page's language under
    ``why_absent``; a figure that is published ignores it."""
    import salesnb as sn
    from salesnb import context, i18n

    monkeypatch.setattr(context, "WHY_ABSENT", {})
    monkeypatch.setattr(context, "PUBLISHED", {})
    monkeypatch.delenv("SALESNB_NOTEBOOK", raising=False)
    old = i18n.get_lang()
    try:
        i18n.set_lang("zh-CN")
        sn.publish("nrr", None, why="No customer bought in the 12 months before the last 12: NRR and "
                                    "GRR skipped.")
        sn.publish("grr", 0.9, why="not a reason")
    finally:
        i18n.set_lang(old)
    got = context.PUBLISHED["why_absent"]
    assert got["lang"] == "zh-CN" and list(got["keys"]) == ["nrr"]
    assert i18n.has_cjk(got["keys"]["nrr"])


def test_narrative_five_to_eight_sentences_every_number_sourced():
    for lang in LANGS:
        s = S.build(RESULTS, STATUS, month=MONTH, lang=lang)
        assert 5 <= len(s.sentences) <= 8
        for sentence in s.sentences:
            numbers = re.findall(r"\d[\d,.]*", sentence.text.replace(MONTH, "")
                                 .replace("2026年10月", "").replace("October 2026", ""))
            if numbers and "salesnb run" not in sentence.text:
                assert sentence.sources, sentence
    en = S.build(RESULTS, STATUS, month=MONTH, lang="en").sentences
    assert en[0].text == ("Revenue in October 2026 was $1,361,646, 90.8 % of the month's target of "
                          "$1,500,000.")
    assert en[0].sources == ("02_performance_review",)
    zh = S.build(RESULTS, STATUS, month=MONTH, lang="zh-CN").sentences
    assert zh[0].text.startswith("2026年10月收入为 $1,361,646")  # no space after a written-out month


def test_no_report_run_says_so():
    s = S.build({}, {k: "missing" for k in STATUS}, month=MONTH, lang="en")
    assert len(s.sentences) == 1 and "have not been run for 2026-10" in s.sentences[0].text
    assert all(not x.ok for x in s.tiles)


def test_top_risks_red_first_and_formatted():
    risks, reg = S.top_risks(RESULTS, STATUS, n=5)
    assert reg.ok and list(risks["rag"]) == ["red", "amber"]
    assert risks.loc[0, "value"] == "0.22" and risks.loc[1, "value"] == "1,800.00"


def test_html_escapes_hostile_names_everywhere():
    s = S.build(RESULTS, STATUS, month=MONTH, lang="en")
    parts = [S.tiles_html(s.tiles), S.narrative_html(s.sentences),
             S.risks_html(s.risks, s.register), S.pages_html(STATUS, errors={"03_market_trends": HOSTILE[0]}),
             S.missing_html(s.missing)]
    out = "".join(parts)
    for h in HOSTILE:
        assert h not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<script" not in out and "onerror=" not in out.replace("&lt;img src=x onerror=", "")


def test_figures_json_is_traceable():
    s = S.build(RESULTS, STATUS, month=MONTH)
    fj = S.figures_json(s)
    json.dumps(fj)
    assert fj["coverage"]["figures"][0]["source"].startswith("05_risk_monitoring:coverage")
    assert fj["at_risk"]["figures"][1] == {"value": None, "missing": "05_risk_monitoring:customers_at_risk_high_value",
                                           "why": s.missing[0]["why"]}


# -------------------------------------------------------------------------------- loader
def _write(folder: Path, name: str, results: dict, month: str = MONTH) -> None:
    (folder / f"{name}.results.json").write_text(
        json.dumps({"notebook": name, "month": month, "results": results}), encoding="utf-8")


def test_load_results_statuses(tmp_path):
    _write(tmp_path, "00_data_overview", {"revenue_month": 1.0, "as_of": "2026-10-31"})
    _write(tmp_path, "03_market_trends", {"x": 1}, month="2026-09")
    (tmp_path / "02_performance_review.ipynb").write_text("{}")  # executed, no results: failed
    _write(tmp_path, "07_extra", {"y": 2})
    run = load_results(tmp_path, month=MONTH)
    assert run.status["00_data_overview"] == "ok" and run.results["00_data_overview"]["revenue_month"] == 1.0
    assert run.status["02_performance_review"] == "failed"
    assert run.status["03_market_trends"] == "stale"
    assert run.status["05_risk_monitoring"] == "missing"
    assert run.status["07_extra"] == "ok"
    assert run.as_of == "2026-10-31" and run.any_ok
    # the manifest's word wins: a notebook it marks failed is failed
    (tmp_path / "manifest.json").write_text(json.dumps({"month": MONTH, "as_of": "2026-10-31", "notebooks": [
        {"name": "00_data_overview", "status": "failed", "error": "boom"}]}))
    run = load_results(tmp_path, month=MONTH)
    assert run.status["00_data_overview"] == "failed" and run.errors["00_data_overview"] == "boom"
    assert not load_results(tmp_path / "nowhere", month=MONTH).any_ok


# ---------------------------------------------------------------------------------- pack
def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>.x{{}}</style><title>{title}</title>'
            f'</head><body class="jp-Notebook"><main><div class="sn-topbar"><span>{title}</span>'
            f'<a href="index.html">back</a></div>{body}</main></body></html>')


def test_pack_one_file_toc_internal_links(tmp_path):
    (tmp_path / "executive_summary.html").write_text(_page(
        "Summary", '<h2 id="Top">Top</h2><a href="05_risk_monitoring.html">risk</a>'
        f"<p>{'&lt;script&gt;alert(1)&lt;/script&gt;'}</p>"), encoding="utf-8")
    (tmp_path / "05_risk_monitoring.html").write_text(_page(
        "Risk", '<h2 id="Top">Register</h2><a href="#Top">self</a><a href="05_risk_monitoring.alerts.json">'
        "alerts</a>"), encoding="utf-8")
    manifest = {"month": MONTH, "source": "demo", "as_of": "2026-10-31", "data_fingerprint": "abc",
                "finished": "now", "status": "ok", "notebooks": [
                    {"name": "executive_summary", "status": "ok", "seconds": 1.0, "title": "Executive summary"},
                    {"name": "05_risk_monitoring", "status": "ok", "seconds": 1.0, "title": "Risk"},
                    {"name": "03_market_trends", "status": "failed", "seconds": 1.0, "error": "x"}]}
    out = pack.build_pack(tmp_path, manifest)
    doc = out.read_text(encoding="utf-8")
    assert doc.index('id="sec-executive_summary"') < doc.index('id="sec-05_risk_monitoring"')
    assert 'href="#sec-05_risk_monitoring"' in doc  # page link → section
    assert 'id="05_risk_monitoring--Top"' in doc and 'href="#05_risk_monitoring--Top"' in doc
    assert 'id="executive_summary--Top"' in doc  # ids unique per section
    assert 'href="05_risk_monitoring.alerts.json"' in doc  # files stay relative links
    assert "sn-topbar" not in doc and "<script" not in doc
    assert "Content-Security-Policy" in doc and "size: A4" in doc and "break-before: page" in doc
    assert doc.count("<style>.x{}</style>") == 1
    assert 'href="leadership-pack.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_pack_pdf(tmp_path):
    if pack.find_browser() is None:
        skip_unless_ci("no Chromium")
    (tmp_path / "executive_summary.html").write_text(_page("Summary", "<h2 id='a'>汉字 text</h2>"),
                                                     encoding="utf-8")
    manifest = {"month": MONTH, "source": "demo", "notebooks": [
        {"name": "executive_summary", "status": "ok", "seconds": 1.0}], "data_fingerprint": "x",
        "finished": "now", "status": "ok"}
    pack.build_pack(tmp_path, manifest, pdf=True)
    pdf = tmp_path / pack.PACK_PDF
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert 'href="leadership-pack.pdf"' in (tmp_path / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ CJK font
def test_cjk_font_covers_chinese_and_renders_without_missing_glyphs():
    import io

    import matplotlib.pyplot as plt
    from matplotlib import font_manager as fm
    from matplotlib.ft2font import FT2Font

    from salesnb import viz

    name = viz.cjk_font()
    if name is None:
        skip_unless_ci("no CJK font installed (Debian: fonts-noto-cjk)")
    viz.set_theme(lang="zh-CN")
    assert plt.rcParams["font.sans-serif"][0] == name
    path = fm.findfont(fm.FontProperties(family=name), fallback_to_default=False)
    charmap = FT2Font(path).get_charmap()
    text = "管理层摘要本月收入目标完成率季度预测风险客户赢单率"
    assert all(ord(c) in charmap for c in text)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [-1, 3])
    ax.set_title(text)
    ax.set_xlabel(t("label.month", "zh-CN"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    assert not [w for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]
    viz.set_theme(lang="en")  # English keeps a Latin font first and the CJK font as fallback
    assert plt.rcParams["font.sans-serif"][:2] == ["DejaVu Sans", name]


def test_quarter_probability_comes_from_the_forecasts_own_report():
    """Goal decomposition prices its own plan, risk monitoring the targets table: never mix them."""
    from salesnb import summary

    results = {
        "05_risk_monitoring": {"p_miss": {"expected": 106.0, "p10": 102.0, "p90": 110.0,
                                          "p_miss": 0.15, "target": 103.0}},
        "01_goal_decomposition": {"p_hit_quarter": 0.04},
    }
    status = {k: "ok" for k in results}
    s = summary.build(results, status, month="2026-10", lang="en")
    tile = next(t for t in s.tiles if t.key == "forecast_q")
    assert "85 %" in tile.sub and "4 %" not in tile.sub
    text = " ".join(x.text for x in s.sentences)
    assert "85 %" in text


def test_line_chart_puts_text_periods_in_time_order():
    """A team median that starts before the rep's first month must not be drawn after it."""
    import matplotlib.dates as mdates
    import pandas as pd

    from salesnb import viz

    d = pd.DataFrame({"period": ["2026-03", "2026-04", "2025-11", "2025-12"],
                      "revenue": [3.0, 4.0, 1.0, 2.0], "who": ["rep", "rep", "team", "team"]})
    ax = viz.line(d, x="period", y="revenue", hue="who", title="t", xlabel="Month", ylabel="USD")
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 2]
    starts = sorted(mdates.num2date(float(ln.get_xdata()[0])).date() for ln in lines)
    assert [str(x) for x in starts] == ["2025-11-01", "2026-03-01"]  # a time axis, not categories
    q = viz._time_axis(pd.DataFrame({"q": ["2026Q1", "2025Q4"], "v": [1, 2]}), "q")
    assert list(q.q) == [pd.Timestamp("2025-10-01"), pd.Timestamp("2026-01-01")]
    m = viz._time_axis(d, "period")
    assert list(m.period) == sorted(m.period)


def test_register_names_with_parameters_reach_the_summary_translated():
    """05 publishes its parameterised indicator names as messages; the summary (another kernel, so a
    process that never made them) shows them in Chinese from the template, not by matching text."""
    from salesnb import i18n, risk
    from salesnb.i18n import Message
    from salesnb.jsonable import to_jsonable

    i18n.set_lang("en")
    rows = [risk.indicator("operational", "discount_creep", 0.04, amber=0.01, red=0.03,
                           description=Message("Largest {n}-month discount rise (creep if significant)", n=12)),
            risk.indicator("pipeline", "coverage_needed", 0.5, amber=1.5, red=1.0, higher_is_worse=False,
                           entity="team:N-1", unit="ratio",
                           description=Message("Pipeline coverage of the gap ({quarter})", quarter="2026Q4"))]
    register = risk.risk_register(rows)
    msgs = risk.register_messages(register)
    assert msgs == {
        "Largest 12-month discount rise (creep if significant)":
            {"msgid": "Largest {n}-month discount rise (creep if significant)", "params": {"n": "12"}},
        "Pipeline coverage of the gap (2026Q4)":
            {"msgid": "Pipeline coverage of the gap ({quarter})", "params": {"quarter": "2026Q4"}}}
    published = json.loads(json.dumps(to_jsonable({
        "register": register[["category", "indicator", "entity", "value", "threshold", "unit", "trend",
                              "rag", "owner"]], "register_messages": msgs})))
    i18n.set_lang("zh-CN")  # a new page: forgets every message made so far
    try:
        results = {"05_risk_monitoring": published}
        status = {"05_risk_monitoring": "ok"}
        html = S.risks_html(*S.top_risks(results, status, lang="zh-CN"), lang="zh-CN")
        assert "12 个月内最大折扣升幅" in html and "商机对缺口的覆盖率（2026Q4）" in html
        assert "discount rise" not in html and "coverage of the gap" not in html
        # without the map the same names stay English (finished text is never pattern-matched)
        del results["05_risk_monitoring"]["register_messages"]
        i18n.set_lang("zh-CN")
        assert "discount rise" in S.risks_html(*S.top_risks(results, status, lang="zh-CN"), lang="zh-CN")
    finally:
        i18n.set_lang("en")


@pytest.mark.parametrize("lang", LANGS)
def test_a_figure_a_report_did_not_publish_says_the_data_it_needs(lang):
    """Superstore has no opportunities: 05 runs and publishes no coverage. The summary said "the
    report Risk monitoring does not publish coverage (yet)", which reads as a missing feature; it
    now gives the key's declared condition, in the page's language."""
    res = {**RESULTS, "05_risk_monitoring": {k: v for k, v in RESULTS["05_risk_monitoring"].items()
                                             if k != "coverage"}}
    s = S.build(res, STATUS, month=MONTH, lang=lang)
    sub = _tile(s, "coverage").sub
    # every condition under which 05 publishes none, not only the first (a deals export without targets
    # was told it had no opportunities table)
    want = {"en": "Risk monitoring: no opportunities table, no targets for the quarter, or no reps table",
            "zh-CN": "「风险监控」：无商机表、该季度无目标，或无销售代表表"}
    assert sub == want[normalise(lang)], sub
    assert "(yet)" not in " ".join(m["why"] for m in s.missing)


def test_quarter_and_year_to_date_without_targets_say_no_dash_of_target():
    """Northwind has no targets: the summary read "booked $123,799 (– of target) and year to date
    $422,290 (– of target)"; without targets the sentence gives the revenue alone."""
    perf = {"attainment": {w: {"actual": v} for w, v in (("mtd", 123799.0), ("qtd", 123799.0),
                                                         ("ytd", 422290.0))}}
    res = {**RESULTS, "02_performance_review": perf}
    for lang in LANGS:
        text = " ".join(x.text for x in S.build(res, STATUS, month=MONTH, lang=lang).sentences)
        assert "–" not in text.replace("–%", "") and "$422,290" in text
    en = S.build(res, STATUS, month=MONTH, lang="en").sentences
    assert any(x.text == "Quarter to date the business has booked $123,799 and year to date $422,290."
               for x in en)


def test_without_a_pipeline_the_quarter_forecast_comes_from_the_revenue_trend():
    """Northwind, BikeStores, Superstore and Online Retail have no opportunities: 05 prices no
    pipeline, so the quarter forecast tile was empty. 03's forecast of the quarter fills it, with its
    80 % interval and no probability borrowed from another page's target; when 03 declines too, both
    reasons are given."""
    q = {"quarter": "2026Q4", "booked": 100.0, "expected": 320.0, "lo80": 300.0, "hi80": 340.0}
    risk = {**RESULTS["05_risk_monitoring"], "p_miss": None,
            "why_absent": {"lang": "en", "keys": {"p_miss": "No opportunities table: pipeline risk skipped."}}}
    res = {**RESULTS, "05_risk_monitoring": risk, "03_market_trends": {"forecast_quarter": q},
           "01_goal_decomposition": {"p_hit_quarter": 0.7}}
    st = {**STATUS, "03_market_trends": "ok", "01_goal_decomposition": "ok"}
    s = S.build(res, st, month=MONTH, lang="en")
    tile = _tile(s, "forecast_q")
    assert tile.text == "$320" and tile.figures[0].source == "03_market_trends:forecast_quarter.expected"
    assert "70" not in tile.sub and "$300" in tile.sub
    assert not any(m["key"] == "p_hit" for m in s.missing)  # 03 prices no target: nothing is missing
    assert any(x.text == "With no pipeline forecast (no opportunities table: pipeline risk skipped), the quarter "
                         "forecast comes from the revenue trend (market trends): $320 (80 % interval $300 to $340)."
               and x.sources == ("03_market_trends",) for x in s.sentences)
    res["03_market_trends"] = {"forecast_quarter": None, "why_absent": {"lang": "en", "keys": {
        "forecast_quarter": "In the backtest every model's forecasts ran 25% to 45% below the outcome."}}}
    sub = _tile(S.build(res, st, month=MONTH, lang="en"), "forecast_q").sub
    assert "no opportunities table" in sub and "ran 25% to 45% below" in sub


def test_the_pipeline_forecast_without_a_target_is_shown_with_why_there_is_no_probability():
    """Maven's deals have no targets: the quarter forecast tile said "There is no pipeline forecast (No
    targets in the data …)" though the pipeline's forecast needs none. 05 now publishes it without
    P(miss), with its reason: the tile shows the forecast, and the narrative and the missing P(hit)
    give 05's reason, not another page's."""
    said = ("No targets in the data: P(miss) and pipeline coverage are skipped, as both measure the pipeline "
            "against the quarter's target.")
    miss = {"quarter": "2026Q4", "expected": 320.0, "p10": 290.0, "p50": 318.0, "p90": 350.0,
            "booked": 100.0, "p_miss": None, "target": None, "gap": None}
    for lang, reason in (("en", said), ("zh-CN", "数据中没有目标：跳过未达成概率和商机覆盖率。")):
        risk = {**RESULTS["05_risk_monitoring"], "p_miss": miss, "coverage": None,
                "why_absent": {"lang": lang, "keys": {"p_miss": reason, "coverage": reason}}}
        res = {**RESULTS, "05_risk_monitoring": risk, "01_goal_decomposition": {"p_hit_quarter": None}}
        st = {**STATUS, "01_goal_decomposition": "ok"}
        s = S.build(res, st, month=MONTH, lang=lang)
        tile = _tile(s, "forecast_q")
        assert tile.text == "$320" and tile.figures[0].source == "05_risk_monitoring:p_miss.expected"
        assert "$290" in tile.sub and "$350" in tile.sub
        p_hit = next(m for m in s.missing if m["key"] == "p_miss.p_miss")
        # quoted after the page's name, an English reason loses its sentence capital (S.embedded)
        assert S.embedded(reason.rstrip("。."), lang=lang) in p_hit["why"]
        if lang == "en":
            assert any(x.text == "From the pipeline (what is already won, the open deals at their win rates and the run-rate of "
                                 "business outside the pipeline), "
                                 "the quarter is forecast to close at $320 (80 % interval $290 to $350); the "
                                 "probability of reaching a target is not available (" + "n" + said[1:-1] + ")."
                       for x in s.sentences), [x.text for x in s.sentences]
        else:
            assert any("按商机" in x.text and reason.rstrip("。") in x.text for x in s.sentences)


def test_publish_keeps_the_reason_of_a_figure_published_in_part(monkeypatch):
    """05's quarter forecast without a target is published without its P(miss): the reason for the part
    left out is recorded; a dict published whole records none."""
    import salesnb as sn
    from salesnb import context

    monkeypatch.setattr(context, "WHY_ABSENT", {})
    monkeypatch.setattr(context, "PUBLISHED", {})
    monkeypatch.delenv("SALESNB_NOTEBOOK", raising=False)
    sn.publish("p_miss", {"expected": 3.0, "p_miss": None}, why="No targets in the data.")
    sn.publish("summary", {"p_miss": 0.2}, why="not a reason")
    assert context.PUBLISHED["why_absent"]["keys"] == {"p_miss": "No targets in the data."}


def test_chinese_summary_joins_reasons_and_names_the_top_risk_with_chinese_punctuation():
    """Kaggle's Sample Sales Data in Chinese: two pages' reasons for the missing quarter forecast were
    joined by an ASCII "; " and the top risk read "前 5 大客户收入占比 (客户: 46.0 %)"."""
    risk = {**RESULTS["05_risk_monitoring"], "p_miss": None,
            "why_absent": {"lang": "zh-CN", "keys": {"p_miss": "无商机表：跳过商机风险"}}}
    res = {**RESULTS, "05_risk_monitoring": risk, "03_market_trends": {
        "forecast_quarter": None, "why_absent": {"lang": "zh-CN", "keys": {"forecast_quarter": "季度预测未发布"}}}}
    st = {**STATUS, "03_market_trends": "ok"}
    s = S.build(res, st, month=MONTH, lang="zh-CN")
    sub = _tile(s, "forecast_q").sub
    assert "无商机表" in sub and "季度预测未发布" in sub and "; " not in sub and "，而" in sub
    risks = next(x.text for x in s.sentences if "风险登记表" in x.text)
    assert "（" in risks and "：" in risks and " (" not in risks, risks
    en = next(x.text for x in S.build(res, st, month=MONTH, lang="en").sentences if x.text.startswith("Risk register:"))
    assert re.search(r"watch first: .+ \(.+: .+\)\.$", en), en


def test_no_high_value_customer_at_risk_is_said_as_none():
    """Kaggle's sample sales: "Net revenue retention stands at 95.1 %; 0 high-value customers are at
    risk of lapsing." None is said as none, in both languages."""
    res = {**RESULTS, "05_risk_monitoring": {**RESULTS["05_risk_monitoring"],
                                             "customers_at_risk_high_value": 0, "revenue_at_risk_high_value": 0.0}}
    texts = {lang: [x.text for x in S.build(res, STATUS, month=MONTH, lang=lang).sentences] for lang in LANGS}
    assert "Net revenue retention stands at 97.8 %; no high-value customer is at risk of lapsing." in texts["en"]
    assert "净收入留存率为 97.8 %；没有高价值客户存在流失风险。" in texts["zh-CN"]
    alone = {**res, "04_customer_segmentation": {}}
    assert "No high-value customer is at risk of lapsing." in [
        x.text for x in S.build(alone, STATUS, month=MONTH, lang="en").sentences]


def test_the_quarter_forecast_says_in_one_sentence_which_figure_is_shown_and_why():
    """Online Retail's summary read "The quarter forecast is not available (Risk monitoring: No
    opportunities table: pipeline risk skipped; Market trends: the quarter forecast is withheld
    because ...)": two pages' reasons side by side. It says the pipeline forecast is missing, and
    why the revenue trend's, which stands in for it, is withheld (or that it is the one shown)."""
    import pandas as pd

    from salesnb import trends

    risk = {**RESULTS["05_risk_monitoring"], "p_miss": None,
            "why_absent": {"lang": "en", "keys": {"p_miss": "No opportunities table: pipeline risk skipped."}}}
    fb = "12 months of history is less than two full years"
    fc = pd.DataFrame({"mean": [1.0]})
    fc.attrs["fallback"] = fb
    trend = {"forecast_quarter": None, "why_absent": {"lang": "en", "keys": {
        "forecast_quarter": str(trends.quarter_withheld_why(fc, None))}}}
    res = {**RESULTS, "05_risk_monitoring": risk, "03_market_trends": trend}
    st = {**STATUS, "03_market_trends": "ok"}
    s = S.build(res, st, month=MONTH, lang="en")
    said = next(x.text for x in S.narrative(res, st, month=MONTH, lang="en")  # without the tiles
                if x.text.startswith("The quarter forecast"))
    assert said == ("The quarter forecast is not available: there is no pipeline forecast (no opportunities "
                    "table: pipeline risk skipped), and the revenue trend's forecast that stands in for it is "
                    "withheld because the company forecast could not use its full method: " + fb + "."), said
    assert _tile(s, "forecast_q").sub == said.removeprefix("The quarter forecast is not available: ")[:1].upper() \
        + said.removeprefix("The quarter forecast is not available: ")[1:-1]
    zh = S.narrative({**res, "05_risk_monitoring": {**risk, "why_absent": {"lang": "zh-CN", "keys": {
        "p_miss": "无商机表：跳过商机风险。"}}}, "03_market_trends": {**trend, "why_absent": {
        "lang": "zh-CN", "keys": {"forecast_quarter": "公司预测未能使用完整方法：历史过短"}}}},
        st, month=MONTH, lang="zh-CN")
    said = next(x.text for x in zh if x.text.startswith("季度预测"))
    assert said == "季度预测不可用：没有商机预测（无商机表：跳过商机风险），而代替它的收入趋势预测未发布，因为公司预测未能使用完整方法：历史过短。"
    # the trend's forecast shown: the sentence says it stands in for the pipeline's, and why
    q = {"quarter": "2026Q4", "booked": 100.0, "expected": 320.0, "lo80": 300.0, "hi80": 340.0}
    s = S.build({**res, "03_market_trends": {"forecast_quarter": q}}, st, month=MONTH, lang="en")
    assert any(x.text == "With no pipeline forecast (no opportunities table: pipeline risk skipped), the quarter "
                         "forecast comes from the revenue trend (market trends): $320 (80 % interval $300 to $340)."
               for x in s.sentences), [x.text for x in s.sentences]


def test_register_entities_read_as_the_risk_page_shows_them_and_counts_agree_in_number():
    """Maven's CRM export: the summary printed the raw key "segment:employment" (05 shows
    "segment: employment" / "细分：employment") and "1 red and 1 amber risks"."""
    reg = [{"indicator": "Overdue rate of a segment (churn wave)", "entity": "segment:employment",
            "value": 1.0, "threshold": 0.15, "unit": "pct", "rag": "red", "owner": "Customer Success"},
           {"indicator": "HHI customers", "entity": "customers", "value": 1800, "threshold": 1500,
            "rag": "amber", "owner": "Head of Sales"}]
    res = {**RESULTS, "05_risk_monitoring": {**RESULTS["05_risk_monitoring"], "register": reg}}
    for lang, want in (("en", "segment: employment"), ("zh-CN", "细分：employment")):
        s = S.build(res, STATUS, month=MONTH, lang=lang)
        text = next(x.text for x in s.sentences if "employment" in x.text)
        assert want in text and "segment:employment" not in text, text
        html_ = S.risks_html(s.risks, s.register, lang=lang)
        assert want in html_ and "segment:employment" not in html_
    en = next(x.text for x in S.build(res, STATUS, month=MONTH, lang="en").sentences
              if "employment" in x.text)
    assert "1 red and 1 amber risks" not in en and re.search(r"\b1 red\b.*\b1 amber\b", en), en


def test_top_risks_show_a_rise_in_points_as_the_risk_page_does():
    """The demo's summary showed the discount rise as "0.07 | 0.05" where 05 shows "7.4 pp | 5.0 pp"."""
    reg = [{"indicator": "Largest 12-month discount rise (creep if significant)", "entity": "category:Hardware",
            "value": 0.0741, "threshold": 0.05, "unit": "pp", "rag": "red", "owner": "Sales Operations"}]
    res = {**RESULTS, "05_risk_monitoring": {**RESULTS["05_risk_monitoring"], "register": reg}}
    risks, _ = S.top_risks(res, STATUS, n=5)
    assert (risks.loc[0, "value"], risks.loc[0, "threshold"]) == ("7.4 pp", "5.0 pp")


def _register_sentence(row: dict, lang: str) -> str:
    """The summary's "Risk register: …" sentence for a register of one row."""
    res = {**RESULTS, "05_risk_monitoring": {**RESULTS["05_risk_monitoring"], "register": [row]}}
    start = "Risk register:" if lang == "en" else "风险登记表"
    return next(x.text for x in S.build(res, STATUS, month=MONTH, lang=lang).sentences if start in x.text)


def test_the_top_risk_names_its_entity_once_when_the_indicator_already_does():
    """Online Retail's summary read "watch first: HHI of regions (normalised for their number) (regions:
    6,802)"; zh "区域 HHI（按区域数量归一化）（区域：6,802）"."""
    hhi = {"indicator": "HHI of regions (normalised for their number)", "entity": "regions", "value": 6802,
           "threshold": 2500, "unit": "hhi", "rag": "red", "owner": "Head of Sales"}
    en = _register_sentence(hhi, "en")
    assert en.startswith("Risk register:")
    assert en.endswith("watch first: HHI of regions (normalised for their number) at 6,802."), en
    zh = _register_sentence(hhi, "zh-CN")
    assert "区域 HHI（按区域数量归一化）为 6,802" in zh and "）（" not in zh, zh
    # Superstore: "watch first: Revenue share of the 5 largest customers (customers: 16.0 %)"
    top5 = {"indicator": "Revenue share of the 5 largest customers", "entity": "customers", "value": 0.16,
            "threshold": 0.15, "unit": "pct", "rag": "amber", "owner": "Head of Sales"}
    en = _register_sentence(top5, "en")
    assert en.endswith("watch first: revenue share of the 5 largest customers at 16.0 %."), en


def test_a_page_reason_quoted_inside_a_sentence_loses_its_capital_but_not_an_acronym():
    """Real exports' summaries read "With no pipeline forecast (No targets in the data: …), the
    quarter forecast comes from …": a reason written as a sentence of its own keeps its capital
    mid-sentence. An ordinary first word is lower-cased; an acronym or notation (HHI, P(miss), EWMA)
    and a month name stay; Chinese is untouched."""
    q = {"quarter": "2026Q4", "booked": 100.0, "expected": 320.0, "lo80": 300.0, "hi80": 340.0}
    st = {**STATUS, "03_market_trends": "ok"}

    def sentence(reason, lang="en"):
        risk = {**RESULTS["05_risk_monitoring"], "p_miss": None,
                "why_absent": {"lang": lang, "keys": {"p_miss": reason}}}
        res = {**RESULTS, "05_risk_monitoring": risk, "03_market_trends": {"forecast_quarter": q}}
        return next(x.text for x in S.build(res, st, month=MONTH, lang=lang).sentences
                    if "forecast" in x.text or "预测" in x.text)

    assert sentence("No targets in the data: P(miss) skipped.").startswith(
        "With no pipeline forecast (no targets in the data: P(miss) skipped), the quarter")
    for kept in ("P(miss) needs targets", "HHI of regions is unknown", "EWMA signals 0",
                 "December has no orders"):
        assert f"({kept})" in sentence(kept + "."), kept
    assert "（无目标数据：跳过 P(miss)）" in sentence("无目标数据：跳过 P(miss)。", "zh-CN")
    assert S.embedded("No targets", "zh-CN") == "No targets"


def test_the_withheld_forecast_reason_is_said_once_on_the_summary_page():
    """A Salesforce export's summary said the ~80-word "forecast withheld" reason three times: under
    the tile, in the narrative and in the table of figures not available. The tile says it in full;
    the narrative and the table refer to it, in both languages."""
    import pandas as pd

    from salesnb import trends

    fc = pd.DataFrame({"mean": [1.0]})
    fc.attrs["fallback"] = "8 months of history is less than two full years"
    for lang, pipe, above in (("en", "No targets in the data.", "under Quarter forecast above"),
                              ("zh-CN", "数据中没有目标。", "原因见上方「季度预测」")):
        risk = {**RESULTS["05_risk_monitoring"], "p_miss": None,
                "why_absent": {"lang": lang, "keys": {"p_miss": pipe}}}
        trend = {"forecast_quarter": None, "why_absent": {"lang": lang, "keys": {
            "forecast_quarter": str(trends.quarter_withheld_why(fc, None))}}}
        res = {**RESULTS, "05_risk_monitoring": risk, "03_market_trends": trend}
        s = S.build(res, {**STATUS, "03_market_trends": "ok"}, month=MONTH, lang=lang)
        full = _tile(s, "forecast_q").sub  # the reason, in full, under the tile
        assert "8 months of history" in full and pipe[1:].rstrip(".。") in full, full
        texts = [x.text for x in s.sentences] + [m["why"] for m in s.missing]
        assert not [x for x in texts if "8 months of history" in x], texts
        said = next(x for x in texts if x.startswith(("The quarter forecast", "季度预测")))
        assert above in said, said
        row = next(m for m in s.missing if m["key"] == _tile(s, "forecast_q").figures[0].key)
        assert above.removeprefix("under ").removeprefix("原因见") in row["why"], row


def test_coverage_and_win_rate_missing_for_different_reasons_each_give_their_own():
    """Maven's deals have no targets (05 skips coverage) but do have closed deals; an export whose
    deals never close has no win rate either. When both were missing the sentence gave coverage's
    reason for both ("Pipeline coverage and win rate are not available (… no targets …)"): each now
    gives its own, in either language (here each page's own reason, then the keys' conditions)."""
    no_target = "No targets in the data: pipeline coverage is skipped."
    no_closed = "No deal was won or lost in the funnel window."
    risk = {**RESULTS["05_risk_monitoring"], "coverage": None,
            "why_absent": {"lang": "en", "keys": {"coverage": no_target}}}
    perf = {**RESULTS["02_performance_review"], "win_rate": None,
            "why_absent": {"lang": "en", "keys": {"win_rate": no_closed}}}
    res = {**RESULTS, "05_risk_monitoring": risk, "02_performance_review": perf}
    en = [x.text for x in S.build(res, STATUS, month=MONTH, lang="en").sentences]
    said = next(x for x in en if x.startswith("Pipeline coverage is not available ("))
    assert S.embedded(no_target.rstrip("."), lang="en") in said.split("nor the win rate")[0], said
    assert S.embedded(no_closed.rstrip("."), lang="en") in said.split("nor the win rate")[1], said
    for key in ("05_risk_monitoring", "02_performance_review"):
        res[key] = {**res[key], "why_absent": {}}
    zh = " ".join(x.text for x in S.build(res, STATUS, month=MONTH, lang="zh-CN").sentences)
    assert "商机覆盖率不可用（「风险监控」" in zh and "赢单率也不可用（「业绩评估」" in zh, zh


def test_a_quarter_forecast_resting_on_a_few_deals_says_so_and_gives_the_median():
    """A consultancy's HubSpot pipeline: "the quarter is forecast to close at 6,605,276 (80 % interval 0
    to 28,000,000)", half of it two deals (a 28M referral, a 15M framework) of 33, while the median
    quarter was 168,000. The summary now says how few deals the forecast rests on, the largest, and
    the likelier quarter; a forecast spread over many deals says nothing more."""
    lead = {"deals": [{"opportunity_id": "6631833045", "amount": 28_000_000.0, "p": 0.116},
                      {"opportunity_id": "6933546725", "amount": 15_000_000.0, "p": 0.116}],
            "share": 0.75, "open_deals": 33}
    miss = {"quarter": "2023Q2", "expected": 6_605_276.0, "p10": 0.0, "p50": 168_000.0, "p90": 28_000_000.0,
            "booked": 0.0, "p_miss": None, "target": None, "gap": None, "largest_deals": lead}
    texts = {}
    for lang in LANGS:
        risk = {**RESULTS["05_risk_monitoring"], "p_miss": miss, "coverage": None}
        s = S.build({**RESULTS, "05_risk_monitoring": risk}, STATUS, month=MONTH, lang=lang)
        texts[lang] = [x.text for x in s.sentences]
    assert ("75 % of the pipeline's expected wins rest on 2 of the 33 open deals with an amount (the largest 6631833045: "
            "$28,000,000 at a 12 % chance), so the forecast stands or falls with them; the likelier quarter "
            "is the median, $168,000." in texts["en"]), texts["en"]
    assert any("来自 33 个有金额的未结商机中的 2 个（最大的 6631833045" in x and "$168,000" in x
               for x in texts["zh-CN"]), texts["zh-CN"]
    one = {**miss, "largest_deals": {**lead, "deals": lead["deals"][:1], "share": 0.6}}
    s = S.build({**RESULTS, "05_risk_monitoring": {**RESULTS["05_risk_monitoring"], "p_miss": one}},
                STATUS, month=MONTH, lang="en")
    assert any(x.text.startswith("60 % of the pipeline's expected wins rest on one of the 33 open deals with an amount "
                                 "(6631833045: $28,000,000 at a 12 % chance), so the forecast stands or falls "
                                 "with it") for x in s.sentences)
    spread = {**miss, "largest_deals": {**lead, "open_deals": 5}}  # 2 of 5: not few
    s = S.build({**RESULTS, "05_risk_monitoring": {**RESULTS["05_risk_monitoring"], "p_miss": spread}},
                STATUS, month=MONTH, lang="en")
    assert not any("rest on" in x.text for x in s.sentences)


def test_an_empty_risk_register_says_why_in_the_page_s_language_not_by_its_key():
    """The consultancy's HubSpot pack (one sale, no targets): 05 measured no risk indicator, published
    an empty register, and the summary said "the report Risk monitoring published no register for this
    data", in Chinese "未针对此数据发布 register", the result key in English. The register's absence
    now has its reason, in both languages."""
    results = {"05_risk_monitoring": {"register": []}}
    status = {"05_risk_monitoring": "ok"}
    for lang in ("en", "zh-CN"):
        _, reg = S.top_risks(results, status, lang=lang)
        assert not reg.ok and "register" not in reg.why, reg.why
    assert S.top_risks(results, status, lang="en")[1].why == (
        "Risk monitoring: no risk indicator could be measured on this data (each section of the page says why)")
