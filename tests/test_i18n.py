"""Labels in the run's language: tr() phrases and templates, column labels, the Markdown swap at
export, and a detail notebook executed in Chinese with nothing left untranslated."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from salesnb import fmt, i18n
from salesnb.i18n import col_label, tr, verbatim
from salesnb.i18n_zh import COLUMNS, PHRASES
from salesnb.report import html as report_html

CJK = re.compile(r"[\u4e00-\u9fff]")
PH = re.compile(r"\{(\w+)(?:[:!][^{}]*)?\}")


@pytest.fixture
def zh():
    i18n.set_lang("zh-CN")
    yield
    i18n.set_lang("en")


def test_phrases_keep_their_placeholders_and_are_chinese():
    for en, zh_text in PHRASES.items():
        assert set(PH.findall(en)) == set(PH.findall(zh_text)), en
    for col, entry in COLUMNS.items():
        assert entry["en"] and entry["zh-CN"], col


def test_tr_exact_template_and_fallback(zh):
    assert tr("Revenue") == "收入"
    assert tr("Last {n} months", n=13) == "最近 13 个月"
    # a finished English sentence is matched against the templates
    assert tr("Net revenue by month, 24 months to 2026-10") == "月度净收入（截至 2026-10 的 24 个月）"
    # captured values that are phrases are translated too, data values are not
    assert tr("By customer type — last 12 months") == "按客户类型 — 最近 12 个月"
    assert tr("Deal OP1 (25,800) has been in Qualification for 389 days; 90 % of deals leave it within 71") \
        .startswith("商机 OP1（25,800）已在「Qualification」阶段停留 389 天")
    assert i18n.missing() == []
    # fallback: English, recorded once
    assert tr("A phrase nobody translated") == "A phrase nobody translated"
    tr("A phrase nobody translated")
    assert i18n.missing() == ["A phrase nobody translated"]
    # data, numbers and Chinese pass through unrecorded
    assert tr(verbatim("North")) == "North"
    assert tr("2026-10") == "2026-10" and tr("已是中文") == "已是中文" and tr(3) == 3
    assert i18n.missing() == ["A phrase nobody translated"]
    i18n.set_lang("zh-CN")
    assert i18n.missing() == []


def test_tr_in_english_is_the_text():
    assert tr("Revenue", "en") == "Revenue"
    assert tr("Last {n} months", "en", n=3) == "Last 3 months"


def test_column_labels(zh):
    assert col_label("win_rate") == "赢单率"
    assert col_label("win_rate", "en") == "Win rate"
    assert col_label("days_in_stage", "en") == "Days in stage"
    assert col_label("mystery_column", "en") == "Mystery column"  # unknown: Sentence case in English
    assert col_label("mystery_column") == "Mystery column"        # ... and recorded in Chinese
    assert i18n.missing() == ["Mystery column"]
    assert col_label(3) == "3"


def test_table_headers_caption_and_values_escape(zh):
    import pandas as pd

    df = pd.DataFrame({"region": ["<b>x</b>"], "win_rate": [0.5], "window": ["QTD"], "flag": [True]})
    out = fmt.table(df, pct_cols=["win_rate"], values=["window"], caption="Last 13 months").to_html()
    for text in ("区域", "赢单率", "本季度累计", "最近 13 个月", "是", "&lt;b&gt;x&lt;/b&gt;"):
        assert text in out, text
    assert "<b>x</b>" not in out


def test_markdown_swap_preprocessor(tmp_path):
    nb = nbformat.v4.new_notebook()
    md = nbformat.v4.new_markdown_cell("# Data overview\n\nHello <world>")
    md.metadata["salesnb"] = {"zh-CN": "# 数据概览\n\n你好"}
    nb.cells = [md, nbformat.v4.new_markdown_cell("## Only English")]
    for lang, expect, absent in (("zh-CN", "数据概览", "Data overview"), ("en", "Data overview", "数据概览")):
        nb.metadata["papermill"] = {"parameters": {"lang": lang}}
        path, out = tmp_path / f"{lang}.ipynb", tmp_path / f"{lang}.html"
        nbformat.write(nb, path)
        report_html.notebook_to_html(path, out, title="t")
        page = out.read_text(encoding="utf-8")
        assert expect in page and absent not in page
        assert "Only English" in page
    assert '<html lang="zh-CN">' in (tmp_path / "zh-CN.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["00_data_overview", "02_performance_review"])
def test_detail_notebook_in_chinese(name, tmp_path):
    from salesnb.report.runner import run

    res = run("2026-10", overrides=["lang=zh-CN"], only=[name], out=tmp_path, progress=lambda m: None)
    assert res.exit_code == 0, [r.error for r in res.notebooks]
    folder = res.path
    page = (folder / f"{name}.html").read_text(encoding="utf-8")
    heads = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page, re.S)
    assert heads and all(CJK.search(h) for h in heads), heads
    assert CJK.search(res.notebooks[0].title)
    results = json.loads((folder / f"{name}.results.json").read_text(encoding="utf-8"))["results"]
    assert results["i18n_missing"] == []
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "全部报告运行成功" in index


def test_cluster_descriptions_translate_clause_by_clause():
    from salesnb import i18n

    i18n.MISSING.clear()
    got = i18n.tr("Lapsed, occasional, low-spend, new customers; more Services than average "
                  "(30% of spend vs 12%)", "zh-CN")
    assert got == "久未购买、偶尔、低消费的新客户；Services 占比高于平均（占消费 30%，平均 12%）"
    assert i18n.tr("Recent, frequent, high-spend customers", "zh-CN") == "近期购买、高频、高消费的客户"
    assert not i18n.MISSING


@pytest.mark.slow
def test_whole_pack_in_chinese_leaves_nothing_in_english(tmp_path):
    """Every notebook (the six detail pages, a rep scorecard and the summary) run once in Chinese on
    the small demo: each publishes an empty ``i18n_missing``."""
    import pandas as pd

    from salesnb.data.demo import ensure_demo
    from salesnb.report.runner import run

    demo = ensure_demo(scale=0.05)
    reps = pd.read_parquet(demo / "reps.parquet")
    rep = str(reps.loc[reps["end_date"].isna(), "rep_id"].iloc[0])
    res = run("2026-10", overrides=["lang=zh-CN", f"source={demo}"], scorecards=[rep], jobs=1,
              out=tmp_path, progress=lambda m: None)
    assert res.exit_code == 0, [(r.name, r.error) for r in res.notebooks]
    names = {p.name.split(".")[0] for p in res.path.glob("*.results.json")}
    assert {"00_data_overview", "01_goal_decomposition", "02_performance_review", "03_market_trends",
            "04_customer_segmentation", "05_risk_monitoring", "executive_summary"} <= names, names
    files = sorted(res.path.glob("*.results.json")) + sorted((res.path / "reps").glob("*.results.json"))
    assert any(f.parent.name == "reps" for f in files)
    left = {f.name: json.loads(f.read_text(encoding="utf-8"))["results"]["i18n_missing"] for f in files}
    assert all(v == [] for v in left.values()), {k: v for k, v in left.items() if v}
