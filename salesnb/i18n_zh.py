"""Simplified Chinese for the notebooks' labels: table columns and English phrases (see salesnb.i18n.tr).

``COLUMNS`` maps a column name to its header in each language (English headers are "Sentence case"
unless given here). ``PHRASES`` maps an English phrase — or a template with ``{placeholders}`` — to
its Chinese; a template also translates finished sentences made from it (``"Last {n} months"``
translates ``"Last 13 months"``), and a value captured from such a sentence that is itself a phrase
("customer type") is translated as well. Terms follow :data:`salesnb.i18n.STRINGS`: 目标达成率
(attainment), 商机 (pipeline/opportunity), 赢单率 (win rate), 流失 (churn), 同期群 (cohort),
净收入留存率 (NRR), 预测 (forecast), 区间 (interval).
"""

from __future__ import annotations

# column -> (English header, Chinese header)
_COLUMNS: dict[str, tuple[str, str]] = {
    # general
    "table": ("Table", "数据表"), "rows": ("Rows", "行数"), "columns": ("Columns", "列数"),
    "date_column": ("Date column", "日期列"), "first_date": ("First date", "最早日期"),
    "last_date": ("Last date", "最晚日期"), "severity": ("Severity", "严重程度"), "column": ("Column", "列"),
    "message": ("Message", "说明"), "examples": ("Examples", "示例"), "required": ("Required", "必填"),
    "filled": ("Filled", "填充率"), "missing": ("Missing", "缺失数"), "month": ("Month", "月份"),
    "revenue": ("Revenue", "收入"), "orders": ("Orders", "订单数"), "customers": ("Customers", "客户数"),
    "period": ("Period", "期间"), "target": ("Target", "目标"), "amount": ("Amount", "金额"),
    "region": ("Region", "区域"), "team": ("Team", "团队"), "rep": ("Rep", "销售代表"),
    "rep_id": ("Rep id", "销售代表编号"), "name": ("Name", "姓名"), "key": ("Key", "对象"),
    "parent": ("Parent", "上级"), "hired": ("Hired", "入职日期"), "left": ("Left", "离职日期"),
    "level": ("Level", "层级"), "window": ("Window", "期间"), "actual": ("Actual", "实际"),
    "gap": ("Gap", "差额"), "gap_pct": ("Gap %", "差额 %"), "attainment": ("Attainment", "目标达成率"),
    "rank": ("Rank", "排名"), "status": ("Status", "状态"), "value": ("Value", "数值"),
    "reason": ("Reason", "原因"), "criterion": ("Criterion", "标准"), "series": ("Series", "系列"),
    "date": ("Date", "日期"), "category": ("Category", "品类"), "channel": ("Channel", "渠道"),
    "product_id": ("Product id", "产品编号"), "customer_id": ("Customer id", "客户编号"),
    "segment": ("Segment", "细分"), "description": ("Description", "描述"), "model": ("Model", "模型"),
    "total": ("Total", "合计"), "share": ("Share", "占比"), "growth": ("Growth", "增长率"),
    "start": ("Start", "开始"), "first": ("First", "期初"), "last": ("Last", "期末"),
    "metric": ("Metric", "指标"), "measure": ("Measure", "度量"), "trend": ("Trend", "趋势"),
    "test": ("Test", "检验"), "statistic": ("Statistic", "统计量"), "groups": ("Groups", "组数"),
    "n": ("N", "样本数"), "significant": ("Significant", "显著"), "p_value": ("p-value", "p 值"),
    "pvalue": ("p-value", "p 值"), "p_adjusted": ("Adjusted p", "校正后 p 值"), "z": ("z", "z 值"),
    "attribute": ("Attribute", "属性"), "dimension": ("Dimension", "维度"), "direction": ("Direction", "方向"),
    # goals
    "ytd_actual": ("YTD actual", "本年累计实际"), "ytd_target": ("YTD target", "本年累计目标"),
    "annual_target": ("Annual target", "年度目标"), "attainment_ytd": ("Attainment YTD", "本年累计达成率"),
    "required_run_rate": ("Required run-rate", "所需月均收入"),
    "current_run_rate": ("Current run-rate", "当前月均收入"), "best_run_rate": ("Best run-rate", "历史最佳月均收入"),
    "beyond_best": ("Beyond best", "超出历史最佳"),
    "even": ("Even", "平均分配"), "history": ("History", "上年占比"), "ttm": ("TTM", "近 12 个月占比"),
    "potential": ("Potential", "市场潜力"), "capacity": ("Capacity", "产能"), "blend": ("Blend", "加权组合"),
    # performance
    "next_stage": ("Next stage", "下一阶段"), "stage": ("Stage", "阶段"), "entered": ("Entered", "进入数"),
    "advanced": ("Advanced", "推进数"), "lost": ("Lost", "输单数"), "pending": ("Pending", "待定数"),
    "conversion": ("Conversion", "转化率"), "days_mean": ("Days, mean", "平均天数"),
    "days_median": ("Days, median", "天数中位数"), "created": ("Created", "新建数"),
    "qualified": ("Qualified", "合格商机数"), "won": ("Won", "赢单数"), "win_rate": ("Win rate", "赢单率"),
    "avg_deal": ("Average deal", "平均单笔金额"), "won_amount": ("Won amount", "赢单金额"),
    "cycle_days": ("Cycle days", "销售周期（天）"), "velocity_per_day": ("Velocity per day", "每日销售速度"),
    "velocity_per_month": ("Velocity per month", "每月销售速度"), "closed": ("Closed", "已关闭商机数"),
    "raw_rate": ("Raw rate", "原始赢单率"), "shrunk_rate": ("Shrunk rate", "收缩后赢单率"),
    "cred_low": ("Credible low", "可信区间下限"), "cred_high": ("Credible high", "可信区间上限"),
    "funnel_flag": ("Funnel flag", "漏斗图标记"), "revenue_prev": ("Revenue, previous", "上期收入"),
    "units": ("Units", "销量"), "units_prev": ("Units, previous", "上期销量"),
    "unit_growth": ("Unit growth", "销量增长率"), "margin": ("Margin", "毛利率"),
    "share_prev": ("Share, previous", "上期占比"), "share_change": ("Share change", "占比变化"),
    "action": ("Action", "建议"), "weakest_stage": ("Weakest stage", "最薄弱阶段"),
    "rep_rate": ("Rep rate", "本人转化率"), "peer_rate": ("Peer rate", "同侪转化率"), "focus": ("Focus", "辅导重点"),
    "month_actual": ("Month actual", "本月实际"), "month_target": ("Month target", "本月目标"),
    "month_attainment": ("Month attainment", "本月达成率"), "month_payout": ("Month payout", "本月佣金"),
    "quarter_actual": ("Quarter actual", "本季度实际"), "quarter_target": ("Quarter target", "本季度目标"),
    "quarter_attainment": ("Quarter attainment", "本季度达成率"), "quarter_payout": ("Quarter payout", "本季度佣金"),
    "effective_rate": ("Effective rate", "实际佣金率"), "forecast_category": ("Forecast category", "预测类别"),
    "deals": ("Deals", "商机数"), "ci_low": ("CI low", "置信区间下限"), "ci_high": ("CI high", "置信区间上限"),
    "value_win_rate": ("Value win rate", "金额赢单率"), "estimate": ("Estimate", "估计"),
    "effect": ("Effect", "效应"), "trained_reps": ("Trained reps", "受训代表数"),
    "other_reps": ("Other reps", "其他代表数"), "group": ("Group", "组别"), "before": ("Before", "培训前"),
    "after": ("After", "培训后"), "change": ("Change", "变化"), "team_median": ("Team median", "团队中位数"),
    "all_median": ("All reps' median", "全体中位数"), "percentile": ("Percentile", "百分位"),
    "wins": ("Wins", "赢单数"),
    # trends
    "pop": ("MoM growth", "环比增长"), "yoy": ("YoY growth", "同比增长"),
    "rolling_yoy": ("Rolling YoY growth", "滚动同比增长"), "candidate": ("Candidate", "候选模型"),
    "mase": ("MASE", "MASE"), "wape": ("WAPE", "WAPE"), "bias": ("Bias", "偏差"),
    "coverage80": ("80 % coverage, raw", "80% 区间覆盖率（原始）"),
    "coverage80_calibrated": ("80 % coverage, calibrated", "80% 区间覆盖率（校准后）"),
    "chosen": ("Chosen", "选用"), "mean": ("Forecast", "预测值"), "lo80": ("80 % low", "80% 区间下限"),
    "hi80": ("80 % high", "80% 区间上限"), "lo95": ("95 % low", "95% 区间下限"),
    "hi95": ("95 % high", "95% 区间上限"), "revenue_base": ("Revenue, base", "基期收入"),
    "revenue_current": ("Revenue, current", "本期收入"), "volume": ("Volume", "销量效应"),
    "mix": ("Mix", "结构效应"), "price": ("Price", "价格效应"), "competitor": ("Competitor", "竞争对手"),
    "lost_reason": ("Lost reason", "输单原因"), "new": ("New", "新客户"), "returning": ("Returning", "回头客"),
    "new_share": ("New share", "新客户收入占比"), "new_customers": ("New customers", "新客户数"),
    "returning_customers": ("Returning customers", "回头客数"), "component": ("Component", "成分"),
    # segments and CLV
    "customer_share": ("Customer share", "客户占比"), "revenue_share": ("Revenue share", "收入占比"),
    "revenue_per_customer": ("Revenue per customer", "每客户收入"), "margin_pct": ("Margin %", "毛利率"),
    "retention": ("Retention", "留存率"), "customer_type": ("Customer type", "客户类型"),
    "industry": ("Industry", "行业"), "size_band": ("Size band", "规模档"), "age_band": ("Age band", "年龄段"),
    "gender": ("Gender", "性别"), "income_band": ("Income band", "收入档"), "cluster": ("Cluster", "客户群"),
    "main_category": ("Main category", "主要品类"), "main_category_share": ("Main category share", "主要品类占比"),
    "distinctive_category": ("Distinctive category", "特色品类"),
    "median_days_since_last": ("Median days since last order", "距上次购买天数中位数"),
    "median_orders": ("Median orders", "订单数中位数"), "median_revenue": ("Median revenue", "收入中位数"),
    "parameter": ("Parameter", "参数"), "std_error": ("Std error", "标准误"),
    "rfm_segment": ("RFM segment", "RFM 细分"), "clv_total": ("CLV, total", "CLV 合计"),
    "clv_mean": ("CLV, mean", "平均 CLV"), "p_alive_mean": ("Mean P(alive)", "平均活跃概率"),
    "cohort_year": ("Cohort year", "同期群年份"), "retained_customers": ("Retained customers", "留存客户数"),
    "base_revenue": ("Base revenue", "基期收入"), "current_revenue": ("Current revenue", "本期收入"),
    "expansion": ("Expansion", "扩展收入"), "contraction": ("Contraction", "收缩收入"),
    "churned": ("Churned", "流失收入"), "nrr": ("NRR", "净收入留存率"), "grr": ("GRR", "总收入留存率"),
    "antecedent": ("Bought", "已购"), "consequent": ("Also bought", "同时购买"),
    "n_both": ("Customers buying both", "同时购买客户数"), "support": ("Support", "支持度"),
    "confidence": ("Confidence", "置信度"), "lift": ("Lift", "提升度"), "clv": ("CLV", "客户终身价值"),
    "p_alive": ("P(alive)", "活跃概率"), "next_best_product": ("Next best product", "推荐产品"),
    "because": ("Because", "推荐依据"), "responses": ("Responses", "回复数"), "nps": ("NPS", "NPS"),
    "promoters": ("Promoters", "推荐者占比"), "detractors": ("Detractors", "贬损者占比"), "csat": ("CSAT", "CSAT"),
    "nps_category": ("NPS answer", "NPS 类别"),
    # risk
    "rag": ("RAG", "状态"), "indicator": ("Indicator", "指标"), "entity": ("Where", "对象"),
    "threshold": ("Threshold", "阈值"), "owner": ("Owner", "负责人"), "alerts": ("Alerts", "预警数"),
    "first_seen": ("First seen", "首次出现"), "overdue": ("Overdue", "逾期客户数"), "rate": ("Rate", "比例"),
    "revenue_at_risk": ("Revenue at risk", "风险收入"), "revenue_12m": ("Revenue, 12 months", "近 12 个月收入"),
    "days_since_last": ("Days since last order", "距上次购买天数"),
    "median_interval": ("Median interval (days)", "购买间隔中位数（天）"),
    "p_alive_prev": ("P(alive), 3 months earlier", "3 个月前活跃概率"),
    "n_entities": ("Entities", "对象数"), "hhi": ("HHI", "HHI"), "hhi_low": ("HHI low", "HHI 下限"),
    "hhi_high": ("HHI high", "HHI 上限"), "top1": ("Top 1", "前 1 名占比"), "top5": ("Top 5", "前 5 名占比"),
    "top10": ("Top 10", "前 10 名占比"), "slope_per_window": ("Slope per window", "每期斜率"),
    "quarter": ("Quarter", "季度"), "booked": ("Booked", "已入账"),
    "expected pipeline wins": ("Expected pipeline wins", "商机预期赢单"),
    "expected run-rate": ("Expected run-rate", "预期常规收入"), "P(miss)": ("P(miss)", "未达成概率"),
    "remaining": ("Remaining", "剩余目标"), "pipeline": ("Pipeline", "商机金额"), "coverage": ("Coverage", "覆盖率"),
    "expected_run_rate": ("Expected run-rate", "预期常规收入"), "needed": ("Needed", "所需商机"),
    "coverage_needed": ("Coverage of the gap", "缺口覆盖率"), "opportunity_id": ("Opportunity id", "商机编号"),
    "close_date": ("Close date", "预计成交日"), "days_in_stage": ("Days in stage", "停留天数"),
    "threshold_days": ("Threshold (days)", "阈值（天）"), "past_due": ("Past due", "已逾期"),
    "pushed": ("Pushed", "推迟次数"), "days_past_due": ("Days past due", "逾期天数"),
    "days_inactive": ("Days inactive", "无活动天数"), "weeks": ("Weeks", "周数"),
    "xmr_signals": ("XmR signals", "XmR 信号数"), "beyond_3sigma": ("Beyond 3σ", "超出 3σ"),
    "ewma_signals": ("EWMA signals", "EWMA 信号数"), "deviation": ("Deviation", "偏离"),
    "signal": ("Signal", "信号"), "rise": ("Rise", "升幅"), "creep": ("Creep", "折扣蔓延"),
    "end_date": ("End date", "离职日期"), "pipeline_share": ("Pipeline share", "商机占比"),
    "main_rep": ("Main rep", "主要销售代表"), "main_share": ("Main rep's share", "主要代表占比"),
    "who": ("Who", "对象"), "n_reps": ("Reps", "销售代表数"), "single_rep": ("Single rep", "单一代表"), "rep_left": ("Rep left", "代表已离职"),
    # added after the merge of the goals, forecast and risk branches (English: the default header)
    "actual_mtd": ("Actual mtd", "本月实际"), "actual_qtd": ("Actual qtd", "本季度累计实际"),
    "actual_ytd": ("Actual ytd", "本年累计实际"), "target_mtd": ("Target mtd", "本月目标"),
    "target_qtd": ("Target qtd", "本季度累计目标"), "target_ytd": ("Target ytd", "本年累计目标"),
    "p_hit_now": ("P hit now", "当前达成概率"), "p_hit_quarter": ("P hit quarter", "本季度达成概率"),
    "customers_at_risk": ("Customers at risk", "风险客户数"), "high_value": ("High value", "高价值客户数"),
    "high_value_revenue": ("High value revenue", "高价值客户风险收入"), "impact": ("Impact", "收入影响"),
    "impact_share": ("Impact share", "收入影响占比"), "material": ("Material", "重大"),
    "kind": ("Kind", "类别"),
}

