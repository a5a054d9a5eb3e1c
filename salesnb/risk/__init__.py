"""Risk monitoring: an early-warning system over tidy pandas frames.

The package is a list of checks (:data:`CHECKS`), one per risk family, each a small dataclass whose
fields are its thresholds (defaults in :mod:`salesnb.risk.thresholds`), called on the typed
:class:`RiskInputs` of :func:`salesnb.data.risk_queries.risk_inputs` and returning a
:class:`CheckResult` (register rows, alerts, tables, notes). :func:`monitor` runs them and builds the
register and the alerts (:class:`RiskReport`).

Modules
-------
- :mod:`~salesnb.risk.concentration`: :func:`hhi`, :func:`top_shares`, :func:`concentration`,
  :func:`trend_test`, :class:`ConcentrationCheck`.
- :mod:`~salesnb.risk.customers`: :func:`customer_risk`, :func:`segment_churn`,
  :func:`p_alive_change`, :class:`CustomerCheck`.
- :mod:`~salesnb.risk.pipeline`: :func:`stage_win_rates` (per pipeline when the deals are in several),
  :func:`stage_rates`, :func:`miss_probability`,
  :func:`pipeline_coverage`, stalled/slipped/inactive deals, :class:`PipelineCheck`.
- :mod:`~salesnb.risk.anomalies`: :func:`xmr`, :func:`ewma`, :func:`false_alarm_rate`,
  :class:`RegionalAnomalyCheck`, :class:`WinRateCheck`.
- :mod:`~salesnb.risk.operational`: :func:`discount_creep`, :func:`rep_exposure`,
  :func:`single_rep_accounts`, :class:`DiscountCreepCheck`, :class:`RepExposureCheck`.
- :mod:`~salesnb.risk.alerts`: :func:`indicator`, :func:`risk_register`, :func:`make_alert`,
  :func:`alerts_to_json`, :func:`should_fail` and the typed :class:`Indicator`, :class:`Alert`,
  :class:`CheckResult`.

Every function is pure: data first, options keyword-only, no I/O and no printing (the alerts file
is written by :mod:`salesnb.report.alerts`). Money is in the reporting currency of the orders;
shares are fractions (0.15 = 15 %); HHI is on the 0-10,000 scale.
"""

from __future__ import annotations

from salesnb.data.risk_queries import RiskInputs
from salesnb.risk._common import (
    ALERT_FIELDS,
    CATEGORIES,
    DEFAULT_ACTIONS,
    DEFAULT_OWNERS,
    SEVERITIES,
)
from salesnb.risk.alerts import (
    Alert,
    CheckResult,
    Indicator,
    alert_id,
    alerts_from_register,
    alerts_to_json,
    indicator,
    make_alert,
    rag_status,
    register_messages,
    register_table,
    risk_register,
    should_fail,
    sort_alerts,
    validate_alerts,
)
from salesnb.risk.anomalies import (
    WE_RULES,
    RegionalAnomalyCheck,
    WinRateCheck,
    ewma,
    false_alarm_rate,
    peer_adjusted,
    xmr,
)
from salesnb.risk.concentration import (
    ConcentrationCheck,
    concentration,
    hhi,
    hhi_thresholds_for,
    lag1_autocorrelation,
    normalized_hhi,
    top_shares,
    trend_test,
)
from salesnb.risk.customers import (
    CustomerCheck,
    customer_risk,
    customers_at_risk,
    p_alive_change,
    segment_churn,
)
from salesnb.risk.monitor import CHECKS, Check, RiskReport, default_checks, monitor
from salesnb.risk.operational import (
    DiscountCreepCheck,
    RepExposureCheck,
    creep_start,
    discount_creep,
    rep_exposure,
    single_rep_accounts,
)
from salesnb.risk.pipeline import (
    PipelineCheck,
    inactive_deals,
    miss_probability,
    non_pipeline_run_rate,
    pipeline_coverage,
    quarter_window,
    seasonal_run_rate,
    slipped_deals,
    stage_duration_thresholds,
    stage_rates,
    stage_win_rates,
    stalled_deals,
    win_within_probability,
    win_within_rates,
)
from salesnb.risk.thresholds import DEFAULTS, options_from, owners_from
from salesnb.risk.views import (
    alert_tables,
    anomaly_view,
    concentration_last,
    creep_view,
    customers_at_risk_reason,
    deal_summary,
    deal_view,
    departed_view,
    forecast_run_rate,
    high_value_at_risk,
    miss_table,
    overdue_segments,
    p_alive_or_note,
    win_rates_view,
)

__all__ = [
    "ALERT_FIELDS", "CATEGORIES", "CHECKS", "DEFAULTS", "DEFAULT_ACTIONS", "DEFAULT_OWNERS",
    "SEVERITIES", "WE_RULES", "options_from", "owners_from",
    "Alert", "Check", "CheckResult", "ConcentrationCheck", "CustomerCheck", "DiscountCreepCheck",
    "Indicator", "PipelineCheck", "RegionalAnomalyCheck", "RepExposureCheck", "RiskInputs",
    "RiskReport", "WinRateCheck",
    "concentration_last", "creep_view", "deal_summary", "deal_view", "departed_view",
    "forecast_run_rate", "miss_table", "overdue_segments", "p_alive_or_note", "win_rates_view", "customers_at_risk_reason", "alert_tables", "anomaly_view",
    "high_value_at_risk",
    "alert_id", "alerts_from_register", "alerts_to_json", "concentration", "creep_start",
    "customer_risk", "customers_at_risk", "default_checks", "discount_creep", "ewma", "false_alarm_rate", "hhi",
    "hhi_thresholds_for",
    "inactive_deals", "indicator", "lag1_autocorrelation", "make_alert", "miss_probability", "monitor",
    "non_pipeline_run_rate", "normalized_hhi", "p_alive_change", "peer_adjusted",
    "pipeline_coverage", "quarter_window", "rag_status", "register_messages", "register_table", "rep_exposure",
    "risk_register",
    "seasonal_run_rate", "segment_churn", "should_fail", "single_rep_accounts", "slipped_deals",
    "sort_alerts", "stage_duration_thresholds", "stage_rates", "stage_win_rates", "stalled_deals", "top_shares",
    "trend_test", "validate_alerts", "win_within_probability", "win_within_rates", "xmr",
]
