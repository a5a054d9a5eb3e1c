"""The page audit: raw Python reprs are found, formatted leader output is not flagged."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from salesnb.report import audit


def _page(*outputs: str) -> str:
    body = "".join(f'<div class="jp-OutputArea-output">{o}</div>' for o in outputs)
    return ("<html><head><title>x</title><style>.a{color:red} .b:{'x': 1}</style></head>"
            f"<body><h1>Report</h1>{body}<img src='data:image/png;base64,AAAA0.1234567890'></body></html>")


def _plain(text: str) -> str:
    return f'<div data-mime-type="text/plain" class="jp-RenderedText"><pre>{text}</pre></div>'


@pytest.mark.parametrize("raw, kind", [
    ("{'a': 1, 'b': 2}", "dict literal"),
    ('{"region": "North"}', "dict literal"),
    ("['North', 'South']", "list literal"),
    ("[0.1, 0.2]", "list literal"),
    ("0    1.0\nName: revenue, dtype: float64", "pandas dtype"),
    ("0    1.0\nName: revenue, dtype: float64", "pandas Name:"),
    ("&lt;Axes: title={'center': 'x'}&gt;", "matplotlib object"),
    ("&lt;matplotlib.legend.Legend at 0x7f&gt;", "matplotlib object"),
    ("&lt;Figure size 640x480 with 1 Axes&gt;", "matplotlib object"),
    ("Timestamp('2026-10-31 00:00:00')", "Timestamp("),
    ("np.float64(0.25)", "numpy scalar"),
    ("0.20924908424908426", "long float"),
    ("100.000000", "long float"),
    ("&lt;salesnb.goals.Profile object at 0x7f3a&gt;", "object repr"),
])
def test_reprs_are_found(raw, kind):
    found = audit.find_python_reprs(_page(_plain(raw)))
    assert kind in {f.kind for f in found}, found
    assert "plain-text output" in {f.kind for f in found}  # a plain-text output is itself a finding


def test_reprs_in_html_outputs_are_found_too():
    html = _page('<table class="sn-table"><tr><td>{\'x\': 0.123456789}</td></tr></table>')
    kinds = {f.kind for f in audit.find_python_reprs(html)}
    assert {"dict literal", "long float"} <= kinds and "plain-text output" not in kinds


def test_formatted_output_is_clean():
    from salesnb import fmt

    df = pd.DataFrame({"region": ["North", "South"], "revenue": [1234567.891, 2.5],
                       "share": [0.2092490842, 0.79], "p": [0.0123, 0.5]})
    table = fmt.table(df, money_cols=["revenue"], pct_cols=["share"], float_cols=["p"],
                      decimals=4, caption="Revenue [last 12 months] (2026-10)").to_html()
    note = ('<div class="sn-note sn-info">Seasonality needs 24 months; this data has 10 '
            "(2025-01 to 2025-10): weights are flat.</div>")
    md = "<p>Win rate 23.4 % [90 % interval 20.1 % to 26.8 %]; coverage 2.1×; 1,234 customers.</p>"
    assert audit.find_python_reprs(_page(table, note, md)) == []
    # English "None of …" (04 on one-purchase customers) is a sentence; a bare None is a repr
    words = '<div class="sn-note sn-info">None of the 28,871 customers bought on more than one day.</div>'
    assert audit.find_python_reprs(_page(words)) == []
    assert {f.kind for f in audit.find_python_reprs(_page("<p>Region: None</p>"))} == {"NaN"}


def test_notes_are_counted_and_skips_recognised():
    html = _page(
        '<div class="sn-note sn-info">No opportunities table: funnel section skipped.</div>',
        '<div class="sn-note sn-warning">Seasonality needs 24 months; this data has 10.</div>',
        '<div class="sn-note sn-skip">Retention by firmographics.</div>',
        '<div class="sn-note sn-info">NRR 104.2 %, GRR 91.0 %.</div>',
    )
    assert audit.count_notes(html) == {"notes": 4, "skipped": 3, "info": 2, "warning": 1, "skip": 1}
    assert audit.notes(html)[3] == ("info", "NRR 104.2 %, GRR 91.0 %.")



@pytest.mark.parametrize("english", [
    "No opportunities table: this section needs the CRM's deals (opportunities).",
    "No market table: the potential share is left out.",
    "No targets table: there is no attainment to pay commission on.",
    "The purchase model (BG/NBD) is left out of this table: its estimates are not settled (see above), "
    "so they mean nothing.",
    "{what} growth needs {k} months of data; the data has {n}, so it is not shown.",
    # Maven's rep scorecards: "Funnel against peers" was partial in Chinese only (无法得知)
    "Qualified is not shown (–): lost deals carry no stage they were lost at and no stage history "
    "places them, so whether they were ever qualified is unknown, and a count of the won and open "
    "deals alone would be too low. Import the stage history (or a last-open-stage column) to count them.",
    "P(alive) and expected purchases are shown, but lifetime value is not.",
    "The parameter table is not shown: the estimates of the purchase model (BG/NBD) and the spend model "
    "(Gamma-Gamma) are not settled (see above), so they mean nothing.",
])
def test_skip_notes_count_alike_in_english_and_chinese(english):
    """Superstore's pack in Chinese counted 16 sections skipped against 28 in English: "无商机表：本节需要
    CRM 中的商机数据" said what "No opportunities table: this section needs…" said, in words the audit
    did not know. A note skips in both languages or in neither (salesnb.locale.zh_CN's wording)."""
    from salesnb.locale import zh_CN

    chinese = zh_CN.MESSAGES[english]
    assert audit.SKIP_WORDS.search(english)
    assert audit.SKIP_WORDS.search(chinese), chinese
    html = _page(f'<div class="sn-note sn-info">{chinese}</div>')
    assert audit.count_notes(html)["skipped"] == 1

def test_audit_run_reads_manifest_and_pages(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"notebooks": [
        {"name": "a", "status": "ok", "seconds": 1.5},
        {"name": "b", "status": "failed", "seconds": 2, "ename": "KeyError", "evalue": "'x'"},
    ]}))
    (tmp_path / "a.html").write_text(_page(_plain("{'x': 1}")))
    (tmp_path / "b.html").write_text(_page('<div class="sn-note sn-info">Skipped: no data.</div>'))
    res = audit.audit_run(tmp_path)
    assert res.failed == ["b"] and res.errors["b"].startswith("KeyError")
    assert {f.kind for f in res.reprs["a.html"]} == {"dict literal", "plain-text output"}
    assert res.reprs["b.html"] == [] and res.skipped == 1
    assert json.loads(json.dumps(res.to_dict()))["seconds"]["a"] == 1.5