COLUMNS: dict[str, dict[str, str]] = {k: {"en": en, "zh-CN": zh} for k, (en, zh) in _COLUMNS.items()}

PHRASES: dict[str, str] = {
    # ---------------------------------------------------------------- shared words
    "yes": "是", "no": "否", "Month": "月份", "Revenue": "收入", "Quarter": "季度", "Total": "合计",
    "Actual": "实际", "Forecast": "预测", "{lvl} % interval": "{lvl}% 区间", "company": "公司",
    "region": "区域", "team": "团队", "rep": "销售代表", "category": "品类", "channel": "渠道",
    "customer": "客户", "customers": "客户", "products": "产品", "regions": "区域",
    "MTD": "本月", "QTD": "本季度累计", "YTD": "本年累计", "P10": "P10", "P50": "P50", "P90": "P90",
    "Jan": "1月", "Feb": "2月", "Mar": "3月", "Apr": "4月", "May": "5月", "Jun": "6月", "Jul": "7月",
    "Aug": "8月", "Sep": "9月", "Oct": "10月", "Nov": "11月", "Dec": "12月",
    "red": "红", "amber": "黄", "green": "绿", "critical": "严重", "warning": "警告", "info": "提示",
    "rising": "上升", "flat": "持平", "falling": "下降", "low": "低", "moderate": "中等", "high": "高",
    # ---------------------------------------------------------------- 00 data overview
    "Source: {source} — as of {date}": "数据源：{source} — 截至 {date}",
    "No validation problems.": "未发现数据校验问题。",
    "{n} of {total} contract columns are complete.": "数据契约中的 {total} 列里有 {n} 列完整无缺失。",
    "Net revenue by month, {n} months to {month}": "月度净收入（截至 {month} 的 {n} 个月）",
    "Net revenue (USD)": "净收入（美元）", "Last {n} months": "最近 {n} 个月",
    # ---------------------------------------------------------------- 01 goal decomposition
    "pass": "通过", "fail": "未通过", "warn": "需关注", "Specific": "具体", "Measurable": "可衡量",
    "Achievable": "可实现", "Relevant": "相关", "Time-bound": "有时限",
    "FY{fy} target {target}: SMART verdict '{verdict}' (forecast model: {model})":
        "FY{fy} 目标 {target}：SMART 评估结论「{verdict}」（预测模型：{model}）",
    "P(reaching the FY{fy} target) by target": "不同目标值下达成 FY{fy} 目标的概率",
    "Annual target": "年度目标", "Probability": "概率", "this target": "本目标",
    "Chinese New Year falls on {date} in {fy} ({date_prev} in {fy_prev}); a month holding the whole slow window "
    "sells {effect} less. Trend growth {growth} a year; working-day elasticity {elasticity}.":
        "{fy} 年春节为 {date}（{fy_prev} 年为 {date_prev}）；完整覆盖春节淡季窗口的月份销量低 {effect}。"
        "趋势增长率每年 {growth}；工作日弹性 {elasticity}。",
    "Down-weighted as anomalous: {months}.": "作为异常月份降权：{months}。",
    "No anomalous month.": "无异常月份。",
    "FY{fy} weight": "FY{fy} 权重", "base shape (no CNY, working days or trend)": "基础形态（不含春节、工作日与趋势）",
    "Seasonal weights of FY{fy}": "FY{fy} 季节性权重", "Share of the year": "占全年比例",
    "FY{fy} target": "FY{fy} 目标", "FY{fy} actual": "FY{fy} 实际",
    "Monthly targets against last year's actuals": "月度目标与去年实际对比",
    "Company target by fiscal quarter": "公司各财季目标",
    "{method} (used)": "{method}（采用）", "Region targets and each method's share": "区域目标及各分配方法的占比",
    "FY{fy} target by region ({method})": "FY{fy} 各区域目标（{method}）",
    "FY{fy} target by rep ({method})": "FY{fy} 各销售代表目标（{method}）",
    "Region": "区域", "Rep": "销售代表",
    "Part-year reps: pro-rated by days employed and ramped from the hire date":
        "非全年在岗的销售代表：按在岗天数折算，并自入职日起按爬坡期递增",
    "No market table: the potential share is left out.": "无市场数据表：不使用市场潜力占比。",
    "No reps table: targets stay at company level.": "无销售代表表：目标仅分解到公司层级。",
    "The as-of month {month} is outside FY{fy} (or the year is over): no re-spread.":
        "截止月份 {month} 不在 FY{fy} 内（或该年度已结束）：不做重新分摊。",
    "As of {month}: {actual} booked against {target} planned to date ({att}). The remaining {gap} over {n} months "
    "needs {required} a month against a current run-rate of {current}; P(hit) now {p_now} (at planning {p_plan}); "
    "P(reaching this quarter's target) {p_q}.":
        "截至 {month}：已入账 {actual}，同期计划 {target}（达成 {att}）。剩余 {gap} 需在 {n} 个月内完成，"
        "即每月 {required}，而当前月均收入为 {current}；当前达成概率 {p_now}（规划时 {p_plan}）；"
        "达成本季度目标的概率 {p_q}。",
    "Reps by required ÷ current run-rate: {k} of {n} need more than their best. Rep gaps add up to {gap}: "
    "over-achievers do not offset the others' gaps":
        "按所需 ÷ 当前月均收入排序：{n} 名销售代表中有 {k} 名所需业绩超过其历史最佳。各代表缺口合计 {gap}："
        "超额完成者不抵消他人的缺口",
    "beyond best": "超出历史最佳", "within best": "在历史最佳以内", "required = current": "所需 = 当前",
    "Required vs current monthly run-rate per rep (after {month})": "各销售代表所需与当前月均收入对比（{month} 之后）",
    "Current run-rate (last 3 months, per month)": "当前月均收入（最近 3 个月）",
    "Required run-rate (per month)": "所需月均收入",
    # ---------------------------------------------------------------- 02 performance review
    "Company and regions, {month}": "公司与各区域，{month}", "Teams, quarter to date": "各团队，本季度累计",
    "No targets table (or orders without rep_id): attainment and payouts skipped.":
        "无目标表（或订单缺少 rep_id）：跳过目标达成与佣金部分。",
    "Rep attainment, quarter to date ({month})": "销售代表目标达成率，本季度累计（{month}）",
    "Attainment (actual ÷ target)": "目标达成率（实际 ÷ 目标）",
    "Stage-to-stage conversion, company": "阶段间转化率，全公司", "Stage-to-stage conversion": "阶段间转化率",
    "Stage": "阶段", "Advanced ÷ (advanced + lost)": "推进数 ÷（推进数 + 输单数）",
    "No opportunities table: funnel, cycle length, win rates, coaching, calibration and training skipped.":
        "无商机表：跳过漏斗、销售周期、赢单率、辅导、预测校准与培训评估。",
    "Funnel by team, {n} months to {month}": "各团队漏斗指标（截至 {month} 的 {n} 个月）",
    "Share of deals still undecided, by age (Kaplan–Meier)": "按商机存续天数的未决商机占比（Kaplan–Meier）",
    "Days since the deal was created": "商机创建后的天数", "Still open": "仍未关闭",
    "KM median {d} d": "KM 中位数 {d} 天", "won-only mean {d} d": "仅赢单均值 {d} 天",
    "Kaplan–Meier median {median} days (95 % CI {lo}–{hi}) against {naive} days for the won-only mean: the naive "
    "figure is {diff} days off ({n} open deals censored).":
        "Kaplan–Meier 中位数 {median} 天（95% 置信区间 {lo}–{hi}），而仅按赢单计算的均值为 {naive} 天："
        "简单算法偏差 {diff} 天（{n} 个未关闭商机作为删失数据处理）。",
    "Win rate by rep: funnel plot (dotted 95 %, dashed 99.8 %)": "各销售代表赢单率漏斗图（点线 95%，虚线 99.8%）",
    "Closed deals": "已关闭商机数", "Raw win rate": "原始赢单率",
    "within": "在界限内", "high (95 %)": "偏高（95%）", "high (99.8 %)": "偏高（99.8%）",
    "low (95 %)": "偏低（95%）", "low (99.8 %)": "偏低（99.8%）",
    "Top {n} by shrunk win rate (90 % credible interval)": "收缩后赢单率前 {n} 名（90% 可信区间）",
    "Reps outside the 99.8 % limits": "超出 99.8% 界限的销售代表", "No rep outside the 99.8 % limits.": "没有销售代表超出 99.8% 界限。",
    "push": "重点推广", "review": "复盘", "maintain": "维持", "Categories": "品类",
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
    "No opportunity_history table: the coaching list needs stage changes and is skipped.":
        "无 opportunity_history 表：辅导清单需要阶段变更记录，已跳过。",
    "Top {n} payouts, quarter to date (all reps in the xlsx export)": "佣金前 {n} 名，本季度累计（全部销售代表见 xlsx 导出）",
    "Closed since {date}": "{date} 以来关闭的商机", "Forecast category": "预测类别",
    "Realised win rate by forecast category (95 % Wilson)": "各预测类别的实际赢单率（95% Wilson 区间）",
    "Win rate": "赢单率", "Opportunities have no forecast_category: calibration skipped.": "商机无 forecast_category：跳过预测校准。",
    "training": "培训", "placebo": "安慰剂检验", "Effect on the win rate (points)": "对赢单率的影响（百分点）",
    "Win rate before and after": "培训前后的赢单率", "trained": "受训代表", "not trained": "未受训代表",
    "No training table: training impact skipped.": "无培训表：跳过培训效果评估。",
    # ---------------------------------------------------------------- 03 market trends
    "Monthly net revenue": "月度净收入", "Weekly net revenue, last {n} whole weeks": "每周净收入（最近 {n} 个完整周）",
    "Week starting": "周起始日",
    "Company revenue growth, last 12 months (pop = month on month)": "公司收入增长率，最近 12 个月",
    "observed": "实际值", "trend": "趋势", "Revenue and its robust STL trend": "收入及其稳健 STL 趋势",
    "Seasonal profile (1.0 = an average month)": "季节性指数（1.0 = 平均月份）", "Month of year": "月份",
    "Revenue ÷ trend": "收入 ÷ 趋势",
    "Months treated as unusual by the robust decomposition: {months}": "稳健分解中视为异常的月份：{months}",
    "Fewer than 24 months of history: STL decomposition skipped.": "历史数据不足 24 个月：跳过 STL 分解。",
    "Growth by {dim}, {month}": "按{dim}的增长率，{month}",
    "Company backtest (coverage in %: raw model intervals, then the calibrated ones delivered)":
        "公司层面回测（覆盖率：先为模型原始区间，后为校准后实际交付的区间）",
    "Forecast fallback: {why}": "预测回退：{why}",
    "Company revenue forecast ({model})": "公司收入预测（{model}）",
    "Region forecasts, reconciled to the company total": "各区域预测（已与公司总数协调一致）",
    "No region column in orders: company forecast only.": "订单无区域列：仅做公司层面预测。",
    "Company forecast": "公司预测", "Revenue share by {dim}": "按{dim}的收入占比", "Share of revenue": "收入占比",
    "Average selling price by category": "各品类平均售价", "Net revenue per unit": "单位净收入",
    "Discount rate by category": "各品类折扣率", "Discount (1 − net ÷ list)": "折扣（1 − 净价 ÷ 标价）",
    "Price-volume-mix bridge: trailing 12 months vs the 12 months before": "价格-销量-结构分解：近 12 个月对比之前 12 个月",
    "No quantity or category column in orders: price, discount and price-volume-mix skipped.":
        "订单无数量或品类列：跳过价格、折扣与价格-销量-结构分析。",
    "Market share by region": "各区域市场份额", "Our revenue ÷ market size": "我方收入 ÷ 市场规模",
    "No market table (period, region, market_size): market share skipped.": "无市场表（period、region、market_size）：跳过市场份额。",
    "Win rate of closed deals": "已关闭商机的赢单率", "Quarter closed": "关闭季度", "Won ÷ (won + lost)": "赢单 ÷（赢单 + 输单）",
    "competitor": "竞争对手", "lost reason": "输单原因", "Lost deals by {what}": "按{what}的输单分布",
    "Share of lost deals": "输单占比", "No {col} recorded on lost opportunities: that view is skipped.":
        "输单商机未记录 {col}：跳过该视图。",
    "No opportunities table: competition section skipped.": "无商机表：跳过竞争分析。",
    "new": "新客户", "returning": "回头客", "Revenue from new and returning customers": "新客户与回头客收入",
    # ---------------------------------------------------------------- 04 customer segmentation
    "Report month {month}; data as of {date}.": "报告月份 {month}；数据截至 {date}。",
    "Champions": "冠军客户", "Loyal": "忠诚客户", "Potential loyalists": "潜在忠诚客户", "New": "新客户",
    "At risk": "流失风险客户", "Can't lose": "不可流失客户", "Hibernating": "休眠客户", "Lost": "已流失客户",
    "(new customer)": "（新客户）",
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
    "Model parameters (maximum likelihood, 95 % intervals)": "模型参数（最大似然估计，95% 区间）",
    "Gamma-Gamma assumption holds approximately: spend per purchase is at most weakly related to frequency "
    "(Spearman ρ = {rho}, n = {n}).":
        "Gamma-Gamma 假设大致成立：单次购买金额与购买频次至多弱相关（Spearman ρ = {rho}，n = {n}）。",
    "Gamma-Gamma assumption is doubtful: spend per purchase moves with frequency (Spearman ρ = {rho}); read CLV "
    "as indicative.":
        "Gamma-Gamma 假设存疑：单次购买金额随购买频次变化（Spearman ρ = {rho}）；CLV 仅供参考。",
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
    "popular": "热门产品", "most popular": "最热门",
    "NPS and CSAT by RFM segment": "各 RFM 细分的 NPS 与 CSAT",
    "NPS mix differs by segment: {answer} (chi-square p = {p}).": "NPS 构成是否因细分而异：{answer}（卡方检验 p = {p}）。",
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
    "Overdue rate above other segments (churn wave)": "逾期率高于其他细分（流失潮）",
    "Largest {n}-month discount rise (creep if significant)": "{n} 个月内最大折扣升幅（显著即为折扣蔓延）",
    "Revenue of the top {n} accounts held by one rep": "前 {n} 大客户中由单一销售代表维护的收入",
    "Revenue share of the 5 largest customers": "前 5 大客户收入占比",
    "Share of open pipeline stalled in its stage": "停滞于当前阶段的未结商机占比",
    "Trailing revenue booked by reps who left": "已离职销售代表的近期收入",
    "Trailing revenue booked by reps who might leave": "可能离职的销售代表的近期收入",
    "Revenue share of high-value customers at risk": "有流失风险的高价值客户收入占比",
    "Pipeline coverage of the gap ({quarter})": "商机对缺口的覆盖率（{quarter}）",
    "Probability of missing the {quarter} target": "未达成 {quarter} 目标的概率",
    "HHI of {what}": "{what}的 HHI", "HHI of regions (normalised for their number)": "区域 HHI（按区域数量归一化）",
    "Largest deviation of a region with a control-chart signal": "出现控制图信号的区域中的最大偏离",
    "Open pipeline still owned by reps who left": "仍归属已离职销售代表的未结商机",
    "Win back: account review and outreach to overdue high-value customers": "挽回：复盘客户并主动联系逾期的高价值客户",
    "Tighten discount approval; reassign accounts of departed reps; add a second contact to single-rep key accounts":
        "收紧折扣审批；重新分配离职代表的客户；为单一代表维护的重点客户增加第二联系人",
    "Diversify: grow the next tier of accounts, products and regions; multi-year terms with the largest accounts":
        "分散风险：培育次一级的客户、产品与区域；与最大客户签订多年期合同",
    "Rebuild pipeline: prospecting push, re-qualify stalled deals, pull forward next-quarter deals":
        "重建商机：加强拓客，重新确认停滞商机，推动下季度商机提前成交",
    "Investigate the signal: check the data, then the region's deals and customers":
        "调查信号：先核查数据，再查看该区域的商机与客户",
    "Monitor": "持续监控",
    "Customer Success": "客户成功部", "Sales Operations": "销售运营部", "Head of Sales": "销售负责人",
    "Sales Managers": "销售经理",
    "Risk register, as of {date}": "风险登记表，截至 {date}",
    "{n} alerts: {critical} critical, {warning} warning": "{n} 条预警：{critical} 条严重，{warning} 条警告",
    "No alerts this month.": "本月无预警。", "Critical alerts and one example of each other kind": "严重预警及其他各类预警示例",
    "{rate} of active {segment} customers are overdue against {peer} in other segments (z = {z}); {amount} revenue at risk":
        "{segment} 活跃客户中有 {rate} 逾期未购，其他细分为 {peer}（z = {z}）；风险收入 {amount}",
    "Discount on {category} rose {points} points over {n} months (to {last}; trend p = {p}), rising since about {start}":
        "{category} 的折扣在 {n} 个月内上升 {points} 个百分点（升至 {last}；趋势 p = {p}），约自 {start} 起上升",
    "{indicator} ({entity}) is {value}, above the {rag} threshold {threshold}": "{indicator}（{entity}）为 {value}，高于{rag}色阈值 {threshold}",
    "{indicator} ({entity}) is {value}, below the {rag} threshold {threshold}": "{indicator}（{entity}）为 {value}，低于{rag}色阈值 {threshold}",
    "High-value customer {id} ({amount} in 12 months) {reason}: {days} days since the last purchase, usually {usual}":
        "高价值客户 {id}（近 12 个月 {amount}）{reason}：距上次购买 {days} 天，通常间隔 {usual} 天",
    "Deal {id} ({amount}) has been in {stage} for {days} days; 90 % of deals leave it within {limit}":
        "商机 {id}（{amount}）已在「{stage}」阶段停留 {days} 天；90% 的商机在 {limit} 天内离开该阶段",
    "{region}: weekly revenue {dev} above its usual level relative to other regions in {month} (Western Electric rules {rules}; EWMA signals {n})":
        "{region}：{month} 相对其他区域的周收入高于常态 {dev}（Western Electric 规则 {rules}；EWMA 信号 {n} 次）",
    "{region}: weekly revenue {dev} below its usual level relative to other regions in {month} (Western Electric rules {rules}; EWMA signals {n})":
        "{region}：{month} 相对其他区域的周收入低于常态 {dev}（Western Electric 规则 {rules}；EWMA 信号 {n} 次）",
    "Key account {id} ({amount}) depended on rep {rep}, who left": "重点客户 {id}（{amount}）依赖的销售代表 {rep} 已离职",
    "overdue": "逾期未购", "P(alive) dropped": "活跃概率下降", "overdue, P(alive) dropped": "逾期未购且活跃概率下降",
    "Share of active customers overdue, by segment": "各细分中逾期未购的活跃客户占比", "Overdue customers (%)": "逾期客户（%）",
    "Overdue rate per segment": "各细分逾期率", "No customer data: customer risk skipped.": "无客户数据：跳过客户风险。",
    "High-value customers at risk ({n}; {amount} trailing revenue)": "有流失风险的高价值客户（{n} 位；近期收入 {amount}）",
    "No customer, product or region in orders: concentration skipped.": "订单中无客户、产品或区域：跳过集中度分析。",
    "Revenue concentration (HHI) per 3-month window": "收入集中度（HHI），每 3 个月窗口",
    "3 months ending": "3 个月窗口截止", "HHI (0-10,000, log scale)": "HHI（0–10,000，对数刻度）",
    "Last 3 months to {month}": "截至 {month} 的最近 3 个月",
    "hhi_customers": "客户 HHI", "hhi_products": "产品 HHI", "hhi_regions": "区域 HHI",
    "hhi_normalized_regions": "区域 HHI（归一化）",
    "Trend over the eight windows (Theil-Sen slope, Mann-Kendall p-value)": "八个窗口的趋势（Theil-Sen 斜率，Mann-Kendall p 值）",
    "up": "上升", "down": "下降", "none": "无",
    "No opportunities or targets: pipeline risk skipped.": "无商机或目标：跳过商机风险。",
    "Probability of missing the quarter": "未达成本季度目标的概率", "Calibrated stage win rates": "校准后的各阶段赢单率",
    "Coverage by team, this and next quarter": "各团队覆盖率，本季度与下季度",
    "Stalled deals": "停滞商机", "Slipped deals": "延期商机", "Deals without recent activity": "近期无活动的商机",
    "{title}: none (or the columns needed are missing).": "{title}：无（或缺少所需列）。",
    "{title}: {n} deals, {amount}": "{title}：{n} 个商机，{amount}",
    "log vs peers": "相对同侪（对数）",
    "Weekly revenue relative to other regions — expected false alarms: XmR {xmr} of weeks, EWMA {ewma}":
        "各区域相对其他区域的周收入 — 预期误报率：XmR {xmr} 的周，EWMA {ewma}",
    "No region in orders (or too little history): control charts skipped.": "订单无区域（或历史过短）：跳过控制图。",
    "Signals in {month} (deviation: the month against the baseline)": "{month} 的信号（偏离：当月相对基线）",
    "Fewer than 13 months of closed deals: win-rate chart skipped.": "已关闭商机不足 13 个月：跳过赢单率控制图。",
    "Monthly win rate, XmR chart (expected false alarms {rate} of months)": "月度赢单率 XmR 控制图（预期误报率为 {rate} 的月份）",
    "Close month": "关闭月份", "Win rate (%)": "赢单率（%）",
    "No discount or list_amount in orders: discount creep skipped.": "订单无 discount 或 list_amount：跳过折扣蔓延分析。",
    "Average discount by category": "各品类平均折扣", "Discount (% of list)": "折扣（占标价 %）",
    "Discount trend over the last 12 months": "最近 12 个月的折扣趋势",
    "No reps table or orders.rep_id: rep exposure skipped.": "无销售代表表或 orders.rep_id：跳过销售代表风险敞口。",
    "left": "已离职", "watch": "关注（可能离职）", "active": "在职",
    "Reps who left: 12-month revenue and open pipeline": "已离职销售代表：近 12 个月收入与未结商机",
    "Largest accounts: {k} of {n} depend on one rep": "最大客户：{n} 个中有 {k} 个依赖单一销售代表",
    "No {what} in orders: {label} concentration skipped.": "订单中无 {what}：跳过{label}集中度。",
    "No orders per customer: customer risk skipped.": "无客户订单：跳过客户风险。",
    "No opportunities table: pipeline risk skipped.": "无商机表：跳过商机风险。",
    "No targets for {quarter}: P(miss) skipped.": "{quarter} 无目标：跳过未达成概率。",
    "No region in orders: regional control charts skipped.": "订单无区域：跳过区域控制图。",
    "Too little weekly history for control charts.": "周度历史过短，无法绘制控制图。",
    # ---------------------------------------------------------------- rep scorecard
    "Rank among {n} reps with a target": "在 {n} 名有目标的销售代表中的排名",
    "Commission under the current plan": "当前佣金方案下的佣金",
    "No targets table (or orders without rep_id): attainment and payout skipped.":
        "无目标表（或订单缺少 rep_id）：跳过目标达成与佣金。",
    "team {team} median": "{team} 团队中位数", "Net revenue by month, {rep} against the team": "月度净收入：{rep} 与团队对比",
    "Net revenue": "净收入", "Rep against peers (percentile: share of reps below)": "销售代表与同侪对比（百分位：低于该代表的人数占比）",
    "Win rate {raw} on {n} closed deals; shrunk estimate {shrunk} (90 % credible {lo}–{hi}); company {company}; "
    "funnel plot: {flag}.":
        "{n} 个已关闭商机的赢单率为 {raw}；收缩估计 {shrunk}（90% 可信区间 {lo}–{hi}）；公司 {company}；漏斗图：{flag}。",
    "No closed deals in the window: no win rate.": "窗口期内无已关闭商机：无赢单率。",
    "No opportunities table: funnel and coaching skipped.": "无商机表：跳过漏斗与辅导。",
    "Stage-to-stage conversion against the company": "阶段间转化率与公司对比",
    "Each stage against all other reps (Benjamini–Hochberg over all reps and stages)":
        "各阶段与其他全部销售代表对比（对全部代表与阶段做 Benjamini–Hochberg 校正）",
    "Weakest stage: {stage} ({rate} against {peer} for peers). Suggested focus: {focus}.":
        "最薄弱阶段：{stage}（{rate}，同侪为 {peer}）。建议辅导重点：{focus}。",
    "Too few resolved deals per stage to test.": "各阶段已有结果的商机过少，无法检验。",
}

