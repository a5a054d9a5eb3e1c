"""Translations for headings, labels, table headers and narrative: ``t(key, lang)``.

Two languages: ``"en"`` and ``"zh-CN"`` (Simplified Chinese). A key missing in a language falls back
to English, and an unknown key comes back unchanged, so a notebook never fails over a label::

    from salesnb.i18n import t
    t("tile.win_rate", "zh-CN")                       # "赢单率"
    t("narr.revenue", "en", actual="$1.2M", ...)      # placeholders filled with str.format

Placeholders are filled with already-formatted strings (see :mod:`salesnb.fmt`); callers that render
HTML escape the result themselves (the strings here are plain text, never markup).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

LANGS: tuple[str, ...] = ("en", "zh-CN")
DEFAULT = "en"

_ALIASES = {"en": "en", "en-us": "en", "en-gb": "en", "english": "en",
            "zh": "zh-CN", "zh-cn": "zh-CN", "zh_cn": "zh-CN", "zh-hans": "zh-CN", "cn": "zh-CN"}

#: key -> {lang: text}
STRINGS: dict[str, dict[str, str]] = {
    # headings
    "h.summary": {"en": "Executive summary", "zh-CN": "管理层摘要"},
    "h.headline": {"en": "Headline figures", "zh-CN": "关键指标"},
    "h.narrative": {"en": "What happened, why, and what to watch", "zh-CN": "本月概况、原因与关注点"},
    "h.risks": {"en": "Top risks", "zh-CN": "主要风险"},
    "h.reports": {"en": "Detail reports", "zh-CN": "明细报告"},
    "h.missing": {"en": "Figures not available", "zh-CN": "缺失的指标"},
    "h.contents": {"en": "Contents", "zh-CN": "目录"},
    "h.pack": {"en": "Leadership pack", "zh-CN": "管理层报告合集"},
    "intro": {"en": "Sales performance for {month}. Every figure below is read from the detail report "
                    "that computed it; the link beside it opens that report.",
              "zh-CN": "{month} 销售业绩。以下每个数字均读取自计算它的明细报告，旁边的链接可打开该报告。"},
    "as_of": {"en": "Data as of {date}.", "zh-CN": "数据截至 {date}。"},
    # tiles
    "tile.revenue_mtd": {"en": "Revenue, month", "zh-CN": "本月收入"},
    "tile.revenue_qtd": {"en": "Revenue, quarter to date", "zh-CN": "本季度累计收入"},
    "tile.revenue_ytd": {"en": "Revenue, year to date", "zh-CN": "本年累计收入"},
    "tile.forecast_q": {"en": "Quarter forecast", "zh-CN": "季度预测"},
    "tile.coverage": {"en": "Pipeline coverage", "zh-CN": "商机覆盖率"},
    "tile.win_rate": {"en": "Win rate", "zh-CN": "赢单率"},
    "tile.nrr": {"en": "Net revenue retention", "zh-CN": "净收入留存率"},
    "tile.at_risk": {"en": "High-value customers at risk", "zh-CN": "流失风险高价值客户"},
    "sub.of_target": {"en": "{pct} of target {target}", "zh-CN": "完成目标 {target} 的 {pct}"},
    "sub.no_target": {"en": "target not available", "zh-CN": "目标不可用"},
    "sub.interval": {"en": "{lo}–{hi} (80 % interval); P(hit) {p}",
                     "zh-CN": "{lo}–{hi}（80% 区间）；达成概率 {p}"},
    "sub.interval_only": {"en": "{lo}–{hi} (80 % interval)", "zh-CN": "{lo}–{hi}（80% 区间）"},
    "sub.p_hit": {"en": "P(hit) {p}", "zh-CN": "达成概率 {p}"},
    "sub.coverage": {"en": "open pipeline ÷ target still to book",
                     "zh-CN": "未结商机 ÷ 剩余目标"},
    "sub.win_rate": {"en": "won ÷ closed deals", "zh-CN": "赢单数 ÷ 已关闭商机数"},
    "sub.nrr": {"en": "revenue kept and grown from last year's customers",
                "zh-CN": "去年客户的收入保留与增长"},
    "sub.at_risk": {"en": "{value} revenue at risk", "zh-CN": "涉及收入 {value}"},
    "sub.at_risk_value": {"en": "revenue of high-value customers overdue against their own rhythm",
                          "zh-CN": "逾期未按自身节奏购买的高价值客户收入"},
    "sub.at_risk_none": {"en": "overdue or fading high-value customers", "zh-CN": "逾期未购或活跃度下降的高价值客户"},
    "source": {"en": "source", "zh-CN": "来源"},
    "na": {"en": "not available", "zh-CN": "不可用"},
    "na.other_source": {"en": "not published by the report that made this forecast",
                        "zh-CN": "生成此预测的报告未发布该数值"},
    # statuses
    "status.ok": {"en": "ok", "zh-CN": "正常"},
    "status.failed": {"en": "failed", "zh-CN": "失败"},
    "status.missing": {"en": "not run", "zh-CN": "未运行"},
    "status.stale": {"en": "from another month", "zh-CN": "属于其他月份"},
    "rag.red": {"en": "red", "zh-CN": "红"},
    "rag.amber": {"en": "amber", "zh-CN": "黄"},
    "rag.green": {"en": "green", "zh-CN": "绿"},
    "rag.grey": {"en": "no status", "zh-CN": "无状态"},
    # table headers
    "col.report": {"en": "Report", "zh-CN": "报告"},
    "col.status": {"en": "Status", "zh-CN": "状态"},
    "col.risk": {"en": "Risk", "zh-CN": "风险"},
    "col.entity": {"en": "Where", "zh-CN": "对象"},
    "col.value": {"en": "Value", "zh-CN": "当前值"},
    "col.threshold": {"en": "Threshold", "zh-CN": "阈值"},
    "col.rag": {"en": "RAG", "zh-CN": "状态"},
    "col.owner": {"en": "Owner", "zh-CN": "负责人"},
    "col.action": {"en": "Suggested action", "zh-CN": "建议措施"},
    "col.figure": {"en": "Figure", "zh-CN": "指标"},
    "col.reason": {"en": "Why it is missing", "zh-CN": "缺失原因"},
    "col.key": {"en": "Published key", "zh-CN": "发布键名"},
    "col.notebook": {"en": "Detail page", "zh-CN": "明细页面"},
    # reasons a figure is missing
    "why.missing": {"en": "the report {page} has not been run for this month",
                    "zh-CN": "本月尚未运行报告「{page}」"},
    "why.failed": {"en": "the report {page} failed this month",
                   "zh-CN": "本月报告「{page}」运行失败"},
    "why.stale": {"en": "the report {page} in this folder belongs to another month",
                  "zh-CN": "此文件夹中的报告「{page}」属于其他月份"},
    "why.key": {"en": "the report {page} does not publish {key} (yet)",
                "zh-CN": "报告「{page}」（尚）未发布 {key}"},
    # narrative
    "narr.none_run": {"en": "The detail reports have not been run for {month}: no figure can be shown yet. "
                            "Run the monthly pack (salesnb run --month {month}) and open its summary.",
                      "zh-CN": "{month} 的明细报告尚未运行，暂无可展示的指标。请运行月度报告"
                               "（salesnb run --month {month}）后查看其摘要。"},
    "narr.revenue_target": {"en": "Revenue in {month} was {actual}, {pct} of the month's target of {target}.",
                            "zh-CN": "{month} 收入为 {actual}，完成本月目标 {target} 的 {pct}。"},
    "narr.revenue": {"en": "Revenue in {month} was {actual}; the month's target is not available.",
                     "zh-CN": "{month} 收入为 {actual}；本月目标不可用。"},
    "narr.revenue_na": {"en": "Revenue for {month} is not available ({why}).",
                        "zh-CN": "{month} 收入不可用（{why}）。"},
    "narr.qtd_ytd": {"en": "Quarter to date the business has booked {qtd} ({qtd_pct} of target) and year to "
                           "date {ytd} ({ytd_pct} of target).",
                     "zh-CN": "本季度累计收入 {qtd}（完成目标的 {qtd_pct}），本年累计 {ytd}（完成目标的 {ytd_pct}）。"},
    "narr.growth": {"en": "Against the same month last year revenue moved {growth}.",
                    "zh-CN": "与去年同月相比，收入变化 {growth}。"},
    "narr.forecast": {"en": "The quarter is forecast to close at {mean} (80 % interval {lo} to {hi}); "
                            "the probability of reaching its target is {p}.",
                      "zh-CN": "本季度预计收入 {mean}（80% 区间 {lo} 至 {hi}），达成季度目标的概率为 {p}。"},
    "narr.forecast_target": {"en": "The quarter is forecast to close at {mean} (80 % interval {lo} to {hi}); "
                                   "the probability of reaching its target of {target} is {p}.",
                             "zh-CN": "本季度预计收入 {mean}（80% 区间 {lo} 至 {hi}），达成季度目标 {target} 的概率为 {p}。"},
    "narr.forecast_nop": {"en": "The quarter is forecast to close at {mean} (80 % interval {lo} to {hi}); "
                                "the probability of reaching the target is not available.",
                          "zh-CN": "本季度预计收入 {mean}（80% 区间 {lo} 至 {hi}）；达成目标的概率不可用。"},
    "narr.forecast_na": {"en": "The quarter forecast is not available ({why}).",
                         "zh-CN": "季度预测不可用（{why}）。"},
    "narr.p_hit_plan": {"en": "No annual target was given; the goal plan puts the probability of reaching "
                               "the automatic plan of {target} (last year plus growth) at {p}.",
                         "zh-CN": "未给定年度目标；目标规划估计达成自动计划 {target}（上年收入加增长）的概率为 {p}。"},
    "narr.p_hit_year": {"en": "The goal plan puts the probability of reaching the annual target of {target} "
                               "at {p}.",
                         "zh-CN": "目标规划估计达成年度目标 {target} 的概率为 {p}。"},
    "narr.pipeline": {"en": "Open pipeline covers {coverage} the target still to book this quarter, and "
                            "{win_rate} of closed deals were won.",
                      "zh-CN": "未结商机为本季度剩余目标的 {coverage}，已关闭商机的赢单率为 {win_rate}。"},
    "narr.pipeline_cov": {"en": "Open pipeline covers {coverage} the target still to book this quarter.",
                          "zh-CN": "未结商机为本季度剩余目标的 {coverage}。"},
    "narr.pipeline_win": {"en": "{win_rate} of closed deals were won.",
                          "zh-CN": "已关闭商机的赢单率为 {win_rate}。"},
    "narr.pipeline_na": {"en": "Pipeline coverage and win rate are not available ({why}).",
                         "zh-CN": "商机覆盖率与赢单率不可用（{why}）。"},
    "narr.customers": {"en": "Net revenue retention stands at {nrr}; {n} high-value customers are at risk of lapsing.",
                       "zh-CN": "净收入留存率为 {nrr}；{n} 位高价值客户存在流失风险。"},
    "narr.customers_value": {"en": "Net revenue retention stands at {nrr}; high-value customers who are overdue "
                                   "against their own buying rhythm account for {value} of revenue at risk.",
                             "zh-CN": "净收入留存率为 {nrr}；逾期未按自身节奏购买的高价值客户涉及风险收入 {value}。"},
    "narr.customers_value_only": {"en": "High-value customers who are overdue against their own buying rhythm "
                                        "account for {value} of revenue at risk.",
                                  "zh-CN": "逾期未按自身节奏购买的高价值客户涉及风险收入 {value}。"},
    "narr.customers_nrr": {"en": "Net revenue retention stands at {nrr}.",
                           "zh-CN": "净收入留存率为 {nrr}。"},
    "narr.customers_risk": {"en": "{n} high-value customers are at risk of lapsing.",
                            "zh-CN": "{n} 位高价值客户存在流失风险。"},
    "narr.customers_na": {"en": "Customer retention figures are not available ({why}).",
                          "zh-CN": "客户留存指标不可用（{why}）。"},
    "narr.risks": {"en": "The risk register holds {red} red and {amber} amber risks; watch first: {top}.",
                   "zh-CN": "风险登记表中有 {red} 项红色、{amber} 项黄色风险；首要关注：{top}。"},
    "narr.risks_clear": {"en": "The risk register holds no red or amber risk this month.",
                         "zh-CN": "本月风险登记表中没有红色或黄色风险。"},
    "narr.risks_na": {"en": "The risk register is not available ({why}).",
                      "zh-CN": "风险登记表不可用（{why}）。"},
    "narr.failed": {"en": "Not included because they failed or did not run: {pages}.",
                    "zh-CN": "以下报告运行失败或未运行，未纳入本摘要：{pages}。"},
    "narr.watch": {"en": "Watch next: {what}.", "zh-CN": "下一步关注：{what}。"},
    "watch.revenue": {"en": "closing the month's revenue gap", "zh-CN": "缩小本月收入缺口"},
    "watch.forecast": {"en": "the quarter target, which is more likely missed than hit",
                       "zh-CN": "季度目标（未达成的可能性更大）"},
    "watch.coverage": {"en": "thin pipeline coverage", "zh-CN": "商机覆盖不足"},
    "watch.nrr": {"en": "shrinking revenue from existing customers", "zh-CN": "现有客户收入下降"},
    "watch.risks": {"en": "the red risks in the register", "zh-CN": "风险登记表中的红色风险"},
    "watch.none": {"en": "nothing stands out; keep the cadence", "zh-CN": "暂无突出问题，保持节奏"},
    "and": {"en": ", ", "zh-CN": "、"},
    "link.page": {"en": "detail", "zh-CN": "明细"},
    "link.pack": {"en": "Leadership pack (one printable file)", "zh-CN": "管理层报告合集（单个可打印文件）"},
    "note.no_chart": {"en": "No revenue and target figures were published: the attainment chart is skipped.",
                      "zh-CN": "未发布收入与目标数据：跳过目标完成率图表。"},
    "interactive": {"en": "Interactive run: reading results from {folder}.",
                    "zh-CN": "交互式运行：从 {folder} 读取结果。"},
    # notebook titles
    "nb.00_data_overview": {"en": "Data overview", "zh-CN": "数据概览"},
    "nb.01_goal_decomposition": {"en": "Goal decomposition", "zh-CN": "目标分解"},
    "nb.02_performance_review": {"en": "Performance review", "zh-CN": "业绩评估"},
    "nb.03_market_trends": {"en": "Market trends", "zh-CN": "市场趋势"},
    "nb.04_customer_segmentation": {"en": "Customer segmentation", "zh-CN": "客户细分"},
    "nb.05_risk_monitoring": {"en": "Risk monitoring", "zh-CN": "风险监控"},
    "nb.executive_summary": {"en": "Executive summary", "zh-CN": "管理层摘要"},
    # the month's index page and navigation
    "nav.all": {"en": "All reports", "zh-CN": "全部报告"},
    "idx.title": {"en": "Sales performance pack — {month}", "zh-CN": "销售业绩报告 — {month}"},
    "idx.failed": {"en": "{n} report(s) failed — see below.", "zh-CN": "{n} 份报告运行失败，详见下表。"},
    "idx.all_ok": {"en": "All reports ran.", "zh-CN": "全部报告运行成功。"},
    "idx.pack": {"en": "the summary and every report in one printable file (A4)",
                 "zh-CN": "摘要与全部报告合为一个可打印文件（A4）"},
    "idx.meta": {"en": "Data: {source} · as of {as_of} · fingerprint {fingerprint} · built {finished}",
                 "zh-CN": "数据：{source} · 截至 {as_of} · 指纹 {fingerprint} · 生成于 {finished}"},
    "idx.seconds": {"en": "Seconds", "zh-CN": "耗时（秒）"},
    "idx.files": {"en": "Files", "zh-CN": "文件"},
    "idx.page": {"en": "page", "zh-CN": "页面"},
    "idx.notebook": {"en": "notebook", "zh-CN": "笔记本"},
    "idx.results": {"en": "results", "zh-CN": "结果"},
    "idx.manifest": {"en": "records parameters, data fingerprint, package versions and the git commit of "
                           "this run.",
                     "zh-CN": "记录本次运行的参数、数据指纹、软件包版本与 git 提交。"},
    "idx.scorecards": {"en": "Rep scorecards", "zh-CN": "销售代表记分卡"},
    # common chart labels, usable by every notebook
    "label.month": {"en": "Month", "zh-CN": "月份"},
    "label.revenue": {"en": "Revenue", "zh-CN": "收入"},
    "label.target": {"en": "Target", "zh-CN": "目标"},
    "label.actual": {"en": "Actual", "zh-CN": "实际"},
    "label.forecast": {"en": "Forecast", "zh-CN": "预测"},
    "label.region": {"en": "Region", "zh-CN": "区域"},
    "label.rep": {"en": "Sales rep", "zh-CN": "销售代表"},
    "label.customer": {"en": "Customer", "zh-CN": "客户"},
    "label.attainment": {"en": "Attainment", "zh-CN": "目标完成率"},
    "label.window": {"en": "Window", "zh-CN": "期间"},
    "window.mtd": {"en": "Month", "zh-CN": "本月"},
    "window.qtd": {"en": "Quarter to date", "zh-CN": "本季度累计"},
    "window.ytd": {"en": "Year to date", "zh-CN": "本年累计"},
}


def normalise(lang: str | None) -> str:
    """``"zh_cn"``/``"zh"``/``"zh-Hans"`` → ``"zh-CN"``; ``None``/``""`` → ``"en"``.

    Raises
    ------
    ValueError
        For a language that is not supported.
    """
    if not lang:
        return DEFAULT
    key = str(lang).strip().lower()
    if key not in _ALIASES:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    return _ALIASES[key]


def t(key: str, lang: str = DEFAULT, /, **values: Any) -> str:
    """The text of ``key`` in ``lang`` (English when missing; the key itself when unknown).

    Keyword arguments fill ``{placeholders}``; a missing placeholder is left as is.
    """
    entry = STRINGS.get(key)
    if entry is None:
        text = key
    else:
        text = entry.get(normalise(lang)) or entry[DEFAULT]
    if values:
        text = text.format_map(_Keep(values))
    return text


def labels(keys: Mapping[str, str], lang: str = DEFAULT) -> dict[str, str]:
    """``{column: key}`` → ``{column: translated}``: a ``rename`` mapping for table headers."""
    return {col: t(key, lang) for col, key in keys.items()}


def is_cjk(lang: str | None) -> bool:
    """Whether text in ``lang`` needs a CJK font."""
    return normalise(lang).startswith("zh")


class _Keep(dict):
    """``format_map`` helper leaving unknown placeholders untouched."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def page_title(notebook: str, lang: str = DEFAULT) -> str:
    """The title of a report page: ``"02_performance_review"`` → ``"Performance review"`` / ``"业绩评估"``.

    Notebooks without a translation get their name without the number, underscores as spaces.
    """
    key = f"nb.{notebook}"
    if key in STRINGS:
        return t(key, lang)
    name = notebook.split("_", 1)[1] if notebook[:2].isdigit() and "_" in notebook else notebook
    return name.replace("_", " ").capitalize()