def test_failing_cell_source_on_an_error_page_is_not_a_finding():
    from salesnb.report.html import error_page

    html = error_page("03_market_trends", cell_index=9, ename="KeyError",
                      evalue="\"None of [Index(['candidate', 'model'], dtype='object')] are in the\"",
                      source='bt = pd.DataFrame(fc.attrs["backtest"])\nx = {"a": 1}')
    assert audit.find_python_reprs(html) == []
    assert "failing cell" in audit.visible_text(html)


def test_sections_computed_partial_skipped():
    html = "".join((
        "<h1>Trends</h1>", '<h2 id="a">1. Revenue trend<a class="anchor-link">¶</a></h2>',
        "<img src='data:image/png;base64,AA'>",
        "<h2>2. Forecast</h2>",
        '<div class="sn-note sn-warning">Seasonality needs 24 months; this data has 10.</div>',
        "<table><tr><td>1</td></tr></table>",
        "<h2>3. Market share</h2>",
        '<div class="sn-note sn-info">No market table: market share skipped.</div>',
    ))
    assert audit.sections(html) == [("1. Revenue trend", "computed"), ("2. Forecast", "partial"),
                                     ("3. Market share", "skipped")]


def test_untranslated_english_is_found_on_pages_of_another_language(tmp_path):
    """Four English words in a row outside code, on a page whose language is not English; model
    names (``ETS(M,N,M)``), code and English pages are not findings."""
    page = ('<html lang="zh-CN"><body><p>预测 ETS(M,N,M) 模型</p><code>only one observation left here'
            '</code><p>金额为负：negative amounts, read as returns</p></body></html>')
    assert audit.find_untranslated(page) == ["negative amounts, read as returns"]
    assert audit.page_lang(page) == "zh-CN" and audit.page_lang("<html><p>x</p></html>") == "en"
    (tmp_path / "manifest.json").write_text(json.dumps({"notebooks": []}))
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    (tmp_path / "b.html").write_text(page.replace("zh-CN", "en"), encoding="utf-8")
    res = audit.audit_run(tmp_path)
    assert res.to_dict()["english"] == {"a.html": ["negative amounts, read as returns"]}


@pytest.mark.parametrize(("english", "skips"), [
    ("{n} of {total} contract columns are complete.", False),   # 完整无缺失: complete, nothing missing
    ("Bands are cut at zero, as revenue cannot be negative: the low is {zero} in {n} of the {k} months.", False),
    ("The forecast could not use its full method, so read it with care: {why}.", True),   # 未能
])
def test_a_note_reads_as_skipped_in_both_languages_or_in_neither(english, skips):
    """The consultancy's HubSpot pack counted a skipped section on 00 in Chinese only ("18 of 43
    contract columns are complete" is 完整无缺失, which holds 缺失, missing), one on 03 in English only
    ("revenue cannot be negative" is a fact, not a section that could not compute), and the forecast's
    fallback in Chinese only (未能 was read by its reason's 无法, "could not" was not read at all)."""
    from salesnb.locale import zh_CN

    chinese = zh_CN.MESSAGES[english]
    assert bool(audit.SKIP_WORDS.search(english)) is skips, english
    assert bool(audit.SKIP_WORDS.search(chinese)) is skips, chinese