# plain-words cluster descriptions (salesnb.segments.kmeans_clusters): built from these pieces
PHRASES.update({
    "Recent": "近期购买", "Fairly recent": "较近购买", "Lapsed": "久未购买",
    "recent": "近期购买", "fairly recent": "较近购买", "lapsed": "久未购买",
    "frequent": "高频", "regular": "定期", "occasional": "偶尔",
    "high-spend": "高消费", "mid-spend": "中等消费", "low-spend": "低消费",
    "long-standing": "老客户", "established": "稳定客户", "new": "新客户",
    "{recency}, {frequency}, {spend} customers": "{recency}、{frequency}、{spend}的客户",
    "{recency}, {frequency}, {spend}, {tenure} customers":
        "{recency}、{frequency}、{spend}的{tenure}",
    "mostly {category} ({share} of spend)": "以 {category} 为主（占消费 {share}）",
    "more {category} than average ({share} of spend vs {average})":
        "{category} 占比高于平均（占消费 {share}，平均 {average}）",
    "mixed baskets, led by {category}": "品类混合，{category} 居首",
    "{description}; {basket}": "{description}；{basket}",
})

# the data overview's as-of and currency notes (salesnb.data.facts)
PHRASES.update({
    "Data as of {date}: the as_of parameter.": "数据截至 {date}：由 as_of 参数指定。",
    "Data as of {date}: the date of the export.": "数据截至 {date}：导出日期。",
    "Data as of {date}: the latest date in any table.": "数据截至 {date}：各表中的最晚日期。",
    "Amounts are in {currency} (the reporting currency).": "金额单位：{currency}（报告币种）。",
    "Amounts are in {currency} (the reporting currency); {n} other currencies converted with "
    "fx_rates: {codes}.": "金额单位：{currency}（报告币种）；另有 {n} 种币种已按 fx_rates 换算：{codes}。",
    "The data does not say its currency: amounts are shown without a symbol. Set "
    "reporting_currency or add a currency column.":
        "数据未注明币种：金额不带货币符号显示。请设置 reporting_currency 或添加 currency 列。",
    "Currencies in the data": "数据中的币种",
})