# ------------------------------------------------------------------ current language, phrases, columns
# The notebooks' labels (chart titles, axis labels, notes, captions, table headers) are written in
# English in the code; ``tr`` translates them for the current language (set by ``sn.setup(lang=...)``),
# from exact phrases or from templates with ``{placeholders}``. Whatever falls back to English in
# Chinese is recorded in :data:`MISSING`, which ``sn.finish()`` publishes as ``i18n_missing``.

_current = DEFAULT
#: English phrases/columns that had no translation in the current language (insertion-ordered)
MISSING: dict[str, None] = {}

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_LETTER = re.compile(r"[A-Za-z]")
_PLACEHOLDER = re.compile(r"\{(\w+)((?:[:!][^{}]*)?)\}")


def set_lang(lang: str | None) -> str:
    """Make ``lang`` the current language (and forget what was missing); returns it normalised."""
    global _current
    _current = normalise(lang)
    MISSING.clear()
    return _current


def get_lang() -> str:
    """The current language (``"en"`` until :func:`set_lang`)."""
    return _current


def missing() -> list[str]:
    """The phrases and columns that fell back to English since the language was set."""
    return list(MISSING)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese (or other CJK) characters."""
    return bool(_CJK.search(str(text)))


def _phrases(lang: str) -> Mapping[str, str]:
    if lang == "zh-CN":
        from salesnb.i18n_zh import PHRASES

        return PHRASES
    return {}


@lru_cache(maxsize=4)
def _templates(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    """(regex of the English template, translated template) for each phrase with placeholders."""
    out = []
    for en, tx in _phrases(lang).items():
        parts = _PLACEHOLDER.split(en)
        if len(parts) == 1:
            continue
        rx, seen = [], set()
        for i in range(0, len(parts), 3):
            rx.append(re.escape(parts[i]))
            if i + 1 < len(parts):
                name = parts[i + 1]
                rx.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                seen.add(name)
        out.append((len("".join(parts[0::3])), re.compile("".join(rx), re.S), tx))
    # the most specific template (the longest literal text) first
    out.sort(key=lambda p: -p[0])
    return tuple((rx, tx) for _, rx, tx in out)


def _fill(template: str, values: Mapping[str, Any]) -> str:
    """Fill ``{name}`` / ``{name:spec}`` placeholders; strings are inserted as they are."""
    def one(m: re.Match) -> str:
        name, spec = m.group(1), m.group(2)
        if name not in values:
            return m.group(0)
        v = values[name]
        if spec and not isinstance(v, str):
            return ("{0" + spec + "}").format(v)
        return str(v)

    return _PLACEHOLDER.sub(one, template)


class Verbatim(str):
    """Text that is data (a region, a name): :func:`tr` and :func:`col_label` leave it as it is."""

    __slots__ = ()


def verbatim(text: Any) -> Verbatim:
    """Mark ``text`` as data, e.g. a chart titled by a region: ``viz.fan_chart(..., title=verbatim(r))``."""
    return Verbatim(str(text))


def tr(text: Any, lang: str | None = None, /, **values: Any) -> Any:
    """Translate an English label, note or title into ``lang`` (default: the current language).

    - an exact phrase: ``tr("Revenue")`` → ``"收入"``;
    - a template with values: ``tr("Growth by {dim}, {month}", dim="区域", month="2026-10")``;
    - a finished English sentence matching a template: ``tr("Last 13 months")`` or
      ``tr("Net revenue by month, 24 months to 2026-10")`` (the values are taken from the text).

    Text without a translation comes back in English (recorded in :data:`MISSING` in Chinese);
    text that is already Chinese, holds no letter, or is not a string comes back unchanged.
    The result is plain text: escape it where it becomes HTML.
    """
    if not isinstance(text, str) or isinstance(text, Verbatim):
        return text
    lang = normalise(lang) if lang else _current
    if lang == DEFAULT or not _LETTER.search(text):
        return _fill(text, values) if values else text
    phrases = _phrases(lang)
    hit = phrases.get(text)
    if hit is None:
        hit = phrases.get(text.strip())
    if hit is not None:
        return _fill(hit, values) if values else hit
    if not values:
        hit = _match(text, lang)
        if hit is not None:
            return hit
    if has_cjk(text):  # already translated (or Chinese data)
        return _fill(text, values) if values else text
    MISSING.setdefault(text, None)
    return _fill(text, values) if values else text


def _match(text: str, lang: str, depth: int = 0) -> str | None:
    """``text`` translated through the first template it matches, or ``None``.

    A captured value that is a phrase itself ("customer type") or matches a template ("Revenue of the
    top 50 accounts held by one rep") is translated too; anything else (numbers, names) stays.
    """
    phrases = _phrases(lang)
    for rx, tx in _templates(lang):
        m = rx.fullmatch(text)
        if m:
            vals = {}
            for k, v in m.groupdict().items():
                sub = phrases.get(v)
                if sub is None and depth < 4 and _LETTER.search(v):
                    sub = _match(v, lang, depth + 1)
                vals[k] = v if sub is None else sub
            return _fill(tx, vals)
    return None


def col_label(col: Any, lang: str | None = None) -> str:
    """The header of a table column: ``"win_rate"`` → ``"Win rate"`` / ``"赢单率"``.

    From :data:`salesnb.i18n_zh.COLUMNS` (English and Chinese); an unknown snake_case name becomes
    "Sentence case" in English and falls back to that (recorded as missing) in Chinese. Names that
    are not strings (a pivot of numbers) come back as text unchanged.
    """
    if not isinstance(col, str) or isinstance(col, Verbatim):
        return str(col)
    from salesnb.i18n_zh import COLUMNS

    lang = normalise(lang) if lang else _current
    entry = COLUMNS.get(col)
    if entry is not None and lang in entry:
        return entry[lang]
    en = entry["en"] if entry else _sentence(col)
    if lang == DEFAULT or not _LETTER.search(col) or has_cjk(col):
        return en
    hit = _phrases(lang).get(col)
    return hit if hit is not None else tr(en, lang)


def _sentence(col: str) -> str:
    """``"days_in_stage"`` → ``"Days in stage"``; other names stay as they are."""
    if not re.fullmatch(r"[a-z][a-z0-9_ ]*", col):
        return col
    text = col.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
