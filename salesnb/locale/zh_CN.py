"""Simplified Chinese (zh-CN): the one catalogue of this language, message id → text.

Three kinds of message id, one dict:

- dotted keys (``"h.summary"``, ``"narr.revenue"``): their English is in :mod:`salesnb.locale.en`;
- ``"column.<name>"``: the header of a table column (English in :mod:`salesnb.locale.en`);
- everything else is an English template (gettext style): ``"{n} months left"`` → ``"剩余 {n} 个月"``.

A translation keeps exactly the placeholders of its English (a test checks it). Terms: 目标达成率
(attainment), 商机 (pipeline/opportunity), 赢单率 (win rate), 流失 (churn), 同期群 (cohort),
净收入留存率 (NRR), 预测 (forecast), 区间 (interval); an automatic plan is a 计划, a given target a 目标.
"""

from __future__ import annotations

LANG = "zh-CN"
ALIASES = ("zh", "zh-cn", "zh_cn", "zh-hans", "cn")
CJK = True

MESSAGES: dict[str, str] = {
    # h
    "h.summary": "管理层摘要",
    "h.headline": "关键指标",
    "h.narrative": "本月概况、原因与关注点",
    "h.risks": "主要风险",
    "h.reports": "明细报告",
    "h.missing": "缺失的指标",
    "h.contents": "目录",
    "h.pack": "管理层报告合集",
    # misc
    "intro": "{month}销售业绩。以下每个数字均读取自计算它的明细报告，旁边的链接可打开该报告。",
    "as_of": "数据截至 {date}。",
    # tile
    "tile.revenue_mtd": "本月收入",
    "tile.revenue_qtd": "本季度累计收入",
    "tile.revenue_ytd": "本年累计收入",
    "tile.forecast_q": "季度预测",
    "tile.coverage": "商机覆盖率",
    "tile.win_rate": "赢单率",
    "tile.nrr": "净收入留存率",
    "tile.at_risk": "流失风险高价值客户",
    "fig.target_mtd": "本月目标",
    "fig.target_qtd": "本季度累计目标",
    "fig.target_ytd": "本年累计目标",
    "fig.forecast_lo": "季度预测 80 % 区间下限",
    "fig.forecast_hi": "季度预测 80 % 区间上限",
    "fig.p_hit": "达成季度目标的概率",
    "fig.at_risk_value": "流失风险高价值客户的收入",
    "fig.at_risk_n": "流失风险高价值客户（人数）",
    # sub
    "sub.of_target": "完成目标 {target} 的 {pct}",
    "sub.no_target": "目标不可用",
    "sub.interval": "{lo}–{hi}（80 % 区间）；达成概率 {p}",
    "sub.interval_only": "{lo}–{hi}（80 % 区间）",
    "sub.forecast_na_routes": "没有商机预测（{pipeline}），而代替它的收入趋势预测未发布，因为{trend}",
    "sub.p_hit": "达成概率 {p}",
    "sub.coverage": "未结商机 ÷ 剩余目标",
    "sub.win_rate": "赢单数 ÷ 已关闭商机数",
    "sub.nrr": "去年客户的收入保留与增长",
    "sub.at_risk": "涉及收入 {value}",
    "sub.at_risk_value": "逾期未按自身节奏购买的高价值客户收入",
    "sub.at_risk_none": "逾期未购或活跃度下降的高价值客户",
    # misc
    "source": "来源",
    "na": "不可用",
    # na
    "na.other_source": "生成此预测的报告未发布该数值",
    # status
    "status.ok": "正常",
    "status.failed": "失败",
    "status.missing": "未运行",
    "status.stale": "属于其他月份",
    # rag
    "rag.red": "红",
    "rag.amber": "黄",
    "rag.green": "绿",
    "rag.grey": "无状态",
    # col
    "col.report": "报告",
    "col.status": "状态",
    "col.risk": "风险",
    "col.entity": "对象",
    "col.value": "当前值",
    "col.threshold": "阈值",
    "col.rag": "状态",
    "col.owner": "负责人",
    "col.action": "建议措施",
    "col.figure": "指标",
    "col.reason": "缺失原因",
    "col.key": "发布键名",
    "col.notebook": "明细页面",
    # why
    "why.missing": "本月尚未运行报告「{page}」",
    "why.above": "原因见上方「{figure}」",
    "why.failed": "本月报告「{page}」运行失败",
    "why.stale": "此文件夹中的报告「{page}」属于其他月份",
    "why.key": "报告「{page}」未针对此数据发布 {key}",
    "why.key_because": "「{page}」：{reason}",
    # narr
    "narr.none_run": "{month} 的明细报告尚未运行，暂无可展示的指标。请运行月度报告（salesnb run --month {month}）后查看其摘要。",
    "narr.revenue_target": "{month}收入为 {actual}，完成本月目标 {target} 的 {pct}。",
    "narr.revenue": "{month}收入为 {actual}；本月目标不可用。",
    "narr.revenue_na": "{month}收入不可用（{why}）。",
    "narr.qtd_ytd": "本季度累计收入 {qtd}（完成目标的 {qtd_pct}），本年累计 {ytd}（完成目标的 {ytd_pct}）。",
    "narr.qtd_ytd_plain": "本季度累计收入 {qtd}，本年累计 {ytd}。",
    "narr.growth": "与去年同月相比，收入变化 {growth}。",
    "narr.forecast": "本季度预计收入 {mean}（80 % 区间 {lo} 至 {hi}），达成季度目标的概率为 {p}。",
    "narr.forecast_target": "本季度预计收入 {mean}（80 % 区间 {lo} 至 {hi}），达成季度目标 {target} 的概率为 {p}。",
    "narr.forecast_nop": "本季度预计收入 {mean}（80 % 区间 {lo} 至 {hi}）；达成目标的概率不可用。",
    "narr.forecast_nop_because": "按商机（已赢单金额、未结商机按各自赢单率计，加上商机以外的常规收入），本季度预计收入 {mean}（80 % 区间 {lo} 至 {hi}）；达成目标的概率不可用（{why}）。",
    "narr.forecast_one_deal": "商机预期赢单额的 {share} 来自 {total} 个有金额的未结商机中的一个（{deal}：{amount}，赢单概率 {p}），预测取决于它的成败；更可能的季度结果是中位数 {p50}。",
    "narr.forecast_few_deals": "商机预期赢单额的 {share} 来自 {total} 个有金额的未结商机中的 {n} 个（最大的 {deal}：{amount}，赢单概率 {p}），预测取决于它们的成败；更可能的季度结果是中位数 {p50}。",
    "narr.forecast_trend": "按收入趋势（市场趋势报告），本季度收入预计为 {mean}（80 % 区间 {lo} 至 {hi}）。",
    "narr.forecast_na": "季度预测不可用（{why}）。",
    "narr.forecast_na_above": "季度预测不可用（原因见上方「{figure}」）。",
    "narr.forecast_trend_because": "没有商机预测（{why}），季度预测取自收入趋势（市场趋势报告）：{mean}（80 % 区间 {lo} 至 {hi}）。",
    "narr.forecast_na_routes": "季度预测不可用：没有商机预测（{pipeline}），而代替它的收入趋势预测未发布，因为{trend}。",
    "narr.p_hit_plan": "未给定年度目标；目标规划估计达成自动计划 {target}（上年收入加增长）的概率为 {p}。",
    "narr.p_hit_year": "目标规划估计达成年度目标 {target} 的概率为 {p}。",
    "narr.pipeline": "未结商机为本季度剩余目标的 {coverage}，已关闭商机的赢单率为 {win_rate}。",
    "narr.pipeline_cov": "未结商机为本季度剩余目标的 {coverage}。",
    "narr.pipeline_win": "已关闭商机的赢单率为 {win_rate}。",
    "narr.pipeline_na": "商机覆盖率与赢单率不可用（{why}）。",
    "narr.pipeline_na_each": "商机覆盖率不可用（{coverage}），赢单率也不可用（{win_rate}）。",
    "narr.customers": "净收入留存率为 {nrr}；{n} 位高价值客户存在流失风险。",
    "narr.customers_value": "净收入留存率为 {nrr}；逾期未按自身节奏购买的高价值客户涉及风险收入 {value}。",
    "narr.customers_value_only": "逾期未按自身节奏购买的高价值客户涉及风险收入 {value}。",
    "narr.customers_nrr": "净收入留存率为 {nrr}。",
    "narr.customers_risk": "{n} 位高价值客户存在流失风险。",
    "narr.customers_none": "净收入留存率为 {nrr}；没有高价值客户存在流失风险。",
    "narr.customers_risk_none": "没有高价值客户存在流失风险。",
    "narr.customers_na": "客户留存指标不可用（{why}）。",
    "narr.risks": "风险登记表中有 {red} 项红色、{amber} 项黄色风险；首要关注：{top}。",
    "narr.risk_top": "{indicator}（{entity}：{value}）",
    "narr.risk_top_named": "{indicator}为 {value}",
    "narr.risks_clear": "本月风险登记表中没有红色或黄色风险。",
    "narr.risks_na": "风险登记表不可用（{why}）。",
    "narr.failed": "以下报告运行失败或未运行，未纳入本摘要：{pages}。",
    "narr.watch": "下一步关注：{what}。",
    # watch
    "watch.revenue": "缩小本月收入缺口",
    "watch.forecast": "季度目标（未达成的可能性更大）",
    "watch.coverage": "商机覆盖不足",
    "watch.nrr": "现有客户收入下降",
    "watch.risks": "风险登记表中的红色风险",
    "watch.none": "暂无突出问题，保持节奏",
    # misc
    "and": "、",
    # link
    # note
    "note.no_chart": "本月、本季度累计和本年累计都没有同时具备收入和目标的数据：已跳过收入与目标对比图。",
    # misc
    "interactive": "交互式运行：从 {folder} 读取结果。",
    # nb
    "nb.00_data_overview": "数据概览",
    "nb.01_goal_decomposition": "目标分解",
    "nb.02_performance_review": "业绩评估",
    "nb.03_market_trends": "市场趋势",
    "nb.04_customer_segmentation": "客户细分",
    "nb.05_risk_monitoring": "风险监控",
    "nb.executive_summary": "管理层摘要",
    # nav
    "nav.all": "全部报告",
    # idx
    "idx.title": "销售业绩报告 — {month}",
    "idx.failed": "{n} 份报告运行失败，详见下表。",
    "idx.all_ok": "全部报告运行成功。",
    "idx.pack": "摘要与全部报告合为一个可打印文件（A4）",
    "idx.meta": "数据：{source} · 截至 {as_of} · 指纹 {fingerprint} · 生成于 {finished}",
    "idx.seconds": "耗时（秒）",
    "idx.files": "文件",
    "idx.page": "页面",
    "idx.notebook": "笔记本",
    "idx.results": "结果",
    "idx.manifest": "记录本次运行的参数、数据指纹、软件包版本与 git 提交。",
    "idx.scorecards": "销售代表记分卡",
    "idx.idle_reason": "截至 {month} 的 {months} 个月内没有订单也没有商机",
    "idx.no_scorecard": "{n} 名销售代表未生成记分卡（{reason}）：{reps}。",
    # label
    "label.revenue": "收入",
    "label.target": "目标",
    "label.actual": "实际",
    "label.attainment": "目标完成率",
    "label.window": "期间",
    # window
    "window.mtd": "本月",
    "window.qtd": "本季度累计",
    "window.ytd": "本年累计",    # ---------------------------------------------------------------- table headers: column.<name>
    "column.table": "数据表",
    "column.rows": "行数",
    "column.columns": "列数",
    "column.date_column": "日期列",
    "column.first_date": "最早日期",
    "column.last_date": "最晚日期",
    "column.severity": "严重程度",
    "column.column": "列",
    "column.message": "说明",
    "column.examples": "示例",
    "column.required": "必填",
    "column.filled": "填充率",
    "column.missing": "缺失数",
    "column.month": "月份",
    "column.revenue": "收入",
    "column.orders": "订单数",
    "column.order_lines": "订单行数",
    "column.customers": "客户数",
    "column.period": "期间",
    "column.target": "目标",
    "column.plan": "计划",
    "column.amount": "金额",
    "column.region": "区域",
    "column.team": "团队",
    "column.rep": "销售代表",
    "column.rep_id": "销售代表编号",
    "column.name": "姓名",
    "column.key": "对象",
    "column.parent": "上级",
    "column.hired": "入职日期",
    "column.left": "离职日期",
    "column.level": "层级",
    "column.window": "期间",
    "column.actual": "实际",
    "column.gap": "差额",
    "column.gap_pct": "差额 %",
    "column.attainment": "目标达成率",
    "column.rank": "排名",
    "column.status": "状态",
    "column.value": "数值",
    "column.reason": "原因",
    "column.criterion": "标准",
    "column.series": "系列",
    "column.date": "日期",
    "column.category": "品类",
    "column.risk_category": "风险类型",
    "column.channel": "渠道",
    "column.product_id": "产品编号",
    "column.customer_id": "客户编号",
    "column.segment": "细分",
    "column.description": "描述",
    "column.model": "模型",
    "column.total": "合计",
    "column.revenue_month": "本月收入", "column.revenue_qtd": "本季度累计收入", "column.revenue_ytd": "本年累计收入",
    "column.share_12m": "近 12 个月占比", "column.vs_typical": "本月 / 常规月份",
    "column.rank_12m": "近 12 个月排名", "column.reps": "销售代表数",
    "column.share": "占比",
    "column.growth": "增长率",
    "column.start": "开始",
    "column.first": "期初",
    "column.last": "期末",
    "column.metric": "指标",
    "column.measure": "度量",
    "column.trend": "趋势",
    "column.test": "检验",
    "column.statistic": "统计量",
    "column.groups": "组数",
    "column.n": "样本数",
    "column.significant": "显著",
    "column.p_value": "p 值",
    "column.pvalue": "p 值",
    "column.p_adjusted": "校正后 p 值",
    "column.z": "z 值",
    "column.attribute": "属性",
    "column.dimension": "维度",
    "column.direction": "方向",
    "column.ytd_actual": "本年累计实际",
    "column.ytd_target": "本年累计目标",
    "column.annual_target": "年度目标",
    "column.ytd_plan": "本年累计计划",
    "column.annual_plan": "年度计划",
    "column.attainment_ytd": "本年累计达成率",
    "column.required_run_rate": "所需月均收入",
    "column.current_run_rate": "当前月均收入",
    "column.best_run_rate": "历史最佳月均收入",
    "column.beyond_best": "超出历史最佳",
    "column.even": "平均分配",
    "column.history": "上年占比",
    "column.ttm": "近 12 个月占比",
    "column.potential": "市场潜力",
    "column.capacity": "产能",
    "column.blend": "加权组合",
    "column.next_stage": "下一阶段",
    "column.stage": "阶段",
    "column.entered": "进入数",
    "column.advanced": "推进数",
    "column.lost": "丢单数",
    "column.pending": "待定数",
    "column.conversion": "转化率",
    "column.days_mean": "平均天数",
    "column.days_median": "天数中位数",
    "column.created": "新建数",
    "column.qualified": "合格商机数",
    "column.won": "赢单数",
    "column.win_rate": "赢单率",
    "column.avg_deal": "平均单笔金额",
    "column.won_amount": "赢单金额",
    "column.cycle_days": "销售周期（天）",
    "column.open_qualified": "在途合格商机数",
    "column.velocity_per_day": "每日销售速度",
    "column.velocity_per_month": "每月销售速度",
    "column.closed": "已关闭商机数",
    "column.raw_rate": "原始赢单率",
    "column.shrunk_rate": "收缩后赢单率",
    "column.cred_low": "可信区间下限",
    "column.cred_high": "可信区间上限",
    "column.funnel_flag": "漏斗图标记",
    "column.revenue_prev": "上期收入",
    "column.units": "销量",
    "column.units_prev": "上期销量",
    "column.unit_growth": "销量增长率",
    "column.margin": "毛利率",
    "column.share_prev": "上期占比",
    "column.share_change": "占比变化",
    "column.action": "建议",
    "column.weakest_stage": "最薄弱阶段",
    "column.rep_rate": "本人转化率",
    "column.peer_rate": "同侪转化率",
    "column.focus": "辅导重点",
    "column.month_actual": "本月实际",
    "column.month_target": "本月目标",
    "column.month_attainment": "本月达成率",
    "column.month_payout": "本月佣金",
    "column.quarter_actual": "本季度实际",
    "column.quarter_target": "本季度目标",
    "column.quarter_attainment": "本季度达成率",
    "column.quarter_payout": "本季度佣金",
    "column.effective_rate": "实际佣金率",
    "column.forecast_category": "预测类别",
    "column.deals": "商机数",
    "column.currency": "币种",
    "column.ci_low": "置信区间下限",
    "column.ci_high": "置信区间上限",
    "column.value_win_rate": "金额赢单率",
    "column.estimate": "估计",
    "column.effect": "效应",
    "column.trained_reps": "受训代表数",
    "column.other_reps": "其他代表数",
    "column.group": "组别",
    "column.before": "培训前",
    "column.after": "培训后",
    "column.change": "变化",
    "column.team_median": "团队中位数",
    "column.all_median": "全体中位数",
    "column.percentile": "百分位",
    "column.wins": "赢单数",
    "column.pop": "环比增长",
    "column.yoy": "同比增长",
    "column.rolling_yoy": "滚动同比增长",
    "column.candidate": "候选模型",
    "column.mase": "MASE",
    "column.wape": "WAPE",
    "column.bias": "偏差",
    "column.coverage80": "80 % 区间覆盖率（原始）",
    "column.coverage80_calibrated": "80 % 区间覆盖率（校准后）",
    "column.n_forecasts": "回测预测次数",
    "column.chosen": "选用",
    "column.mean": "预测值",
    "column.lo80": "80 % 区间下限",
    "column.hi80": "80 % 区间上限",
    "column.lo95": "95 % 区间下限",
    "column.hi95": "95 % 区间上限",
    "column.revenue_base": "基期收入",
    "column.revenue_current": "本期收入",
    "column.volume": "销量效应",
    "column.mix": "结构效应",
    "column.price": "价格效应",
    "column.competitor": "竞争对手",
    "column.lost_reason": "丢单原因",
    "column.new": "新客户",
    "column.returning": "回头客",
    "column.new_share": "新客户收入占比",
    "column.new_customers": "新客户数",
    "column.returning_customers": "回头客数",
    "column.component": "成分",
    "column.customer_share": "客户占比",
    "column.revenue_share": "收入占比",
    "column.revenue_per_customer": "每客户收入",
    "column.margin_pct": "毛利率",
    "column.retention": "留存率",
    "column.customer_type": "客户类型",
    "column.industry": "行业",
    "column.size_band": "规模档",
    "column.age_band": "年龄段",
    "column.gender": "性别",
    "column.income_band": "收入档",
    "column.cluster": "客户群",
    "column.main_category": "主要品类",
    "column.main_category_share": "主要品类占比",
    "column.distinctive_category": "特色品类",
    "column.median_days_since_last": "距上次购买天数中位数",
    "column.median_orders": "订单数中位数",
    "column.median_revenue": "收入中位数",
    "column.parameter": "参数",
    "column.std_error": "标准误",
    "column.rfm_segment": "RFM 细分",
    "column.clv_total": "CLV 合计",
    "column.clv_mean": "平均 CLV",
    "column.p_alive_mean": "平均活跃概率",
    "column.cohort_year": "同期群年份",
    "column.retained_customers": "留存客户数",
    "column.base_revenue": "基期收入",
    "column.current_revenue": "本期收入",
    "column.expansion": "扩展收入",
    "column.contraction": "收缩收入",
    "column.churned": "流失收入",
    "column.nrr": "净收入留存率",
    "column.grr": "总收入留存率",
    "column.antecedent": "已购",
    "column.consequent": "同时购买",
    "column.n_both": "同时购买客户数",
    "column.support": "支持度",
    "column.confidence": "置信度",
    "column.lift": "提升度",
    "column.clv": "客户终身价值",
    "column.monetary": "平均重复购买金额",
    "column.p_alive": "活跃概率",
    "column.next_best_product": "推荐产品",
    "column.because": "推荐依据",
    "column.responses": "回复数",
    "column.nps": "NPS",
    "column.promoters": "推荐者占比",
    "column.detractors": "贬损者占比",
    "column.csat": "CSAT",
    "column.nps_category": "NPS 类别",
    "column.rag": "状态",
    "column.indicator": "指标",
    "column.entity": "对象",
    "column.threshold": "阈值",
    "column.owner": "负责人",
    "column.alerts": "预警数",
    "column.first_seen": "首次出现",
    "column.overdue": "逾期客户数",
    "column.rate": "比例",
    "column.revenue_at_risk": "风险收入",
    "column.revenue_12m": "近 12 个月收入",
    "column.days_since_last": "距上次购买天数",
    "column.median_interval": "购买间隔中位数（天）",
    "column.p_alive_prev": "3 个月前活跃概率",
    "column.n_entities": "对象数",
    "column.hhi": "HHI",
    "column.hhi_low": "潜在 HHI：下限",
    "column.hhi_high": "潜在 HHI：上限",
    "column.top1": "前 1 名占比",
    "column.top5": "前 5 名占比",
    "column.top10": "前 10 名占比",
    "column.slope_per_window": "每个窗口的斜率",
    "column.quarter": "季度",
    "column.booked": "已入账",
    "column.expected pipeline wins": "商机预期赢单", "column.expected": "预期合计",
    "column.expected run-rate": "预期常规收入",
    "column.P(miss)": "未达成概率",
    "column.remaining": "剩余目标",
    "column.pipeline": "商机金额",
    "column.pipeline_name": "销售流程",
    "column.coverage": "覆盖率",
    "column.expected_run_rate": "预期常规收入",
    "column.needed": "所需商机",
    "column.coverage_needed": "缺口覆盖率",
    "column.opportunity_id": "商机编号",
    "column.close_date": "预计成交日",
    "column.days_in_stage": "停留天数",
    "column.threshold_days": "阈值（天）",
    "column.past_due": "已逾期",
    "column.pushed": "推迟次数",
    "column.days_past_due": "逾期天数",
    "column.days_inactive": "无活动天数",
    "column.weeks": "周数",
    "column.xmr_signals": "XmR 信号数",
    "column.beyond_3sigma": "超出 3σ",
    "column.ewma_signals": "EWMA 信号数",
    "column.deviation": "偏离",
    "column.signal": "信号",
    "column.rise": "升幅",
    "column.creep": "折扣蔓延",
    "column.end_date": "离职日期",
    "column.pipeline_share": "商机占比",
    "column.main_rep": "主要销售代表",
    "column.main_share": "主要代表占比",
    "column.who": "对象",
    "column.scenario": "情景",
    "column.n_reps": "经手销售代表数",
    "column.single_rep": "依赖单一代表",
    "column.rep_left": "代表已离职",
    "column.actual_mtd": "本月实际",
    "column.actual_qtd": "本季度累计实际",
    "column.actual_ytd": "本年累计实际",
    "column.target_mtd": "本月目标",
    "column.target_qtd": "本季度累计目标",
    "column.target_ytd": "本年累计目标",
    "column.plan_mtd": "本月计划",
    "column.plan_qtd": "本季度累计计划",
    "column.plan_ytd": "本年累计计划",
    "column.share_of_plan_ytd": "本年累计计划完成比例",
    "column.p_hit_now": "当前达成概率",
    "column.p_hit_quarter": "本季度达成概率",
    "column.customers_at_risk": "风险客户数",
    "column.high_value": "高价值客户数",
    "column.high_value_revenue": "高价值客户风险收入",
    "column.impact": "收入影响",
    "column.impact_share": "收入影响占比",
    "column.material": "重大",
    "column.kind": "类别",    # ---------------------------------------------------------------- labels, notes, titles: msgid = the English template
    # ---------------------------------------------------------------- shared words
    "yes": "是", "no": "否", "Month": "月份", "Revenue": "收入", "Quarter": "季度", "Total": "合计",
    "Actual": "实际", "Forecast": "预测", "{lvl} % interval": "{lvl} % 区间", "company": "公司",
    "region": "区域", "team": "团队", "rep": "销售代表", "category": "品类", "channel": "渠道",
    "customer": "客户", "customers": "客户", "products": "产品", "regions": "区域",
    # kinds of the risk register's entities (risk.alerts.entity_words): "segment: employment"
    "{label}: {text}": "{label}：{text}",
    "{kind}: {name}": "{kind}：{name}", "product": "产品", "quarter": "季度", "segment": "细分", "opportunity": "商机",
    "MTD": "本月", "QTD": "本季度累计", "YTD": "本年累计", "P10": "P10", "P50": "P50", "P90": "P90",
    "Jan": "1月", "Feb": "2月", "Mar": "3月", "Apr": "4月", "May": "5月", "Jun": "6月", "Jul": "7月",
    "Aug": "8月", "Sep": "9月", "Oct": "10月", "Nov": "11月", "Dec": "12月",
    "red": "红", "amber": "黄", "green": "绿", "critical": "严重", "warning": "警告", "info": "提示",
    "rising": "上升", "flat": "持平", "falling": "下降", "low": "低", "moderate": "中等", "high": "高",
    # ---------------------------------------------------------------- 00 data overview
    "Source: {source} — as of {date}": "数据源：{source} — 截至 {date}",
    "No validation problems.": "未发现数据校验问题。",
    "{n} of {total} contract columns are complete.": "数据契约中的 {total} 列里有 {n} 列完整无缺失。",
    "{n} optional columns hold no value at all, so the sections that need them are skipped: {columns}.":
        "{n} 个可选列完全没有值，需要它们的部分将跳过：{columns}。",
    "{table} ({columns})": "{table}（{columns}）",
    "Net revenue by month, {n} months to {month}": "月度净收入（截至 {month} 的 {n} 个月）",
    # ---------------------------------------------------------------- 01 goal decomposition
    "pass": "通过", "fail": "未通过", "warn": "需关注", "Specific": "具体", "Measurable": "可衡量",
    "Achievable": "可实现", "Relevant": "相关", "Time-bound": "有时限",
    # the reasons and values of the SMART check (salesnb.goals.smart_check)
    "company revenue": "公司收入",
    "one amount for {scope}, FY{fy} ({first} to {last}), broken down by month, week and unit":
        "{scope}的单一金额，FY{fy}（{first} 至 {last}），按月、周和单位分解",
    "target must be a positive amount": "目标必须是正金额",
    "{n} months of history, no empty month": "{n} 个月的历史，无空缺月份",
    "{n} months of history, none empty: progress is measurable; milestones follow working days (a yearly "
    "pattern needs 24)": "{n} 个月的历史，无空缺月份：进度可以衡量；月度里程碑按工作日分配（一年之内的规律需要 24 个月）",
    "milestones follow working days (a yearly pattern needs 24 months)":
        "月度里程碑按工作日分配（一年之内的规律需要 24 个月）",
    "{n} months of history, {gaps} without revenue": "{n} 个月的历史，其中 {gaps} 个月无收入",
    "only {share} of revenue is attributed to a unit": "仅 {share} 的收入归属到单位",
    "{n} months": "{n} 个月", "n/a": "不适用",
    "not enough history to forecast": "历史数据不足，无法预测",
    "likely": "可能达成", "very likely: little stretch": "很可能达成：挑战性不足",
    "a stretch": "有挑战", "unlikely": "不太可能达成",
    "{verdict} ({detail})": "{verdict}（{detail}）",
    "forecast {mean} for FY{fy} ({lo}–{hi} at 80 %), {growth} on FY{prior}, {months} months forecast after {as_of}":
        "FY{fy} 预测 {mean}（80 % 区间 {lo}–{hi}），较 FY{prior} {growth}，{as_of} 之后 {months} 个月为预测",
    "forecast {mean} for FY{fy} ({lo}–{hi} at 80 %), {months} months forecast after {as_of}":
        "FY{fy} 预测 {mean}（80 % 区间 {lo}–{hi}），{as_of} 之后 {months} 个月为预测",
    "the forecast assumes growth slows to {growth}, against {before} a year on average before "
    "({years}): if the business keeps that pace, P(hit) is understated":
        "预测假定增长放缓至 {growth}，而此前年均增长 {before}（{years}）：若业务保持原有增速，达成概率被低估",
    "the forecast assumes growth slows to {growth}, against {before} a year on average before "
    "({years}): if the business keeps that pace, P(hit) is {p} (revenue {mean})":
        "预测假定增长放缓至 {growth}，而此前年均增长 {before}（{years}）：若业务保持原有增速，"
        "达成概率为 {p}（收入 {mean}）",
    "P(hit) {p}": "达成概率 {p}",
    "forecast": "预测",
    "at the recent pace": "按近年增速",
    "no complete prior years to compare growth with": "没有完整的往年数据可供比较增长",
    "only one complete prior year (FY{fy}): no earlier growth to compare with":
        "只有一个完整的往年（FY{fy}）：没有更早的增长可供比较",
    "{pp} pp above the best recent year ({years}): unprecedented":
        "比近年最好的一年高 {pp} 个百分点（{years}）：前所未有",
    "{pp} pp below the weakest recent year ({years}): sandbagging?":
        "比近年最弱的一年低 {pp} 个百分点（{years}）：目标是否定得过低？",
    "in line with recent growth ({years})": "与近年增长一致（{years}）",
    "{growth} growth": "增长 {growth}",
    "FY{fy} ended on {end}": "FY{fy} 已于 {end} 结束",
    "deadline {end}; {left} months left; monthly and weekly milestones":
        "截止日期 {end}；剩余 {left} 个月；设有月度和周度里程碑",
    "{n} months left": "剩余 {n} 个月",
    "FY{fy} target {target} {verdict} (forecast model: {model})":
        "FY{fy} 目标 {target} {verdict}（预测方法：{model}）",
    "passes the SMART check": "通过 SMART 评估", "passes the SMART check with warnings": "通过 SMART 评估，但有警示",
    "fails the SMART check": "未通过 SMART 评估",
    "Annual target": "年度目标", "Probability": "概率", "this target": "本目标",
    "Down-weighted as anomalous: {months}.": "作为异常月份降权：{months}。",
    "No anomalous month.": "无异常月份。",
    "FY{fy} weight": "FY{fy} 权重", "base shape (no CNY, working days or trend)": "基础形态（不含春节、工作日与趋势）",
    "base shape (no working days or trend)": "基础形态（不含工作日与趋势）",
    "every month alike, before working days": "各月相同（未计工作日）",
    "Share of the year": "占全年比例",
    "FY{fy} target": "FY{fy} 目标", "FY{fy} actual": "FY{fy} 实际",
    "Monthly targets against last year's actuals": "月度目标与去年实际对比",
    "Company target by fiscal quarter": "公司各财季目标",
    "{method} (used)": "{method}（采用）", "Region targets and each method's share": "区域目标及各分配方法的占比",
    "FY{fy} target by region ({method})": "FY{fy} 各区域目标（{method}）",
    "FY{fy} target by rep ({method})": "FY{fy} 各销售代表目标（{method}）",
    "Region plans and each method's share": "区域计划及各分配方法的占比",
    "FY{fy} plan by region ({method})": "FY{fy} 各区域计划（{method}）",
    "FY{fy} plan by rep ({method})": "FY{fy} 各销售代表计划（{method}）",
    "Region": "区域", "Rep": "销售代表",
    "Part-year reps: pro-rated by days employed and ramped up over {n} months from the hire date":
        "非全年在岗的销售代表：按在岗天数折算，并自入职日起在 {n} 个月的爬坡期内递增",
    "No market table: the potential share is left out.": "无市场数据表：不使用市场潜力占比。",
    "No reps table: targets stay at company level.": "无销售代表表：目标仅分解到公司层级。",
    "The reps table names no {levels}: targets go to {kept}.": "销售代表表中没有{levels}：目标分解到{kept}。",
    "Every rep is in one region, {region}: it takes the whole plan ({amount}), so the methods are not "
    "compared by region.": "所有销售代表都在同一区域 {region}：该区域承担全部计划（{amount}），因此不按区域比较各分配方法。",
    "Every rep is in one region, {region}: it takes the whole target ({amount}), so the methods are not "
    "compared by region.": "所有销售代表都在同一区域 {region}：该区域承担全部目标（{amount}），因此不按区域比较各分配方法。",
    "{n} of the {k} people in the reps table never booked revenue ({names}): left out of the allocation "
    "(managers or support staff?). Give a new rep a hire date to plan for them.":
        "销售代表表中 {k} 人里有 {n} 人从未产生收入（{names}）：不参与目标分配（可能是经理或支持人员）。"
        "新入职的销售代表请填写入职日期，以便为其制定计划。",
    "The reps table has no hire dates: every rep is planned for the whole year, without ramp-up.":
        "销售代表表没有入职日期：每位销售代表按全年计划，不设爬坡期。",
    "Reps by required ÷ current run-rate: {k} of {n} need more than their best. Rep gaps add up to {gap}":
        "按所需 ÷ 当前月均收入排序：{n} 名销售代表中有 {k} 名所需业绩超过其历史最佳。各代表缺口合计 {gap}",
    "Reps by required ÷ current run-rate: {k} of {n} need more than their best. Rep gaps add up to {gap}: one "
    "rep has already sold more than their number for the whole year, by {surplus}, which does not offset the "
    "others' gaps":
        "按所需 ÷ 当前月均收入排序：{n} 名销售代表中有 {k} 名所需业绩超过其历史最佳。各代表缺口合计 {gap}："
        "1 名销售代表的销售额已超过其全年数字 {surplus}，超出部分不抵消他人的缺口",
    "Reps by required ÷ current run-rate: {k} of {n} need more than their best. Rep gaps add up to {gap}: {m} "
    "reps have already sold more than their number for the whole year, by {surplus} together, which does not "
    "offset the others' gaps":
        "按所需 ÷ 当前月均收入排序：{n} 名销售代表中有 {k} 名所需业绩超过其历史最佳。各代表缺口合计 {gap}："
        "{m} 名销售代表的销售额已超过各自的全年数字，合计超出 {surplus}，超出部分不抵消他人的缺口",
    "beyond best": "超出历史最佳", "within best": "在历史最佳以内",
    # ---------------------------------------------------------------- 02 performance review
    "Company and regions, {month}": "公司与各区域，{month}", "Teams, quarter to date": "各团队，本季度累计",
    "Rep attainment, quarter to date ({month})": "销售代表目标达成率，本季度累计（{month}）",
    "Attainment (actual ÷ target)": "目标达成率（实际 ÷ 目标）",
    "Stage-to-stage conversion, company": "阶段间转化率，全公司", "Stage-to-stage conversion": "阶段间转化率",
    "Stage": "阶段", "Advanced ÷ (advanced + lost)": "推进数 ÷（推进数 + 丢单数）",
    "No opportunities table: funnel, cycle length, win rates, coaching, calibration and training skipped.":
        "无商机表：跳过漏斗、销售周期、赢单率、辅导、预测校准与培训评估。",
    "Funnel by team, {n} months to {month} (created and qualified: the deals created in those months; qualified, "
    "open: the deals still open at the end of {month}; won, lost and the rates: the deals closed in those months, "
    "some created before them)":
        "各团队漏斗指标，截至 {month} 的 {n} 个月（新建数与合格商机数：这些月份内创建的商机；在途合格商机数：{month} "
        "月末仍未结的商机；赢单数、丢单数及各比率：这些月份内关闭的商机，其中一些创建于此前）",
    "Share of deals still undecided, by age (Kaplan–Meier)": "按商机存续天数的未决商机占比（Kaplan–Meier）",
    "Days since the deal was created": "商机创建后的天数", "Still open": "仍未结",
    "KM median {d} d": "KM 中位数 {d} 天", "won-only mean {d} d": "仅赢单均值 {d} 天",
    "Kaplan–Meier median {median} days (95 % CI {lo}–{hi}; {n} open deals censored); the usual CRM figure, the "
    "mean cycle of won deals only, is {naive} days.":
        "Kaplan–Meier 中位数 {median} 天（95 % 置信区间 {lo}–{hi}；{n} 个未结商机作删失处理）；CRM 常用的指标，即仅按赢单计算的平均周期，为 {naive} 天。",
    "Win rate by rep: funnel plot (dotted 95 %, dashed 99.8 %)": "各销售代表赢单率漏斗图（点线 95 %，虚线 99.8 %）",
    "Closed deals": "已关闭商机数", "Raw win rate": "原始赢单率",
    "within": "在界限内", "high (95 %)": "偏高（95 %）", "high (99.8 %)": "偏高（99.8 %）",
    "low (95 %)": "偏低（95 %）", "low (99.8 %)": "偏低（99.8 %）",
    "Top {n} by shrunk win rate (90 % credible interval), then any rep flagged further down":
        "收缩后赢单率前 {n} 名（90 % 可信区间），其后列出排名更靠后但被标记的销售代表",
    "Reps outside the 99.8 % limits": "超出 99.8 % 界限的销售代表", "No rep outside the 99.8 % limits.": "没有销售代表超出 99.8 % 界限。",
    "push": "重点推广", "review": "复盘", "maintain": "维持",
    "Categories, {n} months to {month}, against the same months a year earlier": "品类：截至 {month} 的 {n} 个月，与上年同期对比",
    "No product to push or review: of {n} products, {clauses}.": "没有需要重点推广或复盘的产品：{n} 个产品中，{clauses}。",
    "No product to push or review: no product sold in the window or in the same months a year earlier.":
        "没有需要重点推广或复盘的产品：本期和上年同期均无产品销售。",
    "{k} are first sales (none sold in the same months a year earlier)": "{k} 个为首次销售（上年同期无销售）",
    "{k} sold too few to judge": "{k} 个销量过少无法判断",
    "{k} changed share no more than chance allows": "{k} 个占比变化未超出随机波动范围",
    "{k} are held at maintain by their margin (a gain in share at a margin below the median, or a fall at one at "
    "or above it)": "{k} 个因毛利率维持现状（占比上升但毛利率低于中位数，或占比下降但毛利率不低于中位数）",
    "{k} of {n} {what} sold nothing in the window after at most {most} orders in the same months a year earlier: "
    "so few orders can all go by chance (an exact test on the number of orders, 95 %), too few sales to judge "
    "rather than review.":
        "{n} 个{what}中有 {k} 个本期无销售，上年同期至多 {most} 笔订单：订单这么少，全部消失也可能是随机波动"
        "（订单数精确检验，95 %），销量过少，无法判断，不建议复盘。",
    "{k} of {n} {what} sold nothing in the window after {least} or more orders in the same months a year "
    "earlier, more than chance takes away (an exact test on the number of orders, 95 %): review ({names}).":
        "{n} 个{what}中有 {k} 个本期无销售，上年同期有 {least} 笔或更多订单，超出随机波动范围（订单数精确检验，"
        "95 %）：复盘（{names}）。",
    "first sales": "首次销售", "too few sales to judge": "销量过少，无法判断", "categories": "品类",
    "not compared": "未比较",
    "No product to push or review: the data has no year-earlier months to compare with.":
        "没有需要重点推广或复盘的产品：数据中没有上年同期可供比较。",
    "Products are compared with the same months a year earlier ({months}); the data starts on {date}, after them: "
    "no product is compared, and none is named to push or review.":
        "产品与上年同期（{months}）比较；数据始于 {date}，晚于上年同期：不比较任何产品，也不建议重点推广或复盘。",
    "Products are compared with the same months a year earlier ({months}); the data starts on {date}, inside "
    "them, so their sales are incomplete: no product is compared, and none is named to push or review.":
        "产品与上年同期（{months}）比较；数据始于 {date}，在上年同期之内，其销售不完整：不比较任何产品，也不建议"
        "重点推广或复盘。",
    "{k} of {n} {what} got no push or review: fewer than {units} units both in the window and in the same "
    "months a year earlier are too few sales to judge.":
        "{n} 个{what}中有 {k} 个未给出推广或复盘建议：本期和上年同期销量均不足 {units} 件，销量过少，无法判断。",
    "{k} of {n} {what} moved in share no more than chance allows at their number and size of sales (95 %): "
    "maintain, not push or review.":
        "{n} 个{what}中有 {k} 个的占比变化未超出其销售笔数与金额下的随机波动范围（95 %）：维持，不建议推广或复盘。",
    "{k} of {n} {what} moved in share no more than chance allows at their number and size of sales (95 %, "
    "corrected for the {m} {what} tested: {method}): maintain, not push or review.":
        "{n} 个{what}中有 {k} 个的占比变化未超出其销售笔数与金额下的随机波动范围（95 %，已按检验的 {m} 个{what}校正："
        "{method}）：维持，不建议推广或复盘。",
    "{k} of {n} {what} got no push or review: under {share} of revenue both in the window and in the same "
    "months a year earlier is too little to judge.":
        "{n} 个{what}中有 {k} 个未给出推广或复盘建议：本期和上年同期收入占比均不足 {share}，规模过小，无法判断。",
    "The orders carry no cost: the actions rest on the change in share alone, not on margin.":
        "订单中没有成本数据：建议仅依据份额变化，而非毛利。",
    "Change in revenue share by category": "各品类收入占比变化", "Category": "品类",
    "Share change (points)": "占比变化（百分点）", "Products to push and to review": "应重点推广与需复盘的产品",
    "Orders have no category column: category table skipped.": "订单无品类列：跳过品类表。",
    "Orders have no product_id column: product table skipped.": "订单无 product_id 列：跳过产品表。",
    "negotiation and closing (objection handling, concessions, mutual close plan)":
        "谈判与成交（异议处理、让步策略、共同成交计划）",
    "discovery and qualification (pain, budget, authority, timing)": "需求挖掘与商机确认（痛点、预算、决策权、时间）",
    "value proposition and proposal writing (business case, ROI)": "价值主张与方案撰写（商业论证、投资回报）",
    "no significant gap: keep developing": "无显著差距：持续提升", "stage skills": "阶段技能",
    "Weakest stage per rep (correction: {method})": "各销售代表最薄弱阶段（多重比较校正：{method}）",
    "Benjamini–Hochberg, false discovery rate": "Benjamini–Hochberg 法，控制错误发现率",
    "Holm, family-wise error rate": "Holm 法，控制族错误率",
    "Bonferroni, family-wise error rate": "Bonferroni 法，控制族错误率",
    "No opportunity_history table: the coaching list needs stage changes and is skipped.":
        "无 opportunity_history 表：辅导清单需要阶段变更记录，已跳过。",
    "Top {n} payouts, quarter to date (all reps in the xlsx export)": "佣金前 {n} 名，本季度累计（全部销售代表见 xlsx 导出）",
    "Closed since {date}": "{date} 以来关闭的商机", "Forecast category": "预测类别",
    "Realised win rate by forecast category (95 % Wilson)": "各预测类别的实际赢单率（95 % Wilson 区间）",
    "Win rate": "赢单率", "Opportunities have no forecast_category: calibration skipped.": "商机无 forecast_category：跳过预测校准。",
    "training": "培训", "placebo": "安慰剂检验", "Effect on the win rate (points)": "对赢单率的影响（百分点）",
    "Win rate before and after": "培训前后的赢单率",
    # ---------------------------------------------------------------- 03 market trends
    "Monthly net revenue": "月度净收入", "Weekly net revenue, last {n} whole weeks": "周度净收入（最近 {n} 个完整周）",
    "Week starting": "周起始日",
    "Company revenue growth, last {n} months ({first} to {last})": "公司收入增长率，最近 {n} 个月（{first} 至 {last}）",
    "Company revenue growth, the {n} months of data ({first} to {last})":
        "公司收入增长率，数据中的全部 {n} 个月（{first} 至 {last}）",
    "Company revenue growth, the only month of data ({first})": "公司收入增长率，数据中仅有的一个月（{first}）",
    "Year-on-year growth needs {yoy} months of data and rolling year-on-year growth {rolling}; the data has {n}, so neither is shown.":
        "同比增长需要 {yoy} 个月的数据，滚动同比增长需要 {rolling} 个月；数据只有 {n} 个月，因此两者均不显示。",
    "{what} growth needs {k} months of data; the data has {n}, so it is not shown.": "{what}增长需要 {k} 个月的数据；数据只有 {n} 个月，因此不显示。",
    "Rolling year-on-year": "滚动同比", "Year-on-year": "同比",
    "A dash (–) marks a growth figure whose comparison period lies before the data starts or had no revenue.":
        "短横线（–）表示该增长率的对比期早于数据起点或当期没有收入。",
    "observed": "实际值", "trend": "趋势", "Revenue and its robust STL trend": "收入及其稳健 STL 趋势",
    "Seasonal profile (1.0 = an average month)": "季节性指数（1.0 = 平均月份）", "Month of year": "月份",
    "Revenue ÷ trend": "收入 ÷ 趋势",
    "Months treated as unusual by the robust decomposition: {months}": "稳健分解中视为异常的月份：{months}",
    "The robust decomposition down-weights {n} months, {run} of them in a row ({months}): that is a change it "
    "does not follow (a level that moved, a season that changed, or a history too short for its growth), not "
    "single unusual months; read the trend and seasonal parts with care.":
        "稳健分解降低了 {n} 个月的权重，其中 {run} 个月连续（{months}）：这是分解未能跟上的变化（水平移动、季节模式改变，"
        "或历史太短而增长太快），而非个别异常月份；请谨慎解读趋势与季节部分。",
    "Company backtest (coverage: raw model intervals, then the calibrated ones delivered)":
        "公司层面回测（覆盖率：先为模型原始区间，后为校准后实际交付的区间）",
    "too few forecasts to judge": "预测次数太少，无法判断",
    "The backtest made {count} per model, fewer than the {min} needed to say how often an {level} % "
    "interval holds the outcome: the coverage is not shown. (A correct {level} % interval covers all of 10 "
    "forecasts once in nine backtests.)":
        "回测中每个模型只做了 {count}，少于判断 {level} % 区间覆盖实际值频率所需的 {min} 次：覆盖率不予显示。"
        "（即使 {level} % 区间完全准确，10 次预测全部落在区间内的情形也只约每九次回测出现一次。）",
    "1 forecast": "1 次预测", "{n} forecasts": "{n} 次预测",
    "The MASE, WAPE and bias rest on only {count} per model: too few to show that one model is better than "
    "another, or that the forecasts run too high or too low. The average of the models is kept.":
        "MASE、WAPE 和偏差每个模型只来自 {count}：太少，既不能说明哪个模型更好，也不能说明预测偏高或偏低。"
        "因此保留各模型的平均。",
    "{model} was chosen on only {count} per model: that is no evidence that it is better than the others.":
        "{model} 是依据每个模型仅 {count}被选中的：这不能证明它优于其他模型。",
    "The MASE, WAPE and bias of the model rest on only {count}, a handful of months: read them as rough.":
        "该模型的 MASE、WAPE 和偏差只来自 {count}（寥寥几个月）：只能作粗略参考。",
    "Company revenue forecast ({model})": "公司收入预测（{model}）",
    "Region forecasts, reconciled to the company total": "各区域预测（已与公司总数协调一致）",
    "Company forecast": "公司预测",
    "Bands are cut at zero, as revenue cannot be negative: the low is {zero} in {n} of the {k} months.":
        "区间在零处截断，因为收入不能为负：{k} 个月中有 {n} 个月的下限为 {zero}。",
    "In {n} of the {k} months a {outer} % bound equals the {inner} % one: the backtest calibration left the "
    "{outer} % band no wider than the {inner} % band on that side, so it is shown at the {inner} % band's edge "
    "(a {outer} % band is never narrower).":
        "{k} 个月中有 {n} 个月的 {outer} % 区间有一端与 {inner} % 区间相同：经回测校准后，{outer} % 区间在该侧"
        "并不比 {inner} % 区间宽，因此显示在 {inner} % 区间的边界上（{outer} % 区间从不更窄）。",
    "Revenue share by {dim}": "按{dim}的收入占比", "Share of revenue": "收入占比",
    "Average selling price by category": "各品类平均售价", "Net revenue per unit": "单位净收入",
    "Discount rate by category": "各品类折扣率", "Discount (1 − net ÷ list)": "折扣（1 − 净价 ÷ 标价）",
    "Price-volume-mix bridge: trailing 12 months vs the 12 months before": "价格-销量-结构分解：近 12 个月对比之前 12 个月",
    "Price, discount and price-volume-mix need orders with both a quantity and a category: skipped.":
        "价格、折扣与价格-销量-结构分解需要订单同时具有数量和品类：已跳过。",
    "Market share by region": "各区域市场份额", "Our revenue ÷ market size": "我方收入 ÷ 市场规模",
    "No market table (period, region, market_size): market share skipped.": "无市场表（period、region、market_size）：跳过市场份额。",
    "Win rate of closed deals": "已关闭商机的赢单率", "Quarter closed": "关闭季度", "Won ÷ (won + lost)": "赢单 ÷（赢单 + 丢单）",
    "competitor": "竞争对手", "lost reason": "丢单原因", "Lost deals by {what}": "按{what}的丢单分布",
    "Share of lost deals": "丢单占比",
    "No opportunities table: competition section skipped.": "无商机表：跳过竞争分析。",
    "new": "新客户", "returning": "回头客", "Revenue from new and returning customers": "新客户与回头客收入",
    "{first} to {last}": "{first} 至 {last}",
    "Last month ({first})": "最近 1 个月（{first}）",
    "Last {n} months ({first} to {last})": "最近 {n} 个月（{first} 至 {last}）",
    "The {n} months of data ({first} to {last})": "数据中的全部 {n} 个月（{first} 至 {last}）",
    "The only month of data ({first})": "数据中仅有的一个月（{first}）",
    "{n} months with sales ({first} to {last})": "{n} 个有销售的月份（{first} 至 {last}）",
    "Left out as too early to tell new from returning customers: {months}. {why}":
        "以下月份过早，无法区分新客户与回头客，不予显示：{months}。{why}",
    "9 in 10 gaps between a customer's purchase months in this data are {n} months or shorter.":
        "本数据中客户相邻两个购买月之间的间隔，九成不超过 {n} 个月。",
    "9 in 10 gaps between a customer's purchase months in this data are one month.":
        "本数据中客户相邻两个购买月之间的间隔，九成为一个月。",
    "No customer bought in two different months, so their usual gap is unknown: {n} months are left out.":
        "没有客户在两个不同月份购买过，因此无法得知通常的购买间隔：不显示 {n} 个月。",
    "The data is too short to tell new from returning customers in any month shown.":
        "数据太短，所显示的月份都无法区分新客户与回头客。",
    # ---------------------------------------------------------------- 04 customer segmentation
    "Report month {month}; data as of {date}.": "报告月份 {month}；数据截至 {date}。",
    "Champions": "冠军客户", "Loyal": "忠诚客户", "Potential loyalists": "潜在忠诚客户", "New": "新客户",
    "At risk": "流失风险客户", "Can't lose": "不可流失客户", "Hibernating": "休眠客户", "Lost": "已流失客户",
    "(new customer)": "（新客户）",
    "Nobody bought on two different days, so no usual gap between purchases is known: the names follow the "
    "recency rank alone.": "没有客户在两个不同的日子购买过，因此无从得知通常的购买间隔：细分名称只按最近购买的排名确定。",
    "1 customer would be At risk, Can't lose, Hibernating or Lost by recency rank alone, but bought within {k} "
    "times her usual gap between purchases: she is named by her frequency and spend instead.":
        "1 位客户若只看最近购买的排名会被归为流失风险客户、不可流失客户、休眠客户或已流失客户，但其距上次购买的时间"
        "不超过她平时购买间隔的 {k} 倍：改按其频次和消费金额命名。",
    "{n} customers would be At risk, Can't lose, Hibernating or Lost by recency rank alone, but bought within "
    "{k} times their usual gap between purchases: they are named by their frequency and spend instead.":
        "{n} 位客户若只看最近购买的排名会被归为流失风险客户、不可流失客户、休眠客户或已流失客户，但其距上次购买的时间"
        "不超过各自平时购买间隔的 {k} 倍：改按其频次和消费金额命名。",
    "{text} {m} of them bought only once, longer ago than the most recent customers: named Potential loyalists, "
    "not New.":
        "{text}其中 {m} 位只购买过一次，且早于最近购买的那批客户：归为潜在忠诚客户，而非新客户。",
    "RFM segments at {date} (revenue: all-time)": "{date} 的 RFM 细分（收入：历史累计）",
    "Share of revenue by RFM segment": "各 RFM 细分的收入占比", "Segment": "细分",
    "Share of all-time revenue": "历史累计收入占比",
    "RFM segment transitions, {prev} → {now}": "RFM 细分迁移，{prev} → {now}",
    "Segment now": "当前细分", "Segment a month earlier": "一个月前的细分",
    "By {attr} — last 12 months": "按{attr} — 最近 12 个月",
    "customer type": "客户类型", "industry": "行业", "size band": "规模档", "age band": "年龄段",
    "gender": "性别", "income band": "收入档",
    "No customers table (or no customer attributes): firmographic and demographic segments skipped.":
        "无客户表（或无客户属性）：跳过企业属性与人口属性细分。",
    "Tests behind the findings": "结论背后的统计检验",
    "revenue per customer": "每客户收入", "margin %": "毛利率", "retention": "留存率",
    "Revenue per customer": "每客户收入", "Margin %": "毛利率", "Retention": "留存率",
    "{metric} differs by {attr} ({test}, {p}): highest for {hi}, lowest for {lo}.":
        "{metric}因{attr}而存在显著差异（{test}，{p}）：{hi} 最高，{lo} 最低。",
    "No evidence that {metric} differs by {attr} ({test}, {p}); treat gaps between {attr2} groups as noise.":
        "没有证据表明{metric}因{attr}而不同（{test}，{p}）；各{attr2}组之间的差距应视为随机波动。",
    "Kruskal-Wallis": "Kruskal-Wallis 检验", "chi-square": "卡方检验",
    "Choosing the number of clusters": "选择客户群数量", "Number of clusters (k)": "客户群数量（k）",
    "Mean silhouette (higher is better)": "平均轮廓系数（越高越好）", "{k} customer clusters": "{k} 个客户群",
    "actual": "实际", "predicted": "预测",
    "Holdout check: purchases in the {n} weeks after calibration": "留出期检验：校准期后 {n} 周的购买情况",
    "Repeat purchase days in calibration ({n} = that many or more)": "校准期内重复购买天数（{n} 表示不少于该值）",
    "Mean purchase days per customer": "每客户平均购买天数",
    "Predicted {pred} purchase days in the holdout, actual {actual} ({diff}).": "留出期预测购买天数 {pred}，实际 {actual}（{diff}）。",
    "BG/NBD (weeks)": "BG/NBD（周）", "Gamma-Gamma": "Gamma-Gamma",
    "Model parameters (maximum likelihood, 95 % intervals)": "模型参数（最大似然估计，95 % 区间）",
    "Gamma-Gamma assumption holds approximately: spend per purchase is at most weakly related to frequency "
    "(Spearman ρ = {rho}, n = {n}).":
        "Gamma-Gamma 假设大致成立：单次购买金额与购买频次至多弱相关（Spearman ρ = {rho}，n = {n}）。",
    "Gamma-Gamma assumption is doubtful: spend per purchase moves with frequency (Spearman ρ = {rho}); read CLV "
    "as indicative.":
        "Gamma-Gamma 假设存疑：单次购买金额随购买频次变化（Spearman ρ = {rho}）；CLV 仅供参考。",
    "Gamma-Gamma assumption is doubtful: spend per purchase moves with frequency (Spearman ρ = {rho}).":
        "Gamma-Gamma 假设存疑：单次购买金额随购买频次变化（Spearman ρ = {rho}）。",
    "{n}-month discounted CLV and P(alive) by RFM segment": "各 RFM 细分的 {n} 个月折现 CLV 与活跃概率",
    "Mean P(alive) by RFM segment": "各 RFM 细分的平均活跃概率", "RFM segment": "RFM 细分",
    "Mean probability the customer is still active": "客户仍活跃的平均概率",
    "Customer retention by first-purchase month": "按首购月份的客户留存率（同期群）",
    "Months since first purchase": "首购后的月数", "First-purchase month": "首购月份",
    "NRR {nrr}, GRR {grr} (last 12 months vs the 12 before).":
        "净收入留存率 {nrr}，总收入留存率 {grr}（近 12 个月对比之前 12 个月）。",
    "Revenue retention by first-purchase year": "按首购年份的收入留存", "Revenue retention by RFM segment a year ago": "按一年前 RFM 细分的收入留存",
    "NRR and GRR by {attr}": "按{attr}的净收入留存率与总收入留存率", "Revenue retained": "收入留存率",
    "NRR": "净收入留存率", "GRR": "总收入留存率",
    "No customer attributes: retention by firmographic segment skipped.": "无客户属性：跳过按企业属性的留存分析。",
    "Strongest affinities (last 12 months)": "关联最强的品类组合（最近 12 个月）",
    "Lift between categories": "品类间提升度", "Also bought": "同时购买", "Bought": "已购",
    "Orders have no {level} column: affinity and next-best-product skipped.": "订单无 {level} 列：跳过关联分析与推荐产品。",
    "Top {n} customers by CLV and what to offer next": "CLV 前 {n} 名客户及推荐产品",
    "Top {n} customers by CLV": "CLV 前 {n} 名客户",
    "popular": "热门产品",
    "NPS and CSAT by RFM segment": "各 RFM 细分的 NPS 与 CSAT",
    "NPS mix differs by segment: {answer} (chi-square test, {p}).": "NPS 构成是否因细分而异：{answer}（卡方检验，{p}）。",
    "NPS by quarter": "各季度 NPS", "CSAT by quarter": "各季度 CSAT", "NPS (−100 … 100)": "NPS（−100 … 100）",
    "CSAT (1–5)": "CSAT（1–5）", "No feedback table: NPS and CSAT section skipped.": "无反馈表：跳过 NPS 与 CSAT 部分。",
    "promoter": "推荐者", "passive": "被动者", "detractor": "贬损者",
    "Retention in the last 12 months by NPS answer a year earlier": "按一年前 NPS 回答的近 12 个月留存率",
    "Yes: each NPS point goes with {pct} higher odds of buying again (p = {p}, n = {n}).":
        "是：NPS 每提高 1 分，再次购买的几率高 {pct}（p = {p}，n = {n}）。",
    "Yes: each NPS point goes with {pct} lower odds of buying again (p = {p}, n = {n}).":
        "是：NPS 每提高 1 分，再次购买的几率低 {pct}（p = {p}，n = {n}）。",
    "No evidence that NPS predicts later retention here (p = {p}, n = {n}).": "没有证据表明 NPS 能预测此后的留存（p = {p}，n = {n}）。",
    "Too few surveyed customers (or no variation in retention) to test.": "受访客户过少（或留存无差异），无法检验。",
    "Membership table (first {n} of {total} rows)": "客户归属表（共 {total} 行中的前 {n} 行）",
    # ---------------------------------------------------------------- 05 risk monitoring
    "Non-pipeline run-rate for the rest of {quarter}: {amount} ({model}).": "{quarter} 剩余期间的非商机常规收入：{amount}（{model}）。",
    "salesnb.trends is not available: seasonal-naive run-rate used.": "salesnb.trends 不可用：使用季节性朴素法估算常规收入。",
    "salesnb.clv is not available: customer risk uses purchase intervals only.": "salesnb.clv 不可用：客户风险仅依据购买间隔判断。",
    "concentration": "集中度", "operational": "运营", "pipeline": "商机", "anomaly": "异常",
    "Overdue rate of a segment, {peer} in the others (churn wave)": "细分逾期率，其他细分为 {peer}（流失潮）",
    "Overdue rate of a segment, {peer} in the others ({n} customers: within chance, not a churn wave)":
        "细分逾期率，其他细分为 {peer}（{n} 位客户：在随机波动范围内，不算流失潮）",
    "Largest {n}-month discount rise (creep if significant)": "{n} 个月内最大折扣升幅（显著即为折扣蔓延）",
    "Largest {n}-month discount rise (within chance: not creep)": "{n} 个月内最大折扣升幅（在随机波动范围内：不算折扣蔓延）",
    "Revenue of the top {n} accounts held by one rep": "前 {n} 大客户中由单一销售代表维护的收入",
    "Revenue share of the 5 largest customers": "前 5 大客户收入占比",
    "Share of open pipeline stalled in its stage": "停滞于当前阶段的未结商机占比",
    "Trailing revenue booked by reps who left": "已离职销售代表的近期收入",
    "Trailing revenue booked by reps who might leave": "可能离职的销售代表的近期收入",
    "Revenue share of high-value customers at risk": "有流失风险的高价值客户收入占比",
    "Pipeline coverage of the gap ({quarter})": "商机对缺口的覆盖率（{quarter}）",
    "Probability of missing the {quarter} target": "未达成 {quarter} 目标的概率",
    "HHI of {what}": "{what}的 HHI",
    "HHI of {what} ({n} of them: an even split gives {even})": "{what}的 HHI（共 {n} 个：平均分布时为 {even}）", "HHI of regions (normalised for their number)": "区域 HHI（按区域数量归一化）",
    "Largest deviation of a region with a control-chart signal": "出现控制图信号的区域中的最大偏离",
    "Open pipeline still owned by reps who left": "仍归属已离职销售代表的未结商机",
    "Win back: account review and outreach to overdue high-value customers": "挽回：复盘客户并主动联系逾期的高价值客户",
    "Tighten discount approval; reassign accounts of departed reps; add a second contact to single-rep key accounts":
        "收紧折扣审批；重新分配离职代表的客户；为单一代表维护的重点客户增加第二联系人",
    "Diversify: reduce the dependence on the largest few": "分散风险：降低对少数最大对象的依赖",
    "Diversify: grow the next tier of accounts; multi-year terms with the largest accounts":
        "分散风险：培育次一级的客户；与最大客户签订多年期合同",
    "Broaden the product mix: cross-sell the smaller products to existing customers":
        "拓宽产品组合：向现有客户交叉销售较小的产品",
    "Grow the smaller regions: coverage and campaigns outside the largest one":
        "发展较小的区域：在最大区域之外加强覆盖与推广",
    "Monitor": "持续监控",
    "Investigate the flagged region/week: data issue, lost deal, or market shift":
        "调查被标记的区域/周：是数据问题、丢单，还是市场变化",
    "Customer Success": "客户成功部", "Sales Operations": "销售运营部", "Head of Sales": "销售负责人",
    "Sales Managers": "销售经理",
    "{n} alerts: {critical} critical, {warning} warning": "{n} 条预警：{critical} 条严重，{warning} 条警告",
    "Critical alerts and one example of each other kind": "严重预警及其他各类预警示例",
    "No alert this month.": "本月没有预警。",
    "{k} of {n} active {segment} customers ({rate}) are overdue against {peer} in other segments (exact test, {p}); {amount} revenue at risk":
        "{segment} 的 {n} 位活跃客户中有 {k} 位（{rate}）逾期未购，其他细分为 {peer}（精确检验，{p}）；风险收入 {amount}",
    "Discount on {category} rose {points} points over {n} months (to {last}; trend p = {p}), rising since about {start}":
        "{category} 的折扣在 {n} 个月内上升 {points} 个百分点（升至 {last}；趋势 p = {p}），约自 {start} 起上升",
    "{indicator} ({entity}) is {value}, above the {rag} threshold {threshold}": "{indicator}（{entity}）为 {value}，高于{rag}色阈值 {threshold}",
    "{indicator} ({entity}) is {value}, below the {rag} threshold {threshold}": "{indicator}（{entity}）为 {value}，低于{rag}色阈值 {threshold}",
    "{alert} (red in the register; a warning, not critical: an exposure that has not cost revenue yet)":
        "{alert}（登记表中为红色；列为警告而非严重：这一风险敞口尚未造成收入损失）",
    "{indicator} is {value}, above the {rag} threshold {threshold}": "{indicator}为 {value}，高于{rag}色阈值 {threshold}",
    "{indicator} is {value}, below the {rag} threshold {threshold}": "{indicator}为 {value}，低于{rag}色阈值 {threshold}",
    "High-value customer {id} ({amount} in 12 months) {reason}: {days} days since the last purchase, usually {usual}":
        "高价值客户 {id}（近 12 个月 {amount}）{reason}：距上次购买 {days} 天，通常间隔 {usual} 天",
    "Deal {id} ({amount}) has been in {stage} for {days} days; {pct} of deals leave it within {limit}":
        "商机 {id}（{amount}）已在「{stage}」阶段停留 {days} 天；{pct} 的商机在 {limit} 天内离开该阶段",
    "{region}: weekly revenue {dev} above its usual level relative to other regions in {month} ({what})":
        "{region}：{month} 相对其他区域的周收入高于常态 {dev}（{what}）",
    "{region}: weekly revenue {dev} below its usual level relative to other regions in {month} ({what})":
        "{region}：{month} 相对其他区域的周收入低于常态 {dev}（{what}）",
    "Key account {id} ({amount}) depended on rep {rep}, who left": "重点客户 {id}（{amount}）依赖的销售代表 {rep} 已离职",
    "overdue": "逾期未购", "P(alive) dropped": "活跃概率下降", "overdue, P(alive) dropped": "逾期未购且活跃概率下降",
    "Share of active customers overdue, by segment": "各细分中逾期未购的活跃客户占比", "Overdue customers (%)": "逾期客户（%）",
    "Overdue rate per segment": "各细分逾期率",
    "Overdue rate": "逾期率", "Other segments' overdue rate": "其他细分的逾期率",
    "No active customer is overdue, so no segment's overdue rate stands out.": "没有逾期的活跃客户，因此没有哪个细分的逾期率突出。",
    "No customer data: customer risk skipped.": "无客户数据：跳过客户风险。",
    "Revenue concentration (HHI) per 3-month window": "各 3 个月窗口的收入集中度（HHI）",
    "3 months ending": "截止月份（3 个月窗口）", "HHI (0-10,000, log scale)": "HHI（0–10,000，对数刻度）",
    "Last 3 months to {month}": "截至 {month} 的最近 3 个月",
    "hhi_customers": "客户 HHI", "hhi_products": "产品 HHI", "hhi_regions": "区域 HHI",
    "hhi_normalized_regions": "区域 HHI（归一化）",
    "Trend over the eight windows (Theil-Sen slope, Mann-Kendall p-value)": "八个窗口的趋势（Theil-Sen 斜率，Mann-Kendall p 值）",
    "up": "上升", "down": "下降", "none": "无",
    "Probability of missing the quarter": "未达成本季度目标的概率",
    "None of the {n} open deals carries an amount: the quarter's forecast from the pipeline and P(miss) cannot "
    "be made.": "{n} 个未结商机都没有金额：无法做出基于商机的季度预测和未达成概率。",
    "The quarter's forecast from the pipeline: what is already won, the open deals × their P(won within the "
    "quarter) and the run-rate (no target to measure it against)":
        "基于商机的季度预测：已赢单金额、未结商机 × 各自的 P(本季度内赢单)，加上常规收入（没有可比较的目标）", "Calibrated stage win rates": "校准后的各阶段赢单率",
    "Calibrated stage win rates: without a stage history (opportunity_history) the data only shows that each "
    "closed deal reached the first stage, so every stage gets the win rate of all closed deals, {rate} ({wins} "
    "of {deals}).":
        "校准后的各阶段赢单率：没有阶段历史（opportunity_history），数据只能说明每个已关闭商机到达过第一阶段，"
        "因此各阶段都采用全部已关闭商机的赢单率 {rate}（{deals} 个中赢单 {wins} 个）。",
    "Coverage by team, this and next quarter": "各团队本季度与下季度的商机覆盖率",
    "Stalled deals": "停滞商机", "Slipped deals": "延期商机", "Deals without recent activity": "近期无活动的商机",
    "{title}: none.": "{title}：无。",
    "{title}: cannot be checked: {why}.": "{title}：无法检查：{why}。",
    "it needs the deals' stage history (opportunity_history) to know how long deals stay in each stage":
        "需要商机的阶段历史（opportunity_history）才能知道商机在各阶段停留多久",
    "the open deals carry no close date": "未结商机没有预计成交日期",
    "the data holds the close dates as finally recorded, not those expected on {date}":
        "数据只有最终记录的成交日期，没有 {date} 当时预计的成交日期",
    "it needs the deals' last activity date (opportunities.last_activity_date)":
        "需要商机的最近活动日期（opportunities.last_activity_date）",
    "{title}: {n} deals, {amount}": "{title}：{n} 个商机，{amount}",
    "log vs peers": "相对同侪（对数）",
    "Weekly revenue relative to other regions — expected false alarms: XmR {xmr} of weeks, EWMA {ewma}":
        "各区域相对其他区域的周收入（预期误报：XmR 约占 {xmr} 的周数，EWMA 约占 {ewma}）",
    "Monthly win rate, XmR chart (expected false alarms {rate} of months)": "月度赢单率 XmR 控制图（预期约 {rate} 的月份出现误报）",
    "Close month": "关闭月份", "Win rate (%)": "赢单率（%）",
    "Discount creep needs orders with a category and a discount (or list_amount): skipped.":
        "折扣蔓延分析需要订单具有品类以及折扣（或 list_amount）：已跳过。",
    "Average discount by category": "各品类平均折扣", "Discount (% of list)": "折扣（占标价 %）",
    "Discount trend over the last 12 months": "最近 12 个月的折扣趋势",
    "No reps table or orders.rep_id: rep exposure skipped.": "无销售代表表或 orders.rep_id：跳过销售代表风险敞口。",
    "left": "已离职", "watch": "关注（可能离职）", "active": "在职",
    "Reps who left: 12-month revenue and open pipeline": "已离职销售代表：近 12 个月收入与未结商机",
    "Largest accounts: {k} of {n} depend on one rep (their main rep sells {share} or more of it)":
        "最大客户：{n} 个中有 {k} 个依赖单一销售代表（主要代表的销售额占比达 {share} 或以上）",
    "No {what} in orders: {label} concentration skipped.": "订单中无 {what}：跳过{label}集中度。",
    "No orders per customer: customer risk skipped.": "无客户订单：跳过客户风险。",
    "No opportunities table: pipeline risk skipped.": "无商机表：跳过商机风险。",
    "The quarter {quarter}: {booked} booked to date plus {forecast} forecast for its remaining {n} month(s) gives {expected} (80 % interval {lo} to {hi}).":
        "{quarter}：至今已入账 {booked}，加上剩余 {n} 个月的预测 {forecast}，全季度合计 {expected}（80 % 区间 {lo} 至 {hi}）。",
    "the company forecast fell back from its full method or its backtest ran one way": "公司预测未能使用完整方法，或其回测偏差始终朝同一方向",
    "No targets for {quarter}: P(miss) skipped.": "{quarter} 无目标：跳过未达成概率。",
    "No targets in the data: P(miss) and pipeline coverage are skipped, as both measure the pipeline against the quarter's target.":
        "数据中没有目标：已跳过未达成概率和商机覆盖率，因为两者都以本季度目标衡量商机。",
    "No targets in the data: pipeline coverage is skipped, as it measures the pipeline against the quarter's target.":
        "数据中没有目标：已跳过商机覆盖率，因为它以本季度目标衡量商机。",
    "The open deals carry no team (neither the opportunities nor the reps table give one): pipeline coverage by team skipped.":
        "未结商机没有团队信息（商机表和销售代表表都未提供）：已跳过按团队的商机覆盖率。",
    "No region in orders: regional control charts skipped.": "订单无区域：跳过区域控制图。",
    "{n} region(s) sold in fewer than {share} of the {weeks} baseline weeks ({examples}): weekly control "
    "charts need regular sales, so they are left out.":
        "{n} 个区域在 {weeks} 个基线周中有销售的周数不足 {share}（{examples}）：每周控制图需要持续的销售，故未纳入。",
    "Only {n} region(s) sell every week or nearly: regional control charts compare each region with the others "
    "and need at least {min}; skipped.":
        "只有 {n} 个区域每周（或几乎每周）都有销售：区域控制图需将各区域与其他区域比较，至少需要 {min} 个；已跳过。",
    "No region sells every week or nearly: regional control charts compare each region with the others and need "
    "at least {min} such regions; skipped.":
        "没有区域每周（或几乎每周）都有销售：区域控制图需将各区域与其他区域比较，至少需要 {min} 个这样的区域；已跳过。",
    "Customer clusters need at least {per} customers per cluster ({k} for {kmin} clusters); this data has {n}: "
    "clusters skipped.":
        "客户聚类每类至少需要 {per} 个客户（{kmin} 类需 {k} 个）；此数据只有 {n} 个：跳过聚类。",
    "fewer than 5 customers per cluster": "每类客户少于 5 个",
    "none, no month of the year is left to forecast": "无：该年已无待预测的月份",
    "history does not cover the 12 months before the last 12, or (almost) no customer bought twice":
        "历史数据未覆盖近 12 个月之前的 12 个月，或（几乎）没有客户复购",
    "Too little weekly history for control charts.": "周度历史过短，无法绘制控制图。",
    # ---------------------------------------------------------------- rep scorecard
    "Rank among {n} reps with a target": "在 {n} 名有目标的销售代表中的排名",
    "Commission under the current plan": "当前佣金方案下的佣金",
    "team {team} median": "{team} 团队中位数", "Net revenue by month, {rep} against the team": "月度净收入：{rep} 与团队对比",
    "Net revenue": "净收入",
    "Rep against peers, {n} months to {month} ({details})": "截至 {month} 的 {n} 个月内销售代表与同侪对比（{details}）",
    "qualified: the deals created in those months": "合格商机数：这些月份内创建的商机",
    "qualified, open: the deals still open at the end of {month}": "在途合格商机数：{month} 月末仍未结的商机",
    "win rate, average deal and cycle days: the deals closed in those months, some created before them":
        "赢单率、平均单笔金额与销售周期：这些月份内关闭的商机，其中一些创建于此前",
    "percentile: share of the other reps below, a tie counting half": "百分位：其他销售代表中低于该代表的人数占比，持平者按一半计",
    "higher is better, except for cycle days, where a low percentile means a faster rep":
        "越高越好，但销售周期除外：百分位低表示该代表成交更快",
    "– where every rep has the same value": "所有销售代表数值相同时为 –",
    "{metric} (lower is faster)": "{metric}（越低越快）",
    "None of the {n} closed deals is recorded lost, where the rest of the team lost {q} of theirs: a record this "
    "clean is less likely than 1 in 200 even allowing for how much reps differ. Lost deals may not be recorded "
    "for this rep: check the export before reading the win rate as high.":
        "{n} 个已关闭商机中没有一个记录为丢单，而团队其他成员的丢单占比为 {q}：即使考虑到销售代表之间的真实差异，"
        "如此干净的记录出现的概率也不到二百分之一。该代表的丢单可能没有被记录：请先核对导出数据，再把其赢单率视为偏高。",
    "Only {k} of the {n} closed deals are recorded lost ({share}), where the rest of the team lost {q} of theirs: "
    "less likely than 1 in 200 even allowing for how much reps differ. Some lost deals may not be recorded for "
    "this rep: check the export before reading the win rate as high.":
        "{n} 个已关闭商机中只有 {k} 个记录为丢单（{share}），而团队其他成员的丢单占比为 {q}：即使考虑到销售代表之间的"
        "真实差异，其概率也不到二百分之一。该代表的部分丢单可能没有被记录：请先核对导出数据，再把其赢单率视为偏高。",
    "{who} ({k} lost of {n})": "{who}（{n} 个中丢单 {k} 个）",
    "Lost deals may not be recorded for {reps}: against the rest of the team, so few lost deals are less likely "
    "than 1 in 200 even allowing for how much reps differ. The funnel plot rates them high; check the export "
    "before reading it so.":
        "以下销售代表的丢单可能没有被记录：{reps}。与团队其他成员相比，即使考虑到销售代表之间的真实差异，丢单如此之少的"
        "概率也不到二百分之一。漏斗图将他们评为偏高；请先核对导出数据，再据此解读。",
    "None of them is recorded lost: lost deals may not be in the data, and then this is no win rate.":
        "其中没有一个记录为丢单：数据中可能没有丢单，那样的话这就不是赢单率。",
    "Win rate {raw} on {n} closed deals; shrunk estimate {shrunk} (90 % credible {lo}–{hi}); company {company}; "
    "funnel plot: {flag}.":
        "{n} 个已关闭商机的赢单率为 {raw}；收缩估计 {shrunk}（90 % 可信区间 {lo}–{hi}）；公司 {company}；漏斗图：{flag}。",
    "No opportunities table: funnel and coaching skipped.": "无商机表：跳过漏斗与辅导。",
    "Stage-to-stage conversion against the company": "阶段间转化率与公司对比",
    "Each stage against all other reps (correction over all reps and stages: {method})":
        "各阶段与其他全部销售代表对比（对全部代表与阶段做多重比较校正：{method}）",
    "Weakest stage: {stage} ({rate} against {peer} for peers). Suggested focus: {focus}.":
        "最薄弱阶段：{stage}（{rate}，同侪为 {peer}）。建议辅导重点：{focus}。",
    # ----------------------------------------------------------------
    # plain-words cluster descriptions (salesnb.segments.kmeans_clusters): built from these pieces
    "Recent": "近期购买", "Fairly recent": "较近购买", "Lapsed": "久未购买",
    "recent": "近期购买", "fairly recent": "较近购买", "lapsed": "久未购买",
    "frequent": "高频", "regular": "定期", "occasional": "偶尔", "same-frequency": "购买频次相同", "one-purchase": "仅购买一次",
    "None of the {n} customers bought on more than one day": "{n} 个客户中没有一个在不止一天购买过",
    "Only {k} of {n} customers bought on more than one day ({share})": "{n} 个客户中只有 {k} 个在不止一天购买过（{share}）",
    "{who}: either almost nobody buys twice, or the customer id names orders rather than people (guest checkouts, "
    "or an export's per-order customer id such as Olist's customer_id: import the person's id, e.g. "
    "customer_unique_id). Repeat purchases, retention and lifetime value cannot be measured: NRR and GRR are "
    "skipped, and RFM frequency and the cohorts below say nothing.":
        "{who}：要么几乎没有人复购，要么客户编号标识的是订单而不是人"
        "（游客下单，或导出文件中按订单生成的客户编号，例如 Olist 的 customer_id：请导入代表个人的编号，例如 "
        "customer_unique_id）。复购、留存与客户生命周期价值无法衡量：跳过 NRR 和 GRR，下方的 RFM 频次与同期群"
        "也没有意义。",
    "high-spend": "高消费", "mid-spend": "中等消费", "low-spend": "低消费",
    "long-standing": "老客户", "established": "稳定客户", "short-lived": "短期客户",
    "{recency}, {frequency}, {spend} customers": "{recency}、{frequency}、{spend}的客户",
    "{recency}, {frequency}, {spend}, {tenure} customers":
        "{recency}、{frequency}、{spend}的{tenure}",
    "mostly {category} ({share} of spend)": "以 {category} 为主（占消费 {share}）",
    "more {category} than average ({share} of spend vs {average})":
        "{category} 占比高于平均（占消费 {share}，平均 {average}）",
    "mixed baskets, led by {category}": "品类混合，{category} 居首",
    "{description}; {basket}": "{description}；{basket}",
    # ----------------------------------------------------------------
    # the data overview's as-of and currency notes (salesnb.data.facts)
    "Data as of {date}: the date set for this run.": "数据截至 {date}：本次运行指定的日期。",
    "Data as of {date}: the date of the export.": "数据截至 {date}：导出日期。",
    "Data as of {date}: the latest date in any table.": "数据截至 {date}：各表中的最晚日期。",
    "Amounts are in {currency} (the reporting currency).": "金额单位：{currency}（报告币种）。",
    "Amounts are in {currency} (the reporting currency); {n} other currencies converted with "
    "fx_rates: {codes}.": "金额单位：{currency}（报告币种）；另有 {n} 种币种已按 fx_rates 换算：{codes}。",
    "monthly rates {first} to {last}, and one rate for every other month": "{first} 至 {last} 的逐月汇率，其余月份各用一个固定汇率",
    "monthly rates {first} to {last}": "{first} 至 {last} 的逐月汇率",
    "one rate for every month": "每个币种一个汇率，适用于所有月份",
    "into {currency}, the corporate currency": "换算为公司本位币 {currency}",
    "into {currency}, worked out through {base}": "换算为 {currency}（经由 {base} 折算）",
    "Rates read at import from {files}: {span}; {into}.": "汇率于导入时读自 {files}：{span}；{into}。",
    "Rates read at import from {files}: {span}.": "汇率于导入时读自 {files}：{span}。",
    "the rates in fx_rates convert into {into} (as the import read them), not into {target}, the run's reporting "
    "currency; import again with reporting_currency: {target} (a --map file), or run with reporting_currency {into}":
        "fx_rates 中的汇率（按导入时读取）换算为 {into}，而非本次运行的报告币种 {target}；请以 reporting_currency: {target}"
        "（--map 文件）重新导入，或以报告币种 {into} 运行",
    "{file} ({n} rows)": "{file}（{n} 行）",
    "{file} (1 row)": "{file}（1 行）",
    "{file} (no rows)": "{file}（无数据行）",
    "The data does not say its currency: amounts are shown without a symbol. Set the run's reporting currency "
    "(the reporting_currency parameter) or add a currency column to the data.":
        "数据未注明币种：金额不带货币符号显示。请为本次运行设置报告币种（参数 reporting_currency），或在数据中添加 currency 列。",
    "Currencies in the data": "数据中的币种",
    # validation warnings shown by the data overview (salesnb.data.validate; errors stop the run)
    "negative amounts, read as returns": "金额为负，按退货处理",
    "discounts outside 0–1: a discount is a fraction of the list price (0.15 = 15 %); percents need "
    "dividing by 100 (scale: 0.01 in the import profile)":
        "折扣超出 0–1：折扣是标价的比例（0.15 = 15 %）；百分数需除以 100（导入配置中写 scale: 0.01）",
    "order lines above {limit} ({factor} times the median line of {median}): check them":
        "订单行金额超过 {limit}（订单行中位数 {median} 的 {factor} 倍）：请核实",
    "order lines above {factor} times the median line of their own currency ({medians}): check them":
        "订单行金额超过其币种订单行中位数（{medians}）的 {factor} 倍：请核实",
    "{n} orders whose lines name different customers": "{n} 个订单的各行客户不一致",
    "{n} orders whose lines name different dates": "{n} 个订单的各行日期不一致",
    "values not found in {table}.{column}": "{table}.{column} 中没有的值",
    # an example row of a finding (salesnb.data.errors.row_example): the ids inside are data
    "row {n} ({ids})": "第 {n} 行（{ids}）",
    "row {n}": "第 {n} 行",
    "(empty)": "（空）",
    "{ids} ({n} times)": "{ids}（{n} 次）",
    "{ids}: {n} different customer_id": "{ids}：{n} 个不同的 customer_id",
    "{ids}: {n} different order_date": "{ids}：{n} 个不同的 order_date",
    # validation errors (a run stops on them; a notebook opened on such data shows them)
    "required table is missing": "缺少必需的数据表",
    "table has no rows": "数据表没有任何行",
    "required column is missing (columns found: {columns})": "缺少必需的列（现有列：{columns}）",
    "values that are not a valid date (YYYY-MM-DD)": "不是有效日期（YYYY-MM-DD）的值",
    "values that are not a valid number (plain decimals such as 1234.50: no thousands separators, decimal "
    "commas, currency, NaN, inf or 1_000)":
        "不是有效数字的值（应为 1234.50 这样的普通小数：不带千位分隔符、小数逗号、货币符号、NaN、inf 或 1_000）",
    "values that are not a valid whole number": "不是有效整数的值",
    "missing values in a required column": "必填列中有空值",
    "values other than {allowed}": "不属于 {allowed} 的值",
    "duplicate {key} ({n} values appear more than once)": "{key} 重复（{n} 个值出现不止一次）",
    "dates after today": "晚于今天的日期",
    "dates after the data's as-of date {date}": "晚于数据截至日期 {date} 的日期",
    "dates before {year}: a typo in the year?": "早于 {year} 年的日期：年份是否写错？",
    "dates before {year} or after {date} (a year after the data's as-of date): a typo in the year?":
        "早于 {year} 年或晚于 {date}（数据截至日期后一年）的日期：年份是否写错？",
    "periods not written YYYY-MM (e.g. 2026-10)": "未按 YYYY-MM 书写的期间（例如 2026-10）",
    "periods not written YYYY-MM (e.g. 2026-10) or * (every month)":
        "未按 YYYY-MM（例如 2026-10）或 *（每个月）书写的期间",
    "periods before {year}: a typo in the year?": "早于 {year} 年的期间：年份是否写错？",
    "periods before {year} or after {month} (a year after the data's as-of date): a typo in the year?":
        "早于 {year} 年或晚于 {month}（数据截至日期后一年）的期间：年份是否写错？",
    "NaN or infinite values (leave the cell empty when unknown)": "NaN 或无穷大的值（未知时请留空）",
    "amounts of {limit} or more: a unit or parsing mistake?": "金额达到 {limit} 或以上：单位或解析是否有误？",
    "no target period matches a month of the orders (targets {t0} to {t1}, orders {o0} to {o1})":
        "没有目标期间与订单的月份相符（目标 {t0} 至 {t1}，订单 {o0} 至 {o1}）",
    "no rep target matches a rep and month of the orders (rep_id and period)":
        "没有销售代表目标与订单的销售代表和月份相符（rep_id 与 period）",
    "amounts of {tables} in {n} currencies: {listed}; set the reporting_currency parameter (e.g. reporting_currency: CNY) "
    "and give an fx_rates table (currency, period, rate) so that they can be added up":
        "{tables} 的金额使用了 {n} 种币种：{listed}；请设置参数 reporting_currency（例如 reporting_currency: CNY），"
        "并提供 fx_rates 表（currency、period、rate），才能将它们相加",
    "{currency} ({n} rows)": "{currency}（{n} 行）",
    "{table}: {currencies}": "{table}：{currencies}",
    "{n:,} order rows": "{n:,} 行订单",
    "{n:,} deal rows": "{n:,} 行商机",
    "{n:,} rows of {table}": "{table} {n:,} 行",
    "no exchange rate to {target} in fx_rates for these currencies and months ({what}); add rows (currency, "
    "period YYYY-MM or *, rate) to fx_rates":
        "fx_rates 中缺少以下币种和月份换算为 {target} 的汇率（{what}）；请在 fx_rates 中添加行（currency、"
        "period（YYYY-MM 或 *）、rate）",
    "the file is empty (no header row, no data): it needs a header row naming the columns and at least one row":
        "文件为空（没有表头行，也没有数据）：需要一行列名表头和至少一行数据",
    "error": "错误",
    # ----------------------------------------------------------------
    # added after the merge of the goals, forecast, CLV and risk branches: the automatic plan (计划) and
    # the notes shown when the history is short or a table is missing
    # 01 goal decomposition: an automatic plan is a 计划, a given target a 目标
    "FY{fy} plan {target} {verdict} (forecast model: {model})":
        "FY{fy} 计划 {target} {verdict}（预测方法：{model}）",
    "P(reaching the FY{fy} plan) by amount": "不同金额下达成 FY{fy} 计划的概率",
    "P(reaching the FY{fy} target) by amount": "不同金额下达成 FY{fy} 目标的概率",
    "Annual plan": "年度计划", "this plan": "本计划", "FY{fy} plan": "FY{fy} 计划", "Plan": "计划",
    "Target": "目标",
    "Monthly plan against last year's actuals": "月度计划与去年实际对比",
    "Company plan by fiscal quarter": "公司各财季计划",
    "Revenue to date against the plan (as of {month})": "截至 {month} 的累计收入与计划对比",
    "Revenue to date (as of {month})": "截至 {month} 的累计收入",
    "Revenue to date against the target (as of {month})": "截至 {month} 的累计收入与目标对比",
    "Required ÷ current": "所需 ÷ 当前",
    "No P(hit) curve: it needs a target or plan and at least 13 months of history before the check date.":
        "无达成概率曲线：需要目标或计划，且检验日期前至少有 13 个月的历史数据。",
    "No target or plan: the year → quarter → month → week breakdown is skipped. Set an annual target for "
    "the run (the annual_target parameter).":
        "无目标或计划：跳过年 → 季度 → 月 → 周的分解。请为本次运行设置年度目标（参数 annual_target）。",
    # 02 performance review
    "No opportunities table: this section needs the CRM's deals (opportunities).":
        "无商机表：本节需要 CRM 中的商机数据（opportunities）。",
    "No targets table: there is no attainment to pay commission on.": "无目标表：没有可据以计算佣金的目标达成。",
    "Orders carry no rep_id: attainment, payouts and revenue per rep skipped.":
        "订单缺少 rep_id：跳过目标达成、佣金与各销售代表收入部分。",
    "The orders carry no rep_id: attainment, payout and revenue per rep skipped.": "订单没有 rep_id：已跳过目标达成、佣金和各销售代表收入。",
    "No targets table: attainment and payout skipped; the rep's revenue is shown instead. Add a targets table (period, level, key, amount) to measure attainment.": "没有目标表：已跳过目标达成和佣金，改为显示该销售代表的收入。添加目标表（period、level、key、amount）即可衡量目标达成。",
    "The targets table has no target for this rep this month: attainment and payout skipped; the rep's revenue is shown instead.": "目标表中没有该销售代表本月的目标：已跳过目标达成和佣金，改为显示其收入。",
    "Revenue of {rep}, {month} (rank: by revenue over the last 12 months among the {n} reps who booked any; vs typical: the month against the rep's median month)": "{rep} 的收入，{month}（排名：按近 12 个月收入在 {n} 位有收入的销售代表中排名；本月 / 常规月份：本月与该代表月收入中位数之比）",
    "This rep booked no revenue in the last 12 months.": "该销售代表近 12 个月没有收入。",
    "the rep has a target (attainment instead)": "该销售代表有目标（改为显示目标达成）",
    "No targets table: attainment and payouts skipped, revenue per rep below. Add a targets table "
    "(period, level, key, amount) to measure attainment.":
        "无目标表：跳过目标达成与佣金部分，下方列出各销售代表的收入。添加目标表（period、level、key、amount）"
        "即可衡量目标达成率。",
    "Revenue per rep, {month} (vs typical: the month against the rep's median month of the last 12 with revenue)":
        "各销售代表收入，{month}（本月 / 常规月份：本月收入与该代表近 12 个月有收入月份中位数之比）",
    "Revenue per rep, 12 months to {month}": "各销售代表收入，截至 {month} 的 12 个月",
    "Revenue, last 12 months": "近 12 个月收入",
    "No training table (or no opportunities): training impact skipped.": "无培训表（或无商机）：跳过培训效果评估。",
    "Not tested, as fewer than two {attr} groups have {k} customers or more (groups with fewer are left out of the "
    "tests).":
        "未检验，因为{attr}中客户数不少于 {k} 的组不足两个（客户更少的组不参与检验）。",
    # 03 market trends
    "Growth by segment, {month}": "按细分的增长率，{month}",
    "{n} growth figure(s) not shown (–): the period each compares with is under {share} of the "
    "segment's usual level (its mean month over the last 12 months; for rolling YoY, its last 12 "
    "months), a base too small for a percentage to mean anything.":
        "{n} 个增长率未显示（–）：其比较基期不到该细分常规水平的 {share}（最近 12 个月的月均值；滚动同比则为"
        "最近 12 个月合计），基数过小，百分比没有意义。",
    "{n} growth figure(s) not shown (–): the segment had no revenue in the period each compares "
    "with, or the data does not reach back to it.":
        "{n} 个增长率未显示（–）：该细分在比较基期没有收入，或数据未覆盖到该基期。",
    # 04 customer segmentation (salesnb.clv.explain)
    "Both models pass their checks.": "两个模型均通过检验。",
    "Both models pass their checks (holdout error {err}, tolerance ±{tol}).":
        "两个模型均通过检验（留出期误差 {err}，容差 ±{tol}）。",
    "P(alive) is not shown and must not be used (for risk or targeting): the purchase model failed its checks "
    "above.": "不显示活跃概率，也不得将其用于风险判断或客户定位：购买模型未通过上文的检验。",
    "How to read P(alive): it falls when a customer's silence is long compared with her own buying rhythm, so a "
    "frequent buyer who stops is flagged quickly and an occasional one slowly. Customers with a single purchase day "
    "have P(alive) = 1 by construction (the model lets customers drop out only after a repeat purchase); their low "
    "expected purchases and CLV carry the warning instead.":
        "如何理解活跃概率：当客户的沉默期相对其自身购买节奏较长时，活跃概率下降，因此频繁购买的客户一旦停止会很快被标记，"
        "偶尔购买的客户则较慢。只有一个购买日的客户按模型构造活跃概率为 1（模型只允许客户在重复购买之后流失）；"
        "对他们的警示体现在较低的预期购买次数和 CLV 上。",
    "Top {n} customers by average repeat purchase value and what to offer next": "平均重复购买金额前 {n} 名客户及推荐产品",
    "– as next best product: the customer has already bought every {level} sold in the last 12 months.":
        "推荐产品为 – ：该客户已买过最近 12 个月售出的每一种{level}。",
    "No reason or lift: no affinity points to the offer, so it is the most popular {level} the customer lacks.":
        "无依据或提升度：没有关联规则指向该推荐，因此推荐的是该客户尚未购买的最热门{level}。",
    "Top {n} customers by average repeat purchase value": "平均重复购买金额前 {n} 名客户",
    # 05 risk monitoring
    "Customers at risk: high-value customers overdue or whose P(alive) dropped (the headline figure), and all "
    "active customers at risk":
        "风险客户：逾期未购或活跃概率下降的高价值客户（核心指标），以及全部有风险的活跃客户",
    "Customers at risk": "风险客户", "Largest high-value customers at risk": "最大的高价值风险客户",
    "Build pipeline: prospecting push, review stalled and slipped deals with reps":
        "建设商机：加强拓客，与销售代表一起复盘停滞和延期的商机",
    "No opportunities table: win-rate chart skipped.": "无商机表：跳过赢单率控制图。",
    "{n} months of closed deals, fewer than the {min} a control chart needs: win-rate chart skipped.":
        "已关闭商机仅覆盖 {n} 个月，少于控制图所需的 {min} 个月：跳过赢单率控制图。",
    # ----------------------------------------------------------------
    # clauses of "; "-joined notes (translated clause by clause through "{description}; {basket}")
    "Signals in {month} (deviation: the month against the baseline; impact: its revenue effect)":
        "{month} 的信号（偏离：当月相对基线；收入影响：其对收入的影响）",
    "As of {month}: revenue {mtd} this month, {qtd} this quarter, {ytd} this fiscal year":
        "截至 {month}：本月收入 {mtd}，本季度 {qtd}，本财年 {ytd}",
    "against {amount} plan to date ({att} of plan)": "同期计划 {amount}（完成计划的 {att}）",
    "against {amount} target to date ({att} of target)": "同期目标 {amount}（完成目标的 {att}）",
    "P(reaching the year's plan) now {p}": "当前达成全年计划的概率 {p}",
    "P(reaching the year's target) now {p}": "当前达成全年目标的概率 {p}",
    # ----------------------------------------------------------------
    # thin-history notes of 03 and the CLV diagnosis of 04 (salesnb.clv.explain)
    "The trend and seasonal decomposition needs 24 months of history; this data has {n}: it is skipped and "
    "returns with two years of data.":
        "趋势与季节性分解需要 24 个月的历史数据；当前数据只有 {n} 个月：已跳过，有两年数据后将恢复。",
    "The forecast could not use its full method, so read it with care: {why}.": "预测未能使用完整方法，请谨慎解读：{why}。",
    "the company forecast could not use its full method: {why}": "公司预测未能使用完整方法：{why}",
    "only {n} observation(s): naive forecast (last value), intervals from the spread of changes":
        "仅有 {n} 个观测值：朴素预测（沿用最后一个值），区间取自各期变化的离散程度",
    "only {n} observation(s): naive forecast (last value), no interval can be estimated":
        "仅有 {n} 个观测值：朴素预测（沿用最后一个值），无法估计区间",
    "constant series (all values {level}): flat forecast, zero-width intervals":
        "常数序列（所有值均为 {level}）：水平预测，区间宽度为零",
    "season length unknown (no frequency): treated as non-seasonal": "季节长度未知（无频率）：按非季节性处理",
    "every candidate failed to fit: seasonal naive used": "所有候选模型均拟合失败：改用季节性朴素预测",
    "an average of two forecasting models ({a} and {b})": "两个预测模型的平均（{a}与 {b}）",
    "an average of three forecasting models ({a}, {b}, {c})": "三个预测模型的平均（{a}、{b}、{c}）",
    "an average of {n} forecasting models ({members})": "{n} 个预测模型的平均（{members}）",
    "an average of two forecasting models": "两个预测模型的平均", "an average of three forecasting models": "三个预测模型的平均",
    "an average of {n} forecasting models": "{n} 个预测模型的平均",
    "exponential smoothing": "指数平滑", "same month last year": "去年同月",
    "same quarter last year": "去年同季度", "same week last year": "去年同周", "same period last year": "去年同期",
    "the value {m} periods earlier": "{m} 个周期前的值", "{words} (seasonal naive)": "{words}（季节性朴素法）",
    "{model}, fitted on a log scale": "{model}（按对数尺度拟合）", "Theta": "Theta 法",
    "exponential smoothing {notation}": "指数平滑 {notation}",
    "last value repeated (naive)": "沿用最后一个值（朴素法）", "last value repeated": "沿用最后一个值",
    "a flat line (the history is constant)": "水平线（历史为常数）",
    "the models were tested on too few past months to check the range around the forecast, so it is the "
    "models' own range": "用于检验模型的过去月份太少，无法检验预测区间，因此区间为模型自身给出的范围",
    "the models were tested on too few past months to check the range around the forecast":
        "用于检验模型的过去月份太少，无法检验预测区间",
    "the models were tested on too few past periods to check the range around the forecast":
        "用于检验模型的过去期间太少，无法检验预测区间",
    "the models were tested on too few past periods to check the range around the forecast, so it is the "
    "models' own range": "用于检验模型的过去期间太少，无法检验预测区间，因此区间为模型自身给出的范围",
    "{n} missing value(s) interpolated": "已插补 {n} 个缺失值",
    "{n} anomalous point(s) replaced by the robust STL fit before modelling": "建模前已用稳健 STL 拟合值替换 {n} 个异常点",
    "{n} months of history is less than two full years, so the forecast cannot learn a yearly pattern and "
    "ignores seasons": "{n} 个月的历史不足两个完整年度，预测无法学到一年之内的规律，因此不考虑季节",
    "{n} quarters of history is less than two full years, so the forecast cannot learn a yearly pattern and "
    "ignores seasons": "{n} 个季度的历史不足两个完整年度，预测无法学到一年之内的规律，因此不考虑季节",
    "{n} weeks of history is less than two full years, so the forecast cannot learn a yearly pattern and "
    "ignores seasons": "{n} 周的历史不足两个完整年度，预测无法学到一年之内的规律，因此不考虑季节",
    "{n} points of history are fewer than two full seasons of {m}, so the forecast cannot learn a seasonal "
    "pattern and ignores seasons": "{n} 个历史数据点不足两个完整季节周期（每个 {m} 个），预测无法学到季节规律，因此不考虑季节",
    "{n} months of history is too short to test the models on past months, so the forecast model is not chosen "
    "by its track record and the range around the forecast is not checked against past errors":
        "{n} 个月的历史太短，无法用过去的月份检验模型，因此预测模型并非按以往表现选出，预测区间也未经过去误差的检验",
    "{n} points of history are too few to test the models on past periods, so the forecast model is not chosen "
    "by its track record and the range around the forecast is not checked against past errors":
        "{n} 个历史数据点太少，无法用过去的期间检验模型，因此预测模型并非按以往表现选出，预测区间也未经过去误差的检验",
    "Lifetime value and P(alive) (the chance that a customer still buys) are not shown, because the data cannot "
    "support them: {plain}. They are left empty in the membership export, with the reason.":
        "不显示客户终身价值与活跃概率（客户仍在购买的概率），因为数据无法支撑：{plain}。客户归属导出中这两项留空并注明原因。",
    "P(alive) and expected purchases are shown, but lifetime value is not, because the data cannot support it: "
    "{plain}.":
        "显示活跃概率与预期购买次数，但不显示客户终身价值，因为数据无法支撑：{plain}。",
    "Technical detail for analysts: {reason}.": "供分析师参考的技术细节：{reason}。",
    # clv_note of the membership export (clv.membership_note), read by sales in the CRM
    "Lifetime value (clv) not given: {why}.": "未提供客户终身价值（clv）：{why}。",
    "Lifetime value (clv) not given: the data cannot support it.": "未提供客户终身价值（clv）：数据无法支撑。",
    "Lifetime value (clv) and chance of still buying (p_alive) not given: {why}.":
        "未提供客户终身价值（clv）与活跃概率（p_alive）：{why}。",
    "Lifetime value (clv) and chance of still buying (p_alive) not given: the data cannot support them.":
        "未提供客户终身价值（clv）与活跃概率（p_alive）：数据无法支撑。",
    "Lifetime value (clv) and chance of still buying (p_alive) not given: they could not be computed for "
    "this customer.": "未提供客户终身价值（clv）与活跃概率（p_alive）：无法为该客户计算。",
    "P(alive) and expected purchases are shown, but lifetime value is not.": "显示活跃概率与预期购买次数，但不显示客户终身价值。",
    "Lifetime value and P(alive) (the chance that a customer still buys) are not shown. They are left empty in "
    "the membership export, with the reason.":
        "不显示客户终身价值与活跃概率（客户仍在购买的概率）。客户归属导出中这两项留空并注明原因。",
    "the purchase history cannot tell customers who stopped buying for good from customers who simply buy "
    "rarely, so the model cannot estimate how likely a customer is to stop, which P(alive) and lifetime value "
    "rest on":
        "购买记录无法区分已永久流失的客户与只是很少购买的客户，因此模型无法估计客户流失的可能性，"
        "而活跃概率和客户终身价值正是以此为基础",
    "the purchase history does not settle how often customers buy again and how likely they are to stop, so "
    "the purchase model's estimates cannot be relied on":
        "购买记录不足以确定客户多久复购一次、流失的可能性有多大，因此购买模型的估计不可靠",
    "the purchase model's forecasts miss by too much: in the last {weeks} weeks, which the model did not see, it "
    "expected {pred} purchase days where customers made {actual} ({err}), more than the ±{tol} it may miss by":
        "购买模型的预测偏差过大：在模型未使用的最近 {weeks} 周里，它预计 {pred} 个购买日，客户实际为 {actual} 个"
        "（{err}），超出允许的 ±{tol}",
    "the purchase model's forecasts miss by too much: in the weeks held back from it, it expected {pred} "
    "purchase days where customers made {actual} ({err}), more than the ±{tol} it may miss by":
        "购买模型的预测偏差过大：在留出的几周里，它预计 {pred} 个购买日，客户实际为 {actual} 个（{err}），"
        "超出允许的 ±{tol}",
    "nobody bought in the weeks held back to test the purchase model, so its forecasts could not be checked":
        "用于检验购买模型的留出期内无人购买，因此无法检验其预测",
    "too few customers bought more than once to estimate what a repeat purchase is worth":
        "购买过不止一次的客户太少，无法估计一次复购的价值",
    "a few very large purchases dominate spending, so the average value of a purchase cannot be estimated":
        "少数金额极大的购买主导了消费，因此无法估计单次购买的平均金额",
    "what a customer's purchases are worth cannot be estimated reliably from this data (the spend model's "
    "estimates are not settled)":
        "无法根据此数据可靠地估计客户购买的价值（消费模型的估计无法确定）",
    "no customer bought on more than one day, so there is no repeat buying to learn from":
        "没有客户有过第二个购买日，因此没有复购行为可供学习",
    "there are only {n} customers, too few to learn how they buy (the models need {min} or more)":
        "只有 {n} 位客户，太少，无法了解其购买方式（模型至少需要 {min} 位）",
    "holdout check: predicted {pred} purchase days, actual {actual} ({err}, tolerance ±{tol})":
        "留出期检验：预测购买天数 {pred}，实际 {actual}（{err}，容差 ±{tol}）",
    # ----------------------------------------------------------------
    # 01 on a history that starts inside the fiscal year (the check, plan and seasonality notes in one)
    # ---------------------------------------------------------------- notes built from parts (Message)
    "{deal}: {amount} × {p}": "{deal}：{amount} × {p}",
    "{n} of this rep's {total} open deals carry no created date: the funnel's created and qualified counts leave "
    "them out (when they were created is not known).":
        "该销售代表的 {total} 个未结商机中有 {n} 个没有创建日期：漏斗的新建数与合格数不计入它们（创建时间不得而知）。",
    "; ": "；", ", ": "、", "{clauses}.": "{clauses}。",
    "The data starts in {start}, after FY{fy} began: the target is checked with what is known at {asof}, not "
    "at planning time.": "数据始于 {start}，晚于 FY{fy} 的开始：目标按 {asof} 时已知的信息检验，而非规划时点。",
    "FY{fy_prev} has {n} months in the data: its revenue (the base) adds a forecast of the other {missing}.":
        "数据中 FY{fy_prev} 有 {n} 个月：其收入（基数）加上其余 {missing} 个月的预测。",
    "FY{fy_prev} is not complete in the data (it starts in {start}): the automatic plan (last year × (1 + "
    "growth)) cannot be set. Set an annual target for the run (the annual_target parameter) to check and break "
    "down a target.":
        "数据中 FY{fy_prev} 不完整（始于 {start}）：无法设定自动计划（上年 × (1 + 增长率)）。"
        "请为本次运行设置年度目标（参数 annual_target）以检验并分解目标。",
    "FY{fy_prev} is not in the data (it starts in {start}): the automatic plan (last year × (1 + growth)) cannot "
    "be set. Set an annual target for the run (the annual_target parameter) to check and break down a target.":
        "数据中没有 FY{fy_prev}（数据始于 {start}）：无法设定自动计划（上年 × (1 + 增长率)）。"
        "请为本次运行设置年度目标（参数 annual_target）以检验并分解目标。",
    "FY{fy_prev} is not complete in the data: the automatic plan (last year × (1 + growth)) cannot be set. "
    "Set an annual target for the run (the annual_target parameter) to check and break down a target.":
        "数据中 FY{fy_prev} 不完整：无法设定自动计划（上年 × (1 + 增长率)）。"
        "请为本次运行设置年度目标（参数 annual_target）以检验并分解目标。",
    "Seasonality needs 24 months of history; this data has {n} month(s) before {month}: the monthly weights follow "
    "working days ({calendar}). Seasonal weights return with two years of data.":
        "季节性需要 24 个月的历史数据；{month} 之前只有 {n} 个月：月度权重按工作日（{calendar}）分配。"
        "有两年数据后将恢复季节性权重。",
    "Monday to Friday": "周一至周五",
    "Chinese New Year falls on {date} in {fy} ({date_prev} in {fy_prev}); a month holding the whole slow "
    "window sells {effect} less.":
        "{fy} 年春节为 {date}（{fy_prev} 年为 {date_prev}）；完整覆盖春节淡季窗口的月份销量低 {effect}。",
    "Trend growth {growth} a year; working-day elasticity {elasticity} (calendar: {calendar}).":
        "趋势增长率每年 {growth}；工作日弹性 {elasticity}（日历：{calendar}）。",
    " (P(hit) at planning {p}.)": "（规划时达成概率 {p}。）",
    "Seasonal weights of FY{fy} ({method})": "FY{fy} 季节性权重（{method}）",
    "seasonal": "季节性", "working days": "工作日",
    "Required ÷ current monthly run-rate per rep (after {month}; capped at 5)":
        "各销售代表所需 ÷ 当前月均收入（{month} 之后；上限为 5）",
    "P(reaching this quarter's plan) {p}": "达成本季度计划的概率 {p}",
    "P(reaching this quarter's target) {p}": "达成本季度目标的概率 {p}",
    "no plan to compare with": "无可对比的计划", "no target to compare with": "无可对比的目标",
    "Fewer than half of the {n} deals have been decided so far: no median cycle length yet ({open} open "
    "deals).": "{n} 个商机中已有结果的不足一半：尚无销售周期中位数（{open} 个未结商机）。",
    "no upper bound yet": "尚无上限",
    "No deal in the data is open, so nothing is censored and this is the cycle of closed deals only: if the export "
    "or the import left the open deals out, deals take longer than this.":
        "数据中没有未结商机，因此没有删失数据，此周期只反映已关闭的商机：如果导出或导入时遗漏了未结商机，"
        "实际销售周期会比这更长。",
    "{n} deals recorded won or lost with a close date after the data's last date are left out: that date is a "
    "plan typed ahead, and when they closed is not known.":
        "{n} 个记录为赢单或丢单、但成交日期晚于数据最后日期的商机未计入：该日期是预先填写的计划日期，实际何时关闭不得而知。",
    "{n} deals recorded won or lost carry a close date after the data's last date ({date}), a plan typed ahead: "
    "they count as won or lost in this window (they closed by then), not in the open pipeline, and the cycle "
    "days leave them out (when they closed is not known).":
        "{n} 个记录为赢单或丢单的商机，其成交日期晚于数据最后日期（{date}），是预先填写的计划日期：它们计入本窗口的赢单或丢单"
        "（此前已关闭），不计入在途商机，销售周期（天）也不计入它们（实际何时关闭不得而知）。",
    "{n} open deals have no created date: created and qualified leave them out (when they were created is not "
    "known); qualified, open counts those that reached the qualified stage.":
        "{n} 个未结商机没有创建日期：新建数与合格数不计入它们（创建时间不得而知）；在途合格商机数计入其中已达到合格阶段的商机。",
    "{n} open deals without a created date are left out: how long they have been open is not known.":
        "{n} 个没有创建日期的未结商机未计入：不知道它们已经开放了多久。",
    "{n} closed deals with a close date before their created date are left out: their cycle cannot be read "
    "(the data overview lists them).":
        "{n} 个已关闭商机的成交日期早于创建日期，未计入：无法据此得出销售周期（数据概览列出了这些商机）。",
    "{n} closed deals have a close date before their created date: the cycle days leave them out (the data "
    "overview lists them).":
        "{n} 个已关闭商机的成交日期早于创建日期：销售周期（天）不计入它们（数据概览列出了这些商机）。",
    "won or lost deals whose close date is before their created date: no sales cycle can be read from them, so "
    "the cycle leaves them out":
        "成交日期早于创建日期的赢单或丢单商机：无法据此得出销售周期，销售周期不计入它们",
    "Kaplan–Meier median {median} days (95 % CI {lo}–{hi}) ({n} open deals censored).":
        "Kaplan–Meier 中位数 {median} 天（95 % 置信区间 {lo}–{hi}）（{n} 个未结商机作删失处理）。",
    "No deal was won or lost in the last {n} months: rep win rates and the funnel plot need closed deals.":
        "最近 {n} 个月内没有赢单或丢单的商机：销售代表赢单率与漏斗图需要已关闭的商机。",
    "Training impact skipped: {why}.": "跳过培训效果评估：{why}。",
    "Growth and retention by segment compare the last 12 months with the 12 before, which this data does not "
    "cover (it starts on {date}): they are left out.":
        "按细分的增长与留存比较最近 12 个月与此前 12 个月，而本数据未覆盖后者（始于 {date}）：不予列出。",
    "Revenue retention compares the last 12 months with the 12 before; this data starts on {date}, so nobody "
    "bought in the earlier year: NRR and GRR skipped.":
        "收入留存比较近 12 个月与之前 12 个月；数据始于 {date}，此前一年无人购买：跳过净收入留存率与总收入留存率。",
    "Revenue retention compares the last 12 months with the 12 before; this data starts on {date}, inside the "
    "earlier year, so that year's revenue is incomplete and NRR would overstate retention: NRR and GRR skipped.":
        "收入留存比较近 12 个月与之前 12 个月；数据始于 {date}，在前一年之内，该年收入不完整，净收入留存率会被高估："
        "跳过净收入留存率与总收入留存率。",
    "No customer bought in the 12 months before the last 12: NRR and GRR skipped.":
        "近 12 个月之前的 12 个月内没有客户购买：跳过净收入留存率与总收入留存率。",
    "The logistic regression could not be fitted ({error}).": "无法拟合逻辑回归（{error}）。",
    "the likelihood's maximum could not be found (the optimiser stopped without converging)":
        "未能找到似然函数的最大值（优化器未收敛即停止）",
    "parameter {name} ran to the edge of its range ({value}): the data cannot pin it down":
        "参数 {name} 达到取值范围边界（{value}）：数据无法确定该参数",
    "no finite standard error for {params} (the likelihood is flat there)": "{params} 没有有限的标准误（似然函数在该处平坦）",
    "parameter {name} is {value} ± {se}: the data cannot pin it down":
        "参数 {name} 为 {value} ± {se}：数据无法确定该参数",
    "q = {q} ≤ 1: spend per purchase is so heavy-tailed that its mean is infinite under the model; expected "
    "spend is not defined": "q = {q} ≤ 1：单次购买金额分布尾部过重，模型下其均值为无穷大；预期消费无定义",
    "purchase model (BG/NBD): {problem}": "购买模型（BG/NBD）：{problem}",
    "purchase model (BG/NBD), on the whole history and on the calibration period: {problem}":
        "购买模型（BG/NBD），在全部历史和校准期上均如此：{problem}",
    "purchase model on the calibration period: {problem}": "校准期购买模型：{problem}",
    "holdout check impossible: no purchases in the holdout period": "无法进行留出期检验：留出期内没有购买",
    "spend model (Gamma-Gamma): no customer with a repeat purchase to fit it": "消费模型（Gamma-Gamma）：没有重复购买的客户可用于拟合",
    "spend model (Gamma-Gamma): {problem}": "消费模型（Gamma-Gamma）：{problem}",
    "The parameter table is not shown: the estimates of the purchase model (BG/NBD) and the spend model "
    "(Gamma-Gamma) are not settled (see above), so they mean nothing.":
        "未显示参数表：购买模型（BG/NBD）和消费模型（Gamma-Gamma）的估计值不稳定（见上文），没有意义。",
    "The purchase model (BG/NBD) is left out of this table: its estimates are not settled (see above), so they "
    "mean nothing.": "本表未列出购买模型（BG/NBD）：其估计值不稳定（见上文），没有意义。",
    "The spend model (Gamma-Gamma) is left out of this table: its estimates are not settled (see above), so "
    "they mean nothing.": "本表未列出消费模型（Gamma-Gamma）：其估计值不稳定（见上文），没有意义。",
    "holdout check not possible: fewer than {n} customers with a repeat purchase before the {weeks}-week "
    "holdout (the history is too short); the purchase model is not validated":
        "无法进行留出期检验：{weeks} 周留出期之前有重复购买的客户不足 {n} 位（历史过短）；购买模型未经验证",
    "purchase model (BG/NBD) not fitted: it needs at least {min} customers and one repeat purchase, this data "
    "has {n} customers and {k} with a repeat purchase":
        "未拟合购买模型（BG/NBD）：至少需要 {min} 位客户且有重复购买，当前数据有 {n} 位客户，其中 {k} 位有重复购买",
    "spend model (Gamma-Gamma) not fitted: too few repeat customers": "未拟合消费模型（Gamma-Gamma）：重复购买客户过少",
    "spend model (Gamma-Gamma) not fitted: fewer than {min} customers with a repeat purchase":
        "未拟合消费模型（Gamma-Gamma）：有重复购买的客户少于 {min} 位",
    "Note: {notes}.": "注意：{notes}。",
    "Risk register, as of {date} (values in their unit)": "风险登记表，截至 {date}（数值按各自单位）",
    "; below materiality ({impact}, {share} of company revenue)": "；未达重要性标准（{impact}，占公司收入 {share}）",
    "Win rate {value} in {month} is above its usual level of {centre} ({what})":
        "{month} 的赢单率 {value} 高于常态水平 {centre}（{what}）",
    "Win rate {value} in {month} is below its usual level of {centre} ({what})":
        "{month} 的赢单率 {value} 低于常态水平 {centre}（{what}）",
    "{n} weeks far above the usual range": "{n} 周远高于常态范围",
    "{n} weeks far below the usual range": "{n} 周远低于常态范围",
    "one week far above the usual range": "1 周远高于常态范围",
    "one week far below the usual range": "1 周远低于常态范围",
    "this month far above the usual range": "本月远高于常态范围",
    "this month far below the usual range": "本月远低于常态范围",
    "2 of 3 weeks well above the usual level": "连续 3 周中有 2 周明显高于常态",
    "2 of 3 weeks well below the usual level": "连续 3 周中有 2 周明显低于常态",
    "4 of 5 weeks above the usual level": "连续 5 周中有 4 周高于常态",
    "4 of 5 weeks below the usual level": "连续 5 周中有 4 周低于常态",
    "{n} weeks in a row above the usual level": "连续 {n} 周高于常态",
    "{n} weeks in a row below the usual level": "连续 {n} 周低于常态",
    "2 of 3 months well above the usual level": "连续 3 个月中有 2 个月明显高于常态",
    "2 of 3 months well below the usual level": "连续 3 个月中有 2 个月明显低于常态",
    "4 of 5 months above the usual level": "连续 5 个月中有 4 个月高于常态",
    "4 of 5 months below the usual level": "连续 5 个月中有 4 个月低于常态",
    "{n} months in a row above the usual level": "连续 {n} 个月高于常态",
    "{n} months in a row below the usual level": "连续 {n} 个月低于常态",
    "a sustained shift above the usual level in {n} of the month's weeks": "本月有 {n} 周持续偏高",
    "a sustained shift below the usual level in {n} of the month's weeks": "本月有 {n} 周持续偏低",
    "{n} region(s) in the orders: regional control charts compare each region with the others and need at "
    "least {min}; skipped.": "订单中只有 {n} 个区域：区域控制图需将各区域与其他区域比较，至少需要 {min} 个；已跳过。",
    "One {what} only: {label} concentration is total by construction; skipped.": "只有一个{what}：{label}集中度必然为 100 %；已跳过。",
    "{share} of the expected pipeline wins rest on {n} of the {total} open deals with an amount ({deals}), so the expected "
    "total stands or falls with them and P50 is the likelier quarter":
        "预期商机赢单额的 {share} 来自 {total} 个有金额的未结商机中的 {n} 个（{deals}），预期总额取决于它们的成败，"
        "P50 更接近最可能的季度结果",
    "Only {n} customers bought in the window: the 5 largest are all of them, so their revenue share (100 %) "
    "says nothing and is not rated; the HHI judges their concentration.":
        "本窗口内只有 {n} 个客户购买：前 5 大客户就是全部客户，其收入占比（100 %）不说明任何问题，不予评级；"
        "客户集中度由 HHI 判断。",
    "The quarter's forecast counts the {n} deals due by the quarter's end by their close dates, each with its "
    "stage's win rate: there are no deals open in earlier months to learn how often deals due in a quarter are "
    "won in it (close dates slip), so it may be too high and P(miss) too low.":
        "季度预测计入按成交日期应在本季度末前成交的 {n} 个商机，各按其阶段赢单率计算："
        "此前月份没有未结商机，无法得知应在某季度成交的商机有多少真的在该季度赢单（成交日期会推迟），"
        "因此预测可能偏高、未达成概率可能偏低。",
    "The data does not show how the close dates of earlier deals slipped (no close_date_history table), so "
    "today's close dates cannot be checked: the quarter's forecast counts every open deal, each with P(won "
    "within the quarter | stage, age) learned from deals open in earlier months.":
        "数据未显示此前商机的成交日期如何推迟（无 close_date_history 表），因此无法检验当前的成交日期："
        "季度预测计入全部未结商机，各自的 P(本季度内赢单 | 阶段, 存续天数) 从此前月份的未结商机中估计。",
    "The quarter's forecast counts every open deal, each with P(won within the quarter | stage, whether its "
    "close date is past, in the quarter or later, age), learned from deals open in earlier months with the "
    "close dates expected then: {n} of the {total} deals are due by the quarter's end by their close dates.":
        "季度预测计入全部未结商机，各自的 P(本季度内赢单 | 阶段, 成交日期已过/在本季度内/更晚, 存续天数) "
        "从此前月份的未结商机及其当时的预计成交日期中估计：{total} 个商机中有 {n} 个按成交日期应在本季度末前成交。",
    "P(miss) skipped for {date}: the source keeps only final close dates (no close_date_history table), so "
    "which deals were due is not known as of then, and there are no earlier open deals to estimate P(won "
    "within the quarter | stage, age). A close_date_history table (Salesforce's OpportunityHistory) would "
    "enable it.": "跳过 {date} 的未达成概率：数据源只保留最终成交日期（无 close_date_history 表），"
        "因此无法得知当时哪些商机应当成交，且没有更早的未结商机可用于估计 P(本季度内赢单 | 阶段, 存续天数)。"
        "提供 close_date_history 表（Salesforce 的 OpportunityHistory）即可启用。",
    "Close dates as expected on {date} are not in the data (only final ones): the quarter's forecast counts "
    "every deal open then, each with P(won within the quarter | stage, age) learned from deals open in earlier "
    "months.":
        "数据中没有 {date} 时的预计成交日期（只有最终日期）：季度预测计入当时全部未结商机，"
        "各自的 P(本季度内赢单 | 阶段, 存续天数) 从此前月份的未结商机中估计。",
    "Non-pipeline run-rate: {n} months of history, fewer than the {min} the forecaster needs; the "
    "seasonal-naive rule is used.": "非商机常规收入：历史数据 {n} 个月，少于预测模型所需的 {min} 个月；改用季节性朴素法。",
    "P(alive) not used: fewer than 50 customers to fit the BG/NBD model; customer risk uses purchase "
    "intervals only.": "未使用活跃概率：拟合 BG/NBD 模型的客户少于 50 位；客户风险仅依据购买间隔判断。",
    "P(alive) not used: {plain}; customer risk uses purchase intervals only. Technical detail for analysts: "
    "{why}.": "未使用活跃概率：{plain}；客户风险仅依据购买间隔判断。供分析师参考的技术细节：{why}。",
    "P(alive) not used: the BG/NBD fit failed ({error}); customer risk uses purchase intervals only.":
        "未使用活跃概率：BG/NBD 拟合失败（{error}）；客户风险仅依据购买间隔判断。",
    "No deal of this rep was won or lost in the last {n} months: no win rate.": "该销售代表最近 {n} 个月内没有赢单或丢单的商机：无赢单率。",
    "no training session in the data": "数据中没有培训记录",
    "no training session on {topic} in the data": "数据中没有关于 {topic} 的培训记录",
    "the training of {date} needs at least two untrained reps with closed deals to compare with; this data "
    "has {n}": "{date} 的培训需要至少两名有已关闭商机的未受训销售代表作对照；当前数据只有 {n} 名",
    "none of the reps trained on {date} closed a deal in the window": "{date} 受训的销售代表在窗口期内都没有关闭商机",
    "the reps trained on {date} closed no deal created {when} it in the window":
        "{date} 受训的销售代表在窗口期内没有关闭任何在培训{when}创建的商机",
    "the untrained reps closed no deal created {when} {date} in the window":
        "未受训的销售代表在窗口期内没有关闭任何在 {date} {when}创建的商机",
    "the data cannot tell the training's effect apart from the reps' and the months' own effects":
        "数据无法把培训效果与销售代表自身及各月份的效应区分开",
    "after": "之后",
    "before": "之前",
    "the comparison needs closed deals created both before and after {date}; this data has them only before":
        "对比需要在 {date} 之前和之后创建的已关闭商机；当前数据只有之前的",
    "the comparison needs closed deals created both before and after {date}; this data has them only after":
        "对比需要在 {date} 之前和之后创建的已关闭商机；当前数据只有之后的",
    "The forecast categories are the ones stored on each deal now: a CRM that updates the category when a "
    "deal closes (e.g. to Commit when it is won) makes them look better than they were. Add forecast_category "
    "to opportunity_history to measure the category each deal carried before it closed.":
        "预测类别取自各商机当前存储的值：若 CRM 在商机关闭时更新类别（例如赢单时改为 Commit），类别会显得比实际更准。"
        "请在 opportunity_history 中加入 forecast_category，以衡量各商机关闭前所属的类别。",
    "No closed deal carries commit, best case or pipeline: each carries the category the CRM set at the close "
    "(closed, omitted), so what the forecast categories were worth cannot be measured. Add forecast_category "
    "to opportunity_history (Salesforce: OpportunityHistory) to measure the category each deal carried before "
    "it closed.":
        "没有已关闭商机的类别为 commit、best case 或 pipeline：每个商机都是 CRM 在关闭时设定的类别（closed、omitted），"
        "因此无法衡量预测类别的准确度。请在 opportunity_history 中加入 forecast_category（Salesforce：OpportunityHistory），"
        "以衡量各商机关闭前所属的类别。",
    "Company win rate: {rate} (won ÷ won + lost) of the {n} deals closed in the {months} months to {month}.":
        "公司赢单率：{rate}（赢单 ÷ 赢单 + 丢单），基于截至 {month} 的 {months} 个月内关闭的 {n} 个商机。",
    "No deal was won or lost in the {months} months to {month}: the company win rate is not published.":
        "截至 {month} 的 {months} 个月内没有赢单或丢单的商机：不发布公司赢单率。",
    # mail (salesnb.deliver.mail)
    "mail.subject.leader": "销售月报 {month}",
    "mail.subject.rep": "您的业绩记分卡 {month}",
    "mail.hello": "{name}，您好：",
    "mail.leader.intro": "{month}的销售报告已生成。以下为管理摘要；完整的管理层报告见附件（{files}）。",
    "mail.rep.intro": "附件是您{month}的业绩记分卡（{file}），仅包含您本人的数据。",
    "mail.footer": "由 salesnb 根据{month}的运行结果发送（数据截至 {as_of}）。",
    # mom (salesnb.deliver.mom)
    "mom.h": "环比变化",
    "mom.h.kpis": "关键指标（对比{prev}）",
    "mom.h.alerts": "预警（对比{prev}）",
    "mom.h.alerts.none": "预警环比变化",
    "mom.h.coaching": "辅导名单",
    "mom.h.track": "预测准确度",
    "mom.none": "本报告包没有更早的成功月份可供比较：环比比较将从下个月开始。",
    "mom.first": "与上一个成功的月份{prev}相比。",
    "mom.gap": "与{prev}相比：其间的月份没有成功的报告。",
    "mom.alerts.counts": "新增 {new} 条、持续 {persisting} 条（其中 {worse} 条升级）、已解除 {resolved} 条预警。",
    "mom.alerts.none": "本月和上月均无预警。",
    "mom.coach.none": "辅导名单没有变化。",
    "mom.track.none": "报告中尚无对某月的预测：连续两个月发布后开始跟踪。",
    "mom.track.summary": "月度收入预测：已核对 {n} 次，平均绝对误差 {mape}，{inside} 的月份落在 80 % 区间内。",
    "mom.track.quarter": "季度预测：已核对 {n} 个（P(达标) 的 Brier 分数 {brier}），{pending} 个待所属季度结束后核对。",
    "mom.track.quarter_none": "季度预测：尚无可核对的结果（{pending} 个预测待所属季度结束后核对）。",
    "mom.figure": "指标",
    "mom.now": "本月",
    "mom.before": "上期",
    "mom.change": "变化",
    "mom.id": "预警",
    "mom.severity": "严重程度",
    "mom.status": "状态",
    "mom.message": "说明",
    "mom.rep": "销售代表",
    "mom.kind": "指标",
    "mom.made_in": "预测月份",
    "mom.period": "预测对象",
    "mom.forecast": "预测值",
    "mom.lo80": "下限（80 %）",
    "mom.hi80": "上限（80 %）",
    "mom.actual": "实际",
    "mom.error_pct": "误差",
    "mom.inside_80": "落在 80 % 区间",
    "mom.p_hit": "P(达标)",
    "mom.hit": "达标",
    "mom.new": "新增",
    "mom.persisting": "持续",
    "mom.resolved": "已解除",
    "mom.worse": "升级",
    "mom.better": "降级",
    "mom.joined": "加入",
    "mom.left": "移出",
    "mom.stays": "保留",
    "mom.pending": "待核对",
    "mom.yes": "是",
    "mom.no": "否",
    "mom.critical": "严重",
    "mom.warning": "警告",
    "mom.info": "提示",
    "mom.revenue": "月收入",
    "mom.quarter": "季度收入",
    "mom.revenue_mtd": "本月收入",
    "mom.attain_mtd": "本月达成率",
    "mom.revenue_qtd": "季度累计收入",
    "mom.attain_qtd": "季度累计达成率",
    "mom.revenue_ytd": "年度累计收入",
    "mom.forecast_mean": "季度预测",
    "mom.p_hit_kpi": "季度达标概率",
    "mom.coverage": "管道覆盖率",
    "mom.win_rate": "赢单率",
    "mom.nrr": "净收入留存率",
    "mom.at_risk_n": "风险客户数",
    "mom.at_risk_value": "风险收入",
    "mom.alerts_critical": "严重预警",
    "mom.alerts_warning": "警告预警",
    "No customer bought two different {level} values in the last 12 months: no affinities to show.":
        "最近 12 个月内没有客户购买过两种不同的 {level}：无关联可显示。",
    # notebook notes that only thin or partial data reach (a static test finds every such literal)
    "No stage history and no stages table: the stage order used below is a guess (stages held by more open deals "
    "come first). Add a stages table (stage, stage_order) or the opportunity history to fix it.":
        "无阶段历史，也无阶段表：下面的阶段顺序是推测的（未结商机较多的阶段排在前面）。"
        "添加阶段表（stage, stage_order）或商机历史即可修正。",
    "No deal has been won or lost yet: the cycle length needs closed deals.": "尚无赢单或丢单的商机：销售周期需要已关闭的商机。",
    "Too few resolved deals per rep and stage to test anyone against peers: coaching list skipped.":
        "每位销售代表每个阶段已有结果的商机太少，无法与同侪比较：跳过辅导名单。",
    "No region, category or channel column in orders: growth by segment skipped.": "订单无区域、品类或渠道列：跳过分细分的增长。",
    "Fewer than two regions in orders: company forecast only.": "订单中的区域少于两个：只做公司整体预测。",
    "In the backtest every model's forecasts ran {lo} to {hi} {way} the outcome: the business changed faster "
    "than the models follow, so this forecast is probably too {level}.":
        "回测中每个模型的预测都比实际{way} {lo} 至 {hi}：业务变化快于模型的跟随能力，因此本预测很可能偏{level}。",
    "in the backtest every model's forecasts ran {lo} to {hi} {way} the outcome, so the company forecast is "
    "probably too {level}": "回测中每个模型的预测都比实际{way} {lo} 至 {hi}，公司预测很可能偏{level}",
    "below": "低", "above": "高",
    "{y} by {x}": "{y}，按{x}",
    "No customer bought twice: there is no repeat spend to rank customers by.": "没有客户复购：无复购消费可据以排序客户。", "{title} ({axes})": "{title}（{axes}）",
    "{n} of {k} regions had months without revenue in the last 12 ({names}): their own forecasts are no base to "
    "correct the company's, so the company forecast is kept and split by the regions' forecast shares.":
        "{k} 个区域中有 {n} 个在最近 12 个月内有无收入的月份（{names}）：其自身预测不足以修正公司预测，"
        "因此保留公司预测，并按各区域的预测占比拆分。",
    "The price-volume-mix bridge compares the last 12 months with the 12 before; this data has {n} months: "
    "bridge skipped until 24 months exist.":
        "价格-销量-结构分解比较最近 12 个月与之前 12 个月；此数据只有 {n} 个月：满 24 个月后才做此分解。",
    "No opportunity was won or lost in this window: win rates and competition skipped.":
        "此时间窗口内没有赢单或丢单的商机：跳过赢单率与竞争分析。",
    "No lost deal records a competitor or a lost reason: those views are skipped.": "没有丢单商机记录竞争对手或丢单原因：已跳过这些视图。",
    "No lost deal records a competitor: that view is skipped.": "没有丢单商机记录竞争对手：已跳过该视图。",
    "No lost deal records a lost reason: that view is skipped.": "没有丢单商机记录丢单原因：已跳过该视图。",
    "No customer made a first purchase in the last 24 months: the cohort heatmap needs new customers.":
        "最近 24 个月内没有客户首次购买：同期群热力图需要新客户。",
    "No discount data: discount creep skipped.": "无折扣数据：跳过折扣蔓延分析。",
    "No reps table: rep exposure skipped.": "无销售代表表：跳过销售代表风险敞口。",
    "The reps table records no end date: who left cannot be told, so the revenue and pipeline of departed reps "
    "are not measured.": "销售代表表没有离职日期：无法判断谁已离职，因此不计算离职销售代表的收入与商机。",
    "No rep in the reps table has left (end_date) or is on the watch list: no exposure to show.":
        "销售代表表中没有已离职（end_date）或在观察名单上的销售代表：无风险敞口可显示。",
    "Only {k} of {n} high-value customers bought on {m} days or more: the others have no buying rhythm to be "
    "overdue against, so the customers and revenue at risk are not published.":
        "{n} 个高价值客户中只有 {k} 个在 {m} 天或更多天购买过：其余客户没有可据以判断逾期的购买节奏，因此不发布风险客户数与风险收入。",
    "None of the {n} high-value customers bought on {m} days or more: none has a buying rhythm to be overdue "
    "against, so the customers and revenue at risk are not published.":
        "{n} 个高价值客户中没有一个在 {m} 天或更多天购买过：没有可据以判断逾期的购买节奏，因此不发布风险客户数与风险收入。",
    "{n} of the top {k} accounts bought on one day only, from one rep: whether key accounts depend on a single "
    "rep cannot be told, and the indicator is left out.":
        "前 {k} 个客户中有 {n} 个只在一天内、从一位销售代表处购买：无法判断大客户是否依赖单一销售代表，该指标不予列出。",
    "No active rep in the reps table (or no reps table): this scorecard has nobody to report on.":
        "销售代表表中没有在职的销售代表（或无销售代表表）：此记分卡没有可报告的人。",
    "not recorded": "未记录",
    "This rep has no opportunity in the funnel window: funnel against peers skipped.":
        "此销售代表在漏斗时间窗口内没有商机：跳过与同侪的漏斗对比。",
    "No deal has left a stage yet (all still open): stage conversion needs deals that advanced or were lost.":
        "尚无商机离开任何阶段（全部仍未结）：阶段转化需要已推进或已丢单的商机。",
    "The deals are in {n} pipelines ({names}), each with its own stages: stage-to-stage conversion and the "
    "stage tests are measured per pipeline, and a stage name two pipelines share is two stages. Win rates, "
    "deal sizes, cycle lengths and the funnel by team and by rep add up the deals of every pipeline.":
        "商机分属 {n} 个销售流程（{names}），各有自己的阶段：阶段间转化和阶段检验按销售流程分别计算，两个销售流程中同名的阶段"
        "算作两个阶段。赢单率、平均单笔金额、销售周期以及按团队和按销售代表的漏斗合计所有销售流程的商机。",
    "{pipeline}: {note}": "{pipeline}：{note}",
    "The deals are in {n} pipelines ({names}): each stage's win rate is that of its own pipeline's deals "
    "(shrunk toward that pipeline's win rate), and P(miss) gives each open deal the rate of its pipeline's "
    "stage.":
        "商机分属 {n} 个销售流程（{names}）：每个阶段的赢单率只来自其所属销售流程的商机（向该销售流程的赢单率收缩），"
        "未达成概率按每个未结商机所属销售流程的阶段赢单率计算。",
    "The deals are in {n} pipelines ({names}): a deal is stalled when it has been in its stage longer than {pct} "
    "of its own pipeline's deals that left that stage.":
        "商机分属 {n} 个销售流程（{names}）：商机在当前阶段停留的时间长于其所属销售流程中已离开该阶段的商机的 {pct} 时，"
        "即视为停滞。",
    "Where fewer than {min} deals of a pipeline have left a stage, the limit is that of the stage's deals in every "
    "pipeline: {stages}.":
        "某销售流程中离开某阶段的商机少于 {min} 个时，改用所有销售流程中该阶段的商机确定上限：{stages}。",
    "The deals are in {n} pipelines ({names}): P(won within the quarter) is learned from each pipeline's own deals, "
    "and each open deal gets its own pipeline's rate.":
        "商机分属 {n} 个销售流程（{names}）：P(本季度内赢单) 按每个销售流程自己的商机分别估计，"
        "每个未结商机采用其所属销售流程的概率。",
    "{names}: fewer than {min} deals open in earlier months, so their deals get the rate learned from every "
    "pipeline's deals together.":
        "{names}：此前月份的未结商机少于 {min} 个，因此其商机采用由所有销售流程的商机合并估计的概率。",
    "Every deal in the data is won or lost and no open stage is known: stage-to-stage conversion has nothing "
    "to measure.":
        "数据中每个商机都已赢单或丢单，且没有已知的进行中阶段：阶段间转化无从衡量。",
    "{k} of {n} lost deals carry no stage they were lost at (their stage is the lost status) and no stage "
    "history places them: where deals are lost cannot be measured, so stage-to-stage conversion is not "
    "shown. The win rate does not need it. Import the stage history (or a last-open-stage column) to "
    "measure it.":
        "{n} 个丢单商机中有 {k} 个没有记录丢单时所处的阶段（其阶段即丢单状态），也没有阶段历史可定位：无法衡量商机在哪个阶段流失，"
        "因此不显示阶段间转化。赢单率不受影响。导入阶段历史（或最后所处进行中阶段的列）即可衡量。",
    "{k} of {n} lost deals carry no stage they were lost at and are left out of the stage conversion.":
        "{n} 个丢单商机中有 {k} 个没有记录丢单时所处的阶段，未计入阶段转化。",
    "{n} open deals without a created date are counted in the stage conversion: they are open at the data's "
    "date, where the window ends (when they were created is not known).":
        "{n} 个没有创建日期的未结商机计入了阶段转化：它们在数据日期（即时间窗口的终点）仍是未结商机（创建时间不得而知）。",
    "Qualified is not shown (–): lost deals carry no stage they were lost at and no stage history places them, "
    "so whether they were ever qualified is unknown, and a count of the won and open deals alone would be too "
    "low. Import the stage history (or a last-open-stage column) to count them.":
        "不显示合格商机数（–）：丢单商机没有记录丢单时所处的阶段，也没有阶段历史可定位，无法得知它们是否曾经合格；"
        "只计赢单和进行中的商机会使该数偏低。导入阶段历史（或最后所处进行中阶段的列）即可统计。",
    "The import left out {n} row(s) of {table} with an empty {columns} (see the data overview): the figures "
    "from {table} do not count them.":
        "导入时略去了 {table} 中 {n} 行（{columns} 为空，见数据概览）：来自 {table} 的各项数字不含这些行。",
    "The import left out {n} closed deal(s) of {table} with an empty {columns} (see the data overview; the "
    "open deals without it are kept): the figures from {table} do not count them.":
        "导入时略去了 {table} 中 {n} 个已结束的商机（{columns} 为空，见数据概览；为空的未结束商机仍保留）：来自 {table} "
        "的各项数字不含这些商机。",
    "Rows the import left out (an empty required value)": "导入时略去的行（必填值为空）",
    "Rows the import's filters left out (the profile's where)": "导入时被筛选条件略去的行（配置文件的 where）",
    "Values the import filled in (the profile's default)": "导入时填入的值（配置文件的 default）",
    "The import filled {n} empty value(s) with the profile's default (see the table): the reports read them "
    "as data, so the figures that use those columns (dates, ages, amounts) rest partly on invented values.":
        "导入时用配置文件的默认值填入了 {n} 个空值（见上表）：各报告把它们当作数据，因此用到这些列的数字（日期、时长、金额）"
        "部分基于编造的值。",
    "The {n} pipelines are named by their Salesforce record type ids ({ids}): the export carries no record type "
    "names. Add RecordType.Name to the opportunities' export and import it again to see them named.":
        "这 {n} 个销售流程以其 Salesforce 记录类型 ID 命名（{ids}）：导出文件中没有记录类型名称。"
        "在商机的导出中加入 RecordType.Name 并重新导入，即可显示其名称。",
    "The import filled {n} empty {column} of {table} with {value}, the profile's default (see the data "
    "overview): the figures read it as data.":
        "导入时把 {table} 中 {n} 个空的 {column} 填为配置文件的默认值 {value}（见数据概览）：各项数字把它当作数据。",
    "{n} of the {total} open deals carry no expected close date: the slipped-deal check and the pipeline due "
    "in the quarter (coverage) leave them out.":
        "{total} 个未结商机中有 {n} 个没有预计成交日期：延期商机检查和本季度到期的商机（商机覆盖率）不含这些商机。",
    "{n} of the {total} open deals carry no amount: where the pipeline's value is used (coverage, P(miss)), "
    "they count as 0.":
        "{total} 个未结商机中有 {n} 个没有金额：用到商机金额之处（商机覆盖率、未达成概率）按 0 计。",
    "None of the {total} open deals carries an expected close date: the slipped-deal check and the pipeline "
    "due in the quarter (coverage) cannot count them.":
        "{total} 个未结商机都没有预计成交日期：延期商机检查和本季度到期的商机（商机覆盖率）无法计入它们。",
    "None of the {total} open deals carries an amount: where the pipeline's value is used (coverage, "
    "P(miss)), they count as 0.":
        "{total} 个未结商机都没有金额：用到商机金额之处（商机覆盖率、未达成概率）按 0 计。",
    "{n} of the {total} open deals carry no created date, so no age: they count in the pipeline and the "
    "stage counts, but not in the checks by age ({checks}; P(won within the quarter) takes their stage's "
    "rate, not their age's).":
        "{total} 个未结商机中有 {n} 个没有创建日期，因而没有存续天数：它们计入商机和各阶段计数，但不计入按存续天数的检查"
        "（{checks}；P(本季度内赢单) 采用其阶段的赢单率，而非按存续天数的）。",
    "None of the {total} open deals carries a created date, so none has an age: they count in the pipeline "
    "and the stage counts, but not in the checks by age ({checks}; P(won within the quarter) takes their "
    "stage's rate, not their age's).":
        "{total} 个未结商机都没有创建日期，因而都没有存续天数：它们计入商机和各阶段计数，但不计入按存续天数的检查"
        "（{checks}；P(本季度内赢单) 采用其阶段的赢单率，而非按存续天数的）。",
    "stalled deals, cycle lengths": "停滞商机、销售周期", "cycle lengths": "销售周期",
    "not a won deal": "非赢单商机",
    "not a sale": "非销售",
    "deleted records": "已删除的记录",
    "deleted accounts": "已删除的客户",
    "deleted opportunities": "已删除的商机",
    "another pipeline": "其他销售管道",
    "No deal is in an open stage or has passed through one (every deal is won or lost): there is no "
    "pipeline to weigh, so P(miss) is skipped.":
        "没有商机处于或经过任何进行中的阶段（每个商机都已赢单或丢单）：没有可加权的销售管道，因此跳过未达成概率。",
    "No stage history (the data has no opportunity_history table): which stages each deal passed through is "
    "unknown, so this rep cannot be compared with peers stage by stage; coaching skipped.":
        "无阶段历史（数据中没有 opportunity_history 表）：不知道每个商机经过了哪些阶段，因此无法按阶段将此销售代表与同侪比较；跳过辅导。",
    "Fewer than {n} resolved deals at every stage for this rep: too few to compare with peers stage by stage; "
    "coaching skipped.":
        "此销售代表每个阶段已有结果的商机都少于 {n} 个：太少，无法按阶段与同侪比较；跳过辅导。",
    "No won or lost deals before the as-of date: stage win rates cannot be estimated, so P(miss) is skipped (it "
    "needs closed deals with their stage history).":
        "截至数据日期尚无赢单或丢单的商机：无法估计各阶段赢单率，因此跳过未达成概率（它需要带阶段历史的已关闭商机）。",
    "The targets for {quarter} cover {n} of its 3 months: P(miss) and coverage skipped for it (a part of a "
    "quarter's target is not its target).":
        "{quarter} 的目标只覆盖其 3 个月中的 {n} 个月：跳过该季度的未达成概率与覆盖率（部分月份的目标不是季度目标）。",
    # why a published key is absent (salesnb.keys: optional=), quoted by the executive summary
    "a target was given (annual_target)": "已给定目标（annual_target）",
    "a target was given, or the report month is outside the plan's fiscal year": "已给定目标，或报告月份不在计划的财年内",
    "less than 24 months of history": "历史不足 24 个月",
    "no category column": "无品类列",
    "no competitor or lost_reason column": "无竞争对手或 lost_reason 列",
    "no customer at risk": "没有风险客户",
    "no discount column": "无折扣列",
    "no feedback table": "无反馈表",
    "no feedback with NPS": "无含 NPS 的反馈",
    "no firmographic columns": "无企业属性列",
    "no forecast_category column": "无 forecast_category 列",
    "no market data for the report month": "报告月份无市场数据",
    "no market table": "无市场表",
    "no opportunities table": "无商机表",
    "no opportunities table, no targets for the quarter, or no reps table": "无商机表、该季度无目标，或无销售代表表",
    "no opportunity histories": "无商机阶段历史",
    "no product column": "无产品列",
    "no product_id column": "无 product_id 列",
    "no reps table": "无销售代表表",
    "no target given: the automatic plan is published as annual_plan": "未给定目标：自动计划以 annual_plan 发布",
    "no opportunities table, or no won or lost deals to estimate win rates from": "无商机表，或没有可用于估计赢单率的已赢单或丢单商机",
    "no targets table": "无目标表",
    "no training table": "无培训表",
    "no units column": "无数量列",
    "report month outside the plan's fiscal year": "报告月份不在计划的财年内",
    "the notebook ends without sn.finish() (the executive summary)": "笔记本未以 sn.finish() 结束（管理层摘要）",
    "the notebook wrote no file": "笔记本未写出文件",
    "no key was published empty with a reason": "没有以原因发布为空的指标",
    "no customer data, or most high-value customers bought on fewer than 3 days": "无客户数据，或多数高价值客户的购买天数少于 3 天",
    "a targets table (attainment is shown instead), or orders without rep_id": "有目标表（改为显示目标达成），或订单缺少 rep_id",
    "too few repeat customers to fit": "复购客户太少，无法拟合",
    "no risk indicator could be measured on this data (each section of the page says why)":
        "此数据上无法衡量任何风险指标（页面各节说明了原因）",
    # salesnb import: its printout (salesnb/data/importing); names of files, tables, columns stay as they are
    'salesnb import: profile {profile}, export {export}': 'salesnb import：配置 {profile}，导出 {export}',
    '  {table}: {said} ({read_rows} read{how})': '  {table}：{said}（读取 {read_rows} 行{how}）',
    '  {table}: {rows} rows from {file} ({read_rows} read{how})': '  {table}：{rows} 行，来自 {file}（读取 {read_rows} 行{how}）',
    '; {read}': '；{read}',
    '    mapped: {pairs}': '    映射：{pairs}',
    '    converted: {what}': '    转换：{what}',
    '    dropped {n} row(s): {why}': '    去掉 {n} 行：{why}',
    "    filled {n:,} empty {column} with {value} (the profile's default): the pages read it as data": '    以 {value}（配置的默认值）填充了 {n:,} 个空的 {column}：各页面会把它当作数据读取',
    '    CHECK: {what}': '    请核对：{what}',
    '    not used: {columns}': '    未使用：{columns}',
    ' (+{n} more)': '（另有 {n} 个）',
    '  skipped: {what}': '  跳过：{what}',
    '  note: {what}': '  说明：{what}',
    '  rates: fx_rates from {files}: {rows}, {n} currencies ({currencies}) into {target}{via}': '  汇率：fx_rates 来自 {files}：{rows}，{n} 种币种（{currencies}）换算为 {target}{via}',
    " (via {base}, the rates' own currency)": '（经由汇率本身的币种 {base}）',
    ' (the corporate currency)': '（公司本位币）',
    '; monthly rates {first} to {last}': '；月度汇率 {first} 至 {last}',
    '; one rate for every month without a monthly one: {currencies}': '；没有月度汇率的月份统一使用一个汇率：{currencies}',
    '{n:,} rates for every month': '{n:,} 个适用于所有月份的汇率',
    '{n:,} monthly rates': '{n:,} 个月度汇率',
    'no rows': '无数据行',
    '{n:,} currencies at one rate for every month from {files}': '{n:,} 种币种各一个适用于所有月份的汇率，来自 {files}',
    '{n:,} monthly rates from {files}': '{n:,} 个月度汇率，来自 {files}',
    'no rows in {file}': '{file} 中无数据行',
    'wrote {n} table(s) to {folder} (Parquet)': '已将 {n} 张表写入 {folder}（Parquet）',
    '; as of {date}': '；截至 {date}',
    '; currency {currency}': '；币种 {currency}',
    'encoding {encoding} ({how})': '编码 {encoding}（{how}）',
    'delimiter {name}': '分隔符 {name}',
    'sheet {sheet}': '工作表 {sheet}',
    'header on row {n}': '表头在第 {n} 行',
    'comma': '逗号',
    'semicolon': '分号',
    'tab': '制表符',
    'pipe': '竖线',
    'decodes as UTF-8': '可按 UTF-8 解码',
    'byte-order mark': '字节顺序标记',
    '{column}: dates {format}': '{column}：日期 {format}',
    '{column}: values mapped ({n} entries)': '{column}：值已映射（{n} 项）',
    "{column}: {headers} is empty in every row; read {header} instead (the next of the profile's candidates that holds values)": '{column}：{headers} 在每一行都为空；改为读取 {header}（配置的候选列中下一个有值的列）',
    "{column}: {headers} are empty in every row; read {header} instead (the next of the profile's candidates that holds values)": '{column}：{headers} 在每一行都为空；改为读取 {header}（配置的候选列中下一个有值的列）',
    '(empty: no column in the export)': '（空：导出中没有该列）',
    'constant {value}': '常量 {value}',
    '{date} where {flag} says inactive': '{flag} 标为停用时取 {date}',
    '{flag} (inactive)': '{flag}（停用）',
    'the months of {start}': '{start} 的各月',
    'the months from {start} to {end}': '从 {start} 到 {end} 的各月',
    'the months from {start}': '从 {start} 起的各月',
    '{n:,} date range(s) ({start} … {end}) read as {rows:,} month row(s) from {first} to {last}; a month two ranges share takes their mean weighted by the days each is in force': '{n:,} 个日期区间（{start} … {end}）读作 {first} 至 {last} 的 {rows:,} 行月度数据；两个区间共有的月份取按各自生效天数加权的平均值',
    '{file}: no dated deal or order to expand its date ranges over: not read': '{file}：没有带日期的商机或订单可用于展开其日期区间：未读取',
    '{file}: {what}': '{file}：{what}',
    'the where filters leave {table} ending on {last}, while {file} runs to {end}{closed}: all {n:,} row(s) after that date were filtered out; the reports will end there (check that the filters are meant to drop them)': 'where 筛选条件使 {table} 止于 {last}，而 {file} 的数据延续到 {end}{closed}：该日期之后的全部 {n:,} 行都被筛掉；报告将止于该日（请确认这些筛选条件确实应当去掉它们）',
    ' (its closed deals)': '（其已结商机）',
    ' ({description})': '（{description}）',
    'the profile alternative': '配置中的替代来源',
    '{table}: no file matching {pattern} (read beside {file})': '{table}：没有与 {pattern} 匹配的文件（与 {file} 一并读取）',
    "{table}: no file matching {pattern}; read as the profile's alternative from the file of {source}{description}": '{table}：没有与 {pattern} 匹配的文件；按配置的替代方式从 {source} 的文件读取{description}',
    "{table}: no file matching {pattern}; read as the profile's alternative from {file}{description}": '{table}：没有与 {pattern} 匹配的文件；按配置的替代方式从 {file} 读取{description}',
    '{table}: no file matching {pattern}': '{table}：没有与 {pattern} 匹配的文件',
    '{table}: its source table {source} was not imported': '{table}：其来源表 {source} 未导入',
    '{table}: read from {file}; {others}{description} not read: your file wins': '{table}：读取自 {file}；未读取 {others}{description}：以您的文件为准',
    '{file} is read as {table}; {others} is there too and not read as {table}': '{file} 作为 {table} 读取；{others} 也在导出中，未作为 {table} 读取',
    '{file} is read as {table}; {others} are there too and not read as {table}': '{file} 作为 {table} 读取；{others} 也在导出中，未作为 {table} 读取',
    '{table}: {file} has no column {column}': '{table}：{file} 没有列 {column}',
    '{table}: no column of {file} matches {pattern}': '{table}：{file} 中没有与 {pattern} 匹配的列',
    'lines repeating the header': '重复表头的行',
    'footer lines after the data ({lines})': '数据之后的页脚行（{lines}）',
    'users who own no order, deal or target and manage no one who does (system, integration and app users, users who never sold)': '既不拥有订单、商机或目标，也不管理拥有它们的人的用户（系统、集成和应用用户，以及从未销售的用户）',
    ': {kind} {counts}': '：{kind} {counts}',
    '; {n:,} of them inactive': '；其中 {n:,} 个已停用',
    'end_date: {n:,} inactive user(s) read as having left': 'end_date：{n:,} 个停用用户读作已离职',
    '{n:,} inactive user(s) without a date of leaving: end_date is the last day the data sees them work (a deal created, an activity, an order) (the export does not say when they left): {users}; no scorecard after it; pages on leavers read them as leaving then': '{n:,} 个停用用户没有离职日期：end_date 取数据中最后一次看到其工作的日期（创建商机、活动、订单）（导出没有说明何时离职）：{users}；此后不生成记分卡；离职相关页面按该日离职读取',
    '{n:,} inactive user(s) whose every deal or order the import dropped: end_date is the last day those dropped rows see them work (the export does not say when they left): {users}; no scorecard after it': '{n:,} 个停用用户的全部商机或订单都被导入去掉：end_date 取这些被去掉的行中最后一次看到其工作的日期（导出没有说明何时离职）：{users}；此后不生成记分卡',
    '{n:,} inactive user(s) with no dated deal, activity or order in the export: end_date is the day before {when}{day}, for want of a date of their own: {users}; no scorecard after it': '{n:,} 个停用用户在导出中没有带日期的商机、活动或订单：因缺少其自身的日期，end_date 取{when}的前一天{day}：{users}；此后不生成记分卡',
    '{user} {date} ({why})': '{user} {date}（{why}）',
    'the as-of date': '截至日期',
    'the data’s last date': '数据的最后日期',
    'of deals the opportunities table left out ({why})': '属于 opportunities 表未保留的商机（{why}）',
    'of deals the opportunities table left out': '属于 opportunities 表未保留的商机',
    'no {column}': '缺少 {column}',
    ' (closed deals only: open deals without it are kept)': '（仅限已关闭的商机：缺少它的未结商机保留）',
    ' (also without {columns})': '（同时缺少 {columns}）',
    'line_no: numbered 1, 2, ... within each order in file order': 'line_no：在每个订单内按文件顺序编号 1、2、……',
    "{n} repeated {key} merged (the last row's values kept)": '合并了 {n} 个重复的 {key}（保留最后一行的值）',
    '{file}: {key} already given by an earlier file': '{file}：{key} 已由之前的文件给出',
    'stages: {n} from the profile, in its order ({stages})': '阶段：{n} 个来自配置，按其顺序（{stages}）',
    "opportunities.status from each stage's status in the stages list": 'opportunities.status 取自阶段列表中各阶段的状态',
    ' of pipeline {pipeline}': '（管道 {pipeline}）',
    "stages{where} not in the profile's list, put last{how}: {stages}": '不在配置列表中的阶段{where}，排在最后{how}：{stages}',
    'stages{where} of the profile that no imported deal is in or passed through, left out: {stages}{lost}': '配置中没有任何导入商机处于或经过的阶段{where}，已略去：{stages}{lost}',
    ' (the {n:,} deal(s) the import dropped may have been in them)': '（导入去掉的 {n:,} 个商机可能曾处于这些阶段）',
    ' (the open ones in the order the deals entered them)': '（未结阶段按商机进入的顺序）',
    " (the open ones in the order of the export's {column})": '（未结阶段按导出的 {column} 排序）',
    " (the open ones in the order of the export's {column}, each stage's win probability, lowest first)":
        '（未结阶段按导出的 {column}（各阶段的赢率）从低到高排序）',
    " (the open ones in the order of the export's {column}, each stage's win probability, lowest first; their "
    "probability from it too)": '（未结阶段按导出的 {column}（各阶段的赢率）从低到高排序；其赢率也取自该列）',
    "{how} (their probability from {column})": '{how}（其赢率取自 {column}）',
    " (their probability from {column})": '（其赢率取自 {column}）',
    " (the open ones by name: nothing in the export says their order; list them in the profile's stages, first stage first)": '（未结阶段按名称排序：导出中没有说明其顺序；请在配置的 stages 中按先后列出）',
    'validation: {errors} error(s), {warnings} warning(s); {then}': '校验：{errors} 个错误，{warnings} 个警告；{then}',
    'run it with: salesnb run -p source={out}': '运行方式：salesnb run -p source={out}',
    'the tables are written to {out}, but a run refuses them while errors remain: fix the profile (--map FILE) or the export, then import again': '数据表已写入 {out}，但仍有错误时运行会拒绝它们：请修正配置（--map FILE）或导出，然后重新导入',
    'error: cannot import {export} with profile {profile}: {why}': '错误：无法用配置 {profile} 导入 {export}：{why}',
    'error: {why}': '错误：{why}',
    ' (e.g. {examples})': '（例如 {examples}）',
    ' [{n} rows]': ' [{n} 行]',
    'no end column': '无结束列',
    'joined {file} on {column}: {n:,} of {total:,} rows matched{missed}': '按 {column} 连接 {file}：{total:,} 行中 {n:,} 行匹配{missed}',
    ' ({n:,} without a match keep empty values)': '（{n:,} 行无匹配，保留空值）',
    '{column} is not used: {n:,} row(s) say {names} and are imported as sales; leave them out with where: {where}': '{column} 未被使用：{n:,} 行显示 {names}，却作为销售导入；可用 where 将其排除：{where}',
    "in a stage the profile's stages list does not name": '处于配置的阶段列表未列出的阶段',
    '{column} filtered': '按 {column} 筛掉',
    '{column}: named twice in the header, both columns alike; the first read': '{column}：表头中出现两次，两列内容相同；读取第一列',
    '{column} is named twice in the header: the first column is read; the other (read as {copy}) differs in {n:,} row(s), e.g. data row {row}: {first} and {other}; name {copy} in the profile (--map) to read that one instead': '{column} 在表头中出现两次：读取第一列；另一列（按 {copy} 读取）有 {n:,} 行不同，例如第 {row} 个数据行：{first} 与 {other}；如要改读那一列，请在配置（--map）中指定 {copy}',
    'user {user} ({column} {kind}, not {kept}) owns {n:,} row(s): kept as a rep, its rows need an owner (reassign them in the CRM if it is no salesperson)': '用户 {user}（{column} {kind}，不是 {kept}）拥有 {n:,} 行：作为销售代表保留，这些行需要一个负责人（如其并非销售人员，请在 CRM 中重新分配）',
    "constant {value} (the profile's currency)": '常量 {value}（配置的币种）',
    "rates into {base} turned into rates into {target} (the profile's reporting_currency): rate ÷ the rate of {target} for the same month": '换算为 {base} 的汇率已转为换算为 {target} 的汇率（配置的 reporting_currency）：汇率 ÷ 同月 {target} 的汇率',
    '{n} row(s) recording a change within a stage (amount, close date, category, ...) dropped: each stage keeps the row that entered it': '去掉了 {n} 行记录阶段内变化（金额、成交日期、类别等）的行：每个阶段保留进入该阶段的那一行',
    '{n} earlier entr(y/ies) of a stage the deal entered again merged (the last entry kept)': '合并了 {n} 条商机再次进入的阶段的较早记录（保留最后一条）',
}