# added after the merge of the goals, forecast, CLV and risk branches: the automatic plan (计划) and
# the notes shown when the history is short or a table is missing
PHRASES.update({
    # 01 goal decomposition: an automatic plan is a 计划, a given target a 目标
    "FY{fy} plan {target}: SMART verdict '{verdict}' (forecast model: {model})":
        "FY{fy} 计划 {target}：SMART 评估结论「{verdict}」（预测模型：{model}）",
    "P(reaching the FY{fy} plan) by amount": "不同金额下达成 FY{fy} 计划的概率",
    "P(reaching the FY{fy} target) by amount": "不同金额下达成 FY{fy} 目标的概率",
    "Annual plan": "年度计划", "this plan": "本计划", "FY{fy} plan": "FY{fy} 计划", "Plan": "计划",
    "Target": "目标",
    "Monthly plan against last year's actuals": "月度计划与去年实际对比",
    "Company plan by fiscal quarter": "公司各财季计划",
    "Revenue to date against the plan (as of {month})": "截至 {month} 的累计收入与计划对比",
    "Revenue to date against the target (as of {month})": "截至 {month} 的累计收入与目标对比",
    "Required ÷ current": "所需 ÷ 当前",
    "No P(hit) curve: it needs a target or plan and at least 13 months of history before the check date.":
        "无达成概率曲线：需要目标或计划，且检验日期前至少有 13 个月的历史数据。",
    "No target or plan: the year → quarter → month → week breakdown is skipped. Set `annual_target`.":
        "无目标或计划：跳过年 → 季度 → 月 → 周的分解。请设置 `annual_target`。",
    # 02 performance review
    "No targets table (or orders without rep_id): attainment and payouts skipped. Add a targets table "
    "(period, level, key, amount) to measure attainment.":
        "无目标表（或订单缺少 rep_id）：跳过目标达成与佣金部分。添加目标表（period、level、key、amount）"
        "即可衡量目标达成率。",
    "No training table (or no opportunities): training impact skipped.": "无培训表（或无商机）：跳过培训效果评估。",
    # 03 market trends
    "Growth by segment, {month}": "按细分的增长率，{month}",
    # 04 customer segmentation (salesnb.clv.explain)
    "Both models pass their checks.": "两个模型均通过检验。",
    "Both models pass their checks (holdout error {err}, tolerance ±{tol}).":
        "两个模型均通过检验（留出期误差 {err}，容差 ±{tol}）。",
    "P(alive) is not shown and must not be used (for risk or targeting): the purchase model failed its checks "
    "above.": "不显示活跃概率，也不得将其用于风险判断或客户定位：购买模型未通过上文的检验。",
    "Top {n} customers by repeat spend and what to offer next": "重复消费金额前 {n} 名客户及推荐产品",
    # 05 risk monitoring
    "Customers at risk (active in 12 months, overdue or P(alive) dropped) and the high-value part":
        "风险客户（近 12 个月活跃、逾期未购或活跃概率下降）及其中的高价值客户",
    "Customers at risk: high-value customers overdue or whose P(alive) dropped (the headline figure), and all "
    "active customers at risk":
        "风险客户：逾期未购或活跃概率下降的高价值客户（核心指标），以及全部有风险的活跃客户",
    "Customers at risk": "风险客户", "Largest high-value customers at risk": "最大的高价值风险客户",
    "Build pipeline: prospecting push, review stalled and slipped deals with reps":
        "建设商机：加强拓客，与销售代表一起复盘停滞和延期的商机",
    "Fewer than 13 months of closed deals (or no opportunities table): win-rate chart skipped.":
        "已关闭商机不足 13 个月（或无商机表）：跳过赢单率控制图。",
})

