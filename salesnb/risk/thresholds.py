"""The one home of the risk thresholds' defaults.

The checks' dataclass fields take their defaults from :data:`DEFAULTS`; notebook 05's parameters
cell repeats them as literals (papermill needs literals) and ``docs/alerts.md`` lists them in its
"Thresholds" table. ``tests/test_risk_checks.py`` checks that the three agree, so a default is
changed here, in the notebook's parameters cell and in the docs together.

Shares and rates are fractions (0.15 = 15 %), HHI is on the 0-10,000 scale, money is in the
reporting currency.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULTS", "DOCS", "options_from", "owners_from"]

#: name → (default, meaning); the name is the notebook parameter and the check's field
_TABLE: dict[str, tuple[Any, str]] = {
    "hhi_amber": (1500.0, "HHI (0-10,000) from which concentration is amber"),
    "hhi_red": (2500.0, "HHI from which concentration is red"),
    "top5_amber": (0.15, "revenue share of the 5 largest customers: amber"),
    "top5_red": (0.30, "revenue share of the 5 largest customers: red"),
    "overdue_margin": (2.0, "a customer is overdue after this multiple of their usual purchase interval"),
    "at_risk_amber": (0.10, "share of 12-month revenue held by high-value customers at risk: amber"),
    "at_risk_red": (0.20, "... red"),
    "churn_excess_amber": (0.05, "a segment's overdue rate above the other segments' (exact test p <= 0.00135): warning"),
    "churn_excess_red": (0.15, "... (p <= 0.000032): critical (churn wave)"),
    "p_miss_amber": (0.5, "probability of missing the quarter's target: amber"),
    "p_miss_red": (0.8, "... red"),
    "coverage_amber": (1.5, "team pipeline / gap left after the run-rate below this: amber"),
    "coverage_red": (1.0, "... red (team alerts are capped at warning)"),
    "stalled_quantile": (0.9, "stalled: days in stage above this historical quantile of the stage"),
    "stalled_amber": (0.15, "share of open pipeline stalled: amber"),
    "stalled_red": (0.30, "... red"),
    "inactive_days": (30, "open deals without activity for longer are listed"),
    "anomaly_amber": (0.10, "a regional deviation with a control-chart signal: amber in the register"),
    "anomaly_critical": (0.25, "a regional signal is critical when the month deviates this much ..."),
    "material_share": (0.02, "... and the deviation moves at least this share of company revenue"),
    "material_floor": (0.0, "... and at least this amount of money in the month (0: no floor)"),
    "baseline_weeks": (52, "weeks before the month that set the control limits"),
    "ewma_lambda": (0.2, "EWMA weight of the newest week"),
    "ewma_L": (3.0, "EWMA limit width in sigmas of the EWMA statistic"),
    "creep_amber": (0.01, "discount rise over 12 months (0.01 is 1 point) with a significant trend: warning"),
    "creep_red": (0.05, "... critical"),
    "creep_alpha": (0.01, "family-wise level of the discount trend test (all categories)"),
    "departed_amber": (0.05, "share of 12-month revenue booked by reps who left: amber"),
    "departed_red": (0.15, "... red"),
    "single_rep_share": (0.9, "a key account is single-rep when its main rep books this share of it"),
}

#: default value of every threshold, by name
DEFAULTS: dict[str, Any] = {k: v for k, (v, _) in _TABLE.items()}
#: one-line meaning of every threshold, by name
DOCS: dict[str, str] = {k: d for k, (_, d) in _TABLE.items()}


def options_from(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The thresholds found in ``namespace`` (e.g. a notebook's parameters), by name.

    ``salesnb.risk.monitor(inputs, **options_from(globals()))`` passes every threshold parameter
    of the notebook, and only those.
    """
    return {k: namespace[k] for k in DEFAULTS if k in namespace}


def owners_from(namespace: Mapping[str, Any]) -> dict[str, str]:
    """Owners per risk type from ``owner_<category>`` entries of ``namespace`` (notebook parameters)."""
    from salesnb.risk._common import CATEGORIES

    return {c: str(namespace[f"owner_{c}"]) for c in CATEGORIES if f"owner_{c}" in namespace}