# clauses of "; "-joined notes (translated clause by clause through "{description}; {basket}")
PHRASES.update({
    "Signals in {month} (deviation: the month against the baseline; impact: its revenue effect)":
        "{month} 的信号（偏离：当月相对基线；收入影响：其对收入的影响）",
    "As of {month}: revenue {mtd} this month, {qtd} this quarter, {ytd} this fiscal year":
        "截至 {month}：本月收入 {mtd}，本季度 {qtd}，本财年 {ytd}",
    "against {amount} plan to date ({att} of plan)": "同期计划 {amount}（完成计划的 {att}）",
    "against {amount} target to date ({att} of target)": "同期目标 {amount}（完成目标的 {att}）",
    "P(reaching the year's plan) now {p}": "当前达成全年计划的概率 {p}",
    "P(reaching the year's target) now {p}": "当前达成全年目标的概率 {p}",
    "P(reaching this quarter's plan) {p}.": "达成本季度计划的概率 {p}。",
    "P(reaching this quarter's target) {p}.": "达成本季度目标的概率 {p}。",
    "P(reaching this quarter's plan) {p}. (P(hit) at planning {x}.)":
        "达成本季度计划的概率 {p}。（规划时达成概率 {x}。）",
    "P(reaching this quarter's target) {p}. (P(hit) at planning {x}.)":
        "达成本季度目标的概率 {p}。（规划时达成概率 {x}。）",
    "no plan to compare with.": "无可对比的计划。", "no target to compare with.": "无可对比的目标。",
})

# thin-history notes of 03 and the CLV diagnosis of 04 (salesnb.clv.explain)
PHRASES.update({
    "The trend and seasonal decomposition needs 24 months of history; this data has {n}: it is skipped and "
    "returns with two years of data.":
        "趋势与季节性分解需要 24 个月的历史数据；当前数据只有 {n} 个月：已跳过，有两年数据后将恢复。",
    "The forecast could not use its full method, so read it with care: {why}.": "预测未能使用完整方法，请谨慎解读：{why}。",
    "history shorter than two seasons ({n} < 2x{m}): seasonal models not identifiable, non-seasonal "
    "candidates used": "历史短于两个季节周期（{n} < 2×{m}）：无法识别季节性模型，改用非季节性候选模型",
    "history too short for a backtest ({n} obs): model chosen by default order, intervals not calibrated and "
    "coverage not measured": "历史过短，无法回测（{n} 个观测）：按默认顺序选择模型，区间未校准，覆盖率未测量",
    "The models are not to be trusted on this data: lifetime value and P(alive) are not published (left empty "
    "in the membership export, with the reason). Why: {reason}.":
        "在此数据上模型不可信：不发布客户终身价值与活跃概率（客户归属导出中留空并注明原因）。原因：{reason}。",
    "P(alive) and expected purchases are usable, but lifetime value is not published. Why: {reason}.":
        "活跃概率与预期购买次数可用，但不发布客户终身价值。原因：{reason}。",
    "purchase model on the calibration period: no finite standard error for {params} (the likelihood is flat "
    "there)": "校准期购买模型：{params} 没有有限的标准误（似然函数在该处平坦）",
    "holdout check: predicted {pred} purchase days, actual {actual} ({err}, tolerance ±{tol})":
        "留出期检验：预测购买天数 {pred}，实际 {actual}（{err}，容差 ±{tol}）",
})

# 01 on a history that starts inside the fiscal year (the check, plan and seasonality notes in one)
PHRASES.update({
    "The data starts in {start}, after FY{fy} began: the target is checked with what is known at {asof}, not at "
    "planning time. FY{fy_prev} is not complete in the data (it starts in {start}): the automatic plan (last "
    "year × (1 + growth)) cannot be set. Set `annual_target` to check and break down a target. Seasonality "
    "needs 24 months of history; this data has {n} before {month}: the monthly weights follow working days "
    "(Monday to Friday). Seasonal weights return with two years of data.":
        "数据始于 {start}，晚于 FY{fy} 的开始：目标按 {asof} 时已知的信息检验，而非规划时点。数据中 FY{fy_prev} "
        "不完整（始于 {start}）：无法设定自动计划（上年 × (1 + 增长率)）。请设置 `annual_target` 以检验并分解目标。"
        "季节性需要 24 个月的历史数据；{month} 之前只有 {n} 个月：月度权重按工作日（周一至周五）分配。"
        "有两年数据后将恢复季节性权重。",
})

# 02: forecast calibration on the stored category (performance.STORED_CATEGORY_NOTE)
PHRASES.update({
    "The forecast categories are the ones stored on each deal now: a CRM that updates the category when a "
    "deal closes (e.g. to Commit when it is won) makes them look better than they were. Add forecast_category "
    "to opportunity_history to measure the category each deal carried before it closed.":
        "预测类别取自各商机当前存储的值：若 CRM 在商机关闭时更新类别（例如赢单时改为 Commit），类别会显得比实际更准。"
        "请在 opportunity_history 中加入 forecast_category，以衡量各商机关闭前所属的类别。",
})
